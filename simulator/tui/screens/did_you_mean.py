""" "Did you mean …?": the confirm step for a typed reply the matcher is unsure of.

Enter or y takes the first suggestion (1 or 2 picks one of two); n or Esc declines, and the play
screen then shows the numbered options. Nothing is taken until the learner says yes.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..text import join, literal


class DidYouMean(ModalScreen[Any]):
    DEFAULT_CSS = """
    DidYouMean { align: center bottom; }
    DidYouMean > Vertical {
        width: 1fr; max-width: 96; height: auto; max-height: 14;
        border: round $accent; background: $panel; padding: 0 1; margin: 0 1 1 1;
    }
    DidYouMean .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter,y", "yes", "Yes", id="mean.yes"),
        Binding("1", "pick(0)", "First", show=False, id="mean.first"),
        Binding("2", "pick(1)", "Second", show=False, id="mean.second"),
        Binding("n,escape", "no", "No: show the options", id="mean.no"),
    ]

    def __init__(self, typed: str, suggestions: Any) -> None:
        super().__init__()
        self.typed = typed
        self.suggestions = tuple(suggestions)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Did you mean…?"
            yield Static(join(("You typed: ", "bold"), literal(f"\u201c{self.typed}\u201d")))
            if len(self.suggestions) == 1:
                yield Static(join(("Did you mean: ", "bold"), literal(self.suggestions[0].text)))
                keys = "Enter or y: yes  ·  n or Esc: no, show the options"
            else:
                yield Static(join(("Did you mean:", "bold")))
                for i, o in enumerate(self.suggestions, 1):
                    yield Static(join((f" {i}  ", "bold $text-accent"), literal(o.text)))
                keys = "Enter or y: the first  ·  2: the second  ·  n or Esc: show the options"
            yield Static(keys, classes="keys", markup=False)

    def action_yes(self) -> None:
        self.dismiss(self.suggestions[0])

    def action_pick(self, index: int) -> None:
        if index < len(self.suggestions):
            self.dismiss(self.suggestions[index])

    def action_no(self) -> None:
        self.dismiss(None)
