"""Issue 31, item 1, in the app: hostile values of every field, played to the debrief."""

from __future__ import annotations

from conftest import make_app, screen_text, settle
from hostile import assert_inert, hostile_scenario

from simulator.tui.screens.debrief import DebriefScreen


async def test_hostile_fields_are_inert_in_the_app_and_its_debrief(tmp_path):
    f = hostile_scenario(tmp_path)
    app = make_app(f, learner="Sam\x1b]52;c;eA==\x07", pack=tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        assert_inert("play screen", screen_text(app))
        await pilot.press("1")
        await pilot.pause()
        assert_inert("play screen after a choice", screen_text(app))
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, DebriefScreen))
        shown = screen_text(app)
        assert_inert("debrief screen", shown)
        assert "Escto" in shown  # the role was shown, cleaned
