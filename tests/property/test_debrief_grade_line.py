"""The grade line says why this attempt got its grade (review 25u, class C).

Review 25u found four debriefs (plays 02, 04, 11, 16) whose grade line stated the general rule,
"a distinction, every marking point met and the problem resolved or rightly escalated", beside
every marking point Met, the outcome Resolved and a grade of Pass: the cap that decided the
grade was told only further down, so the first rule the learner read implied a distinction.

The property, over stride-sampled paths of every shipped scenario: whenever the grade is below
distinction and no marking point was missed, the grade line names each cap that holds the grade
(its reason, as the method section words it) and never states the general distinction rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scoring import debrief
from scoring.scorer import GRADE_RANK
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.session import Runtime
from tests.replay import first_problems

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 25  # per scenario, stride-sampled from the bounded enumeration
RULE = "a distinction, every marking point met"


def grade_line_problems(sc: Any, t: dict[str, Any]) -> tuple[bool, list[str]]:
    """(whether this path is one the property speaks to, what is wrong with its grade line)."""
    v = debrief.build(sc, t)
    s = v["score"]
    points = s.get("marking_points") or []
    if s["grade"] == "distinction" or any(m["status"] == "missed" for m in points):
        return False, []
    text = debrief.render_view(v, "text")
    line = next(ln for ln in text.splitlines() if ln.startswith("Grade:"))
    out = []
    if RULE in line:
        out.append(f"{s['grade']} with every marking point met, grade line states the rule")
    binding = [c for c in v["method"]["caps"] if c["binds"]]
    if not binding:
        out.append(f"{s['grade']} with every marking point met and no cap holding it")
    for c in binding:
        if c["reason"] not in line:
            out.append(f"grade line does not name the cap {c['reason']!r}")
    for fmt in ("md", "html"):
        body = debrief.render_view(v, fmt)
        if "a pass needs every pass marking point met" in body:
            out.append(f"{fmt}: the general rule beside a capped grade")
    return True, out


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_capped_grade_names_its_cap_in_the_grade_line(path):
    sc = load_scenario(path)
    found = first_problems(sc, PATHS, lambda sc, t: grade_line_problems(sc, t)[1])
    assert not found, "\n".join(f"{p}\n    e.g. path: {ids}" for p, ids in found.items())


def test_the_review_plays_say_their_cap_in_the_grade_line():
    """Not vacuous: the four plays of class C reach the case, and their grade lines name the
    cap (review 25u plays 02 and 11)."""
    cases = {
        "faulty-toaster-day12": [
            "opening.1",
            "fault_details.1",
            "heard_properly.1",
            "rights_explained.3",
            "restocking_fee.1",
            "processing.1",
            "receipt_check.1",
            "processing.3",
            "refund_done.1",
            "confirmed.1",
        ],
        "long-running-complaint": [
            "opening.1",
            "tells.2",
            "liability_worry.1",
            "apologised.1",
            "refunded.1",
            "rights_question.2",
            "signposted.1",
            "confirmed.1",
        ],
    }
    for sid, ids in cases.items():
        sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
        s = Runtime(sc).new_session(seed=0)
        s.replay(ids)
        t = s.transcript()
        t["mode"] = "assess"
        spoken, probs = grade_line_problems(sc, t)
        assert spoken, sid
        assert not probs, (sid, probs)
        text = debrief.render(sc, t)
        line = next(ln for ln in text.splitlines() if ln.startswith("Grade:"))
        assert line.startswith("Grade: Pass") and "Every marking point was met, but" in line
        assert "stops a distinction" in line
        assert GRADE_RANK["pass"] < GRADE_RANK["distinction"]


def test_an_uncapped_grade_keeps_the_general_rule():
    """A distinction (no cap) still states the rule it met, with its "Why"."""
    from scoring.paths import analyse

    sc = load_scenario(ROOT / "scenarios" / "faulty-toaster-day12.yaml")
    best = analyse(sc)["best"]
    assert best["grade"] == "distinction"
    s = Runtime(sc).new_session(seed=0)
    s.replay(list(best["choices"]))
    v = debrief.build(sc, s.transcript())
    assert v["score"]["grade"] == "distinction"
    text = debrief.render_view(v, "text")
    assert RULE in text and "Why: " in text
    assert v["grade_line"] is None
