"""Issue 32 in the classroom: the projector app started with `--lang cy` runs a lesson at 80x24
— votes, a tie the tutor breaks, remove mode, pause, the timer running out, the reveal with every
option, undo, the end-the-class question, the teams' scoreboard and the class debrief — and no
screen shows English (each screen scanned as tests/tui/test_welsh.py scans a conversation, the
debrief's Rich tables rendered as the projector draws them)."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from test_classroom_support import screen_text
from test_welsh import visible_text

from simulator.classroom.room import ClassRoom
from simulator.engine import i18n
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from simulator.engine.strings import localised
from simulator.tui.classroom.app import ClassroomApp, EndClassDialog
from simulator.tui.classroom.debrief_screen import ClassDebriefScreen
from tests.e2e.test_welsh_plain import english_in

SPILL = REPO / "scenarios" / "spill-in-aisle.yaml"
# A saved file's path is a name, not prose: "class-notes-spill-in-aisle-t.md" says "in".
NOTES_FILE = re.compile(r"\S*class-notes-\S+")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))


@pytest.fixture
def welsh():
    i18n.set_default("cy")
    yield
    i18n.set_default(None)


def make_app(tmp_path, *, teams=None, timer=None) -> ClassroomApp:
    scenario = localised(load_scenario(SPILL), i18n.current())
    room = ClassRoom(
        Runtime(scenario), teams=teams, seed=1, scenario_path=str(SPILL), class_session="t"
    )
    return ClassroomApp(room, timer=timer, notes_dir=tmp_path / "notes")


def shown(app) -> list[str]:
    """Every line the projector shows now: widgets, border titles, the footer's keys, the title
    bar, and the class debrief's tables as drawn."""
    lines = visible_text(app) + screen_text(app).splitlines()
    return [NOTES_FILE.sub(" ", line) for line in lines if line.strip()]


class Scan:
    def __init__(self, app) -> None:
        self.app, self.screens, self.bad = app, 0, []

    def __call__(self, where: str) -> list[str]:
        lines = shown(self.app)
        self.screens += 1
        self.bad += [f"{where}: {english_in(line)}: {line}" for line in lines if english_in(line)]
        return lines


async def test_a_welsh_lesson_on_the_projector_shows_no_english(tmp_path, welsh):
    app = make_app(tmp_path, timer=2)
    async with app.run_test(size=(80, 24)) as pilot:
        scan = Scan(app)
        room = app.room
        text = scan("first decision")
        assert any("Penderfyniad 1" in line for line in text), text[:5]
        await pilot.press("minus")
        scan("remove mode")
        await pilot.press("escape", "p")
        scan("paused")
        await pilot.press("p")
        await pilot.pause(2.5)  # the 2-second timer runs out with no votes
        await pilot.pause()
        text = scan("time is up")
        assert any("AMSER AR BEN" in line for line in text), text
        await pilot.press("plus", "1", "2", "enter")  # a tie
        text = scan("tie")
        assert any("Mae'n gyfartal rhwng 1 neu 2" in line for line in text), text
        await pilot.press("1")
        await pilot.pause()
        scan("reveal after a tie")
        await pilot.press("v")
        await pilot.pause()
        scan("every option shown")
        await pilot.press("u")  # (what undo says is read in the lesson without a timer, below)
        await pilot.pause()
        scan("decision undone")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, EndClassDialog)
        scan("end the class?")
        await pilot.press("escape")
        await pilot.pause()
        decisions = 0
        while not room.run.ended:
            decisions += 1
            assert decisions < 15
            await pilot.press("minus", "1")  # nothing to take off: the room is told so
            scan(f"decision {decisions}: nothing to take off")
            await pilot.press("1", "1", "2")
            await pilot.pause()
            scan(f"decision {decisions}: votes")
            await pilot.press("enter")
            await pilot.pause()
            scan(f"decision {decisions}: reveal")
            await pilot.press("n")
            await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ClassDebriefScreen)
        text = scan("class debrief")
        assert any("Ôl-drafodaeth y dosbarth" in line for line in text)
        assert any("Cwestiynau trafod" in line for line in text)
        await pilot.press("s")
        await pilot.pause()
        text = scan("notes saved")
        assert any("Wedi cadw nodiadau'r dosbarth" in line for line in text)
        await pilot.press("h")
        await pilot.pause()
        assert scan.screens > 15
        assert scan.bad == []
    # The class notes saved from it (s: Markdown, h: HTML) are Welsh too; the scenario's id and
    # the session's (code spans, for the tutor's files) are names, not prose.
    (html,) = (tmp_path / "notes").glob("*.html")
    (md,) = (tmp_path / "notes").glob("*.md")
    assert 'lang="cy"' in html.read_text(encoding="utf-8")
    for path, code in ((md, r"`[^`]*`"), (html, r"<code>.*?</code>|<style>.*?</style>|<[^>]+>")):
        text = re.sub(code, " ", path.read_text(encoding="utf-8"), flags=re.S)
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) > 15 and any("Cwestiynau trafod" in line for line in lines)
        bad = [f"{path.suffix}: {english_in(line)}: {line}" for line in lines if english_in(line)]
        assert bad == []


async def test_a_welsh_team_lesson_shows_no_english(tmp_path, welsh):
    app = make_app(tmp_path, teams=["Draig", "Barcud"])
    async with app.run_test(size=(80, 24)) as pilot:
        scan = Scan(app)
        room = app.room
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        text = scan("decision undone")
        assert any("Wedi dadwneud: penderfyniad 1 gan Draig" in line for line in text), text
        turns = 0
        while not all(r.ended for r in room.runs):
            turns += 1
            assert turns < 30
            await pilot.press("1", "enter")
            await pilot.pause()
            scan(f"turn {turns}: reveal")
            await pilot.press("n")
            await pilot.pause()
            scan(f"turn {turns}: next")
        if not isinstance(app.screen, ClassDebriefScreen):
            await pilot.press("n")
            await pilot.pause()
        assert isinstance(app.screen, ClassDebriefScreen)
        text = scan("class debrief")
        assert any("Tîm" in line for line in text)
        assert scan.bad == []


async def test_the_same_scan_finds_english_on_the_english_projector(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        scan = Scan(app)
        await pilot.press("1", "enter")
        await pilot.pause()
        scan("reveal")
        assert len(scan.bad) > 10, scan.bad
