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

from simulator.engine.i18n import N_, translated
from simulator.engine.i18n import gettext as _

from ..text import Piece, join, literal
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from simulator.store import AttemptRecord

    from ..app import CounterTalkApp

STYLE = {"met": "bold $text-success", "missed": "bold $text-error", "not_yet": "$text-muted"}


class ProgressScreen(Screen[None]):
    app: CounterTalkApp  # shown only by the CounterTalk app (its store, learner and pack)

    DEFAULT_CSS = """
    .progress-row { height: auto; }
    .progress-status { width: auto; min-width: 9; padding-right: 1; }
    .progress-point { width: 1fr; }
    .progress-element { margin-top: 1; text-style: bold underline; }
    #progress-next { margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="progress.back"),
        Binding("n", "play_next", N_("Play next"), id="progress.next"),
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
        from simulator.attempt import default_learner

        # The login name (often "root" on a lab machine) is no learner's name: say "your".
        named = app.learner != default_learner()
        self.title = (
            _("Progress map for {who}").format(who=app.learner) if named else _("Your progress map")
        )
        self.sub_title = ""
        body = self.query_one("#progress-body", VerticalScroll)
        body.mount(Static(_("Reading your attempts and the pack…"), id="progress-loading"))
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

    def _compute(self, attempts: list[AttemptRecord], pack: Path) -> None:
        from simulator.activities.progress import (
            entry_titles,
            pack_entries,
            progress_map,
            rescorer,
        )

        entries, _problems = pack_entries(pack)
        result = progress_map(attempts, entries, rescorer(pack))
        titles = entry_titles(entries)
        self.app.call_from_thread(self._show, {e.id: e for e in entries}, result, titles)

    def _show(
        self, entries: dict[str, Any], result: dict[str, Any], titles: dict[str, str]
    ) -> None:
        from simulator.activities.progress import marks

        self.entries = entries
        self.map = result
        word = marks()
        width = max(len(w) for w in word.values())
        c = self.map["counts"]
        rows: list[Widget] = [
            Static(
                join(
                    (
                        _("{met} met · {missed} missed · {not_yet} not yet tried").format(
                            met=c["met"], missed=c["missed"], not_yet=c["not_yet"]
                        ),
                        "bold",
                    )
                ),
                markup=False,
            ),
            # What "met" needs, said on screen (the same sentence as `countertalk progress`).
            Static(literal(translated(self.map.get("met_needs") or "")), markup=False),
        ]
        for el in self.map["elements"]:
            rows.append(
                Static(literal(translated(el["title"])), classes="progress-element", markup=False)
            )
            for p in el["points"]:
                rows.append(
                    Horizontal(
                        Static(
                            join((word[p["status"]].ljust(width), STYLE[p["status"]])),
                            classes="progress-status",
                            markup=False,
                        ),
                        Static(
                            literal(translated(p["text"])), classes="progress-point", markup=False
                        ),
                        classes="progress-row",
                    )
                )
        parts: list[Piece] = [(_("Next, for the weakest points"), "bold")]
        for s in self.map["next"]:
            name = titles.get(s["do"], s["do"])
            parts += ["\n• ", literal(name, "bold"), " — ", literal(translated(s["text"]))]
        if self.map["next"]:
            parts += ["\n\n", (_("n: play the first suggestion   Esc: back"), "italic")]
        else:
            parts += ["\n" + _("Every marking point met.")]
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
        from pathlib import Path

        from .picker import PickerScreen

        # Back to the picker (or the first screen) before opening the next exercise, so the one
        # just finished is not left under it: Esc from the next one then returns to the list.
        app = self.app
        while len(app.screen_stack) > 1 and not isinstance(app.screen, PickerScreen):
            app.pop_screen()
        app.open_entry(Path(entry.path), entry.kind)
