"""A class session: one scenario machine, one run per team (or one for the whole class).

Turn scheme for teams: teams decide in turn, in the order given, one decision each per round
(a team whose conversation has ended is skipped). Every run is a Session model attached to the
same transitions Machine (`Runtime.new_session`), so six teams cost six small models, not six
machines.

Undo: the last vote comes off the tally (`VoteBoard.undo`); the last locked-in decision is taken
back by rebuilding that team's session from the same seed and replaying all but its last choice
(the engine is deterministic for a seed), and its tally comes back so the tutor can fix one vote.

Recording: each run is an attempt in the results store (mode "classroom", learner = team name or
"class", one class_session id for the lesson); each decision is autosaved, an undo truncates the
saved choices, and the end finishes every attempt with its transcript and score.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from simulator.engine.mood import mood_word
from simulator.engine.session import Runtime, Session

from . import grading
from .previews import OptionPreview, preview_options
from .votes import VoteBoard

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
    name: str
    session: Session
    attempt_id: int | None = None
    decisions: list[Decision] = field(default_factory=list)
    score: dict | None = None  # the final score, once finished

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
        store=None,
        scenario_path: str | Path = "",
        class_session: str | None = None,
    ):
        self.runtime = runtime
        self.scenario = runtime.scenario
        self.seed = seed
        self.team_mode = bool(teams)
        self.store = store
        self.scenario_path = str(scenario_path)
        self.class_session = class_session or new_class_session_id()
        self.store_problem: str | None = None
        names = list(teams) if teams else [CLASS_LEARNER]
        self.runs = [TeamRun(n, runtime.new_session(seed=seed, learner=n)) for n in names]
        self.current = 0
        self._log: list[int] = []  # team index of every decision, in order (for undo)
        self.finished = False
        for run in self.runs:
            run.attempt_id = self._save(
                lambda run=run: self.store.start_attempt(
                    scenario_id=self.scenario.id,
                    scenario_hash=self.scenario.content_hash,
                    scenario_path=self.scenario_path,
                    learner=run.name,
                    seed=seed,
                    mode="classroom",
                    class_session=self.class_session,
                    team=run.name if self.team_mode else None,
                )
            )
        self.board = self._new_board()

    # -- the current decision ---------------------------------------------------------------------
    @property
    def run(self) -> TeamRun:
        return self.runs[self.current]

    @property
    def round(self) -> int:
        """Teams decide once per round, so the round is the current team's next turn."""
        return len(self.run.decisions) + 1

    def offered(self):
        return self.run.session.offered()

    def _new_board(self, votes: dict[int, int] | None = None) -> VoteBoard:
        return VoteBoard([o.number for o in self.offered()], votes)

    def lock(self, number: int | None = None) -> Decision:
        """Lock in the class's choice: the majority, or `number` (the tutor's pick in a tie)."""
        if self.finished or self.run.ended:
            raise ClassroomError("this conversation has ended; press n to go on")
        leaders = self.board.leaders()
        if number is None:
            if not leaders:
                raise ClassroomError("no votes yet: record the class's votes first")
            if len(leaders) > 1:
                raise ClassroomError("it's a tie: pick one of the tied options")
            number = leaders[0]
        elif leaders and number not in leaders:
            raise ClassroomError(f"option {number} is not among the tied leaders")
        elif number not in self.board.options:
            raise ClassroomError(f"there is no option {number}")
        run = self.run
        previews = preview_options(
            self.runtime, seed=self.seed, history=run.history, learner=run.name
        )
        customer = run.session.line
        step = run.session.choose(number)
        decision = Decision(
            team=run.name,
            turn=len(run.decisions) + 1,
            state=step.turn["state"],
            customer=customer,
            number=number,
            choice_id=step.turn["choice"],
            text=step.turn["text"],
            votes=self.board.as_dict(),
            tied=leaders if len(leaders) > 1 else [],
            previews=previews,
        )
        run.decisions.append(decision)
        self._log.append(self.current)
        self._save(
            lambda: self.store.record_choice(
                run.attempt_id, decision.turn, decision.choice_id, dict(step.turn)
            )
        )
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
            raise ClassroomError("there is no decision to undo")
        index = self._log.pop()
        run = self.runs[index]
        undone = run.decisions.pop()
        run.session.close()
        session = self.runtime.new_session(seed=self.seed, learner=run.name)
        session.replay(run.history)
        run.session = session
        self.current = index
        self.board = self._new_board(undone.votes)
        self._save(lambda: self.store.truncate_choices(run.attempt_id, len(run.decisions)))
        return undone

    # -- the end ----------------------------------------------------------------------------------
    def finish(self) -> None:
        """Score every run and record the attempts as finished (once)."""
        if self.finished:
            return
        self.finished = True
        for run in self.runs:
            transcript = run.session.transcript()
            run.score = grading.score(self.scenario, transcript)
            transcript = run.session.transcript(run.score)
            s = run.session
            self._save(
                lambda run=run, s=s, transcript=transcript: self.store.finish_attempt(
                    run.attempt_id,
                    ending=s.ending,
                    outcome=s.outcome,
                    final_mood=s.mood,
                    transcript=transcript,
                    score=run.score,
                )
            )

    def abandon(self) -> None:
        """The tutor left before the end: mark unfinished attempts abandoned (not resumable)."""
        if self.finished:
            return
        for run in self.runs:
            self._save(lambda run=run: self.store.abandon_attempt(run.attempt_id))

    # -- what the screen shows --------------------------------------------------------------------
    def scoreboard(self) -> list[ScoreRow]:
        rows = []
        for i, run in enumerate(self.runs):
            s = run.session
            shown = {b for d in run.decisions for b, _ in d.chosen.shows}
            mistakes = sum(len(d.chosen.mistakes) for d in run.decisions)
            score = (
                run.score
                if run.score is not None
                else (grading.score(self.scenario, s.transcript()) if run.decisions else None)
            )
            rows.append(
                ScoreRow(
                    team=run.name,
                    turn=len(run.decisions),
                    mood=s.mood,
                    mood_word=mood_word(s.mood),
                    behaviours=len(shown),
                    mistakes=mistakes,
                    percent=score.get("percent") if score else None,
                    grade=score.get("grade") if score and s.ended else None,
                    outcome=s.outcome,
                    current=(i == self.current and not self.finished),
                )
            )
        return rows

    # -- the results store ------------------------------------------------------------------------
    def _save(self, write):
        """Run one store write; a failing store is reported once and the lesson goes on."""
        if self.store is None or self.store_problem is not None:
            return None
        try:
            return write()
        except Exception as exc:  # StoreError or sqlite trouble: never stop a class over it
            self.store_problem = f"results are no longer being saved: {exc}"
            return None
