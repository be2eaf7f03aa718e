"""Review 25r (issue 25): the examiner's debrief defects D1, D2, D4, D6 and D13, each on a path of
a shipped scenario that showed it on main. The class of each is checked over enumerated paths in
tests/property/test_debrief_turns.py; these pin one path apiece, in the learner's words."""

from __future__ import annotations

from scoring import spec
from scoring.course import course_status
from tests.replay import assessed, text

# No escalation on the path, none needed: the attempt kept and settled the case.
KEPT = ["opening.1", "details.1", "remedy.1", "patch_check.1", "refund_agreed.1"]
KEPT += ["refund_done.1", "closing.1"]


def test_d1_not_escalating_shows_nothing_about_knowing_when_to_escalate():
    _t, v = assessed("app-update-damage", 1, KEPT)
    s = v["score"]
    assert not s["escalation"]["escalated_to"]
    status = course_status(s)
    # never met, never missed by default: not assessed here
    assert "professional_boundaries" not in status
    assert "procedures_support_service" not in status
    words = text(v)
    assert "Knows the limits of their role" not in words


def test_d1_a_promise_beyond_authority_misses_knowing_the_limits():
    _t, v = assessed(
        "compensation-beyond-authority", 1, ["opening.1", "story.1", "within_authority.3"]
    )
    assert course_status(v["score"])["professional_boundaries"] == "missed"


def test_d1_met_needs_says_what_met_needs():
    points = {p["id"]: p for p in spec.course_points()["points"]}
    assert points["professional_boundaries"]["met_by"] == ["referral"]
    assert "referral" in points["professional_boundaries"]["needs"]


def test_d2_a_handover_on_the_turn_after_the_escalation_counts():
    # turn 6 escalates to the claims team; turn 7 briefs them ("Am I starting from scratch?")
    ids = ["opening.1", "details.1", "remedy.1", "patch_check.3", "waits.1"]
    ids += ["refund_agreed.4", "transferred.1"]
    t, v = assessed("app-update-damage", 1, ids)
    assert v["score"]["escalation"]["handover"]
    assert "without a handover" not in v["escalation"]["note"]


def test_d4_a_referral_to_the_wrong_role_is_said_and_scored():
    # turn 1 hands to the team leader; turn 4 sends the customer to head office
    ids = ["opening.2", "early_handoff.1", "story.1", "within_authority.4"]
    _t, v = assessed("compensation-beyond-authority", 1, ids)
    e = v["escalation"]
    assert e["verdict"] == "correct"
    assert e["verdict_label"] != "Escalated to the right role"
    assert "At turn 4, though, you referred it to the head office" in e["note"]
    assert "left with the wrong role" in e["note"]
    assert e["percent"] <= spec.grading()["escalation"]["verdict_percent"]["wrong_role"]
    (cap,) = [c for c in v["score"]["caps"] if c["when"] == {"escalation": "also_wrong_role"}]
    assert cap["turn"] == 4 and cap["grade"] == "pass"


def test_d4_the_right_role_then_a_wrong_one_stops_a_distinction():
    # the data protection officer logs the erasure (turn 5), then "I'll pass it on to my
    # manager" (turn 6): a pass at most, and the reason says why
    ids = ["opening.1", "explains.1", "id_check.1", "marketing.1", "erasure.1", "who_handles.3"]
    _t, v = assessed("correct-and-erase", 1, [*ids, "closing.1"])
    s = v["score"]
    assert s["grade"] == "pass"
    assert "also referred to a role that cannot deal with it (turn 6)" in s["grade_reason"]


def test_d6_a_slip_taken_back_cites_the_slip_and_the_correction_each_at_its_turn():
    ids = ["opening.1", "vents.2", "blamed.1", "demands.1", "warned.1", "fixing.1"]
    ids += ["handed_over.1", "closing.1"]
    _t, v = assessed("abusive-customer", 1, ids)
    s = v["score"]
    (cap,) = [c for c in s["caps"] if c["when"] == {"withdrawn": True}]
    taken = [w for w in s["withdrawn"] if w["id"] != "misstates_law"]
    assert (cap["turn"], cap["later"]) == (taken[0]["turn"], taken[0]["at"]) == (2, 3)
    assert "at turn 2 that you took back and put right at turn 3" in s["grade_reason"]


def test_d13_a_fail_names_the_sum_agreed_beyond_authority():
    _t, v = assessed(
        "compensation-beyond-authority", 1, ["opening.1", "story.1", "within_authority.3"]
    )
    s = v["score"]
    assert s["grade"] == "fail"
    assert "agreeing something beyond your authority (£250)" in s["grade_reason"]
    assert "at turn 3" in s["grade_reason"]
