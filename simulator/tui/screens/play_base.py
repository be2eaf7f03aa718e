"""The play screen's state and the parts every piece of it uses.

The play screen (:mod:`.play`) is built from small parts, each in its own module: loading
(:mod:`.play_loading`), typed replies (:mod:`.play_typing`), the live preview
(:mod:`.play_watch`), problems and dialogs (:mod:`.play_problems`) and the actions after a
conversation (:mod:`.play_actions`). They share the state set up here. The workflow they drive
(how an attempt begins, what a typed line is, what a reload says) is in :mod:`..play_flow`,
which knows nothing of Textual.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Static

from simulator.engine.i18n import gettext as tr

from .. import play_flow
from ..controller import Play, PlayProblem
from ..watch import FileWatcher
from ..widgets.choice_list import ChoiceList

if TYPE_CHECKING:
    from textual.geometry import Size
    from textual.timer import Timer

    from simulator.exercise.views import (
        Answer,
        AttemptSummary,
        OptionView,
        Replayed,
        TurnView,
    )
    from simulator.store import AttemptRecord

    from ..app import CounterTalkApp
    from ..widgets.diagnostics_panel import DiagnosticsPanel
    from ..widgets.reply_box import ReplyBox

Loaded = tuple[Play | None, PlayProblem | None]


class PlayBase(Screen[None]):
    app: CounterTalkApp  # shown only by the CounterTalk app (its options, store and learner)

    def __init__(
        self,
        path: Path,
        *,
        resume_attempt: AttemptRecord | None = None,
        abandon_attempt: AttemptRecord | None = None,
        from_picker: bool = False,
    ) -> None:
        super().__init__(id="play")
        self.path = Path(path)
        self.resume_attempt = resume_attempt
        self.abandon_attempt = abandon_attempt
        self.from_picker = from_picker
        self.play: Play | None = None
        self.offered: list[OptionView] = []
        self.ready = False
        self._last_change = ""
        # A word on how the attempt began ("Resumed at turn 4"), shown in the coach strip until
        # the next choice: a toast would cover the options at 80x24 (issue 30). (text, turns).
        self.notice: tuple[str, int] | None = None
        self.transcript_written: Path | None = None
        self.watcher = FileWatcher(self.path)
        self._watch_timer: Timer | None = None
        # (ready, ended, options on offer, typing) when the keys were last refreshed
        self._binding_state: tuple[bool, bool, int, bool] | tuple[()] = ()
        self._built = False  # on_mount has run (the widgets exist)
        self._laid_out_for: Size | None = None  # the terminal size last laid out for (on_resize)
        self._loading: Future[Loaded] | None = None  # the load under way, until it is shown
        self._store_attached = False  # the results store is given to the attempt (or there is none)
        self.flow = play_flow.TypedFlow()
        # Typed play from the command line with an unfinished attempt: offered for resuming
        # before the conversation begins (play_flow.offers_resume).
        self._resume_offer: AttemptSummary | None = None

    # What the typed-reply flow holds, under the names the screen's callers and tests use.
    typing = property(lambda self: self.flow.typing)
    options_shown = property(lambda self: self.flow.options_shown)
    lines_handled = property(lambda self: self.flow.lines_handled)

    def _active(self) -> Play:
        """The loaded attempt: everything that uses it runs after it has loaded."""
        if self.play is None:
            raise PlayProblem("the scenario has not loaded yet")
        return self.play

    def _diagnostics(self) -> DiagnosticsPanel:
        from ..widgets.diagnostics_panel import DiagnosticsPanel

        return self.query_one(DiagnosticsPanel)  # composed with --watch, the only caller

    def _reply_box(self, *, mount: bool = False) -> ReplyBox | None:
        """The typed-reply box; mounted (under the options) the first time replies are typed."""
        from ..widgets.reply_box import ReplyBox

        for box in self.query(ReplyBox):
            return box
        if not mount:
            return None
        box = ReplyBox(id="reply")
        self.query_one("#conversation").mount(box, after=self.query_one(ChoiceList))
        return box

    def _ended_row(self) -> tuple[Horizontal, Static, Button]:
        """The row shown at the end (what happened, and the button to the debrief), mounted
        the first time a conversation ends."""
        for row in self.query("#ended").results(Horizontal):
            return row, row.query_one("#ended-text", Static), row.query_one("#to-debrief", Button)
        row = Horizontal(id="ended")
        text = Static(id="ended-text", markup=False)
        button = Button(tr("See your debrief (d)"), id="to-debrief", variant="primary")
        self.query_one("#conversation").mount(row)
        row.mount(text, button)
        return row, text, button

    @work(thread=True, exclusive=True, group="warm")
    def _warm_up(self) -> None:
        """Load the language model and embed the examples in the background, so the first typed
        line is matched at once."""
        play = self.play
        if play is not None:
            play.prepare_typing()

    if TYPE_CHECKING:  # what the parts call on each other (defined in play.py)

        def finished(self) -> None: ...

        def show_session(self) -> None: ...

        def action_choose(self, number: int) -> None: ...

        def _take(self, answer: Answer) -> None: ...

        def answered(self, view: TurnView) -> None: ...

        def _set_title(self, title: str) -> None: ...

        def _show_coach(self, play: Play) -> None: ...

        def runtime_failed(self, exc: PlayProblem) -> None: ...

        def load_failed(self, exc: PlayProblem) -> None: ...

        def ask_misfit(self, report: Replayed) -> None: ...

        def _report_store(self) -> None: ...

        def start(self) -> None: ...

        def start_watching(self) -> None: ...

        def _attach_store(self) -> None: ...

        def _show_scenario(self) -> None: ...

        def action_debrief(self) -> None: ...

        def action_restart(self) -> None: ...

        def action_back(self) -> None: ...

        def action_toggle_typing(self) -> None: ...
