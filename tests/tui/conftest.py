"""Shared helpers for the app's Pilot and snapshot tests.

Every test gets its own results store under tmp_path (COUNTERTALK_HOME) and fixed seeds, so runs
are deterministic and never touch a real learner's data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PACK = HERE / "pack"
KETTLE = PACK / "kettle.yaml"
PARCEL = PACK / "parcel-late.yaml"
HOSTILE = HERE / "fixtures" / "hostile.yaml"
REPO = HERE.parents[1]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    h = tmp_path / "home"
    monkeypatch.setenv("COUNTERTALK_HOME", str(h))
    return h


@pytest.fixture
def kettle_copy(tmp_path) -> Path:
    p = tmp_path / "kettle.yaml"
    shutil.copy(KETTLE, p)
    return p


def make_app(path: Path | None = None, **kw):
    from simulator.tui.app import AppOptions, CounterTalkApp

    kw.setdefault("learner", "sam")
    kw.setdefault("pack", PACK)
    kw.setdefault("seed", 3)
    return CounterTalkApp(AppOptions(path=path, **kw))


def screen_text(app) -> str:
    """Everything the current screen shows, as plain text (what a learner reads)."""
    from textual.widgets import Static

    parts = []
    for w in app.screen.query("*"):
        if isinstance(w, Static) and w.display:
            parts.append(str(w.visual) if hasattr(w, "visual") else "")
    return "\n".join(parts)


def chat_lines(app) -> list[str]:
    from simulator.tui.widgets.chat import ChatView

    return app.screen.query_one(ChatView).plain_lines()


async def settle(pilot, until=None, timeout: float = 5.0):
    """Let the app process pending work; optionally wait until a condition holds."""
    import asyncio
    import time

    end = time.monotonic() + timeout
    await pilot.pause()
    while until is not None and not until():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the app")
        await asyncio.sleep(0.02)
        await pilot.pause()
