"""Accept, confirm or reject: the one place where a match score becomes a decision.

  accept   best score >= threshold AND it leads the runner-up by >= margin
  confirm  best score >= floor, but weak or too close to the runner-up: "Did you mean …?"
  reject   best score < floor: not understood, nothing is taken

Defaults were chosen on the pack's examples (leave-one-out), never on the held-out test set; a
scenario may tune them with a top-level `typing: {threshold:, margin:, floor:}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

ACCEPT, CONFIRM, REJECT = "accept", "confirm", "reject"

TONE_MISTAKES = frozenset({"rude", "blaming_customer", "defensive"})
"""The catalogue's mistakes of tone (scoring/catalogue.yaml): an option recording one is a
sharper reply than a warm line, whatever words the two share."""


def tone_offer(shown: Sequence[Any], *, warm: bool) -> tuple[list[Any], bool]:
    """Which of the options a line would be shown (taken, or asked about, best first) it may be
    shown, for a line rude.py does not flag; and whether the best of them was held back.

      rule b  a warm line (meaning.warm) is never shown an option recording a mistake of tone
      rule d  beside a best option that records no mistake, no option that records one is shown

    The matcher asks about what is left (never takes it unasked, if its best was held back) or,
    if nothing is, says it did not understand. See the module docstring for why these two."""

    def held(r: Any) -> bool:
        return warm and bool(TONE_MISTAKES.intersection(r.offered.choice.mistakes))

    best_held = bool(shown) and held(shown[0])
    kept = [r for r in shown if not held(r)]
    if kept and not kept[0].offered.choice.mistakes:
        kept = [r for r in kept if not r.offered.choice.mistakes]
    return kept, best_held


@dataclass(frozen=True)
class TypingPolicy:
    threshold: float = 0.20
    margin: float = 0.14
    floor: float = 0.10

    @classmethod
    def for_scenario(cls, scenario: Any) -> TypingPolicy:
        policy = cls()
        options = getattr(scenario, "typing", None)
        if options is None or isinstance(options, bool):
            return policy
        given = {k: getattr(options, k) for k in ("threshold", "margin", "floor")}
        return replace(policy, **{k: v for k, v in given.items() if v is not None})

    def decide(self, best: float | None, runner_up: float | None) -> tuple[str, str]:
        """(decision, reason) for the best score and the runner-up's (None if absent)."""
        if best is None or best < self.floor:
            return REJECT, "no option is close"
        lead = best - (runner_up if runner_up is not None else 0.0)
        if best >= self.threshold and lead >= self.margin:
            return ACCEPT, "confident"
        if best < self.threshold:
            return CONFIRM, "weak score"
        return CONFIRM, "close to another option"
