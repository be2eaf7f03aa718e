"""Lead's fixes after merging review 25f's two fixer branches (issue 25): the recovered-slip cap
said its turn twice, and correct-and-erase's turn-6 referrals got the catalogue's "without saying
who, why or when" though they name the team."""

from __future__ import annotations

from pathlib import Path

from scoring import debrief
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
# review 25f play 04 (seed 304): a logged erasure, then "email the team yourself", then a summary
PLAY04 = [
    "opening.1",
    "explains.1",
    "id_check.1",
    "marketing.1",
    "erasure.1",
    "who_handles.2",
    "closing.1",
]


def _view(scenario: str, seed: int, ids: list[str]) -> dict:
    """The debrief view of one path, played in assessment mode."""
    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    s = Runtime(sc).new_session(seed=seed)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    return debrief.build(sc, t)


def _text(ids: list[str]) -> str:
    return debrief.render_view(_view("correct-and-erase", 304, ids), "text")


def test_a_recovered_slip_names_its_turn_once() -> None:
    text = _text(PLAY04)
    assert "A slip recovered" in text or "a slip recovered" in text
    assert "at turn 7, at turn 7" not in text


def test_a_referral_that_names_the_team_is_not_called_nameless() -> None:
    text = _text(PLAY04)
    assert "without saying who, why or when" not in text
    assert "You named the right team" in text


def test_met_needs_names_only_points_the_scenario_assessed() -> None:
    """phone-screen-refit has no identity step: "Applies specific policies" must not say it was
    met by "checks who they are dealing with" (the lead's read-through of a Pass)."""
    v = _view(
        "phone-screen-refit",
        12,
        [
            "opening.1",
            "fault_heard.1",
            "wants_money.2",
            "refit_charge.1",
            "tech_check.1",
            "refund_agreed.1",
            "refund_done.1",
            "closing.1",
        ],
    )
    needs = " ".join(cp["needs"] for cp in v["course_points"]["met"])
    assert "applies the law" in needs
    assert "checks who they are dealing with" not in needs


def test_no_level_3_suggestion_after_a_level_3_scenario() -> None:
    """Review 25k D9: "Practise next: A harder scenario. Try a level 3 scenario" after a
    distinction in a Level 3 scenario (broadband-hardship is level 3)."""
    assert str(load_scenario(ROOT / "scenarios" / "broadband-hardship.yaml").level) == "3"
    v = _view(
        "broadband-hardship",
        33,
        [
            "opening.1",
            "story.1",
            "note_privacy.1",
            "upgrade_rights.1",
            "arrears.1",
            "complaint.1",
            "closing.1",
        ],
    )
    assert v["score"]["grade"] == "distinction", v["score"]["grade"]
    assert "level 3" not in v["practise"]["text"].lower()


def test_the_right_remedies_after_a_failed_repair_withdraw_keep_sending_the_engineer() -> None:
    """Review 25k D2 (play 05, examiner Pass, scorer Fail): "we'd keep sending the engineer"
    (turn 6) was replaced at the callback by "you can now choose: a full refund … or keep it
    at a reduced price" before he acted on it, yet the debrief said it was never put right."""
    v = _view(
        "washing-machine-day45",
        505,
        [
            "opening.2",
            "details_first.1",
            "fault_heard.1",
            "empathised.1",
            "choose_remedy.1",
            "remedy_chosen.2",
            "repair_confirm.1",
            "callback.1",
            "final_choice.1",
        ],
    )
    assert v["score"]["grade"] == "pass", v["score"]["grade"]
    assert "never put it right" not in debrief.render_view(v, "text")
