"""Accept, confirm or reject: the one place where a match score becomes a decision.

  accept   best score >= threshold AND it leads the runner-up by >= margin
  confirm  best score >= floor, but weak or too close to the runner-up: "Did you mean …?"
  reject   best score < floor: not understood, nothing is taken

Defaults were chosen on the pack's examples (leave-one-out), never on the held-out test set; a
scenario may tune them with a top-level `typing: {threshold:, margin:, floor:}`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

ACCEPT, CONFIRM, REJECT = "accept", "confirm", "reject"


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
