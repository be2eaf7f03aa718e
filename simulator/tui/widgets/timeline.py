"""A scoring model's steps in order, each with the turn it was first shown (or a clear 'missing').

Marks are words and symbols together (✓ turn 2 / ✗ not shown), never colour alone.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from simulator.engine.i18n import gettext as tr

from ..text import Piece, join, literal


class ModelTimeline(Static):
    DEFAULT_CSS = """
    ModelTimeline { height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, model: dict[str, Any], **kw: Any) -> None:
        super().__init__(self._content(model), markup=False, **kw)

    @staticmethod
    def _content(m: dict[str, Any]) -> Content:
        parts: list[Piece] = [
            literal(m.get("name", m.get("id", "")), "bold"),
            (f"  {m.get('percent', 0)}%", "bold $text-accent"),
        ]
        if m.get("summary"):
            parts += ["\n", literal(m["summary"], "italic $text-muted")]
        for i, step in enumerate(m.get("steps") or []):
            turn = step.get("turn")
            parts.append("\n")
            parts.append((f"{i + 1}. ", "$text-muted"))
            if turn is not None:
                parts += [
                    ("✓ ", "bold $text-success"),
                    literal(step.get("label", ""), "bold"),
                    (tr(" — turn {n}").format(n=turn), "$text-success"),
                ]
            else:
                parts += [
                    ("✗ ", "bold $text-error"),
                    literal(step.get("label", ""), "bold"),
                    (tr(" — not shown"), "$text-error"),
                ]
            if step.get("description"):
                parts += [("  ", ""), literal(step["description"], "$text-muted")]
        if m.get("order_note"):
            mark = ("✓ ", "$text-success") if m.get("in_order", True) else ("⚠ ", "$text-warning")
            parts += ["\n", mark, literal(m["order_note"])]
        return join(*parts)
