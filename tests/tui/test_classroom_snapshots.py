"""How the projector looks at a small (80×24) and a large (160×45) terminal.

Review `snapshot_report.html` before `--snapshot-update`. No timer here: a ticking clock would
make the pictures depend on the machine's speed.
"""

from __future__ import annotations

import pytest
from test_classroom_support import make_app


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path))


SIZES = [(80, 24), (160, 45)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_class_votes(snap_compare, size):
    assert snap_compare(make_app(), press=["1", "1", "2", "1", "3"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_class_tie_then_reveal(snap_compare, size):
    assert snap_compare(make_app(), press=["1", "2", "enter", "2"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_teams_turn_and_scoreboard(snap_compare, size):
    app = make_app(teams=["Red", "Blue", "Green"])
    assert snap_compare(
        app, press=["1", "enter", "n", "2", "enter", "n", "1", "1"], terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_class_debrief_for_two_teams(snap_compare, size):
    keys = [
        "1",
        "enter",
        "n",
        "2",
        "enter",
        "n",
        "1",
        "enter",
        "n",
        "1",
        "enter",
        "n",
        "1",
        "enter",
        "n",
    ]
    assert snap_compare(make_app(teams=["Red", "Blue"]), press=keys, terminal_size=size)
