"""One learner's run at a scenario, with autosave: what the play screen drives.

Kept free of Textual so the rules of saving, resuming, retrying and live reloading can be read
(and tested) without a terminal. The screen asks this object to do things and shows what it
answers; every write to the results store happens here, one short transaction per choice.

Errors the learner may meet are turned into :class:`PlayProblem` (one clear message, naming
file:line:column where there is one) so the UI never shows a traceback.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODES = ("practice", "assess")


class PlayProblem(Exception):
    """Something the learner should be told about in one or a few clear lines.

    ``diagnostics`` holds the loader's file:line:col lines when a scenario has errors.
    """

    def __init__(self, message: str, diagnostics: list[str] | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []


@dataclass
class ReplayReport:
    """How a replay of saved choices went (resume, retry, live reload)."""

    kept: int  # choices replayed
    wanted: int  # choices asked for
    misfit: str | None = None  # why the first one that did not fit did not

    @property
    def complete(self) -> bool:
        return self.kept == self.wanted


@dataclass
class Event:
    """One thing for the conversation view: who said what."""

    kind: str  # "customer" | "note" | "learner" | "feedback" | "mood" | "ending" | "system"
    text: str
    extra: dict = field(default_factory=dict)


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)


def load(path: str | Path):
    """(Scenario, CheckResult) or PlayProblem listing every error as file:line:col."""
    from simulator.engine.loader import check_file

    result = check_file(path)
    if result.scenario is None:
        lines = [str(d) for d in result.errors] or [str(d) for d in result.diagnostics]
        n = len(result.errors)
        raise PlayProblem(
            f"{path} has {n} error{'s' if n != 1 else ''}; fix "
            f"{'them' if n != 1 else 'it'} (or run 'countertalk lint {path}') and try again",
            lines,
        )
    return result.scenario, result


class Play:
    """A session of one scenario plus its autosaved attempt.

    ``store`` is a :class:`simulator.store.Store` or None (``--no-save`` or an unusable store).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        learner: str,
        mode: str = "practice",
        seed: int | None = None,
        store=None,
    ):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.path = Path(path)
        self.learner = learner
        self.mode = mode
        self.seed = new_seed() if seed is None else int(seed)
        self.store = store
        self.store_problem: str | None = None  # set when saving failed part-way
        self.scenario = None
        self.runtime = None
        self.session = None
        self.attempt_id: int | None = None
        self.feedback: list[str | None] = []  # per turn, for assessment mode's debrief
        self.result: dict | None = None  # {"transcript", "score"} once finished
        self.events: list[Event] = []

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> None:
        """Check and build the scenario (raises PlayProblem with the diagnostics)."""
        from simulator.engine.session import Runtime

        self.scenario, _ = load(self.path)
        self.runtime = Runtime(self.scenario)

    @property
    def assess(self) -> bool:
        return self.mode == "assess"

    @property
    def ended(self) -> bool:
        return self.session is not None and self.session.ended

    @property
    def choices(self) -> list[str]:
        return [t["choice"] for t in self.session.turns] if self.session else []

    # -- starting --------------------------------------------------------------------------------
    def unfinished(self):
        """The learner's latest unfinished attempt at this scenario, or None."""
        if self.store is None or self.scenario is None:
            return None
        return self._safe(
            lambda: self.store.latest_unfinished(
                learner=self.learner, scenario_id=self.scenario.id
            ),
            None,
        )

    def start(self, *, replay: list[str] = (), record: bool = True) -> ReplayReport:
        """A new session with ``self.seed``; replay choice ids as far as they fit; new attempt."""
        report = self._fresh_session(list(replay))
        self.attempt_id = None
        if record and self.store is not None:
            self.attempt_id = self._safe(
                lambda: self.store.start_attempt(
                    scenario_id=self.scenario.id,
                    scenario_hash=self.scenario.content_hash,
                    scenario_path=str(self.path.resolve()),
                    learner=self.learner,
                    seed=self.seed,
                    mode=self.mode,
                ),
                None,
            )
            for n, t in enumerate(self.session.turns, start=1):
                self._save_choice(n, t)
        self._finish_if_ended()
        return report

    def resume(self, attempt) -> ReplayReport:
        """Continue a saved attempt: same seed, replay its choices.

        When a saved choice no longer fits (the file changed), the session stops just before it
        and the report says why; the caller offers to start over (see :meth:`start_over`).
        """
        self.seed = int(attempt.seed)
        if attempt.mode in MODES:
            self.mode = attempt.mode
        report = self._fresh_session(list(attempt.choices))
        self.attempt_id = attempt.id
        if report.complete:
            self._finish_if_ended()
        return report

    def keep_what_fits(self, report: ReplayReport) -> None:
        """After a resume that did not fully fit: continue from the last choice that did."""
        if self.store is not None and self.attempt_id is not None:
            self._safe(lambda: self.store.truncate_choices(self.attempt_id, report.kept), None)
        self._finish_if_ended()

    def start_over(self, seed: int | None = None) -> None:
        """Abandon the current attempt (its data is kept) and start a new one."""
        if self.store is not None and self.attempt_id is not None and not self.ended:
            self._safe(lambda: self.store.abandon_attempt(self.attempt_id), None)
        self.seed = new_seed() if seed is None else seed
        self.start()

    def _fresh_session(self, ids: list[str]) -> ReplayReport:
        from simulator.engine.session import ScenarioRuntimeError, SessionError

        if self.session is not None:
            self.session.close()
        self.result = None
        self.feedback = []
        self.events = []
        try:
            self.session = self.runtime.new_session(seed=self.seed, learner=self.learner)
        except ScenarioRuntimeError as exc:
            raise PlayProblem(str(exc)) from None
        self._opening_events()
        kept = 0
        for cid in ids:
            if self.session.ended:
                return ReplayReport(
                    kept, len(ids), f"the conversation now ends before turn {kept + 1}"
                )
            try:
                step = self.session.choose_id(cid)
            except SessionError:
                return ReplayReport(kept, len(ids), self._misfit(cid, kept + 1))
            except ScenarioRuntimeError as exc:
                raise PlayProblem(str(exc)) from None
            kept += 1
            self._step_events(step)
        return ReplayReport(kept, len(ids))

    def _misfit(self, cid: str, turn: int) -> str:
        try:
            sid, _i, _c = self.scenario.find_choice(cid)
        except KeyError:
            return (
                f"your saved choice '{cid}' at turn {turn} is no longer in the scenario "
                f"file (it has changed since you started)"
            )
        return (
            f"your saved choice '{cid}' at turn {turn} belongs to '{sid}', but the "
            f"conversation is now at '{self.session.state}' (the scenario file has changed)"
        )

    # -- playing ---------------------------------------------------------------------------------
    def offered(self):
        from simulator.engine.session import ScenarioRuntimeError

        if self.session is None or self.session.ended:
            return []
        try:
            return self.session.offered()
        except ScenarioRuntimeError as exc:
            raise PlayProblem(str(exc)) from None

    def choose(self, number: int):
        """Make the number-th offered choice; autosave it; finish at an ending. Returns the Step."""
        from simulator.engine.session import ScenarioRuntimeError, SessionError

        try:
            step = self.session.choose(number)
        except SessionError as exc:
            raise PlayProblem(str(exc)) from None
        except ScenarioRuntimeError as exc:
            raise PlayProblem(f"{exc} (your earlier choices are saved)") from None
        self._step_events(step)
        self._save_choice(len(self.session.turns), step.turn)
        self._finish_if_ended()
        return step

    # -- typed replies ---------------------------------------------------------------------------
    @property
    def typed(self):
        """The session's TypedReplies (made on first use; a new session gets a new one)."""
        from simulator.matching.replies import TypedReplies

        current = getattr(self, "_typed", None)
        if current is None or current.session is not self.session:
            current = self._typed = TypedReplies(self.session)
        return current

    def understand(self, line: str):
        """What a typed line comes to now (a Reply); may load the model, so call off the UI."""
        from simulator.engine.session import ScenarioRuntimeError

        try:
            return self.typed.interpret(line)
        except ScenarioRuntimeError as exc:
            raise PlayProblem(str(exc)) from None

    def not_understood(self, reply) -> None:
        """Show the typed line and the customer's reaction; nothing is taken."""
        if reply.text:
            self.events.append(Event("learner", reply.text, {"typed": True, "missed": True}))
        if reply.reaction:
            self.events.append(Event("customer", reply.reaction, {"reaction": True}))

    def declined(self, reply) -> None:
        """The learner said no to "Did you mean …?"."""
        self.typed.declined(reply)
        if reply.text:
            self.events.append(Event("learner", reply.text, {"typed": True, "missed": True}))

    def choose_typed(self, reply, option=None, *, confirmed: bool = False):
        """Take what a typed reply led to (or one of its suggestions); autosave; returns the Step."""
        from simulator.engine.session import ScenarioRuntimeError, SessionError

        try:
            step = self.typed.take(reply, option, confirmed=confirmed)
        except SessionError as exc:
            raise PlayProblem(str(exc)) from None
        except ScenarioRuntimeError as exc:
            raise PlayProblem(f"{exc} (your earlier choices are saved)") from None
        self._step_events(step)
        self._save_choice(len(self.session.turns), step.turn)
        self._finish_if_ended()
        return step

    # -- events for the view ----------------------------------------------------------------------
    def _opening_events(self) -> None:
        s = self.session
        if s.note:
            self.events.append(Event("note", s.note))
        self.events.append(Event("customer", s.line, {"mood": s.mood}))
        if s.ended:
            self._ending_events()

    def _step_events(self, step) -> None:
        s = self.session
        self.feedback.append(step.feedback)
        extra = {"turn": len(s.turns)}
        typed = step.turn.get("typed")
        if typed:  # a typed reply: the chat shows their words with the option understood
            extra.update(typed=typed["text"], confirmed=typed["confirmed"])
        self.events.append(Event("learner", step.turn["text"], extra))
        if not self.assess:
            if step.feedback:
                self.events.append(Event("feedback", step.feedback, {"turn": len(s.turns)}))
            from simulator.engine.mood import mood_change_word, mood_word

            self.events.append(
                Event(
                    "mood",
                    f"{mood_change_word(step.mood_before, step.mood_after)}"
                    f" — now {mood_word(step.mood_after)}",
                    {"before": step.mood_before, "after": step.mood_after},
                )
            )
        if step.diverted_by_rule:
            self.events.append(Event("system", "The conversation took a turn."))
        if s.note:
            self.events.append(Event("note", s.note))
        self.events.append(Event("customer", s.line, {"mood": s.mood}))
        if s.ended:
            self._ending_events()

    def _ending_events(self) -> None:
        s = self.session
        self.events.append(Event("ending", s.outcome or "", {"debrief": s.debrief}))

    # -- saving ----------------------------------------------------------------------------------
    def _safe(self, fn, default: Any):
        """Run a store call; on StoreError remember the message and carry on unsaved."""
        from simulator.store import StoreError

        try:
            return fn()
        except StoreError as exc:
            self.store_problem = f"Not saved: {exc}"
            self.store = None
            return default

    def _save_choice(self, turn: int, record: dict) -> None:
        if self.store is None or self.attempt_id is None:
            return
        self._safe(
            lambda: self.store.record_choice(self.attempt_id, turn, record["choice"], record), None
        )

    def _finish_if_ended(self) -> None:
        if not self.ended or self.result is not None:
            return
        s = self.session
        score = None
        score_problem = None
        try:
            from scoring.scorer import score as score_fn

            score = score_fn(self.scenario, s.transcript())
        except ImportError as exc:  # the scorer is not installed in this checkout
            score_problem = f"scoring is unavailable: {exc}"
        except Exception as exc:  # noqa: BLE001 - a scorer failure must not lose the attempt
            score_problem = f"scoring failed: {type(exc).__name__}: {exc}"
        transcript = s.transcript(score)
        transcript["ending_line"] = s.line
        transcript["ending_debrief"] = s.debrief
        transcript["mode"] = self.mode
        self.result = {"transcript": transcript, "score": score, "score_problem": score_problem}
        if self.store is not None and self.attempt_id is not None:
            self._safe(
                lambda: self.store.finish_attempt(
                    self.attempt_id,
                    ending=s.ending,
                    outcome=s.outcome,
                    final_mood=s.mood,
                    transcript=transcript,
                    score=score,
                ),
                None,
            )

    def write_transcript(self, out: str | Path) -> Path:
        """Write the finished transcript (with its score) as JSON; returns the path."""
        if self.result is None:
            raise PlayProblem("the conversation has not ended yet; nothing to write")
        p = Path(out)
        try:
            p.write_text(
                json.dumps(self.result["transcript"], indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            raise PlayProblem(
                f"cannot write the transcript to {p}: {exc.strerror or exc}"
            ) from None
        return p

    # -- retry, replay and live reload ------------------------------------------------------------
    def retry_from(self, turn: int) -> ReplayReport:
        """Practice mode: a new attempt replaying the first ``turn - 1`` choices, same seed."""
        if self.assess:
            raise PlayProblem(
                "retrying from a turn is for practice mode; assessment attempts are played once"
            )
        keep = self.choices[: max(0, turn - 1)]
        return self.start(replay=keep)

    def replay_from_start(self, seed: int | None = None) -> None:
        """A new attempt from the beginning (a new seed unless one is given)."""
        self.seed = new_seed() if seed is None else seed
        self.start()

    def reload(self) -> ReplayReport:
        """Re-read the file (live preview): rebuild, replay the choices that still fit.

        Raises PlayProblem (with diagnostics) when the file now has errors; the current session
        is then left as it was.
        """
        from simulator.engine.session import Runtime

        scenario, _ = load(self.path)
        ids = self.choices
        old = (self.scenario, self.runtime)
        self.scenario, self.runtime = scenario, Runtime(scenario)
        try:
            report = self._fresh_session(ids)
        except PlayProblem:
            self.scenario, self.runtime = old
            self._fresh_session(ids)
            raise
        if self.store is not None and self.attempt_id is not None and not report.complete:
            self._safe(lambda: self.store.truncate_choices(self.attempt_id, report.kept), None)
        self._finish_if_ended()
        return report
