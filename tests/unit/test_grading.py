"""Grading in the standards' shape, table-driven over tests/fixtures/scoring/grading-desk.yaml:
pass needs every applicable pass marking point; distinction also the distinction points and a
resolved (or rightly escalated) outcome; caps (rudeness, discrimination, uncorrected law fail;
corrected law, lost, unresolved stop a distinction); recovery apologies keep HEAT in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.lint_checks import contradictions
from scoring.scorer import score
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

DESK = Path(__file__).resolve().parents[1] / "fixtures" / "scoring" / "grading-desk.yaml"
BEST = ["greet", "empathise_apol", "refund", "confirm_follow"]


@pytest.fixture(scope="module")
def desk():
    return load_scenario(DESK)


def run(sc, ids):
    s = Runtime(sc).new_session(seed=1)
    s.replay(ids)
    return score(sc, s.transcript())


def status(s, pid):
    return next(p["status"] for p in s["marking_points"] if p["id"] == pid)


# (case, choices, grade, reason fragment, {marking point: status})
CASES = [
    ("everything met and resolved", BEST, "distinction", "Every pass and distinction", {}),
    (
        "unresolved is at most a pass",
        BEST[:3] + ["leave_it"],
        "pass",
        "left with the problem unresolved",
        {"check_understanding": "missed", "escalate_well": "not_assessed"},
    ),
    (
        "lost is at most a pass; escalation not judged when none was needed",
        BEST[:3] + ["walk"],
        "pass",
        "walked away",
        {"escalate_well": "not_assessed"},
    ),
    (
        "rudeness fails however good the rest",
        ["greet_rude"] + BEST[1:],
        "fail",
        "rude",
        {"greet_respectfully": "missed"},
    ),
    (
        "discrimination fails",
        ["greet", "discriminate", "refund", "confirm_follow"],
        "fail",
        "protected characteristic",
        {"adapt_behaviour": "missed"},
    ),
    (
        "a misstatement never put right fails",
        ["greet", "wrong_law", "insist", "confirm_follow"],
        "fail",
        "never withdrawn and put right",
        {"follow_rules": "missed"},
    ),
    (
        "a later right statement that does not withdraw the wrong one is no correction",
        ["greet", "wrong_law", "restate", "confirm_follow"],
        "fail",
        "never withdrawn and put right",
        {"follow_rules": "missed"},
    ),
    (
        "withdrawing a different fact of the same act does not correct this one",
        ["greet", "wrong_law", "correct_other", "confirm_follow"],
        "fail",
        "never withdrawn and put right",
        {"follow_rules": "missed"},
    ),
    (
        "withdrawing the whole act corrects a misstatement of one of its facts",
        ["greet", "wrong_law", "correct_act", "confirm_follow"],
        "pass",
        "then put it right",
        {"follow_rules": "met"},
    ),
    (
        "beyond your authority stops a distinction only, and says so",
        ["greet", "empathise_apol", "over_remit", "confirm_follow"],
        "pass",
        "beyond your own authority",
        {"escalate_well": "met", "within_limits": "missed", "follow_rules": "met"},
    ),
    (
        "acting before checking identity stops a distinction only, and says so",
        ["greet", "empathise_apol", "no_check", "confirm_follow"],
        "pass",
        "before checking who you were dealing with",
        {"follow_rules": "met", "checks_identity": "missed"},
    ),
    (
        "oversharing personal data fails, like a breach of the data rules",
        ["greet", "empathise_apol", "overshare", "confirm_follow"],
        "fail",
        "more personal data was offered or sent than the purpose needed",
        {"follow_rules": "missed"},
    ),
    (
        "a misstatement corrected in time: at most a pass, recovery credited",
        ["greet", "wrong_law", "correct", "confirm_follow"],
        "pass",
        "then put it right before the customer acted",
        {"follow_rules": "met", "take_ownership": "met"},
    ),
    (
        "a missing distinction point stops a distinction, named",
        ["greet", "defensive", "refund", "confirm_follow"],
        "pass",
        "A distinction also needs: Adapts their approach",
        {"adapt_behaviour": "missed", "follow_rules": "met"},
    ),
    (
        "a missing pass point fails, named",
        ["greet", "empathise_apol", "fob_off", "confirm_follow"],
        "fail",
        "Takes ownership of the problem",
        {"take_ownership": "missed", "escalate_well": "missed"},
    ),
    (
        "an unneeded escalation fails the escalation point",
        ["greet", "empathise_apol", "esc_sup"],
        "fail",
        "Escalates only when needed",
        {"escalate_well": "missed"},
    ),
]


@pytest.mark.parametrize("case,ids,grade,reason,points", CASES, ids=[c[0] for c in CASES])
def test_grading_table(desk, case, ids, grade, reason, points):
    s = run(desk, ids)
    assert s["grade"] == grade, s["grade_reason"]
    assert reason in s["grade_reason"]
    for pid, want in points.items():
        assert status(s, pid) == want, pid
    # The percentage is secondary and never contradicts the grade.
    th = s["thresholds"]
    if grade == "fail":
        assert s["percent"] < th["pass"]
    elif grade == "pass":
        assert th["pass"] <= s["percent"] < th["distinction"]
    else:
        assert s["percent"] >= th["distinction"]
    # Each cap once, naming its turn.
    assert len({tuple(c["when"].items()) for c in s["caps"]}) == len(s["caps"])
    assert all(c["turn"] for c in s["caps"])


def test_apologising_for_your_own_slip_is_credited_in_heat(desk):
    # take action (turn 2), a jargon slip (turn 3), "sorry, that was jargon" (turn 4)
    s = run(desk, ["greet", "act_first", "jargon_line", "sorry_slip", "confirm_follow"])
    assert s["models"]["heat"]["steps"]["apologise"] == 4
    assert s["models"]["heat"]["in_order"] is None  # HEAT is not scored as an order (fact 24)
    assert s["models"]["heat"]["percent"] == 75  # hear, apologise, take action; no empathy


def test_a_contradicted_step_is_not_credited(desk):
    s = run(desk, ["greet", "wrong_law", "insist", "confirm_follow"])
    # wrong_law lists take_action, but misstating the law is not taking action.
    assert s["models"]["heat"]["steps"]["take_action"] is None
    assert s["models"]["heat"]["in_order"] is None  # one step shown: no order to judge
    assert ("states", "mid", "choices", 2, "shows") in [w for w, _m in contradictions(desk)]


def test_escalation_is_never_full_marks_without_ownership(desk):
    s = run(desk, ["greet", "empathise_apol", "fob_off", "confirm_follow"])
    assert s["escalation"]["verdict"] == "not_needed"
    assert s["escalation"]["percent"] <= 40 and s["escalation"]["spoiled"]


def test_grading_data_is_data():
    """Marking points, caps and their wording come from scoring/grading.yaml."""
    from scoring import spec

    g = spec.grading()
    levels = {mp["id"]: mp["level"] for mp in g["marking_points"]}
    assert set(levels.values()) == {"pass", "distinction"}
    whens = [tuple(c["when"].items())[0] for c in g["caps"]]
    assert ("law", "uncorrected") in whens and ("law", "corrected") in whens
    assert ("mistake", "rude") in whens and ("outcome", "unresolved") in whens
    assert len(spec.course_points()["points"]) == 27


def test_the_grade_reason_names_every_rule_that_capped_it(desk):
    s = run(desk, ["greet", "empathise_apol", "over_remit", "leave_it"])
    assert s["grade"] == "pass"
    assert "beyond your own authority" in s["grade_reason"]
    assert "left with the problem unresolved" in s["grade_reason"]
    rules = {c["rule"] for c in s["caps"]}
    assert rules == {"agreeing something beyond your authority", "a problem left unresolved"}


def test_the_method_lists_the_caps_from_grading_yaml(desk):
    from scoring.debrief import build

    sess = Runtime(desk).new_session(seed=1)
    sess.replay(BEST)
    line = build(desk, sess.transcript())["method"]["lines"][1]
    assert "oversharing personal data" in line and "fail the attempt" in line
    assert "agreeing something beyond your authority" in line and "stop a distinction" in line
