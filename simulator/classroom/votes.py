"""The tally of one decision: the tutor keys in the class's votes, one key press per hand.

Every change is kept in order so that "undo the last vote" takes back exactly the key the tutor
pressed last (an added vote or a removed one), which is what a mis-keyed vote needs.
"""

from __future__ import annotations


class VoteBoard:
    def __init__(self, options: list[int] | range, votes: dict[int, int] | None = None):
        self.options = list(options)
        self.counts: dict[int, int] = dict.fromkeys(self.options, 0)
        self._history: list[tuple[int, int]] = []  # (option, +1 | -1), oldest first
        for option, n in (votes or {}).items():
            if option in self.counts:
                self.counts[option] = max(0, int(n))

    # -- the tutor's keys ------------------------------------------------------------------------
    def add(self, option: int) -> bool:
        """One more vote for `option`; False (and nothing changes) if it is not an option."""
        if option not in self.counts:
            return False
        self.counts[option] += 1
        self._history.append((option, +1))
        return True

    def remove(self, option: int) -> bool:
        """One vote fewer for `option`; False if it has none (counts never go below zero)."""
        if self.counts.get(option, 0) <= 0:
            return False
        self.counts[option] -= 1
        self._history.append((option, -1))
        return True

    def undo(self) -> tuple[int, int] | None:
        """Take back the last add or remove; returns (option, +1|-1) undone, or None."""
        while self._history:
            option, delta = self._history.pop()
            new = self.counts[option] - delta
            if new >= 0:
                self.counts[option] = new
                return option, delta
        return None

    def clear(self) -> None:
        self.counts = dict.fromkeys(self.options, 0)
        self._history.clear()

    # -- reading ---------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def leaders(self) -> list[int]:
        """The options with the most votes (several when tied); [] when nobody has voted."""
        top = max(self.counts.values(), default=0)
        if top == 0:
            return []
        return [o for o in self.options if self.counts[o] == top]

    @property
    def tied(self) -> bool:
        return len(self.leaders()) > 1

    def share(self, option: int) -> float:
        """This option's fraction of all votes (0.0 when there are none)."""
        return self.counts.get(option, 0) / self.total if self.total else 0.0

    def as_dict(self) -> dict[int, int]:
        return dict(self.counts)
