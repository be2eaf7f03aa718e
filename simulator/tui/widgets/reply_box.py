"""The reply box under the conversation: type what you would say (a bare number still picks)."""

from __future__ import annotations

from textual.widgets import Input

from simulator.engine.i18n import gettext as tr
from simulator.matching.clean import MAX_TYPED


class ReplyBox(Input):
    DEFAULT_CSS = """
    ReplyBox { border: round $primary; height: 3; }
    ReplyBox:focus { border: round $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="Type what you'd say · a number picks · ? shows the options",
            max_length=MAX_TYPED,
            id=id,
        )
        self.border_title = tr("Your reply (typed)")
