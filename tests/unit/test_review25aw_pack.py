"""Review 25aw (truth25ay): no debrief sentence false of the path, in scenario data
(tests/calibration/reviews/review25aw.md: class 2, play 12; class 5, plays 04, 05 and 09; class 6,
plays 10 and 15; class 3's data, play 14).

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
review25aw's playNN.json and tests/calibration/review25aw.yaml) and reads what the examiner read,
or a sibling path the same sentence reaches. Each failed on main before this branch."""

from __future__ import annotations

from tests.replay import printed, review_play, scored

PLAYS = {
    n: review_play("review25aw", int(n)) for n in ("04", "05", "09", "10", "12", "14", "15")
}


def _said(n: str) -> str:
    """The whole debrief as printed (the ending's text, then the assessment), spaces folded."""
    _t, said = printed(*PLAYS[n])
    return said


# -- class 2, play 12: speaking to the companion once is a slip, taken back at once ---------------


def test_play12_talking_to_the_companion_is_a_slip_taken_back_so_a_pass() -> None:
    sid, seed, ids = PLAYS["12"]
    assert ids[:2] == ["opening.3", "talks_to_companion.1"]
    result = scored(sid, seed, ids)
    assert result["grade"] == "pass"
    said = _said("12")
    assert "Mistakes: none." not in said
    assert "Nothing in this assessed attempt needs fixing" not in said
    assert "Turn 1, Talking past the customer." in said
    assert "then turned back and spoke to them directly" in said


def test_play12_sibling_the_companion_slip_never_taken_back_still_fails() -> None:
    """Carrying on talking over Tom (talks_to_companion.2) is still discrimination, a fail, and
    the first turn's slip is not taken back."""
    sid, seed, _ids = PLAYS["12"]
    result = scored(sid, seed, ["opening.3", "talks_to_companion.2"])
    assert result["complete"]
    assert result["grade"] == "fail"
    assert "discrimination" in str(result["mistakes"])
    assert "talks_past" in str(result["mistakes"])
    assert "talks_past" not in str(result["withdrawn"])
