"""Scenario text and team names are data: they reach the projector only through `lit`.

The same rule as the app (`simulator.tui.text.literal`, over the engine's one `plain`)."""

from __future__ import annotations

from textual.content import Content

from simulator.engine.i18n import N_, gettext
from simulator.engine.text import plain

from ..text import Piece as Piece
from ..text import literal as lit

__all__ = ["lit", "outcome_word", "quoted", "role_name"]

# How a conversation ended, in the class's language (the words plain mode uses).
_OUTCOMES = {
    "resolved": N_("resolved"),
    "escalated": N_("escalated"),
    "unresolved": N_("unresolved"),
    "lost": N_("lost"),
}


def outcome_word(outcome: object) -> str:
    """'resolved' -> 'resolved' / 'wedi'i datrys': an ending as the room reads it."""
    word = _OUTCOMES.get(str(outcome))
    return gettext(word) if word else plain("" if outcome is None else str(outcome))


def role_name(role: object) -> str:
    """A role escalated to ('duty_manager') in the class's language: the course's words for it
    where the catalogue has them ('the duty manager' -> 'y rheolwr ar ddyletswydd'), else the
    id with its underscores as spaces (as the projector has always shown it in English)."""
    from scoring.debrief import role_words

    words = role_words(role)
    said = gettext(words)
    return said if said != words else plain(str(role)).replace("_", " ")


def quoted(text: object, style: str = "") -> Content:
    return lit(f"“{plain('' if text is None else str(text))}”", style)
