"""Review 25bf (truth25bg): every debrief sentence true of the path
(tests/calibration/reviews/review25bf.md: class 1, play 07; class 2, play 06, decided by
tests/calibration/moderation26.md case 2; class 4, play 15).

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
tests/calibration/review25bf.yaml) and reads what the examiner read. Each failed on main (c6cae35)
before this branch."""

from __future__ import annotations

from tests.replay import printed, review_play, scored

PLAY06 = review_play("review25bf", 6)
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


# -- class 2: "after that you'll have a full refund, no deductions" at month 7 (play 06) ----------


def test_play06_a_full_refund_with_no_deductions_stated_as_his_right_is_a_misstatement() -> None:
    """Brief facts 6-7 and premise 3 (moderation26.md case 2): a final refund after six months may
    carry a deduction for use, and "promising an automatic full refund" is the wrong move; told as
    what he will have, never withdrawn, it fails (the examiner's grade), and the law section and
    the course points say why in the course's words."""
    sid, seed, ids = PLAY06
    assert ids[5] == "remedy_explain.2"
    s = scored(sid, seed, ids)
    assert s["grade"] == "fail"
    _t, said = printed(sid, seed, ids)
    assert "never withdrawn and put right (turn 6)" in said
    assert "A refund on final rejection may be reduced for the use the customer has had" in said
    assert "After six months a final refund may be reduced for the use he's had" in said
    assert "You applied the law correctly" not in said
    assert "Met: Shows working knowledge of at least one major consumer law" not in said
    assert "Met: Identifies the key laws" not in said
    assert "Over-promising" not in said  # one fault, one mistake
    assert "remedy_explain" not in said  # no internal ids


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
