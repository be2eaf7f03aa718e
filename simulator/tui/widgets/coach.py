"""The coach strip: the coaching for the last choice, kept in sight on small terminals.

At 80x24 the chat has room for the customer's reply and little else, so the Coach's words for
the choice just made would scroll above the fold. On a small screen they live in a strip between
the chat and the options until the next choice, and the chat does not repeat them (issue 30:
say each thing once, so the learner's own words and "(understood as …)" stay in view). The mood
is in the mood bar, so on a small screen neither the chat nor the strip says it again. Once the
conversation is over (or on a large screen) the chat holds everything and the strip is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..text import Piece, join, literal

if TYPE_CHECKING:
    from textual.widgets import Static

    from ..controller import Event
    from .chat import ChatView


def held_back(events: Sequence[Event], *, small: bool, ended: bool) -> frozenset[int]:
    """The events the chat does not draw: on a small screen during play, every mood line (the
    mood bar says it) and the coaching after the last choice (the strip says it)."""
    if not small or ended:
        return frozenset()
    last = max((i for i, ev in enumerate(events) if ev.kind == "learner"), default=len(events))
    return frozenset(
        i
        for i, ev in enumerate(events)
        if ev.kind == "mood" or (ev.kind == "feedback" and i > last)
    )


def show_coach(
    coach: Static,
    chat: ChatView,
    events: Sequence[Event],
    *,
    small: bool,
    ended: bool,
    notice: str | None = None,
) -> None:
    """Fill the strip (and tell the chat what not to draw). ``notice``: a word on how the attempt
    began ("Welcome back: resumed at turn 4."), said here, above the coaching, where it covers
    nothing (a toast covered options 2-3 at 80x24)."""
    held = held_back(events, small=small, ended=ended)
    parts: list[Piece] = [literal(notice, "italic")] if notice and not ended else []
    for i in sorted(held):
        if events[i].kind == "feedback":
            parts += [*(["\n"] if parts else []), ("Coach: ", "bold $text-success")]
            parts.append(literal(events[i].text))
    chat.hold(held)
    coach.display = bool(parts)
    if parts:
        coach.update(join(*parts))
