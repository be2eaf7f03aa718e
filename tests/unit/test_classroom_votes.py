"""The tally and the countdown: what the tutor's keys do to them."""

from __future__ import annotations

import pytest

from simulator.classroom.timer import EXTEND_BY, Countdown
from simulator.classroom.votes import VoteBoard


def test_votes_add_remove_and_share():
    b = VoteBoard([1, 2, 3])
    for n in (1, 1, 3):
        assert b.add(n)
    assert not b.add(4)  # not an option: nothing changes
    assert b.counts == {1: 2, 2: 0, 3: 1} and b.total == 3
    assert b.leaders() == [1] and not b.tied
    assert b.share(1) == pytest.approx(2 / 3)
    assert not b.remove(2)  # never below zero
    assert b.remove(1)
    assert b.counts == {1: 1, 2: 0, 3: 1} and b.leaders() == [1, 3] and b.tied


def test_undo_takes_back_the_last_key_whichever_it_was():
    b = VoteBoard([1, 2])
    b.add(1), b.add(2), b.remove(1)
    assert b.undo() == (1, -1) and b.counts == {1: 1, 2: 1}
    assert b.undo() == (2, +1) and b.counts == {1: 1, 2: 0}
    assert b.undo() == (1, +1) and b.total == 0
    assert b.undo() is None and not b.can_undo


def test_no_votes_means_no_leader():
    b = VoteBoard([1, 2])
    assert b.leaders() == [] and not b.tied and b.share(1) == 0.0


def test_restored_votes_can_be_corrected():
    b = VoteBoard([1, 2, 3], {1: 2, 3: 2, 9: 5})
    assert b.counts == {1: 2, 2: 0, 3: 2} and b.tied
    b.remove(3)
    assert b.leaders() == [1]


def test_countdown_pause_extend_and_restart():
    c = Countdown(30)
    assert c.clock() == "0:30"
    c.tick(10.5)
    assert c.clock() == "0:20"  # rounded up: 19.5 s left reads 0:20
    c.toggle_pause()
    c.tick(100)
    assert c.remaining == pytest.approx(19.5)  # paused: time stands still
    c.toggle_pause()
    assert c.tick(19.5) is True and c.expired and c.clock() == "0:00"
    assert c.tick(1) is False  # runs out once
    c.extend()
    assert c.remaining == EXTEND_BY and not c.expired
    c.restart()
    assert c.remaining == 30 and c.length == 30 and not c.paused


def test_countdown_needs_time():
    with pytest.raises(ValueError):
        Countdown(0)
