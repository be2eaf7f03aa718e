"""Issue 25 in late-delivery-recovery, compensation-beyond-authority and abusive-customer: the
debrief says only what the path did, the law the brief adds (facts 8b-8d) is marked, and the
textbook path is the best-marked one. Each test fails on main at 6b6e8c3."""

from __future__ import annotations

from pathlib import Path

from scoring.scorer import score
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

PACK = Path(__file__).resolve().parents[2] / "scenarios"


def _play(name: str, ids: list[str]):
    sc = load_scenario(PACK / f"{name}.yaml")
    s = Runtime(sc).new_session(seed=3)
    s.replay(ids)
    assert s.ended, ids
    graded = score(sc, {"turns": [{"choice": c} for c in ids], "ending": s.state})
    return s, graded


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


# -- compensation-beyond-authority ---------------------------------------------------------------
TEXTBOOK = ["handover_choice.1", "timescale.1", "recap.1", "decision_call.1"]


def test_compensation_debrief_does_not_say_heard_out_after_a_premature_escalation():
    s, graded = _play(
        "compensation-beyond-authority",
        ["opening.2", "early_handoff.1", "story.1", "within_authority.1", *TEXTBOOK],
    )
    text = _norm(s.debrief)
    assert "heard Gareth out before escalating" not in text
    assert "before you had heard Gareth's story" in text
    assert graded["escalation"]["premature"] is True


def test_compensation_textbook_path_is_the_distinction_and_explains_the_limit():
    _s, graded = _play(
        "compensation-beyond-authority", ["opening.1", "story.1", "within_authority.1", *TEXTBOOK]
    )
    assert graded["grade"] == "distinction"
    _s, other = _play(
        "compensation-beyond-authority",
        ["opening.1", "story.1", "within_authority.2", "flat_limit.1", *TEXTBOOK],
    )
    assert other["grade"] != "distinction"  # "£30 is the most anyone gets" is not the model answer


def test_compensation_terms_excluding_his_loss_is_a_law_mistake():
    """Brief fact 8d (CRA s31): "our terms exclude consequential losses" is no answer."""
    _s, graded = _play("compensation-beyond-authority", ["opening.3", "flat_no.2"])
    assert any(m["id"] == "misstates_law" for m in graded["mistakes"])
    assert graded["grade"] == "fail"


# -- late-delivery-recovery ----------------------------------------------------------------------
LATE_START = ["opening.1", "story.1", "options_check.1", "fix_accepted.1"]
LATE_END = ["recap.1", "follow-up-as-promised"]


def test_late_delivery_debrief_does_not_call_a_75_pound_voucher_modest():
    s, _ = _play("late-delivery-recovery", [*LATE_START, "money_question.3", *LATE_END])
    text = _norm(s.debrief)
    assert "modest goodwill" not in text and "inside your £25 authority" not in text
    # review25as play 05: named as the voucher left standing (truth25au)
    assert "£75 voucher you left standing was well over your £25 goodwill limit" in text
    s, _ = _play("late-delivery-recovery", [*LATE_START, "money_question.1", *LATE_END])
    assert "inside your £25 authority" in _norm(s.debrief)


def test_late_delivery_already_baked_no_refund_is_a_law_mistake():
    """Brief fact 8b (CRA s28): a birthday cake's date was essential; a full refund is due."""
    _s, graded = _play("late-delivery-recovery", [*LATE_START, "money_question.2", "money_row.2"])
    assert any(m["id"] == "misstates_law" for m in graded["mistakes"])
    assert graded["grade"] == "fail"


def test_late_delivery_contact_the_courier_is_a_law_mistake():
    """Brief fact 8c (CRA s29): the goods are at the trader's risk until delivered."""
    _s, graded = _play("late-delivery-recovery", ["opening.3", "courier_blame.2"])
    assert any(m["id"] == "misstates_law" for m in graded["mistakes"])


# -- abusive-customer ----------------------------------------------------------------------------
ABUSE = ["opening.1", "vents.1", "demands.1", "warned.1", "fixing.1"]


def test_abusive_debrief_does_not_credit_a_name_and_time_after_whoever_picks_it_up():
    """The vague hand-over (handed_over.2) gives a reference but no name and no firm time; the
    debrief must say so, not credit the named call the other option gives."""
    s, _ = _play("abusive-customer", [*ABUSE, "handed_over.2", "closing.1"])
    text = _norm(s.debrief)
    assert "gave Gary a reference and a time" not in text
    assert "whoever picks it up" in text and "no name and no time" in text
    s, _ = _play("abusive-customer", [*ABUSE, "handed_over.1", "closing.1"])
    assert "gave Gary a reference and a time" in _norm(s.debrief)


# -- long-running-complaint, broadband-hardship ---------------------------------------------------
def test_long_running_debrief_says_35_days_only_in_exceptional_circumstances():
    s, _ = _play("long-running-complaint", ["opening.4"])
    text = _norm(s.debrief)
    assert "35" not in text or "exceptional circumstances" in text
    sc = load_scenario(PACK / "long-running-complaint.yaml")
    for st in sc.states.values():
        for source in [st.debrief or "", *(ch.feedback or "" for ch in st.choices)]:
            flat = _norm(source)
            if "(35" in flat:
                assert "exceptional circumstances" in flat, flat


def test_broadband_options_credited_with_an_apology_say_sorry():
    sc = load_scenario(PACK / "broadband-hardship.yaml")
    for sid, st in sc.states.items():
        for i, ch in enumerate(st.choices):
            if "apologise" in ch.shows:
                assert "sorry" in ch.text.lower(), f"{sid}.{i + 1}: {ch.text}"
