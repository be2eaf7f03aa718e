"""The customer's mood across the conversation: one bar per turn, with the number and the word."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import Static

from simulator.engine.i18n import gettext as tr
from simulator.engine.mood import mood_band

from ..text import Piece, join, literal
from .mood_meter import _BAND_STYLE

if TYPE_CHECKING:
    from simulator.exercise.views import DebriefMood


class MoodCurve(Static):
    DEFAULT_CSS = """
    MoodCurve { height: auto; }
    """
    BAR = 20

    def __init__(self, mood: DebriefMood, **kw: Any) -> None:
        super().__init__(self._content(mood), markup=False, **kw)

    @classmethod
    def _content(cls, mood: DebriefMood) -> Content:
        parts: list[Piece] = [
            (tr("From "), ""),
            literal(mood.start_word, "bold"),
            (tr(" ({start}) to ").format(start=mood.start), ""),
            literal(mood.end_word, "bold"),
            (f" ({mood.end})", ""),
        ]
        if mood.change:
            parts += [(" — ", ""), literal(mood.change, "italic")]
        for p in mood.points:
            m = int(p.mood)
            word = str(p.word)
            filled = round(m * cls.BAR / 100)
            style = _BAND_STYLE.get(mood_band(m), "$primary")
            label = tr("start ") if p.turn == 0 else tr("turn {n} ").format(n=p.turn)
            parts += [
                "\n",
                (f"{label:>8}", "$text-muted"),
                ("█" * filled, style),
                ("░" * (cls.BAR - filled), "$foreground 20%"),
                (f" {m:>3} ", ""),
                literal(word, "bold"),
            ]
        return join(*parts)
