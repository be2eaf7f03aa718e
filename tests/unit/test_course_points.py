"""The course's law points need evidence about the law (scoring/course.py, issue 25 §3): a
conversation with no law, or an attempt silent on it, says nothing; a misstatement never
withdrawn is missed; a law applied right (and none left wrong) is met — whatever the other
marking points behind the course point say."""

from __future__ import annotations

from scoring.course import course_status


def _score(right=(), wrong=(), open_=(), points=None):
    met = points or {"follow_rules": "met", "explain_clearly": "met", "check_understanding": "met"}
    return {
        "law": {"right": list(right), "wrong": list(wrong)},
        "law_open": list(open_),
        "law_corrected": {"corrected": bool(wrong) and not open_},
        "marking_points": [{"id": k, "status": v} for k, v in met.items()],
    }


def test_no_law_no_evidence_for_the_law_points():
    st = course_status(_score())
    assert "legislation_in_practice" not in st and "consumer_law_knowledge" not in st
    assert st["policies_in_practice"] == "met"  # points not about the law still count


def test_consumer_law_point_needs_a_consumer_law():
    st = course_status(_score(right=["data_protection_act_2018.sar_free"]))
    assert st["legislation_in_practice"] == "met"
    assert "consumer_law_knowledge" not in st  # a data request says nothing about the CRA
    st = course_status(_score(right=["consumer_rights_act_2015.short_term_reject"]))
    assert st["consumer_law_knowledge"] == st["legislation_in_practice"] == "met"


def test_a_misstatement_never_withdrawn_is_missed_and_a_withdrawn_one_is_not():
    cra = "consumer_rights_act_2015.short_term_reject"
    st = course_status(_score(right=[cra], wrong=[cra], open_=["consumer_rights_act_2015"]))
    assert st["consumer_law_knowledge"] == "missed"
    st = course_status(_score(right=[cra], wrong=[cra]))
    assert st["consumer_law_knowledge"] == "met"


def test_law_applied_right_does_not_hide_a_missed_evidence_point():
    cra = "consumer_rights_act_2015"
    st = course_status(_score(right=[cra], points={"follow_rules": "missed"}))
    assert st["consumer_law_knowledge"] == "missed"
