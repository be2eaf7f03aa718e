"""Review 25al (tests/calibration/reviews/review25al.md): the debrief sentences an examiner
flagged as false of the path or said differently across debriefs, replayed on the play that
showed each (the cases in tests/calibration/review25al.yaml, with their seeds)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.replay import assessed, text

ROOT = Path(__file__).resolve().parents[2]
CASES = {
    c["seed"]: c
    for c in yaml.safe_load(
        (ROOT / "tests" / "calibration" / "review25al.yaml").read_text(encoding="utf-8")
    )["cases"]
}


def _play(seed: int) -> tuple[dict[str, Any], str]:
    c = CASES[seed]
    _t, v = assessed(c["scenario"], seed, list(c["path"]))
    return v, text(v)


def test_class2_acknowledgement_by_apology_and_empathy_keeps_the_cycle_in_order() -> None:
    """Play 01: "You're right, I jumped in too soon, and I'm sorry" (turn 2) and "We've let you
    down, and I'm sorry" (turn 3) acknowledge him; the cycle was not out of order."""
    v, said = _play(1201)
    cycle = next(m for m in v["models"] if m["name"] == "Customer service cycle")
    turns = {s["label"]: s["turn"] for s in cycle["steps"]}
    assert turns["Acknowledge"] == 2, turns
    assert "Out of order" not in said
    assert "The steps you showed came in the right order." in said


def test_class7_identity_point_not_judged_on_a_path_that_never_reached_it() -> None:
    """Play 14: two turns about the request's form, no account touched: "Not assessed", as in
    a scenario that never offers the check, never "Missed"."""
    v, said = _play(1214)
    assert not re.search(r"Missed, a distinction point: Checks who they are dealing", said)
    assert any(
        p["label"].startswith("Checks who they are dealing")
        for p in v["marking_points"]["not_assessed"]
    )


def test_class7_an_apology_not_counted_says_the_rule_the_scorer_applied() -> None:
    """Plays 03, 11 and 08: an apology beside "no ownership" or a premature escalation is
    credited; one beside a scripted reply is not, and the debrief names that mistake, never a
    bare "that turn also made a mistake" (which 08 and 11 contradict)."""
    _v, said = _play(1203)
    assert "that turn also made a mistake" not in said
    assert (
        "Apologise: said at turn 1, but not counted: a mistake in the same turn cancels it "
        "(scripted, impersonal reply)." in said
    )
    assert "You said sorry at turn 1, but it was not counted: a mistake in the same turn" in said
    assert "Apologise: shown at turn 1." in _play(1211)[1]
    assert '"apologise" at turn 4' in _play(1208)[1]


def test_class8_recovery_names_the_turn_of_the_plan_and_of_the_follow_up() -> None:
    """Play 08: the plan was given again at turn 7 (and 8); turn 10 is only the follow-up."""
    _v, said = _play(1208)
    assert "confirmed the plan after it and said how you would follow it up, at turn 10" not in said
    assert "confirmed the plan at turn 7, and said how you would follow it up at turn 10" in said
    assert "made up for by what you did from turn 7 to turn 10" in said


def test_class8_a_misstatement_replaced_is_put_right_not_withdrawn() -> None:
    """Play 10: turn 5 gives the right position without saying turn 4 was wrong."""
    _v, said = _play(1210)
    assert "withdrew it" not in said
    assert "you misstated the law at turn 4, then put it right before the customer acted" in said


def test_class1_a_fail_names_its_cause_and_the_law_line_names_the_turn() -> None:
    """Play 06: "Mistakes: none." beside a fail, and "did not apply the law that governs this
    case" though the replacement applied the risk rule. Moderation25.md case 4 decided the fail
    is right for the reason the path shows: data_share.3 now carries oversharing and
    data_minimisation breached, so the fail names that mistake and the law line names turn 4."""
    _v, said = _play(1206)
    assert "Grade: Fail" in said
    assert "Mistakes: none" not in said
    assert "Turn 4, Shares more data than needed" in said
    assert "the law that governs this case" not in said
    assert "The law: At turn 4 you asked for, offered or sent more personal data" in said
    assert "Not used, at turn 4" not in said
