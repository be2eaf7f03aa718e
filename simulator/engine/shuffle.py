"""The displayed order of a state's options when a scenario says `shuffle: true`.

Why: if the best answer always comes first (or is always the longest), a learner learns the
trick rather than the job. The order is a pure function of (attempt seed, state id, visit), so a
resumed or replayed attempt, the debrief's replay and the path analysis all see the order the
learner saw; choice ids never change and transcripts record ids, so scoring is unaffected.
Files without the key keep file order exactly (format §7).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def permutation(n: int, seed: int, state: str, visit: int) -> list[int]:
    """A permutation of range(n), fixed by (seed, state, visit). Stable across Python runs:
    `random.Random` seeded with a str hashes it with SHA-512, not with the salted hash()."""
    order = list(range(n))
    random.Random(f"shuffle:{seed}:{state}:{visit}").shuffle(order)
    return order


def display_order(
    items: Sequence[T], index_of: Callable[[T], int], seed: int, state: str, visit: int
) -> list[T]:
    """`items` (choices on offer, in file order) in their displayed order. The permutation is of
    every choice of the state (`index_of(item)` = its 0-based file position), so a choice keeps
    its place relative to the others whichever `if:` conditions hold at the time."""
    if len(items) < 2:
        return list(items)
    n = max(index_of(it) for it in items) + 1
    rank = {pos: r for r, pos in enumerate(permutation(n, seed, state, visit))}
    return sorted(items, key=lambda it: rank[index_of(it)])
