"""Who the learner is talking to: name, persona, their mood, and where the conversation is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..text import Piece, join, literal
from .mood_meter import MoodMeter


class CustomerCard(Vertical):
    DEFAULT_CSS = """
    CustomerCard {
        height: auto;
        border: round $primary;
        border-title-color: $text-primary;
        padding: 0 1;
    }
    CustomerCard > #card-name { text-style: bold; }
    CustomerCard > #card-persona { color: $text-muted; }
    CustomerCard > #card-progress { color: $text-muted; height: auto; }
    CustomerCard > #card-persona.-empty { display: none; }
    CustomerCard > #card-line { display: none; }
    CustomerCard.-compact > #card-line {
        display: block; height: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    CustomerCard.-compact > #card-name, CustomerCard.-compact > #card-persona,
    CustomerCard.-compact > #card-progress { display: none; }
    """

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        # Compact from the start when the screen knows its size: a class changed after the
        # card is styled restyles it and its children again.
        super().__init__(id=id, classes="-compact" if compact else None)

    def compose(self) -> ComposeResult:
        yield Static(id="card-line", markup=False)
        yield Static(id="card-name", markup=False)
        yield Static(id="card-persona", markup=False)
        yield MoodMeter(id="card-mood", classes="-inline" if self.has_class("-compact") else None)
        yield Static(id="card-progress", markup=False)

    def on_mount(self) -> None:
        self.border_title = Content("Customer")  # our word; no need to load the text rules yet

    def show_customer(self, name: str, persona: str | None, internal: bool) -> None:
        self.border_title = literal("Colleague" if internal else "Customer")
        self.query_one("#card-name", Static).update(literal(name))
        persona_w = self.query_one("#card-persona", Static)
        persona_w.update(literal(persona or ""))
        persona_w.set_class(not persona, "-empty")
        line: list[Piece] = [literal(name, "bold")]
        if persona:
            line += [(" — ", "$text-muted"), literal(persona, "$text-muted")]
        self.query_one("#card-line", Static).update(join(*line))

    def set_compact(self, compact: bool) -> None:
        """One line for who, one for mood: for terminals under 100 columns."""
        if compact == self.has_class("-compact"):
            return
        self.set_class(compact, "-compact")
        self.query_one(MoodMeter).set_class(compact, "-inline")
        self.query_one(MoodMeter).refresh(layout=True)

    def show_state(self, mood: int, change: str, turn: int, mode: str, saved: bool) -> None:
        meter = self.query_one(MoodMeter)
        meter.mood = mood
        meter.change = change
        mode_word = "assessment" if mode == "assess" else "practice"
        self.query_one("#card-progress", Static).update(
            join(f"Turn {turn + 1} · {mode_word}\n", "Saved" if saved else "Not saved")
        )
