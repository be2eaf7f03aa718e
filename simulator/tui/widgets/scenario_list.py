"""The picker's list: one two-line entry per scenario, with the learner's best grade and any
unfinished attempt written out in words (not only colour or an icon)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..text import Piece, literal

if TYPE_CHECKING:
    from simulator.store import AttemptRecord

    from ..pack import Entry

GRADE_STYLE = {
    "distinction": "bold $text-success",
    "pass": "bold $text-primary",
    "fail": "bold $text-error",
}


class ScenarioList(OptionList):
    DEFAULT_CSS = """
    ScenarioList { height: 1fr; border: round $primary; }
    ScenarioList:focus { border: round $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.entries: list[Entry] = []

    def show_entries(
        self,
        entries: Iterable[Entry],
        grades: Mapping[str, str],
        unfinished: Mapping[str, AttemptRecord],
    ) -> None:
        keep = self.highlighted_entry
        self.entries = list(entries)
        options: list[Option] = []
        for e in self.entries:
            first: list[Piece] = [literal(e.title, "bold")]
            if e.level:
                first.append((f"  L{e.level}", "$text-muted"))
            grade = grades.get(e.id)
            if grade:
                first.append((f"  best: {grade}", GRADE_STYLE.get(grade, "bold")))
            att = unfinished.get(e.id)
            if att is not None:
                first.append((f"  ⟳ unfinished, turn {len(att.choices) + 1}", "bold $text-warning"))
            if e.problem:
                first.append(("  ⚠ cannot read", "bold $text-error"))
            second = Content.assemble(
                ("  ", ""),
                literal(e.topic, "$text-secondary"),
                (" · ", "$text-muted"),
                literal(
                    e.customer or e.learner_role
                    if e.kind == "conversation"
                    else f"{e.kind} activity",
                    "$text-muted",
                ),
            )
            options.append(Option(Content.assemble(*first, "\n", second), id=f"e{len(options)}"))
        self.set_options(options)
        if self.entries:
            idx = 0
            if keep is not None:
                idx = next((i for i, e in enumerate(self.entries) if e.path == keep.path), 0)
            self.highlighted = idx

    @property
    def highlighted_entry(self) -> Entry | None:
        if self.highlighted is None or not self.entries or self.highlighted >= len(self.entries):
            return None
        return self.entries[self.highlighted]
