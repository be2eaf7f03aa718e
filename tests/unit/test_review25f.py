"""Review 25f (17 fresh plays examined blind, branch review25f, review/REVIEW.md): the defects
the lead gave branch truth25g (scenario marks and texts: D1, D5, D7, D11, D12, D15, D16, D17,
D19, D20), each replayed on the review's own play (its seed and path) through the real Session,
scorer and debrief. The review's cases file becomes tests/calibration/review25f.yaml on branch
truth25h; the paths are repeated here so these tests stand alone."""

from __future__ import annotations

from typing import Any

from scoring import debrief
from scoring.scorer import score
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime

PLAYS = {
    "03": ("compensation-beyond-authority", 303, ["opening.1", "story.1", "within_authority.3"]),
    "04": (
        "correct-and-erase",
        304,
        ["opening.1", "explains.1", "id_check.1", "marketing.1", "erasure.1", "who_handles.2"]
        + ["closing.1"],
    ),
    "05": ("faulty-toaster-day12", 305, ["opening.3", "manufacturer_line.2", "policy_wall.2"]),
    "07": (
        "internal-customer-finance",
        307,
        ["opening.1", "purpose.1", "format_agreed.4", "deadline_agreed.1", "updated.1"]
        + ["resent.1"],
    ),
    "11": ("online-return-changed-mind", 311, ["opening.3", "fault_route.3", "fault_logged.3"]),
    "15": (
        "spill-in-aisle",
        315,
        ["opening.1", "details.2", "wiping.1", "guarding.1", "first_aid.1", "shelf_question.1"]
        + ["manager_arrives.1"],
    ),
    "17": ("webchat-fridge-year-four", 317, ["opening.4", "story.2"]),
}


def _play(n: str) -> tuple[Any, dict[str, Any], dict[str, Any], str]:
    scenario, seed, path = PLAYS[n]
    sc = load_scenario(resolve(scenario))
    s = Runtime(sc).new_session(seed=seed)
    s.replay(path)
    assert s.ended
    t = s.transcript()
    t["mode"] = "assess"
    return sc, t, score(sc, t), debrief.render_view(debrief.build(sc, t), "text")


def _turn_line(text: str, n: int, key: str) -> str:
    """The `key` line ("Shows:", "Mistakes:") of turn n in the turn-by-turn section."""
    part = text.split(f"\nTurn {n}. ", 1)[1].split("\nTurn ", 1)[0]
    return next((ln for ln in part.splitlines() if ln.startswith(key)), "")


def test_d1_d5_a_referral_with_a_rebooking_is_action_and_an_escalation():
    """D1: "Take action: not shown" after "Meanwhile I'll rebook the wardrobe for the first slot
    on Saturday"; D5: "it never was" escalated after "The wages go to my team leader". The
    referral is marked as one (no handover, the outcome promised), so the escalation is not
    "missed", and the rebooking is action. Still a fail, as the examiner graded it."""
    sc, t, s, text = _play("03")
    assert s["escalation"]["verdict"] != "missed"
    assert s["escalation"]["escalated_to"] == ["team_leader"]
    assert "and it never was" not in text
    assert "Take action: shown at turn 3" in text
    assert s["grade"] == "fail"


def test_d7_a_question_that_shows_not_listening_meets_no_marking_point():
    """D7: "Met: Finds out what the customer needs" from "What's wrong with it?" after she said
    nothing was."""
    _sc, _t, s, text = _play("11")
    mp = {m["id"]: m["status"] for m in s["marking_points"]}
    assert mp["identify_expectations"] != "met"
    assert "Met, a pass point: Finds out what the customer needs" not in text


def test_d11_d12_a_logged_erasure_is_the_referral_and_the_feedback_says_so():
    """D11: "never happened" after the request was logged, dated, for the team that decides it;
    D12: "delays the clock" on a path where the request was already logged."""
    _sc, t, s, text = _play("04")
    assert s["escalation"]["verdict"] == "correct"
    assert "and it never was" not in text
    assert "delays the clock" not in text
    assert "already logged" in text


def test_d15_an_offer_to_set_up_a_report_is_no_fixed_process_and_thanks_nobody():
    """D15: "You fixed the process" after "Next quarter I'll set this up", and `thank` for
    "Great, glad it's there"."""
    _sc, _t, _s, text = _play("07")
    assert "You fixed the process" not in text and "fixed the process" not in text
    assert "Thank" not in _turn_line(text, 6, "Shows:")


def test_d16_d17_the_bare_handed_wipe_is_a_safety_slip_and_shows_empathy():
    """D16: "Empathise: not shown" after "I'm sorry, he must be shaken"; D17: the bare-handed
    chemical wipe carried no mistake while the ending called it a risk. It is now a safety
    procedure skipped, taken back at the next turn ("I'll stop... the spill kit"): a pass,
    as the examiner graded it, for the reason the examiner gave."""
    _sc, _t, s, text = _play("15")
    assert "Empathise: shown at turn 2" in text
    assert "Skips a safety procedure" in _turn_line(text, 2, "Mistakes:")
    assert s["grade"] == "pass"
    assert [c["rule"] for c in s["caps"] if c.get("grade") == "pass"][:1] == [
        "a slip taken back later"
    ]


def test_d19_reject_in_writing_is_a_misstatement():
    """D19: "you can reject it in writing" carried no misstatement (fact 4)."""
    _sc, _t, s, text = _play("05")
    wrong = {w for w in s["law"]["wrong"]}
    assert "consumer_rights_act_2015.rejection_any_form" in wrong
    assert "Misstated, at turn 3" in text


def test_d20_a_pasted_script_is_a_mistake():
    """D20: the pasted-script opener carried no mistake although its feedback criticises it."""
    _sc, _t, s, text = _play("17")
    assert {"id": "scripted", "turn": 1} in s["mistakes"]
    assert "Scripted, impersonal reply" in text
