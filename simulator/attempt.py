"""One learner's attempt at a scenario: the one place an attempt is started, resumed, replayed,
autosaved, scored and finished.

No front end drives an :class:`Attempt` itself: the exercise service's conversation
(`exercise/conversation.py`) does, and the app (`tui/controller.py`), plain mode (`plain/`), the
web (`web/`) and the classroom (`classroom/room.py`, one conversation per team) all go through
that service, so they cannot disagree about the rules:

- every choice is autosaved in one short store transaction;
- a store that fails (``StoreError``, or the database underneath it) is reported once in
  :attr:`Attempt.store_problem` and the attempt carries on unsaved — never a crash;
- an attempt that reaches an ending is scored and its finished transcript (with ``ending_line``,
  ``ending_debrief`` and ``mode``) is recorded.

No terminal is needed: the service is tested in `tests/unit/test_attempt.py`. Errors the learner
may meet come out as :class:`AttemptProblem` (one clear message naming file:line:column where
there is one) so no front end shows a traceback.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from simulator.engine.format import CONVERSATION_MODES
from simulator.engine.i18n import gettext as tr
from simulator.engine.i18n import ngettext
from simulator.engine.session import (
    Offered,
    Runtime,
    ScenarioRuntimeError,
    Session,
    SessionError,
    Step,
)
from simulator.exercise.kinds import ExerciseProblem
from simulator.exercise.recording import AttemptFields, Recording
from simulator.exercise.recording import open_store as open_store

if TYPE_CHECKING:
    from simulator.engine.checked import CheckResult
    from simulator.engine.model import Scenario
    from simulator.store import Store

T = TypeVar("T")

MODES = CONVERSATION_MODES  # the modes a conversation is played in (engine/format.py)


# Something the learner should be told in one or a few clear lines: the exercise service's one
# problem type (``diagnostics`` holds the loader's file:line:col lines when a file has errors).
AttemptProblem = ExerciseProblem


@dataclass
class ReplayReport:
    """How a replay of saved choices went (resume, retry, live reload, undo)."""

    kept: int  # choices replayed
    wanted: int  # choices asked for
    misfit: str | None = None  # why the first one that did not fit did not

    @property
    def complete(self) -> bool:
        return self.kept == self.wanted


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


def load(path: str | Path) -> tuple[Scenario, CheckResult]:
    """(Scenario, CheckResult) or AttemptProblem listing every error as file:line:col, checked
    by the one check pipeline (tooling/checks.py). A file played before, unchanged, comes from
    the checked-scenario cache (engine/checked.py)."""
    from simulator.tooling.checks import check_cached

    return scenario_of(check_cached(path), path)


def scenario_of(result: CheckResult, path: str | Path) -> tuple[Scenario, CheckResult]:
    """A check's (Scenario, CheckResult), or AttemptProblem when the file has errors."""
    if result.scenario is None:
        lines = [str(d) for d in result.errors] or [str(d) for d in result.diagnostics]
        n = len(result.errors)
        raise AttemptProblem(
            ngettext(
                "{path} has {n} error; fix it (or run 'countertalk lint {path}') and try again",
                "{path} has {n} errors; fix them (or run 'countertalk lint {path}') and try again",
                n,
            ).format(path=path, n=n),
            lines,
        )
    # In the learner's language: the string table beside the file, English for what it lacks.
    from simulator.engine.i18n import current
    from simulator.engine.strings import localised

    return localised(result.scenario, current()), result


def default_learner() -> str:
    """Who is playing when no --learner is given: the user's login name."""
    import getpass

    try:
        return getpass.getuser() or "learner"
    except Exception:
        return "learner"


class Attempt:
    """A session of one scenario plus its autosaved attempt in the results store.

    ``store`` is a :class:`simulator.store.Store` or None (``--no-save``, or an unusable store).
    Give ``path`` and call :meth:`load`, or give a built ``runtime`` (the classroom shares one
    machine between its teams).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        learner: str,
        mode: str = "practice",
        seed: int | None = None,
        store: Store | None = None,
        runtime: Runtime | None = None,
        class_session: str | None = None,
        team: str | None = None,
    ):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.path = Path(path) if path is not None else None
        self.learner = learner
        self.mode = mode
        self.seed = new_seed() if seed is None else int(seed)
        # Saving follows the one recording policy (simulator/exercise/recording.py): the
        # attempt is recorded with its first choice, not when the scenario opens — merely
        # opening one must not leave "unfinished, turn 1" behind, or offer to resume 0 choices.
        self.recording = Recording(store)
        self.class_session = class_session
        self.team = team
        self.runtime: Runtime | None = runtime
        self.scenario: Scenario | None = runtime.scenario if runtime is not None else None
        self.session: Session | None = None
        self.feedback: list[str | None] = []  # per turn, for assessment mode's debrief
        # The last choice's Step, also after a replay (resume, undo, reload): a view built
        # after a resume in another process shows the same feedback and mood change.
        self.last_step: Step | None = None
        self.result: dict[str, Any] | None = (
            None  # {"transcript", "score", "score_problem"} once finished
        )

    # -- the recording (kept as attributes: front ends and tests read and set them) ------------
    @property
    def store(self) -> Store | None:
        return self.recording.store

    @store.setter
    def store(self, store: Store | None) -> None:
        self.recording.store = store

    @property
    def attempt_id(self) -> int | None:
        return self.recording.attempt_id

    @attempt_id.setter
    def attempt_id(self, attempt_id: int | None) -> None:
        self.recording.attempt_id = attempt_id

    @property
    def store_problem(self) -> str | None:
        """Set when saving failed; a front end says it once (and sets it back to None)."""
        return self.recording.problem

    @store_problem.setter
    def store_problem(self, problem: str | None) -> None:
        self.recording.problem = problem

    @property
    def store_failure(self) -> str | None:
        return self.recording.failure

    # -- hooks for a front end that keeps its own view of events ------------------------------
    def on_open(self) -> None:
        """The session has just started (or been rebuilt): its first line is ready."""

    def on_step(self, step: Step) -> None:
        """A choice has just been made (also while replaying saved choices)."""

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> None:
        """Check and build the scenario (raises AttemptProblem with the diagnostics)."""
        self.scenario, _ = load(self._path())
        self.runtime = Runtime(self.scenario)

    # -- what must be there by now (a front end that calls out of order gets a clear message) --
    def _path(self) -> Path:
        return _there(self.path, "this attempt has no scenario file")

    def _scenario(self) -> Scenario:
        return _there(self.scenario, "the scenario has not been loaded")

    def _runtime(self) -> Runtime:
        return _there(self.runtime, "the scenario has not been loaded")

    def _session(self) -> Session:
        return _there(self.session, "the attempt has not started")

    def require_scenario(self) -> Scenario:
        """The loaded scenario (AttemptProblem when it is not loaded yet)."""
        return self._scenario()

    def require_session(self) -> Session:
        """The running session (AttemptProblem when the attempt has not started)."""
        return self._session()

    @property
    def assess(self) -> bool:
        return self.mode == "assess"

    @property
    def ended(self) -> bool:
        return self.session is not None and self.session.ended

    @property
    def saving(self) -> bool:
        return self.recording.saving

    def _records(self) -> list[dict[str, Any]]:
        """Copies of the turn records so far (to replay what they hold beyond the choice)."""
        return [dict(t) for t in self.session.turns] if self.session else []

    @property
    def choices(self) -> list[str]:
        return [str(t["choice"]) for t in self.session.turns] if self.session else []

    # -- starting --------------------------------------------------------------------------------
    def unfinished(self) -> Any:
        """The learner's latest unfinished attempt at this scenario, or None."""
        store, scenario = self.store, self.scenario
        if store is None or scenario is None:
            return None
        return self._safe(
            lambda: store.latest_unfinished(learner=self.learner, scenario_id=scenario.id), None
        )

    def start(
        self,
        *,
        replay: list[str] | tuple[str, ...] = (),
        record: bool = True,
        extras: list[dict[str, Any]] | None = None,
    ) -> ReplayReport:
        """A new session with ``self.seed``; replay choice ids as far as they fit; new attempt.
        ``extras``: the replayed turns' records, for what they hold beyond the choice."""
        report = self._fresh_session(list(replay), extras=extras)
        self.recording.expect(self._fields if record else None)
        for n, t in enumerate(self._session().turns, start=1):
            self._save_choice(n, t)
        self._finish_if_ended()
        return report

    def attach_store(self, store: Store | None) -> None:
        """Give the attempt its results store after it has started: the app opens the store
        once the first screen is drawn. A conversation with no choice yet is recorded with its
        first choice, exactly as if the store had been there from the start."""
        self.store = store
        if store is not None and self.attempt_id is None and self.session is not None:
            if not self._session().turns:
                self.recording.expect(self._fields)

    def _fields(self) -> AttemptFields:
        """The attempt's row, made when there is something in it to keep."""
        scenario = self._scenario()
        return AttemptFields(
            exercise_id=scenario.id,
            content_hash=scenario.content_hash,
            path=str(self.path.resolve()) if self.path else "",
            learner=self.learner,
            seed=self.seed,
            mode=self.mode,
            class_session=self.class_session,
            team=self.team,
        )

    def resume(self, attempt: Any, *, records: list[dict[str, Any]] | None = None) -> ReplayReport:
        """Continue a saved attempt: same seed, replay its choices.

        When a saved choice no longer fits (the file changed), the session stops just before it
        and the report says why; the caller offers to start over (see :meth:`start_over`) or
        keeps what fits (see :meth:`keep_what_fits`).

        ``records`` (the store's saved turn records) give each replayed turn back what it held
        beyond the choice — a typed reply's words and score — so a transcript finished after a
        resume (in this process or another) is the one the learner made.
        """
        self.seed = int(attempt.seed)
        if attempt.mode in MODES:
            self.mode = attempt.mode
        report = self._fresh_session(list(attempt.choices), extras=records)
        self.recording.expect(None)
        self.attempt_id = attempt.id
        if report.complete:
            self._finish_if_ended()
        return report

    def keep_what_fits(self, report: ReplayReport) -> None:
        """After a resume that did not fully fit: continue from the last choice that did."""
        self._truncate(report.kept)
        self._finish_if_ended()

    def start_over(self, seed: int | None = None) -> None:
        """Abandon the current attempt (its data is kept) and start a new one."""
        if not self.ended:
            self.recording.abandon()
        self.seed = new_seed() if seed is None else seed
        self.start()

    def abandon(self) -> None:
        """Leave before the end: the attempt is kept but no longer offered for resuming."""
        if self.result is None:
            self.recording.abandon()

    def _fresh_session(
        self,
        ids: list[str],
        texts: list[str] | None = None,
        extras: list[dict[str, Any]] | None = None,
    ) -> ReplayReport:
        """A new session replaying `ids`. With `texts` (what the learner said at each turn, for
        a live reload), a choice is matched by what it says as well as by its id: an option
        deleted above it renumbers `STATE.N` ids, and the learner's line must not silently turn
        into another option's words."""
        if self.session is not None:
            self.session.close()
        self.result = None
        self.feedback = []
        self.last_step = None
        try:
            self.session = self._runtime().new_session(seed=self.seed, learner=self.learner)
        except ScenarioRuntimeError as exc:
            raise AttemptProblem(str(exc)) from None
        self.on_open()
        session = self.session
        kept = 0
        for n, cid in enumerate(ids):
            if session.ended:
                return ReplayReport(
                    kept,
                    len(ids),
                    tr("the conversation now ends before turn {turn}").format(turn=kept + 1),
                )
            if texts is not None and n < len(texts):
                found = self._same_words(session, cid, texts[n])
                if found is None:
                    return ReplayReport(kept, len(ids), self._gone(texts[n], kept + 1))
                cid = found
            extra = extras[n] if extras is not None and n < len(extras) else None
            try:
                step = session.choose_id(cid, extra)
            except SessionError:
                return ReplayReport(kept, len(ids), self._misfit(cid, kept + 1))
            except ScenarioRuntimeError as exc:
                raise AttemptProblem(str(exc)) from None
            kept += 1
            self.last_step = step
            self.feedback.append(step.feedback)
            self.on_step(step)
        return ReplayReport(kept, len(ids))

    @staticmethod
    def _same_words(session: Session, cid: str, said: str) -> str | None:
        """The id of the option on offer that says `said`: `cid` if it still does, else the
        option that now carries those words, else None (the line is gone)."""
        try:
            offered = session.offered()
        except ScenarioRuntimeError:
            return cid  # let choose_id report it
        by_id = {o.choice_id: o for o in offered}
        if cid in by_id and by_id[cid].text == said:
            return cid
        same = [o.choice_id for o in offered if o.text == said]
        return same[0] if len(same) == 1 else None

    @staticmethod
    def _gone(said: str, turn: int) -> str:
        short = said if len(said) <= 60 else said[:59].rstrip() + "…"
        return tr(
            "what you said at turn {turn} (\u201c{said}\u201d) is no longer an option in the "
            "scenario file"
        ).format(turn=turn, said=short)

    def _misfit(self, cid: str, turn: int) -> str:
        try:
            sid, _i, _c = self._scenario().find_choice(cid)
        except KeyError:
            return tr(
                "your saved choice '{choice}' at turn {turn} is no longer in the scenario "
                "file (it has changed since you started)"
            ).format(choice=cid, turn=turn)
        return tr(
            "your saved choice '{choice}' at turn {turn} belongs to '{stage}', but the "
            "conversation is now at '{now}' (the scenario file has changed)"
        ).format(choice=cid, turn=turn, stage=sid, now=self._session().state)

    # -- playing ---------------------------------------------------------------------------------
    def offered(self) -> list[Offered]:
        if self.session is None or self.session.ended:
            return []
        try:
            return self.session.offered()
        except ScenarioRuntimeError as exc:
            raise AttemptProblem(str(exc)) from None

    def choose(self, number: int) -> Step:
        """Make the number-th offered choice; autosave it; finish at an ending. Returns the Step.

        A choice whose rule or feedback fails to evaluate changes nothing (the session is exactly
        as before) and nothing is saved for it."""
        return self._make(lambda session: session.choose(number))

    def choose_id(self, choice_id: str, extra: dict[str, Any] | None = None) -> Step:
        """The same for a choice named by its id (a typed reply matched to a choice, a phone);
        ``extra`` is added to the turn's record as it commits."""
        return self._make(lambda session: session.choose_id(choice_id, extra))

    # -- typed replies (simulator/matching) -------------------------------------------------------
    @property
    def typed(self) -> Any:
        """The session's TypedReplies, made on first use (a new session gets a new one)."""
        from simulator.matching.replies import TypedReplies

        current = getattr(self, "_typed", None)
        if current is None or current.session is not self.session:
            current = self._typed = TypedReplies(self._session())
        return current

    def understand(self, line: str) -> Any:
        """What a typed line comes to now (a `Reply`; nothing is taken). The first call may load
        the language model, so front ends call it off their UI thread."""
        try:
            return self.typed.interpret(line)
        except ScenarioRuntimeError as exc:
            raise AttemptProblem(str(exc)) from None

    def choose_typed(self, reply: Any, option: Any = None, *, confirmed: bool = False) -> Step:
        """Take what a typed reply led to (or `option`, one of its suggestions) as `choose`
        takes a number: saved and finished the same way. The turn keeps what was typed, its
        score, whether the learner confirmed it, and the lines not understood before it."""
        typed = self.typed
        return self._make(lambda _session: typed.take(reply, option, confirmed=confirmed))

    def _make(self, take: Callable[[Session], Step]) -> Step:
        try:
            step = take(self._session())
        except SessionError as exc:
            raise AttemptProblem(str(exc)) from None
        except ScenarioRuntimeError as exc:
            saved = tr(" (your earlier choices are saved)") if self.attempt_id is not None else ""
            raise AttemptProblem(f"{exc}{saved}") from None
        self.feedback.append(step.feedback)
        self.last_step = step
        self.on_step(step)
        self._save_choice(len(self._session().turns), step.turn)
        self._finish_if_ended()
        return step

    def undo(self) -> ReplayReport:
        """Take back the last choice: replay all but it with the same seed; the store forgets it."""
        keep = self.choices[:-1]
        report = self._fresh_session(keep, extras=self._records())
        self._truncate(report.kept)
        return report

    # -- saving ----------------------------------------------------------------------------------
    def _truncate(self, kept: int) -> None:
        self.recording.truncate(kept)

    def _safe(self, fn: Callable[[], T], default: T) -> T:
        """Run a store call; when the store fails, say so once and carry on unsaved."""
        return self.recording.safe(fn, default)

    def _save_choice(self, turn: int, record: dict[str, Any]) -> None:
        self.recording.answered(turn, str(record["choice"]), record)

    def score_so_far(self) -> dict[str, Any] | None:
        """The score of the attempt as it stands (None if the scorer cannot score it)."""
        score, _problem = self._score(self._session().transcript())
        return score

    def score_now(self) -> tuple[dict[str, Any] | None, str | None]:
        """(score, None), or (None, why not), for the attempt as it stands."""
        return self._score(self._session().transcript())

    def _score(self, transcript: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        try:
            from scoring.scorer import score as score_fn
        except ImportError as exc:  # the scorer is not installed in this checkout
            return None, tr("scoring is unavailable: {problem}").format(problem=exc)
        try:
            return score_fn(self._scenario(), transcript), None
        except Exception as exc:  # noqa: BLE001 - a scorer failure must not lose the attempt
            return None, tr("scoring failed: {problem}").format(
                problem=f"{type(exc).__name__}: {exc}"
            )

    def finish(self) -> None:
        """Score and record the attempt (once); called by itself when an ending is reached."""
        if self.result is not None or self.session is None:
            return
        s = self.session
        score, score_problem = self._score(s.transcript())
        transcript = s.transcript(score)
        if s.ended:
            transcript["ending_line"] = s.line
            transcript["ending_debrief"] = s.debrief
        transcript["mode"] = self.mode
        self.result = {"transcript": transcript, "score": score, "score_problem": score_problem}
        self.recording.finish(
            ending=s.ending,
            outcome=s.outcome,
            final_mood=s.mood,
            transcript=transcript,
            score=score,
        )

    def _finish_if_ended(self) -> None:
        if self.ended:
            self.finish()

    def write_transcript(self, out: str | Path, *, unfinished: bool = False) -> Path:
        """Write the transcript (finished, with its score) as JSON; returns the path.

        ``unfinished=True`` writes what the learner did so far when the conversation has not
        ended (plain mode, when input ends early)."""
        if self.result is None and not unfinished:
            raise AttemptProblem(tr("the conversation has not ended yet; nothing to write"))
        data = (
            self.result["transcript"] if self.result is not None else self._session().transcript()
        )
        p = Path(out)
        try:
            import json

            p.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            raise AttemptProblem(
                tr("cannot write the transcript to {path}: {problem}").format(
                    path=p, problem=exc.strerror or exc
                )
            ) from None
        return p

    # -- retry, replay and live reload ------------------------------------------------------------
    def retry_from(self, turn: int) -> ReplayReport:
        """Practice mode: a new attempt replaying the first ``turn - 1`` choices, same seed."""
        if self.assess:
            raise AttemptProblem(
                tr("retrying from a turn is for practice mode; assessment attempts are played once")
            )
        keep = self.choices[: max(0, turn - 1)]
        return self.start(replay=keep, extras=self._records())

    def replay_from_start(self, seed: int | None = None) -> None:
        """A new attempt from the beginning (a new seed unless one is given)."""
        self.seed = new_seed() if seed is None else seed
        self.start()

    def reload(self) -> ReplayReport:
        """Re-read the file (live preview): rebuild, replay the choices that still fit.

        Raises AttemptProblem (with diagnostics) when the file now has errors; the current
        session is then left as it was.
        """
        scenario, _ = load(self._path())
        ids = self.choices
        texts = [str(t.get("text", "")) for t in self._session().turns]
        extras = self._records()
        old = (self.scenario, self.runtime)
        self.scenario, self.runtime = scenario, Runtime(scenario)
        try:
            report = self._fresh_session(ids, texts, extras)
        except AttemptProblem:
            self.scenario, self.runtime = old
            self._fresh_session(ids, extras=extras)
            raise
        if not report.complete:
            self._truncate(report.kept)
        self._finish_if_ended()
        return report


def _there(value: T | None, why: str) -> T:
    if value is None:
        raise AttemptProblem(why)
    return value
