"""The phone server's defences against a hostile room (issue 31, item 2), apart from its routes.

- :func:`parse_body`: a vote body is a small flat JSON object or it is refused (400), whatever
  the bytes: 2 KB of nested ``[`` once made json.loads raise RecursionError (HTTP 500).
- :class:`JoinGuard`: the join code against guessing from many addresses. The code is long
  (8 symbols of 25: 1.5e11 codes), wrong codes draw on a *server-wide* budget as well as a
  per-address one, and when either is spent further unproven guesses wait (429) — but a phone
  that has already shown the right code is never held up, so a guessing attacker (or a wrong
  code typed on one phone behind the college's NAT) cannot lock the room out. At the budget's
  sustained rate (2 wrong codes a second for the whole server) an hour of guessing tries 7,200
  codes: a chance of 5e-8 of hitting the code. The tutor can rotate the code.
- :class:`BallotGuard`: at most ``per_address`` phones may vote from one address in a round
  (a class is ~60 phones behind one NAT); more is refused and the round is marked for the
  tutor as looking stuffed.
- :class:`ConnectionGuard` (in connections.py, shared with `web` and `serve`): connections are
  capped below the open-file limit and a connection that sends nothing, or dribbles a request,
  is closed after a few seconds (half-open and slow clients held every phone out and ran the
  classroom out of file descriptors).

All in memory, keyed by address or by the page's random id, forgotten when the class ends.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .connections import ConnectionGuard, file_limit, quiet_loop

__all__ = [
    "BallotGuard",
    "ConnectionGuard",
    "JoinGuard",
    "file_limit",
    "parse_body",
    "quiet_loop",
]

MAX_DEPTH = 4  # a vote is {"code", "device", "round", "option", "team"}: no nesting at all


def parse_body(raw: bytes) -> dict[str, Any] | None:
    """The JSON object in ``raw``, or None for anything else (bad UTF-8, bad JSON, deep
    nesting, numbers that take long to read, a list): never an exception."""
    depth = 0
    for byte in raw:
        if byte in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                return None
        elif byte in b"]}":
            depth -= 1
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


class _Bucket:
    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst, self.tokens, self.last = rate, burst, burst, now

    def refill(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        return self.tokens


@dataclass
class JoinGuard:
    """Who may have their join code checked now; see the module docstring."""

    global_rate: float = 2.0  # wrong codes a second, for the whole server
    global_burst: float = 40.0
    address_rate: float = 0.2  # wrong codes a second from one address (one every 5 s) ...
    address_burst: float = 8.0  # ... after this many at once
    clock: Callable[[], float] = time.monotonic
    admitted: set[str] = field(default_factory=set)  # devices that showed the right code
    _global: _Bucket | None = None
    _addresses: dict[str, _Bucket] = field(default_factory=dict)

    def wait(self, address: str, device: object) -> float:
        """Seconds before this caller's code may be checked (0: check it now)."""
        if isinstance(device, str) and device in self.admitted:
            return 0.0
        now = self.clock()
        g = self._global_bucket(now)
        a = self._addresses.get(address)
        short = max(0.0, 1.0 - g.refill(now)) / g.rate
        if a is not None:
            short = max(short, max(0.0, 1.0 - a.refill(now)) / a.rate)
        return short

    def failed(self, address: str) -> None:
        now = self.clock()
        g = self._global_bucket(now)
        g.refill(now)
        g.tokens -= 1.0
        a = self._addresses.get(address)
        if a is None:
            if len(self._addresses) > 50_000:  # thousands of made-up addresses: forget them
                self._addresses.clear()
            a = self._addresses[address] = _Bucket(self.address_rate, self.address_burst, now)
        a.refill(now)
        a.tokens -= 1.0

    def passed(self, device: object) -> None:
        if isinstance(device, str) and len(self.admitted) < 10_000:
            self.admitted.add(device)

    def rotate(self) -> None:
        """A new code: every phone shows it again (a leaked code's phones are out)."""
        self.admitted.clear()

    def _global_bucket(self, now: float) -> _Bucket:
        if self._global is None:
            self._global = _Bucket(self.global_rate, self.global_burst, now)
        return self._global


@dataclass
class BallotGuard:
    """Phones voting from each address in each round; too many from one is refused and noted."""

    per_address: int = 60
    _phones: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    refused: dict[int, int] = field(default_factory=dict)  # round -> ballots refused

    def allow(self, round_: int, address: str, device: str) -> bool:
        if len(self._phones) > 5_000:  # old rounds are not needed: keep the table small
            self._phones = {k: v for k, v in self._phones.items() if k[0] >= round_}
        phones = self._phones.setdefault((round_, address), set())
        if device in phones:
            return True
        if len(phones) >= self.per_address:
            self.refused[round_] = self.refused.get(round_, 0) + 1
            return False
        phones.add(device)
        return True

    def warning(self, round_: int) -> str:
        """What to tell the tutor about this round's ballots ("" when nothing looks wrong)."""
        refused = self.refused.get(round_, 0)
        if not refused:
            return ""
        return (
            f"Votes look stuffed: {refused} ballot(s) from one network address were refused "
            f"this round (over {self.per_address} phones). Consider a new join code (c)."
        )
