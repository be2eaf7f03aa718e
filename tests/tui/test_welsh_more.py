"""Issue 32 in the app for the second helper's conversations: at 80x24, `countertalk --lang cy play
ID` shows no English from the first screen to the debrief (the scan of tests/tui/test_welsh.py with
each scenario's own English added). As in plain mode, the only lines excused are the debrief's
quotes of scoring/laws.yaml texts that have no Welsh in the catalogue yet (xfail while they last).
"""

from __future__ import annotations

import pytest
from conftest import REPO, make_app, settle
from test_welsh import visible_text

from simulator.engine import i18n
from tests.e2e.test_welsh_plain_more import SCENARIOS, english_in, is_law_text


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
        other = [line for line in bad if not is_law_text(line)]
        assert other == [], other[:10]
        if bad:
            pytest.xfail(
                f"{len(bad)} debrief line(s) quote scoring/laws.yaml texts not yet in Welsh"
            )
