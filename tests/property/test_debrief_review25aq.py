"""Review 25aq (issue 25, the lead's reading of review 25al and 25aa debriefs): classes checked
over enumerated paths (stride-sampled) of every shipped scenario, played through the real
Session and debriefed.

- class 1: no two sections give a different first turn for the same step: the models ("Acknowledge:
  shown at turn 2"), the marking points' evidence ('"acknowledge" at turn 4') and the turn-by-turn
  record (the first turn whose "Shows" names it) read one record (scorer.first_shown);
- class 2: a marking point listed "not assessed" never has a scored section that says otherwise:
  where "Escalates only when needed" is not assessed, the escalation section has no percentage
  and the method counts none for it;
- class 4 (read on random plays): the law section never says "you applied the law correctly"
  (nor is the act kept as "applied correctly") beside a mistake whose conduct breaks that act
  (grading.yaml law.broken_by: discrimination) standing at a turn with no `law:` mark for it;
  and a "sorry" not counted is said to have "led into a refusal or a wrong answer" only where
  that turn misstated the law.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring import catalogue, debrief, spec
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.session import Runtime
from tests.replay import first_problems

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 15  # per scenario, stride-sampled from the bounded enumeration


def _label(b: str) -> str:
    return str(spec.behaviour(b)["label"])


def first_turns(v: dict[str, Any]) -> dict[str, dict[str, int]]:
    """{section: {behaviour: first turn}} as each section of the view gives it."""
    out: dict[str, dict[str, int]] = {}
    for m in v["models"]:
        out[f"model {m['id']}"] = {
            st["behaviour"]: st["turn"] for st in m["steps"] if st["turn"] is not None
        }
    by_label = {_label(b).lower(): b for b in catalogue.catalogue()["behaviours"]}
    for p in v["marking_points"]["met"]:
        said: dict[str, int] = {}
        for part in str(p.get("shown_by") or "").split("; "):
            m = re.match(r'"([^"]+)" at turn (\d+)', part)
            if not m or m.group(1) not in by_label:
                continue
            said.setdefault(by_label[m.group(1)], int(m.group(2)))
            for other in re.findall(r"which also shows (.*)$", part):
                for name in re.findall(r'"([^"]+)"', other):
                    if name in by_label:
                        said.setdefault(by_label[name], int(m.group(2)))
        out[f"marking point {p['id']}"] = said
    rows: dict[str, int] = {}
    for r in v["turns"]:
        for label in r["shows"]:
            if label.lower() in by_label:
                rows.setdefault(by_label[label.lower()], r["turn"])
    out["turn by turn"] = rows
    return out


def check(v: dict[str, Any]) -> list[str]:
    out: list[str] = []
    # class 1
    sections = first_turns(v)
    seen: dict[str, tuple[str, int]] = {}
    for name, turns in sections.items():
        for b, n in turns.items():
            if b in seen and seen[b][1] != n:
                out.append(f"{b}: turn {seen[b][1]} in {seen[b][0]}, turn {n} in {name}")
            seen.setdefault(b, (name, n))
    # class 2
    unjudged = {p["id"] for p in v["marking_points"]["not_assessed"]}
    if "escalate_well" in unjudged and v["escalation"]["applied"]:
        if v["escalation"]["percent"] is not None:
            out.append("escalation scored beside 'escalates only when needed: not assessed'")
        part = next((p for p in v["method"]["parts"] if p["id"] == "escalation"), None)
        if part and part["percent"] is not None:
            out.append("the method scores escalation beside its point 'not assessed'")
    # class 4
    broken_by = (spec.grading().get("law") or {}).get("broken_by") or {}
    score = v["score"]
    undone = {(w["id"], w["turn"]) for w in score.get("withdrawn") or []}
    undone |= {(r["id"], r["turn"]) for r in score.get("recovered") or []}
    marked = {(b["turn"], b["id"].partition(".")[0]) for b in score.get("law_breached") or []}
    standing = [
        m
        for m in score.get("mistakes") or []
        if m["id"] in broken_by
        and (m["id"], m["turn"]) not in undone
        and (m["turn"], broken_by[m["id"]]) not in marked
    ]
    if standing and "applied the law correctly" in v["law"]["note"]:
        out.append("'you applied the law correctly' beside conduct contrary to it, never put right")
    for m in standing:
        act = spec.law_text(broken_by[m["id"]])["act"]
        if any(k["title"] == f"{act}, applied correctly" for k in v["keep"]):
            out.append(f"{act} kept as applied correctly beside conduct contrary to it")
    for model in v["models"]:
        for st in model["steps"]:
            if "led into a refusal" in str(st.get("voided_why") or ""):
                row = v["turns"][st["voided"] - 1]
                if "misstates_law" not in row["mistake_ids"]:
                    out.append("a 'sorry' said to lead into a wrong answer at a turn with none")
    return out


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    return check(debrief.build(sc, t))


@pytest.mark.parametrize("path", [pytest.param(f, id=f.stem) for f in SHIPPED])
def test_every_debrief_holds_review25aq_classes(path):
    sc = load_scenario(path)
    found = first_problems(sc, PATHS, problems)
    # class 1 names a behaviour and two turns: one line per behaviour and section pair
    found = {re.sub(r"turn \d+", "turn N", p): ids for p, ids in found.items()}
    assert not found, "\n".join(f"{p}\n    e.g. path: {ids}" for p, ids in found.items())


def test_the_check_finds_what_it_looks_for():
    """Not vacuous: a forged debrief with each defect is caught."""
    sc = load_scenario(ROOT / "tests" / "fixtures" / "kettle.yaml")
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.1", "fault_described.1"])
    v = debrief.build(sc, s.transcript())
    v["marking_points"]["met"].append({"id": "x", "shown_by": '"hear / listen" at turn 9'})
    v["marking_points"]["not_assessed"].append({"id": "escalate_well"})
    v["escalation"] = {**v["escalation"], "applied": True, "percent": 40}
    v["score"] = {
        **v["score"],
        "mistakes": [{"id": "discrimination", "turn": 1}],
        "withdrawn": [],
        "recovered": [],
        "law_breached": [],
    }
    v["law"] = {**v["law"], "note": "You applied the law correctly."}
    v["keep"] = [{"title": "Equality Act 2010, applied correctly", "text": "Turn 2."}]
    v["models"][0]["steps"][0].update(voided=1, voided_why='the "sorry" led into a refusal')
    v["turns"][0]["mistake_ids"] = ["no_ownership"]
    found = check(v)
    assert any(p.startswith("hear:") for p in found), found
    assert any("escalation scored" in p for p in found), found
    assert any("'you applied the law correctly' beside" in p for p in found), found
    assert any("Equality Act 2010 kept" in p for p in found), found
    assert any("a 'sorry' said to lead" in p for p in found), found
