"""Request limits for the phone server: token buckets per address and per phone, and a lock-out
for addresses that keep guessing the join code.

Kept in memory only, keyed by the caller's address or the page's random id, and forgotten when
the class ends: nothing here is personal data that outlives the lesson.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    per_address_rate: float = 60.0  # requests a second from one address (a whole class on NAT)
    per_address_burst: float = 400.0
    per_device_rate: float = 4.0  # votes a second from one phone
    per_device_burst: float = 12.0
    wrong_codes: int = 8  # wrong join codes an address may try ...
    wrong_code_window: float = 60.0  # ... in this many seconds, before it is locked out
    lockout: float = 60.0  # for this long
    max_body: int = 2048  # bytes in a request body
    max_sockets: int = 400  # websockets open at once
    max_sockets_per_address: int = 200


class Buckets:
    """One token bucket per key: `take(key)` is False when the key has run out."""

    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> bool:
        now = self.clock()
        tokens, last = self._state.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._state[key] = (tokens, now)
            return False
        self._state[key] = (tokens - 1.0, now)
        if len(self._state) > 10_000:  # a flood of made-up keys: start again rather than grow
            self._state.clear()
        return True


class CodeGuard:
    """Counts wrong join codes per address; too many in a window locks the address out."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits, clock
        self._fails: dict[str, list[float]] = {}
        self._locked: dict[str, float] = {}

    def locked(self, address: str) -> float:
        """Seconds until `address` may try again (0 when it may)."""
        until = self._locked.get(address, 0.0)
        left = until - self.clock()
        if left <= 0:
            self._locked.pop(address, None)
            return 0.0
        return left

    def failed(self, address: str) -> None:
        now = self.clock()
        recent = [
            t for t in self._fails.get(address, []) if now - t < self.limits.wrong_code_window
        ]
        recent.append(now)
        self._fails[address] = recent
        if len(recent) >= self.limits.wrong_codes:
            self._locked[address] = now + self.limits.lockout
            self._fails.pop(address, None)
