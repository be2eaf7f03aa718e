"""The conversation: chat on the left, the customer card on the right, numbered choices below.

The scenario is checked and its state machine built in a thread started with the app; when that
is done within moments of the screen being built (a cached scenario), the first frame is the
playable one, else the first frame shows the title (a cheap header read) over "Loading…".

The screen draws and sends; the workflow is elsewhere: how an attempt begins, typed lines and
live reloads in :mod:`..play_flow`, file watching in :mod:`..watch`, and the workers report
with the messages in :mod:`..messages`.
"""

from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from simulator.engine.i18n import gettext as tr

from ..controller import Play, PlayProblem
from ..text import join, literal
from ..widgets.chat import ChatView
from ..widgets.choice_list import ChoiceList
from ..widgets.customer_card import CustomerCard
from ..widgets.footer import KeyFooter
from ..widgets.title_bar import TitleBar
from .play_actions import PlayActions
from .play_loading import PlayLoading
from .play_problems import PlayProblems
from .play_typing import PlayTyping
from .play_watch import PlayWatch

if TYPE_CHECKING:
    from textual import events

    from simulator.exercise.views import Answer, TurnView


class PlayScreen(PlayLoading, PlayTyping, PlayWatch, PlayActions, PlayProblems):
    """The conversation screen: its layout, the first frame, and drawing the session."""

    # Focus goes where the learner replies (never to the chat first, which would be a focus change
    # and a restyle to draw before the first playable frame); the chat is still one Tab away.
    AUTO_FOCUS = "#choices, #reply, #to-debrief"

    BINDINGS = [
        Binding("1", "choose(1)", "Choose", key_display="1-9", id="play.choose"),
        *[
            Binding(str(n), f"choose({n})", f"Choice {n}", show=False, id=f"play.choose{n}")
            for n in range(2, 10)
        ],
        Binding("d", "debrief", "Debrief", id="play.debrief"),
        Binding("ctrl+r", "restart", "Start again", id="play.restart"),
        Binding("ctrl+t", "toggle_typing", "Type/Pick", show=False, id="play.typing"),
        Binding("escape", "back", "Scenarios", id="play.back"),
        # Typing: the reply box has the keys, but ↑/↓ still move through the options on show
        # (a list taller than the screen's room scrolls; play_typing.action_options_cursor).
        Binding("up", "options_cursor(-1)", show=False, id="play.options_up"),
        Binding("down", "options_cursor(1)", show=False, id="play.options_down"),
    ]

    FIRST_FRAME_WAIT = 0.1  # seconds a quick load may take and still make the first frame

    def compose(self) -> ComposeResult:
        # Only what the first playable frame shows is built here: every widget is styled, laid
        # out and drawn before the learner can choose. The errors panel (--watch), the reply box
        # (typed replies) and the row at the end are mounted when first needed.
        # The size classes are set before the widgets are styled (on_resize keeps them right).
        narrow, _short = self._size_classes(self.app.size.width, self.app.size.height)
        self._laid_out_for = self.app.size  # the first layout is at this size
        yield TitleBar()
        with Horizontal(id="play-main"):
            with Vertical(id="conversation"):
                if self.app.options.watch:
                    from ..widgets.diagnostics_panel import DiagnosticsPanel

                    yield DiagnosticsPanel(id="diagnostics")
                yield ChatView(id="chat")
                yield Static(id="coach", markup=False)
                yield ChoiceList(id="choices")
            yield CustomerCard(id="card", compact=narrow)
        yield KeyFooter()

    def _size_classes(self, width: int, height: int) -> tuple[bool, bool]:
        """-narrow (< 100 columns: the card above the chat) and -short (< 30 lines)."""
        narrow, short = 0 < width < 100, 0 < height < 30
        self.set_class(narrow, "-narrow")
        self.set_class(short, "-short")
        return narrow, short

    # -- start ------------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from ..pack import peek_title

        self._set_title(peek_title(self.path) or self.path.name)
        self.sub_title = tr("assessment") if self.app.options.assess else tr("practice")
        self.query_one("#coach").display = False
        self.query_one(ChoiceList).display = False
        self.query_one("#chat", ChatView).placeholder = "Loading the scenario…"
        self._built = True
        loading = self._loading
        if loading is None:
            self.call_after_refresh(self.start)
            return
        # Most loads (a cached scenario) end within a few milliseconds of the screen being
        # built: wait that long (the thread runs meanwhile) rather than draw a "Loading" frame
        # and then lay out and draw the screen again. A slower load shows that frame, and its
        # ScenarioLoaded message brings the result.
        try:
            self._loaded(*loading.result(self.FIRST_FRAME_WAIT))
        except FutureTimeout:
            pass

    # -- the results store: opened after the first playable frame ----------------------------------

    # -- showing ----------------------------------------------------------------------------------
    def show_session(self) -> None:
        with self.app.batch_update():
            self._show_session()

    def _show_session(self) -> None:
        play = self._active()
        view = play.current()
        events = play.events
        chat = self.query_one("#chat", ChatView)
        if len(events) < chat.count or chat.events[:1] != events[:1]:
            chat.clear()
        self._show_coach(play)  # what the chat holds back first, so nothing is drawn twice
        chat.add_events(events)
        card = self.query_one(CustomerCard)
        card.show_state(
            view.mood or 0,
            self._last_change,
            play.turns,
            play.mode,
            view.saving and view.attempt_id is not None,
        )
        choices = self.query_one(ChoiceList)
        reply = self._reply_box(mount=self.typing and not play.ended)
        self.offered = list(view.options)
        if play.ended:
            choices.display = False
            if reply is not None:
                reply.display = False
            ended, ended_text, to_debrief = self._ended_row()
            ended.display = True
            ended_text.update(
                join(
                    (tr("The conversation is over: "), "bold"),
                    literal(tr(view.outcome or "")),
                    tr(". Press d (or the button) for your debrief."),
                )
            )
            to_debrief.focus()
            self.finished()
        else:
            for row in self.query("#ended"):
                row.display = False
            choices.display = not self.typing or self.options_shown
            choices.show_choices(self.offered)
            if reply is not None:
                reply.display = self.typing
            if self.typing and reply is not None:
                choices.set_title(tr("You could say (type it, or its number)"))
                reply.focus()
            else:
                choices.set_title(tr("Your reply"))
                self.set_focus(choices)  # at once: this frame draws it focused
        self.call_after_refresh(self._fit_choices)
        # The Footer rebuilds itself on refresh_bindings: only ask when the keys changed.
        keys = (self.ready, play.ended, len(self.offered), self.typing)
        if keys != self._binding_state:
            self._binding_state = keys
            self.refresh_bindings()

    def _show_coach(self, play: Play) -> None:
        """Keep the coaching for the last choice in sight on small terminals (the strip
        between the chat and the options: widgets/coach.py)."""
        from ..widgets.coach import show_coach

        turns = play.turns
        if self.notice is not None and self.notice[1] != turns:
            self.notice = None  # said until the next choice
        show_coach(
            self.query_one("#coach", Static),
            self.query_one("#chat", ChatView),
            play.events,
            small=self.has_class("-narrow") or self.has_class("-short"),
            ended=play.ended,
            notice=self.notice[0] if self.notice else None,
        )

    def _fit_choices(self) -> None:
        """Cap the options' height at the room the conversation column has left once the
        chat keeps its few lines and the strip, reply box and rows above and below take theirs.
        CSS cannot say "what is left" for an auto-height widget (max-height: 100% let a long
        set run under the footer, clipped, at 80x24), so it is worked out from the laid-out
        column after each refresh; the list then scrolls (widgets/choice_list.py)."""
        choices = self.query_one(ChoiceList)
        column = self.query_one("#conversation")
        if not choices.display or not column.size.height:
            return
        chat = self.query_one("#chat", ChatView)
        others = sum(
            w.outer_size.height
            for w in column.children
            if w.display and w is not choices and w is not chat
        )
        chat_min = chat.styles.min_height
        keep = int(chat_min.value) if chat_min is not None else 0
        choices.fit(column.size.height - others - keep)

    # -- actions ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        playing = self.ready and self.play is not None
        if action == "choose":
            return (
                playing
                and not self._active().ended
                and not self.flow.understanding  # one answer at a time
                and bool(parameters)
                and int(str(parameters[0])) <= len(self.offered)
            )
        if action == "debrief":
            return playing and self._active().ended
        if action == "restart":
            return playing and not self.flow.understanding  # not while a line is being taken
        if action == "back":
            return self.from_picker
        if action == "toggle_typing":
            return playing and not self._active().ended and not self.flow.understanding
        return True

    def action_choose(self, number: int) -> None:
        if not self.check_action("choose", (number,)):
            return
        from simulator.exercise.views import Pick

        self._take(Pick(number))

    def _take(self, answer: Answer) -> None:
        """Send one answer (a picked option, or a confirmed typed line) and show what it led
        to."""
        self._attach_store()  # a choice faster than the store's thread is still saved
        try:
            event = self._active().answer(answer)
        except PlayProblem as exc:
            self.runtime_failed(exc)
            return
        self.answered(event.view)

    def answered(self, view: TurnView) -> None:
        """An answer was taken (picked here, or a typed line matched in a worker)."""
        self._last_change = "" if self._active().assess else (view.mood_change or "")
        self.flow.options_shown = False
        self._report_store()
        self.show_session()

    # The title bar draws "title — mode" in the space between its icon and clock (18 cells) and cuts
    # the end when it is too long, which hid the mode at 80 columns; the title gives way instead.
    _HEADER_CHROME = 18

    def _set_title(self, title: str) -> None:
        self._full_title = title
        room = self.size.width - self._HEADER_CHROME - len(" — ") - len(self.sub_title or "")
        if self.size.width and len(title) > room > 10:
            title = title[: room - 1].rstrip() + "…"
        self.title = title

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self._laid_out_for:
            # Already laid out at this size: Textual's Screen sends itself a Resize after its
            # first layout (and the app forwards the terminal's size), each of which would lay
            # out and draw the whole screen again, unchanged. A real resize still goes through
            # (compared with the size last laid out for: self.size is already the new size, so
            # comparing with it swallowed every resize and left the old layout, cut off).
            event.prevent_default()
        self._laid_out_for = event.size
        narrow, _short = self._size_classes(event.size.width, event.size.height)
        self.query_one(CustomerCard).set_compact(narrow)
        self._set_title(getattr(self, "_full_title", self.title or ""))
        if self.play is not None and self.ready:
            self._show_coach(self.play)
            self.call_after_refresh(self._fit_choices)

    # -- live preview (--watch) ---------------------------------------------------------------------
