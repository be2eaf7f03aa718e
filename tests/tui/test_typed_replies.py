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


# -- assessment by recall in the app, and the resume offer (issue 26) ---------------------------
async def test_assessment_of_a_scenario_written_for_recall_is_typed_by_default(home):
    from simulator.tui.widgets.choice_list import ChoiceList
    from simulator.tui.widgets.reply_box import ReplyBox

    app = make_app(TYPED, assess=True)  # no --type: every choice has examples
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        assert screen.typing and screen.query_one(ReplyBox).has_focus
        assert not screen.query_one(ChoiceList).display
    app = make_app(TYPED, assess=True, reply_mode="pick")  # --pick opts out
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        assert not screen.typing and screen.query_one(ChoiceList).display
    app = make_app(TYPED)  # practice: the remembered setting (none yet: pick)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        assert not screen.typing


async def test_a_scenario_not_written_for_recall_is_picked_in_assessment(home):
    from conftest import KETTLE

    app = make_app(KETTLE, assess=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        assert not screen.typing


async def test_the_debrief_names_the_turns_where_the_options_were_shown(home):
    from simulator.tui.screens.debrief import DebriefScreen

    app = make_app(TYPED, assess=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        await type_line(pilot, "?")  # turn 1: the options were needed
        await type_line(pilot, "1")
        await settle(pilot)
        while not screen.play.ended:  # the rest by recall (a number still picks)
            await type_line(pilot, "1")
        assert [t.choice for t in screen.play.transcript().turns][0] == "opening.1"
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, DebriefScreen))
        text = str(app.screen.query_one("#options-needed").visual)
        assert text.startswith("The options were shown at turn 1: recall")
        turns = app.screen.query_one("#turns")
        rows = [str(w.visual) for w in turns.query(".turn")]
        assert "(The options were shown here.)" in rows[0]
        assert all("(The options were shown here.)" not in r for r in rows[1:])


async def test_the_debrief_quotes_what_was_typed(home):
    from simulator.tui.screens.debrief import DebriefScreen

    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_typed(app, pilot)
        await type_line(pilot, "so sorry, whats gone wrong with it?")
        while not screen.play.ended:
            await type_line(pilot, "1")
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, DebriefScreen))
        first = str(app.screen.query_one("#turns").query(".turn").first().visual)
        assert "You typed: \u201cso sorry, whats gone wrong with it?\u201d" in first
        assert "Taken as: I'm sorry it's let you down." in first


async def _one_unfinished_typed_attempt(pilot, screen) -> int:
    await type_line(pilot, "2")
    aid = screen.play.attempt_id
    assert aid is not None and not screen.play.ended
    return aid


async def test_type_offers_to_resume_an_unfinished_attempt(home):
    from simulator.store import Store
    from simulator.tui.screens.dialogs import ResumeDialog

    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        aid = await _one_unfinished_typed_attempt(pilot, await open_typed(app, pilot))
    app = make_app(TYPED, reply_mode="type", seed=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ResumeDialog))
        assert "You made 1 choice last time" in str(app.screen.query(".dialog-body").first().visual)
        await pilot.press("r")
        screen = await open_typed(app, pilot)
        assert screen.play.attempt_id == aid and screen.play.choices == ["opening.2"]
        assert "Welcome back: resumed at turn 2." in str(screen.query_one("#coach").visual)
    with Store(home / "countertalk.db") as st:
        assert st.attempt(aid).abandoned_at is None


async def test_a_new_attempt_instead_keeps_the_old_one_no_longer_offered(home):
    from simulator.store import Store
    from simulator.tui.screens.dialogs import ResumeDialog

    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        aid = await _one_unfinished_typed_attempt(pilot, await open_typed(app, pilot))
    app = make_app(TYPED, reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ResumeDialog))
        await pilot.press("n")
        screen = await open_typed(app, pilot)
        assert screen.play.choices == [] and screen.play.attempt_id is None
    with Store(home / "countertalk.db") as st:
        assert st.attempt(aid).abandoned_at is not None
        assert st.latest_unfinished(learner="sam", scenario_id="typed-kettle") is None


async def test_picking_asks_nothing_and_an_assessment_is_not_offered_to_practice(home):
    from simulator.tui.screens.dialogs import ResumeDialog

    app = make_app(TYPED, reply_mode="type", assess=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _one_unfinished_typed_attempt(pilot, await open_typed(app, pilot))
    for kw in ({"reply_mode": "type"}, {"reply_mode": "pick", "assess": True}):
        app = make_app(TYPED, **kw)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_typed(app, pilot)
            assert not isinstance(app.screen, ResumeDialog)
