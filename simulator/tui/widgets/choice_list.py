"""The learner's numbered choices: 1–9 on the keyboard, arrows + Enter, or a click.

A long option wraps with its continuation lines indented under the text, not under the number,
so each option reads as one block at 80 columns. Textual wraps a prompt flush left, so the list
wraps the text itself to its own width, and again when that width changes.

On a small screen the options may not all fit under the chat and the coach strip: the play screen
then caps the list's height (:meth:`fit`) and the list scrolls, keeping the highlighted option
in view as the arrows move (OptionList does), and its title says there is more ("↓ more"), so
no option is cut off unseen below the footer.
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
        self.title = tr("Your reply")
        self.border_title = self.title
        self.numbers: list[int] = []
        self._offered: list[tuple[int, str]] = []
        self._wrapped_at = 0
        self._cap: int | None = None  # the height fit() capped the list at

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
        self._cue()

    def set_title(self, title: str) -> None:
        """The panel's title; a cue for options out of sight is added to it."""
        self.title = title
        self._cue()

    def fit(self, room: int) -> None:
        """Be at most ``room`` lines tall (border included): what the screen has left under
        the chat and the strip. Taller content scrolls instead of running off the screen.
        Until a set first does not fit, the CSS is left alone (no extra layout)."""
        room = max(room, 3)  # a border and two lines: still a list that scrolls
        if self._cap is None and self.outer_size.height <= room:
            return
        if self._cap != room:
            self._cap = room
            self.styles.max_height = room

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._cue()

    def _cue(self) -> None:
        """Say in the title which way options are out of sight (the scrollbar alone is easy to
        miss, and a -short screen draws no bottom border to show it on)."""
        more = []
        if round(self.scroll_y) > 0:
            more.append("↑")
        if round(self.scroll_y) < self.max_scroll_y:
            more.append("↓")
        words = tr("more: ↑/↓ to scroll")
        cue = f" {''.join(more)} {words}" if more else ""
        self.border_title = self.title + cue
