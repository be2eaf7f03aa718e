"""Request limits for the phone server: token buckets per address and per phone, and the numbers
behind the join-code, ballot and connection defences (simulator/classroom/web/defences.py).

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
    wrong_codes: int = 8  # wrong join codes an address may try at once, then this many ...
    wrong_code_window: float = 60.0  # ... in this many seconds (phones that showed the right
    # code are never held up: one phone's typo cannot lock out a class behind one NAT)
    max_body: int = 2048  # bytes in a request body
    max_sockets: int = 400  # websockets open at once
    max_sockets_per_address: int = 200
    wrong_codes_server_rate: float = 2.0  # wrong join codes a second for the whole server ...
    wrong_codes_server_burst: float = 40.0  # ... after this many at once (see defences.py)
    ballots_per_address: int = 60  # phones voting from one address in a round (NAT: a class)
    request_timeout: float = 10.0  # seconds a connection may leave a request unfinished
    max_connections: int | None = None  # None: below the open-file limit (defences.file_limit)


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
