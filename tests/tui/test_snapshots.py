"""How the app looks: picker, play and debrief at 80×24 and 120×40 (pytest-textual-snapshot).

Review tests/tui/snapshot_report.html (written on failure) before `--snapshot-update`.
Fixed seed, a fresh results store per test, and a test pack keep every run identical.
"""

from __future__ import annotations

import pytest
from conftest import KETTLE, make_app, settle

SIZES = [(80, 24), (120, 40)]


def _ready(app):
    return lambda: getattr(app.screen, "ready", False)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_picker(snap_compare, size):
    app = make_app()

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("down")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_play(snap_compare, size):
    app = make_app(KETTLE)

    async def run_before(pilot):
        await settle(pilot, _ready(app))
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_debrief(snap_compare, size):
    from simulator.tui.screens.debrief import DebriefScreen

    app = make_app(KETTLE)

    async def run_before(pilot):
        await settle(pilot, _ready(app))
        await pilot.press("2", "1", "1", "d")
        await settle(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_high_contrast_play(snap_compare):
    app = make_app(KETTLE, theme="high-contrast")

    async def run_before(pilot):
        await settle(pilot, _ready(app))
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
