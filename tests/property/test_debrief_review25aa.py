"""Review 25aa (tests/calibration/reviews/review25aa.md): classes checked over enumerated paths
(stride-sampled) of every shipped scenario, played through the real Session and debriefed.

- class 1: "Turn N misstated it, and it was never put right" names a turn whose misstatement
  still stands, never one withdrawn;
- class 2: nobody is said to have been "passed away" unless the path referred the case; where
  no escalation was needed, none was made and the case was acted on, "escalates only when needed" is never missed
  for a slip of ownership (the ownership point judges that);
- class 3: "Escalating well" is never kept, nor a course point about referring met, when the
  case was also referred to a role that cannot deal with it;
- class 5c: the method never says the law was "not assessed here" beside a law section that
  says the path did not apply the law although it could.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring import debrief
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.session import Runtime
from tests.replay import first_problems

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 15  # per scenario, stride-sampled from the bounded enumeration
REFERRING = (
    "professional_boundaries",
    "complaint_referral_procedure",
    "procedures_support_service",
)


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    """What in this attempt's debrief contradicts the path or another section (review 25aa)."""
    v = debrief.build(sc, t)
    return check(v, debrief.render_view(v, "text"))


def check(v: dict[str, Any], text: str) -> list[str]:
    """The review 25aa classes found in one debrief view and its text."""
    esc = v["escalation"]
    out: list[str] = []
    # class 1
    m = re.search(r"Turn (\d+) misstated it, and it was never put right", text)
    if m:
        standing = {w.get("standing_turn") for w in v["law"]["wrong"] if not w.get("withdrawn")}
        if int(m.group(1)) not in standing:
            out.append(f"'never put right' names turn {m.group(1)}, not a standing one")
    # class 2
    if "Passed the customer away" in text and not esc["escalations"]:
        out.append("'Passed the customer away' with no referral made")
    acted = (v.get("score") or {}).get("shown", {}).get("take_action") is not None
    if esc["verdict"] == "not_needed" and not esc["escalations"] and acted:
        # one unowned answer in a case acted on (take_action shown) is no lapse in escalating;
        # a path that never acted ("not my department", then goodbye) fobbed the customer off,
        # which does miss the point (tests/unit/test_grading.py's fob-off cases)
        for mp in v["marking_points"]["missed"]:
            if mp["id"] == "escalate_well" and "no_ownership" in (mp.get("spoiled_by") or []):
                out.append("'escalates only when needed' missed for a slip of ownership")
    # class 3
    if esc.get("wrong_role"):
        if any(k["title"] == "Escalating well" for k in v["keep"]):
            out.append("'Escalating well' kept beside a referral to the wrong role")
        met = {p["id"] for p in v["course_points"]["met"]}
        for cp in REFERRING:
            if cp in met and not any(
                "follow the procedure" in str(r.get("shows")) for r in v["turns"]
            ):
                out.append(f"course point {cp} met beside a referral to the wrong role")
    # class 5c
    if "did not apply the law" in v["law"]["note"] and "not assessed here" in text:
        out.append("law 'not assessed here' beside 'you did not apply the law'")
    return out


@pytest.mark.parametrize("path", [pytest.param(f, id=f.stem) for f in SHIPPED])
def test_every_debrief_holds_review25aa_classes(path):
    sc = load_scenario(path)
    found = first_problems(sc, PATHS, problems)
    assert not found, "\n".join(f"{p}\n    e.g. path: {ids}" for p, ids in found.items())


def test_the_check_finds_what_it_looks_for():
    """Not vacuous: a forged debrief with each defect is caught."""
    sc = load_scenario(ROOT / "tests" / "fixtures" / "kettle.yaml")
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.1", "fault_described.1"])
    t = s.transcript()
    out = debrief.build(sc, t)
    out["escalation"] = {
        **out["escalation"],
        "verdict": "not_needed",
        "escalations": [],
        "wrong_role": True,
    }
    out["keep"] = [{"title": "Escalating well", "text": "x"}]
    out["marking_points"]["missed"].append(
        {"id": "escalate_well", "spoiled_by": ["no_ownership"], "why": "x", "label": "x"}
    )
    out["law"] = {
        **out["law"],
        "note": "You did not apply the law that governs this case.",
        "wrong": [{"act": "An Act", "withdrawn": True, "standing_turn": None, "turns": [2]}],
    }
    text = (
        "Escalation: Passed the customer away instead of dealing with it, 40%.\n"
        "Law: not assessed here (no choice on this path stated the law).\n"
        "Turn 2 misstated it, and it was never put right; that fails an assessment on its own.\n"
    )
    found = check(out, text)
    for needle in (
        "never put right",
        "Passed the customer away",
        "only when needed",
        "'Escalating well' kept",
        "not assessed here",
    ):
        assert any(needle in p for p in found), (needle, found)
