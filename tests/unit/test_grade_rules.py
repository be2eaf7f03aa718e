"""The two grading rules the lead decided for issue 25 (tests/calibration/REVIEW.md "Still open").

A. The grade follows the marking points and the caps only (fact 31): the percentage never fails
   an attempt whose pass points are all met with no failing cap, never stops a distinction whose
   criteria are all met, and is held inside the band of the grade awarded.
B. A behavioural slip (grading.yaml `recovered_by_later_evidence`) followed at a later turn by
   the same marking point's evidence is recovered: it spoils no pass point, and it stops a
   distinction. Law, data, identity, respect, equality and authority slips never are.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scoring import spec
from scoring.scorer import compiled, score
from simulator.engine.loader import check_bytes, load_scenario, resolve
from simulator.engine.session import Runtime

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"
DESK = Path(__file__).resolve().parents[1] / "fixtures" / "scoring" / "grading-desk.yaml"
DESK_BEST = ["greet", "empathise_apol", "refund", "confirm_follow"]


def run(scenario_id: str, seed: int, path: list[str]) -> dict:
    sc = load_scenario(resolve(scenario_id))
    s = Runtime(sc).new_session(seed=seed)
    s.replay(path)
    assert s.ended
    return score(sc, s.transcript())


def desk(extra: str = ""):
    text = DESK.read_text(encoding="utf-8").replace("start: open\n", f"start: open\n{extra}")
    result = check_bytes(text.encode(), "grading-desk.yaml")
    assert result.scenario is not None, [str(d) for d in result.errors]
    return result.scenario


def in_band(s: dict) -> bool:
    th, p, g = s["thresholds"], s["percent"], s["grade"]
    if g == "fail":
        return p < th["pass"]
    if g == "pass":
        return th["pass"] <= p < th["distinction"]
    return p >= th["distinction"]


# -- A. the percentage floor ------------------------------------------------------------------

# The reviewer's play + (REVIEW.md): every pass point met, both misstatements withdrawn, one
# payment beyond remit; 28 points of mistakes leave 55%.
PHONE = [
    "opening.1",
    "fault_heard.1",
    "wants_money.3",
    "tech_check.4",
    "refit_charge.2",
    "refund_agreed.2",
    "refund_done.2",
    "closing.1",
]


def test_the_percentage_never_fails_an_attempt_the_marking_points_pass():
    s = run("phone-screen-refit", 19, PHONE)
    assert s["uncapped_percent"] < s["thresholds"]["pass"]  # the old floor would fail it
    assert all(p["status"] != "missed" for p in s["marking_points"] if p["level"] == "pass")
    assert s["grade"] == "pass", s["grade_reason"]
    assert s["percent"] == s["thresholds"]["pass"]  # lifted into the pass band
    assert "%" not in s["grade_reason"]


def test_the_percentage_never_stops_a_distinction_whose_criteria_are_met():
    """The kettle fixture's two-turn model answer meets every criterion at 84%; a scenario
    that sets its distinction mark at 90 moves the band, not the grade."""
    text = KETTLE.read_text(encoding="utf-8")
    text = text.replace("start: opening\n", "start: opening\nscoring: {distinction: 90}\n")
    result = check_bytes(text.encode(), "kettle.yaml")
    assert result.scenario is not None
    sc = result.scenario
    s = Runtime(sc).new_session(seed=3)
    s.replay(["opening.1", "fault_described.1"])
    r = score(sc, s.transcript())
    assert r["uncapped_percent"] == 84
    assert (r["grade"], r["percent"]) == ("distinction", 90)


def run_desk(ids: list[str], extra: str = "") -> dict:
    sc = desk(extra)
    s = Runtime(sc).new_session(seed=1)
    s.replay(ids)
    return score(sc, s.transcript())


@pytest.mark.parametrize(
    "scenario_id",
    ["phone-screen-refit", "headwear-rule", "faulty-toaster-day12", "long-running-complaint"],
)
def test_every_consumer_of_the_percentage_sees_it_in_the_grades_band(scenario_id):
    """Random walks: the percentage (what LTI scoreGiven, xAPI and the gradebook send) is inside
    the grade's band, and the grade never reads the mistake points (exact odds rely on it)."""
    sc = load_scenario(resolve(scenario_id))
    c = compiled(sc)
    rng = random.Random(25)
    for seed in range(40):
        s = Runtime(sc).new_session(seed=seed)
        while not s.ended and len(s.transcript()["turns"]) < 40:
            s.choose(rng.randint(1, len(s.offered())))
        t = s.transcript()
        r = score(sc, t)
        assert in_band(r), (seed, r["grade"], r["percent"])
        tally = c.initial
        for turn in t["turns"]:
            tally = c.advance(tally, c.fx[turn["choice"]])
        outcome = sc.states[t["ending"]].end if t.get("ending") else None
        for penalty in (0.0, 40.0, 500.0):
            assert c.evaluate(tally, penalty, outcome)[1] == r["grade"] == c.grade(tally, outcome)


def test_the_best_path_of_paths_agrees_with_its_grade():
    from scoring.paths import analyse

    sc = load_scenario(resolve("phone-screen-refit"))
    r = analyse(sc)
    assert r["best"]["grade"] == "distinction"
    for name in ("best", "worst"):
        p = r[name]
        assert p["verified"], p  # the search's (percent, grade) is the replayed score's
        assert in_band(score(sc, _transcript(sc, p["choices"])))


def _transcript(sc, choices):
    s = Runtime(sc).new_session(seed=0)
    s.replay(choices)
    return s.transcript()


# -- B. a slip outweighed by what follows -----------------------------------------------------

# REVIEW.md held-out play: "it's out of our hands" (no_ownership, turn 3) never taken back in
# words; then she is served (turn 4), the manager briefed, a complaint logged with a call-back.
HEADWEAR = [
    "opening.1",
    "detail.1",
    "why_sign.2",
    "serve_her.1",
    "manager.1",
    "on_record.1",
    "closing.1",
]


def test_a_slip_outweighed_by_later_ownership_passes_but_stops_a_distinction():
    s = run("headwear-rule", 25, HEADWEAR)
    assert s["grade"] == "pass", s["grade_reason"]
    assert s["uncapped_percent"] >= s["thresholds"]["distinction"]  # only the cap stops it
    assert s["recovered"] == [
        {
            "id": "no_ownership",
            "turn": 3,
            "later": 5,  # the store manager briefed: a hand-over that keeps ownership
            "reason": "you did not take ownership of the problem at turn {made} but then took "
            "ownership at turn {later}",
        }
    ]
    assert [c["when"] for c in s["caps"]] == [{"recovered": True}]
    assert s["grade_reason"] == (
        "At most pass: you did not take ownership of the problem at turn 3 but then took "
        "ownership at turn 5: that recovers a pass, not a distinction."
    )
    assert {"id": "no_ownership", "turn": 3} in s["mistakes"]  # still reported, points lost
    points = {p["id"]: p["status"] for p in s["marking_points"]}
    assert points["take_ownership"] == points["escalate_well"] == "met"


def test_a_slip_with_no_later_evidence_still_fails():
    # "I'll pass it to head office" at the last turn but one; the close shows no ownership.
    path = ["opening.1", "detail.1", "why_sign.1", "serve_her.1", "manager.1", "on_record.3"]
    s = run("headwear-rule", 1, [*path, "closing.1"])
    assert s["grade"] == "fail"
    assert s["recovered"] == []
    points = {p["id"]: p["status"] for p in s["marking_points"]}
    assert points["take_ownership"] == "missed"


def test_a_slip_made_again_after_its_recovery_needs_recovering_again():
    # no ownership (1), no ownership again (4), both outweighed by the briefed hand-over (6);
    # taking action alone (3, 5) recovers nothing (grading.yaml: a hand-over is the evidence)
    path = ["opening.3", "contractors.1", "detail.1", "why_sign.2", "serve_her.1"]
    s = run("headwear-rule", 1, [*path, "manager.1", "on_record.1", "closing.1"])
    assert s["grade"] == "pass"
    assert [(r["turn"], r["later"]) for r in s["recovered"]] == [(4, 6)]
    # the same, but the last slip (turn 7) is never outweighed
    s = run("headwear-rule", 1, [*path, "manager.1", "on_record.3", "closing.1"])
    assert s["grade"] == "fail"


def test_a_recovered_slip_spoils_no_marking_point_but_still_stops_a_distinction():
    """vague_referral spoils keeping the customer informed (a distinction point) and escalating
    well (a pass point): recovered by a later reference and call-back, it spoils neither (review
    25aw class 3: one rule with a slip taken back), the escalation is missed for another reason
    (nobody was briefed), and the recovered cap still stops a distinction."""
    s = run(
        "headwear-rule",
        1,
        ["opening.1", "detail.1", "why_sign.1", "serve_her.1", "manager.2", "on_record.1"]
        + ["closing.1"],
    )
    assert [r["id"] for r in s["recovered"]] == ["vague_referral"]
    points = {p["id"]: p for p in s["marking_points"]}
    assert points["escalate_well"]["why"] == {"kind": "not_shown", "ids": ["escalation:good"]}
    assert points["keep_informed"]["status"] == "met"
    assert s["grade"] != "distinction"
    assert s["escalation"]["verdict"] == "missed" and not s["escalation"]["spoiled"]


def test_misstating_the_law_is_never_recovered_by_later_evidence():
    """Issue 25: a law correction must be a choice that withdraws it. The desk's `wrong_law`
    then `restate` states the law right later without withdrawing the wrong statement."""
    s = run_desk(["greet", "wrong_law", "restate", "confirm_follow"])
    assert s["grade"] == "fail" and s["recovered"] == []


@pytest.mark.parametrize("mistake", sorted(spec.NEVER_RECOVERED))
def test_grading_yaml_cannot_make_a_law_data_or_respect_slip_recoverable(mistake):
    data = {
        "marking_points": spec.grading()["marking_points"],
        "recovered_by_later_evidence": {
            mistake: {"evidence": ["take_action"], "reason": "at {made} then {later}"}
        },
    }
    with pytest.raises(spec.SpecError, match="withdraws it"):
        spec._check_recovery(data)


def test_recovery_evidence_must_be_shown_by_a_point_the_slip_spoils():
    data = {
        "marking_points": spec.grading()["marking_points"],
        "recovered_by_later_evidence": {
            "interrupting": {"evidence": ["take_action"], "reason": "at {made} then {later}"}
        },
    }
    with pytest.raises(spec.SpecError, match="not shown by a marking point"):
        spec._check_recovery(data)
    spec._check_recovery(spec.grading())  # the shipped rules pass their own check


def test_paths_says_the_grade_follows_the_marking_points(capsys):
    from simulator.cli import main

    main(["paths", str(resolve("headwear-rule"))])
    out = capsys.readouterr().out
    assert "Grades follow the marking points and caps" in out
    assert "a pass 60-79%, a distinction from 80%" in out
    assert "pass from 60%" not in out


def test_evidence_at_the_slips_own_turn_recovers_nothing():
    """The evidence must come at a LATER turn: a choice that slips and takes action at once (a
    doctored serve_her.1) leaves the slip standing; the next turn's action recovers it."""
    from dataclasses import replace

    sc = load_scenario(resolve("headwear-rule"))
    c = compiled(sc)
    no = c.mbit["no_ownership"]
    both = replace(c.fx["serve_her.1"], made=c.fx["serve_her.1"].made | no)
    tally = c.initial
    for cid in ("opening.1", "detail.1", "why_sign.1"):
        tally = c.advance(tally, c.fx[cid])
    tally = c.advance(tally, both)
    assert tally[7] & no and not tally[9]  # made, not recovered at its own turn
    tally = c.advance(tally, c.fx["manager.1"])  # takes action and briefs the manager
    assert not tally[7] & no and tally[9] & no
