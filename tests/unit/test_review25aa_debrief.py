"""Review 25aa (tests/calibration/reviews/review25aa.md): debrief sentences an examiner found
false of the path, by class. Each test replays the examiner's path (choice ids from the review
branch's playNN.json) and reads the assessed debrief."""

from __future__ import annotations

from tests.replay import assessed, review_play, text

PLAY05 = review_play("review25aa", 5)
PLAY07 = review_play("review25aa", 7)
PLAY09 = review_play("review25aa", 9)
PLAY15 = review_play("review25aa", 15)


def _points(view):
    """{point id: met|missed} from the debrief's marking points."""
    return {
        p["id"]: status
        for status in ("met", "missed")
        for p in view["marking_points"].get(status) or []
    }


# -- class 1: "Practise next" names what stands, not a turn withdrawn --------------------------


def test_play05_practise_names_the_misstatement_that_stands():
    _t, view = assessed(*PLAY05)
    assert view["practise"]["why"].startswith("Turn 4 misstated it")
    # the things to change point at the standing turn before the one withdrawn
    law_items = [c for c in view["change"] if "Turn 2:" in c["text"]]
    standing = [c for c in view["change"] if "Turn 4:" in c["text"]]
    assert standing and (
        not law_items or view["change"].index(standing[0]) < view["change"].index(law_items[0])
    )


def test_play07_practise_names_the_slip_that_stands_not_the_one_taken_back():
    _t, view = assessed(*PLAY07)
    assert view["practise"].get("turn") == 7


# -- class 2: one unowned sub-answer in a case kept and resolved -------------------------------


def test_play07_no_passing_away_and_no_escalation_point_missed():
    _t, view = assessed(*PLAY07)
    out = text(view)
    assert "Passed the customer away" not in out
    assert "neither put right nor handed" not in out
    assert "rightly keeping the case" not in out
    pts = _points(view)
    assert pts["escalate_well"] == "met"
    shown = {p["id"]: p["shown_by"] for p in view["marking_points"]["met"]}
    assert shown["escalate_well"] == "no escalation was needed, and none was made"
    assert pts["within_limits"] == "met"
    missed = {p["id"] for p in view["course_points"]["missed"]}
    assert "applies_policies" not in missed  # confidentiality was kept throughout
    assert "professional_boundaries" not in missed  # nothing needed referring, none made
    assert "policies_in_practice" not in missed


def test_play07_one_unowned_answer_in_an_owned_case_is_a_pass():
    _t, view = assessed(*PLAY07)
    assert view["grade"] == "pass"
    assert _points(view)["take_ownership"] == "met"


def test_play09_heading_follows_the_path_nobody_was_passed_anywhere():
    _t, view = assessed(*PLAY09)
    out = text(view)
    assert "Passed the customer away" not in out
    assert view["escalation"]["escalations"] == []


# -- class 3: an escalation left with the wrong role is never kept or credited -----------------


def test_play15_wrong_role_escalation_is_not_a_thing_to_keep():
    _t, view = assessed(*PLAY15)
    keep = [k["title"] for k in view["keep"]]
    assert "Escalating well" not in keep


def test_play15_wrong_role_referral_meets_no_referring_course_point_and_says_so():
    _t, view = assessed(*PLAY15)
    met = {p["id"] for p in view["course_points"]["met"]}
    assert not met & {"professional_boundaries", "complaint_referral_procedure"}
    shown = {p["id"]: p.get("shown_by", "") for p in view["marking_points"]["met"]}
    if "escalate_well" in shown:
        assert "also referred to a role that cannot deal with it" in shown["escalate_well"]


# -- class 5c: one verdict on the law ----------------------------------------------------------

PLAY12 = review_play("review25aa", 12)


def test_play12_law_is_not_called_unassessed_beside_not_applied():
    _t, view = assessed(*PLAY12)
    out = text(view)
    assert "You did not apply the law" in out
    assert "not assessed here" not in out


# -- class 6: a step said aloud in a turn with a mistake is said, with why it did not count ----

PLAY10 = review_play("review25aa", 10)
PLAY14 = review_play("review25aa", 14)


def test_play10_steps_said_with_a_mistake_say_why_they_did_not_count():
    _t, view = assessed(*PLAY10)
    out = text(view)
    assert "none of the course's steps was shown" not in out
    assert "Apologise: not shown." not in out
    assert "Apologise: said at turn 1, but not counted" in out
    missed = {p["id"]: p["why"] for p in view["marking_points"]["missed"]}
    assert "turn 2" in missed["identify_expectations"]
    assert "did not count" in missed["identify_expectations"]


def test_play14_and_play09_questions_with_a_mistake_are_named():
    for play, n in ((PLAY14, 1), (PLAY09, 4)):
        _t, view = assessed(*play)
        missed = {p["id"]: p["why"] for p in view["marking_points"]["missed"]}
        assert f"at turn {n}, but that turn also made a mistake" in missed["identify_expectations"]
