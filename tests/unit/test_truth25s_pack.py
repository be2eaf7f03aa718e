"""Issue 25 (truth25s): debriefs an examiner would sign, checked on the paths the examiner played
and, per class, over every option of the shipped pack.

Why: an independent examiner found debrief sentences that were false of the path (data "shared"
when it was only offered; a belief Rhys was never given), options whose words ask, acknowledge or
confirm without the matching behaviour (so the debrief said "none shown"), one fault marked as two
mistakes, an explanation of no ownership that did not fit the line, and jargon in the law text.
Each test fails on the pack as it was before the fix.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from scoring import spec
from simulator.engine.loader import check_file
from tests.replay import assessed, text

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "scenarios"
SCENARIOS = sorted(p for p in PACK.glob("*.yaml") if not p.name.endswith(".test.yaml"))


@cache
def scenario(sid: str):
    r = check_file(PACK / f"{sid}.yaml")
    assert not r.errors
    return r.scenario


def options():
    """(scenario id, choice id, choice) for every option of every shipped scenario."""
    for p in SCENARIOS:
        sc = scenario(p.stem)
        for sid, st in sc.states.items():
            for n, ch in enumerate(st.choices or [], 1):
                yield p.stem, ch.id or f"{sid}.{n}", ch


def debrief(sid: str, ids: list[str]) -> str:
    _, view = assessed(sid, 3, ids, ending=True)
    return text(view)


# --- D3: an offer is not a share ---------------------------------------------------------------

FINANCE_OFFER_ONLY = ["opening.2", "format_agreed.3", "deadline_agreed.3", "deprioritised.2"]


def test_finance_offer_of_the_whole_log_is_not_called_sharing_it():
    """The learner offered to email the whole log and the call ended before anything was sent:
    the law section may say offered, never that the data was shared."""
    out = debrief("internal-customer-finance", FINANCE_OFFER_ONLY)
    assert "you shared more personal data" not in out
    assert "At turn 1 you offered or asked for more personal data" in out  # `offered` (truth25bb)


def test_courier_offer_of_other_customers_details_is_not_said_to_have_shared_them():
    """improvement.3 says "I'll send … this month's complaints list": the ending may call it an
    offer, not a share that happened."""
    ids = [
        "opening.1",
        "tracking.1",
        "controllable.1",
        "data_share.1",
        "improvement.3",
        "closing.1",
    ]
    out = debrief("courier-lost-cot", ids)
    assert "Offering to send other customers' contact details" in out
    assert "it shared far more" not in out


def test_every_minimisation_breach_is_an_offer_or_a_send():
    """Every option marked as breaching data minimisation says it will send the data, picks a
    recipient or asks for it, so the law's breach sentence must be true of an offer, a send and
    a request."""
    breach = spec.law_text("data_protection_act_2018.data_minimisation")["breach"]
    marked = [
        (sid, cid, ch.text)
        for sid, cid, ch in options()
        if ch.law.get("data_protection_act_2018.data_minimisation") == "breached"
    ]
    assert marked
    # review 25al class 5: a demand for more data than needed (a passport) is one too
    assert breach.startswith("asked for, offered or sent ")
    for sid, cid, said in marked:
        assert re.search(r"\b(send|sent|I'll|They'll|attach)\b", said, re.I), (sid, cid)


# --- D5: the ending says what this path led the customer to believe ------------------------------


@pytest.mark.parametrize(
    ("ids", "believed", "not_said"),
    [
        (["opening.1", "story.2", "manufacturer_route.2"], "only route was the manufacturer", ""),
        (
            ["opening.1", "story.4", "confused.2", "manufacturer_route.2"],
            "out of the shop's hands",
            "only route was the manufacturer",
        ),
        (
            ["opening.1", "story.1", "proof.2", "own_report.2", "manufacturer_route.2"],
            "his own engineer's report",
            "only route was the manufacturer",
        ),
    ],
)
def test_webchat_left_to_manufacturer_names_what_the_learner_said(ids, believed, not_said):
    out = debrief("webchat-fridge-year-four", ids)
    assert "Rhys left believing" in out and believed in out
    if not_said:
        assert not_said not in out


@pytest.mark.parametrize(
    ("ids", "said"),
    [
        (
            ["opening.1", "story.1", "note_privacy.1", "upgrade_rights.2"],
            "You told Kayleigh she was tied in, and she left believing it.",
        ),
        (
            ["opening.1", "story.2", "sales_offer.2"],
            "Kayleigh left believing she was tied in, and nobody told her otherwise.",
        ),
    ],
)
def test_broadband_tied_in_says_who_left_her_believing_it(ids, said):
    """D5 class: on the sales path the learner never said she was tied in; the ending says what
    this path did (told her so, or left her belief unanswered)."""
    assert said in debrief("broadband-hardship", ids)


# --- D7/D8: words that ask, acknowledge or confirm carry the behaviour ---------------------------

# An open question to the customer about what happened or what they want ("What do you need…?",
# "which would you rather?"): evidence of finding out needs.
_OPEN_Q = re.compile(r"\b(what|which|how)\b[^.?!:;]*\?", re.I)
# Options whose open question serves another step the option is credited with, or that the
# scenario deliberately does not credit (each with why).
_NOT_A_NEEDS_QUESTION = {
    # security questions: verify_identity, not finding out needs
    ("correct-and-erase", "unverified_change.1"),
    ("sar-by-phone", "recognised.1"),
    # "What's the new one?" is said only on one branch of the template
    ("correct-and-erase", "id_check.1"),
    # "anything else I can do/help with?": a close, not a question about this need
    ("faulty-toaster-day12", "refund_done.1"),
    ("faulty-toaster-day12", "refund_done.2"),
    ("online-return-changed-mind", "recap.2"),
    # she has just said nothing is wrong with it: asking about a fault shows no listening (truth25g)
    ("online-return-changed-mind", "opening.3"),
    # asked of the companion over the deaf customer's head
    ("reasonable-adjustment", "opening.3"),
    # asks permission to look something up, not about the customer
    ("courier-lost-cot", "opening.2"),
    # "Before you tell me what it's doing, have you checked the filter?": cuts him off with a
    # closed troubleshooting check (the scenario's mood -10), not an open question
    ("washing-machine-day45", "details_first.3"),
}


def test_every_open_question_to_the_customer_is_tagged():
    """An option with no mistake that asks the customer an open question must show `question` or
    `hear` (or the step the question serves: confirm, follow_up, verify_identity), or the debrief
    says "Finds out what the customer needs: none shown" of a learner who asked."""
    serves = {"question", "hear", "confirm", "follow_up", "verify_identity"}
    missing = [
        (sid, cid, ch.text)
        for sid, cid, ch in options()
        if not ch.mistakes
        and _OPEN_Q.search(ch.text)
        and not serves & set(ch.shows)
        and (sid, cid) not in _NOT_A_NEEDS_QUESTION
    ]
    assert not missing, missing


def test_reasonable_adjustment_asking_tom_after_the_slip_finds_out_his_needs():
    """The examiner's path: talked to the companion once, turned back to Tom and asked what he
    needs. The marking point for finding out needs is met by that question."""
    ids = [
        "opening.3", "talks_to_companion.1", "locked_out.1", "listened.1", "verifying.1",
        "reset_done.1", "preference_asked.1", "wrap_up.1",
    ]  # fmt: skip
    out = debrief("reasonable-adjustment", ids)
    assert (
        'Met, a pass point: Finds out what the customer needs and expects. Shown by: "question" at turn 2'
        in out
    )
    assert "Grade: Fail" not in out


def test_reasonable_adjustment_bear_it_in_mind_is_not_credited_as_recorded():
    """Tom asked for texts; "I'll bear that in mind" records nothing, so the option offered then
    carries the no ownership it commits and never says "what you've recorded"."""
    sc = scenario("reasonable-adjustment")
    unrecorded = [c for c in sc.states["preference_asked"].choices if "bear that in mind" in c.text]
    assert len(unrecorded) == 1
    assert "no_ownership" in unrecorded[0].mistakes
    assert "recorded matches" not in str(unrecorded[0].feedback)


# --- D11: the mark, its explanation and the feedback say the same thing --------------------------


def test_finance_should_be_fine_is_explained_as_the_promise_it_makes():
    ids = ["opening.1", "purpose.1", "format_agreed.3", "deadline_agreed.3", "deprioritised.2"]
    out = debrief("internal-customer-finance", ids)
    entry = out[out.index("Turn 3, Over-promising.") :].split("Turn 4,")[0]
    assert "should be fine" in entry and "no time and no slack" in entry
    assert "Non-committal" not in entry


# --- D12: the no-ownership explanation fits every line that carries it --------------------------


def test_no_ownership_explanation_does_not_assume_not_my_department():
    """162 options carry no_ownership; many delay, close early or stop work rather than say "not
    my department". The catalogue's sentence must fit them all, and a line that hides a data
    breach gets its own explanation."""
    cat = yaml.safe_load((ROOT / "scoring/catalogue.yaml").read_text(encoding="utf-8"))
    said = cat["mistakes"]["no_ownership"]["explanation"]
    assert "not my department" not in said
    # one sentence true of every option that carries it (review 25aw class 1, truth25ax): what
    # the customer did not hear, not how the learner avoided it
    for way in ("as yours", "customer did not hear", "deal with it", "when"):
        assert way in said
    hiding = [
        (sid, cid)
        for sid, cid, ch in options()
        if "no_ownership" in ch.mistakes
        and ch.law.get("data_protection_act_2018.breach_72_hours") == "breached"
        and "no_ownership" not in ch.explain
    ]
    assert not hiding, hiding


# --- D14: no regulator jargon in the law a learner reads ---------------------------------------


def test_law_texts_use_plain_words_for_the_regulator():
    for law_id in ("regulated_complaints", "regulated_complaints.eight_weeks"):
        t = spec.law_text(law_id)
        for said in (t["act"], t["rule"]):
            assert "DISP" not in said and not re.search(r"\bFCA\b", said), said
    assert (
        "Financial Conduct Authority's complaint rules"
        in spec.law_text("regulated_complaints")["act"]
    )


# --- D15: one fault, one mistake ---------------------------------------------------------------

# Words that make a promise over and above the misstated right (a guarantee of the outcome).
_GUARANTEE = re.compile(r"guarantee|no question|make sure of it|for certain|personally", re.I)


def test_a_misstated_remedy_is_not_also_an_over_promise_unless_the_words_guarantee_it():
    """ "A full refund… I'll process it today" is one fault: the promise only delivers the
    misstated remedy. A separate over_promising needs words that guarantee the outcome."""
    both = [
        (sid, cid, ch.text)
        for sid, cid, ch in options()
        if {"misstates_law", "over_promising"} <= set(ch.mistakes)
        and not _GUARANTEE.search(ch.text)
    ]
    assert not both, both


def test_laptop_full_refund_sentence_is_one_mistake():
    ids = [
        "opening.1", "details.1", "rights_stage.3", "refund_promised.1", "evidence_stage.1",
        "deadline_need.1", "remedy_explain.1", "confirm_stage.1", "follow_up_call.1",
    ]  # fmt: skip
    out = debrief("laptop-month7", ids)
    assert "Turn 3, Misstates the law." in out
    assert "Turn 3, Over-promising." not in out
