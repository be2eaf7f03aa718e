"""The Welsh held-out harness: tests/typed/welsh_heldout.yaml against the Welsh table as it is now.

Used by tests/unit/test_welsh_typed.py and benchmarks/bench_welsh_matching.py. An item whose
choice id no longer has the signature it was written for is reported as stale (the file was
reordered), never silently scored against another option.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
HELDOUT = HERE / "welsh_heldout.yaml"


@dataclass
class Result:
    total: int = 0
    top1: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    wrong_accepts: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.top1 / self.total if self.total else 0.0


def _signature(choice) -> str:
    parts = sorted(choice.shows) + ["!" + m for m in sorted(choice.mistakes)]
    if choice.escalate:
        parts.append("^" + choice.escalate)
    return " ".join(parts)


def evaluate(*, use_examples: bool = True, heldout: Path = HELDOUT) -> Result:
    """Top-1 of the Welsh matcher on one held-out file (`heldout`, welsh_heldout.yaml unless
    given): each file names its scenario, so a second scenario needs only a second file."""
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Offered, Runtime
    from simulator.engine.strings import localised
    from simulator.matching.matcher import ScenarioMatcher

    data = yaml.safe_load(heldout.read_text(encoding="utf-8"))
    scenario = localised(load_scenario(ROOT / "scenarios" / f"{data['scenario']}.yaml"), "cy")
    session = Runtime(scenario).new_session(seed=1, learner="heldout")
    matcher = ScenarioMatcher(scenario, use_examples=use_examples)
    out = Result()
    for state, items in data["states"].items():
        offered = []
        for i, ch in enumerate(scenario.states[state].choices):
            path = ("states", state, "choices", i)
            text = session._render(ch.text, (*path, "text"))
            offered.append(Offered(i + 1, i, ch.id or f"{state}.{i + 1}", text, ch))
        by_id = {o.choice_id: o for o in offered}
        for item in items:
            target = by_id.get(item["choice"])
            if target is None or set(_signature(target.choice).split()) != set(item["sig"].split()):
                out.stale.append(item["choice"])
                continue
            for said in item["say"]:
                out.total += 1
                match = matcher.match(said, offered)
                best = match.ranking[0].choice_id
                if best == item["choice"]:
                    out.top1 += 1
                else:
                    out.misses.append((said, item["choice"], best))
                out.decisions[match.decision] += 1
                if match.decision == "accept" and best != item["choice"]:
                    out.wrong_accepts += 1
    return out
