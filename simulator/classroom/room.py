"""A class session: one scenario machine, one run per team (or one for the whole class).

Turn scheme for teams: teams decide in turn, in the order given, one decision each per round
(a team whose conversation has ended is skipped). Every run is a Session model attached to the
same transitions Machine (`Runtime.new_session`), so six teams cost six small models, not six
machines.

Undo: the last vote comes off the tally (`VoteBoard.undo`); the last locked-in decision is taken
back by rebuilding that team's session from the same seed and replaying all but its last choice
(the engine is deterministic for a seed), and its tally comes back so the tutor can fix one vote.

Recording: each run is a conversation of the exercise service (:mod:`simulator.exercise`, mode
"classroom", learner = team name or "class", one class_session id for the lesson), so the store
is written only through it, by the one recording policy: each decision is autosaved, an undo
truncates the saved choices, and a run that reaches its ending is finished with its transcript
(``ending_line`` and ``mode`` included) and score — the same rules as the app, plain mode and the
web. A store that fails is reported once and the lesson goes on unsaved.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.engine.i18n import gettext as _
from simulator.engine.mood import mood_word
from simulator.engine.session import Offered, Runtime, ScenarioRuntimeError, Session
from simulator.exercise.kinds import ExerciseProblem
from simulator.exercise.service import ExerciseService
from simulator.exercise.views import Pick, Score

from .previews import OptionPreview, preview_options
from .votes import VoteBoard

if TYPE_CHECKING:
    from simulator.exercise.conversation import Conversation
    from simulator.exercise.recording import Recording
    from simulator.store import Store

MAX_TEAMS = 6
CLASS_LEARNER = "class"


class ClassroomError(Exception):
    """A request the classroom cannot carry out; the message says what to do instead."""


def parse_teams(text: str | None) -> list[str]:
    """ "Red, Blue" -> ["Red", "Blue"]; checks 2..6 distinct, non-empty names."""
    if text is None:
        return []
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not 2 <= len(names) <= MAX_TEAMS:
        raise ClassroomError(
            f"--teams needs 2 to {MAX_TEAMS} team names separated by commas (got {len(names)})"
        )
    if len({n.casefold() for n in names}) != len(names):
        raise ClassroomError("--teams: each team needs a different name")
    if any(len(n) > 24 for n in names):
        raise ClassroomError("--teams: keep team names to 24 characters or fewer")
    return names


def new_class_session_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]


@dataclass
class Decision:
    """One locked-in decision, with everything the reveal and the debrief show."""

    team: str
    turn: int  # 1-based, within the team's run
    state: str
    customer: str  # what the customer had just said
    number: int  # the option taken
    choice_id: str
    text: str
    votes: dict[int, int]
    tied: list[int]  # the options that were level at the top (tutor broke the tie)
    previews: list[OptionPreview]

    @property
    def chosen(self) -> OptionPreview:
        return next(p for p in self.previews if p.number == self.number)


@dataclass
class TeamRun:
    """One team's (or the whole class's) conversation, played through the exercise service."""

    name: str
    exercise: Conversation
    service: ExerciseService
    decisions: list[Decision] = field(default_factory=list)

    @property
    def session(self) -> Session:
        """The team's session (ClassRoom starts every team's conversation as it makes it)."""
        return self.exercise.session

    @property
    def attempt(self) -> Recording:
        """The team's attempt in the results store, as the recording policy keeps it (its
        ``store`` is None once the lesson is no longer being saved)."""
        return self.exercise.recording

    @property
    def attempt_id(self) -> int | None:
        return self.exercise.recording.attempt_id

    @property
    def score(self) -> Score | None:
        """The final score, once the run has reached its ending."""
        return self.service.score(self.exercise) if self.ended else None

    @property
    def history(self) -> list[str]:
        return [d.choice_id for d in self.decisions]

    @property
    def ended(self) -> bool:
        return self.session.ended


@dataclass(frozen=True)
class ScoreRow:
    team: str
    turn: int
    mood: int
    mood_word: str
    behaviours: int  # distinct behaviours shown so far
    mistakes: int  # mistakes made so far
    percent: int | None  # running score from the scorer, when it can score a partial run
    grade: str | None
    outcome: str | None
    current: bool


class ClassRoom:
    def __init__(
        self,
        runtime: Runtime,
        *,
        teams: list[str] | None = None,
        seed: int = 0,
        store: Store | None = None,
        scenario_path: str | Path = "",
        class_session: str | None = None,
        service: ExerciseService | None = None,
    ) -> None:
        """``service``: the exercise service that records the runs; without one, a service on
        ``store`` (None: nothing is saved)."""
        self.runtime = runtime
        self.scenario = runtime.scenario
        self.seed = seed
        self.team_mode = bool(teams)
        self.service = (
            service if service is not None else ExerciseService(store, save=store is not None)
        )
        self.scenario_path = str(scenario_path)
        self.class_session = class_session or new_class_session_id()
        self.store_problem: str | None = None
        names = list(teams) if teams else [CLASS_LEARNER]
        self.runs = [
            TeamRun(
                n,
                self.service.load_on(
                    runtime,
                    learner=n,
                    mode="classroom",
                    seed=seed,
                    path=scenario_path or None,
                    class_session=self.class_session,
                    team=n if self.team_mode else None,
                ),
                self.service,
            )
            for n in names
        ]
        self.current = 0
        self._log: list[int] = []  # team index of every decision, in order (for undo)
        self.finished = False
        for run in self.runs:
            try:
                self.service.begin(run.exercise)
            except ExerciseProblem as exc:  # the opening line cannot be shown
                raise ClassroomError(str(exc)) from None
            self._check_store()
        self.board = self._new_board()

    @property
    def store(self) -> Store | None:
        """The results store the runs are recorded in (None: not saved, or no longer)."""
        return self.service.store if self.service.save else None

    # -- the current decision ---------------------------------------------------------------------
    @property
    def run(self) -> TeamRun:
        return self.runs[self.current]

    @property
    def round(self) -> int:
        """Teams decide once per round, so the round is the current team's next turn."""
        return len(self.run.decisions) + 1

    def offered(self) -> list[Offered]:
        return self.run.session.offered()

    def _new_board(self, votes: dict[int, int] | None = None) -> VoteBoard:
        return VoteBoard([o.number for o in self.offered()], votes)

    def lock(self, number: int | None = None) -> Decision:
        """Lock in the class's choice: the majority, or `number` (the tutor's pick in a tie)."""
        if self.finished or self.run.ended:
            raise ClassroomError(_("this conversation has ended; press n to go on"))
        leaders = self.board.leaders()
        if number is None:
            if not leaders:
                raise ClassroomError(_("no votes yet: record the class's votes first"))
            if len(leaders) > 1:
                raise ClassroomError(_("it's a tie: pick one of the tied options"))
            number = leaders[0]
        elif leaders and number not in leaders:
            raise ClassroomError(_("option {n} is not among the tied leaders").format(n=number))
        elif number not in self.board.options:
            raise ClassroomError(_("there is no option {n}").format(n=number))
        run = self.run
        customer = run.session.line
        try:
            previews = preview_options(
                self.runtime,
                seed=self.seed,
                history=run.history,
                learner=run.name,
                state=run.session.snapshot(),
            )
            self.service.answer(run.exercise, Pick(number))
        except (ExerciseProblem, ScenarioRuntimeError) as exc:  # the run is exactly as before
            raise ClassroomError(str(exc)) from None
        self._check_store()
        taken = run.session.turns[-1]  # the turn record of the choice just made
        decision = Decision(
            team=run.name,
            turn=len(run.decisions) + 1,
            state=str(taken["state"]),
            customer=customer,
            number=number,
            choice_id=str(taken["choice"]),
            text=str(taken["text"]),
            votes=self.board.as_dict(),
            tied=leaders if len(leaders) > 1 else [],
            previews=previews,
        )
        run.decisions.append(decision)
        self._log.append(self.current)
        return decision

    def advance(self) -> bool:
        """After a reveal: the next team in turn gets a fresh tally. False when everyone is done."""
        playing = [i for i, r in enumerate(self.runs) if not r.ended]
        if not playing:
            self.finish()
            return False
        after = [i for i in playing if i > self.current]
        self.current = after[0] if after else playing[0]
        self.board = self._new_board()
        return True

    @property
    def last_decision(self) -> Decision | None:
        return self.runs[self._log[-1]].decisions[-1] if self._log else None

    @property
    def can_undo_decision(self) -> bool:
        return bool(self._log) and not self.finished

    def undo_decision(self) -> Decision:
        """Take back the last locked-in decision (any team's): that team is up again."""
        if not self.can_undo_decision:
            raise ClassroomError(_("there is no decision to undo"))
        index = self._log.pop()
        run = self.runs[index]
        undone = run.decisions.pop()
        self.service.undo(run.exercise)
        self._check_store()
        self.current = index
        self.board = self._new_board(undone.votes)
        return undone

    # -- the end ----------------------------------------------------------------------------------
    def finish(self) -> None:
        """The lesson is over (once): :meth:`advance` calls this when every run has reached
        its ending, and the exercise service has scored and recorded each run as finished as
        it reached it (the one recording policy), so there is nothing left to save."""
        if self.finished:
            return
        self.finished = True
        self._check_store()

    def abandon(self) -> None:
        """The tutor left before the end: mark unfinished attempts abandoned (not resumable)."""
        if self.finished:
            return
        for run in self.runs:
            self.service.abandon(run.exercise)
            self._check_store()

    # -- what the screen shows --------------------------------------------------------------------
    def scoreboard(self) -> list[ScoreRow]:
        rows = []
        for i, run in enumerate(self.runs):
            s = run.session
            shown = {b for d in run.decisions for b, _ in d.chosen.shows}
            mistakes = sum(len(d.chosen.mistakes) for d in run.decisions)
            # the running score (the final one once the run has ended)
            score = self.service.score(run.exercise) if run.decisions else None
            rows.append(
                ScoreRow(
                    team=run.name,
                    turn=len(run.decisions),
                    mood=s.mood,
                    mood_word=mood_word(s.mood),
                    behaviours=len(shown),
                    mistakes=mistakes,
                    percent=score.percent if score else None,
                    grade=score.grade if score and s.ended else None,
                    outcome=s.outcome,
                    current=(i == self.current and not self.finished),
                )
            )
        return rows

    # -- the results store ------------------------------------------------------------------------
    def _check_store(self) -> None:
        """A store failure in any team's attempt is said once, and nobody's results are saved
        after it (a half-saved lesson would be worse than a clearly unsaved one)."""
        failed = next((r.attempt for r in self.runs if r.attempt.failure), None)
        if failed is None:
            return
        if self.store_problem is None:
            self.store_problem = _("results are no longer being saved: {problem}").format(
                problem=failed.failure
            )
        for r in self.runs:
            r.attempt.store = None
            r.attempt.problem = None
        self.service.save = False
