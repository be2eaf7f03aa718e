"""Support for the classroom tests (no tests here): the app with a fixed seed, and its text."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.content import Content
from textual.widgets import Static

from simulator.classroom.room import ClassRoom
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from simulator.tui.classroom.app import ClassroomApp

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"


def make_app(
    *, teams=None, timer=None, store=None, notes_dir=None, seed=1, path=KETTLE
) -> ClassroomApp:
    room = ClassRoom(
        Runtime(load_scenario(path)),
        teams=teams,
        seed=seed,
        store=store,
        scenario_path=str(path),
        class_session="test-session",
    )
    return ClassroomApp(room, timer=timer, notes_dir=notes_dir)


def screen_text(app) -> str:
    """Every visible Static's text on the current screen, in order (what the room can read)."""
    out = []
    for w in app.screen.query(Static):
        if not w.display or not all(a.display for a in w.ancestors if hasattr(a, "display")):
            continue
        c = w.content
        if isinstance(c, Content):
            out.append(c.plain)
        elif isinstance(c, str):
            out.append(c)
        else:  # a Rich renderable (the debrief's tables): render it as the screen would
            console = Console(width=w.size.width or 80, record=True, file=io.StringIO())
            console.print(c)
            out.append(console.export_text())
    return "\n".join(out)
