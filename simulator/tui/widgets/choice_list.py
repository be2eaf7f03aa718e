"""The learner's numbered choices: 1–9 on the keyboard, arrows + Enter, or a click."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..text import literal

if TYPE_CHECKING:
    from simulator.engine.session import Offered


class ChoiceList(OptionList):
    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 12; border: round $primary; }
    ChoiceList:focus { border: round $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = "Your reply"
        self.numbers: list[int] = []

    def show_choices(self, offered: Sequence[Offered]) -> None:
        self.numbers = [o.number for o in offered]
        self.set_options(
            Option(
                Content.assemble((f"{o.number}", "bold $text-accent"), "  ", literal(o.text)),
                id=f"n{o.number}",
            )
            for o in offered
        )
        if offered:
            self.highlighted = 0
