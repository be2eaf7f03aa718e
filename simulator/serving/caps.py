"""How much one browser, one address and the whole `serve` may ask for (issue 31, item 3).

One browser claimed 300 names in 3.5 s; 100 websockets from one cookie started 100 app
processes (4.2 GB, and a real learner's first screen took 10.8 s instead of 0.8 s); the class
code could be guessed ~1,060 times a second. So:

- **class codes**: wrong codes draw on a per-address and a server-wide budget (the phone
  server's :class:`~simulator.classroom.web.defences.JoinGuard`); a browser that has signed in
  is never held up, so one learner's typos cannot lock the class out;
- **names**: a browser may hold a few names (``per_browser``; a learner who mistyped), an
  address may sign in a class's worth quickly but not hundreds (``per_address`` a minute), and
  the server takes at most ``per_server`` new names a run;
- **apps**: each app is a process of its own, so a learner may run ``per_learner`` at once
  and the server ``per_server``; beyond that the browser is answered 503 and told to close a tab.

In memory, for one run of `serve`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.classroom.web.defences import JoinGuard


def code_guard(clock: Callable[[], float] = time.monotonic) -> JoinGuard:
    """Class-code guessing: 5 wrong codes at once from an address, then one every 10 s; the
    whole server one a second after 20 (about 3,600 guesses an hour at most, so a 6-symbol
    code of letters and digits would take more than 500,000 hours)."""
    return JoinGuard(
        global_rate=1.0, global_burst=20, address_rate=0.1, address_burst=5, clock=clock
    )


@dataclass
class NameCaps:
    per_browser: int = 3
    per_address: int = 60  # new names a minute from one address (a class behind one NAT)
    per_server: int = 500
    clock: Callable[[], float] = time.monotonic
    _by_browser: dict[str, set[str]] = field(default_factory=dict)
    _by_address: dict[str, list[float]] = field(default_factory=dict)
    _all: set[str] = field(default_factory=set)

    def problem(self, browser: str, address: str, key: str) -> str:
        """Why this browser may not take the name ``key`` now ("" when it may)."""
        mine = self._by_browser.get(browser, set())
        if key in mine:
            return ""
        if len(mine) >= self.per_browser:
            return (
                f"This browser has already signed in as {len(mine)} different names; "
                "ask your tutor if you need another."
            )
        now = self.clock()
        recent = [t for t in self._by_address.get(address, []) if now - t < 60]
        self._by_address[address] = recent
        if len(recent) >= self.per_address:
            return "Too many names from this network at once: wait a minute and try again."
        if key not in self._all and len(self._all) >= self.per_server:
            return "This CounterTalk server has all the learners it can take; ask your tutor."
        return ""

    def took(self, browser: str, address: str, key: str) -> None:
        mine = self._by_browser.setdefault(browser, set())
        if key not in mine:
            mine.add(key)
            self._by_address.setdefault(address, []).append(self.clock())
        self._all.add(key)


@dataclass
class AppSlots:
    per_learner: int = 3
    per_server: int = 40
    _running: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self._running.values())

    def take(self, learner: str) -> str:
        """Start one more app for ``learner``: "" when it may, else why not (for a 503)."""
        if self._running.get(learner, 0) >= self.per_learner:
            return (
                f"CounterTalk is already open {self.per_learner} times for you: close another "
                "tab or window, then reload this one."
            )
        if self.total >= self.per_server:
            return "CounterTalk is full just now: wait a minute, then reload the page."
        self._running[learner] = self._running.get(learner, 0) + 1
        return ""

    def give_back(self, learner: str) -> None:
        n = self._running.get(learner, 0) - 1
        if n > 0:
            self._running[learner] = n
        else:
            self._running.pop(learner, None)
