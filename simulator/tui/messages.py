"""What the play screen's workers tell it: typed Textual messages (toolong's `messages.py`).

A worker thread posts one of these and returns; the screen handles it on the UI thread. No
flags, no polling: the message is the signal and carries the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from simulator.exercise.views import Event

    from .controller import Play, PlayProblem


class ScenarioLoaded(Message):
    """The scenario was checked and built in a thread (``problem`` when it has errors)."""

    def __init__(self, play: Play | None, problem: PlayProblem | None) -> None:
        super().__init__()
        self.play = play
        self.problem = problem


class StoreReady(Message):
    """The results store was opened in a thread (after the first playable frame)."""


class ReplyUnderstood(Message):
    """A typed line was sent to the exercise service off the UI thread: what it led to (taken,
    "Did you mean …?", or not understood)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class ReplyFailed(Message):
    """Matching a typed line failed (a template in the scenario broke)."""

    def __init__(self, problem: PlayProblem) -> None:
        super().__init__()
        self.problem = problem


class FileChanged(Message):
    """--watch: the scenario file was saved."""
