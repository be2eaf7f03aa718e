"""The coach strip: the coaching for the last choice, kept in sight on small terminals.

At 80x24 the chat has room for the customer's reply and little else, so the Coach's words and
the mood change for the choice just made would scroll above the fold. A strip between the chat
and the options repeats them until the next choice (the chat keeps them too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..text import Piece, join, literal

if TYPE_CHECKING:
    from textual.widgets import Static

    from ..controller import Event
    from .chat import ChatView


def show_coach(
    coach: Static, chat: ChatView, events: Sequence[Event], *, small: bool, ended: bool
) -> None:
    room = chat.size.height + (coach.outer_size.height if coach.display else 0)
    fits = chat.size.height > 0 and chat.lines_since_last("learner") <= room
    parts: list[Piece] = []
    if small and not fits and not ended:
        for ev in reversed(events):
            if ev.kind == "learner":
                break
            if ev.kind == "feedback":
                parts[:0] = [("Coach: ", "bold $text-success"), literal(ev.text)]
            elif ev.kind == "mood":
                parts += [("  Mood: ", "bold"), literal(ev.text)]
    coach.display = bool(parts)
    if parts:
        coach.update(join(*parts))
