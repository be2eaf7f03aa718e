"""Issue 25 in six retail scenarios: marks that must be true of the words, law the brief adds
(facts 8c, 8d, 11), and ending texts that say only what the learner did on the path.

Each test names the scenario and the fault it pins; each would fail on main at 6b6e8c3.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.loader import load_scenario
from simulator.engine.model import Scenario
from simulator.engine.session import Runtime

PACK = Path(__file__).resolve().parents[2] / "scenarios"


def scenario(sid: str) -> Scenario:
    return load_scenario(PACK / f"{sid}.yaml")


def choice(sc: Scenario, cid: str):
    state, _, n = cid.rpartition(".")
    return sc.states[state].choices[int(n) - 1]


def play(sc: Scenario, ids: list[str]):
    s = Runtime(sc).new_session(seed=3)
    s.replay(ids)
    assert s.ended, ids
    return s


# -- marks --------------------------------------------------------------------------------------
def test_toaster_testing_first_is_poor_practice_not_a_law_mistake():
    """Brief fact 5: a trader may test a disputed fault, so 'testing first' misstates no law."""
    ch = choice(scenario("faulty-toaster-day12"), "repair_pushed.2")
    assert "testing" in ch.text
    assert "misstates_law" not in ch.mistakes and not ch.law
    assert "defensive" in ch.mistakes


def test_laptop_goodwill_override_is_beyond_remit_not_a_deduction_mistake():
    ch = choice(scenario("laptop-month7"), "refund_promised.2")
    assert "goodwill" in ch.text
    assert "beyond_remit" in ch.mistakes
    assert not ch.law


def test_washing_machine_remedy_choice_credits_only_what_it_says():
    ch = choice(scenario("washing-machine-day45"), "remedy_imposed.1")
    assert "six months" not in ch.text and "presum" not in ch.text
    # the rule it states is the customer's choice (review 25al class 3: CRA s23)
    assert set(ch.law) == {"consumer_rights_act_2015.choice_of_remedy"}


@pytest.mark.parametrize("cid", ["opening.3", "courier_blame.2"])
def test_courier_sending_her_to_the_courier_misstates_the_risk_rule(cid):
    """Brief fact 8c (CRA s29): goods stay at the trader's risk until the customer has them."""
    ch = choice(scenario("courier-lost-cot"), cid)
    assert "misstates_law" in ch.mistakes
    assert ch.law.get("consumer_rights_act_2015.risk") == "wrong"


def test_courier_owning_the_delivery_states_the_risk_rule():
    ch = choice(scenario("courier-lost-cot"), "courier_blame.1")
    assert ch.law.get("consumer_rights_act_2015.risk") == "right"
    assert "consumer_rights_act_2015.risk" in ch.corrects


def test_fridge_terms_disclaimer_misstates_the_law():
    """Brief fact 8d (CRA s31): 'our terms exclude that' is no answer to a statutory right."""
    ch = choice(scenario("webchat-fridge-year-four"), "written_summary.3")
    assert "LIABILITY" in ch.text
    assert "misstates_law" in ch.mistakes
    assert ch.law.get("consumer_rights_act_2015.unfair_terms") == "wrong"


def test_online_return_day_ten_is_not_the_last_day_and_postage_rests_on_the_checkout():
    sc = scenario("online-return-changed-mind")
    assert "which is today" not in choice(sc, "rushed.1").text
    assert "checkout" in (sc.states["opening"].note or "")
    assert "checkout" in choice(sc, "cancel_logged.1").text


# -- feedback credits only what the option says -------------------------------------------------
def test_feedback_does_not_credit_unsaid_things():
    toaster = choice(scenario("faulty-toaster-day12"), "heard_properly.1")
    assert "Act" not in toaster.text and "Naming the Act" not in (toaster.feedback or "")
    laptop = choice(scenario("laptop-month7"), "follow_up_call.1")
    assert "stop the same mistake" not in (laptop.feedback or "")


# -- endings true to the path -------------------------------------------------------------------
LAPTOP_CLEAN = [
    "opening.1",
    "details.1",
    "rights_stage.1",
    "evidence_stage.1",
    "deadline_need.1",
    "remedy_explain.1",
    "confirm_stage.1",
    "follow_up_call.1",
]


def test_laptop_debrief_names_an_unwithdrawn_refund_promise_and_no_front_desk_feedback():
    sc = scenario("laptop-month7")
    clean = play(sc, LAPTOP_CLEAN)
    assert clean.ending == "repaired_well"
    assert "fed the lesson" not in clean.debrief
    assert "still stands uncorrected" not in clean.debrief
    promised = play(
        sc, [c if c != "remedy_explain.1" else "remedy_explain.2" for c in LAPTOP_CLEAN]
    )
    assert promised.ending == "repaired_well"
    assert "still stands uncorrected" in promised.debrief


FRIDGE = ["opening.1", "story.1", "proof.1", "REMEDY", "written_summary.1", "CLOSING"]


def fridge(remedy: str, closing: str):
    ids = [remedy if c == "REMEDY" else closing if c == "CLOSING" else c for c in FRIDGE]
    s = play(scenario("webchat-fridge-year-four"), ids)
    assert s.ending == "sorted"
    return " ".join(s.debrief.split())


def test_fridge_debrief_says_what_he_was_told_about_remedies():
    assert "You told him the remedy as it is" in fridge("remedy_question.1", "closing.1")
    wrong = fridge("remedy_question.3", "closing.1")
    assert "You told him the remedy as it is" not in wrong
    assert "refunds stop at 30 days" in wrong


def test_fridge_debrief_mentions_a_lecture_only_when_one_was_given():
    """A defensive opening (capitals) is not a lecture after his apology."""
    sc = scenario("webchat-fridge-year-four")
    caps = ["opening.3", "tone_clash.1", *FRIDGE[1:]]
    ids = [c.replace("REMEDY", "remedy_question.1") for c in caps]
    kind = play(sc, [c.replace("CLOSING", "closing.1") for c in ids])
    assert "lecture or a warning" not in " ".join(kind.debrief.split())
    lectured = play(sc, [c.replace("CLOSING", "closing.3") for c in ids])
    assert "lecture or a warning" in " ".join(lectured.debrief.split())


WASHER = [
    "opening.1",
    "fault_heard.1",
    "empathised.1",
    "choose_remedy.1",
    "remedy_chosen.1",
    "repair_confirm.1",
    "callback.1",
]


def test_washing_machine_refund_passed_on_is_not_resolved():
    s = play(scenario("washing-machine-day45"), [*WASHER, "final_choice.3"])
    assert s.ending == "refund_passed_on"
    assert s.scenario.states[s.ending].end == "unresolved"
    done = play(scenario("washing-machine-day45"), [*WASHER, "final_choice.1"])
    assert done.scenario.states[done.ending].end == "resolved"


def test_washing_machine_basic_ending_claims_no_missing_confirmation_when_confirmed():
    sc = scenario("washing-machine-day45")
    s = play(sc, WASHER[:5] + ["repair_confirm.2"])
    assert s.ending == "repair_booked_basic"
    assert "without a clear confirmation" in " ".join(s.debrief.split())


def test_toaster_basic_ending_credits_a_summary_when_one_was_given():
    sc = scenario("faulty-toaster-day12")
    head = ["opening.1", "fault_details.1", "heard_properly.1", "rights_explained.1"]
    head += ["processing.1", "receipt_check.1", "processing.3"]
    summed = " ".join(play(sc, [*head, "refund_done.1", "confirmed.3"]).debrief.split())
    assert "You summed up the refund" in summed
    bare = " ".join(play(sc, [*head, "refund_done.2"]).debrief.split())
    assert "without a clear summary" in bare
