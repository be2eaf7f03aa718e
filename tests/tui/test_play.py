"""Playing in the app by keys, arrows, Enter and the mouse; autosave; resume; errors shown."""

from __future__ import annotations

import json

from conftest import HOSTILE, KETTLE, PARCEL, chat_lines, make_app, settle

from simulator.store import Store


def store_at(home):
    return Store(home / "countertalk.db")


async def open_play(app, pilot):
    await settle(pilot, lambda: getattr(app.screen, "ready", False))
    return app.screen


async def test_the_first_frame_is_the_play_screen_itself(home):
    """`countertalk play` opens straight on the play screen (title, mode, a loading line) while
    the scenario is checked in a thread started with the app; the customer's line and the
    options follow on the same screen, with nothing in between to replace."""
    from simulator.tui.screens.play import PlayScreen

    for path, assess, title, mode in (
        (KETTLE, False, "Faulty kettle", "practice"),
        (HOSTILE, True, "[bold red]Hostile[/] title", "assessment"),
    ):
        app = make_app(path, assess=assess)
        async with app.run_test(size=(80, 24)) as pilot:
            first = app.screen
            assert isinstance(first, PlayScreen)
            assert first.title.startswith(title[:20]) and first.sub_title == mode
            screen = await open_play(app, pilot)
            assert screen is first
            assert chat_lines(app)[0].startswith(("Priya Shah: ", "([italic]"))


async def test_practice_mode_shows_feedback_and_mood_after_each_choice(home):
    app = make_app(KETTLE)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_play(app, pilot)
        assert chat_lines(app) == [
            "Priya Shah: I bought this kettle 12 days ago and it's stopped working."
        ]
        await pilot.press("2")  # "Have you got the receipt?"
        lines = chat_lines(app)
        assert lines[1] == "You: Have you got the receipt?"
        assert lines[2] == "Coach: Opening with proof of purchase sounds like suspicion."
        assert lines[3] == "Mood: more upset — now annoyed"
        assert lines[-1] == "Priya Shah: It's here. Why does that matter?"
        assert "Turn 2" in str(screen.query_one("#card").render())
        assert "annoyed (30/100)" in str(screen.query_one("#card").render())


async def test_assessment_mode_holds_feedback_back(home):
    app = make_app(KETTLE, assess=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_play(app, pilot)
        await pilot.press("2")
        lines = chat_lines(app)
        assert lines[1] == "You: Have you got the receipt?"
        assert not any(line.startswith(("Coach:", "Mood:")) for line in lines)
        assert app.screen.play.feedback == ["Opening with proof of purchase sounds like suspicion."]


async def test_whole_session_by_keys_is_saved_and_written(home, tmp_path):
    out = tmp_path / "t.json"
    app = make_app(KETTLE, transcript_out=str(out))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_play(app, pilot)
        assert not screen.check_action("debrief", ())
        await pilot.press("1", "1")
        assert chat_lines(app)[-1].startswith("Conversation over — Resolved")
        # At the ending, the choice keys are hidden and the debrief key appears.
        assert screen.check_action("choose", (1,)) is False
        assert screen.check_action("debrief", ()) is True
        keys = {b.binding.action for b in app.active_bindings.values()}
        assert "debrief" in keys
        # The end row (mounted when the conversation ends) says how it ended; its button has the
        # focus, and Enter on it opens the debrief.
        await pilot.pause()
        assert "The conversation is over: resolved" in str(screen.query_one("#ended-text").visual)
        assert screen.query_one("#to-debrief").has_focus
        await pilot.press("enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "DebriefScreen")
    data = json.loads(out.read_text())
    assert [t["choice"] for t in data["turns"]] == ["opening.1", "fault_described.1"]
    assert data["ending_line"] == "Thank you, that's sorted it."
    assert data["ending_debrief"] == "The customer used her short-term right to reject."
    assert data["score"]["grade"] in ("pass", "distinction")
    with store_at(home) as st:
        [att] = st.attempts(learner="sam")
        assert att.choices == ["opening.1", "fault_described.1"]
        assert att.grade == data["score"]["grade"] and att.outcome == "resolved"
        assert att.transcript["ending_line"] == "Thank you, that's sorted it."


async def test_arrows_enter_and_mouse_choose(home):
    app = make_app(KETTLE)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_play(app, pilot)
        await pilot.press("down", "enter")  # the second choice
        assert chat_lines(app)[1] == "You: Have you got the receipt?"
        # Click the first option of the list: "Sorry — what's gone wrong with it?"
        await pilot.click("#choices", offset=(4, 1))
        await pilot.pause()
        assert "You: Sorry — what's gone wrong with it?" in chat_lines(app)


async def test_numbers_beyond_the_offer_do_nothing(home):
    app = make_app(KETTLE)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_play(app, pilot)
        assert screen.check_action("choose", (4,)) is False
        await pilot.press("7")
        assert len(chat_lines(app)) == 1


async def test_resume_replays_saved_choices_with_the_same_seed(home):
    with store_at(home) as st:
        aid = st.start_attempt(
            scenario_id="kettle-day12",
            scenario_hash="x",
            scenario_path=str(KETTLE),
            learner="sam",
            seed=5,
        )
        st.record_choice(aid, 1, "opening.2", {"choice": "opening.2"})
        st.record_choice(aid, 2, "receipt_first.1", {"choice": "receipt_first.1"})
    app = make_app(KETTLE, resume=True, seed=None)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_play(app, pilot)
        assert screen.play.seed == 5 and screen.play.attempt_id == aid
        lines = chat_lines(app)
        assert "You: Have you got the receipt?" in lines
        assert "You: Sorry — what's gone wrong with it?" in lines
        assert "Turn 3" in str(screen.query_one("#card").render())
        await pilot.press("1")  # the refund
    with store_at(home) as st:
        att = st.attempt(aid)
        assert att.finished_at is not None
        assert att.choices == ["opening.2", "receipt_first.1", "fault_described.1"]


async def test_resume_when_the_file_changed_offers_to_start_over(home, kettle_copy):
    with store_at(home) as st:
        aid = st.start_attempt(
            scenario_id="kettle-day12",
            scenario_hash="old",
            scenario_path=str(kettle_copy),
            learner="sam",
            seed=5,
        )
        st.record_choice(aid, 1, "opening.9", {"choice": "opening.9"})
    app = make_app(kettle_copy, resume=True)
    async with app.run_test(size=(100, 40)) as pilot:
        from simulator.tui.screens.dialogs import MisfitDialog

        await settle(pilot, lambda: isinstance(app.screen, MisfitDialog))
        text = str(app.screen.query(".dialog-body").first().visual)
        assert "opening.9" in text and "no longer in the scenario" in text
        await pilot.press("s")
        await settle(pilot, lambda: not isinstance(app.screen, MisfitDialog))
        assert app.screen.play.attempt_id != aid
        assert len(chat_lines(app)) == 1
    with store_at(home) as st:
        assert st.attempt(aid).abandoned_at is not None  # kept, no longer offered


async def test_no_save_records_nothing(home):
    app = make_app(KETTLE, no_save=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_play(app, pilot)
        await pilot.press("1", "1")
        assert "Not saved" in str(app.screen.query_one("#card").render())
    assert not (home / "countertalk.db").exists()


async def test_corrupt_store_is_reported_and_play_continues_unsaved(home):
    home.mkdir(parents=True)
    db = home / "countertalk.db"
    db.write_bytes(b"this is not a database" * 10)
    before = db.read_bytes()
    app = make_app(KETTLE)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_play(app, pilot)
        notes = [n.message for n in app._notifications]
        assert any("not an SQLite database" in m for m in notes)
        await pilot.press("1", "1")
        assert chat_lines(app)[-1].startswith("Conversation over")
    assert db.read_bytes() == before


async def test_hostile_markup_prints_literally(home):
    app = make_app(HOSTILE)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_play(app, pilot)
        lines = chat_lines(app)
        assert lines[0] == "([italic]She grins[/italic] $variable)"
        assert lines[1].startswith(
            "[@click=app.quit]Mallory[/] : Click [@click=app.quit]here[/] or [bold]shout[/bold] RED"
        )
        assert "\x1b" not in "".join(lines)
        card = str(screen.query_one("#card").render())
        assert card.startswith("[@click=app.quit]Mallory[/]") and "\x1b" not in card
        options = [str(o.prompt) for o in screen.query_one("#choices").options]
        assert options[0] == "1  [@click=app.quit]Quit now[/] bold?"
        assert options[1] == "2  \\[escaped] and [b]plain[/b]"
        # Clicking the customer's "link" must not quit the app.
        for y in range(6):
            await pilot.click("#chat", offset=(20, y))
        await pilot.press("1")
        assert app.is_running
        lines = chat_lines(app)
        assert "Coach: [red]Feedback markup[/red] yellow [@click=app.bell]ring[/]" in lines
        assert "Debrief link" in lines[-1] and "[@click=app.quit]" in lines[-1]
        assert app.screen.title.startswith("[bold red]Hostile[/]")


async def test_template_failure_while_playing_names_the_place(home, tmp_path):
    bad = tmp_path / "bad.yaml"
    text = KETTLE.read_text().replace(
        'say: "It\'s here. Why does that matter?"',
        'say: "It\'s here. {{ vars.days_since_purchase ~ (1 / (vars.days_since_purchase - 12)) }}"',
    )
    assert text != KETTLE.read_text()
    bad.write_text(text)
    app = make_app(bad)
    async with app.run_test(size=(100, 40)) as pilot:
        from simulator.tui.screens.dialogs import ProblemScreen

        await open_play(app, pilot)
        await pilot.press("2")
        await settle(pilot, lambda: isinstance(app.screen, ProblemScreen))
        body = " ".join(str(w.visual) for w in app.screen.query("#problem-body Static"))
        assert f"{bad}:" in body and "template failed while playing" in body
        # The failing choice was the first: nothing was made, so nothing is claimed as saved
        # and no empty attempt is left behind to resume.
        assert "saved" not in body
    with Store(app.options.store_path or (tmp_path / "home" / "countertalk.db")) as st:
        assert st.unfinished(learner="sam") == []


async def test_a_scenario_with_errors_lists_them_instead_of_crashing(home, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(KETTLE.read_text().replace("goto: refunded", "goto: refundd"))
    app = make_app(bad)
    async with app.run_test(size=(100, 40)) as pilot:
        from simulator.tui.screens.dialogs import ProblemScreen

        await settle(pilot, lambda: isinstance(app.screen, ProblemScreen))
        body = " ".join(str(w.visual) for w in app.screen.query("#problem-body Static"))
        assert f"{bad}:" in body and "refundd" in body
        await pilot.press("escape")
        await settle(pilot, lambda: not app.is_running)
    assert app.return_code == 1


async def test_parcel_scenario_to_a_lost_customer(home):
    app = make_app(PARCEL)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_play(app, pilot)
        await pilot.press("2")
        assert chat_lines(app)[-1].startswith("Conversation over — Customer lost")
