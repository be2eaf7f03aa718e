"""Review 25m's scenario defects (issue 25): each test replays the examiner's path from
review25m's cases.yaml (or the shortest path to the defect) with the scorer and reads the
debrief or the turn text, so a regression in the scenario wording or marks fails here.

D2/D14 a retraction of "nothing I can do" that did not count as taking back the refusal, and
sent the daughter back to repeat her line; D4 a plumbing question answered "Prove it?"; D8, D9,
D19 behaviours the words show but the tags did not; D10 and D5 promises withdrawn or repeated;
D12 "his loss recognised with an apology" with no apology for the loss.
"""

from __future__ import annotations

import re
from pathlib import Path

from simulator.engine.loader import load_scenario
from tests import replay

ROOT = Path(__file__).resolve().parents[2]


_session = replay.session


def _play(scenario: str, seed: int, ids: list[str]) -> tuple[dict, str, dict]:
    """Replay ``ids`` in assessment mode: the transcript, the debrief text and its view."""
    t, view = replay.assessed(scenario, seed, ids, ending=True)
    return t, replay.text(view), view


# review 25m play 15 up to the retraction (seed 615)
RELATIVE_TO_RETRACTION = ["opening.1", "explains.1", "explains_why.2", "flat_refusal.1"]
RELATIVE15 = [
    *RELATIVE_TO_RETRACTION,
    "her_situation.1",
    "routes_explained.1",
    "call_arranged.1",
    "plan_confirm.1",
    "wrap_up.1",
]


def test_d2_taking_back_nothing_i_can_do_recovers_the_ownership_slip() -> None:
    _, text, view = _play("relative-asks-about-account", 615, RELATIVE15)
    assert view["grade"].lower().startswith("pass"), view["grade"]
    assert "Missed, a pass point: Takes ownership" not in text
    assert "Passed the customer away" not in text
    assert "neither put right nor handed" not in text


def test_d14_the_retraction_does_not_replay_the_daughters_story() -> None:
    sc = load_scenario(ROOT / "scenarios" / "relative-asks-about-account.yaml")
    for seed in range(6):
        s = _session("relative-asks-about-account", seed, RELATIVE_TO_RETRACTION)
        assert s.state != "explains"
        said = [v.strip() for v in sc.states["explains"].say]
        assert s.line.strip() not in said, s.line


# review 25m play 17 (seed 617)
WASHER17 = ["opening.4", "troubleshoot.2", "prove_demand.3"]


def test_d4_a_plumbing_question_is_not_answered_or_debriefed_as_a_demand_for_proof() -> None:
    for seed in range(6):
        s = _session("washing-machine-day45", seed, WASHER17[:2])
        assert "prove" not in s.line.lower(), s.line
    _, text, _ = _play("washing-machine-day45", 617, WASHER17)
    assert "prove the fault" not in text
    assert "plumbing" in text.split("Outcome:")[0]


def test_d4_a_real_demand_for_proof_is_still_named() -> None:
    ids = ["opening.4", "troubleshoot.1", "fault_heard.2"]
    s = _session("washing-machine-day45", 1, ids)
    assert "prove" in s.line.lower() or "my fault" in s.line.lower(), s.line


def test_d8_a_dated_call_back_at_the_close_shows_follow_up() -> None:
    ids = [
        "opening.1",
        "story.1",
        "note_privacy.3",
        "upgrade_rights.1",
        "arrears.1",
        "complaint.1",
        "closing.3",
    ]
    _, text, _ = _play("broadband-hardship", 611, ids)
    assert "Follow up: not shown" not in text
    assert "Follow up: shown at turn 7" in text


def test_d9_whats_it_doing_shows_question() -> None:
    _, text, _ = _play("webchat-fridge-year-four", 609, ["opening.3", "tone_clash.2"])
    assert '"hear / listen" or "question"' not in text
    assert 'Shown by: "question" at turn 1' in text


def test_d19_tell_me_whats_gone_wrong_shows_hear() -> None:
    ids = [
        "opening.1",
        "locked_out.2",
        "companion_call.1",
        "listened.1",
        "verifying.1",
        "reset_done.1",
        "preference_asked.1",
        "wrap_up.1",
    ]
    _, text, _ = _play("reasonable-adjustment", 604, ids)
    assert "Hear: not shown" not in text
    assert "Listen: not shown" not in text


def test_d10_i_spoke_too_soon_withdraws_the_refund_promise() -> None:
    ids = [
        "opening.1",
        "details.1",
        "rights_stage.3",
        "refund_promised.1",
        "evidence_stage.1",
        "deadline_need.1",
        "remedy_explain.1",
        "confirm_stage.1",
        "follow_up_call.1",
    ]
    _, text, _ = _play("laptop-month7", 606, ids)
    assert "which turns one complaint into two when it does not happen" not in text
    # issue 25 D15 (truth25s): "a full refund… I'll process it today" is one fault, the
    # misstatement, so the withdrawal is said of it and no separate over-promise is listed
    assert "Turn 3, Over-promising." not in text
    assert "then put it right before they acted on it" in text


# review 25m play 10 (seed 610)
APP10 = [
    "opening.1",
    "details.1",
    "remedy.1",
    "patch_check.1",
    "refund_agreed.2",
    "refund_done.1",
    "closing.1",
]


def test_d5_an_uncosted_150_or_more_is_an_over_promise_and_the_recap_keeps_it() -> None:
    t, text, _ = _play("app-update-damage", 610, APP10)
    assert "Turn 5, Over-promising." in text
    assert "Met, a distinction point: Keeps the customer informed" not in text
    recap = next(x for x in text.split("\n") if x.startswith('You: "To recap'))
    assert "£150" in recap, recap
    assert "She now expects that money" in text.split("Outcome:")[0]


def test_d5_the_recap_without_the_promise_is_unchanged() -> None:
    ids = [*APP10[:4], "refund_agreed.1", "refund_done.1", "closing.1"]
    _, text, _ = _play("app-update-damage", 610, ids)
    recap = next(x for x in text.split("\n") if x.startswith('You: "To recap'))
    assert "£150" not in recap
    assert "She now expects that money" not in text


# review 25m play 02 (seed 602): the only apologies came before the lost jobs and for the law
SCREEN02 = [
    "opening.1",
    "fault_heard.3",
    "wants_money.1",
    "tech_check.3",
    "waits.1",
    "refund_agreed.1",
    "refund_done.1",
    "closing.1",
]


def test_d12_no_loss_recognised_with_an_apology_unless_one_followed_the_loss() -> None:
    _, text, _ = _play("phone-screen-refit", 602, SCREEN02)
    assert "his loss recognised with an apology" not in text
    ids = ["opening.1", "fault_heard.1", *SCREEN02[2:]]
    _, text, _ = _play("phone-screen-refit", 602, ids)
    ending = text.split("Outcome:")[0]
    if "HEAT and the service cycle in full" in ending:
        assert "his loss recognised with an apology" in ending


def test_d12_app_update_loss_apology_is_conditioned_on_the_apology_for_it() -> None:
    sc = (ROOT / "scenarios" / "app-update-damage.yaml").read_text(encoding="utf-8")
    assert "{% if 'details.1' in path.choices and path.shows" in sc
    _, text, _ = _play("app-update-damage", 610, APP10)
    assert "her loss recognised with an apology" in text


# D8's class across the pack: a dated call-back promised to the customer shows follow_up.
_DATED_CALL_BACK = re.compile(
    r"\bI'll (ring|call) you\b[^.?!]*\b(monday|tuesday|wednesday|thursday|friday|tomorrow|"
    r"this afternoon|next week)",
    re.IGNORECASE,
)
# Choices whose words name a dated call that is not a follow-up of the case, and why.
_NOT_A_FOLLOW_UP = {
    # sends him to the sales team; the call only passes on their number (the mistake is no_ownership)
    ("sar-by-phone", "follow_up_offer.2"),
}


def test_d8_class_every_dated_call_back_shows_follow_up() -> None:
    missing: list[str] = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        if path.name.endswith(".test.yaml"):
            continue
        sc = load_scenario(path)
        for sid, st in sc.states.items():
            for n, ch in enumerate(st.choices, 1):
                cid = ch.id or f"{sid}.{n}"
                if (sc.id, cid) in _NOT_A_FOLLOW_UP or not _DATED_CALL_BACK.search(ch.text):
                    continue
                if "follow_up" not in ch.shows:
                    missing.append(f"{sc.id} {cid}: {ch.text[:80]}")
    assert not missing, missing


def test_d9_class_laptop_whats_been_happening_shows_question() -> None:
    ids = ["opening.4", "details.1"]
    _, text, _ = _play("laptop-month7", 1, ids)
    assert '"question" at turn 1' in text


def test_d15_asked_for_id_after_the_change_she_answers() -> None:
    ids = ["opening.2", "early_disclosure.2", "unverified_change.2"]
    for seed in range(6):
        s = _session("correct-and-erase", seed, ids)
        assert s.state == "marketing"
        assert "Helen Marsh" in s.line, s.line
        assert "1985" in s.line or "eighty-five" in s.line, s.line
    # a path that never asked does not hear her details here
    s = _session("correct-and-erase", 1, ["opening.2", "early_disclosure.2", "unverified_change.1"])
    assert "Helen Marsh" not in s.line or s.state == "id_check"


# review 25m play 05 (seed 605)
FINANCE05 = [
    "opening.1",
    "purpose.1",
    "format_agreed.1",
    "deadline_agreed.1",
    "updated.1",
    "resent.1",
]


def test_d16_the_promised_open_case_count_is_acknowledged_and_debriefed() -> None:
    s = _session("internal-customer-finance", 605, FINANCE05[:5])
    assert s.state == "resent"
    assert "open cases" in s.line.lower(), s.line
    t, text, _ = _play("internal-customer-finance", 605, FINANCE05)
    said = next(x for x in text.split("\n") if x.startswith('You: "Great, glad'))
    assert "open-case count" in said and "10 tomorrow" in said, said
    assert "open-case count was still owed by 10 on Friday" in text.split("Outcome:")[0]


def test_d16_the_afternoon_open_case_promise_on_the_late_path_is_followed_too() -> None:
    ids = [
        "opening.1",
        "purpose.1",
        "format_agreed.1",
        "deadline_agreed.2",
        "late_silent.1",
        "updated.1",
        "resent.1",
    ]
    s = _session("internal-customer-finance", 605, ids[:6])
    assert "open cases this afternoon" in s.line.lower() or "open cases still this afternoon" in (
        s.line.lower()
    ), s.line
    _, text, _ = _play("internal-customer-finance", 605, ids)
    assert "10 tomorrow" not in text
    assert "open-case count was still owed that afternoon" in text.split("Outcome:")[0]


def test_d17_the_number_on_file_is_shown_before_the_feedback_relies_on_it() -> None:
    ids = ["opening.1", "caller_explains.1"]
    s = _session("sar-by-phone", 616, ids)
    assert s.state == "recognised"
    sc = load_scenario(ROOT / "scenarios" / "sar-by-phone.yaml")
    assert "number on his account" in (sc.states["recognised"].note or "")
    fb = sc.states["recognised"].choices[0].feedback or ""
    assert "registered number" in fb
