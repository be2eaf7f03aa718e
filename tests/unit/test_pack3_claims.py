"""Issue 25 items in the pack3 scenarios, each played through the real session and scorer.

Why: these debriefs and marks claimed what the learner never did, or marked a step with the
wrong kind of mistake. Each test plays the path an examiner played and checks what the debrief
says and how the step is marked, so the fault cannot come back unnoticed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scoring import scorer
from simulator.engine.loader import check_file
from simulator.engine.session import Runtime

PACK = Path(__file__).resolve().parents[2] / "scenarios"


@cache
def scenario(sid: str):
    r = check_file(PACK / f"{sid}.yaml")
    assert not r.errors
    return r.scenario


def play(sid: str, ids: list[str]):
    s = Runtime(scenario(sid)).new_session(seed=3)
    s.replay(ids)
    assert s.ended, s.state
    return s, scorer.score(scenario(sid), s.transcript())


def choice(sid: str, cid: str):
    st, _, n = cid.rpartition(".")
    return scenario(sid).states[st].choices[int(n) - 1]


# correct-and-erase ------------------------------------------------------------------------

# Address read out before any check, then the right route: the DPO hand-over at turn 6 comes
# after she has told the adviser everything.
CE_LATE_HEAR = [
    "opening.2", "early_disclosure.1", "id_check.1", "marketing.1", "erasure.1",
    "who_handles.1", "closing.1",
]  # fmt: skip


def test_correct_and_erase_hand_over_after_hearing_her_out_is_not_premature():
    s, sc = play("correct-and-erase", CE_LATE_HEAR)
    assert sc["escalation"]["verdict"] == "correct"
    assert sc["escalation"]["premature"] is False
    assert "before you had heard" not in s.debrief
    assert "read out" in s.debrief  # the early disclosure is named, not hidden


def test_correct_and_erase_debrief_names_only_the_referral_made():
    s, _ = play("correct-and-erase", CE_LATE_HEAR)
    assert "unsubscribe" not in s.debrief and "herself" not in s.debrief
    s, _ = play(
        "correct-and-erase",
        ["opening.1", "explains.1", "id_check.1", "marketing.3", "erasure.1", "who_handles.2",
         "closing.1"],
    )  # fmt: skip
    assert "unsubscribe link" in s.debrief
    assert "email the data protection team herself" in s.debrief
    # review 25f D11: the erasure logged, dated, for the team that decides it (erasure.1) is the
    # referral, so "the data protection officer's team will explain which" is true here; what
    # the debrief must not hide is that she was then told to email them herself
    assert "after you had logged it for them" in s.debrief


def test_correct_and_erase_unverified_change_is_a_verification_error_not_ownership():
    ch = choice("correct-and-erase", "unverified_change.2")
    assert ch.mistakes == ("skips_verification",) or list(ch.mistakes) == ["skips_verification"]


def test_correct_and_erase_keeping_a_newsletter_is_the_law_error_not_a_slow_stop():
    ch = choice("correct-and-erase", "marketing.2")
    assert "28 days" not in ch.text
    assert ch.law == {"data_protection_act_2018.marketing_objection": "wrong"}
    s, _ = play(
        "correct-and-erase",
        ["opening.1", "explains.1", "id_check.1", "marketing.2", "erasure.1", "who_handles.1",
         "closing.1"],
    )  # fmt: skip
    assert "Marketing stopped" not in s.debrief and "all of it stops" in s.debrief


# internal-customer-finance ----------------------------------------------------------------

ICF_HEAD = ["opening.1", "purpose.2", "format_agreed.1", "deadline_agreed.1"]


def test_finance_unprotected_full_log_stays_serious_after_the_resend():
    s, sc = play(
        "internal-customer-finance",
        [*ICF_HEAD, "updated.4", "addressing.3", "misdirected.1", "dpo_reported.1", "resent.1"],
    )
    assert s.ending == "resolved_end"
    assert "unprotected" in s.debrief and "kept the risk down" not in s.debrief
    assert "data_breach" in {m["id"] for m in sc["mistakes"]}


def test_finance_any_mis_sent_file_is_a_breach():
    s, sc = play(
        "internal-customer-finance",
        ["opening.1", "purpose.1", "format_agreed.1", "deadline_agreed.1", "updated.2",
         "addressing.2", "misdirected.1", "dpo_reported.1", "resent.1"],
    )  # fmt: skip
    assert "data_breach" in {m["id"] for m in sc["mistakes"]}
    assert "Less data, and a protected file, kept the risk down." in s.debrief


# relative-asks-about-account --------------------------------------------------------------


def test_relative_pausing_letters_is_no_disclosure_but_the_promise_is_a_mistake():
    ch = choice("relative-asks-about-account", "routes_explained.2")
    assert not ch.law and list(ch.mistakes) == ["over_promising"]


def test_relative_routes_turn_on_capacity_and_authority():
    ch = choice("relative-asks-about-account", "explains_why.1")
    assert "power of attorney" in ch.text and "decision herself" in ch.text
    s, _ = play(
        "relative-asks-about-account",
        ["opening.1", "explains.1", "explains_why.1", "routes_explained.1", "call_arranged.1",
         "plan_confirm.1", "wrap_up.1"],
    )  # fmt: skip
    assert "capacity" in s.debrief


# sar-by-phone ----------------------------------------------------------------------------


def test_sar_follow_up_feedback_credits_only_what_was_said():
    fb = choice("sar-by-phone", "follow_up_offer.1").feedback
    assert "deadline is missed" not in fb


def test_sar_extension_is_for_complex_or_numerous_requests():
    assert "several requests" in choice("sar-by-phone", "dpo_referred.1").text


def test_sar_cold_transfer_after_logging_does_not_say_nothing_was_logged():
    s, _ = play(
        "sar-by-phone",
        ["opening.1", "caller_explains.1", "recognised.1", "id_check.1", "logged.2",
         "wrong_team.2"],
    )  # fmt: skip
    assert s.ending == "cold_transfer"
    assert "nothing was logged" not in s.debrief


# reasonable-adjustment ---------------------------------------------------------------------


def test_reasonable_adjustment_has_a_discrimination_arising_from_disability_moment():
    s, sc = play("reasonable-adjustment", ["opening.1", "locked_out.5", "queue_excuse.2"])
    assert s.ending == "turned_away"
    assert "discrimination" in {m["id"] for m in sc["mistakes"]}
    assert "s15" in s.debrief and "arising from disability" in s.debrief
    s, _ = play(
        "reasonable-adjustment",
        ["opening.1", "locked_out.1", "listened.1", "verifying.1", "reset_done.1",
         "preference_asked.1", "wrap_up.1"],
    )  # fmt: skip
    assert "s15" not in s.debrief  # only said on the path that made the mistake


def test_finance_debrief_names_an_overshare_even_when_nothing_was_mis_sent():
    s, _ = play(
        "internal-customer-finance",
        ["opening.2", "format_agreed.1", "deadline_agreed.1", "updated.1", "resent.2"],
    )
    assert "far more than the board pack needed" in s.debrief
    s, _ = play(
        "internal-customer-finance",
        [*ICF_HEAD[:1], "purpose.1", *ICF_HEAD[2:], "updated.1", "resent.1"],
    )
    assert "far more than" not in s.debrief
