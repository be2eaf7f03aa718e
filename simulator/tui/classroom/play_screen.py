"""The projector's main screen: the customer, the options and the tally, then the reveal.

Phases: "vote" (the tutor keys in hands: 1-9 add, `-` then a number takes one off, Backspace
undoes the last key), "tiebreak" (a reveal found a tie: the tutor picks among the tied options),
"reveal" (every option's consequence; `n` goes on). `p` pauses everything; `u` takes back the
last locked-in decision. Keys that do not apply are hidden from the Footer.

With `--phones` the screen also drives a `PhoneHub`: every new decision opens a phone round,
reveal/pause/time-up close it, and ballots arriving from the phone server redraw the tally
(hands keyed in and phone votes are added up, and shown apart). `j` shows or hides the QR code.
When time runs out with no votes at all, the tutor can give more time, key in hands, or press
Enter and pick an option; the screen says so instead of sitting there.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Digits, Static

from simulator.classroom.phone_board import HandsAndPhones
from simulator.classroom.room import ClassRoom, ClassroomError, Decision
from simulator.classroom.timer import EXTEND_BY, Countdown
from simulator.tui.widgets.mood_meter import MoodMeter

from ..widgets.footer import KeyFooter
from .text import Piece, lit, quoted
from .widgets import Reveal, Scoreboard, Tally, mood_change

if TYPE_CHECKING:
    from simulator.classroom.phones import PhoneHub
    from simulator.classroom.web.server import Address

VOTE = Binding.Group("Vote")
PICK = Binding.Group("Pick the winner")

SMALL_WIDTH, SMALL_HEIGHT = 100, 30
LARGE_WIDTH, LARGE_HEIGHT = 140, 40


class ClassScreen(Screen[None]):
    BINDINGS = [
        *[Binding(str(n), f"vote({n})", "Vote", group=VOTE) for n in range(1, 10)],
        *[Binding(str(n), f"pick({n})", "Pick", group=PICK) for n in range(1, 10)],
        Binding("minus", "remove_mode", "Take a vote off"),
        Binding("backspace", "undo_vote", "Undo vote"),
        Binding("enter", "reveal", "Reveal"),
        Binding("r", "reveal", "Reveal", show=False),
        Binding("escape", "cancel", "Cancel"),
        Binding("n", "next", "Next"),
        Binding("space", "next", "Next", show=False),
        Binding("v", "toggle_all", "All options"),
        Binding("plus", "extend", f"+{EXTEND_BY}s"),
        Binding("e", "extend", f"+{EXTEND_BY}s", show=False),
        Binding("u", "undo_decision", "Undo decision"),
        Binding("p", "pause", "Pause"),
        Binding("j", "toggle_qr", "QR"),
        Binding("c", "new_code", "New join code", show=False),
    ]

    def __init__(
        self,
        room: ClassRoom,
        *,
        timer: int | None = None,
        phones: PhoneHub | None = None,
        address: Address | None = None,
    ) -> None:
        super().__init__()
        self.room = room
        self.countdown = Countdown(timer) if timer else None
        self.phase = "vote"
        self.paused = False
        self.removing = False
        self.show_all = not room.team_mode
        self.tied: list[int] = []
        self.decision: Decision | None = None
        self.picking = False  # time ran out with no votes: the tutor picks an option
        self.phones = phones  # a PhoneHub, with --phones
        self.address = address  # where phones join
        self.qr_wanted = True  # the QR code beside the conversation (large screens)
        self.qr_screen = False  # the QR code on a screen of its own (small screens)
        self.qr_inline = False
        self._ballots_pending = False
        self.on_tally_shown = None  # benchmarks: called with the hub's sequence once shown

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="title", markup=False)
            yield Static(id="clock", markup=False)
        yield Static(id="banner", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static(id="who", markup=False)
                yield MoodMeter(id="mood")
                yield Static(id="line", markup=False)
                yield Static(id="note", markup=False)
                yield Static(id="change", markup=False)
                with Horizontal(id="bigrow"):
                    yield Digits("", id="big-timer")
                    yield Digits("", id="big-mood")
            with VerticalScroll(id="right"):
                yield Tally(id="tally")
                yield Reveal(id="reveal")
            if self.phones is not None and self.address is not None:  # set together
                from .phones_panel import PhonesPanel

                yield PhonesPanel(self.phones, self.address, id="phones")
        yield Static(id="paused", markup=False)
        if self.phones is not None and self.address is not None:
            from .phones_panel import PhonesPanel

            yield PhonesPanel(self.phones, self.address, id="qr-screen")
            yield Static(id="phones-line", markup=False)
        yield Static(id="status", markup=False)
        yield Scoreboard(id="scoreboard", markup=False)
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.set_class(self.room.team_mode, "-teams")
        self.set_class(self.countdown is not None, "-timer")
        self._fit(self.app.size.width, self.app.size.height)
        self.set_interval(1.0, self._tick)
        if self.phones is not None:
            self.phones.on_ballot(self._ballots_changed)
            self._open_phone_round()
        self.refresh_view()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)
        self.refresh_view()

    def _fit(self, width: int, height: int) -> None:
        small = width < SMALL_WIDTH or height < SMALL_HEIGHT
        self.set_class(small, "-small")
        self.set_class(not small and width >= LARGE_WIDTH and height >= LARGE_HEIGHT, "-large")
        meter = self.query_one("#mood", MoodMeter)
        meter.bar_width = 10 if small else 24 if width < LARGE_WIDTH else 36
        meter.set_class(small, "-inline")
        self.query_one("#tally", Tally).compact = height < 24
        self.qr_inline = not small and height >= 40

    # -- what is on screen -------------------------------------------------------------------------
    def refresh_view(self) -> None:
        room, run = self.room, self.room.run
        s = run.session
        sc = room.scenario
        small = self.has_class("-small")
        if room.team_mode:
            where = f"Round {room.round - (1 if self.phase == 'reveal' else 0)}"
        else:
            where = f"Decision {len(run.decisions) + (0 if self.phase == 'reveal' else 1)}"
        top: list[Piece] = [(f"{where} · ", "bold"), lit(sc.title, "bold")]
        if not small:
            top.insert(0, ("CounterTalk classroom · ", ""))
        self.query_one("#title", Static).update(Content.assemble(*top))
        clock = self.query_one("#clock", Static)
        if self.countdown is not None and self.phase == "vote":
            state = (
                " PAUSED"
                if self.countdown.paused
                else " TIME'S UP"
                if self.countdown.expired
                else ""
            )
            clock.update(lit(f" ⏱ {self.countdown.clock()}{state} "))
            clock.display = True
        else:
            clock.display = False

        if room.team_mode:
            banner = (
                f"▶ {run.name.upper()}'S TURN ◀"
                if self.phase != "reveal"
                else f"{run.name.upper()} DECIDED"
            )
            self.query_one("#banner", Static).update(lit(banner))

        decision = self.decision if self.phase == "reveal" else None
        decided = decision is not None
        who = "Colleague" if sc.customer.internal else "Customer"
        header: list[Piece] = [(f"{who}: ", "bold"), lit(sc.customer.name, "bold $accent")]
        if sc.customer.persona and not small:
            header += [" — ", lit(sc.customer.persona, "italic")]
        if decided:
            header += [("  reacts:" if not s.ended else "  — the end:", "bold")]
        self.query_one("#who", Static).update(Content.assemble(*header))
        meter = self.query_one("#mood", MoodMeter)
        meter.mood = s.mood
        meter.change = ""
        meter.refresh()
        self.query_one("#line", Static).update(quoted(s.line.strip()))
        note = self.query_one("#note", Static)
        note.update(lit((s.note or "").strip(), "italic"))
        note.display = bool(s.note)

        change = self.query_one("#change", Static)
        big_mood = self.query_one("#big-mood", Digits)
        if decision is not None:
            chosen = decision.chosen
            parts: list[Piece] = [mood_change(chosen.mood_before, chosen.mood_after)]
            if s.ended:
                parts += ["\n", (f"■ The conversation has ended: {s.outcome}", "bold")]
            change.update(Content.assemble(*parts))
            change.display = True
            big_mood.update(f"{chosen.mood_change:+d}")
            big_mood.display = True
        else:
            change.display = False
            big_mood.display = False
        big_timer = self.query_one("#big-timer", Digits)
        if self.countdown is not None and self.phase == "vote":
            big_timer.update(self.countdown.clock())
            big_timer.display = True
        else:
            big_timer.display = False

        tally = self.query_one("#tally", Tally)
        reveal = self.query_one("#reveal", Reveal)
        if decision is not None:
            tally.display = False
            reveal.display = True
            reveal.show(decision, show_all=self.show_all)
        else:
            reveal.display = False
            tally.display = True
            tally.show(room.offered(), room.board, self.tied if self.phase == "tiebreak" else [])

        if room.team_mode:
            self.query_one("#scoreboard", Scoreboard).show(room.scoreboard(), compact=small)
        self.query_one("#paused", Static).update(
            Content.assemble(("PAUSED", "bold reverse $accent"), "\n\n", "Press p to carry on.")
        )
        self._status_default()
        self._show_phones()
        self.refresh_bindings()

    def say(self, message: str | Content, *, warn: bool = False) -> None:
        """One line for the room: what to do next, or why a key did nothing."""
        status = self.query_one("#status", Static)
        status.update(message if isinstance(message, Content) else lit(message))
        status.set_class(warn, "-warn")
        status.display = bool(message)

    def _status_default(self) -> None:
        if self.room.store_problem:
            self.say(self.room.store_problem, warn=True)
        elif self.phase == "tiebreak" and self.picking:
            self.say(
                "Nobody voted. Tutor: press the number of the option to take "
                "(Esc goes back to voting).",
                warn=True,
            )
        elif self.phase == "tiebreak":
            tied = " or ".join(str(n) for n in self.tied)
            self.say(f"It's a tie between {tied}. Tutor: press {tied} to choose.", warn=True)
        elif self.removing:
            self.say("Take a vote off: press the option's number (Esc to cancel).", warn=True)
        elif self.phase == "vote" and self._time_up() and self.room.board.total == 0:
            self.say(
                f"Time's up and nobody has voted. + gives {EXTEND_BY} seconds more; "
                "number keys record hands; Enter lets you pick an option.",
                warn=True,
            )
        elif self.countdown is not None and self.phase == "vote" and self.countdown.expired:
            self.say(f"Time's up! Enter reveals; + gives {EXTEND_BY} seconds more.", warn=True)
        elif self.phase == "reveal":
            self.say(
                "Talk it through, then press n for the next decision."
                if not self.room.run.ended
                else "Press n to go on."
            )
        else:
            self.say("")

    # -- keys ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        voting = self.phase == "vote" and not self.paused
        if action == "vote":
            n = int(str(parameters[0]))  # vote(N): N is an int literal
            if n > len(self.room.board.options) or not voting:
                return False
            closed = self._time_up() and not self.removing and self.room.board.total > 0
            return None if closed else True
        if action == "pick":
            return self.phase == "tiebreak" and int(str(parameters[0])) in self.tied
        if action == "remove_mode":
            return voting and self.room.board.total > 0 and not self.removing
        if action == "undo_vote":
            return voting and self.room.board.can_undo
        if action == "reveal":
            return voting
        if action == "cancel":
            return self.phase == "tiebreak" or self.removing
        if action == "next":
            return self.phase == "reveal" and not self.paused
        if action == "toggle_all":
            return self.phase == "reveal" and self.room.team_mode and not self.paused
        if action == "extend":
            return self.countdown is not None and voting
        if action == "toggle_qr":
            return self.phones is not None
        if action == "undo_decision":
            return (
                self.room.can_undo_decision and not self.paused and self.phase in ("vote", "reveal")
            )
        return True

    def _time_up(self) -> bool:
        return self.countdown is not None and self.countdown.expired

    def action_vote(self, n: int) -> None:
        board = self.room.board
        if self.removing:
            self.removing = False
            if not board.remove(n):
                self.refresh_view()
                self.say(f"Option {n} has no votes to take off.", warn=True)
                return
        else:
            board.add(n)
        self.refresh_view()

    def action_remove_mode(self) -> None:
        self.removing = True
        self.refresh_view()

    def action_cancel(self) -> None:
        self.removing = False
        if self.phase == "tiebreak":
            self.phase = "vote"
            self.tied = []
            self.picking = False
        self.refresh_view()

    def action_undo_vote(self) -> None:
        undone = self.room.board.undo()
        self.refresh_view()
        if undone:
            n, delta = undone
            self.say(f"Undone: {'a vote for' if delta > 0 else 'taking a vote off'} option {n}.")

    def action_reveal(self) -> None:
        if self.phones is not None:  # no vote may land between counting and locking in
            self.phones.close("the tutor is revealing")
            self._apply_ballots()
        board = self.room.board
        self.removing = False
        leaders = board.leaders()
        if not leaders and self._time_up():
            self.phase, self.picking = "tiebreak", True
            self.tied = list(board.options)
            self.refresh_view()
            return
        if not leaders:
            self.refresh_view()
            self.say("No votes yet: press an option's number once per vote.", warn=True)
            return
        if len(leaders) > 1:
            self.phase = "tiebreak"
            self.tied = leaders
            self.refresh_view()
            return
        self._lock(None)

    def action_pick(self, n: int) -> None:
        self._lock(n)

    def _lock(self, number: int | None) -> None:
        try:
            self.decision = self.room.lock(number)
        except ClassroomError as exc:
            self.say(str(exc), warn=True)
            return
        self.phase = "reveal"
        self.tied = []
        self.picking = False
        if self.phones is not None:
            d = self.decision
            self.phones.reveal(d.number, d.votes, team=d.team, turn=d.turn)
        self.query_one("#right", VerticalScroll).scroll_home(animate=False)
        self.refresh_view()

    def action_next(self) -> None:
        if not self.room.advance():
            from .debrief_screen import ClassDebriefScreen

            if self.phones is not None:
                self.phones.end()
            self.app.switch_screen(
                ClassDebriefScreen(
                    self.room,
                    phone_votes=self.phones.phone_votes if self.phones is not None else None,
                )
            )
            return
        self._new_decision()

    def _new_decision(self, carry: dict[str, int] | None = None) -> None:
        self.phase = "vote"
        self.picking = False
        self.decision = None
        if self.phones is not None:
            self._open_phone_round(carry)
        self.show_all = not self.room.team_mode
        if self.countdown is not None:
            self.countdown.restart()
        self.query_one("#right", VerticalScroll).scroll_home(animate=False)
        self.refresh_view()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.refresh_view()

    def action_extend(self) -> None:
        if self.countdown is not None:  # check_action offers extend only with a timer
            self.countdown.extend()
        self.refresh_view()

    def action_undo_decision(self) -> None:
        try:
            undone = self.room.undo_decision()
        except ClassroomError as exc:
            self.say(str(exc), warn=True)
            return
        carry = None
        if self.phones is not None:
            # The undone tally is hands and phones added up: the phones' part comes back as
            # their ballots (so a second tap is a duplicate), the rest as hands.
            record = self.phones.take_back(undone.team, undone.turn)
            board = self.room.board
            for n, c in record.counts.items():
                if n in board.counts:
                    board.counts[n] = max(0, board.counts[n] - c)
            carry = record.ballots
        self._new_decision(carry)
        who = f"{undone.team}'s" if self.room.team_mode else "the class's"
        self.say(
            f"Undone: {who} decision {undone.turn} (option {undone.number}). "
            f"The votes are back: fix them and reveal again."
        )

    def action_pause(self) -> None:
        self.paused = not self.paused
        if self.countdown is not None:
            self.countdown.paused = self.paused
        self.set_class(self.paused, "-paused")
        self.refresh_view()

    def _tick(self) -> None:
        if self.phones is not None:
            self.phones.forget_idle()
            self._show_phones()
        if self.countdown is None or self.phase != "vote" or self.paused:
            return
        ran_out = self.countdown.tick(1.0)
        self.refresh_view()
        if ran_out:
            self.app.bell()

    # -- phones ----------------------------------------------------------------------------------
    def _open_phone_round(self, carry: dict[str, int] | None = None) -> None:
        """Phones get the decision now on the projector; the tally starts from their ballots."""
        from simulator.classroom.phones import PhoneOption
        from simulator.engine.templating import plain

        room, hub = self.room, self.phones
        if hub is None:  # callers open a round only with phones
            return
        sc = room.scenario
        hub.new_round(
            customer=plain(sc.customer.name),
            line=plain(room.run.session.line.strip()),
            options=[PhoneOption(o.number, plain(o.text)) for o in room.offered()],
            team=room.run.name if room.team_mode else None,
            carry=carry,
        )
        room.board = HandsAndPhones.from_board(room.board, hub.counts())

    def _ballots_changed(self) -> None:
        """From the server: coalesce a burst of ballots into one redraw on the next loop turn."""
        if not self._ballots_pending:
            self._ballots_pending = True
            # Straight onto the loop, not behind the screen's message queue: the bars are
            # updated in place, which is cheap, and the room sees the vote at once.
            asyncio.get_running_loop().call_soon(self._apply_ballots)

    def _apply_ballots(self) -> None:
        self._ballots_pending = False
        board = self.room.board
        if (
            not self.is_attached
            or self.phones is None
            or self.phase == "reveal"
            or not isinstance(board, HandsAndPhones)
        ):
            return
        had_votes = board.total > 0
        board.set_phones(self.phones.counts())
        # Only what a ballot changes: the tally (in place); the keys and the advice only when
        # the first vote arrives or the last one goes (the footer is costly to redraw).
        self.query_one("#tally", Tally).show(
            self.room.offered(), board, self.tied if self.phase == "tiebreak" else []
        )
        if had_votes != (board.total > 0):
            self._status_default()
            self.refresh_bindings()
        if self.on_tally_shown is not None:
            self.on_tally_shown(self.phones.sequence)

    def _sync_phone_gate(self) -> None:
        """Phones may vote exactly when key votes count: voting phase, not paused, time left."""
        hub = self.phones
        if hub is None:  # only called with phones
            return
        if self.phase == "tiebreak":
            hub.close("the tutor is choosing" if self.picking else "the tutor is breaking a tie")
        elif self.phase == "vote" and self.paused:
            hub.close("the class is paused")
        elif self.phase == "vote" and self._time_up():
            hub.close("time is up")
        elif self.phase == "vote":
            hub.reopen()

    def _show_phones(self) -> None:
        if self.phones is None or self.address is None:  # set together (--phones)
            return
        self._sync_phone_gate()
        from .phones_panel import PhonesPanel, summary

        inline = self.qr_inline and self.qr_wanted
        panel = self.query_one("#phones", PhonesPanel)
        panel.set_class(inline, "-qr-inline")
        panel.show(qr=inline, hint="" if inline else "j shows the QR code")
        overlay = not self.qr_inline and self.qr_screen
        self.set_class(overlay, "-qr")
        if overlay:
            self.query_one("#qr-screen", PhonesPanel).show(qr=True, hint="j goes back")
        line = self.query_one("#phones-line", Static)
        line.update(summary(self.phones, self.address))
        line.display = self.has_class("-small") and not overlay

    def action_new_code(self) -> None:
        """A new join code for phones (the old one leaked, or votes look stuffed)."""
        if self.phones is not None:
            self.phones.rotate_code()
            self.refresh_view()

    def action_toggle_qr(self) -> None:
        """Beside the conversation where it fits; otherwise as a screen of its own."""
        if self.qr_inline:
            self.qr_wanted = not self.qr_wanted
        else:
            self.qr_screen = not self.qr_screen
        self.refresh_view()
