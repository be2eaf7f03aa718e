"""Review 25k's scenario defects (issue 25): each test replays the examiner's path (or the
shortest path to the defect) with the scorer and reads the debrief or the turn text, so a
regression in the scenario wording or marks fails here.

D4 laptop over-promise capped as a law misstatement; D6 endings that report events the path never
showed; D8 a withdrawn promise not counted as withdrawn; D3 hindsight feedback and a customer line
that ignore a lapsed promise; D10 the fridge textbook path never names the lost food as
claimable; D11 a callback interval that contradicts the promise, an apology said but not shown.
"""

from __future__ import annotations

from pathlib import Path

from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from tests import replay

ROOT = Path(__file__).resolve().parents[2]


def _play(scenario: str, seed: int, ids: list[str]) -> tuple[dict, str, dict]:
    """Replay ``ids`` in assessment mode: the transcript, the debrief text and its view."""
    t, view = replay.assessed(scenario, seed, ids, ending=True)
    return t, replay.text(view), view


def _all_text(t: dict) -> str:
    """Every string the transcript shows (customer lines, notes, feedback)."""
    out: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(t)
    return " ".join(out)


# review 25k play 13 (seed 513): the examiner's Pass
LAPTOP13 = [
    "opening.1",
    "details.1",
    "rights_stage.1",
    "evidence_stage.1",
    "deadline_need.1",
    "remedy_explain.2",
    "confirm_stage.1",
    "follow_up_call.1",
]


def test_d4_full_refund_no_deductions_is_a_law_misstatement_never_withdrawn() -> None:
    """Review 25k D4 read "a full refund, no deductions" as an over-promise; moderation26.md case 3
    overruled it: at month 7 it tells him his remedy wrongly (fact 7, premise 3), never withdrawn,
    so it fails on the law, and is no longer filed as over-promising too (one fault, one mistake)."""
    _, text, view = _play("laptop-month7", 513, LAPTOP13)
    assert "misstated the law" in text.lower()
    assert "never withdrawn and put right" in text
    assert view["grade"].lower().startswith("fail"), view["grade"]
    assert "Over-promis" not in text and "over-promis" not in text


# review 25k play 12 (seed 512): ends at the hand-over to Dan
TOASTER12 = [
    "opening.3",
    "manufacturer_line.1",
    "fault_details.1",
    "heard_properly.3",
    "credit_note_offered.2",
    "policy_wall.1",
    "rights_explained.1",
    "processing.2",
    "supervisor_called.2",
]


def test_d6_supervisor_ending_does_not_report_a_refund_the_path_never_showed() -> None:
    t, text, _ = _play("faulty-toaster-day12", 512, TOASTER12)
    assert t["ending"] == "escalated_supervisor"
    assert "Dan refunded" not in text
    assert "Dan will put the refund through" in text


# review 25k play 15 (seed 515): "nobody will ever cut her off", withdrawn at turn 5
RELATIVE15 = [
    "opening.1",
    "explains.1",
    "explains_why.1",
    "routes_explained.2",
    "promised_hold.1",
    "call_arranged.1",
    "plan_confirm.1",
    "wrap_up.2",
]


def test_d8_a_withdrawn_promise_is_counted_and_the_ending_says_so() -> None:
    _, text, _ = _play("relative-asks-about-account", 515, RELATIVE15)
    assert "undone by the mistake: over-promising" not in text
    assert "you were right to withdraw it" in text


def test_d8_a_promise_never_withdrawn_is_not_said_to_be_withdrawn() -> None:
    """The same path, but the promise re-made at turn 5 (promised_hold.2) never says 'withdraw'."""
    _, text, _ = _play("relative-asks-about-account", 515, RELATIVE15[:4] + ["promised_hold.2"])
    assert "you were right to withdraw it" not in text


# review 25k play 04 (seed 504): "within the hour" on Monday, nothing until chased on Wednesday
FINANCE04 = [
    "opening.1",
    "purpose.1",
    "format_agreed.4",
    "deadline_agreed.1",
    "updated.1",
    "resent.1",
]


def test_d3_no_hindsight_and_no_praise_for_telling_her_early_after_a_lapsed_promise() -> None:
    t, text, _ = _play("internal-customer-finance", 504, FINANCE04)
    shown = _all_text(t) + " " + text
    assert "short-staffed" not in shown
    assert "Telling her early" not in shown
    assert "Still on for this afternoon" not in shown
    assert "okay for this afternoon" not in shown
    assert "only when she chased" in shown


def test_d3_an_honest_early_update_is_still_praised_on_the_kept_deadline_path() -> None:
    sc = load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml")
    s = Runtime(sc).new_session(seed=504)
    s.replay(["opening.1", "purpose.1", "format_agreed.1", "deadline_agreed.1"])
    shown = _all_text(s.transcript())
    assert "Telling her early" in shown
    assert "Still on for Thursday at 5pm" in shown or "okay for Thursday at 5pm" in shown


# review 25k play 17 (seed 517): the textbook path, a Distinction
FRIDGE17 = [
    "opening.1",
    "story.1",
    "proof.1",
    "remedy_question.1",
    "written_summary.1",
    "closing.1",
]


def test_d10_the_textbook_fridge_path_tells_him_the_lost_food_is_claimable() -> None:
    """Fact 8d (CRA s19(9)-(11)): food spoiled by a faulty fridge is a foreseeable loss he can
    claim. Before, only the wrong "terms exclude" option and a conditional ending said so."""
    t, text, view = _play("webchat-fridge-year-four", 517, FRIDGE17)
    said = " ".join(turn["text"] for turn in t["turns"])
    assert "food you lost can be claimed" in said
    assert view["grade"].lower().startswith("distinction"), view["grade"]
    assert "food he lost can be claimed" in text
    assert "Misstated" not in text


def test_d11_the_follow_up_call_comes_on_the_day_promised() -> None:
    """Play 13 promised "my call by (next) Wednesday"; the next state said "Six days later" with
    no day, and the feedback "you rang when you said you would" could not be checked."""
    sc = load_scenario(ROOT / "scenarios" / "laptop-month7.yaml")
    s = Runtime(sc).new_session(seed=513)
    opening_note = s.note or ""
    s.replay(LAPTOP13[:-1])  # now at follow_up_call, its note on screen
    assert "Wednesday morning" in opening_note  # the day of the visit is stated
    assert "my call by next Wednesday" in _all_text(s.transcript())
    assert "Six days later" not in (s.note or "")
    assert "The next Wednesday, five working days on" in (s.note or "")


def test_d11_an_apology_in_a_doubting_line_is_explained_not_silently_dropped() -> None:
    """courier-lost-cot opening.4 says "I'm sorry" then doubts her: the catalogue does not credit
    the apology (blaming_customer contradicts it), so the turn's advice must say why, and the
    debrief must not show an apology at turn 1."""
    _, text, _ = _play("courier-lost-cot", 511, ["opening.4", "neighbours.3"])
    assert "Apologise: shown at turn 1" not in text
    assert "doesn't count as an apology" in text


def test_d8_class_other_withdrawn_promises_are_tagged_as_taken_back() -> None:
    """The D8 search: "Sorry, I spoke too soon: I can't write off the arrears" (broadband) and
    "Sorry, I spoke too soon: £250 is above my limit" (compensation) withdraw a promise beyond
    authority before anything was done, so they are a slip taken back, not left standing."""
    for scenario, ids in (
        (
            "broadband-hardship",
            [
                "opening.1",
                "story.1",
                "note_privacy.1",
                "upgrade_rights.3",
                "over_promise.1",
                "arrears.1",
                "complaint.1",
                "closing.1",
            ],
        ),
        (
            "compensation-beyond-authority",
            [
                "opening.4",
                "overpromise.1",
                "story.1",
                "within_authority.1",
                "handover_choice.1",
                "timescale.1",
                "recap.1",
                "decision_call.1",
            ],
        ),
    ):
        _, text, view = _play(scenario, 1, ids)
        assert view["grade"].lower().startswith("pass"), (scenario, view["grade"])
        assert "a slip taken back later" in text, scenario
        assert "undone by the mistake: over-promising" not in text, scenario


def test_d8_the_withdrawal_lint_hears_i_shouldnt_have_promised_that() -> None:
    """Review 25k D8: relative-asks-about-account's "Sorry, I shouldn't have promised that" is a
    withdrawal; the lint's phrase list (scoring/lint_checks.py WITHDRAWAL) did not hear it."""
    from scoring.lint_checks import WITHDRAWAL

    assert WITHDRAWAL.search("Sorry, I shouldn't have promised that: the account needs her say-so")
    assert WITHDRAWAL.search("I shouldn\u2019t have said it")
    assert not WITHDRAWAL.search("You should have said so earlier")
