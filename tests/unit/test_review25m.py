"""Review 25m's defects (branch review25m, review/REVIEW.md), each fixed as a class: D2 a
kept case recovers "no ownership" by later ownership evidence where no hand-over is ever
offered; D1 one suspicious line outweighed by respect before and after it stops a distinction,
not a pass; ..."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from scoring import scorer
from simulator.engine.loader import load_scenario
from tests import replay

ROOT = Path(__file__).resolve().parents[2]
# review 25m play 15 (seed 615): "nothing I can do from this end", taken back at once, then the
# routes, a three-way call at 4.30, the plan confirmed and a reference with a follow-up
PLAY15 = [
    "opening.1",
    "explains.1",
    "explains_why.2",
    "flat_refusal.1",
    "her_situation.1",  # was explains.1, explains_why.1: D14 gave the retraction its own next state
    "routes_explained.1",
    "call_arranged.1",
    "plan_confirm.1",
    "wrap_up.1",
]


def _view(scenario: str, seed: int, ids: list[str]) -> dict[str, Any]:
    """The debrief view of one path, played in assessment mode."""
    return replay.assessed(scenario, seed, ids)[1]


_text = replay.text


# --- D2: a kept case's "no ownership" recovered by later ownership evidence ---


def test_d2_refusal_taken_back_then_owned_passes_and_no_section_says_passed_away() -> None:
    v = _view("relative-asks-about-account", 615, PLAY15)
    text = _text(v)
    assert v["score"]["grade"] == "pass"
    assert "Passed the customer away" not in text
    assert "was not dealt with" not in text
    assert "Missed, a pass point: Takes ownership" not in text
    assert "Missed, a pass point: Escalates only when needed" not in text
    assert "Escalation: Dealt with it yourself, rightly" in text


def _kept_case() -> tuple[Any, dict[str, scorer.ChoiceFx], int]:
    """The relative scenario's compiled scorer, its choices' effects with the turn-3 slip
    reduced to "no ownership" alone (so only the kept-case rule can recover it), and its bit."""
    sc = load_scenario(ROOT / "scenarios" / "relative-asks-about-account.yaml")
    c = scorer.compiled(sc)
    nob = c.mbit["no_ownership"]
    fx = dict(c.fx)
    fx["slip"] = dataclasses.replace(fx["explains_why.2"], made=nob, mistakes=("no_ownership",))
    return c, fx, nob


def _walk(c: Any, fx: dict[str, scorer.ChoiceFx], ids: list[str]) -> Any:
    tally = c.initial
    for cid in ids:
        tally = c.advance(tally, fx[cid])
    return tally


def test_d2_kept_case_needs_a_step_owned_a_plan_confirmed_then_a_follow_up() -> None:
    c, fx, nob = _kept_case()
    assert not c.esc_required and c.kept
    head = ["opening.1", "explains.1", "slip"]
    # the step owned (take_action), the plan confirmed, then the follow-up: recovered
    owned = _walk(
        c, fx, [*head, "explains_why.1", "call_arranged.1", "plan_confirm.1", "wrap_up.1"]
    )
    assert owned[9] & nob and not owned[7] & nob
    # the step owned BEFORE the slip (`acted_before: [take_action]`, review 25aa class 2), the
    # plan confirmed after it, then the follow-up: the case was owned around one slip, recovered
    before = _walk(c, fx, ["opening.1", "explains_why.1", "slip", "plan_confirm.1", "wrap_up.1"])
    assert before[9] & nob and not before[7] & nob
    # ...but the plan confirmed only before the slip does not count: the slip stands
    early = _walk(c, fx, ["opening.1", "explains_why.1", "plan_confirm.1", "slip", "wrap_up.1"])
    assert early[7] & nob and not early[9] & nob
    # the slip made again after owning a step: a pattern, never recovered by this rule
    again = _walk(
        c, fx, [*head, "explains_why.1", "slip", "explains_why.1", "plan_confirm.1", "wrap_up.1"]
    )
    assert again[7] & nob and not again[9] & nob


def test_d2_kept_case_needs_no_other_slip_standing() -> None:
    c, fx, nob = _kept_case()
    sales = c.mbit["sales_push"]
    fx["pushy"] = dataclasses.replace(fx["call_arranged.1"], made=sales, mistakes=("sales_push",))
    t = _walk(
        c, fx, ["opening.1", "slip", "explains_why.1", "pushy", "plan_confirm.1", "wrap_up.1"]
    )
    assert t[7] & nob and not t[9] & nob


def test_d2_kept_case_is_off_where_the_scenario_requires_escalation() -> None:
    sc = load_scenario(ROOT / "scenarios" / "compensation-beyond-authority.yaml")
    c = scorer.compiled(sc)
    assert c.esc_required and c.mbit["no_ownership"] not in {k[0] for k in c.kept}


# --- D1: one blaming line, outweighed by respect before and after it, stops a distinction ---

# review 25m play 08 (seed 608): textbook law, then "I'll just look it over first to check it
# hasn't been dropped or misused" (turn 6), then the refund, a recap and thanks
PLAY08 = [
    "opening.1",
    "fault_details.1",
    "heard_properly.1",
    "rights_explained.1",
    "processing.1",
    "receipt_check.2",
    "processing.3",
    "refund_done.1",
    "confirmed.1",
]


def test_d1_one_suspicious_line_outweighed_by_respect_passes() -> None:
    v = _view("faulty-toaster-day12", 608, PLAY08)
    text = _text(v)
    assert v["score"]["grade"] == "pass"
    assert "Met, a pass point: Greets and treats the customer with respect" in text
    # review 25aw class 3: a slip outweighed spoils no marking point (as one taken back); the
    # `recovered` cap alone stops the distinction, and the grade says which slip and where
    assert "Met, a distinction point: Adapts their approach to the customer" in text
    assert "you suggested the customer was to blame at turn 6" in v["score"]["grade_reason"]


def _toaster() -> tuple[Any, dict[str, scorer.ChoiceFx], int]:
    sc = load_scenario(ROOT / "scenarios" / "faulty-toaster-day12.yaml")
    c = scorer.compiled(sc)
    return c, dict(c.fx), c.mbit["blaming_customer"]


def test_d1_outweighed_only_once_with_respect_before_and_after() -> None:
    c, fx, bl = _toaster()
    outweighed = _walk(c, fx, PLAY08)
    assert outweighed[9] & bl and not outweighed[7] & bl
    # made twice: a pattern of suspicion, never outweighed
    fx["again"] = dataclasses.replace(fx["refund_done.1"], made=bl, mistakes=("blaming_customer",))
    twice = _walk(c, fx, [*PLAY08[:7], "again", "confirmed.1"])
    assert twice[7] & bl and not twice[9] & bl
    # no respect shown before the suspicion: nothing for it to be weighed against
    fx["cold"] = dataclasses.replace(fx["processing.1"], bits=0)
    cold = _walk(c, fx, ["cold", "receipt_check.2", "processing.3", "refund_done.1", "confirmed.1"])
    assert cold[7] & bl and not cold[9] & bl
    # respect before, but none after (no thanks, no apology): the slip stands
    fx["curt"] = dataclasses.replace(fx["confirmed.1"], bits=c.bit["follow_up"])
    curt = _walk(c, fx, [*PLAY08[:8], "curt"])
    assert curt[7] & bl and not curt[9] & bl


def test_d1_blaming_is_recovered_only_by_outweighed() -> None:
    from scoring import spec

    assert "blaming_customer" in spec.OUTWEIGHED_ONLY
    assert "blaming_customer" not in spec.NEVER_RECOVERED
    data = {
        "marking_points": spec.grading()["marking_points"],
        "recovered_by_later_evidence": {
            "blaming_customer": {"evidence": ["apologise"], "reason": "turn {made} {later}"}
        },
    }
    try:
        spec._check_recovery(data)
    except spec.SpecError as e:
        assert "outweighed" in str(e)
    else:
        raise AssertionError("a later apology alone must not recover blaming the customer")


# --- D5: "dealt with it yourself, rightly" never beside a standing promise beyond authority ---

PLAY10 = [
    "opening.1",
    "details.1",
    "remedy.1",
    "patch_check.1",
    "refund_agreed.2",
    "refund_done.1",
    "closing.1",
]


def test_d5_kept_case_with_a_standing_beyond_remit_says_so() -> None:
    v = _view("app-update-damage", 610, PLAY10)
    text = _text(v)
    assert "Dealt with it yourself, rightly" not in text
    assert "which was right here." not in text
    esc = v["escalation"]
    assert esc["verdict_label"] == "Kept the case, but agreed something beyond your authority"
    assert "at turn 5 you agreed something beyond your own authority" in esc["note"]


# --- D6: a perfect attempt has nothing to change ---


def test_d6_a_perfect_level3_attempt_lists_nothing_to_change() -> None:
    v = _view(
        "internal-customer-finance",
        605,
        ["opening.1", "purpose.1", "format_agreed.1", "deadline_agreed.1", "updated.1", "resent.1"],
    )
    assert v["score"]["grade"] == "distinction"
    assert v["practise"]["title"] == "Another topic"
    assert v["change"] == []
    assert "Nothing to change" in _text(v)


# --- D7: the defensive explanation claims nothing the path may contradict ---


def test_d7_defensive_explanation_describes_the_behaviour_only() -> None:
    v = _view("webchat-fridge-year-four", 609, ["opening.3", "tone_clash.2"])
    said = [m["explanation"] for m in v["mistakes"] if m["id"] == "defensive"]
    assert said
    for text in said:
        assert "proof" not in text and "suspicion" not in text
    from scoring import spec

    info = spec.mistake("defensive")
    for key in ("explanation", "explanation_withdrawn"):
        assert "proof" not in info[key] and "suspicion" not in info[key]


# --- D13: a hand-over without a summary is not "no handover" ---


def test_d13_a_handover_without_a_summary_is_said_as_such() -> None:
    # A transfer with no notes ("let me transfer you"): prove_demand.3, used here first, passes
    # the case on "with my notes", a handover (review25ag play 04), so it no longer fits.
    v = _view("washing-machine-day45", 617, ["opening.3", "past_30.3"])
    note = v["escalation"]["note"]
    assert v["escalation"]["escalations"] and not v["escalation"]["handover"]
    assert "There was no handover" not in note
    assert "passed on without a handover summary of it" in note


# --- D18: every "thing to change" uses the practise label ---


def test_d18_change_items_use_practise_labels_never_raw_mistake_labels() -> None:
    from scoring import catalogue

    raw = {str(m["label"]) for m in catalogue.catalogue()["mistakes"].values()}
    practise = {str(m["practise"]) for m in catalogue.catalogue()["mistakes"].values()}
    for scenario, seed, ids in (
        ("spill-in-aisle", 603, ["opening.3", "passed_off.2"]),
        ("webchat-fridge-year-four", 609, ["opening.3", "tone_clash.2"]),
        ("long-running-complaint", 614, ["opening.2", "ombudsman_refused.3"]),
    ):
        v = _view(scenario, seed, ids)
        titles = [c["title"] for c in v["change"]]
        assert not (set(titles) & (raw - practise)), (scenario, titles)
