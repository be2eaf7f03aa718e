"""A scoring model's steps in order, each with the turn it was first shown (or a clear 'missing').

Marks are words and symbols together (✓ turn 2 / ✗ not shown), never colour alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import Static

from simulator.engine.i18n import gettext as tr

from ..text import Piece, join, literal

if TYPE_CHECKING:
    from simulator.exercise.views import DebriefModel


class ModelTimeline(Static):
    DEFAULT_CSS = """
    ModelTimeline { height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, model: DebriefModel, **kw: Any) -> None:
        super().__init__(self._content(model), markup=False, **kw)

    @staticmethod
    def _content(m: DebriefModel) -> Content:
        parts: list[Piece] = [
            literal(m.name if m.name is not None else m.id, "bold"),
            (f"  {m.percent}%", "bold $text-accent"),
        ]
        if m.summary:
            parts += ["\n", literal(m.summary, "italic $text-muted")]
        for i, step in enumerate(m.steps):
            turn = step.turn
            parts.append("\n")
            parts.append((f"{i + 1}. ", "$text-muted"))
            if turn is not None:
                parts += [
                    ("✓ ", "bold $text-success"),
                    literal(step.label, "bold"),
                    (tr(" — turn {n}").format(n=turn), "$text-success"),
                ]
                if step.by:
                    # shown first by another behaviour, as the text debrief says (review 25aq)
                    parts.append((tr(", by {by}").format(by=step.by), "$text-success"))
            else:
                parts += [
                    ("✗ ", "bold $text-error"),
                    literal(step.label, "bold"),
                    (tr(" — not shown"), "$text-error"),
                ]
            if step.description:
                parts += [("  ", ""), literal(step.description, "$text-muted")]
        if m.order_note:
            # a warning only for steps shown out of order; "order does not matter" is no fault
            mark = ("⚠ ", "$text-warning") if m.in_order is False else ("✓ ", "$text-success")
            parts += ["\n", mark, literal(m.order_note)]
        return join(*parts)
