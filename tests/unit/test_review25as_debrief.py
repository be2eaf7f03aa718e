"""Review 25as (tests/calibration/reviews/review25as.md): the debrief sentences an examiner flagged
as false of the path or contradicting another section, replayed on the play that showed each (the
cases in tests/calibration/review25as.yaml, with their seeds), and each class checked over the
scenario pack or over sampled paths, so a fix is of the class, not of the one play."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring import scorer
from simulator.engine.loader import load_scenario
from tests.replay import assessed, assessed_transcript, review_play, sampled_paths, text

ROOT = Path(__file__).resolve().parents[2]


def _play(n: int) -> tuple[dict[str, Any], str]:
    scenario, seed, ids = review_play("review25as", n)
    _t, v = assessed(scenario, seed, ids)
    return v, text(v)


def _points(v: dict[str, Any]) -> dict[str, str]:
    """{marking point label: met | missed | not_assessed}."""
    mp = v["marking_points"]
    return {
        p["label"]: status
        for status in ("met", "missed", "not_assessed")
        for p in mp.get(status) or []
    }


# -- class 2: a slip withdrawn at once read as standing; a promised step read as done ----------


def test_class2a_a_follow_up_promised_then_made_keeps_the_cycle_in_order() -> None:
    """Play 05: "I'll ring you at half twelve" (turn 5), the recap (turn 7), the call itself
    (turn 8). The cycle came in order; no 20 points off for "Follow up before Confirm"."""
    v, said = _play(5)
    cycle = next(m for m in v["models"] if m["id"] == "service_cycle")
    assert cycle["in_order"] is True and cycle["percent"] == 100, cycle
    assert "Out of order" not in said
    assert "Follow up came again at turn 8, after Confirm (turn 7)" in said


def test_class2bc_an_offer_beyond_authority_withdrawn_at_once_is_named_as_taken_back() -> None:
    """Play 05: the £100 voucher (turn 3) withdrawn at turn 4 ("my limit for a voucher is
    £25"). It spoils neither "Keeps the customer informed" nor "Works within their own
    authority"; the escalation section says it was taken back, not that it "needed referring";
    a distinction is still stopped (a slip taken back)."""
    v, said = _play(5)
    points = _points(v)
    assert points["Keeps the customer informed and reassured"] == "met"
    assert points["Works within their own authority"] == "met"
    assert "undone by the mistake: over-promising" not in said
    assert "needed referring" not in said
    assert "Kept the case, but agreed something beyond your authority" not in said
    assert "you took back at turn 4" in v["escalation"]["note"]
    assert v["grade"] == "pass"


# Choices whose own words withdraw a promise or an offer beyond authority made at the turn
# before (the state is entered only by that slip), before the customer relied on it: each is a
# slip taken back (`corrects:`), so the sections that read the slip say so.
WITHDRAWALS = [
    ("late-delivery-recovery", "over_promise", 0, {"over_promising", "beyond_remit"}),
    ("late-delivery-recovery", "false_hope", 0, {"over_promising"}),
    ("late-delivery-recovery", "false_hope", 1, {"over_promising"}),
    ("correct-and-erase", "deleted_claim", 0, {"over_promising", "beyond_remit"}),
]


@pytest.mark.parametrize(("name", "state", "index", "slips"), WITHDRAWALS)
def test_class2_withdrawals_in_words_are_tagged_as_taken_back(
    name: str, state: str, index: int, slips: set[str]
) -> None:
    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    ch = sc.states[state].choices[index]
    assert slips <= set(ch.corrects), (name, state, index, ch.corrects)
    # and the state is one only that slip leads to: the withdrawal is of it
    into = [c for st in sc.states.values() for c in st.choices if c.goto == state]
    assert into and all(slips & set(c.mistakes) for c in into)


def _greedy_in_order(model: Any, shows: list[set[str]], counted: list[set[str]]) -> bool | None:
    """The reference: the steps shown for order (`counted`: less an apology for your own slip)
    can be read in the model's order, each at its first turn or, a step the model lets be
    arranged before it is done (`any_turn`), at any turn that shows it (same turn in order),
    leaving out a step credited before it first counted; None with fewer than two steps
    shown."""
    steps = []
    for s in model.steps:
        b = set(s.behaviours)
        first = next((n for n, t in enumerate(shows) if b & t), None)
        first_counted = next((n for n, t in enumerate(counted) if b & t), None)
        if first is not None and first == first_counted:
            steps.append(s)
    if sum(1 for s in model.steps if any(set(s.behaviours) & t for t in shows)) < 2:
        return None
    cur = 0
    for s in steps:
        turns = [n for n, t in enumerate(counted) if set(s.behaviours) & t]
        if not s.any_turn:
            turns = turns[:1]  # judged by its first turn (acting before listening stays so)
        at = next((n for n in turns if n >= cur), None)
        if at is None:
            return False
        cur = at
    return True


SCENARIOS = ["late-delivery-recovery", "broadband-hardship", "courier-lost-cot", "laptop-month7"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_class2a_cycle_order_is_judged_by_any_turn_a_step_was_shown(name: str) -> None:
    """Over sampled paths: the service cycle is "in order" exactly when its steps read in the
    model's order, each at its first turn or, for the follow-up (arranged, then done), at any
    turn that shows it: a follow-up promised early and made later is in order; an action
    before listening is not, whatever came later."""
    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    c = scorer.compiled(sc)
    model = next(m for m in c.step_models if m.id == "service_cycle")
    if any(s.recovery for s in model.steps):
        pytest.skip("recovery steps are judged apart")
    seen_again = 0
    for ids in sampled_paths(sc, 150):
        s = scorer.score(sc, assessed_transcript(sc, ids))
        shows = [set(c.fx[cid].shows) for cid in ids]
        recovery = {b for b, bit in c.bit.items() if bit & c.recovery_bits}
        counted = [
            t - recovery
            if c.fx[cid].recovery and (c.fx[cid].made or (n and c.fx[ids[n - 1]].made))
            else t
            for n, (cid, t) in enumerate(zip(ids, shows, strict=True))
        ]
        got = s["models"]["service_cycle"]["in_order"]
        assert got == _greedy_in_order(model, shows, counted), (ids, got)
        seen_again += bool(s["models"]["service_cycle"].get("again"))
    if name == "late-delivery-recovery":
        assert seen_again, "no sampled path put the cycle in order by a later turn"


# -- class 4: a marking point "not assessed" beside an escalation section that judged it --------


def test_class4_authority_points_assessed_where_the_escalation_section_judged_the_path() -> None:
    """Play 02: "Dealt with it yourself, rightly, 100%" beside "Not assessed: Escalates only
    when needed; Works within their own authority"."""
    v, said = _play(2)
    points = _points(v)
    assert v["escalation"]["percent"] == 100
    assert points["Escalates only when needed, to the right role, with a handover"] == "met"
    assert points["Works within their own authority"] == "met"
    assert not re.search(r"Not assessed[^\n]*Works within their own authority", said)


@pytest.mark.parametrize("name", ["courier-lost-cot", "late-delivery-recovery", "abusive-customer"])
def test_class4_escalation_judged_iff_its_marking_points_are(name: str) -> None:
    """Over sampled paths: where the escalation section gives a percentage, the points judged
    by escalation (`escalation:good`) are met or missed, never "not assessed"."""
    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    c = scorer.compiled(sc)
    if "escalation" not in c.applied:
        pytest.skip("no escalation section")
    judged_by_escalation = {
        mp["id"]
        for mp in c.grading.get("marking_points") or []
        if "escalation:good" in (mp.get("shown") or [])
    }
    for ids in sampled_paths(sc, 120):
        t = assessed_transcript(sc, ids)
        s = scorer.score(sc, t)
        if s["parts"].get("escalation") is None:
            continue
        lost = sc.states[t["ending"]].end if t.get("ending") else None
        if lost in c.esc_spoil_outcomes and not s["escalation"]["escalated_to"]:
            # a customer lost from a case that needed no escalation: the point is not assessed
            # and (truth25aq, the reverse case of the same rule) nor is the section
            continue
        for p in s["marking_points"]:
            if p["id"] in judged_by_escalation:
                assert p["status"] != "not_assessed", (ids, p["id"], s["escalation"])
