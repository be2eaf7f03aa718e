"""A tally that adds the class's phone votes to the hands the tutor keys in, kept apart.

`VoteBoard.counts` stays the tutor's key presses (so `-`, Backspace and undo only ever touch a
hand the tutor keyed); `phones` is the phones' current ballots, replaced wholesale from the
phone hub. Everything that decides (leaders, total, the saved votes) uses the two added up.
"""

from __future__ import annotations

from .votes import VoteBoard


class HandsAndPhones(VoteBoard):
    def __init__(
        self,
        options: list[int] | range,
        votes: dict[int, int] | None = None,
        phones: dict[int, int] | None = None,
    ):
        super().__init__(options, votes)
        self.phones: dict[int, int] = dict.fromkeys(self.options, 0)
        self.set_phones(phones or {})

    @classmethod
    def from_board(cls, board: VoteBoard, phones: dict[int, int] | None = None) -> HandsAndPhones:
        """The same hands (and their undo history) with phone votes beside them."""
        mixed = cls(board.options, board.counts, phones)
        mixed._history = list(board._history)
        return mixed

    def set_phones(self, counts: dict[int, int]) -> None:
        self.phones = {o: max(0, int(counts.get(o, 0))) for o in self.options}

    @property
    def hands(self) -> dict[int, int]:
        return dict(self.counts)

    def combined(self) -> dict[int, int]:
        return {o: self.counts[o] + self.phones.get(o, 0) for o in self.options}

    @property
    def phone_total(self) -> int:
        return sum(self.phones.values())

    @property
    def hand_total(self) -> int:
        return sum(self.counts.values())

    # -- what decides: both kinds of vote, added up ------------------------------------------
    @property
    def total(self) -> int:
        return self.hand_total + self.phone_total

    def leaders(self) -> list[int]:
        both = self.combined()
        top = max(both.values(), default=0)
        if top == 0:
            return []
        return [o for o in self.options if both[o] == top]

    def share(self, option: int) -> float:
        return self.combined().get(option, 0) / self.total if self.total else 0.0

    def as_dict(self) -> dict[int, int]:
        return self.combined()

    def clear(self) -> None:
        super().clear()
        self.phones = dict.fromkeys(self.options, 0)
