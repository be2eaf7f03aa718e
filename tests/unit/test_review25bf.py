"""Review 25bf (truth25bg): every debrief sentence true of the path
(tests/calibration/reviews/review25bf.md: class 1, play 07; class 4, play 15). Class 2 (play 06)
is not here: review 25k's examiner graded the same option Pass, so it waits on the lead
(see truth25bg's report).

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
tests/calibration/review25bf.yaml) and reads what the examiner read. Each failed on main (c6cae35)
before this branch."""

from __future__ import annotations

from tests.replay import printed, review_play, scored

PLAY07 = review_play("review25bf", 7)


# -- class 1: ownership taken back in words at turn 3 is placed at turn 3 (play 07) ---------------


def test_play07_ownership_taken_back_at_turn_3_is_named_at_turn_3_in_every_section() -> None:
    sid, seed, ids = PLAY07
    assert ids[1:3] == ["vents.2", "blamed.1"]  # blamed the contractor, then "I'll take ownership"
    s = scored(sid, seed, ids)
    assert s["grade"] == "pass"  # the examiner's grade
    _t, said = printed(sid, seed, ids)
    assert "took ownership at turn 6" not in said
    assert "made up for by what you did at turn 6" not in said
    assert "took back and put right at turn 3" in said
    assert 'Takes ownership of the problem. Shown by: "take action" at turn 4' in said
    assert "after the slip at turn 2 (no ownership), taken back at turn 3" in said


# -- class 4: a blanket no-headwear rule is named as indirect discrimination (play 15) ------------


def test_play15_the_law_section_names_the_blanket_rule_not_only_the_direct_test() -> None:
    sid, seed, ids = review_play("review25bf", 15)
    _t, said = printed(sid, seed, ids)
    assert (
        "you treated the customer worse because of a protected characteristic (direct or indirect"
        not in said
    )
    assert (
        "At turn 2 you put the customer at a disadvantage by a rule applied to everyone, or treated "
        "them worse, because of a protected characteristic (indirect or direct discrimination), "
        "contrary to the Equality Act 2010"
    ) in said
