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


def _text(ids: list[str]) -> str:
    sc = load_scenario(ROOT / "scenarios" / "correct-and-erase.yaml")
    s = Runtime(sc).new_session(seed=304)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    return debrief.render_view(debrief.build(sc, t), "text")


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
    sc = load_scenario(ROOT / "scenarios" / "phone-screen-refit.yaml")
    s = Runtime(sc).new_session(seed=12)
    s.replay(
        [
            "opening.1",
            "fault_heard.1",
            "wants_money.2",
            "refit_charge.1",
            "tech_check.1",
            "refund_agreed.1",
            "refund_done.1",
            "closing.1",
        ]
    )
    t = s.transcript()
    t["mode"] = "assess"
    v = debrief.build(sc, t)
    needs = " ".join(cp["needs"] for cp in v["course_points"]["met"])
    assert "applies the law" in needs
    assert "checks who they are dealing with" not in needs
