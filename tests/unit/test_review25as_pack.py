"""Review 25as (truth25au): no debrief sentence false of the path, in scenario and marking data
(tests/calibration/reviews/review25as.md: class 1, plays 02, 05 and 10; class 3's data, play 10;
class 5, play 03; the borderline note on play 17).

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
review25as's playNN.json and tests/calibration/review25as.yaml) and reads what the examiner read,
or a sibling path the same sentence reaches. Each failed on main before this branch."""

from __future__ import annotations

import re

import pytest

from simulator.engine.loader import load_scenario
from tests.replay import ROOT, printed, review_play, sampled_paths, scored, session

PLAYS = {n: review_play("review25as", int(n)) for n in ("02", "03", "05", "10", "17")}


def _said(n: str) -> str:
    """The whole debrief as printed (the ending's text, then the assessment), spaces folded."""
    _t, said = printed(*PLAYS[n])
    return said


# -- class 1, play 05: the voucher the summary names is the one offered, and whether it stood ----


def test_play05_the_summary_names_the_voucher_offered_and_withdrawn_not_75() -> None:
    said = _said("05")
    assert "£75" not in said
    assert "three times your £25" not in said
    assert "You offered a £100 voucher, over your £25 goodwill limit, but took it back" in said
    assert "the £20 voucher that stood was within it" in said


def test_play05_sibling_a_75_voucher_left_standing_is_still_named() -> None:
    """The same ending on a path that did leave £75 standing still says so (not a blanket
    deletion of the sentence)."""
    sid, seed, ids = PLAYS["05"]
    ids = [("money_question.3" if i == "money_question.1" else i) for i in ids]
    _t, said = printed(sid, seed, ids)
    assert "the £75 voucher you left standing was well over your £25 goodwill limit" in said
    assert "after the £100 one you had offered and taken back" in said


# -- class 1, play 10: "her memory is failing" only where Helen said so ---------------------------


def test_play10_the_summary_does_not_say_her_memory_is_failing_unsaid() -> None:
    said = _said("10")
    assert "memory" not in said
    assert "With an 81-year-old customer, authority turns on capacity" in said


def test_play10_sibling_where_helen_mentions_her_memory_says_it() -> None:
    sid, seed, _ids = PLAYS["10"]
    ids = [
        "opening.1",
        "explains.1",
        "explains_why.1",
        "routes_explained.1",
        "call_arranged.1",
        "plan_confirm.1",
        "wrap_up.1",
    ]
    _t, said = printed(sid, seed, ids)
    assert "whose memory, Helen told you, is failing" in said


# -- class 1, play 02: she said once what the tracking says --------------------------------------


def test_play02_turn1_feedback_does_not_say_she_told_you_twice() -> None:
    sid, seed, ids = PLAYS["02"]
    t, said = printed(sid, seed, ids)
    assert t["turns"][0]["choice"] == "opening.2"
    assert "told you twice" not in said
    assert "she has just told you what the tracking says" in said


# -- class 1 across the pack: an amount a debrief names was said or shown on that path ------------

_MONEY = re.compile(r"£\s?\d+(?:,\d{3})*(?:\.\d\d)?")


def _pack() -> list[str]:
    return sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml") if ".test" not in p.name)


@pytest.mark.parametrize("sid", _pack())
def test_every_amount_an_ending_names_was_said_on_the_path(sid: str) -> None:
    """The hunt of scripts/hunt_unsaid.py for amounts, as a check: every £ amount in an ending's
    debrief is in the scenario's summary, a note, a customer line or an option taken on the path
    (review25as play 05: "the £75 voucher" on a path that offered £100 and gave £20)."""
    scn = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
    vars0 = {k: str(v) for k, v in (scn.vars or {}).items()}

    def fill(text: object) -> str:
        return re.sub(
            r"\{\{\s*vars\.(\w+)[^}]*\}\}", lambda m: vars0.get(m.group(1), ""), str(text or "")
        )

    bad: dict[str, str] = {}
    for ids in sampled_paths(scn, 60):
        s = session(sid, 0, ids)
        if not s.ended or not s.debrief:
            continue
        t = s.transcript()
        shown = " ".join(
            [str(scn.summary or ""), str(scn.customer.persona or ""), str(s.line or "")]
            + [fill(scn.states[x["state"]].note) for x in t["turns"]]
            + [fill(scn.states[str(t["ending"])].note)]
            + [str(x.get("customer") or "") + " " + str(x.get("text") or "") for x in t["turns"]]
        ).replace(" ", "")
        for amount in _MONEY.findall(s.debrief):
            if amount.replace(" ", "") not in shown:
                bad.setdefault(f"{t['ending']}: {amount}", " ".join(ids))
    assert not bad, bad


# -- class 3's data, play 10: asking the daughter for the security answers --------------------------


def test_play10_asking_for_security_answers_is_not_a_disclosure_or_acting_on_the_account() -> None:
    s = scored(*PLAYS["10"])
    assert s["grade"] == "pass", s["grade_reason"]
    said = _said("10")
    assert "you disclosed a customer's account" not in said
    assert "You acted on an account, or offered its details" not in said
    assert "you acted before checking who you were dealing with" not in said
    assert "Skips the identity check" not in said
    assert "Asks someone else for the holder's security answers" in said
    assert "You applied the law correctly." in said


def test_asking_a_relative_for_security_answers_carries_no_breach_mark() -> None:
    scn = load_scenario(ROOT / "scenarios" / "relative-asks-about-account.yaml")
    asking = [
        (sid, c) for sid, st in scn.states.items() for c in st.choices if c.goto == "asked_security"
    ]
    assert len(asking) == 3
    for _sid, c in asking:
        assert list(c.mistakes) == ["asks_third_party_security"]
        assert "breached" not in (c.law or {}).values()


# -- class 5, play 03: the law on a badly fitted screen ------------------------------------------


def test_play03_the_summary_states_the_installation_rule_not_no_right_for_a_service_only() -> None:
    said = _said("03")
    assert (
        "There is no 30-day right to reject a service: money back comes by this route." not in said
    )
    assert "goods the shop installed wrongly are put right first too" in said
    assert "no 30-day right to reject for a bad fitting" in said


# -- borderline, play 17: the referral role is the one the learner named ----------------------------


def test_play17_the_turn_escalated_at_names_the_data_protection_officer() -> None:
    sid, seed, ids = PLAYS["17"]
    t, said = printed(sid, seed, ids)
    assert "At turn 5 you escalated to the data protection officer" in said
    assert "data protection officer" in t["turns"][4]["text"]
