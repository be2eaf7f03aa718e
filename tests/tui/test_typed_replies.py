"""Typed replies in the app: the reply box, "Did you mean …?", and the not-understood fallback.

Real matcher (the packaged model), real store under a temporary COUNTERTALK_HOME, 80×24.
"""

from __future__ import annotations

import json

from conftest import REPO, chat_lines, make_app, settle

TYPED = REPO / "tests" / "fixtures" / "typed-kettle.yaml"


async def open_typed(app, pilot):
    await settle(pilot, lambda: getattr(app.screen, "ready", False))
    return app.screen


async def type_line(pilot, text: str):
    screen = pilot.app.screen
    handled = screen.lines_handled
    for ch in text:
        await pilot.press("space" if ch == " " else ch)
    await pilot.press("enter")
    # The line is matched in a worker (the first may wait for the model): wait until it is dealt with.
    await settle(pilot, lambda: screen.lines_handled > handled, timeout=60)
    await settle(pilot)


async def test_a_confident_line_is_taken_and_shown_with_the_option(home):
    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        from simulator.tui.widgets.choice_list import ChoiceList
        from simulator.tui.widgets.reply_box import ReplyBox

        assert screen.query_one(ReplyBox).has_focus
        assert not screen.query_one(ChoiceList).display  # typing: the options stay hidden
        await type_line(pilot, "so sorry, whats gone wrong with it?")
        lines = chat_lines(app)
        assert lines[1].startswith("You: \u201cso sorry, whats gone wrong with it?\u201d")
        assert "(understood as: I'm sorry it's let you down." in lines[1]
        assert lines[-1] == "Priya Shah: It just won't switch on."
        assert screen.play.transcript().turns[0].confirmed is False


async def test_a_number_still_picks(home):
    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        await type_line(pilot, "2")
        assert screen.play.transcript().turns[0].choice == "opening.2"
        assert screen.play.transcript().turns[0].typed is None


async def test_unsure_asks_did_you_mean_and_enter_confirms(home):
    from simulator.tui.screens.did_you_mean import DidYouMean

    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        await type_line(pilot, "the paper slip")
        await settle(pilot, lambda: isinstance(app.screen, DidYouMean))
        assert "Have you got the receipt?" in "\n".join(
            str(w.visual) for w in app.screen.query("Static")
        )
        assert screen.play.transcript().turns == ()  # nothing taken before the answer
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen is screen)
        turn = screen.play.transcript().turns[0]
        assert turn.choice == "opening.2" and turn.confirmed is True
        assert "(you confirmed: Have you got the receipt?)" in chat_lines(app)[1]


async def test_saying_no_shows_the_numbered_options_and_takes_nothing(home):
    from simulator.tui.screens.did_you_mean import DidYouMean
    from simulator.tui.widgets.choice_list import ChoiceList

    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        await type_line(pilot, "the paper slip")
        await settle(pilot, lambda: isinstance(app.screen, DidYouMean))
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen)
        assert screen.play.transcript().turns == ()
        assert screen.query_one(ChoiceList).display


async def test_not_understood_the_customer_reacts_and_practice_shows_options(home):
    from simulator.tui.widgets.choice_list import ChoiceList

    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        await type_line(pilot, "what time is the bus")
        lines = chat_lines(app)
        assert lines[-2] == "You: \u201cwhat time is the bus\u201d  (not understood)"
        assert lines[-1] == "Priya Shah: Sorry, love, I don't follow. Can you help me or not?"
        assert screen.play.transcript().turns == ()
        assert screen.query_one(ChoiceList).display


async def test_assessment_keeps_options_hidden_until_asked(home):
    from simulator.tui.widgets.choice_list import ChoiceList

    app = make_app(TYPED, reply_mode="type", assess=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        await type_line(pilot, "what time is the bus")
        assert not screen.query_one(ChoiceList).display
        await type_line(pilot, "?")
        assert screen.query_one(ChoiceList).display


async def test_markup_typed_is_shown_as_text(home):
    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_typed(app, pilot)
        await type_line(pilot, "[b]hi[/b]")
        assert "[b]hi[/b]" in chat_lines(app)[-2]
        assert app.is_running


async def test_ctrl_t_switches_to_typing_and_is_remembered(home):
    from simulator.tui.widgets.reply_box import ReplyBox

    app = make_app(TYPED)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        assert not any(box.display for box in screen.query(ReplyBox))  # none until typing
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.query_one(ReplyBox).display and screen.query_one(ReplyBox).has_focus
    assert json.loads((home / "settings.json").read_text())["reply"] == "type"
    app = make_app(TYPED)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        assert screen.typing
