"""The learner's numbered choices: 1–9 on the keyboard, arrows + Enter, or a click.

A long option wraps with its continuation lines indented under the text, not under the number,
so each option reads as one block at 80 columns. Textual wraps a prompt flush left, so the list
wraps the text itself to its own width, and again when that width changes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.engine.i18n import gettext as tr

from ..text import literal

if TYPE_CHECKING:
    from simulator.exercise.views import OptionView

NUMBER_WIDTH = 3  # "9  " — the number and the gap before its text


class ChoiceList(OptionList):
    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 12; border: round $primary; }
    ChoiceList:focus { border: round $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = tr("Your reply")
        self.numbers: list[int] = []
        self._offered: list[tuple[int, str]] = []
        self._wrapped_at = 0

    def _text_width(self) -> int:
        """Columns for an option's text (0 before the list has been laid out)."""
        width = self.scrollable_content_region.width
        return max(0, width - NUMBER_WIDTH - 2)  # the option's own padding

    def _prompt(self, number: int, text: str, width: int) -> Content:
        body = literal(text)
        if width >= 20 and len(body.plain) > width:
            lines = textwrap.wrap(body.plain, width, break_on_hyphens=False) or [""]
            body = Content(("\n" + " " * NUMBER_WIDTH).join(lines))
        return Content.assemble((f"{number}", "bold $text-accent"), " " * (NUMBER_WIDTH - 1), body)

    def show_choices(self, offered: Sequence[OptionView]) -> None:
        self.numbers = [o.number for o in offered]
        self._offered = [(o.number, o.text) for o in offered]
        self._draw()
        if offered:
            self.highlighted = 0

    def _draw(self) -> None:
        width = self._text_width()
        self._wrapped_at = width
        highlighted = self.highlighted
        self.set_options(
            Option(self._prompt(n, text, width), id=f"n{n}") for n, text in self._offered
        )
        if highlighted is not None and highlighted < len(self._offered):
            self.highlighted = highlighted

    def on_resize(self, event: events.Resize) -> None:
        if self._offered and self._text_width() != self._wrapped_at:
            self._draw()
