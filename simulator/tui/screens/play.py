"""The conversation: chat on the left, the customer card on the right, numbered choices below.

The scenario is checked and its state machine built in a thread started with the app; when that
is done within moments of the screen being built (a cached scenario), the first frame is the
playable one, else the first frame shows the title (a cheap header read) over "Loading…".
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static

from ..controller import Play, PlayProblem, ReplayReport
from ..text import Piece, join, literal, plain
from ..widgets.chat import ChatView
from ..widgets.choice_list import ChoiceList
from ..widgets.customer_card import CustomerCard
from ..widgets.footer import KeyFooter
from ..widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from textual import events
    from textual.timer import Timer

    from simulator.engine.session import Offered, Step
    from simulator.matching.replies import Reply
    from simulator.store import Attempt

    from ..app import CounterTalkApp
    from ..commands import PaletteCommand
    from ..widgets.diagnostics_panel import DiagnosticsPanel
    from ..widgets.reply_box import ReplyBox


class PlayScreen(Screen[None]):
    app: CounterTalkApp  # shown only by the CounterTalk app (its options, store and learner)

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
    ]

    def __init__(
        self,
        path: Path,
        *,
        resume_attempt: Attempt | None = None,
        abandon_attempt: Attempt | None = None,
        from_picker: bool = False,
    ) -> None:
        super().__init__(id="play")
        self.path = Path(path)
        self.resume_attempt = resume_attempt
        self.abandon_attempt = abandon_attempt
        self.from_picker = from_picker
        self.play: Play | None = None
        self.offered: list[Offered] = []
        self.ready = False
        self._mtime: float | None = None
        self._last_change = ""
        self.transcript_written: Path | None = None
        self._watch_timer: Timer | None = None
        # (ready, ended, options on offer, typing) when the keys were last refreshed
        self._binding_state: tuple[bool, bool, int, bool] | tuple[()] = ()
        self._loading = False
        self._built = False  # on_mount has run (the widgets exist)
        self._early: tuple[Play, PlayProblem | None] | None = None
        # What the loading thread produced, and a flag it sets then: on_mount waits for it a
        # moment so that a quick load makes the first frame the playable one.
        self._result: tuple[Play, PlayProblem | None] | None = None
        self._result_ready = threading.Event()
        self._store_attached = False  # the results store is given to the attempt (or there is none)
        self.typing = False  # replies typed in the reply box (else picked from the list)
        self.options_shown = False  # typing: the numbered options are on show
        self._understanding = False  # a typed line is being matched
        self.lines_handled = 0  # typed lines dealt with (taken, asked about, or not understood)

    def _active(self) -> Play:
        """The loaded attempt: everything that uses it runs after `_loaded` has set it."""
        if self.play is None:
            raise PlayProblem("the scenario has not loaded yet")
        return self.play

    def compose(self) -> ComposeResult:
        # Only what the first playable frame shows is built here: every widget is styled, laid
        # out and drawn before the learner can choose. The errors panel (--watch), the reply box
        # (typed replies) and the row at the end are mounted when first needed.
        # The size classes are set before the widgets are styled (on_resize keeps them right).
        narrow, short = self._size_classes(self.app.size.width, self.app.size.height)
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
        button = Button("See your debrief (d)", id="to-debrief", variant="primary")
        self.query_one("#conversation").mount(row)
        row.mount(text, button)
        return row, text, button

    # -- start ------------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from ..pack import peek_title

        self._set_title(peek_title(self.path) or self.path.name)
        self.sub_title = "assessment" if self.app.options.assess else "practice"
        self.query_one("#coach").display = False
        self.query_one(ChoiceList).display = False
        self.query_one("#chat", ChatView).placeholder = "Loading the scenario…"
        self._built = True
        if self._early is None and self._loading:
            # Most loads (a cached scenario) end within a few milliseconds of the screen being
            # built: wait that long (the thread runs meanwhile) rather than draw a "Loading"
            # frame and then lay out and draw the screen again. A slower load shows that frame.
            if self._result_ready.wait(self.FIRST_FRAME_WAIT):
                self._early, self._result = self._result, None
        if self._early is not None:  # loaded before this screen was drawn: playable at once
            early, self._early = self._early, None
            self._loaded(*early)
        elif not self._loading:
            self.call_after_refresh(self.start)

    FIRST_FRAME_WAIT = 0.1  # seconds

    def _deliver(self) -> None:
        """The loading thread's result, unless on_mount took it already."""
        result, self._result = self._result, None
        if result is not None:
            self._loaded(*result)

    def start(self) -> None:
        """Load in a thread (YAML, lint, Jinja2 and the state machine are the slow part), so the
        first frame is drawn at once; then begin on the UI thread. The app may call this before
        the screen is mounted, so that the loading overlaps building the screen."""
        self._loading = True
        self._result = None
        self._result_ready.clear()
        self._load_worker()

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(self) -> None:
        app = self.app
        opts = app.options
        play = Play(
            self.path,
            learner=app.learner,
            mode="assess" if opts.assess else "practice",
            seed=opts.seed,
            store=None,
        )
        problem = None
        try:
            play.load()
        except PlayProblem as exc:
            problem = exc
        if self._store_first():
            app.prepare_store()
        if opts.reply_mode is None:  # the remembered setting (read here, off the first frame)
            from ..settings import reply_mode

            opts.reply_mode = reply_mode(opts.store_path)
        self._result = (play, problem)
        self._result_ready.set()
        app.call_from_thread(self._deliver)

    def _loaded(self, play: Play, problem: PlayProblem | None) -> None:
        if not self._built:  # started early and loaded first: on_mount takes it from here
            self._early = (play, problem)
            return
        self._loading = False
        app = self.app
        opts = app.options
        store = app.get_store() if self._store_first() else None
        self._store_attached = self._store_first()
        play.store = store
        self.play = play
        self.query_one("#chat", ChatView).clear()
        if problem is not None:
            self.load_failed(problem)
            return
        self._remember_mtime()
        sc = self._active()._scenario()
        self._set_title(plain(sc.title))
        chat = self.query_one("#chat", ChatView)
        chat.customer_name = sc.customer.name
        self.query_one(CustomerCard).show_customer(
            sc.customer.name, sc.customer.persona, sc.customer.internal
        )
        try:
            if self.abandon_attempt is not None and store is not None:
                self._active().attempt_id = self.abandon_attempt.id
                self._active().start_over(opts.seed)
            elif self.resume_attempt is not None or opts.resume:
                att = self.resume_attempt or self._active().unfinished()
                if att is None:
                    app.notify(
                        "You have no unfinished attempt at this scenario; starting a new one.",
                        title="Nothing to resume",
                        markup=False,
                    )
                    self._active().start()
                else:
                    report = self._active().resume(att)
                    if not report.complete:
                        self.ready = True
                        self.show_session()
                        self.ask_misfit(report)
                        return
                    app.notify(
                        f"Resumed at turn {report.kept + 1}.", title="Welcome back", markup=False
                    )
            else:
                self._active().start()
        except PlayProblem as exc:
            self.runtime_failed(exc)
            return
        self.ready = True
        self._report_store()
        self.typing = opts.reply_mode == "type"
        self.show_session()
        self.start_watching()
        if not self._store_attached:
            self.call_after_refresh(self._store_worker)
        if self.typing:
            self._warm_up()

    # -- the results store: opened after the first playable frame ----------------------------------
    def _store_first(self) -> bool:
        """Resuming or starting over needs the store to begin; a new attempt does not (it is
        recorded with its first choice: Attempt.attach_store), so then the store (sqlite) is
        opened after the first playable frame instead of before it."""
        opts = self.app.options
        return self.resume_attempt is not None or self.abandon_attempt is not None or opts.resume

    @work(thread=True, exclusive=True, group="store")
    def _store_worker(self) -> None:
        self.app.prepare_store()
        self.app.call_from_thread(self._attach_store)

    def _attach_store(self) -> None:
        """Give the attempt its store (once); a store that cannot be used is said now."""
        if self._store_attached or self.play is None:
            return
        self._store_attached = True
        self.app.prepare_store()  # at once if a choice comes before the thread has opened it
        self.play.attach_store(self.app.get_store())
        self._report_store()

    @work(thread=True, exclusive=True, group="warm")
    def _warm_up(self) -> None:
        """Load the language model and embed the examples in the background, so the first typed
        line is matched at once."""
        play = self.play
        if play is not None and play.session is not None:
            play.typed.prepare()

    def load_failed(self, exc: PlayProblem) -> None:
        if self.app.options.watch:
            self._diagnostics().show_problem(str(exc), exc.diagnostics)
            self._remember_mtime()
            self.start_watching()
            return
        from .dialogs import ProblemScreen

        self.app.push_screen(
            ProblemScreen(
                "This scenario cannot be played",
                str(exc),
                exc.diagnostics,
                close_label="Back" if self.from_picker else "Quit",
            ),
            self._after_problem,
        )

    def _after_problem(self, answer: str | None) -> None:
        if answer == "quit" or not self.from_picker:
            self.app.exit(1, return_code=1)
        else:
            self.app.pop_screen()

    def runtime_failed(self, exc: PlayProblem) -> None:
        from .dialogs import ProblemScreen

        self.app.push_screen(
            ProblemScreen(
                "A template in the scenario failed",
                str(exc),
                ["Your progress so far is saved; fix the scenario and resume with --resume."]
                if self.play and self._active().attempt_id
                else [],
                close_label="Back" if self.from_picker else "Quit",
            ),
            self._after_problem,
        )

    def ask_misfit(self, report: ReplayReport) -> None:
        from .dialogs import MisfitDialog

        def answered(answer: str | None) -> None:
            try:
                if answer == "keep":
                    self._active().keep_what_fits(report)
                else:
                    self._active().start_over()
            except PlayProblem as exc:
                self.runtime_failed(exc)
                return
            self.query_one("#chat", ChatView).clear()
            self.show_session()

        self.app.push_screen(
            MisfitDialog(report.misfit or "a saved choice no longer fits", report.kept), answered
        )

    def _report_store(self) -> None:
        play = self._active()
        if play.store_problem:
            self.app.store_failed_message(play.store_problem)
            play.store_problem = None

    # -- showing ----------------------------------------------------------------------------------
    def show_session(self) -> None:
        with self.app.batch_update():
            self._show_session()

    def _show_session(self) -> None:
        play = self._active()
        chat = self.query_one("#chat", ChatView)
        if len(play.events) < chat.count or chat.events[:1] != play.events[:1]:
            chat.clear()
        chat.add_events(play.events)
        self._show_coach(play)
        self.call_after_refresh(self._show_coach, play)  # again once the chat has its height
        card = self.query_one(CustomerCard)
        card.show_state(
            play._session().mood,
            self._last_change,
            len(play._session().turns),
            play.mode,
            play.store is not None and play.attempt_id is not None,
        )
        choices = self.query_one(ChoiceList)
        reply = self._reply_box(mount=self.typing and not play.ended)
        try:
            self.offered = play.offered()
        except PlayProblem as exc:
            self.offered = []
            self.runtime_failed(exc)
        if play.ended:
            choices.display = False
            if reply is not None:
                reply.display = False
            ended, ended_text, to_debrief = self._ended_row()
            ended.display = True
            outcome = play._session().outcome or ""
            ended_text.update(
                join(
                    ("The conversation is over: ", "bold"),
                    literal(outcome),
                    ". Press d (or the button) for your debrief.",
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
                choices.border_title = "You could say (type it, or its number)"
                reply.focus()
            else:
                choices.border_title = "Your reply"
                self.set_focus(choices)  # at once: this frame draws it focused
        # The Footer rebuilds itself on refresh_bindings: only ask when the keys changed.
        keys = (self.ready, play.ended, len(self.offered), self.typing)
        if keys != self._binding_state:
            self._binding_state = keys
            self.refresh_bindings()

    def _show_coach(self, play: Play) -> None:
        """Keep the coaching for the last choice in sight on small terminals.

        At 80x24 the chat has room for the customer's reply and little else, so the Coach's words
        and the mood change for the choice just made would scroll above the fold. A strip between
        the chat and the options repeats them until the next choice (the chat keeps them too)."""
        coach = self.query_one("#coach", Static)
        chat = self.query_one("#chat", ChatView)
        small = self.has_class("-narrow") or self.has_class("-short")
        room = chat.size.height + (coach.outer_size.height if coach.display else 0)
        fits = chat.size.height > 0 and chat.lines_since_last("learner") <= room
        parts: list[Piece] = []
        if small and not fits and not play.ended:
            for ev in reversed(play.events):
                if ev.kind == "learner":
                    break
                if ev.kind == "feedback":
                    parts[:0] = [("Coach: ", "bold $text-success"), literal(ev.text)]
                elif ev.kind == "mood":
                    parts += [("  Mood: ", "bold"), literal(ev.text)]
        coach.display = bool(parts)
        if parts:
            coach.update(join(*parts))

    def finished(self) -> None:
        """At an ending: write --transcript-out once, and report any saving problem."""
        self._report_store()
        out = self.app.options.transcript_out
        if out and self._active().result is not None and self.transcript_written is None:
            try:
                self.transcript_written = self._active().write_transcript(out)
                self.notify(f"Transcript written to {self.transcript_written}", markup=False)
            except PlayProblem as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=15)
        result = self._active().result
        problem = result and result.get("score_problem")
        if problem:
            self.notify(problem, severity="warning", markup=False, timeout=15)

    # -- actions ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return (
                self.ready
                and self.play is not None
                and not self._active().ended
                and bool(parameters)
                and int(str(parameters[0])) <= len(self.offered)
            )
        if action == "debrief":
            return self.ready and self.play is not None and self._active().ended
        if action == "restart":
            return self.ready and self.play is not None and self._active().session is not None
        if action == "back":
            return self.from_picker
        if action == "toggle_typing":
            return self.ready and self.play is not None and not self._active().ended
        return True

    def action_choose(self, number: int) -> None:
        if not self.check_action("choose", (number,)):
            return
        self._take(lambda: self._active().choose(number))

    def _take(self, make_step: Callable[[], Step]) -> None:
        """Make one step (a picked or a typed reply) and show what it led to."""
        self._attach_store()  # a choice faster than the store's thread is still saved
        before = self._active()._session().mood
        try:
            step = make_step()
        except PlayProblem as exc:
            self.runtime_failed(exc)
            return
        from simulator.engine.mood import mood_change_word

        self._last_change = (
            "" if self._active().assess else mood_change_word(before, step.mood_after)
        )
        self.options_shown = False
        self._report_store()
        self.show_session()

    # -- typed replies ------------------------------------------------------------------------------
    @on(Input.Submitted, "#reply")
    def _typed(self, event: Input.Submitted) -> None:
        line = event.value
        event.input.clear()
        if self._understanding or not self.ready or self.play is None or self._active().ended:
            return
        if line.strip().lower() in ("?", "options", "help"):
            self.options_shown = True
            self._active().typed.options_shown()  # the debrief names these turns (fact 34)
            self.show_session()
            self.lines_handled += 1
            return
        if not line.strip():
            return
        self._understanding = True
        event.input.border_subtitle = "understanding…"
        self._understand(line)

    @work(thread=True, exclusive=True, group="understand")
    def _understand(self, line: str) -> None:
        """Match off the UI thread: the first line may wait for the model to finish loading."""
        try:
            reply = self._active().understand(line)
        except PlayProblem as exc:
            self.app.call_from_thread(self._understood_failed, exc)
            return
        self.app.call_from_thread(self._understood, reply)

    def _understood_failed(self, exc: PlayProblem) -> None:
        self._understanding = False
        self.lines_handled += 1
        box = self._reply_box()
        if box is not None:
            box.border_subtitle = ""
        self.runtime_failed(exc)

    def _understood(self, reply: Reply) -> None:
        from simulator.matching.replies import ASK, NOT_UNDERSTOOD, PICK

        self._understanding = False
        self.lines_handled += 1
        box = self._reply_box()
        if box is not None:
            box.border_subtitle = ""
        if reply.kind == PICK:
            self.action_choose(reply.option.number)
        elif reply.kind == ASK:
            from .did_you_mean import DidYouMean

            self.app.push_screen(
                DidYouMean(reply.text, reply.suggestions),
                lambda option, reply=reply: self._confirmed(reply, option),
            )
        elif reply.kind == NOT_UNDERSTOOD:
            self._active().not_understood(reply)
            if reply.text and not self._active().assess:
                self.options_shown = True  # practice: show what they could have said
            elif reply.text:
                self.notify(
                    "Not understood. Try saying it another way, or type ? to see the options.",
                    markup=False,
                )
            self.show_session()
        else:  # taken: confidently understood, or a rude line the scenario routes
            self._take_typed(reply, None, confirmed=False)

    def _confirmed(self, reply: Reply, option: Offered | None) -> None:
        if option is None:  # "no": nothing is taken; show the numbered options
            self._active().declined(reply)
            self.options_shown = True
            self.show_session()
            return
        self._take_typed(reply, option, confirmed=True)

    def _take_typed(self, reply: Reply, option: Offered | None, *, confirmed: bool) -> None:
        self._take(lambda: self._active().choose_typed(reply, option, confirmed=confirmed))

    def action_toggle_typing(self) -> None:
        if not self.check_action("toggle_typing", ()):
            return
        self.typing = not self.typing
        self.options_shown = False
        from ..settings import save_reply_mode

        mode = "type" if self.typing else "pick"
        self.app.options.reply_mode = mode
        saved = save_reply_mode(mode, self.app.options.store_path)
        self.notify(
            (
                "Type your replies; a number still picks."
                if self.typing
                else "Pick numbered replies."
            )
            + ("" if saved else " (Could not remember this for next time.)"),
            markup=False,
        )
        self.show_session()
        if self.typing:
            self._warm_up()

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # every option has an id: n<number>
            self.action_choose(int(event.option.id[1:]))

    @on(Button.Pressed, "#to-debrief")
    def _to_debrief(self) -> None:
        self.action_debrief()

    def action_debrief(self) -> None:
        if not self.check_action("debrief", ()):
            return
        from .debrief import DebriefScreen

        self.app.push_screen(
            DebriefScreen(self._active(), from_picker=self.from_picker), self._after_debrief
        )

    def _after_debrief(self, answer: str | None) -> None:
        if not answer:
            return
        self._attach_store()
        try:
            if answer == "replay":
                self._active().replay_from_start(self.app.options.seed)
            elif answer.startswith("retry:"):
                self._active().retry_from(int(answer.split(":")[1]))
            elif answer == "picker":
                self.app.pop_screen()
                return
        except PlayProblem as exc:
            self.runtime_failed(exc)
            return
        self._clear_conversation()
        self._report_store()
        self.show_session()

    def action_restart(self) -> None:
        if not self.check_action("restart", ()):
            return
        self._attach_store()
        try:
            if self._active().ended:
                self._active().replay_from_start(self.app.options.seed)
            else:  # the unfinished attempt is kept in the records, marked abandoned
                self._active().start_over(self.app.options.seed)
        except PlayProblem as exc:
            self.runtime_failed(exc)
            return
        self._clear_conversation()
        self.show_session()
        self.notify("Started again from the beginning.", markup=False)

    def _clear_conversation(self) -> None:
        """Forget what was on screen before a replay, retry or restart."""
        self._last_change = ""
        self.options_shown = False
        self.transcript_written = None
        self.query_one("#chat", ChatView).clear()

    def action_back(self) -> None:
        if self.from_picker:
            self.app.pop_screen()

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
        if event.size == self.size:
            # Already laid out at this size: Textual's Screen sends itself a Resize after its
            # first layout (and the app forwards the terminal's size), each of which would lay
            # out and draw the whole screen again, unchanged. A real resize still goes through.
            event.prevent_default()
        narrow, _short = self._size_classes(event.size.width, event.size.height)
        self.query_one(CustomerCard).set_compact(narrow)
        self._set_title(getattr(self, "_full_title", self.title or ""))
        if self.play is not None and self.ready:
            self._show_coach(self.play)

    # -- live preview (--watch) ---------------------------------------------------------------------
    def _remember_mtime(self) -> None:
        try:
            self._mtime = os.stat(self.path).st_mtime_ns
        except OSError:
            self._mtime = None

    def check_file(self) -> None:
        try:
            mtime = os.stat(self.path).st_mtime_ns
        except OSError:
            return  # an editor may replace the file; look again next tick
        if mtime == self._mtime:
            return
        self._mtime = mtime
        self.reload_scenario()

    def reload_scenario(self) -> None:
        panel = self._diagnostics()
        if self.play is None or self._active().runtime is None:
            # Never loaded: try a full start.
            self.play = None
            panel.clear_problem()
            self.ready = False
            self.start()
            return
        try:
            report = self._active().reload()
        except PlayProblem as exc:
            panel.show_problem(str(exc), exc.diagnostics)
            self.notify(
                "The scenario has errors; still showing the last good version.",
                severity="error",
                markup=False,
            )
            return
        panel.clear_problem()
        self._last_change = ""  # a mood change word belongs to a choice, not to a reload
        sc = self._active()._scenario()
        self._set_title(plain(sc.title))
        self.query_one("#chat", ChatView).customer_name = sc.customer.name
        self.query_one(CustomerCard).show_customer(
            sc.customer.name, sc.customer.persona, sc.customer.internal
        )
        self.query_one("#chat", ChatView).clear()
        self.show_session()
        if report.complete:
            self.notify(f"Reloaded; replayed {report.kept} choice(s).", markup=False)
        else:
            self.notify(
                f"Reloaded; kept {report.kept} of {report.wanted} choice(s): {report.misfit}.",
                severity="warning",
                markup=False,
            )

    def start_watching(self) -> None:
        """--watch: poll the file's modification time (cheap, and works on every platform)."""
        if self.app.options.watch and self._watch_timer is None:
            self._watch_timer = self.set_interval(
                self.app.watch_interval, self.check_file, name="watch"
            )

    def resume_command(self) -> str:
        """The command that picks this attempt up again, as the learner would type it."""
        import shlex

        from simulator.engine.loader import shipped_pack

        sc = self._active().scenario if self.play is not None else None
        shipped = self.path.resolve().parent == Path(shipped_pack()).resolve()
        target = sc.id if sc is not None and shipped else str(self.path)
        parts = ["countertalk", "play", target, "--resume"]
        if self.app.options.assess:
            parts.append("--assess")
        learner = self.app.learner
        from simulator.attempt import default_learner

        if learner != default_learner():
            parts += ["--learner", learner]
        return " ".join(shlex.quote(p) for p in parts)

    def palette_commands(self) -> Iterator[PaletteCommand]:
        for o in self.offered:
            text = o.text if len(o.text) <= 60 else o.text[:59].rsplit(" ", 1)[0] + "…"
            yield (
                f"Say {o.number}: {text}",
                "Make this choice",
                functools.partial(self.action_choose, o.number),
            )
        if self.check_action("toggle_typing", ()):
            yield (
                "Pick numbered replies" if self.typing else "Type replies",
                "Switch how you reply (ctrl+t); remembered for next time",
                self.action_toggle_typing,
            )
        if self.check_action("debrief", ()):
            yield ("Show the debrief", "Your grade and what to practise", self.action_debrief)
        if self.check_action("restart", ()):
            yield ("Start again", "A new attempt from the beginning", self.action_restart)
        if self.from_picker:
            yield ("Back to scenarios", "Return to the scenario picker", self.action_back)
