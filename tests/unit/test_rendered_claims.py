"""The claim sentences of issue 25 §1, each caught when false of the attempt and let through
when true (scoring/ending_claims.py `false_claims`)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scoring.ending_claims import false_claims


def facts(**kw):
    base = dict(
        shows={"hear", "empathise", "apologise", "follow_up", "take_action", "verify_identity"},
        mistakes=set(),
        made=set(),
        escalated=True,
        premature=False,
        handover=True,
        law_wrong=False,
        law_open=False,
        outcome="resolved",
        refunded=True,
    )
    base.update(kw)
    return SimpleNamespace(**base)


CASES = [
    # (sentence from the pack at 6b6e8c3, claim id, facts that make it false)
    (
        "Good escalation in full: you heard Gareth out before escalating, settled the rest.",
        "heard_out_before_escalating",
        {"premature": True},
    ),
    (
        "The repair is booked, but the call ended without a clear confirmation or any follow-up.",
        "no_follow_up",
        {},
    ),
    (
        "You owned the fix with a concrete plan inside your authority — a modest goodwill gesture.",
        "within_authority",
        {"mistakes": {"beyond_remit"}},
    ),
    (
        "Less data, and protection, kept the risk down.",
        "data_kept_safe",
        {"mistakes": {"oversharing"}},
    ),
    (
        "The lost-earnings claim referred to a named team leader with a reference and a time.",
        "named_referral",
        {"mistakes": {"vague_referral"}},
    ),
    (
        "Rhys knows that his claim is against the retailer and can run for up to six years.",
        "law_put_right",
        {"law_open": True},
    ),
    ("You followed up exactly when you promised.", "followed_up", {"shows": {"hear"}}),
    ("You refunded the full price to her card.", "refund_processed", {"refunded": False}),
]


@pytest.mark.parametrize("sentence,claim,false_when", CASES, ids=[c[1] for c in CASES])
def test_each_claim_is_caught_when_false_and_passes_when_true(sentence, claim, false_when):
    if claim == "no_follow_up":  # a denial: false when the path did follow up
        assert [c for c, _s, _t in false_claims(sentence, facts())] == [claim]
        assert false_claims(sentence, facts(shows={"hear"})) == []
        return
    assert false_claims(sentence, facts()) == []
    found = [c for c, _s, _t in false_claims(sentence, facts(**false_when))]
    assert found == [claim]


def test_a_negated_or_conditional_sentence_claims_nothing():
    f = facts(shows=set(), premature=True, mistakes={"beyond_remit"})
    assert false_claims("You never followed up, and next time stay within your authority.", f) == []
