"""Scoring and debrief defects of audit 25t (branch audit25t, AUDIT.md) whose fix is in the
scorer or the debrief: every sentence of the debrief true of the path. Each is replayed on the
play that showed it, with its seed, through the real Session, scorer and debrief."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from scoring import debrief
from scoring.scorer import score
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]

# faulty-toaster-day12 seed 907 (AUDIT.md play 07): "I'll take it through to her now" (turn 4),
# then "Actually, I can sort this myself" (turn 5) and a refund done right.
TOASTER_907 = [
    "opening.1",
    "fault_details.2",
    "blame_use.1",
    "heard_properly.4",
    "supervisor_called.3",
    "rights_explained.1",
    "processing.1",
    "receipt_check.1",
    "processing.3",
    "refund_done.1",
    "confirmed.1",
]
# correct-and-erase seed 925 (play 25): erasure.1 and who_handles.1 both refer to the DPO.
ERASE_925 = [
    "opening.1",
    "explains.1",
    "id_check.1",
    "marketing.1",
    "erasure.1",
    "who_handles.1",
    "closing.1",
]


def _play(sc: Any, path: list[str], seed: int) -> dict[str, Any]:
    s = Runtime(sc).new_session(seed=seed)
    s.replay(path)
    t = s.transcript()
    t["mode"] = "assess"
    return t


def _toaster(tmp_path: Path, corrects: str) -> Any:
    """faulty-toaster-day12 with supervisor_called.3 (the withdrawal) also naming `corrects`,
    the escalation's own mistake (the scenario's part of D2), whatever the file has now."""
    src = resolve("faulty-toaster-day12")
    doc = yaml.safe_load(Path(src).read_text(encoding="utf-8"))
    ch = doc["states"]["supervisor_called"]["choices"][2]
    assert ch["text"].startswith("Actually, I can sort this myself")
    ch["corrects"] = [
        *[c for c in ch.get("corrects") or [] if c not in ("no_ownership", "premature_escalation")],
        corrects,
    ]
    out = tmp_path / "faulty-toaster-day12.yaml"
    out.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_scenario(out)


def test_an_escalation_taken_back_at_once_is_a_slip_taken_back_not_a_hand_over(tmp_path):
    """D2: the withdrawn escalation failed "Escalates only when needed", the debrief said "The
    case was passed on without a handover summary" though nothing was passed on, and dated the
    recovery turn 11 (the follow-up), not turn 5 (the withdrawal)."""
    sc = _toaster(tmp_path, "no_ownership")
    t = _play(sc, TOASTER_907, 907)
    got = score(sc, t)
    esc = got["escalation"]
    assert esc["verdict"] == "not_needed"
    assert esc["escalated_to"] == []
    assert esc["withdrawn"] == [{"role": "supervisor", "turn": 4, "at": 5}]
    assert not esc["premature"] and not esc["spoiled"]
    points = {p["label"]: p["status"] for p in got["marking_points"]}
    assert points["Escalates only when needed, to the right role, with a handover"] == "met"
    assert got["grade"] == "pass"  # taken back: a pass, not a distinction
    assert not got["recovered"]  # taken back in words at turn 5, not outweighed at turn 11
    v = debrief.build(sc, t)
    text = debrief.render_view(v, "text")
    assert "passed on without a handover summary" not in text
    assert "you escalated to" not in text.lower()
    assert "at turn 11" not in text.split("The detail follows.")[0]
    assert "turn 4" in v["escalation"]["note"] and "turn 5" in v["escalation"]["note"]
    assert "Escalates only when needed" not in got["grade_reason"]
    assert "none was made" not in text  # one was begun (turn 4) and taken back (turn 5)
    assert "the one you began at turn 4 you took back at turn 5" in text


def test_a_premature_escalation_named_in_corrects_is_withdrawn_as_well(tmp_path):
    """D2, the other mistake an escalation makes: naming it withdraws the escalation only when
    the escalating choice made it (heard_properly.4 makes no_ownership, not premature)."""
    sc = _toaster(tmp_path, "premature_escalation")
    got = score(sc, _play(sc, TOASTER_907, 907))
    assert got["escalation"]["escalated_to"] == ["supervisor"]
    assert got["escalation"]["verdict"] == "unnecessary"


def test_one_referral_over_two_turns_is_said_once():
    """D10b: "At turn 5 you escalated to the data protection officer. At turn 6 you escalated to
    the data protection officer." for one referral (erasure.1, then who_handles.1)."""
    sc = load_scenario(resolve("correct-and-erase"))
    v = debrief.build(sc, _play(sc, ERASE_925, 925))
    assert [(e["turn"], e["role"]) for e in v["escalation"]["escalations"]] == [
        (5, "the data protection officer")
    ]
    text = debrief.render_view(v, "text")
    assert text.count("you escalated to the data protection officer") == 1


def test_a_slip_leaving_the_problem_with_the_customer_is_not_said_to_be_left_with_someone_else(
    tmp_path,
):
    """D3: laptop-month7 seed 930, "Unless you can prove it yourself with a report, there's
    nothing I can do" (turn 4) was reported as "you left the problem with someone else at turn
    4": nobody else was involved. The recovery sentence says what every no_ownership slip is."""
    # burden_dump.1 as the audit played it: it takes back only the defensive part, so the
    # no_ownership slip is recovered by what the learner did later (truth25v's scenario part of
    # D3 takes it back in words as well; the sentence must be true either way)
    doc = yaml.safe_load(Path(resolve("laptop-month7")).read_text(encoding="utf-8"))
    ch = doc["states"]["burden_dump"]["choices"][0]
    ch["corrects"] = [c for c in ch.get("corrects") or [] if c != "no_ownership"]
    out = tmp_path / "laptop-month7.yaml"
    out.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    sc = load_scenario(out)
    path = [
        "opening.1",
        "details.1",
        "rights_stage.1",
        "evidence_stage.3",
        "burden_dump.1",
        "deadline_need.1",
        "remedy_explain.1",
        "confirm_stage.1",
        "follow_up_call.1",
    ]
    t = _play(sc, path, 930)
    got = score(sc, t)
    assert [r["id"] for r in got["recovered"]] == ["no_ownership"]  # the path still shows it
    text = debrief.render_view(debrief.build(sc, t), "text")
    assert "someone else at turn" not in text
    assert "you did not take ownership of the problem at turn 4" in got["grade_reason"]


RELATIVE_916 = ["opening.1", "explains.4"]


def test_a_law_not_used_is_not_called_the_customers_rights():
    """D9: relative-asks-about-account seed 916 said "You did not use the customer's legal rights
    although the conversation allowed it. Not used: Data Protection Act 2018 and UK GDPR": the
    rule protects the account holder, not the relative who rang."""
    sc = load_scenario(resolve("relative-asks-about-account"))
    v = debrief.build(sc, _play(sc, RELATIVE_916, 916))
    text = debrief.render_view(v, "text")
    assert "customer's legal rights" not in text
    if v["law"]["not_applied"]:  # until the scenario marks the "exception for family" line
        assert v["law"]["note"].startswith("You did not apply the law that governs this case")


def test_a_law_broken_in_conduct_is_never_listed_as_not_used(tmp_path):
    """D9: never "Not used: <act>" where a choice on the path broke that act, even one whose
    mistake (grading.yaml law.broken_by) carries no `law:` mark for it."""
    doc = yaml.safe_load(Path(resolve("relative-asks-about-account")).read_text(encoding="utf-8"))
    ch = doc["states"]["explains"]["choices"][3]
    assert "exception for family" in ch["text"]
    ch["mistakes"] = [*ch["mistakes"], "data_breach"]
    ch.pop("law", None)
    out = tmp_path / "relative-asks-about-account.yaml"
    out.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    sc = load_scenario(out)
    v = debrief.build(sc, _play(sc, RELATIVE_916, 916))
    assert not [x for x in v["law"]["not_applied"] if x["id"].startswith("data_protection")]
    assert "Not used: Data Protection" not in debrief.render_view(v, "text")
