"""The phone hub and the hands-plus-phones tally, without a network or a screen."""

from __future__ import annotations

import pytest

from simulator.classroom.phone_board import HandsAndPhones
from simulator.classroom.phones import (
    CODE_ALPHABET,
    LIVE_SECONDS,
    PhoneCodeError,
    PhoneHub,
    PhoneOption,
    new_code,
    normalise_code,
)
from simulator.classroom.votes import VoteBoard
from simulator.classroom.web.limits import Buckets

A, B = "a" * 16, "b" * 16


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def hub_with_round(**kw) -> PhoneHub:
    hub = PhoneHub(code="ABCD23", **kw)
    hub.new_round(customer="Ann", line="Hi", options=[PhoneOption(1, "x"), PhoneOption(2, "y")])
    return hub


def test_codes_are_readable_and_checked_without_case():
    code = new_code()
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    assert normalise_code(" k7px4q ") == "K7PX4Q"
    for bad in ("", "abc", "a b c d", "<script>", "x" * 13):
        with pytest.raises(PhoneCodeError):
            normalise_code(bad)
    hub = PhoneHub(code="abcd23")
    assert hub.check_code("ABCD23") and hub.check_code("abcd23 ")
    assert not hub.check_code("ABCD24") and not hub.check_code(None) and not hub.check_code(7)


def test_one_ballot_per_phone_per_round():
    hub = hub_with_round()
    assert hub.vote(A, 1, 1).status == "accepted"
    assert hub.vote(A, 1, 1).status == "duplicate"
    answer = hub.vote(A, 1, 2)
    assert (answer.status, answer.option) == ("changed", 2)
    assert hub.vote(B, 1, 2).status == "accepted"
    assert hub.counts() == {1: 0, 2: 2}
    assert hub.vote(A, 2, 1).status == "invalid"  # a round that has not started
    assert hub.vote(A, 1, 3).status == "invalid"
    assert hub.vote(A, True, 1).status == "invalid"  # bools are not round numbers
    assert hub.vote("x", 1, 1).status == "invalid"
    assert hub.counts() == {1: 0, 2: 2}


def test_rounds_close_reveal_and_move_on():
    hub = hub_with_round()
    seen = []
    hub.on_state(lambda: seen.append(hub.phase))
    hub.vote(A, 1, 1)
    hub.close("time is up")
    hub.close("time is up")  # no change, no broadcast
    assert hub.vote(B, 1, 1).message == "Voting is closed: time is up"
    hub.reopen()
    hub.reveal(1, {1: 4, 2: 0}, team="class", turn=1)
    assert hub.state(A)["chosen"] == 1 and hub.state(A)["votes"] == {"1": 4, "2": 0}
    assert hub.vote(B, 1, 2).status == "closed"
    hub.new_round(customer="Ann", line="Next", options=[PhoneOption(1, "z")])
    assert hub.state(A) | {"version": 0} == {
        "round": 2,
        "open": True,
        "phase": "vote",
        "reason": "",
        "title": "",
        "customer": "Ann",
        "line": "Next",
        "note": "",
        "time_left": None,
        "time_waiting": False,
        "options": [{"number": 1, "text": "z"}],
        "teams": [],
        "team": None,
        "version": 0,
        "your_vote": None,
    }
    assert hub.vote(A, 1, 1).status == "closed"  # late, for the old round
    assert seen == ["closed", "vote", "reveal", "vote"]
    assert hub.phone_votes("class", 1) == {1: 1, 2: 0}
    record = hub.take_back("class", 1)
    assert record.ballots == {A: 1} and hub.phone_votes("class", 1) == {}
    hub.end()
    assert hub.state()["phase"] == "ended" and hub.vote(A, 2, 1).status == "closed"


def test_undo_brings_ballots_back():
    hub = hub_with_round()
    hub.vote(A, 1, 2)
    hub.reveal(2, {1: 0, 2: 1}, team="class", turn=1)
    record = hub.take_back("class", 1)
    hub.new_round(customer="Ann", line="Hi", options=hub.options, carry=record.ballots)
    assert hub.counts() == {1: 0, 2: 1}
    assert hub.vote(A, 2, 2).status == "duplicate"


def test_teams_vote_in_turn():
    hub = PhoneHub(code="ABCD23", teams=["Red", "Blue"])
    hub.new_round(customer="Ann", line="Hi", options=[PhoneOption(1, "x")], team="Red")
    assert hub.vote(A, 1, 1, "Blue").message == "It's Red's turn to decide."
    assert hub.vote(A, 1, 1, "Green").status == "invalid"
    assert hub.vote(A, 1, 1, "Red").status == "accepted"
    assert hub.vote(B, 1, 1).status == "accepted"


def test_joined_counts_live_phones_only():
    clock = Clock()
    hub = hub_with_round(clock=clock)
    hub.touch(A)
    hub.connect(B)
    hub.touch("not a device")
    assert hub.joined() == 2
    clock.now += LIVE_SECONDS + 1
    assert hub.joined() == 1  # B's websocket is still open
    hub.disconnect(B)
    assert hub.joined() == 0  # B closed the page: no longer joined, at once (issue 30)
    clock.now += LIVE_SECONDS + 1
    hub.forget_idle()
    assert hub.joined() == 0


def test_a_phone_with_two_tabs_counts_until_the_last_closes():
    hub = hub_with_round(clock=Clock())
    hub.connect(A)
    hub.connect(A)
    hub.disconnect(A)
    assert hub.joined() == 1
    hub.disconnect(A)
    assert hub.joined() == 0


def test_hands_and_phones_add_up_but_stay_apart():
    hands = VoteBoard([1, 2, 3])
    hands.add(1)
    hands.add(1)
    board = HandsAndPhones.from_board(hands, {2: 2, 9: 5})
    assert board.counts == {1: 2, 2: 0, 3: 0} and board.phones == {1: 0, 2: 2, 3: 0}
    assert board.as_dict() == {1: 2, 2: 2, 3: 0} and board.total == 4
    assert board.leaders() == [1, 2] and board.tied
    assert board.share(2) == 0.5
    assert not board.remove(2)  # a phone's vote cannot be taken off by a key
    assert board.undo() == (1, 1)  # the tutor's last key, as before
    assert board.leaders() == [2]
    board.set_phones({})
    assert board.leaders() == [1] and board.phone_total == 0 and board.hand_total == 1


def test_limits_buckets():
    clock = Clock()
    buckets = Buckets(rate=1.0, burst=2.0, clock=clock)
    assert [buckets.take("x") for _ in range(3)] == [True, True, False]
    clock.now += 1.0
    assert buckets.take("x") and buckets.take("y")
