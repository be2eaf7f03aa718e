"""Choose a scenario: search by typing, filter by topic, resume an unfinished attempt."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Select, Static

from simulator.engine.i18n import gettext as tr

from ..pack import Entry, read_pack
from ..text import Piece, join, literal
from ..widgets.footer import KeyFooter
from ..widgets.scenario_list import ScenarioList

if TYPE_CHECKING:
    from textual import events

    from simulator.store import AttemptRecord

    from ..app import CounterTalkApp
    from ..commands import PaletteCommand

ALL = "__all__"


class PickerScreen(Screen[None]):
    """The first screen of `countertalk`: every scenario of the pack."""

    app: CounterTalkApp  # shown only by the CounterTalk app (its pack, store and learner)

    BINDINGS = [
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
        Binding("pagedown", "move(5)", "Page down", show=False, id="picker.pagedown"),
        Binding("pageup", "move(-5)", "Page up", show=False, id="picker.pageup"),
        Binding("enter", "open", "Play", id="picker.open", priority=True),
        Binding("ctrl+r", "resume", "Resume", id="picker.resume"),
        Binding("ctrl+t", "next_topic", "Topic", id="picker.topic"),
        Binding("escape", "clear_search", "Clear search", id="picker.clear"),
        Binding("ctrl+g", "progress", "Progress", id="picker.progress"),
    ]

    def __init__(self) -> None:
        super().__init__(id="picker")
        self.entries: list[Entry] = []
        self.grades: dict[str, str] = {}
        self.unfinished: dict[str, AttemptRecord] = {}
        self.topic = ALL

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="picker-bar"):
            yield Input(placeholder="Type to search scenarios…", id="search")
            yield Select(
                [("All topics", ALL)], value=ALL, allow_blank=False, id="topic", prompt="Topic"
            )
        with Horizontal(id="picker-main"):
            yield ScenarioList(id="scenarios")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-body", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "CounterTalk"
        self.sub_title = tr("choose a scenario")
        self.query_one("#search", Input).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.entries:
            self.reload()

    # -- data -------------------------------------------------------------------------------------
    def reload(self) -> None:
        app = self.app
        self.entries = read_pack(app.pack_dir)
        self.grades, self.unfinished = {}, {}
        store = app.get_store()
        if store is not None:
            from simulator.store import StoreError

            try:
                self.grades = store.best_grades(app.learner)
                for att in store.unfinished(learner=app.learner):
                    if att.mode == "activity":  # a knowledge check is not resumed: replayed
                        continue
                    self.unfinished.setdefault(att.scenario_id, att)  # newest first
            except StoreError as exc:
                app.store_failed(exc)
        topics = sorted({e.topic for e in self.entries})
        sel = self.query_one("#topic", Select)
        with self.prevent(Select.Changed):
            # A topic is a tutor's text: shown literally, never as markup (a shared file's
            # `topic: "[@click=app.screenshot(...)]x[/]"` must print, not act).
            sel.set_options([("All topics", ALL)] + [(literal(t), t) for t in topics])
            sel.value = self.topic if self.topic in topics else ALL
        self.refilter()
        if not self.entries:
            self.query_one("#detail-body", Static).update(
                literal(
                    f"No scenarios found in {app.pack_dir}. Give a folder of scenario files with "
                    f"--pack DIR."
                )
            )

    def visible_entries(self) -> list[Entry]:
        words = self.query_one("#search", Input).value.lower().split()
        return [
            e
            for e in self.entries
            if (self.topic == ALL or e.topic == self.topic) and e.matches(words)
        ]

    def refilter(self) -> None:
        shown = self.visible_entries()
        lst = self.query_one(ScenarioList)
        lst.show_entries(shown, self.grades, self.unfinished)
        label = "All topics" if self.topic == ALL else f"topic: {self.topic}"
        lst.border_title = literal(f"Scenarios ({len(shown)} of {len(self.entries)}, {label})")
        self.show_detail()
        self.refresh_bindings()

    def show_detail(self) -> None:
        e = self.query_one(ScenarioList).highlighted_entry
        body = self.query_one("#detail-body", Static)
        if e is None:
            body.update(literal("No scenario matches. Press Escape to clear the search."))
            return
        parts: list[Piece] = [literal(e.title, "bold"), "\n"]
        parts += [("Topic: ", "bold"), literal(e.topic)]
        if e.kind != "conversation":
            parts += [("   Activity: ", "bold"), literal(e.kind)]
        if e.level:
            parts += [("   Level: ", "bold"), f"{e.level}"]
        parts += ["\n\n", literal(e.summary), "\n\n"]
        if e.learner_role:
            parts += [("You are: ", "bold"), literal(e.learner_role), "\n"]
        if e.customer:
            parts += [("Customer: ", "bold"), literal(e.customer), "\n"]
        grade = self.grades.get(e.id)
        att = self.unfinished.get(e.id)
        if grade is None:
            grade = "not finished yet" if att is not None else "not tried yet"
        parts += [("Best grade: ", "bold"), grade, "\n"]
        if att is not None:
            parts += [
                ("\nUnfinished attempt: ", "bold $text-warning"),
                f"{len(att.choices)} choice(s) made. Ctrl+R resumes it; Enter asks.",
            ]
        if e.problem:
            parts += [("\n⚠ ", "bold $text-error"), literal(e.problem)]
        body.update(join(*parts))

    # -- events -----------------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _search(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#search")
    def _submit(self) -> None:
        self.action_open()

    @on(Select.Changed, "#topic")
    def _topic(self, event: Select.Changed) -> None:
        self.topic = str(event.value)
        self.refilter()

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _highlighted(self) -> None:
        self.show_detail()
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#scenarios")
    def _selected(self) -> None:
        self.action_open()

    # -- actions ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = self.query_one(ScenarioList).highlighted_entry if self.is_mounted else None
        if action == "open":
            # Let Enter reach the topic menu while it is open.
            focused = self.focused
            if isinstance(focused, Select) or (
                focused is not None and isinstance(focused.parent, Select)
            ):
                return False
            return entry is not None
        if action == "resume":
            return entry is not None and entry.id in self.unfinished
        if action == "clear_search":
            return bool(self.is_mounted and self.query_one("#search", Input).value)
        return True

    def action_move(self, delta: int) -> None:
        lst = self.query_one(ScenarioList)
        if not lst.entries:
            return
        cur = lst.highlighted or 0
        lst.highlighted = max(0, min(len(lst.entries) - 1, cur + delta))

    def action_next_topic(self) -> None:
        topics = [ALL] + sorted({e.topic for e in self.entries})
        self.topic = topics[
            (topics.index(self.topic) + 1) % len(topics) if self.topic in topics else 0
        ]
        sel = self.query_one("#topic", Select)
        with self.prevent(Select.Changed):
            sel.value = self.topic
        self.refilter()

    def action_clear_search(self) -> None:
        self.query_one("#search", Input).value = ""
        self.query_one("#search", Input).focus()

    def action_open(self) -> None:
        entry = self.query_one(ScenarioList).highlighted_entry
        if entry is None:
            return
        if entry.kind != "conversation":
            self.app.open_activity(entry.path)
            return
        att = self.unfinished.get(entry.id)
        if att is None:
            self.app.open_scenario(entry.path)
            return
        from .dialogs import ResumeDialog

        def chosen(answer: str | None) -> None:
            if answer == "resume":
                self.app.open_scenario(entry.path, resume_attempt=att)
            elif answer == "new":
                self.app.open_scenario(entry.path, abandon_attempt=att)

        self.app.push_screen(ResumeDialog(entry.title, len(att.choices)), chosen)

    def action_progress(self) -> None:
        self.app.open_progress()

    def action_resume(self) -> None:
        entry = self.query_one(ScenarioList).highlighted_entry
        if entry is not None and entry.id in self.unfinished:
            self.app.open_scenario(entry.path, resume_attempt=self.unfinished[entry.id])

    def palette_commands(self) -> Iterator[PaletteCommand]:
        yield ("Play the highlighted scenario", "Open it in a new attempt", self.action_open)
        yield ("Next topic", "Filter the list by the next topic", self.action_next_topic)
        yield ("Progress map", "Every marking point: met, missed, not yet", self.action_progress)
        if self.check_action("resume", ()):
            yield ("Resume unfinished attempt", "Continue where you left off", self.action_resume)
        for e in self.entries:
            yield (
                f"Play: {e.title}",
                e.summary[:80],
                functools.partial(self.app.open_entry, e.path, e.kind),
            )

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")
