"""Issue 25, truth25ab: the same fact carries the same turns in every section, every instance of a
cap is named, and an escalation the learner withdrew is not one anywhere. One path apiece, from
the lead's read-throughs of main; the classes are checked over enumerated paths of every
scenario in tests/property/test_debrief_cap_turns.py."""

from __future__ import annotations

from typing import Any

from scoring import debrief
from simulator.engine import pathctx
from tests.replay import assessed, session, text

# faulty-toaster-day12 seed 907: blame at turn 2, withdrawn at turn 3; the supervisor hand-off at
# turn 4, withdrawn at turn 5.
TOASTER = (
    "opening.1 fault_details.2 blame_use.1 heard_properly.4 supervisor_called.3 "
    "rights_explained.1 processing.1 receipt_check.1 processing.3 refund_done.1 confirmed.1"
).split()
# sar-by-phone seed 806 (review 25u play 06): data read out at turns 3 and 4 before any check.
SAR = "opening.3 not_recognised.1 caller_explains.3 early_disclosure.2".split()


def _cap(s: dict[str, Any], when: dict[str, Any]) -> dict[str, Any]:
    (cap,) = [c for c in s["caps"] if c["when"] == when]
    return cap


def test_1_both_slips_taken_back_are_named_in_the_grade_line_and_the_cap_line():
    _t, v = assessed("faulty-toaster-day12", 907, TOASTER)
    cap = _cap(v["score"], {"withdrawn": True})
    assert cap["pairs"] == [[2, 3], [4, 5]]
    both = (
        "you said something at turn 2 that you took back and put right at turn 3, and again at "
        "turn 4, put right at turn 5 (the recovery counts"
    )
    assert v["grade"] == "pass"
    assert both in v["grade_line"]
    assert both in v["score"]["grade_reason"]
    body = text(v)
    (line,) = [x for x in body.splitlines() if x.startswith("At most pass")]
    assert both in line
    # the mistakes section says the same two slips, each with the turn that took it back
    assert [(m["turn"], m["withdrawn"]) for m in v["mistakes"]] == [(2, 3), (4, 5)]


def test_2_the_data_conduct_carries_the_same_turns_in_every_section():
    _t, v = assessed("sar-by-phone", 806, SAR)
    s = v["score"]
    breach = _cap(s, {"law": "breached"})
    assert breach["turns"] == [3, 4]
    assert v["grade"] == "fail"
    assert "never put it right (turns 3 and 4)" in v["grade_line"]
    assert "(turn 3)" not in v["grade_line"]
    assert v["law"]["breached"][0]["turns"] == [3, 4]
    assert v["law"]["note"].startswith("At turns 3 and 4 you handled")
    body = text(v)
    (line,) = [x for x in body.splitlines() if x.startswith("At most fail")]
    assert line.endswith("never put it right, at turns 3 and 4.")
    # the identity-check cap names both turns the mistakes section lists
    skipped = _cap(s, {"mistake": "skips_verification"})
    listed = [m["turn"] for m in v["mistakes"] if m["id"] == "skips_verification"]
    assert skipped["turns"] == listed == [3, 4]
    (line,) = [
        x for x in body.splitlines() if x.startswith("Would also stop a distinction (acting before")
    ]
    assert line.endswith("every time), at turns 3 and 4.")


def test_3_a_withdrawn_escalation_is_not_in_path_escalated():
    s = session("faulty-toaster-day12", 907, TOASTER)
    assert s.ended
    # the path the ending's texts read (engine/pathctx.py, through the session)
    assert s._path(str(s.ending))["escalated"] == []
    t = s.transcript()
    score = debrief.score_transcript(s.scenario, t)
    assert score["escalation"]["escalated_to"] == [] and score["escalation"]["turns"] == []
    assert score["escalation"]["withdrawn"] == [{"role": "supervisor", "turn": 4, "at": 5}]
    # ... and the escalation made and kept is still one
    kept = session("faulty-toaster-day12", 907, TOASTER[:4])
    chs = [kept.scenario.find_choice(x["choice"])[2] for x in kept.transcript()["turns"]]
    assert pathctx.escalated(chs) == ["supervisor"]


def test_3_the_escalation_section_reads_the_scorer_s_escalations():
    """The section's escalations, roles and wrong-role turns come from the score's one record,
    not from the choices on the path (a withdrawn one was counted there)."""
    t, _v = assessed("faulty-toaster-day12", 907, TOASTER)
    sc = session("faulty-toaster-day12", 907, []).scenario
    s = debrief.score_transcript(sc, t)
    assert debrief.build(sc, t, s)["escalation"]["escalations"] == []
    s["escalation"]["turns"] = [4]
    s["escalation"]["escalated_to"] = ["supervisor"]
    assert [x["turn"] for x in debrief.build(sc, t, s)["escalation"]["escalations"]] == [4]


def test_4_two_escalations_taken_back_are_each_said_with_their_own_turns():
    """Two escalations begun and taken back: each with the turn that took it back, in the
    escalation section and in the marking point, never the first begun beside the last taken
    back ("At turn 2 ... took it back at turn 5")."""
    t, _v = assessed("faulty-toaster-day12", 907, TOASTER)
    sc = session("faulty-toaster-day12", 907, []).scenario
    s = debrief.score_transcript(sc, t)
    s["escalation"]["withdrawn"] = [
        {"role": "supervisor", "turn": 2, "at": 3},
        {"role": "supervisor", "turn": 4, "at": 5},
    ]
    v = debrief.build(sc, t, s)
    note = v["escalation"]["note"]
    assert "At turns 2 and 4 you said you would pass the case on" in note
    assert "(at turns 3 and 5)" in note
    assert "took it back at turn 5" not in note
    shown = " ".join(m.get("shown_by") or "" for m in v["marking_points"]["met"])
    assert "those you began at turns 2 and 4 you took back at turns 3 and 5" in shown


def test_4_undone_by_names_every_turn_the_mistake_stands_at():
    """The fail's reason names each turn a mistake stands at, as the mistakes section does."""
    from scoring.scorer import grade_reason

    _t, v = assessed("sar-by-phone", 806, SAR)
    s = dict(v["score"])
    s["caps"] = []  # the general rule: each pass point undone, by what, at which turns
    s["marking_points"] = [
        {**m, "why": {"kind": "spoiled", "ids": ["skips_verification"]}, "status": "missed"}
        for m in s["marking_points"]
        if m["level"] == "pass"
    ][:1]
    assert "skips the identity check at turns 3 and 4" in grade_reason(s)


def test_the_new_words_are_said_in_welsh():
    """A Welsh debrief names both slips taken back, and several turns, in Welsh."""
    from simulator.engine import i18n

    token = i18n.use("cy")
    try:
        _t, v = assessed("faulty-toaster-day12", 907, TOASTER)
        _t2, v2 = assessed("sar-by-phone", 806, SAR)
    finally:
        i18n.reset(token)
    assert "ar dro 2 ac yna ei dynnu'n ôl a'i gywiro ar dro 3, ac eto ar dro 4" in v["grade_line"]
    assert "(troeon 3 a 4)" in v2["grade_line"]
