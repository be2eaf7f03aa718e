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
BRIEF_FACTS = {str(n) for n in range(1, 23)} | {"8a", "19a", "19b", "19c", "27", "28", "28a", "28b"}


def test_laws_yaml_covers_every_fact_of_the_brief():
    briefs = set()
    for act, entry in catalogue.laws().items():
        assert entry.get("act") and entry.get("rule"), act
        for fid, fact in (entry.get("facts") or {}).items():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", fid), fid
            assert len(" ".join(fact["rule"].split())) > 30, (act, fid)
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
