"""The progress map in the app: every course marking point by element, met / missed / not yet,
and what to play next for the weakest (the same data as `countertalk progress`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from ..text import Piece, join, literal
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from simulator.store import Attempt

    from ..app import CounterTalkApp

STYLE = {"met": "bold $text-success", "missed": "bold $text-error", "not_yet": "$text-muted"}
WORD = {"met": "met    ", "missed": "MISSED ", "not_yet": "not yet"}


class ProgressScreen(Screen[None]):
    app: CounterTalkApp  # shown only by the CounterTalk app (its store, learner and pack)

    DEFAULT_CSS = """
    .progress-row { height: auto; }
    .progress-status { width: 9; }
    .progress-point { width: 1fr; }
    .progress-element { margin-top: 1; text-style: bold underline; }
    #progress-next { margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="progress.back"),
        Binding("n", "play_next", "Play next", id="progress.next"),
    ]

    def __init__(self) -> None:
        super().__init__(id="progress")
        self.map: dict[str, Any] = {}
        self.entries: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="progress-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        app = self.app
        self.title = "Progress map"
        self.sub_title = app.learner
        body = self.query_one("#progress-body", VerticalScroll)
        body.mount(Static("Reading your attempts and the pack…", id="progress-loading"))
        body.focus()
        attempts = []
        store = app.get_store()
        if store is not None:
            from simulator.store import StoreError

            try:
                attempts = [a for a in store.attempts(learner=app.learner) if a.mode != "classroom"]
            except StoreError as exc:
                app.store_failed(exc)
        pack = app.pack_dir
        # Loading every scenario of the pack takes most of a second: off the UI thread.
        self.run_worker(lambda: self._compute(attempts, pack), thread=True, exclusive=True)

    def _compute(self, attempts: list[Attempt], pack: Path) -> None:
        from simulator.activities.progress import pack_entries, progress_map, rescorer

        entries, _ = pack_entries(pack)
        result = progress_map(attempts, entries, rescorer(pack))
        self.app.call_from_thread(self._show, {e.id: e for e in entries}, result)

    def _show(self, entries: dict[str, Any], result: dict[str, Any]) -> None:
        self.entries = entries
        self.map = result
        c = self.map["counts"]
        rows: list[Widget] = [
            Static(
                join(
                    (
                        f"{c['met']} met · {c['missed']} missed · {c['not_yet']} not yet tried",
                        "bold",
                    )
                ),
                markup=False,
            ),
            # What "met" needs, said on screen (the same sentence as `countertalk progress`).
            Static(literal(self.map.get("met_needs") or ""), markup=False),
        ]
        for el in self.map["elements"]:
            rows.append(Static(literal(el["title"]), classes="progress-element", markup=False))
            for p in el["points"]:
                rows.append(
                    Horizontal(
                        Static(
                            join((WORD[p["status"]], STYLE[p["status"]])),
                            classes="progress-status",
                            markup=False,
                        ),
                        Static(literal(p["text"]), classes="progress-point", markup=False),
                        classes="progress-row",
                    )
                )
        parts: list[Piece] = [("Next, for the weakest points", "bold")]
        for s in self.map["next"]:
            parts += ["\n• ", literal(s["do"], "bold"), " — ", literal(s["text"])]
        if self.map["next"]:
            parts += ["\n\n", ("n: play the first suggestion   Esc: back", "italic")]
        else:
            parts += ["\nEvery marking point met."]
        rows.append(Static(join(*parts), id="progress-next", markup=False))
        body = self.query_one("#progress-body", VerticalScroll)
        self.query_one("#progress-loading").remove()
        body.mount_all(rows)

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
