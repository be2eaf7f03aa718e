"""The lesson without a screen (simulator/classroom/lesson.py): phases, votes, ties, the timer,
pause, undo, and what the room is told — what the projector screen only draws."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.classroom.lesson import REVEAL, TIEBREAK, VOTE, Lesson
from simulator.classroom.room import ClassRoom
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"


@pytest.fixture(scope="module")
def runtime():
    return Runtime(load_scenario(KETTLE))


def test_votes_reveal_and_next(runtime):
    lesson = Lesson(ClassRoom(runtime, seed=3))
    assert lesson.can("vote", 1) and not lesson.can("vote", 9) and not lesson.can("next")
    note = lesson.reveal()
    assert note.warn and "No votes yet" in note.text and lesson.phase == VOTE
    lesson.vote(1)
    lesson.vote(1)
    lesson.vote(2)
    assert lesson.reveal() is None and lesson.phase == REVEAL
    assert lesson.decision.number == 1 and lesson.can("next")
    assert "next decision" in lesson.advice().text
    assert lesson.next() and lesson.phase == VOTE and lesson.decision is None


def test_a_tie_asks_the_tutor_and_cancel_goes_back(runtime):
    lesson = Lesson(ClassRoom(runtime, seed=3))
    lesson.vote(1)
    lesson.vote(2)
    lesson.reveal()
    assert lesson.phase == TIEBREAK and lesson.tied == [1, 2]
    assert lesson.can("pick", 2) and not lesson.can("pick", 3)
    assert "tie between 1 or 2" in lesson.advice().text
    lesson.cancel()
    assert lesson.phase == VOTE and lesson.tied == []
    lesson.reveal()
    lesson.lock(2)
    assert lesson.phase == REVEAL and lesson.decision.number == 2


def test_taking_a_vote_off_and_undoing_a_key(runtime):
    lesson = Lesson(ClassRoom(runtime, seed=3))
    lesson.remove_mode()
    assert lesson.vote(1).text == "Option 1 has no votes to take off."
    lesson.vote(3)
    assert lesson.undo_vote().text == "Undone: a vote for option 3."
    assert lesson.room.board.total == 0


def test_time_up_with_no_votes_lets_the_tutor_pick(runtime):
    lesson = Lesson(ClassRoom(runtime, seed=3), timer=2)
    assert not lesson.tick() and lesson.tick()  # the second second runs it out
    assert lesson.time_up and "nobody has voted" in lesson.advice().text
    lesson.reveal()
    assert lesson.phase == TIEBREAK and lesson.picking and lesson.tied == [1, 2, 3]
    lesson.extend()
    assert not lesson.time_up


def test_pause_stops_the_clock_and_the_keys(runtime):
    lesson = Lesson(ClassRoom(runtime, seed=3), timer=5)
    lesson.pause()
    assert lesson.paused and not lesson.can("vote", 1) and not lesson.can("reveal")
    lesson.tick()
    assert lesson.countdown.remaining == 5


def test_undo_decision_brings_the_votes_back(runtime):
    lesson = Lesson(ClassRoom(runtime, seed=3))
    assert lesson.undo_decision().warn  # nothing to undo yet
    lesson.vote(2)
    lesson.reveal()
    note = lesson.undo_decision()
    assert not note.warn and "decision 1 (option 2)" in note.text
    assert lesson.phase == VOTE and lesson.room.board.counts[2] == 1


def test_out_of_file_handles_at_the_reveal_keeps_the_lesson_going(runtime, monkeypatch):
    """Issue 31: EMFILE at the last reveal killed the app and left the class with no debrief.
    Now the tutor is told, nothing changes, and the same reveal works once handles are back."""
    import errno

    room = ClassRoom(runtime, seed=3)
    lesson = Lesson(room)
    lesson.vote(1)
    real_lock = room.lock

    def exhausted(number=None):
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(room, "lock", exhausted)
    note = lesson.reveal()
    assert note is not None and note.warn and "nothing was lost" in note.text
    assert lesson.phase == VOTE and lesson.decision is None and not room.run.session.turns
    monkeypatch.setattr(room, "lock", real_lock)
    assert lesson.reveal() is None and lesson.phase == REVEAL and lesson.decision.number == 1


def test_the_timer_waits_while_no_phone_has_joined(runtime):
    """Issue 30: with phones on, the timer ran down while "0 phones joined"."""
    from simulator.classroom.phones import PhoneHub

    hub = PhoneHub(code="ABCD23")
    lesson = Lesson(ClassRoom(runtime, seed=3), timer=5, phones=hub)
    assert lesson.waiting_for_phones
    for _ in range(10):
        assert lesson.tick(1.0) is False
    assert lesson.countdown is not None and not lesson.countdown.expired
    hub.connect("a" * 16)
    assert not lesson.waiting_for_phones
    ran_out = [lesson.tick(1.0) for _ in range(5)]
    assert ran_out[-1] is True and lesson.time_up


def test_phones_get_the_countdown_and_the_briefing_the_projector_shows(runtime):
    """Issue 30: the phone page showed no countdown and left out the note shown with the line
    (for example "Policy: … your own goodwill limit is £25"), which voters need."""
    from simulator.classroom.phones import PhoneHub

    hub = PhoneHub(code="ABCD23")
    lesson = Lesson(ClassRoom(runtime, seed=3), timer=30, phones=hub)
    lesson.open_phone_round()
    s = hub.state()
    assert s["time_left"] == 30 and s["time_waiting"] is True  # no phone yet: it waits
    hub.connect("a" * 16)
    lesson.tick(1.0)
    s = hub.state()
    assert s["time_left"] == 29 and s["time_waiting"] is False
    lesson.vote(1)
    lesson.reveal()
    assert lesson.next()
    note = (lesson.room.run.session.note or "").strip()
    assert note  # the kettle's second state has a stage note
    assert hub.state()["note"] == note
