"""Who the learner is talking to: name, persona, their mood, and where the conversation is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..text import join, literal
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
    CustomerCard > #card-progress { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="card-name", markup=False)
        yield Static(id="card-persona", markup=False)
        yield MoodMeter(id="card-mood")
        yield Static(id="card-progress", markup=False)

    def on_mount(self) -> None:
        self.border_title = literal("Customer")

    def show_customer(self, name: str, persona: str | None, internal: bool) -> None:
        self.border_title = literal("Colleague" if internal else "Customer")
        self.query_one("#card-name", Static).update(literal(name))
        persona_w = self.query_one("#card-persona", Static)
        persona_w.update(literal(persona or ""))
        persona_w.display = bool(persona)

    def show_state(self, mood: int, change: str, turn: int, mode: str, saved: bool) -> None:
        meter = self.query_one(MoodMeter)
        meter.mood = mood
        meter.change = change
        mode_word = "assessment" if mode == "assess" else "practice"
        self.query_one("#card-progress", Static).update(join(
            f"Turn {turn + 1} · {mode_word}", " · saved" if saved else " · not saved"))
