"""The lesson on the projector, with no screen: phases, the timer, votes, the phone gate, undo.

Phases: "vote" (the tutor keys in hands: a number adds one, remove mode takes one off, undo
takes back the last key), "tiebreak" (a reveal found a tie, or time ran out with no votes: the
tutor picks), "reveal" (every option's consequence; next goes on). Pause stops everything; undo
decision takes back the last locked-in decision.

With phones (a :class:`~.phones.PhoneHub`) every new decision opens a phone round, reveal, pause
and time-up close it, and ballots are added to the hands keyed in. The projector screen
(`tui/classroom/play_screen.py`) only draws a :class:`Lesson` and sends it the tutor's keys;
another front end (a web projector page) could drive the same lesson.

Each action returns a :class:`Note` — the one line the room should read (why a key did
nothing, what was undone) — or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.engine.i18n import N_
from simulator.engine.i18n import gettext as _

from .phone_board import HandsAndPhones
from .room import ClassRoom, ClassroomError, Decision
from .timer import EXTEND_BY, Countdown

if TYPE_CHECKING:
    from .phones import PhoneHub

VOTE, TIEBREAK, REVEAL = "vote", "tiebreak", "reveal"


@dataclass(frozen=True)
class Note:
    """A line for the room; ``warn`` when a key did nothing or something needs the tutor."""

    text: str
    warn: bool = False


class Lesson:
    def __init__(
        self, room: ClassRoom, *, timer: int | None = None, phones: PhoneHub | None = None
    ) -> None:
        self.room = room
        self.countdown = Countdown(timer) if timer else None
        self.phones = phones
        self.phase = VOTE
        self.paused = False
        self.removing = False
        self.show_all = not room.team_mode
        self.tied: list[int] = []
        self.decision: Decision | None = None
        self.picking = False  # time ran out with no votes: the tutor picks an option

    # -- what may be done now --------------------------------------------------------------------
    @property
    def voting(self) -> bool:
        return self.phase == VOTE and not self.paused

    @property
    def time_up(self) -> bool:
        return self.countdown is not None and self.countdown.expired

    def can(self, action: str, number: int | None = None) -> bool | None:
        """Whether an action applies now: True, False (hidden), or None (shown, disabled)."""
        board = self.room.board
        if action == "vote":
            if number is None or number > len(board.options) or not self.voting:
                return False
            closed = self.time_up and not self.removing and board.total > 0
            return None if closed else True
        if action == "pick":
            return self.phase == TIEBREAK and number in self.tied
        if action == "remove_mode":
            return self.voting and board.total > 0 and not self.removing
        if action == "undo_vote":
            return self.voting and board.can_undo
        if action == "reveal":
            return self.voting
        if action == "cancel":
            return self.phase == TIEBREAK or self.removing
        if action == "next":
            return self.phase == REVEAL and not self.paused
        if action == "toggle_all":
            return self.phase == REVEAL and self.room.team_mode and not self.paused
        if action == "extend":
            return self.countdown is not None and self.voting
        if action == "toggle_qr":
            return self.phones is not None
        if action == "undo_decision":
            return self.room.can_undo_decision and not self.paused and self.phase in (VOTE, REVEAL)
        return True

    # -- votes -----------------------------------------------------------------------------------
    def vote(self, n: int) -> Note | None:
        board = self.room.board
        if self.removing:
            self.removing = False
            if not board.remove(n):
                return Note(_("Option {n} has no votes to take off.").format(n=n), warn=True)
            return None
        board.add(n)
        return None

    def remove_mode(self) -> None:
        self.removing = True

    def cancel(self) -> None:
        self.removing = False
        if self.phase == TIEBREAK:
            self.phase, self.tied, self.picking = VOTE, [], False

    def undo_vote(self) -> Note | None:
        undone = self.room.board.undo()
        if not undone:
            return None
        n, delta = undone
        if delta > 0:
            return Note(_("Undone: a vote for option {n}.").format(n=n))
        return Note(_("Undone: taking a vote off option {n}.").format(n=n))

    # -- deciding --------------------------------------------------------------------------------
    def reveal(self) -> Note | None:
        """Count and lock in the winner; a tie (or no votes when time is up) asks the tutor."""
        if self.phones is not None:  # no vote may land between counting and locking in
            self.phones.close(N_("the tutor is revealing"))
            self.apply_ballots()
        board = self.room.board
        self.removing = False
        leaders = board.leaders()
        if not leaders and self.time_up:
            self.phase, self.picking, self.tied = TIEBREAK, True, list(board.options)
            return None
        if not leaders:
            return Note(_("No votes yet: press an option's number once per vote."), warn=True)
        if len(leaders) > 1:
            self.phase, self.tied = TIEBREAK, leaders
            return None
        return self.lock(None)

    def lock(self, number: int | None) -> Note | None:
        """Lock in ``number`` (None: the leader) and reveal what it led to."""
        try:
            self.decision = self.room.lock(number)
        except ClassroomError as exc:
            return Note(str(exc), warn=True)
        except OSError as exc:  # out of file handles or disk: the choice is applied whole or not
            why = exc.strerror or type(exc).__name__
            return Note(
                _(
                    "The class's answer could not be locked in ({why}); nothing was lost. "
                    "Press the reveal key again to retry."
                ).format(why=why),
                warn=True,
            )
        self.phase, self.tied, self.picking = REVEAL, [], False
        if self.phones is not None:
            d = self.decision
            self.phones.reveal(d.number, d.votes, team=d.team, turn=d.turn)
        return None

    def next(self) -> bool:
        """On to the next decision; False when the lesson is over (the phones are told)."""
        if not self.room.advance():
            if self.phones is not None:
                self.phones.end()
            return False
        self.new_decision()
        return True

    def new_decision(self, carry: dict[str, int] | None = None) -> None:
        self.phase, self.picking, self.decision = VOTE, False, None
        if self.phones is not None:
            self.open_phone_round(carry)
        self.show_all = not self.room.team_mode
        if self.countdown is not None:
            self.countdown.restart()

    def toggle_all(self) -> None:
        self.show_all = not self.show_all

    def extend(self) -> None:
        if self.countdown is not None:
            self.countdown.extend()

    def undo_decision(self) -> Note:
        """Take back the last locked-in decision: its votes come back to be fixed."""
        try:
            undone = self.room.undo_decision()
        except ClassroomError as exc:
            return Note(str(exc), warn=True)
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
        self.new_decision(carry)
        if self.room.team_mode:
            said = _("Undone: {team}'s decision {turn} (option {number}).").format(
                team=undone.team, turn=undone.turn, number=undone.number
            )
        else:
            said = _("Undone: the class's decision {turn} (option {number}).").format(
                turn=undone.turn, number=undone.number
            )
        return Note(said + " " + _("The votes are back: fix them and reveal again."))

    def pause(self) -> None:
        self.paused = not self.paused
        if self.countdown is not None:
            self.countdown.paused = self.paused

    @property
    def waiting_for_phones(self) -> bool:
        """Phones are on and none has joined: the timer waits (issue 30: it ran down while the
        room was still scanning the QR code)."""
        return self.phones is not None and self.phones.joined() == 0

    def tick(self, seconds: float = 1.0) -> bool:
        """A second went by; True when the time has just run out."""
        if self.phones is not None:
            self.phones.forget_idle()
        if self.countdown is None or self.phase != VOTE or self.paused:
            return False
        ran_out = False if self.waiting_for_phones else self.countdown.tick(seconds)
        self.share_time()
        return ran_out

    def share_time(self) -> None:
        """Phones show the countdown the projector shows (issue 30)."""
        if self.phones is None:
            return
        c = self.countdown
        self.phones.set_time(
            None if c is None else c.remaining, waiting=c is not None and self.waiting_for_phones
        )

    # -- phones ----------------------------------------------------------------------------------
    def open_phone_round(self, carry: dict[str, int] | None = None) -> None:
        """Phones get the decision now on the projector; the tally starts from their ballots."""
        from simulator.classroom.phones import PhoneOption
        from simulator.engine.templating import plain

        room, hub = self.room, self.phones
        if hub is None:
            return
        sc = room.scenario
        hub.new_round(
            customer=plain(sc.customer.name),
            line=plain(room.run.session.line.strip()),
            options=[PhoneOption(o.number, plain(o.text)) for o in room.offered()],
            team=room.run.name if room.team_mode else None,
            carry=carry,
            note=plain((room.run.session.note or "").strip()),
        )
        self.share_time()
        room.board = HandsAndPhones.from_board(room.board, hub.counts())

    def apply_ballots(self) -> bool | None:
        """The phones' ballots into the tally. None when they do not count now (revealed, or
        no phones); else whether the tally went from no votes to some or back (the keys and the
        advice change then)."""
        board = self.room.board
        if self.phones is None or self.phase == REVEAL or not isinstance(board, HandsAndPhones):
            return None
        had_votes = board.total > 0
        board.set_phones(self.phones.counts())
        return had_votes != (board.total > 0)

    def sync_phone_gate(self) -> None:
        """Phones may vote exactly when key votes count: voting phase, not paused, time left."""
        hub = self.phones
        if hub is None:
            return
        if self.phase == TIEBREAK:
            # Why voting is closed, in English: each phone reads it in its own language.
            hub.close(
                N_("the tutor is choosing") if self.picking else N_("the tutor is breaking a tie")
            )
        elif self.phase == VOTE and self.paused:
            hub.close(N_("the class is paused"))
        elif self.phase == VOTE and self.time_up:
            hub.close(N_("time is up"))
        elif self.phase == VOTE:
            hub.reopen()

    # -- the one line for the room ---------------------------------------------------------------
    def advice(self) -> Note | None:
        """What the room should read when nothing else was said (None: the screen's own)."""
        if self.room.store_problem:
            return Note(self.room.store_problem, warn=True)
        if self.phase == TIEBREAK and self.picking:
            return Note(
                _(
                    "Nobody voted. Tutor: press the number of the option to take "
                    "(Esc goes back to voting)."
                ),
                warn=True,
            )
        if self.phase == TIEBREAK:
            tied = _(" or ").join(str(n) for n in self.tied)
            return Note(
                _("It's a tie between {tied}. Tutor: press {tied} to choose.").format(tied=tied),
                warn=True,
            )
        if self.removing:
            return Note(_("Take a vote off: press the option's number (Esc to cancel)."), warn=True)
        if self.phase == VOTE and self.time_up and self.room.board.total == 0:
            return Note(
                _(
                    "Time's up and nobody has voted. + gives {seconds} seconds more; "
                    "number keys record hands; Enter lets you pick an option."
                ).format(seconds=EXTEND_BY),
                warn=True,
            )
        if self.countdown is not None and self.phase == VOTE and self.countdown.expired:
            return Note(
                _("Time's up! Enter reveals; + gives {seconds} seconds more.").format(
                    seconds=EXTEND_BY
                ),
                warn=True,
            )
        if self.phase == REVEAL:
            return Note(
                _("Talk it through, then press n for the next decision.")
                if not self.room.run.ended
                else _("Press n to go on.")
            )
        return None
