"""Law facts: `law:` marks may name one rule (ACT.FACT) of an act in scoring/laws.yaml, and the
debrief then names that rule — not the Act's summary — as the rule applied or broken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring import catalogue, spec
from scoring.debrief import build, render
from simulator.engine.format import LAW_IDS
from simulator.engine.loader import check_bytes
from simulator.engine.session import Runtime

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"

# Every numbered fact of domain-brief §1-§4 that a law fact must rest on.
BRIEF_FACTS = {str(n) for n in range(1, 23)} | {
    "8a",
    "8b",
    "8c",
    "8d",
    "19a",
    "19b",
    "19c",
    "19d",
    "21a",
    "27",
    "28",
    "28a",
    "28b",
}


def test_laws_yaml_covers_every_fact_of_the_brief():
    briefs = set()
    for act, entry in catalogue.laws().items():
        assert entry.get("act") and entry.get("rule"), act
        for fid, fact in (entry.get("facts") or {}).items():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", fid), fid
            assert len(" ".join(fact["rule"].split())) > 30, (act, fid)
            if "brief" not in fact:
                # a rule the brief has no numbered fact for yet cites its Article (review 25m
                # D11: purpose limitation, UK GDPR Art 5(1)(a)-(b))
                assert re.fullmatch(r"UK GDPR Art \d+\(\d\)\S*", fact.get("article", "")), fid
                continue
            m = re.fullmatch(r"fact (\w+)", fact["brief"])
            assert m, (act, fid, fact["brief"])
            briefs.add(m.group(1))
    assert BRIEF_FACTS <= briefs, sorted(BRIEF_FACTS - briefs)


def test_format_act_ids_are_the_acts_of_laws_yaml():
    assert tuple(catalogue.law_facts()) == LAW_IDS


def test_cra_summary_says_remedies_are_free_and_no_early_deduction():
    rule = spec.law_text("consumer_rights_act_2015")["rule"]
    assert "free repair or replacement" in rule
    assert "no deduction for use in the first six months" in rule


def _kettle_with(mark: str) -> object:
    text = KETTLE.read_text(encoding="utf-8").replace(
        "law: {consumer_rights_act_2015: wrong}", f"law: {{{mark}: wrong}}"
    )
    result = check_bytes(text.encode(), "kettle.yaml")
    assert result.scenario is not None, [str(d) for d in result.errors]
    return result.scenario


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_debrief_names_the_rule_broken(fmt):
    sc = _kettle_with("consumer_rights_act_2015.short_term_reject")
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.1", "fault_described.2"])
    t = s.transcript()
    view = build(sc, t)
    (wrong,) = view["law"]["wrong"]
    assert wrong["fact"] == "short_term_reject"
    assert "30 days" in wrong["rule"] and "need not accept a repair" in wrong["rule"]
    out = render(sc, t, fmt=fmt)
    assert "need not accept a repair first" in out
    # The Act's summary is not what the learner is shown for this mark.
    assert "fit for purpose and as described" not in out
    assert "short_term_reject" not in out


def test_act_level_marks_still_show_the_act_summary():
    from simulator.engine.loader import load_scenario

    sc = load_scenario(KETTLE)
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.1", "fault_described.2"])
    (wrong,) = build(sc, s.transcript())["law"]["wrong"]
    assert wrong["fact"] is None and "satisfactory quality" in wrong["rule"]


def test_corrects_names_known_law_ids_or_lint_says_where():
    text = KETTLE.read_text(encoding="utf-8").replace(
        "law: {consumer_rights_act_2015: wrong}",
        "law: {consumer_rights_act_2015: wrong}\n        corrects: [consumer_rights_act_2015.short_trem]",
    )
    result = check_bytes(text.encode(), "kettle.yaml")
    assert result.scenario is None
    (err,) = [d for d in result.errors if d.code == "CT105"]
    assert "short_term_reject" in str(err)  # did you mean
    ok = text.replace("short_trem", "short_term_reject")
    assert check_bytes(ok.encode(), "kettle.yaml").scenario is not None


def _rule(key: str) -> str:
    return " ".join(spec.law_text(key)["rule"].split())


def test_cra_delivery_risk_and_terms_are_facts_with_their_sections():
    """Brief facts 8b, 8c, 8d (CRA ss28, 29, 31), each with the section it comes from."""
    facts = catalogue.laws()["consumer_rights_act_2015"]["facts"]
    for fid, section in (
        ("delivery", "section/28"),
        ("risk", "section/29"),
        ("unfair_terms", "section/31"),
        ("services", "section/49"),
        ("digital_content", "section/34"),
    ):
        assert facts[fid]["source"].endswith(section), fid
    assert "essential" in _rule("consumer_rights_act_2015.delivery")
    assert "full refund" in _rule("consumer_rights_act_2015.delivery")
    risk = _rule("consumer_rights_act_2015.risk")
    assert "courier" in risk and "physically has them" in risk
    assert "does not bind" in _rule("consumer_rights_act_2015.unfair_terms")
    assert "reasonable care and skill" in _rule("consumer_rights_act_2015.services")
    assert "no short-term right to reject" in _rule("consumer_rights_act_2015.digital_content")


def test_protected_characteristics_are_those_that_apply_to_services():
    """Fact 20: in services, age from 18 only; marriage and civil partnership only at work."""
    rule = _rule("equality_act_2010.protected_characteristics")
    served, _, work = rule.partition("Marriage and civil partnership")
    assert "marriage" not in served.casefold()
    assert "only at work" in work
    assert "age (for customers aged 18 or over)" in served
    for c in ("disability", "gender reassignment", "pregnancy", "race", "religion", "sex"):
        assert c in served


def test_indirect_discrimination_example_is_a_rule_applied_to_everyone():
    """Fact 21: the headwear rule is indirect discrimination; the guide-dog case is a failure
    to make reasonable adjustments (fact 22), and s15 is its own fact (21a)."""
    indirect = _rule("equality_act_2010.direct_and_indirect")
    assert "applied to everyone" in indirect and "headwear" in indirect
    assert "dog" not in indirect
    assert "assistance-dog" in _rule("equality_act_2010.reasonable_adjustments")
    s15 = _rule("equality_act_2010.arising_from_disability")
    assert "arises from their disability" in s15 and "proportionate" in s15


def test_data_protection_wording_follows_the_brief():
    assert "complex or numerous" in _rule("data_protection_act_2018.sar_one_month")  # Art 12(3)
    marketing = _rule("data_protection_act_2018.marketing_objection")
    assert "duty" in marketing and "best practice" in marketing  # fact 19a
    assert "must stop being used for it at once" not in marketing
    assert "no marketing consent" in _rule("data_protection_act_2018.service_messages")
    duty = _rule("data_protection_act_2018.breach_duty_is_the_organisations")
    assert "organisation's duty" in duty and "rights and freedoms" in duty  # fact 19d
    assert "controller" in _rule("data_protection_act_2018.breach_72_hours")


def test_35_business_days_only_in_exceptional_circumstances():
    rule = _rule("regulated_complaints.payment_services_deadline")
    assert "only in exceptional circumstances" in rule and "35" in rule


def test_corrects_may_take_back_a_mistake_without_lifting_its_cap():
    """`corrects: [beyond_remit]` lints (a mistake id), and the grade still counts the mistake."""
    from scoring.scorer import score

    text = KETTLE.read_text(encoding="utf-8").replace(
        "law: {consumer_rights_act_2015: wrong}",
        "law: {consumer_rights_act_2015: wrong}\n        corrects: [beyond_remit]",
    )
    result = check_bytes(text.encode(), "kettle.yaml")
    assert result.scenario is not None, [str(d) for d in result.errors]
    sc = result.scenario
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.1", "fault_described.2"])
    out = score(sc, s.transcript())
    assert out["law_open"] == ["consumer_rights_act_2015"]  # a mistake id withdraws no law


def test_purpose_limitation_has_a_rule_and_cites_its_article():
    """Review 25m D11: the hardship note passed to partners breaks purpose limitation and
    fairness, not data minimisation; the key exists with its rule and its Article."""
    t = spec.law_text("data_protection_act_2018.purpose_limitation")
    assert "used fairly and only for what it was collected for" in t["rule"]
    fact = catalogue.laws()["data_protection_act_2018"]["facts"]["purpose_limitation"]
    assert fact["article"] == "UK GDPR Art 5(1)(a)-(b)"
