"""The exercise service: the one place an exercise — a conversation or an activity — is started,
resumed, answered, undone, finished and scored, for every front end.

A front end is an adapter. It turns what the person did into one call here and draws what comes
back: typed, immutable read models (:mod:`.views`) and events (opened, stepped, needs confirm,
not understood, ended) that listeners also receive. It never touches a session, a scenario or a
store. ::

    service = ExerciseService()                       # opens the store on first use
    ex = service.start("kettle-refund", learner="sam")  # or service.resume(attempt_id)
    view = service.view(ex)                           # TurnView: line, options, mood …
    event = service.answer(ex, Pick(1))               # or Say("so sorry"), Confirm(2), PickMany
    service.undo(ex); service.retry_from(ex, 2)
    service.score(ex); service.debrief(ex); service.transcript(ex)

State lives in the store, not in the service: ``resume(attempt_id)`` rebuilds an exercise from
the saved seed and answers alone (deterministically), so a web page's stateless workers can each
take one request, and each answer is one short transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.engine.format import CONVERSATION_MODES
from simulator.engine.i18n import Said
from simulator.engine.i18n import gettext as tr

from .kinds import Exercise, ExerciseProblem
from .recording import Recording, not_saving, open_store
from .views import (
    DEBRIEF_FORMATS,
    AttemptSummary,
    ChatLine,
    Debrief,
    DebriefView,
    Event,
    ExerciseInfo,
    Opened,
    Replayed,
    Score,
    Stepped,
    Transcript,
    TurnView,
)

if TYPE_CHECKING:
    from simulator.activities.model import Activity
    from simulator.engine.checked import CheckResult
    from simulator.engine.model import Scenario
    from simulator.engine.session import Runtime
    from simulator.store import AttemptRecord, Store

    from .conversation import Conversation
    from .views import Answer

Listener = Callable[[Event], None]

# The modes of a conversation (defined once, in engine/format.py); an activity is played in
# "activity" (or "classroom") mode.
MODES = CONVERSATION_MODES

# not_saving: how a front end says, before an exercise begins, that nothing will be saved (in
# the learner's language); front ends take it from the service, never from the recording.
__all__ = ["MODES", "Exercise", "ExerciseProblem", "ExerciseService", "Listener", "not_saving"]


class ExerciseService:
    """Start, resume and drive exercises; record them by the one policy (:mod:`.recording`).

    ``store``: a store already open, or None to open one on first use from ``location`` (None:
    the default location). ``save=False`` records nothing (``--no-save``). ``pack``: where an id
    is looked for (default: the shipped pack).
    """

    def __init__(
        self,
        store: Store | None = None,
        *,
        location: str | Path | None = None,
        save: bool = True,
        pack: str | Path | None = None,
    ) -> None:
        self._store = store
        self._opened = store is not None or not save
        self.location = location
        self.save = save
        self.pack = pack
        # why the store could not be opened (said in the language current when it is read)
        self._store_problem: Said | str | None = None
        self._listeners: list[Listener] = []

    # -- the store, opened one way ------------------------------------------------------------------
    @property
    def store_problem(self) -> str | None:
        """Why the results store cannot be used ("Not saved: …"), in the current language: a web
        process opens it once, before any learner's request, and each learner reads it in theirs."""
        return None if self._store_problem is None else str(self._store_problem)

    @store_problem.setter
    def store_problem(self, problem: str | None) -> None:
        self._store_problem = problem

    @property
    def store(self) -> Store | None:
        """The results store (opened on first use), or None when not saving or unusable."""
        if not self._opened:
            self._opened = True
            self._store, problem = open_store(self.location)
            if problem:
                self._store_problem = Said("Not saved: {problem}", problem=problem)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- events ---------------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event; returns the function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, event: Event, ex: Exercise) -> Event:
        """Give the event to every listener. A store problem is in one event's view only: it
        is said once, then forgotten (saving has stopped; play goes on)."""
        ex.recording.take_problem()
        for listener in list(self._listeners):
            listener(event)
        return event

    def _opened_event(self, ex: Exercise) -> TurnView:
        view = ex.view()
        self._emit(Opened(view), ex)
        return view

    # -- loading --------------------------------------------------------------------------------------
    def locate(self, target: str | Path) -> Path:
        """The file for a path or an id in the pack (ExerciseProblem when there is none)."""
        from simulator.activities.files import resolve as resolve_activity

        found = resolve_activity(str(target), self.pack)
        if found is not None:
            return found
        path = Path(target)
        if path.is_file():
            return path
        from simulator.engine.pack import resolve

        try:
            return Path(resolve(str(target), self.pack))
        except FileNotFoundError as exc:
            raise ExerciseProblem(str(exc)) from None

    def load(
        self,
        target: str | Path,
        *,
        learner: str,
        mode: str = "practice",
        seed: int | None = None,
        class_session: str | None = None,
        team: str | None = None,
        checked: tuple[Scenario, CheckResult] | None = None,
        activity: Activity | None = None,
        record_later: bool = False,
    ) -> Exercise:
        """The exercise in a file (or an id), checked and built, not yet started.

        ``checked``: the scenario already checked (the app checks the file while Textual starts,
        tui/preload.py); ``activity``: the activity already loaded. ``record_later``: do not
        open the store now (the app opens it after its first frame, then calls
        :meth:`attach_store`); an answer before that is recorded all the same."""
        from simulator.activities.files import is_activity_file
        from simulator.attempt import new_seed

        path = self.locate(target) if activity is None else Path(activity.source or target)
        seed = new_seed() if seed is None else int(seed)
        store = None if record_later and not self._opened else self._recording_store()
        if activity is not None or is_activity_file(path):
            from simulator.activities.lint import ActivityError, load_activity

            from .activity import ActivityExercise

            if activity is None:
                try:
                    activity = load_activity(path)
                except ActivityError as exc:
                    lines = [str(d) for d in exc.diagnostics if d.severity == "error"]
                    raise ExerciseProblem(
                        tr(
                            "{path} has errors; fix them (see 'countertalk lint {path}') and try "
                            "again"
                        ).format(path=path),
                        lines,
                    ) from None
            return ActivityExercise(
                activity,
                learner=learner,
                seed=seed,
                mode="classroom" if mode == "classroom" else "activity",
                recording=Recording(store),
                class_session=class_session,
            )
        from simulator.engine.session import Runtime

        from .conversation import ChattingAttempt, Conversation

        if mode not in MODES:
            raise ExerciseProblem(
                tr("a conversation's mode is one of {modes}").format(modes=", ".join(MODES))
            )
        attempt = ChattingAttempt(
            path,
            learner=learner,
            mode=mode,
            seed=seed,
            class_session=class_session,
            team=team,
            runtime=Runtime(checked[0]) if checked is not None else None,
        )
        if checked is None:
            attempt.load()  # the file first: a file with errors opens no store
        if not record_later or self._opened:
            attempt.store = self._recording_store()
        return Conversation(attempt)

    def load_on(
        self,
        runtime: Runtime,
        *,
        learner: str,
        mode: str = "practice",
        seed: int | None = None,
        path: str | Path | None = None,
        class_session: str | None = None,
        team: str | None = None,
    ) -> Conversation:
        """A conversation on a scenario already checked and built, not yet started.

        The classroom gives each team one of these on the same ``runtime``: the teams' sessions
        are small models on one shared machine, not one machine each. ``path`` is the file it
        came from, kept with the attempt (None: unknown). It records by the one policy, like
        every exercise the service loads."""
        from simulator.attempt import new_seed

        from .conversation import ChattingAttempt, Conversation

        if mode not in MODES:
            raise ExerciseProblem(
                tr("a conversation's mode is one of {modes}").format(modes=", ".join(MODES))
            )
        attempt = ChattingAttempt(
            path or None,
            learner=learner,
            mode=mode,
            seed=new_seed() if seed is None else int(seed),
            store=self._recording_store(),
            runtime=runtime,
            class_session=class_session,
            team=team,
        )
        return Conversation(attempt)

    def _recording_store(self) -> Store | None:
        return self.store if self.save else None

    def attach_store(self, ex: Exercise) -> str | None:
        """Give an exercise loaded with ``record_later`` the store (opened now if it is not
        yet): recorded from its first answer, exactly as if the store had been there from the
        start. Returns the store problem to say, if it cannot be used."""
        store = self._recording_store()
        ex.attach_store(store)
        return self.store_problem

    # -- starting -------------------------------------------------------------------------------------
    def start(
        self,
        target: str | Path,
        *,
        learner: str,
        mode: str = "practice",
        seed: int | None = None,
        class_session: str | None = None,
        team: str | None = None,
    ) -> Exercise:
        """A new attempt (recorded from its first answer); emits Opened."""
        ex = self.load(
            target, learner=learner, mode=mode, seed=seed, class_session=class_session, team=team
        )
        self.begin(ex)
        return ex

    def begin(self, ex: Exercise) -> TurnView:
        """Start a loaded exercise: a new attempt (recorded from its first answer); emits
        Opened."""
        ex.start()
        return self._opened_event(ex)

    def resume(
        self,
        attempt_id: int,
        stored: tuple[AttemptRecord, list[dict[str, Any]]] | None = None,
    ) -> Exercise:
        """A saved attempt rebuilt from the store alone: its file, seed and answers, replayed
        (the same seed and answers always give the same exercise). Answers that no longer fit a
        changed file are dropped from the record; a finished attempt comes back ended.
        ``stored``: the attempt and its turn records, when the caller has just read them
        (``Store.attempt_and_records``: the web reads them once a request, not twice)."""
        store = self.store
        if store is None:
            raise ExerciseProblem(self.store_problem or tr("your saved attempts cannot be read"))
        record, records = stored if stored is not None else self._stored(store, attempt_id)
        path = Path(record.scenario_path)
        if not record.scenario_path or not path.is_file():
            raise ExerciseProblem(
                tr(
                    "attempt {attempt}'s file ({path}) is not there any more; start a new attempt"
                ).format(attempt=attempt_id, path=record.scenario_path or tr("unknown"))
            )
        ex = self.load(
            path,
            learner=record.learner,
            mode=record.mode,
            seed=record.seed,
            class_session=record.class_session,
            team=record.team,
        )
        ex.resume(record, records)
        self._opened_event(ex)
        return ex

    def _stored(self, store: Store, attempt_id: int) -> tuple[AttemptRecord, list[dict[str, Any]]]:
        """The saved attempt and its turn records (one read each; a failing store is said)."""
        rec = Recording(store)
        try:
            found = rec.safe(
                lambda: (store.attempt(attempt_id), store.turn_records(attempt_id)), None
            )
        except KeyError:
            found = None
            rec.problem = None
            raise ExerciseProblem(
                tr("there is no saved attempt {attempt}").format(attempt=attempt_id)
            ) from None
        if found is None:
            raise ExerciseProblem(rec.problem or tr("your saved attempts cannot be read"))
        return found

    def unfinished(self, ex: Exercise) -> AttemptSummary | None:
        """The learner's latest unfinished attempt at this exercise (loaded, see :meth:`load`),
        for offering to resume; None when there is none or the store cannot be read."""
        store = self.store
        if store is None:
            return None
        rec = Recording(store)
        found = rec.safe(
            lambda: store.latest_unfinished(learner=ex.learner, scenario_id=ex.exercise_id), None
        )
        if rec.problem:
            self.store_problem = rec.problem
        if found is None:
            return None
        return AttemptSummary(
            attempt_id=found.id,
            exercise_id=found.scenario_id,
            learner=found.learner,
            mode=found.mode,
            turns=len(found.choices),
            changed=found.scenario_hash != ex.content_hash,
            finished=found.finished_at is not None,
        )

    def abandon_saved(self, attempt_id: int) -> None:
        """Mark a saved attempt abandoned without playing it (the picker's "New attempt" over
        an unfinished one): kept for the record, no longer offered for resuming."""
        store = self.store
        if store is not None:
            Recording(store, attempt_id=attempt_id).abandon()

    def replayed(self, ex: Exercise) -> Replayed | None:
        """How the last resume or reload replayed the saved answers (None before either)."""
        return ex.replayed

    def reload(self, ex: Exercise) -> Replayed:
        """Read the exercise's file again (a live preview) and replay the answers that still
        fit; ExerciseProblem (with diagnostics) when the file now has errors, and the last good
        version stays."""
        return ex.reload()

    # -- playing --------------------------------------------------------------------------------------
    def view(self, ex: Exercise) -> TurnView:
        return ex.view()

    def chat(self, ex: Exercise) -> tuple[ChatLine, ...]:
        """The conversation so far as a chat draws it (an activity has none)."""
        return ex.chat()

    def prepare_typing(self, ex: Exercise) -> None:
        """Load what matching typed lines needs (slow the first time: call it off a UI
        thread), so the first typed line is matched at once."""
        ex.prepare_typing()

    def warm(self, target: str | Path) -> bool:
        """Check a conversation's file and make its typed-reply matcher ready (fitted, its
        examples embedded) and its templates compiled, without starting anything or opening the
        store: a server does this for each conversation at start, so no learner's first typed
        reply waits tens of milliseconds for it, nor the first to reach a line for its compile. False for an activity, or a file with errors (whoever opens it is
        told why, as before)."""
        from simulator.activities.files import is_activity_file
        from simulator.attempt import AttemptProblem, load
        from simulator.engine.templating import compile_ahead
        from simulator.matching.matcher import matcher_for

        path = self.locate(target)
        if is_activity_file(path):
            return False
        try:
            scenario, _ = load(path)
        except AttemptProblem:
            return False
        matcher_for(scenario).prepare()
        compile_ahead(scenario)
        return True

    def catch_up(self, ex: Exercise, stored: tuple[AttemptRecord, list[dict[str, Any]]]) -> bool:
        """Bring an exercise kept from an earlier request up to its saved attempt, which
        another process has carried on by answers alone (see Conversation.catch_up): True
        when it now is exactly what :meth:`resume` would rebuild; False (throw it away and
        resume) when it cannot be, as for an activity."""
        from .conversation import Conversation

        return isinstance(ex, Conversation) and ex.catch_up(*stored)

    def info(self, ex: Exercise) -> ExerciseInfo:
        """What does not change while it is played (title, customer, role, intro …)."""
        return ex.info()

    def answer(self, ex: Exercise, answer: Answer) -> Event:
        """One answer, taken whole or not at all and saved in one short transaction; emits and
        returns what it led to (Stepped, NeedsConfirm, NotUnderstood or Ended). Raises
        ExerciseProblem when it cannot be taken (nothing changes then)."""
        return self._emit(ex.answer(answer), ex)

    def plays_typed(self, ex: Exercise, *, reply_mode: str | None) -> bool:
        """Typed or picked: ``--type``/``--pick`` decide when given; otherwise an assessment of
        a conversation written for recall is typed (brief fact 34, matching/recall.py)."""
        from simulator.matching.recall import plays_typed_info

        return plays_typed_info(ex.info(), assess=ex.mode == "assess", reply_mode=reply_mode)

    def show_options(self, ex: Exercise) -> TurnView:
        """Typed play: the learner asked for the options ('?'); the turn they take records it."""
        ex.show_options()
        return ex.view()

    def undo(self, ex: Exercise) -> TurnView:
        """Take back the last answer (the store forgets it)."""
        ex.undo()
        return self._stepped(ex)

    def retry_from(self, ex: Exercise, turn: int) -> TurnView:
        """Practice: answer again from ``turn``, keeping the answers before it."""
        ex.retry_from(turn)
        return self._stepped(ex)

    def restart(self, ex: Exercise, seed: int | None = None) -> TurnView:
        """A new attempt from the beginning (an unfinished one is kept, marked abandoned)."""
        from simulator.attempt import new_seed

        ex.abandon()
        ex.start(new_seed() if seed is None else seed)
        return self._opened_event(ex)

    def abandon(self, ex: Exercise) -> None:
        """Leave before the end: kept for the record, no longer offered for resuming."""
        ex.abandon()

    def _stepped(self, ex: Exercise) -> TurnView:
        view = ex.view()
        self._emit(Stepped(view), ex)
        return view

    # -- results --------------------------------------------------------------------------------------
    def transcript(self, ex: Exercise) -> Transcript:
        return ex.transcript()

    def transcript_json(self, ex: Exercise) -> str:
        return ex.transcript_json()

    def write_transcript(self, ex: Exercise, out: str | Path) -> Path:
        p = Path(out)
        try:
            p.write_text(ex.transcript_json(), encoding="utf-8")
        except OSError as exc:
            raise ExerciseProblem(
                tr("cannot write the transcript to {path}: {problem}").format(
                    path=p, problem=exc.strerror or exc
                )
            ) from None
        return p

    def score(self, ex: Exercise) -> Score | None:
        return ex.score()

    def debrief_model(self, ex: Exercise) -> DebriefView:
        """The debrief's view model, for a screen that draws it in sections (raises what
        building it raised; the attempt is saved regardless)."""
        return ex.debrief_model()

    def debrief(self, ex: Exercise, fmt: str = "text") -> Debrief:
        """The debrief as ``text``, ``md`` or ``html`` (ExerciseProblem when it cannot be
        scored)."""
        if fmt not in DEBRIEF_FORMATS:
            raise ExerciseProblem(
                tr("unknown debrief format {format}; use text, md or html").format(format=repr(fmt))
            )
        return ex.debrief(fmt)
