"""Playing classroom sessions by the tutor's keys, to the end: votes, ties, reveal, undo, teams."""

from __future__ import annotations

import re

import pytest
from test_classroom_support import KETTLE, make_app, screen_text

from simulator.store import Store
from simulator.tui.classroom.debrief_screen import ClassDebriefScreen
from simulator.tui.classroom.play_screen import ClassScreen

FEEDBACK_1 = "You acknowledged the problem and invited the customer to explain."
FEEDBACK_2 = "Opening with proof of purchase sounds like suspicion."


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))


async def test_whole_class_session_by_keys(tmp_path):
    store = Store(tmp_path / "ct.db")
    app = make_app(store=store, notes_dir=tmp_path / "notes")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ClassScreen)
        room = app.room
        await pilot.press("1", "1", "2", "2", "9")  # 9 is not an option: ignored
        assert room.board.counts == {1: 2, 2: 2, 3: 0}
        await pilot.press("minus", "2", "backspace")  # take one off, then undo that
        assert room.board.counts == {1: 2, 2: 2, 3: 0}
        await pilot.press("3", "backspace")  # a mis-keyed vote, undone
        assert room.board.counts == {1: 2, 2: 2, 3: 0}
        assert "4 votes recorded" in screen_text(app)

        await pilot.press("enter")  # a tie: the tutor must pick
        assert screen.phase == "tiebreak" and screen.tied == [1, 2]
        assert "It's a tie between 1 or 2" in screen_text(app)
        await pilot.press("3")  # not among the tied: nothing happens
        assert screen.phase == "tiebreak"
        await pilot.press("2")
        assert screen.phase == "reveal"
        await pilot.pause()  # the reveal re-mounts its rows: read the screen once they are in
        text = screen_text(app)
        # Every option's consequence is on screen, the chosen one marked.
        assert FEEDBACK_1 in text and FEEDBACK_2 in text
        assert "CHOSEN (the tutor broke a tie) · 2 votes" in text and "Defensive" in text
        assert "“It's here. Why does that matter?”" in text  # the customer's reaction
        assert "Mood 40 → 30 ▼ -10" in text
        assert store.attempt(room.runs[0].attempt_id).choices == ["opening.2"]

        await pilot.press("u")  # undo the locked-in decision: the tally comes back
        assert screen.phase == "vote" and room.run.session.state == "opening"
        assert room.board.counts == {1: 2, 2: 2, 3: 0}
        assert store.attempt(room.runs[0].attempt_id).choices == []
        await pilot.press("minus", "2", "enter")  # fixed: a clear majority for 1
        assert screen.phase == "reveal" and room.run.decisions[-1].number == 1
        await pilot.press("n")
        assert screen.phase == "vote" and room.run.session.state == "fault_described"
        assert "Decision 2" in screen_text(app)
        await pilot.press("enter")  # no votes yet: nothing locks
        assert screen.phase == "vote" and "No votes yet" in screen_text(app)
        await pilot.press("1", "enter")
        assert room.run.ended and "the end" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ClassDebriefScreen)
        text = screen_text(app)
        await pilot.press("s", "h")
        await pilot.pause()
    notes = sorted((tmp_path / "notes").iterdir())
    assert [p.suffix for p in notes] == [".html", ".md"]
    md = notes[1].read_text(encoding="utf-8")
    assert "option 1 chosen (tie broken by the tutor)" not in md  # the tie was undone
    assert "Turn 1: option 1 chosen; option 1: 2, option 2: 1" in md
    (attempt,) = store.attempts(finished_only=True)
    assert attempt.learner == "class" and attempt.mode == "classroom"
    assert attempt.class_session == "test-session" and attempt.outcome == "resolved"
    assert attempt.choices == ["opening.1", "fault_described.1"]
    store.close()


async def test_two_teams_by_keys(tmp_path):
    store = Store(tmp_path / "ct.db")
    app = make_app(teams=["Red", "Blue"], store=store, notes_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "▶ RED'S TURN ◀" in screen_text(app)
        await pilot.press("1", "1", "enter")
        text = screen_text(app)
        assert FEEDBACK_1 in text and FEEDBACK_2 not in text  # kept back for Blue
        await pilot.press("v")
        assert FEEDBACK_2 in screen_text(app)
        await pilot.press("n")
        text = screen_text(app)
        assert "▶ BLUE'S TURN ◀" in text
        assert "Red  t1 uneasy" in text  # the scoreboard after Red's first turn
        await pilot.press("2", "enter", "n")  # Blue: receipt first
        await pilot.press("1", "enter", "n")  # Red: full refund, ends
        board = {r.team: r for r in app.room.scoreboard()}
        assert board["Red"].outcome == "resolved" and board["Blue"].mistakes == 1
        await pilot.press("1", "enter", "n")  # Blue recovers ...
        assert app.room.run.name == "Blue"  # ... Red has finished, so Blue goes again
        await pilot.press("1", "enter", "n")
        await pilot.pause()
        assert isinstance(app.screen, ClassDebriefScreen)
        text = screen_text(app)
        db = app.screen.data
        assert "✘ Defensive" in text and "Discussion prompts" in text
        for team in db.teams:  # each team's result row: name, ending, final mood, grade
            row = f"{team.name} resolved {team.final_mood}"
            assert row in " ".join(text.split()), text
            if team.grade:
                assert f"{team.grade.upper()} ({team.percent}%)" in text
        assert [t.name for t in db.teams] == ["Red", "Blue"]
        assert [len(t.steps) for t in db.teams] == [2, 3]
        grades = {t.name: t.grade for t in db.teams}
    attempts = {a.learner: a for a in store.attempts(finished_only=True)}
    assert set(attempts) == {"Red", "Blue"}
    assert all(a.team == a.learner and a.class_session == "test-session" for a in attempts.values())
    assert {n: a.grade for n, a in attempts.items()} == grades
    store.close()


async def test_timer_pause_extend_and_times_up():
    app = make_app(timer=20)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert re.search(r"⏱ 0:(20|1\d)", screen_text(app))  # the clock may tick meanwhile
        await pilot.press("p")
        assert screen.paused and "PAUSED" in screen_text(app)
        await pilot.press("1")  # paused: no voting
        assert app.room.board.total == 0
        await pilot.press("p", "1")
        assert app.room.board.total == 1
        screen.countdown.tick(20)
        screen.refresh_view()
        assert "Time's up" in screen_text(app)
        await pilot.press("2")  # voting has closed
        assert app.room.board.total == 1
        await pilot.press("plus", "2")
        assert app.room.board.counts[2] == 1
        assert re.search(r"⏱ 0:1[0-5]", screen_text(app))  # 15 s more, perhaps ticking


async def test_scenario_text_is_never_markup(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text(
        KETTLE.read_text(encoding="utf-8").replace(
            '"I\'ll get my manager."', '"[@click=app.quit]Manager[/] [bold]now"'
        ),
        encoding="utf-8",
    )
    app = make_app(path=path, teams=["[b]Red[/b]", "Blue"])
    async with app.run_test(size=(100, 30)) as pilot:
        text = screen_text(app)
        assert "[@click=app.quit]Manager[/] [bold]now" in text
        assert "[B]RED[/B]'S TURN" in text
        await pilot.click("#tally")
        assert app.is_running


async def test_ctrl_q_asks_before_ending_the_class(tmp_path):
    """Issue 30: ^q ended the class at once, with no confirmation."""
    from simulator.tui.classroom.app import EndClassDialog

    app = make_app(store=Store(tmp_path / "ct.db"), notes_dir=tmp_path / "notes")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, EndClassDialog)
        assert "End the class now?" in screen_text(app)
        await pilot.press("escape")  # keep going: the class and its votes are as they were
        await pilot.pause()
        assert isinstance(app.screen, ClassScreen) and app.room.board.counts[1] == 1
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
