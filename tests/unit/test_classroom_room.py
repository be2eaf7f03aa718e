"""A class session without a screen: majority, ties, teams in turn, undo, recording."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.classroom.room import ClassRoom, ClassroomError, parse_teams
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from simulator.store import Store

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"


@pytest.fixture(scope="module")
def runtime():
    return Runtime(load_scenario(KETTLE))


def vote(room, *numbers):
    for n in numbers:
        assert room.board.add(n)


def test_majority_is_locked_in_and_every_option_is_previewed(runtime):
    room = ClassRoom(runtime, seed=3)
    vote(room, 1, 1, 2)
    d = room.lock()
    assert (d.number, d.choice_id, d.votes) == (1, "opening.1", {1: 2, 2: 1, 3: 0})
    assert [p.choice_id for p in d.previews] == ["opening.1", "opening.2", "opening.3"]
    receipt = d.previews[1]
    assert receipt.feedback == "Opening with proof of purchase sounds like suspicion."
    assert receipt.mistakes == (("defensive", "Defensive"),)
    assert (receipt.mood_before, receipt.mood_after) == (40, 30)
    assert receipt.reaction == "It's here. Why does that matter?"  # what she would have said
    manager = d.previews[2]
    assert manager.escalate == "supervisor" and manager.outcome == "escalated"
    # Previews are played on scratch sessions: the class's run only took option 1.
    assert room.run.session.state == "fault_described" and room.run.session.mood == 50
    assert len(runtime.machine.models) == 1  # scratch sessions were detached again


def test_a_tie_needs_the_tutor(runtime):
    room = ClassRoom(runtime, seed=3)
    with pytest.raises(ClassroomError, match="no votes"):
        room.lock()
    vote(room, 1, 2)
    with pytest.raises(ClassroomError, match="tie"):
        room.lock()
    with pytest.raises(ClassroomError, match="not among"):
        room.lock(3)
    d = room.lock(2)
    assert d.number == 2 and d.tied == [1, 2]


def test_teams_take_turns_on_one_machine_and_ended_teams_are_skipped(runtime):
    before = len(runtime.machine.models)
    room = ClassRoom(runtime, teams=["Red", "Blue", "Green"], seed=3)
    assert len(runtime.machine.models) == before + 3
    assert room.run.name == "Red" and room.round == 1
    vote(room, 3)
    room.lock()  # Red escalates at once: its conversation ends
    assert room.runs[0].ended and room.advance() and room.run.name == "Blue"
    vote(room, 1)
    room.lock()
    assert room.advance() and room.run.name == "Green"
    vote(room, 2)
    room.lock()
    assert room.advance() and room.run.name == "Blue" and room.round == 2  # Red is skipped
    board = {r.team: r for r in room.scoreboard()}
    assert board["Red"].outcome == "escalated" and board["Red"].mistakes == 1
    assert board["Blue"].behaviours == 3 and board["Blue"].current
    assert board["Green"].mood == 30 and board["Green"].mood_word == "annoyed"


def test_undo_rebuilds_the_team_and_gives_it_the_turn_back(runtime):
    room = ClassRoom(runtime, teams=["Red", "Blue"], seed=5)
    vote(room, 1)
    room.lock()
    room.advance()
    vote(room, 2, 2, 1)
    room.lock()
    room.advance()
    assert room.run.name == "Red"
    undone = room.undo_decision()
    assert (undone.team, undone.choice_id) == ("Blue", "opening.2")
    assert room.run.name == "Blue" and room.run.session.state == "opening"
    assert room.run.session.mood == 40 and room.run.session.turn == 0
    assert room.board.counts == {1: 1, 2: 2, 3: 0}  # the tally comes back to be corrected
    room.board.remove(2)
    room.board.remove(2)
    room.lock()
    assert room.runs[1].history == ["opening.1"]
    # Red's run was untouched by Blue's undo.
    assert room.runs[0].history == ["opening.1"] and room.runs[0].session.mood == 50


def test_undo_after_the_last_choice_reopens_the_conversation(runtime):
    room = ClassRoom(runtime, seed=1)
    vote(room, 1)
    room.lock()
    room.advance()
    vote(room, 1)
    room.lock()
    assert room.run.ended
    room.undo_decision()
    assert not room.run.ended and room.run.session.state == "fault_described"
    # Same seed, same replay: the customer says the same words as before.
    again = ClassRoom(runtime, seed=1)
    vote(again, 1)
    again.lock()
    assert room.run.session.line == again.run.session.line


def test_recorded_in_the_store_with_undo_and_finish(runtime, tmp_path):
    store = Store(tmp_path / "ct.db")
    room = ClassRoom(runtime, teams=["Red", "Blue"], seed=2, store=store, scenario_path=str(KETTLE))
    for n in (2, 1):  # Red: receipt first; Blue: acknowledge
        vote(room, n)
        room.lock()
        room.advance()
    vote(room, 2)  # Red repeats the demand ...
    room.lock()
    room.undo_decision()  # ... and the tutor takes it back
    assert store.attempt(room.runs[0].attempt_id).choices == ["opening.2"]
    assert room.board.counts == {1: 0, 2: 1}
    room.board.clear()
    plays = {"Red": [1, 1], "Blue": [1]}
    while True:
        vote(room, plays[room.run.name].pop(0))
        room.lock()
        if not room.advance():
            break
    assert room.finished
    attempts = store.attempts(finished_only=True)
    assert {a.learner for a in attempts} == {"Red", "Blue"}
    for a in attempts:
        assert a.mode == "classroom" and a.class_session == room.class_session
        assert a.team == a.learner and a.outcome == "resolved"
    red = next(a for a in attempts if a.learner == "Red")
    assert red.choices == ["opening.2", "receipt_first.1", "fault_described.1"]
    assert red.transcript["learner"] == "Red"
    store.close()


def test_whole_class_is_recorded_as_class_and_quitting_abandons(runtime, tmp_path):
    store = Store(tmp_path / "ct.db")
    room = ClassRoom(runtime, seed=2, store=store)
    vote(room, 1)
    room.lock()
    room.abandon()
    a = store.attempt(room.runs[0].attempt_id)
    assert a.learner == "class" and a.team is None and a.abandoned_at is not None
    assert store.unfinished(learner="class") == []
    store.close()


@pytest.mark.parametrize(
    "text, names", [("Red, Blue", ["Red", "Blue"]), ("A,B,C,D,E,F", list("ABCDEF"))]
)
def test_team_names(text, names):
    assert parse_teams(text) == names


@pytest.mark.parametrize("text", ["Red", "A,B,C,D,E,F,G", "Red,red", ",,"])
def test_bad_team_names(text):
    with pytest.raises(ClassroomError):
        parse_teams(text)


def test_classroom_logic_stays_headless():
    code = (
        "import sys, simulator.classroom, simulator.classroom.debrief; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_store_that_fails_mid_lesson_is_said_once_and_the_lesson_goes_on(runtime, tmp_path):
    import sqlite3

    store = Store(tmp_path / "ct.db", timeout=0.05)
    room = ClassRoom(runtime, teams=["Red", "Blue"], seed=2, store=store)
    vote(room, 1)
    room.lock()
    room.advance()
    other = sqlite3.connect(store.path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the database
    try:
        vote(room, 1)
        room.lock()  # Blue's decision cannot be saved: no exception, the class plays on
    finally:
        other.rollback()
        other.close()
    assert room.store_problem.startswith("results are no longer being saved")
    assert all(r.attempt.store is None for r in room.runs)  # nobody half-saved from here on
    room.advance()
    vote(room, 1)
    room.lock()
    assert room.runs[0].history == ["opening.1", "fault_described.1"]
    assert room.runs[1].attempt_id is None  # Blue's first choice never saved: no empty attempt
    store.close()


def test_classroom_transcripts_carry_mode_and_ending_line(runtime, tmp_path):
    store = Store(tmp_path / "ct.db")
    room = ClassRoom(runtime, seed=2, store=store)
    for n in (1, 1):
        vote(room, n)
        room.lock()
        room.advance()
    assert room.finished
    t = store.attempt(room.runs[0].attempt_id).transcript
    assert t["mode"] == "classroom" and t["ending_line"] and t["ending"] == "refunded"
    store.close()


def test_previews_from_the_runs_state_match_previews_by_replay(runtime):
    from simulator.classroom.previews import preview_options

    before = len(runtime.machine.models)
    s = runtime.new_session(seed=3, learner="Red")
    s.choose(2)
    replayed = preview_options(runtime, seed=3, history=["opening.2"], learner="Red")
    restored = preview_options(
        runtime, seed=3, history=["opening.2"], learner="Red", state=s.snapshot()
    )
    s.close()
    assert restored == replayed and len(restored) >= 1
    assert len(runtime.machine.models) == before  # every scratch session was detached again


def test_the_lesson_plays_and_records_through_the_exercise_service(runtime, tmp_path):
    """Issue 27: the classroom is one more user of the exercise service. Every team's run is
    opened, answered and undone by the service (its listeners hear each step), and the store is
    written by the service's one recording policy, not by the room."""
    from simulator.exercise.service import ExerciseService
    from simulator.exercise.views import Ended, Opened, Stepped

    store = Store(tmp_path / "ct.db")
    service = ExerciseService(store)
    heard = []
    service.subscribe(heard.append)
    room = ClassRoom(runtime, teams=["Red", "Blue"], seed=2, service=service)
    assert [type(e) for e in heard] == [Opened, Opened]
    assert room.store is store
    vote(room, 1)
    room.lock()
    assert type(heard[-1]) is Stepped and heard[-1].view.mode == "classroom"
    room.undo_decision()
    assert type(heard[-1]) is Stepped and heard[-1].view.number == 1
    plays = {"Red": [1, 1], "Blue": [1, 1]}
    while True:
        vote(room, plays[room.run.name].pop(0))
        room.lock()
        if not room.advance():
            break
    assert sum(type(e) is Ended for e in heard) == 2
    scores = [r.score for r in room.runs]
    assert all(s is not None and s.grade for s in scores)  # the typed score, not a dict
    rows = {a.learner: a for a in store.attempts(finished_only=True)}
    assert set(rows) == {"Red", "Blue"} and rows["Red"].choices == [
        "opening.1",
        "fault_described.1",
    ]
    store.close()


def test_the_room_uses_no_attempt_of_its_own():
    """The room reaches the store only through the exercise service: it imports neither
    simulator.attempt nor the store's writers."""
    import ast

    room_py = Path(__file__).resolve().parents[2] / "simulator" / "classroom" / "room.py"
    tree = ast.parse(room_py.read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "simulator.attempt" not in imported
    calls = {
        n.func.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }
    assert not calls & {"start_attempt", "record_choice", "finish_attempt", "abandon_attempt"}
