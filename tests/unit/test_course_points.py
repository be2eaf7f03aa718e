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


def test_a_point_about_the_law_is_decided_by_the_law():
    """Review 25b B5: "Applied correctly, at turn 7" beside "Missed: Identifies the key laws"
    contradicted itself. A law stated correctly, none left misstated, is the evidence a point
    about knowing the law needs, whatever other marking point was missed (a data slip does not
    show ignorance of consumer law); a misstatement left standing still misses it."""
    cra = "consumer_rights_act_2015"
    st = course_status(_score(right=[cra], points={"follow_rules": "missed"}))
    assert st["consumer_law_knowledge"] == "met"
    assert st["legislation_in_practice"] == "met"
    st = course_status(_score(right=[cra], wrong=[cra], open_=[cra]))
    assert st["consumer_law_knowledge"] == "missed"


def test_referral_points_need_a_referral_not_a_case_kept():
    """Review 25b §C: 'Names a concrete way of referring a case on' and 'Follows the right
    procedure for referring a complaint' were met by 'dealt with it yourself'. Now they need a
    referral made (or, for the first, a referral route explained); a case rightly kept is no
    evidence either way, and brand values are not assessed by a conversation."""
    kept = _score()
    kept["escalation"] = {"verdict": "not_needed", "escalated_to": [], "handover": False}
    kept["marking_points"].append({"id": "escalate_well", "status": "met"})
    st = course_status(kept)
    assert "referral_methods" not in st and "complaint_referral_procedure" not in st
    assert "brand_behaviours" not in st
    referred = _score()
    referred["escalation"] = {
        "verdict": "correct",
        "escalated_to": ["team_leader"],
        "handover": True,
        "premature": False,
        "spoiled": False,
    }
    st = course_status(referred)
    assert st["referral_methods"] == st["complaint_referral_procedure"] == "met"
    referred["escalation"]["handover"] = False  # a cold transfer
    st = course_status(referred)
    assert st["referral_methods"] == st["complaint_referral_procedure"] == "missed"
    signposted = _score()
    signposted["escalation"] = kept["escalation"]
    signposted["shown"] = {"signpost": 3}
    st = course_status(signposted)
    assert st["referral_methods"] == "met" and "complaint_referral_procedure" not in st
    missed = _score()
    missed["escalation"] = {"verdict": "missed", "escalated_to": []}
    assert course_status(missed)["complaint_referral_procedure"] == "missed"
