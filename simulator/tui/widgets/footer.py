"""The key footer, compact below 100 columns so every key a screen offers fits at 80x24."""

from __future__ import annotations

from textual.events import Resize
from textual.widgets import Footer


class KeyFooter(Footer):
    NARROW = 100

    def on_mount(self) -> None:
        self.compact = self.app.size.width < self.NARROW

    def on_resize(self, event: Resize) -> None:
        self.compact = self.app.size.width < self.NARROW
