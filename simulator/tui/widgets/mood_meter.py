"""The customer's mood as a bar, a number and a word, so it never depends on colour alone."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from simulator.engine.i18n import gettext as tr
from simulator.engine.mood import mood_band, mood_word

from ..text import Piece

_BAND_STYLE = {
    "furious": "$error",
    "annoyed": "$error",
    "uneasy": "$warning",
    "calm": "$success",
    "pleased": "$success",
}


class MoodMeter(Widget):
    DEFAULT_CSS = """
    MoodMeter { height: 2; width: 1fr; }
    MoodMeter.-inline { height: 1; }
    """

    mood: reactive[int] = reactive(50)
    change: reactive[str] = reactive("")

    def __init__(
        self,
        mood: int = 50,
        *,
        bar_width: int = 10,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.bar_width = bar_width
        self.set_reactive(MoodMeter.mood, mood)

    def render(self) -> Content:
        return Content.assemble(
            *mood_pieces(self.mood, self.change, self.bar_width, inline=self.has_class("-inline"))
        )


def mood_pieces(
    mood: int, change: str, bar_width: int = 10, *, inline: bool = False
) -> list[Piece]:
    """ "Mood: uneasy (40/100)" and its bar (on the next line, or after it when `inline`), and the
    last change's word: what the meter shows, for any widget that draws it."""
    word = mood_word(mood)
    filled = round(mood * bar_width / 100)
    style = _BAND_STYLE[mood_band(mood)]
    parts: list[Piece] = [
        (tr("Mood: "), "bold"),
        (word, f"bold {style}"),
        (f" ({mood}/100)", ""),
        " " if inline else "\n",
        ("█" * filled, style),
        ("░" * (bar_width - filled), "$foreground 30%"),
    ]
    if change:
        parts.append((f" {change}", "italic"))
    return parts
