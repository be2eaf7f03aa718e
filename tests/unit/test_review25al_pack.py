"""Review 25al (truth25ao): debrief sentences true of the path, in scenario and law data
(tests/calibration/reviews/review25al.md, plays 01, 05, 06, 08, 15 and 16).

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
review25al's playNN.json and tests/calibration/review25al.yaml) and reads what the examiner read.
Each failed on main before this branch."""

from __future__ import annotations

from typing import Any

from tests.replay import assessed, review_play, scored, session, text

# play number: (scenario, seed, path), from review25al's playNN.json
PLAYS: dict[str, tuple[str, int, list[str]]] = {
    n: review_play("review25al", int(n)) for n in ("01", "05", "06", "08", "15", "16")
}


def _said(n: str) -> str:
    """The whole assessed debrief as printed, spaces folded."""
    sid, seed, ids = PLAYS[n]
    _t, view = assessed(sid, seed, ids)
    return " ".join(text(view).split())


def _scored(n: str) -> dict[str, Any]:
    return scored(*PLAYS[n])


# -- play 16: the rule quoted as misstated is the one broken (the customer's choice) ------------


def test_play16_the_misstated_rule_is_the_customers_choice_of_remedy() -> None:
    s = _scored("16")
    assert s["grade"] == "fail", s["grade_reason"]
    said = _said("16")
    assert (
        "Misstated, at turn 3: Consumer Rights Act 2015. The rule: Between a free repair and a free replacement, the customer chooses which"
        in said
    )
    assert "The rule: After the first 30 days the first remedy" not in said


# -- play 15: the mistake's text names no procedure the adviser followed -----------------------


def test_play15_the_skipped_procedure_text_does_not_list_the_spill_kit_already_called() -> None:
    s = _scored("15")
    assert s["grade"] == "fail", s["grade_reason"]
    said = _said("15")
    assert "Skips a safety procedure" in said
    assert "the spill kit for a chemical" not in said


# -- play 05: a disproportionate passport demand is conduct, not a statement of rights ---------


def test_play05_the_passport_demand_is_not_reported_as_a_misstatement() -> None:
    s = _scored("05")
    assert s["grade"] == "fail", s["grade_reason"]
    said = _said("05")
    assert "told something wrong about their rights" not in said
    assert "Misstates the law" not in said
    # only asked for, nothing sent: an offer the Act does not allow (`law: offered`, truth25bb)
    assert "offered or asked for more personal data than the purpose needed" in said
    assert "contrary to the Data Protection" not in said


# -- play 01: the policy is stated as the screen states it -------------------------------------


def test_play01_the_abuse_policy_refers_only_if_it_carries_on() -> None:
    said = _said("01")
    assert "referred to a team leader after one calm warning" not in said
    assert "if it carries on, the call goes to a team leader" in said


# -- play 08: the loop's second pass is told as it now is ---------------------------------------


def test_play08_the_second_pass_is_not_a_replay_of_wednesday() -> None:
    sid, seed, ids = PLAYS["08"]
    first = session(sid, seed, ids[:3])  # entering deadline_agreed the first time
    assert first.note is not None and first.note.startswith("Wednesday.")
    second = session(sid, seed, ids[:7])  # entering it again after the take-back
    assert second.note is not None and second.note.startswith("Thursday morning.")
    t = second.transcript()
    assert "by Wednesday" in t["turns"][2]["text"]
    assert "by Wednesday" not in t["turns"][6]["text"]
    assert "by tomorrow morning" in t["turns"][6]["text"]
