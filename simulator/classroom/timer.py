"""The optional countdown for a decision, as plain state: the app calls `tick` once a second.

Kept free of clocks so tests can run a whole countdown instantly and so a pause is exact: time
only passes through `tick`, and a paused countdown ignores it.
"""

from __future__ import annotations

EXTEND_BY = 15  # seconds added by the tutor's "more time" key


class Countdown:
    def __init__(self, seconds: float):
        if seconds <= 0:
            raise ValueError("a countdown needs a positive number of seconds")
        self.initial = float(seconds)
        self.length = float(seconds)
        self.remaining = float(seconds)
        self.paused = False

    def tick(self, elapsed: float = 1.0) -> bool:
        """Let `elapsed` seconds pass (unless paused); True when this tick ran the time out."""
        if self.paused or self.expired:
            return False
        self.remaining = max(0.0, self.remaining - elapsed)
        return self.expired

    def toggle_pause(self) -> bool:
        self.paused = not self.paused
        return self.paused

    def extend(self, seconds: float = EXTEND_BY) -> None:
        """More time, even after it has run out (the class is still arguing)."""
        self.remaining += seconds
        self.length = max(self.length, self.remaining)

    def restart(self) -> None:
        """A fresh countdown of the length the tutor asked for (extensions do not carry over)."""
        self.length = self.remaining = self.initial
        self.paused = False

    @property
    def expired(self) -> bool:
        return self.remaining <= 0

    @property
    def fraction_left(self) -> float:
        return self.remaining / self.length if self.length else 0.0

    def clock(self) -> str:
        """m:ss, rounded up so the display reads 0:00 only when time is really up."""
        whole = int(-(-self.remaining // 1))
        return f"{whole // 60}:{whole % 60:02d}"
