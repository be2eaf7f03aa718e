"""Votes from learners' phones, as plain state: the join code, rounds, and one ballot per phone.

The projector tells the hub what the class is doing (a new decision, voting closed, the
reveal, the end); the web server (`simulator.classroom.web`) hands it the phones' requests.
Both run on the same asyncio loop, so nothing here needs a lock, and nothing here touches the
network or Textual, so every rule can be tested directly.

Rules: a vote names the round it was cast in, so a late vote for an old round is answered
"closed" rather than landing on the wrong decision; a phone has one ballot per round (voting
again for another option moves it, "changed"; for the same option, "duplicate"). Phones are
known only by a random id their page makes up: no names, nothing personal.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.i18n import gettext as _

# Letters and digits that cannot be misread from the back of a room (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8  # 25**8 = 1.5e11 codes: guessing within a lesson is hopeless (issue 31)
CODE_RE = re.compile(r"^[A-Za-z0-9]{4,12}$")
DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
LIVE_SECONDS = 30.0  # a phone not heard from for this long no longer counts as joined

STATUSES = ("accepted", "changed", "duplicate", "closed", "invalid")


class PhoneCodeError(ValueError):
    """A --code the tutor typed that phones could not type back."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What the tutor typed, as phones must type it: 4-12 letters or digits, upper case."""
    text = (text or "").strip()
    if not CODE_RE.match(text):
        raise PhoneCodeError("--code takes 4 to 12 letters or digits (for example K7PX4Q)")
    return text.upper()


@dataclass(frozen=True)
class PhoneOption:
    number: int
    text: str


@dataclass(frozen=True)
class VoteAnswer:
    status: str  # one of STATUSES
    message: str  # what the phone shows
    round: int
    option: int | None = None  # this phone's ballot in this round, after the vote
    sequence: int = 0  # the hub's ballot-change counter after this vote (for latency figures)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "message": self.message, "round": self.round}
        if self.option is not None:
            out["option"] = self.option
        return out


@dataclass
class RoundRecord:
    """The phones' part of one locked-in decision, kept for the debrief and for undo."""

    counts: dict[int, int]
    ballots: dict[str, int] = field(default_factory=dict)


class PhoneHub:
    def __init__(
        self,
        *,
        code: str | None = None,
        title: str = "",
        teams: list[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.code = normalise_code(code) if code else new_code()
        self.title = title
        self.teams = list(teams or [])
        self.clock = clock
        self.round = 0
        self.phase = "waiting"  # vote | closed | reveal | ended | waiting
        self.reason = ""  # why voting is closed, in the phone's words
        self.customer = ""
        self.line = ""
        self.note = ""  # the briefing the projector shows with the line ("Policy: … £25")
        self.time_left: int | None = None  # seconds left to vote (None: no timer)
        self.time_waiting = False  # the timer waits for the first phone
        self.options: list[PhoneOption] = []
        self.team: str | None = None  # whose turn it is (team mode)
        self.chosen: int | None = None
        self.chosen_votes: dict[int, int] = {}
        self.ballots: dict[str, int] = {}
        self.version = 0  # bumped whenever what phones are shown changes
        self.sequence = 0  # bumped whenever a ballot changes
        self.records: dict[tuple[str, int], RoundRecord] = {}
        self._seen: dict[str, float] = {}
        self._connected: dict[str, int] = {}
        self.warning = ""  # for the tutor: this round's ballots look stuffed (the server says)
        self._state_listeners: list[Callable[[], None]] = []
        self._ballot_listeners: list[Callable[[], None]] = []

    # -- listeners (the server broadcasts state; the projector redraws the tally) -------------
    def on_state(self, fn: Callable[[], None]) -> None:
        self._state_listeners.append(fn)

    def on_ballot(self, fn: Callable[[], None]) -> None:
        self._ballot_listeners.append(fn)

    def _changed(self) -> None:
        self.version += 1
        for fn in list(self._state_listeners):
            fn()

    def _ballot_changed(self) -> None:
        self.sequence += 1
        for fn in list(self._ballot_listeners):
            fn()

    # -- the projector's side --------------------------------------------------------------------
    def new_round(
        self,
        *,
        customer: str,
        line: str,
        options: list[PhoneOption],
        team: str | None = None,
        carry: dict[str, int] | None = None,
        note: str = "",
    ) -> int:
        """A new decision is open: phones get its options; old-round votes now answer "closed".

        `carry` brings back the ballots of a decision the tutor undid, so those phones' votes
        are on the tally again and a second tap is a duplicate, not a second vote.
        """
        self.round += 1
        self.customer, self.line, self.note = customer, line, note
        self.options = list(options)
        self.team = team
        self.chosen, self.chosen_votes = None, {}
        numbers = {o.number for o in self.options}
        self.ballots = {d: n for d, n in (carry or {}).items() if n in numbers}
        self.phase, self.reason = "vote", ""
        self.warning = ""
        self._changed()
        self._ballot_changed()
        return self.round

    def rotate_code(self) -> str:
        """A new join code (the old one leaked, or guessing is suspected): phones must type
        the new one; the server forgets which phones had shown the old."""
        self.code = new_code()
        self._changed()
        return self.code

    def set_time(self, seconds: float | None, *, waiting: bool = False) -> None:
        """The countdown as phones show it (whole seconds; None when there is no timer)."""
        left = None if seconds is None else max(0, int(seconds + 0.999))
        if (left, waiting) != (self.time_left, self.time_waiting):
            self.time_left, self.time_waiting = left, waiting
            self._changed()

    def warn(self, text: str) -> None:
        """Tell the tutor (the projector's phone panel) something about this round's ballots."""
        if text and text != self.warning:
            self.warning = text
            self._ballot_changed()

    def close(self, reason: str) -> None:
        """Stop taking votes (time is up, a tie is being broken, the class is paused)."""
        if self.phase == "closed" and self.reason == reason:
            return
        if self.phase in ("vote", "closed"):
            self.phase, self.reason = "closed", reason
            self._changed()

    def reopen(self) -> None:
        if self.phase == "closed":
            self.phase, self.reason = "vote", ""
            self._changed()

    def reveal(self, chosen: int, votes: dict[int, int], *, team: str, turn: int) -> None:
        """The class's choice is locked in: keep the phones' part for the debrief and for undo."""
        self.records[(team, turn)] = RoundRecord(self.counts(), dict(self.ballots))
        self.phase, self.reason = "reveal", ""
        self.chosen, self.chosen_votes = chosen, dict(votes)
        self._changed()

    def take_back(self, team: str, turn: int) -> RoundRecord:
        """The tutor undid that decision: its phone record (empty if phones had none)."""
        return self.records.pop((team, turn), RoundRecord(dict.fromkeys(self.numbers(), 0)))

    def end(self) -> None:
        self.phase, self.reason, self.options = "ended", "", []
        self._changed()

    # -- reading ---------------------------------------------------------------------------------
    def numbers(self) -> list[int]:
        return [o.number for o in self.options]

    def counts(self) -> dict[int, int]:
        out = dict.fromkeys(self.numbers(), 0)
        for n in self.ballots.values():
            if n in out:
                out[n] += 1
        return out

    def phone_votes(self, team: str, turn: int) -> dict[int, int]:
        rec = self.records.get((team, turn))
        return dict(rec.counts) if rec else {}

    def joined(self) -> int:
        """Phones connected now or heard from in the last LIVE_SECONDS."""
        now = self.clock()
        live = {d for d, t in self._seen.items() if now - t <= LIVE_SECONDS}
        live.update(d for d, n in self._connected.items() if n > 0)
        return len(live)

    def state(self, device: str | None = None) -> dict[str, Any]:
        """What a phone is shown (and the JSON of GET /api/state)."""
        out: dict[str, Any] = {
            "round": self.round,
            "open": self.phase == "vote",
            "phase": self.phase,
            "reason": self.reason,
            "title": self.title,
            "customer": self.customer,
            "line": self.line,
            "note": self.note,
            "time_left": self.time_left,
            "time_waiting": self.time_waiting,
            "options": [{"number": o.number, "text": o.text} for o in self.options],
            "teams": self.teams,
            "team": self.team,
            "version": self.version,
        }
        if self.phase == "reveal":
            out["chosen"] = self.chosen
            out["votes"] = {str(k): v for k, v in self.chosen_votes.items()}
        if device is not None:
            out["your_vote"] = self.ballots.get(device) if self.phase != "ended" else None
        return out

    # -- the phones' side ------------------------------------------------------------------------
    def check_code(self, text: object) -> bool:
        if not isinstance(text, str) or len(text) > 32:
            return False
        return hmac.compare_digest(text.strip().upper().encode(), self.code.encode())

    def valid_device(self, device: object) -> bool:
        return isinstance(device, str) and bool(DEVICE_RE.match(device))

    def touch(self, device: str) -> None:
        if self.valid_device(device):
            self._seen[device] = self.clock()

    def connect(self, device: str) -> None:
        if self.valid_device(device):
            self._connected[device] = self._connected.get(device, 0) + 1
            self.touch(device)

    def disconnect(self, device: str) -> None:
        """A phone's live connection closed. Its last one closing means the page was closed:
        it no longer counts as joined (issue 30: a phone closed earlier was still counted)."""
        n = self._connected.get(device, 0) - 1
        if n > 0:
            self._connected[device] = n
            self.touch(device)
        else:
            self._connected.pop(device, None)
            self._seen.pop(device, None)

    def forget_idle(self) -> None:
        """Drop phones not heard from for a long while, so the table stays small."""
        now = self.clock()
        for d in [d for d, t in self._seen.items() if now - t > 10 * LIVE_SECONDS]:
            if d not in self._connected:
                del self._seen[d]

    def vote(
        self, device: object, round: object, option: object, team: object = None
    ) -> VoteAnswer:
        if not self.valid_device(device):
            return self._answer("invalid", _("This phone's id is not valid: reload the page."))
        assert isinstance(device, str)
        self.touch(device)
        if type(round) is not int or type(option) is not int:
            return self._answer("invalid", _("A vote needs a round and an option number."), device)
        if team is not None and (not isinstance(team, str) or team not in self.teams):
            return self._answer("invalid", _("There is no such team."), device)
        if round != self.round or self.phase in ("reveal", "ended", "waiting"):
            if round > self.round:
                return self._answer("invalid", _("There is no such round yet."), device)
            return self._answer("closed", _("Voting on that decision has closed."), device)
        # The answers are in the phone's language (the server sets it for the request); the
        # reason voting is closed is kept in English (N_) and translated here.
        if self.phase == "closed":
            said = _("Voting is closed: {reason}").format(reason=_(self.reason))
            return self._answer("closed", said, device)
        if team is not None and self.team is not None and team != self.team:
            said = _("It's {team}'s turn to decide.").format(team=self.team)
            return self._answer("closed", said, device)
        if option not in self.numbers():
            said = _("There is no option {option}.").format(option=option)
            return self._answer("invalid", said, device)
        before = self.ballots.get(device)
        if before == option:
            said = _("You already voted for {option}.").format(option=option)
            return self._answer("duplicate", said, device)
        self.ballots[device] = option
        self._ballot_changed()
        if before is None:
            said = _("Vote counted: option {option}.").format(option=option)
            return self._answer("accepted", said, device)
        said = _("You already voted — changed to {option}.").format(option=option)
        return self._answer("changed", said, device)

    def _answer(self, status: str, message: str, device: str | None = None) -> VoteAnswer:
        return VoteAnswer(
            status,
            message,
            self.round,
            self.ballots.get(device) if device else None,
            self.sequence,
        )
