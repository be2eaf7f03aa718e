"""A slip taken back (issue 25 §3, the reviewer's plays in tests/calibration/REVIEW.md).

A later choice whose `corrects:` names a mistake made earlier takes it back: like a withdrawn
misstatement, it then spoils no marking point, the `withdrawn` cap stops a distinction, and its
points stay lost. Before this, "I'll chase the team" taken back at once by "no, I'll own it
myself" failed an otherwise model attempt (take ownership spoiled for good)."""

from __future__ import annotations

from scoring.scorer import score
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime

HEAD = ["opening.3", "passed_to_fos.1", "tells.1", "apologised.3"]
TAIL = ["apologised.1", "refunded.1", "rights_question.1", "signposted.1", "confirmed.1"]


def run(scenario_id: str, path: list[str]) -> dict:
    sc = load_scenario(resolve(scenario_id))
    s = Runtime(sc).new_session(seed=13)
    s.replay(path)
    return score(sc, s.transcript())


def test_a_slip_taken_back_passes_capped_below_distinction():
    s = run("long-running-complaint", [*HEAD, "silence_risk.1", *TAIL])
    assert s["grade"] == "pass", s["grade_reason"]
    caps = [c for c in s["caps"] if c["when"] == {"withdrawn": True}]
    # the cap cites the slip's turn (4) and the turn that took it back (5), each for what it
    # is (review 25r D6: it cited the correction's turn as the slip's)
    assert caps and caps[0]["turn"] == 4 and caps[0]["later"] == 5 and caps[0]["grade"] == "pass"
    assert "at turn 4 that you took back and put right at turn 5" in s["grade_reason"]
    # still reported, still costing its points
    assert {"id": "no_ownership", "turn": 4} in s["mistakes"]
    mp = {p["id"]: p["status"] for p in s["marking_points"]}
    assert mp["take_ownership"] == "met"


def test_a_slip_never_taken_back_still_spoils_its_point():
    s = run("long-running-complaint", [*HEAD, "silence_risk.2"])
    assert s["grade"] == "fail"
    assert not any(c["when"] == {"withdrawn": True} for c in s["caps"])
    mp = {p["id"]: p["status"] for p in s["marking_points"]}
    assert mp["take_ownership"] == "missed"


def test_taking_back_a_mistake_never_made_changes_nothing():
    """compensation driver_notes.1 takes back blaming; reached without blaming, no cap."""
    s = run(
        "compensation-beyond-authority",
        ["opening.1", "story.1", "within_authority.1", "handover_choice.1", "timescale.1"]
        + ["recap.1", "decision_call.1"],
    )
    assert not any(c["when"] == {"withdrawn": True} for c in s["caps"])
