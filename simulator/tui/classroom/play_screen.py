"""The projector's main screen: the customer, the options and the tally, then the reveal.

The lesson itself — phases, the timer, votes, the phone gate, undo — is a
:class:`simulator.classroom.lesson.Lesson` with no screen; this screen draws it and sends it the
tutor's keys. Keys that do not apply are hidden from the Footer (``Lesson.can``).

With `--phones` ballots arriving from the phone server redraw the tally (hands keyed in and
phone votes are added up, and shown apart). `j` shows or hides the QR code. When time runs out
with no votes at all, the tutor can give more time, key in hands, or press Enter and pick an
option; the screen says so instead of sitting there.
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

from simulator.classroom.lesson import REVEAL, TIEBREAK, VOTE, Lesson, Note
from simulator.classroom.room import ClassRoom
from simulator.classroom.timer import EXTEND_BY
from simulator.engine.i18n import N_
from simulator.engine.i18n import gettext as _
from simulator.tui.widgets.mood_meter import MoodMeter

from ..widgets.footer import KeyFooter
from .text import Piece, lit, outcome_word, quoted
from .widgets import Reveal, Scoreboard, Tally, mood_change

if TYPE_CHECKING:
    from simulator.classroom.phones import PhoneHub
    from simulator.classroom.room import Decision
    from simulator.classroom.timer import Countdown
    from simulator.classroom.web.server import Address

# The keys' words are English here and the class's language in the footer (N_: the catalogue).
VOTE_KEYS = Binding.Group(N_("Vote"))
PICK_KEYS = Binding.Group(N_("Pick the winner"))

SMALL_WIDTH, SMALL_HEIGHT = 100, 30
LARGE_WIDTH, LARGE_HEIGHT = 140, 40


class ClassScreen(Screen[None]):
    BINDINGS = [
        *[Binding(str(n), f"vote({n})", N_("Vote"), group=VOTE_KEYS) for n in range(1, 10)],
        *[Binding(str(n), f"pick({n})", N_("Pick"), group=PICK_KEYS) for n in range(1, 10)],
        Binding("minus", "remove_mode", N_("Take a vote off")),
        Binding("backspace", "undo_vote", N_("Undo vote")),
        Binding("enter", "reveal", N_("Reveal")),
        Binding("r", "reveal", N_("Reveal"), show=False),
        Binding("escape", "cancel", N_("Cancel")),
        Binding("n", "next", N_("Next")),
        Binding("space", "next", N_("Next"), show=False),
        Binding("v", "toggle_all", N_("All options")),
        Binding("plus", "extend", f"+{EXTEND_BY}s"),
        Binding("e", "extend", f"+{EXTEND_BY}s", show=False),
        Binding("u", "undo_decision", N_("Undo decision")),
        Binding("p", "pause", N_("Pause")),
        Binding("j", "toggle_qr", N_("QR")),
        Binding("c", "new_code", N_("New join code"), show=False),
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
        self.lesson = Lesson(room, timer=timer, phones=phones)
        self.phones = phones  # a PhoneHub, with --phones
        self.address = address  # where phones join
        self.qr_wanted = True  # the QR code beside the conversation (large screens)
        self.qr_screen = False  # the QR code on a screen of its own (small screens)
        self.qr_inline = False
        self._ballots_pending = False
        self.on_tally_shown = None  # benchmarks: called with the hub's sequence once shown

    # What the lesson holds, read by the drawing below (and by tests).
    countdown: Countdown | None = property(lambda self: self.lesson.countdown)  # type: ignore[assignment]
    phase: str = property(lambda self: self.lesson.phase)  # type: ignore[assignment]
    paused: bool = property(lambda self: self.lesson.paused)  # type: ignore[assignment]
    removing: bool = property(lambda self: self.lesson.removing)  # type: ignore[assignment]
    show_all: bool = property(lambda self: self.lesson.show_all)  # type: ignore[assignment]
    tied: list[int] = property(lambda self: self.lesson.tied)  # type: ignore[assignment]
    decision: Decision | None = property(lambda self: self.lesson.decision)  # type: ignore[assignment]
    picking: bool = property(lambda self: self.lesson.picking)  # type: ignore[assignment]

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
            self.lesson.open_phone_round()
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
            where = _("Round {n}").format(n=room.round - (1 if self.phase == REVEAL else 0))
        else:
            where = _("Decision {n}").format(
                n=len(run.decisions) + (0 if self.phase == REVEAL else 1)
            )
        top: list[Piece] = [(f"{where} · ", "bold"), lit(sc.title, "bold")]
        if not small:
            top.insert(0, (_("CounterTalk classroom") + " · ", ""))
        self.query_one("#title", Static).update(Content.assemble(*top))
        clock = self.query_one("#clock", Static)
        if self.countdown is not None and self.phase == VOTE:
            state = (
                " " + _("PAUSED")
                if self.countdown.paused
                else " " + _("waits for the first phone")
                if self.lesson.waiting_for_phones
                else " " + _("TIME'S UP")
                if self.countdown.expired
                else ""
            )
            clock.update(lit(f" ⏱ {self.countdown.clock()}{state} "))
            clock.display = True
        else:
            clock.display = False

        if room.team_mode:
            banner = (
                "▶ " + _("{TEAM}'S TURN").format(TEAM=run.name.upper()) + " ◀"
                if self.phase != REVEAL
                else _("{TEAM} DECIDED").format(TEAM=run.name.upper())
            )
            self.query_one("#banner", Static).update(lit(banner))

        decision = self.decision if self.phase == REVEAL else None
        decided = decision is not None
        who = _("Colleague:") if sc.customer.internal else _("Customer:")
        header: list[Piece] = [(f"{who} ", "bold"), lit(sc.customer.name, "bold $accent")]
        if sc.customer.persona and not small:
            header += [" — ", lit(sc.customer.persona, "italic")]
        if decided:
            header += [("  " + (_("reacts:") if not s.ended else "— " + _("the end:")), "bold")]
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
                ended = _("The conversation has ended: {outcome}").format(
                    outcome=outcome_word(s.outcome)
                )
                parts += ["\n", (f"■ {ended}", "bold")]
            change.update(Content.assemble(*parts))
            change.display = True
            big_mood.update(f"{chosen.mood_change:+d}")
            big_mood.display = True
        else:
            change.display = False
            big_mood.display = False
        big_timer = self.query_one("#big-timer", Digits)
        if self.countdown is not None and self.phase == VOTE:
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
            tally.show(room.offered(), room.board, self.tied if self.phase == TIEBREAK else [])

        if room.team_mode:
            self.query_one("#scoreboard", Scoreboard).show(room.scoreboard(), compact=small)
        self.query_one("#paused", Static).update(
            Content.assemble(
                (_("PAUSED"), "bold reverse $accent"), "\n\n", _("Press p to carry on.")
            )
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
        self._say(self.lesson.advice())

    def _say(self, note: Note | None) -> None:
        if note is None:
            self.say("")
        else:
            self.say(note.text, warn=note.warn)

    # -- keys ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        number = int(str(parameters[0])) if parameters else None  # vote(N), pick(N): int literals
        return self.lesson.can(action, number)

    def _did(self, note: Note | None) -> None:
        """Redraw after an action; then say what the action said, if anything."""
        self.refresh_view()
        if note is not None:
            self._say(note)

    def action_vote(self, n: int) -> None:
        self._did(self.lesson.vote(n))

    def action_remove_mode(self) -> None:
        self.lesson.remove_mode()
        self.refresh_view()

    def action_cancel(self) -> None:
        self.lesson.cancel()
        self.refresh_view()

    def action_undo_vote(self) -> None:
        self._did(self.lesson.undo_vote())

    def action_reveal(self) -> None:
        self._decided(self.lesson.reveal())

    def action_pick(self, n: int) -> None:
        self._decided(self.lesson.lock(n))

    def _decided(self, note: Note | None) -> None:
        if self.phase == REVEAL:  # locked in: the consequences, from the top
            self.query_one("#right", VerticalScroll).scroll_home(animate=False)
        self._did(note)

    def action_next(self) -> None:
        if not self.lesson.next():
            from .debrief_screen import ClassDebriefScreen

            self.app.switch_screen(
                ClassDebriefScreen(
                    self.room,
                    phone_votes=self.phones.phone_votes if self.phones is not None else None,
                )
            )
            return
        self.query_one("#right", VerticalScroll).scroll_home(animate=False)
        self.refresh_view()

    def action_toggle_all(self) -> None:
        self.lesson.toggle_all()
        self.refresh_view()

    def action_extend(self) -> None:
        self.lesson.extend()
        self.refresh_view()

    def action_undo_decision(self) -> None:
        note = self.lesson.undo_decision()
        if note.warn:  # nothing was undone
            self._say(note)
            return
        self.query_one("#right", VerticalScroll).scroll_home(animate=False)
        self._did(note)

    def action_pause(self) -> None:
        self.lesson.pause()
        self.set_class(self.paused, "-paused")
        self.refresh_view()

    def _tick(self) -> None:
        ran_out = self.lesson.tick(1.0)
        if self.phones is not None:
            self._show_phones()
        if self.countdown is None or self.phase != VOTE or self.paused:
            return
        self.refresh_view()  # (also while it waits for the first phone: the clock says so)
        if ran_out:
            self.app.bell()

    # -- phones ----------------------------------------------------------------------------------
    def _ballots_changed(self) -> None:
        """From the server: coalesce a burst of ballots into one redraw on the next loop turn."""
        if not self._ballots_pending:
            self._ballots_pending = True
            # Straight onto the loop, not behind the screen's message queue: the bars are
            # updated in place, which is cheap, and the room sees the vote at once.
            asyncio.get_running_loop().call_soon(self._apply_ballots)

    def _apply_ballots(self) -> None:
        self._ballots_pending = False
        if not self.is_attached:
            return
        changed = self.lesson.apply_ballots()
        if changed is None:
            return
        # Only what a ballot changes: the tally (in place); the keys and the advice only when
        # the first vote arrives or the last one goes (the footer is costly to redraw).
        self.query_one("#tally", Tally).show(
            self.room.offered(), self.room.board, self.tied if self.phase == TIEBREAK else []
        )
        if changed:
            self._status_default()
            self.refresh_bindings()
        if self.on_tally_shown is not None and self.phones is not None:
            self.on_tally_shown(self.phones.sequence)

    def _show_phones(self) -> None:
        if self.phones is None or self.address is None:  # set together (--phones)
            return
        self.lesson.sync_phone_gate()
        from .phones_panel import PhonesPanel, summary

        inline = self.qr_inline and self.qr_wanted
        panel = self.query_one("#phones", PhonesPanel)
        panel.set_class(inline, "-qr-inline")
        panel.show(qr=inline, hint="" if inline else _("j shows the QR code"))
        overlay = not self.qr_inline and self.qr_screen
        self.set_class(overlay, "-qr")
        if overlay:
            self.query_one("#qr-screen", PhonesPanel).show(qr=True, hint=_("j goes back"))
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
