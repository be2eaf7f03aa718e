"""At 80x24 (college terminals, a split laptop screen) the learner sees, after every choice, the
Coach's words for it beside the customer's reply, and every option on offer without scrolling.

"Visible" is checked on the laid-out screen: the widget is displayed, its region lies inside the
screen above the footer, and it has nothing scrolled out of view — not merely mounted."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, make_app, settle

from simulator.engine.pack import scenario_files  # noqa: E402

SHIPPED = scenario_files(REPO / "scenarios")  # scenarios, not their NAME.test.yaml


async def _open(app, pilot):
    await settle(pilot, lambda: getattr(app.screen, "ready", False), timeout=15)
    return app.screen


def _in_view(app, widget) -> bool:
    screen = app.screen.region
    footer = app.screen.query_one("KeyFooter").region
    r = widget.region
    return (
        widget.display
        and r.height > 0
        and r.y >= screen.y
        and r.bottom <= footer.y
        and r.right <= screen.right
    )


def _all_options_in_view(app) -> None:
    from simulator.tui.widgets.choice_list import ChoiceList

    choices = app.screen.query_one(ChoiceList)
    assert _in_view(app, choices), "the options are off screen"
    assert choices.max_scroll_y == 0, (
        f"{choices.option_count} options need scrolling at {app.size}: "
        f"{choices.virtual_size.height} lines in {choices.scrollable_content_region.height}"
    )
    assert choices.option_count == len(app.screen.offered)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_feedback_and_every_option_are_in_view_at_80x24(path: Path):
    from simulator.tui.widgets.chat import ChatView

    app = make_app(path, seed=3, pack=REPO / "scenarios")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        _all_options_in_view(app)
        for _turn in range(3):
            if screen.play.ended:
                break
            await pilot.press("1")
            await settle(pilot)
            if screen.play.ended:
                break
            feedback = [e.text for e in screen.play.events if e.kind == "feedback"]
            coach = screen.query_one("#coach")
            if feedback and screen.play.events[-1].kind == "customer":
                last_turn = [
                    e for e in reversed(screen.play.events) if e.kind in ("learner", "feedback")
                ]
                if last_turn and last_turn[0].kind == "feedback":
                    chat = screen.query_one(ChatView)
                    whole_turn_in_chat = (
                        chat.lines_since_last("learner") <= chat.scrollable_content_region.height
                        and chat.scroll_y == chat.max_scroll_y
                    )
                    in_strip = _in_view(app, coach) and last_turn[0].text[:40] in str(coach.visual)
                    assert whole_turn_in_chat or in_strip, (
                        "the Coach's words for this choice are off screen"
                    )
            # The customer's reply is at the bottom of the chat, in view.
            chat = screen.query_one(ChatView)
            assert _in_view(app, chat) and chat.scroll_y == chat.max_scroll_y
            _all_options_in_view(app)


async def test_wide_terminal_keeps_coaching_in_the_chat_only():
    from conftest import KETTLE

    app = make_app(KETTLE)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("2")
        await settle(pilot)
        assert not screen.query_one("#coach").display
        assert any(line.startswith("Coach:") for line in screen.query_one("ChatView").plain_lines())


async def test_quitting_mid_conversation_asks_and_says_how_to_resume(home):
    from conftest import KETTLE

    from simulator.tui.screens.dialogs import QuitDialog

    app = make_app(KETTLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        await pilot.press("ctrl+q")
        # No choice made yet: nothing to lose, so it quits at once, with nothing to resume.
    assert app.return_code == 0 and app.resume_hint is None
    app = make_app(KETTLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        await pilot.press("2", "ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, QuitDialog))
        dialog = app.screen
        body = str(dialog.query_one(".dialog-body").visual)
        assert "--resume" in body and "kettle" in body
        await pilot.press("escape")  # keep playing
        await settle(pilot)
        assert not isinstance(app.screen, QuitDialog) and app.is_running
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, QuitDialog))
        await pilot.press("q")
        await settle(pilot)
    hint = app.resume_hint or ""
    assert "kettle.yaml --resume" in hint and hint.endswith("--learner sam"), hint


def _footer_fits(app) -> list[str]:
    """The keys the footer offers, each drawn whole inside the screen and clear of the others."""
    footer = app.screen.query_one("KeyFooter")
    shown = footer.shown()
    placed = footer.placed
    for item, label in zip(placed, shown):
        assert item.end - item.start >= len(label), f"'{label}' is cut"
        assert item.end <= app.size.width, f"'{label}' runs past the screen: {item.end}"
    for a, b in zip(placed, placed[1:]):
        assert a.end <= b.start, (a.description, b.description)
    return shown


async def test_every_footer_key_fits_at_80_columns():
    from conftest import KETTLE, PACK

    from simulator.tui.screens.debrief import DebriefScreen

    app = make_app(None, pack=PACK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.screen.__class__.__name__ == "PickerScreen")
        await settle(pilot)
        assert "^q Quit" in _footer_fits(app)
    app = make_app(KETTLE, no_save=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        assert "^q Quit" in _footer_fits(app)
        await pilot.press("1", "1", "d")
        await settle(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await settle(pilot)
        shown = _footer_fits(app)
        assert {"r Replay", "t Retry", "^q Quit"} <= set(shown), shown


async def test_clicking_a_footer_key_does_what_the_key_does(home):
    from conftest import KETTLE

    from simulator.tui.screens.dialogs import QuitDialog

    app = make_app(KETTLE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("2")
        footer = screen.query_one("KeyFooter")
        item = next(i for i in footer.placed if i.description == "Quit")
        await pilot.click("KeyFooter", offset=(item.start + 1, 0))
        await settle(pilot, lambda: isinstance(app.screen, QuitDialog))
