"""Issue 32 in the app for the second helper's conversations: at 80x24, `countertalk --lang cy play
ID` shows no English from the first screen to the debrief (the scan of tests/tui/test_welsh.py with
each scenario's own English added). As in plain mode, no line is excused: the debrief's quotes of
scoring/laws.yaml are Welsh too.
"""

from __future__ import annotations

import pytest
from conftest import REPO, make_app, settle
from test_welsh import visible_text

from simulator.engine import i18n
from tests.e2e.test_welsh_plain_more import SCENARIOS, english_in


@pytest.fixture
def welsh():
    i18n.set_default("cy")
    yield
    i18n.set_default(None)


def english_on(app, name: str) -> list[str]:
    return [
        f"{english_in(line, name)}: {line}" for line in visible_text(app) if english_in(line, name)
    ]


@pytest.mark.parametrize("name", SCENARIOS)
async def test_a_welsh_conversation_at_80x24_shows_no_english(welsh, name):
    app = make_app(
        REPO / "scenarios" / f"{name}.yaml", seed=1, pack=REPO / "scenarios", learner="Siôn"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False), timeout=15)
        screen = app.screen
        turns = 0
        while not screen.play.ended:
            turns += 1
            assert turns < 25
            assert english_on(app, name) == [], f"turn {turns}"
            await pilot.press("1")
            await settle(pilot)
        assert english_on(app, name) == [], "the ending"
        await pilot.press("d")
        await settle(pilot, lambda: app.screen is not screen, timeout=15)
        await settle(pilot)
        shown = visible_text(app)
        assert any("Iaith yr ymgais: Cymraeg." in line for line in shown), shown[:20]
        bad = [line for line in shown if english_in(line, name)]
        assert bad == [], bad[:10]


@pytest.mark.parametrize("name", ["sort-internal-external-customers", "order-complaint-referral"])
async def test_a_welsh_activity_in_the_app_shows_no_english(welsh, name):
    """The app's activity screen in Welsh at 80x24, every question to the result: its own
    words (question count, Next, the result, the keys) went through the catalogue too late to be
    caught by the conversation scans; this one reads every screen."""
    from pathlib import Path

    from test_rough_edges import activity_app

    from simulator.tui.screens.activity import ActivityScreen
    from tests.e2e.test_welsh_plain_more import _interface_or_function_words, english_activity

    own_words = ("Question", "Next", "Result", "More", "Progress", "Back up", "See your result")

    def english(line: str) -> list[str]:
        return (
            _interface_or_function_words(line)
            + [r for r in english_activity(name) if r in line]
            + [w for w in own_words if w in line]  # single words the scan lets through
        )

    app = activity_app(name, seed=1)
    assert Path(app.options.activity.source).stem == name
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ActivityScreen))
        screen = app.screen
        steps = 0
        while screen.ex.run.current is not None:
            steps += 1
            assert steps < 30
            bad = [line for line in visible_text(app) if english(line)]
            assert bad == [], (steps, bad)
            await pilot.press("a")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
        shown = visible_text(app)
        assert any(line.startswith("Canlyniad") for line in shown), shown[:10]
        bad = [line for line in shown if english(line)]
        assert bad == [], bad
