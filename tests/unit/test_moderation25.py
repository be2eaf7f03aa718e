"""Moderation 25 (tests/calibration/moderation25.md), the IQA's decisions on four calibration cases.

Cases 1-2: an action begun at one turn and stopped by the learner's very next choice before it
took effect (the new address asked for before the identity check, then "Sorry, not yet: before I
save it, I need to know it's you") is marked by the scenario on the stopping choice
(`corrects_before_effect:`). Once per attempt it keeps its points and its "practise" mention,
spoils no marking point and does not cap the grade; a second is a pattern and takes the
`withdrawn` cap; lint (CT609) allows it only where the mistake was made at the turn just before
and does not fail the attempt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import debrief
from scoring.lint_checks import stopped_before_effect
from scoring.scorer import score
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from tests.replay import assessed, text

ROOT = Path(__file__).resolve().parents[2]
STOP = ROOT / "tests" / "fixtures" / "scoring" / "stopped-before-effect.yaml"
ERASE = ["opening.1", "explains.2", "unverified_change.1", "id_check.1", "marketing.1"]
ERASE += ["erasure.1", "who_handles.1", "closing.1"]
WITHDRAWN = {"withdrawn": True}


def run(path: list[str]) -> dict:
    sc = load_scenario(STOP)
    s = Runtime(sc).new_session(seed=1)
    s.replay(path)
    return score(sc, s.transcript())


@pytest.mark.parametrize("seed", [405, 510])
def test_correct_and_erase_address_asked_before_the_check_and_stopped_is_a_distinction(seed):
    """Cases 1 and 2 (review25i-05, review25k erase-address-before-id-self-caught): the examiners'
    distinction; the slip keeps its 8 points, its "practise" line and the mistakes entry."""
    t, view = assessed("correct-and-erase", seed, ERASE, ending=True)
    sc = load_scenario(ROOT / "scenarios" / "correct-and-erase.yaml")
    s = score(sc, t)
    assert s["grade"] == "distinction", s["grade_reason"]
    assert s["percent"] == 92 and s["deductions"] == 8
    assert not any(c["when"] == WITHDRAWN for c in s["caps"])
    assert s["withdrawn"] == [
        {"id": "skips_verification", "turn": 2, "at": 3, "before_effect": True}
    ]
    assert "took back" not in s["grade_reason"]
    out = text(view)
    assert "Practise next: Checking identity first." in out
    assert "It cost you 8 points at turn 2." in out
    # the words are true of the path: nothing was saved before the check, and it cost no grade
    assert "stopped yourself at the next step and checked before anything was saved" in out
    assert "costs its points but not the grade" in out
    assert "a distinction needs the check first" not in out
    assert (
        "after the slip at turn 2 (skips the identity check), stopped at turn 3 before it took "
        "effect." in out
    )
    assert "a distinction needs it right first time" not in out


def test_the_address_saved_before_the_check_still_stands():
    """unverified_change.2 ("I saved it before I knew it's you") took effect: no credit."""
    path = ["opening.1", "explains.2", "unverified_change.2", "marketing.1", "erasure.1"]
    path += ["who_handles.1", "closing.1"]
    sc = load_scenario(ROOT / "scenarios" / "correct-and-erase.yaml")
    s = Runtime(sc).new_session(seed=405)
    s.replay(path)
    r = score(sc, s.transcript())
    assert r["grade"] == "fail"
    assert r["withdrawn"] == []


def test_one_slip_stopped_before_effect_does_not_cap():
    s = run(["opening.1", "stop_address.1", "phone.1", "saved.1"])
    assert s["grade"] == "distinction"
    assert s["withdrawn"][0]["before_effect"] is True
    assert {"id": "skips_verification", "turn": 1} in s["mistakes"]
    points = {p["id"]: p["status"] for p in s["marking_points"]}
    assert points["checks_identity"] == "met"
    # the same path without the slip scores its points higher: the deduction stays
    clean = run(["opening.3", "phone.1", "saved.1"])
    assert clean["grade"] == "distinction" and clean["percent"] > s["percent"]


def test_a_second_slip_stopped_before_effect_is_a_pattern_and_caps_at_pass():
    s = run(["opening.1", "stop_address.1", "phone.2", "stop_phone.1", "saved.1"])
    assert s["grade"] == "pass", s["grade_reason"]
    (cap,) = [c for c in s["caps"] if c["when"] == WITHDRAWN]
    # the cap names the second slip (turn 3, stopped at 4), not the first, which was credited
    assert (cap["turn"], cap["later"]) == (3, 4)
    assert "at turn 3 that you took back and put right at turn 4" in s["grade_reason"]
    assert [w.get("before_effect", False) for w in s["withdrawn"]] == [True, False]
    # one stopped slip alone, at the later turn, is still credited
    assert run(["opening.3", "phone.2", "stop_phone.1", "saved.1"])["grade"] == "distinction"


def test_a_slip_made_before_the_turn_just_before_is_no_stop_before_effect():
    """aside.1 comes between the slip and the stop: the scorer gives no credit (and lint says
    CT609 for the file)."""
    s = run(["opening.2", "aside.1", "stop_address.1", "phone.1", "saved.1"])
    assert s["grade"] == "pass"
    assert any(c["when"] == WITHDRAWN for c in s["caps"])
    assert "before_effect" not in s["withdrawn"][0]


def test_the_debrief_of_a_capped_second_stop_keeps_the_withdrawn_words():
    sc = load_scenario(STOP)
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.1", "stop_address.1", "phone.2", "stop_phone.1", "saved.1"])
    t = s.transcript()
    t["mode"] = "assess"
    view = debrief.build(sc, t)
    said = {m["turn"]: m["explanation"] for m in view["mistakes"]}
    assert "not the grade" in said[1]
    assert "a distinction needs the check first, every time" in said[3]


def test_lint_allows_corrects_before_effect_only_after_the_slip_just_before():
    found = stopped_before_effect(load_scenario(STOP))
    assert len(found) == 1
    where, message = found[0]
    assert where[:4] == ("states", "stop_address", "choices", 0)
    assert "aside.1 leads to stop_address without making skips_verification" in message
    assert stopped_before_effect(load_scenario(ROOT / "scenarios" / "correct-and-erase.yaml")) == []


def _edited(tmp_path: Path, old: str, new: str) -> list[tuple[tuple, str]]:
    raw = STOP.read_text(encoding="utf-8")
    assert raw.count(old) == 1
    p = tmp_path / "edited.yaml"
    p.write_text(raw.replace(old, new), encoding="utf-8")
    return stopped_before_effect(load_scenario(p))


def test_lint_refuses_a_failing_mistake_or_one_not_taken_back(tmp_path):
    stop_phone = (
        "        corrects: [skips_verification]\n"
        "        corrects_before_effect: [skips_verification]\n  saved:"
    )
    rude = "corrects: [skips_verification, rude]\n        corrects_before_effect: [rude]"
    found = _edited(
        tmp_path,
        stop_phone,
        stop_phone.replace(
            "corrects: [skips_verification]\n        corrects_before_effect: [skips_verification]",
            rude,
        ),
    )
    assert any("rude fails the attempt" in m for _w, m in found)
    found = _edited(
        tmp_path, stop_phone, stop_phone.replace("corrects: [skips_verification]", "corrects: []")
    )
    assert any("skips_verification is not under its corrects:" in m for _w, m in found)


def test_the_lint_code_is_an_error():
    from simulator.engine.lint.diagnostics import CODES

    assert CODES["CT609"][:2] == ("stopped-before-effect", "error")


def test_every_mistake_a_shipped_choice_stops_before_effect_has_its_own_words():
    """The class of review 25k D5 for the new mark: each mistake named in a shipped
    `corrects_before_effect:` has a catalogue `explanation_stopped` of its own."""
    import yaml

    from scoring import catalogue

    mistakes = catalogue.catalogue()["mistakes"]
    named: set[str] = set()
    for f in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for st in (data.get("states") or {}).values() if isinstance(data, dict) else ():
            for ch in st.get("choices") or []:
                named |= set(ch.get("corrects_before_effect") or [])
    assert "skips_verification" in named
    for m in sorted(named):
        assert mistakes[m].get("explanation_stopped"), m


def test_courier_number_shared_against_her_wish_fails_for_the_reason_the_debrief_names():
    """Case 4 (courier-cot-phone-shared-25al, decision b): the fail stands, and the debrief now
    says why: her number passed on for "anything else" is more data than the trace needs."""
    path = ["opening.2", "tracking.1", "controllable.1", "data_share.3", "improvement.1"]
    t, view = assessed("courier-lost-cot", 1206, [*path, "closing.1"], ending=True)
    s = score(load_scenario(ROOT / "scenarios" / "courier-lost-cot.yaml"), t)
    assert s["grade"] == "fail"
    assert {"id": "oversharing", "turn": 4} in s["mistakes"]
    assert s["grade_reason"].startswith("At most fail: more personal data was offered or sent")
    out = text(view)
    assert "Turn 4, Shares more data than needed" in out
    assert "Mistakes: none marked" not in out
    assert "Not used, at turn 4" not in out


FINANCE = ["opening.1", "purpose.1", "format_agreed.1", "deadline_agreed.1", "updated.3"]
FINANCE += ["addressing.1", "resent.1"]


def test_minimum_data_by_ordinary_email_is_a_pass_and_the_debrief_says_why():
    """Case 3 (review25i-10, decision c): the minimum data by ordinary internal email when a
    protected route was on offer stops a distinction, no more; the debrief never says both that
    the law was applied correctly and that more data went than the purpose needed."""
    t, view = assessed("internal-customer-finance", 410, FINANCE, ending=True)
    s = score(load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml"), t)
    assert s["grade"] == "pass", s["grade_reason"]
    assert {"id": "insecure_route", "turn": 5} in s["mistakes"]
    assert "oversharing" not in {m["id"] for m in s["mistakes"]}
    assert "not by the secure route on offer" in s["grade_reason"]
    points = {p["id"]: p["status"] for p in s["marking_points"]}
    assert points["follow_rules"] == "met"
    out = text(view)
    assert "more personal data" not in out
    assert "Turn 5, Less secure route than one on offer" in out
    assert "Practise next: Sending data by the secure route." in out


def test_the_full_log_by_plain_email_still_fails():
    """updated.4, premise 8's Wrong move (the full list by plain email), keeps oversharing."""
    path = ["opening.2", "format_agreed.1", "deadline_agreed.1", "updated.4", "addressing.1"]
    sc = load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml")
    s = Runtime(sc).new_session(seed=410)
    s.replay([*path, "resent.1"])
    r = score(sc, s.transcript())
    assert r["grade"] == "fail"
    assert {"id": "oversharing", "turn": 4} in r["mistakes"]


def test_finance_random_odds_stay_within_the_limits():
    """The moderation's what-if put random passes at 5.9% with updated.3 no longer failing;
    resent.3 (deprioritising her at the close, premise 8's Wrong move) brings them back."""
    from scoring import odds

    o = odds.random_odds(load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml"))
    assert o.pass_ <= 0.05 and o.distinction <= 0.005, o
