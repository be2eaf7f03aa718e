"""Every turn a debrief cites points at a choice that did what the sentence names (review 25r).

An independent examiner (17 blind plays of main) found debrief sentences that were not true of
the path: course points about escalating "met" by not escalating (D1), a handover given the turn
after the escalation not credited (D2), "escalated to the right role" after a later referral to a
wrong one (D4), a "slip taken back" cap citing the correction's turn as the slip's (D6), and a
fail whose reason never named the promise beyond authority on the path (D13). Each rule below
is checked over enumerated paths (stride-sampled) of every shipped scenario, played through the
real Session, scored and debriefed:

- a course point about escalating or procedures (`met_by`) is met only by the evidence it names:
  a referral made well, or a procedure followed (D1);
- an escalation has a handover exactly when the path escalated and briefed a colleague, at that
  turn, before it or after it (D2);
- a path that reached the right role and also referred the case to a role the scenario does not
  list never reads as a clean "right role": the label and note say so, the model scores no better
  than a wrong-role referral, and a cap names it and stops a distinction (D4);
- each cap names turns for what they are: a mistake cap's turn made that mistake; a cap naming a
  slip and its correction cites the slip's turn and the turn whose choice withdrew it (D6);
- a fail's reason names every standing mistake that on its own stops a distinction, by its rule
  (D13);
- "At turn N you escalated to R" only where turn N's choice escalates, "Shown by: X at turn N"
  only where turn N's choice shows X, "undone by M at turn N" only where turn N made M.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring import debrief, spec
from scoring.course import course_status
from scoring.scorer import compiled
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.session import Runtime
from tests.replay import first_problems

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 30  # per scenario, stride-sampled from the bounded enumeration


# What the examiner needs to see for the two course points about escalating and procedures
# (course notes 000/001: "evidence must show understanding of professional boundaries, including
# when and how to escalate"; "linking organisational procedures (complaint handling, escalation
# processes) to effective service"), written here, not read from marking_points.yaml, so a
# catalogue that credits them by default fails this test.
EXAMINER_MET_BY = {
    "professional_boundaries": ["referral"],
    "procedures_support_service": ["referral", "shown:follow_procedure"],
}


def _label(mid: str) -> str:
    return str(spec.mistake(mid)["label"]).lower()


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    """What in this attempt's debrief cites a turn (or claims a thing) the path does not bear
    out."""
    c = compiled(sc)
    v = debrief.build(sc, t)
    s = v["score"]
    fxs = [c.fx[x["choice"]] for x in t["turns"]]
    out: list[str] = []

    # D1: met only by the evidence `met_by` names
    status = course_status(s)
    esc = s["escalation"]
    referral_ok = bool(
        esc.get("escalated_to")
        and esc["verdict"] == "correct"
        and esc["handover"]
        and not esc["premature"]
        and not esc["spoiled"]
    )
    shown = s.get("shown") or {}
    for cp in spec.course_points()["points"]:
        needs = EXAMINER_MET_BY.get(cp["id"], cp.get("met_by"))
        if not needs or status.get(cp["id"]) != "met":
            continue
        ok = any(
            (m == "referral" and referral_ok)
            or (str(m).startswith("shown:") and str(m)[6:] in shown)
            for m in needs
        )
        if not ok:
            out.append(f"course point {cp['id']} met with none of {needs} on the path")

    # D2: a handover credited exactly when the path escalated and briefed someone
    escalated = any(fx.escalate is not None for fx in fxs)
    briefed = any("handover" in fx.shows for fx in fxs)
    if esc["handover"] != (escalated and briefed):
        out.append(f"handover {esc['handover']} on a path escalated={escalated} briefed={briefed}")
    e = v["escalation"]
    if e["escalations"] and not e["handover"] and "without a handover" not in e["note"]:
        out.append("an escalation with no handover not said to have none")
    if e["handover"] and "without a handover" in e["note"]:
        out.append("'without a handover' beside a handover the path gave")

    # D4: a referral to a role the scenario does not list is said, and scored
    wrong = [n for n, fx in enumerate(fxs, 1) if fx.escalate is not None and not fx.listed]
    if esc["required"] and wrong and esc["verdict"] == "correct":
        g = spec.grading()["escalation"]
        if e["verdict_label"] == g["verdicts"]["correct"]:
            out.append("a clean 'right role' label beside a referral to a wrong role")
        if f"At turn {wrong[0]}" not in e["note"] and f"turn {wrong[0]}," not in e["note"]:
            out.append(f"the wrong-role referral at turn {wrong[0]} not named")
        if (esc.get("percent") or 0) > g["verdict_percent"]["wrong_role"]:
            out.append("a wrong-role referral scored above a wrong-role verdict")
        if s["grade"] == "distinction":
            out.append("a distinction beside a referral to a role that cannot deal with it")
        if not any(cp["when"] == {"escalation": "also_wrong_role"} for cp in s["caps"]):
            out.append("a referral to a wrong role beside the right one, with no cap naming it")

    # escalation turns: each names a turn whose choice escalated to that role
    for x in e["escalations"]:
        fx = fxs[x["turn"] - 1]
        if fx.escalate is None or debrief._role(fx.escalate) != x["role"]:
            out.append(f"'at turn {x['turn']} you escalated to {x['role']}' not that turn's choice")

    # D6: cap turns
    made_at = {(m["id"], m["turn"]) for m in s["mistakes"]}
    withdrawn = {(w["id"], w["turn"]): w["at"] for w in s.get("withdrawn") or []}
    for cap in s["caps"]:
        kind, value = next(iter(cap["when"].items()))
        if kind == "mistake" and cap.get("turn") and (value, cap["turn"]) not in made_at:
            out.append(f"cap {value} cites turn {cap['turn']}, which did not make it")
        if kind == "mistake" and (value, cap.get("turn")) in withdrawn:
            standing = [t for m, t in made_at if m == value and (m, t) not in withdrawn]
            if standing:
                out.append(f"cap {value} cites turn {cap['turn']}, a slip taken back")
        if kind == "escalation" and value == "also_wrong_role":
            fx = fxs[cap["turn"] - 1]
            if fx.escalate is None or fx.listed:
                out.append(f"'also referred to a wrong role' cites turn {cap['turn']}")
        if kind == "withdrawn" and cap.get("turn"):
            slip = [k for k in withdrawn if k[1] == cap["turn"] and k[0] != "misstates_law"]
            if not slip:
                out.append(
                    f"'slip taken back' cites turn {cap['turn']}, where no slip was taken back"
                )
            elif cap.get("later") is not None and withdrawn[slip[0]] != cap["later"]:
                out.append(f"'slip taken back' cites turn {cap['later']} as its correction")
        if kind == "law" and value == "corrected" and cap.get("turn"):
            if not fxs[cap["turn"] - 1].lw:
                out.append(
                    f"'misstated the law' cites turn {cap['turn']}, which stated no law wrongly"
                )
            if cap.get("later") is not None and not fxs[cap["later"] - 1].fixes:
                out.append(f"'withdrew it' cites turn {cap['later']}, which withdrew nothing")

    # D13: a fail names every standing mistake that on its own stops a distinction
    if s["grade"] == "fail":
        binding = [cp for cp in s["caps"] if cp["grade"] == "fail"]
        if not binding:
            for cap in s["caps"]:
                if "mistake" in cap["when"] and cap["rule"] not in s["grade_reason"]:
                    out.append(f"a fail whose reason does not name {cap['rule']!r}")
    for label, n in re.findall(r"undone by ([a-z' -]+?) at turn (\d+)", s["grade_reason"]):
        if not any(_label(m) == label for m in fxs[int(n) - 1].mistakes):
            out.append(f"'undone by {label} at turn {n}', which that turn did not make")

    # "nothing agreed beyond your own authority" only on a path that agreed nothing beyond it
    agreed = [n for n, fx in enumerate(fxs, 1) if "beyond_remit" in fx.mistakes]
    for mp in v["marking_points"]["met"]:
        by = mp.get("shown_by") or ""
        if agreed and "nothing agreed beyond your own authority" in by:
            out.append(f"'nothing agreed beyond your own authority' beside turn {agreed[0]}")
        if not esc.get("escalated_to") and mp["id"] != "escalate_well" and "none was made" in by:
            out.append(f"{mp['id']} shown by 'no escalation was needed, and none was made'")

    # the law section: each turn named applied (or misstated) that very law, and "put it right
    # at turn N" names a turn whose choice withdrew a misstatement
    law = v["law"]
    for kind, attr in (("right", "law_right"), ("wrong", "law_wrong")):
        for entry in law.get(kind) or []:
            for n in entry.get("turns") or []:
                if entry["id"] not in getattr(fxs[n - 1], attr):
                    out.append(f"law {kind} {entry['id']} cites turn {n}, which did not state it")
    law_words = " ".join(
        [str(law.get("note") or "")]
        + [str(e.get("sentence") or "") for e in law.get("breached") or []]
    )
    for n in re.findall(r"put it right at turn (\d+)", law_words):
        if not fxs[int(n) - 1].fixes and not fxs[int(n) - 1].takes_back:
            out.append(f"'put it right at turn {n}', which withdrew nothing")

    # "keep: X. You showed it at turn N": turn N's choice shows X; "practise: ... at turn N":
    # turn N made the mistake it names
    labels = {str(spec.behaviour(b)["label"]): b for fx in fxs for b in fx.shows}
    for k in v["keep"]:
        for n in re.findall(r"You showed it at turn (\d+)", k.get("text") or ""):
            b = labels.get(k["title"])
            if b is not None and b not in fxs[int(n) - 1].shows:
                out.append(f"keep {k['title']!r} at turn {n}, which that turn did not show")
        if k["title"].endswith("applied correctly"):
            m = re.match(r"Turns? ([\d, ]+)\.", k.get("text") or "")
            for n in re.findall(r"\d+", m.group(1) if m else ""):
                if not fxs[int(n) - 1].law_right:
                    out.append(f"keep {k['title']!r} at turn {n}, which stated no law right")
    pr = v.get("practise") or {}
    if pr.get("mistake") and pr.get("turn") and pr["mistake"] not in fxs[pr["turn"] - 1].mistakes:
        out.append(f"practise names {pr['mistake']} at turn {pr['turn']}, which did not make it")

    # "Shown by: X at turn N": turn N's choice shows X
    words = {debrief._words([b])[0]: b for fx in fxs for b in fx.shows}
    for mp in v["marking_points"]["met"]:
        for what, n in re.findall(r'("[^"]+") at turn (\d+)', mp.get("shown_by") or ""):
            b = words.get(what)
            if b is None or b not in fxs[int(n) - 1].shows:
                out.append(f"{mp['id']} shown by {what} at turn {n}, which that turn did not show")
    return out


@pytest.mark.parametrize("path", [pytest.param(f, id=f.stem) for f in SHIPPED])
def test_every_turn_cited_is_the_turn_of_what_it_names(path):
    sc = load_scenario(path)
    found = first_problems(sc, PATHS, problems)
    assert not found, "\n".join(f"{p}\n    e.g. path: {ids}" for p, ids in found.items())


def test_the_check_finds_what_it_looks_for(monkeypatch):
    """Not vacuous: a debrief whose slip cap cites the correction's turn, whose escalation is
    said at the wrong turn, and whose law kept names a turn that did not state it is caught."""
    sc = load_scenario(ROOT / "scenarios" / "abusive-customer.yaml")
    ids = "opening.1 vents.2 blamed.1 demands.1 warned.1 fixing.1 handed_over.1 closing.1"
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids.split())
    t = s.transcript()
    t["mode"] = "assess"
    assert problems(sc, t) == []
    real = debrief.build

    def tampered(scenario: Any, transcript: dict[str, Any]) -> dict[str, Any]:
        v = real(scenario, transcript)
        for cap in v["score"]["caps"]:
            if cap["when"] == {"withdrawn": True}:
                cap["turn"] = cap["later"]  # the correction's turn cited as the slip's
        for x in v["escalation"]["escalations"]:
            x["turn"] = 1
        for k in v["keep"]:
            k["text"] = "Turn 1."  # the law kept, said at a turn that stated no law
        return v

    monkeypatch.setattr(debrief, "build", tampered)
    found = " | ".join(problems(sc, t))
    assert "'slip taken back' cites turn 3" in found
    assert "'at turn 1 you escalated to" in found
    assert "at turn 1, which stated no law right" in found
