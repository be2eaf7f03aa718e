"""The :class:`Exercise` protocol: what the service needs of a kind of exercise.

Two kinds implement it — a conversation (:mod:`.conversation`, over :mod:`simulator.attempt`)
and an activity (:mod:`.activity`, over :mod:`simulator.activities.run`). Both record through
one :class:`~.recording.Recording`, so the policy (an attempt exists from its first answer, one
short transaction per answer, a failing store means carrying on unsaved) is the same for both.
A third kind (a timed drill, a written task) implements this and nothing else changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from simulator.store import AttemptRecord, Store

    from .recording import Recording
    from .views import (
        Answer,
        ChatLine,
        Debrief,
        DebriefView,
        Event,
        ExerciseInfo,
        Replayed,
        Score,
        Transcript,
        TurnView,
    )


class ExerciseProblem(Exception):
    """Something the learner should be told in one or a few clear lines (never a traceback).

    ``diagnostics`` holds file:line:column lines when the file has errors."""

    def __init__(self, message: str, diagnostics: list[str] | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []


class Exercise(Protocol):
    """One learner's exercise, loaded from its file, ready to play and record."""

    kind: str  # views.CONVERSATION | views.ACTIVITY

    @property
    def path(self) -> Path: ...

    @property
    def learner(self) -> str: ...

    @property
    def mode(self) -> str: ...

    @property
    def seed(self) -> int: ...

    @property
    def recording(self) -> Recording: ...

    @property
    def exercise_id(self) -> str: ...

    @property
    def content_hash(self) -> str: ...

    @property
    def ended(self) -> bool: ...

    def start(self, seed: int | None = None) -> None:
        """A new attempt from the beginning, with ``seed`` if given (else the one it has);
        recorded from its first answer."""

    def resume(self, stored: AttemptRecord, records: list[dict[str, object]]) -> int:
        """Carry on a saved attempt: the same seed, its answers replayed as far as they fit;
        returns how many did (a file changed since the attempt began may cut it short)."""

    replayed: Replayed | None  # how the last resume or reload went

    def reload(self) -> Replayed:
        """Read the file again and replay the answers that still fit."""

    def attach_store(self, store: Store | None) -> None:
        """The store opened after the exercise began: record it from its first answer."""

    def prepare_typing(self) -> None:
        """Load what matching typed lines needs (a conversation's language model)."""

    def chat(self) -> tuple[ChatLine, ...]:
        """The conversation so far, line by line (an activity has none)."""

    def debrief_model(self) -> DebriefView:
        """The debrief's typed view model, for a screen that draws it in sections."""

    def info(self) -> ExerciseInfo: ...

    def view(self) -> TurnView: ...

    def answer(self, answer: Answer) -> Event:
        """Take one answer whole or not at all; autosave it; finish at the end."""

    def show_options(self) -> None:
        """Typed play: the learner asked to see the options in this turn (recorded with it)."""

    def undo(self) -> None: ...

    def retry_from(self, turn: int) -> None: ...

    def abandon(self) -> None: ...

    def transcript(self) -> Transcript: ...

    def transcript_json(self) -> str:
        """The §8 transcript file (an activity's has the same shape)."""

    def score(self) -> Score | None: ...

    def debrief(self, fmt: str = "text") -> Debrief: ...
