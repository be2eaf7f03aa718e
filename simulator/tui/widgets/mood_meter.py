"""The customer's mood as a bar, a number and a word, so it never depends on colour alone."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from simulator.engine.mood import mood_word

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
        word = mood_word(self.mood)
        filled = round(self.mood * self.bar_width / 100)
        style = _BAND_STYLE[word]
        parts: list[Piece] = [
            ("Mood: ", "bold"),
            (word, f"bold {style}"),
            (f" ({self.mood}/100)", ""),
            "\n" if not self.has_class("-inline") else " ",
            ("█" * filled, style),
            ("░" * (self.bar_width - filled), "$foreground 30%"),
        ]
        if self.change:
            parts.append((f" {self.change}", "italic"))
        return Content.assemble(*parts)
