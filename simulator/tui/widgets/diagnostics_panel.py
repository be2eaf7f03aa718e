"""A scenario's errors, file:line:column each, shown in place of a crash (live preview)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from ..text import join, literal


class DiagnosticsPanel(VerticalScroll):
    DEFAULT_CSS = """
    DiagnosticsPanel {
        height: auto; max-height: 50%;
        border: heavy $error; border-title-color: $text-error;
        padding: 0 1; display: none;
    }
    DiagnosticsPanel.-visible { display: block; }
    DiagnosticsPanel > Static { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Scenario errors"
        self.lines: list[str] = []

    def show_problem(self, message: str, lines: list[str]) -> None:
        self.lines = list(lines)
        self.remove_children()
        widgets = [Static(join(("✗ ", "bold $text-error"), literal(message)), markup=False)]
        widgets += [Static(join(("• ", ""), literal(line)), markup=False) for line in lines]
        widgets.append(
            Static(
                literal(
                    "Save the file again to reload; the conversation so far is kept.", "italic"
                ),
                markup=False,
            )
        )
        self.mount_all(widgets)
        self.add_class("-visible")

    def clear_problem(self) -> None:
        self.lines = []
        self.remove_children()
        self.remove_class("-visible")
