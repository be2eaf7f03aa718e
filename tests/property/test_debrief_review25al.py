"""Review 25al (tests/calibration/reviews/review25al.md): classes checked over stride-sampled
paths of every shipped scenario, played through the real Session and debriefed.

- class 1: a fail always names its cause: a mistake in "Mistakes", the cap in the grade line,
  or the pass points not met beside "Mistakes: none marked";
- class 2: an ordered model is "out of order" only when the first-shown turns the debrief gives
  put a later step before an earlier one (and never when they are in order);
- class 7: "checks who they are dealing with" is judged (met or missed) only on a path that
  reached a turn offering the check or a choice that skips it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scoring import debrief, spec
from scoring.scorer import compiled
from simulator.engine.loader import load_scenario, scenario_files
from tests.replay import assessed_transcript, sampled_paths

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 8  # per scenario, stride-sampled from the bounded enumeration
SHORT = 3  # ... and every path that ends within this many turns (the calls cut short, where a
# point never in play was judged: review 25al play 14 ended after two turns)
IDENTITY = "checks_identity"


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    v = debrief.build(sc, t)
    return check(sc, t, v, debrief.render_view(v, "text"))


def check(sc: Any, t: dict[str, Any], v: dict[str, Any], text: str) -> list[str]:
    out: list[str] = []
    # class 1
    if v["grade"] == "fail" and not v["mistakes"]:
        if not v.get("grade_line") and "Mistakes: none marked. The fail is for" not in text:
            out.append("a fail with 'Mistakes: none' and no cause named")
    # class 2
    for m in v["models"]:
        turns = [s["turn"] for s in m["steps"] if s["turn"] is not None]
        in_order = turns == sorted(turns)
        if "Out of order" in (m.get("order_note") or "") and in_order:
            out.append(f"{m['name']}: 'out of order' though the first-shown turns are in order")
    # class 7
    c = compiled(sc)
    states = {c.fx[turn["choice"]].state for turn in t["turns"]}
    # the check's own behaviours and spoiling mistakes, as grading.yaml lists them (review25as
    # class 3 added asks_third_party_security beside skips_verification)
    point = next(p for p in spec.grading()["marking_points"] if p["id"] == IDENTITY)
    reached = any(
        set(fx.shows) & set(point["shown"]) or set(fx.mistakes) & set(point["spoiled_by"])
        for fx in c.fx.values()
        if fx.state in states
    )
    judged = any(
        p["id"] == IDENTITY for status in ("met", "missed") for p in v["marking_points"][status]
    )
    if judged and not reached:
        out.append("identity point judged on a path that never reached the check")
    return out


@pytest.mark.parametrize("path", [pytest.param(f, id=f.stem) for f in SHIPPED])
def test_every_debrief_holds_review25al_classes(path: Path) -> None:
    from scoring.paths import enumerate_paths

    sc = load_scenario(path)
    short = [ids for ids, _end in enumerate_paths(sc, max_visits=1, limit=100_000)]
    paths = sampled_paths(sc, PATHS) + [ids for ids in short if len(ids) <= SHORT]
    found: dict[str, str] = {}
    for ids in paths:
        for p in problems(sc, assessed_transcript(sc, ids)):
            found.setdefault(p, " ".join(ids))
    assert not found, "\n".join(f"{p}\n    e.g. path: {ids}" for p, ids in found.items())
