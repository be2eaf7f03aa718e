"""The class debrief: paths side by side with the best one, grades, prompts, and the notes files."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.classroom import debrief
from simulator.classroom.room import ClassRoom
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def play(room, plays):
    while True:
        room.board.add(plays[room.run.name].pop(0))
        room.lock()
        if not room.advance():
            return


@pytest.fixture
def two_teams():
    room = ClassRoom(
        Runtime(load_scenario(FIXTURES / "kettle.yaml")), teams=["Red", "Blue"], seed=4
    )
    play(room, {"Red": [1, 1], "Blue": [2, 1, 1]})
    return room


def test_paths_side_by_side_with_grades_and_the_best_path(two_teams):
    db = debrief.build(two_teams)
    red, blue = db.teams
    assert [s.text for s in red.steps] == [
        "I'm sorry it's let you down. What happened when you tried it?",
        "You're within 30 days, so you're entitled to a full refund.",
    ]
    assert blue.steps[0].mistakes == ["Defensive"] and len(blue.steps) == 3
    assert red.outcome == blue.outcome == "resolved"
    if red.grade is not None:  # the scorer grades every finished run
        assert red.percent > blue.percent
    assert db.rows == 3
    if db.best is not None:  # path analysis: the best path starts by acknowledging
        assert db.best[0] == red.steps[0].text
        assert db.best_grade in ("pass", "distinction")


def test_mistakes_become_discussion_points(two_teams):
    db = debrief.build(two_teams)
    (note,) = db.mistakes
    assert note.id == "defensive" and note.made_by == ["Blue (turn 1)"]
    # The better reply is the clean option that was on offer at that moment.
    assert note.better == ["I'm sorry it's let you down. What happened when you tried it?"]
    assert db.prompts[0] == debrief.MISTAKE_PROMPTS["defensive"]
    assert set(debrief.GENERAL_PROMPTS) <= set(db.prompts)


def test_markdown_and_html_notes(two_teams, tmp_path):
    db = debrief.build(two_teams)
    md_path = debrief.save(db, tmp_path / "notes", "md")
    html_path = debrief.save(db, tmp_path / "notes", "html")
    assert md_path.parent == html_path.parent == tmp_path / "notes"
    md = md_path.read_text(encoding="utf-8")
    assert "| Turn | Red | Blue |" in md.replace(" | Best path |", " |")
    assert "Have you got the receipt? ⚠ Defensive" in md
    assert "## Discussion prompts" in md and debrief.MISTAKE_PROMPTS["defensive"] in md
    page = html_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<th>Red</th>" in page
    assert "Have you got the receipt?" in page


def test_scenario_text_is_data_in_the_notes(tmp_path):
    src = (
        (FIXTURES / "kettle.yaml")
        .read_text(encoding="utf-8")
        .replace('"Have you got the receipt?"', '"<b>Receipt</b> [bold]now[/bold] | *please*"')
    )
    path = tmp_path / "odd.yaml"
    path.write_text(src, encoding="utf-8")
    room = ClassRoom(Runtime(load_scenario(path)), seed=1)
    play(room, {"class": [2, 1, 1]})
    db = debrief.build(room)
    md = debrief.to_markdown(db)
    assert r"\<b\>Receipt\</b\> \[bold\]now\[/bold\] \| \*please\*" in md
    page = debrief.to_html(db)
    assert "&lt;b&gt;Receipt&lt;/b&gt; [bold]now[/bold] | *please*" in page
    assert "<b>Receipt" not in page


def test_class_notes_and_learner_debriefs_share_one_renderer(tmp_path):
    """One renderer and one escaper: the class notes come from scoring/templates/ like the
    learner's debrief, so both formats carry the same content (the votes too, in HTML)."""
    from scoring import render

    assert debrief.md is render.md_escape
    room = ClassRoom(Runtime(load_scenario(FIXTURES / "kettle.yaml")), seed=1)
    play(room, {"class": [2, 1, 1]})
    db = debrief.build(room)
    page = debrief.to_html(db)
    notes = debrief.to_markdown(db)
    assert "The class&#39;s votes" in page and "The class's votes" in notes
    assert "Turn 1: option 2 chosen; option 1: 0, option 2: 1, option 3: 0" in page
    assert render.environment("html").get_template("class_notes.html.j2") is not None
    assert render.md_escape("Thanks! #1 \x9b2J") == r"Thanks\! \#1 "
