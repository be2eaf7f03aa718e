"""The one recording policy for every kind of exercise, and the one way to open the store.

- An attempt exists from its first answer: merely opening a scenario or an activity leaves
  nothing behind (no "unfinished, turn 1" to offer for resuming, no empty activity row).
- Each answer is one short store transaction (autosave): what a learner did survives a kill -9,
  and a web worker that answers for many learners holds no lock between requests.
- A store that fails (``StoreError``, or the database or file system underneath it) is said once
  in :attr:`Recording.problem` and the exercise carries on unsaved — never a crash.

Conversations (:mod:`simulator.attempt`) and activities (:mod:`simulator.exercise.activity`)
both record through a :class:`Recording`, so the two kinds cannot drift apart again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from simulator.engine.i18n import Said, gettext
from simulator.store.errors import StoreError

if TYPE_CHECKING:
    from simulator.store import Store

T = TypeVar("T")

# What a failing store raises: its own error, or the database driver's and the OS's underneath.
STORE_FAILURES: tuple[type[BaseException], ...] = (StoreError, sqlite3.Error, OSError)


def not_saved(problem: object) -> str:
    """What a front end says once when the store fails: "Not saved: WHY", in the learner's
    language (WHY is the store's own sentence, itself translated where the store raises it)."""
    return str(Said("Not saved: {problem}", problem=problem))


def not_saving(problem: str) -> str:
    """The same, said before an activity begins ("Not saving: WHY"): the "Not saved:" of
    :func:`not_saved` (in whichever language it was made) becomes "Not saving:"."""
    for lead in (gettext("Not saved:"), "Not saved:"):
        if problem.startswith(lead):
            return gettext("Not saving:") + problem[len(lead) :]
    return problem


def open_store(location: str | Path | None = None) -> tuple[Store | None, BaseException | None]:
    """(Store, None), or (None, why) when the results store cannot be used: the one way every
    front end opens it (``location`` None: ``$COUNTERTALK_DB``, ``$COUNTERTALK_HOME`` or the
    platform's user data folder, see :mod:`simulator.store.errors`). ``why`` is the exception:
    its message is said in the language current when it is shown (engine.i18n.Said)."""
    from simulator.store import Store

    try:
        return Store(location) if location is not None else Store(), None
    except STORE_FAILURES as exc:
        return None, exc


@dataclass(frozen=True)
class AttemptFields:
    """What the store's attempt row is made of, known before the first answer."""

    exercise_id: str
    content_hash: str
    path: str
    learner: str
    seed: int
    mode: str
    class_session: str | None = None
    team: str | None = None


class Recording:
    """One attempt's row in the results store, kept by the policy above.

    ``store`` None means unsaved (``--no-save``, or a store that failed). Call :meth:`expect`
    when a new attempt begins; the row is created by the first :meth:`answered`.
    """

    def __init__(self, store: Store | None = None, *, attempt_id: int | None = None) -> None:
        self.store = store
        self.attempt_id = attempt_id
        self.pending: Callable[[], AttemptFields] | None = None
        self.problem: str | None = None  # "Not saved: …", for a front end to say once
        self.failure: str | None = None  # the store's own words for it
        # Every write made, in order: ("choice", turn, choice id, recorded at) for a saved
        # answer, (kind,) for any other. A front end that knew the row before can tell what
        # it is now without reading it again (the web, simulator/web/play.py).
        self.writes: list[tuple[Any, ...]] = []

    @property
    def saving(self) -> bool:
        return self.store is not None and (self.attempt_id is not None or self.pending is not None)

    def safe(self, fn: Callable[[], T], default: T) -> T:
        """Run a store call; when the store fails, say so once and carry on unsaved."""
        try:
            return fn()
        except STORE_FAILURES as exc:
            self.failure = f"{exc}"
            self.problem = not_saved(exc)
            self.store = None
            return default

    def take_problem(self) -> str | None:
        """The store problem not yet shown (then forgotten, so it is said once)."""
        problem, self.problem = self.problem, None
        return problem

    def expect(self, fields: Callable[[], AttemptFields] | None) -> None:
        """A new attempt: no row yet; the first answer makes one from ``fields()``."""
        self.attempt_id = None
        self.pending = fields if self.store is not None else None

    def _begin(self) -> None:
        fields, self.pending = self.pending, None
        store = self.store
        if fields is None or store is None:
            return
        f = fields()
        self.writes.append(("begin",))
        self.attempt_id = self.safe(
            lambda: store.start_attempt(
                scenario_id=f.exercise_id,
                scenario_hash=f.content_hash,
                scenario_path=f.path,
                learner=f.learner,
                seed=f.seed,
                mode=f.mode,
                **(
                    {"class_session": f.class_session, "team": f.team}
                    if f.class_session is not None
                    else {}
                ),
            ),
            None,
        )

    def answered(self, turn: int, choice: str, record: dict[str, Any]) -> None:
        """Autosave one answer (turn from 1), creating the attempt with its first one."""
        if self.pending is not None:
            self._begin()
        store, attempt_id = self.store, self.attempt_id
        if store is None or attempt_id is None:
            return
        at = self.safe(lambda: store.record_choice(attempt_id, turn, choice, record), None)
        self.writes.append(("choice", turn, choice, at) if at is not None else ("failed",))

    def truncate(self, kept: int) -> None:
        """Forget the answers after the first ``kept`` (undo, retry, a reload that misfits)."""
        store, attempt_id = self.store, self.attempt_id
        if store is not None and attempt_id is not None:
            self.writes.append(("truncate",))
            self.safe(lambda: store.truncate_choices(attempt_id, kept), None)

    def finish(
        self,
        *,
        ending: str | None,
        outcome: str | None,
        final_mood: int | None,
        transcript: dict[str, Any],
        score: dict[str, Any] | None,
    ) -> None:
        store, attempt_id = self.store, self.attempt_id
        if store is None or attempt_id is None:
            return
        self.writes.append(("finish",))
        self.safe(
            lambda: store.finish_attempt(
                attempt_id,
                ending=ending,
                outcome=outcome,
                final_mood=final_mood,
                transcript=transcript,
                score=score,
            ),
            None,
        )

    def abandon(self) -> None:
        """Left before the end: kept for the record, no longer offered for resuming."""
        store, attempt_id = self.store, self.attempt_id
        self.pending = None
        if store is not None and attempt_id is not None:
            self.writes.append(("abandon",))
            self.safe(lambda: store.abandon_attempt(attempt_id), None)
