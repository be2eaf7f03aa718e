"""Knowledge checks say what the domain brief says (issue 25 §4): marketing consent is not
needed for service messages (fact 19d); reporting a breach is the organisation's duty, on risk
to people, not the DPO's on "serious" breaches (fact 19d); order activities have one
defensible order (each step needs the one before it)."""

from __future__ import annotations

from simulator.activities.lint import load_activity, resolve


def _items(activity_id: str):
    return load_activity(resolve(activity_id)).items


def test_service_texts_need_no_marketing_consent():
    a = load_activity(resolve("sort-rules-enable-or-limit"))
    texts = {i.text: i for i in a.items}
    assert not [t for t in texts if "agreed to be contacted by text" in t]
    (card,) = [i for t, i in texts.items() if "service message" in t]
    assert card.answer == "enables"


def test_the_dpo_advises_and_the_organisation_reports_breaches():
    a = load_activity(resolve("match-roles-and-structures"))
    dpo = [i for i in a.items if "Data protection officer" in str(i)]
    assert dpo
    words = " ".join(str(i) for i in dpo)
    assert "reports serious breaches" not in words
    assert "organisation's duty" in words


def test_order_activities_have_one_defensible_order():
    referral = [i.text for i in _items("order-complaint-referral")]
    # the reference is given after the handover that creates it
    assert referral.index(next(t for t in referral if t.startswith("Brief that role"))) < (
        referral.index(next(t for t in referral if "ticket reference" in t))
    )
    growth = [i.text for i in _items("order-good-service-to-growth")]
    assert growth[3].startswith("Now a regular")  # recommending follows coming back
