"""The progress map in the app: every course marking point by element, met / missed / not yet,
and what to play next for the weakest (the same data as `countertalk progress`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ..text import join, literal
from ..widgets.footer import KeyFooter

STYLE = {"met": "bold $text-success", "missed": "bold $text-error", "not_yet": "$text-muted"}
WORD = {"met": "met    ", "missed": "MISSED ", "not_yet": "not yet"}


class ProgressScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="progress.back"),
        Binding("n", "play_next", "Play next", id="progress.next"),
    ]

    def __init__(self) -> None:
        super().__init__(id="progress")
        self.map: dict = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress-body"):
            yield Static(id="progress-text", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        from simulator.activities.progress import pack_entries, progress_map, rescorer

        app = self.app
        self.title = "Progress map"
        self.sub_title = app.learner
        attempts = []
        store = app.get_store()
        if store is not None:
            from simulator.store import StoreError

            try:
                attempts = [a for a in store.attempts(learner=app.learner) if a.mode != "classroom"]
            except StoreError as exc:
                app.store_failed(exc)
        entries, _ = pack_entries(app.pack_dir)
        self.entries = {e.id: e for e in entries}
        self.map = progress_map(attempts, entries, rescorer(app.pack_dir))
        c = self.map["counts"]
        parts: list = [
            (f"{c['met']} met · {c['missed']} missed · {c['not_yet']} not yet tried", "bold"),
        ]
        for el in self.map["elements"]:
            parts += ["\n\n", literal(el["title"], "bold underline")]
            for p in el["points"]:
                parts += ["\n", (WORD[p["status"]], STYLE[p["status"]]), "  ", literal(p["text"])]
        parts += ["\n\n", ("Next, for the weakest points", "bold")]
        for s in self.map["next"]:
            parts += ["\n• ", literal(s["do"], "bold"), " — ", literal(s["text"])]
        if self.map["next"]:
            parts += ["\n\n", ("n: play the first suggestion   Esc: back", "italic")]
        self.query_one("#progress-text", Static).update(join(*parts))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_play_next(self) -> None:
        if not self.map.get("next"):
            return
        entry = self.entries.get(self.map["next"][0]["do"])
        if entry is None:
            return
        self.app.pop_screen()
        from pathlib import Path

        self.app.open_entry(Path(entry.path), entry.kind)
