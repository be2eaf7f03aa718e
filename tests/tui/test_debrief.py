"""The debrief screen: everything the scorer found, replay, retry from a turn, save."""

from __future__ import annotations

from conftest import KETTLE, chat_lines, make_app, settle

from simulator.store import Store
from simulator.tui.screens.debrief import DebriefScreen


def text_of(screen, selector: str) -> str:
    return "\n".join(str(w.visual) for w in screen.query(f"{selector} Static")) or "\n".join(
        str(w.visual) for w in screen.query(selector)
    )


async def play_to_debrief(app, pilot, *keys):
    await settle(pilot, lambda: getattr(app.screen, "ready", False))
    await pilot.press(*keys)
    await pilot.press("d")
    await settle(pilot, lambda: isinstance(app.screen, DebriefScreen))
    return app.screen


async def test_debrief_shows_what_the_scorer_found(home):
    app = make_app(KETTLE)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await play_to_debrief(app, pilot, "2", "1", "1")
        v = screen.view
        grade = str(screen.query_one("#grade").visual)
        assert grade.startswith(f"{v.grade_label.upper()}  {v.percent}%")
        assert v.grade_reason in grade
        assert "Priya Shah: Thank you, that's sorted it." in grade
        assert "The customer used her short-term right to reject." in grade
        mistakes = text_of(screen, "#mistakes")
        assert "Turn 1: Defensive — you said “Have you got the receipt?”" in mistakes
        better = v.mistakes[0].better
        assert f"Better choice: “{better.text}”" in mistakes
        models = text_of(screen, "#models")
        assert "HEAT" in models and "✗ Empathise — not shown" in models
        assert "✓ Hear — turn 2" in models
        assert v.escalation.verdict_label in text_of(screen, "#escalation")
        assert "✓ Applied right: Consumer Rights Act 2015 (turn 3)" in text_of(screen, "#law")
        mood = text_of(screen, "#mood")
        assert "turn 1 " in mood and " 30 annoyed" in mood
        marking = text_of(screen, "#marking")
        assert all(m.label in marking for m in v.marking_points.missed)
        assert v.practise.title in text_of(screen, "#practise")
        # What "met" needs, beside each course point, from the same read model as the plain,
        # Markdown and HTML debriefs (truth25g g: the TUI alone lacked it).
        course = text_of(screen, "#course")
        points = (*v.course_points.met, *v.course_points.missed)
        assert points and all(p.needs for p in points)
        assert all(f"Met needs: {p.needs}." in " ".join(course.split()) for p in points)
        turns = text_of(screen, "#turns")
        assert "Coach: Opening with proof of purchase sounds like suspicion." in turns
        # Escape goes back to the finished conversation.
        await pilot.press("escape")
        assert not isinstance(app.screen, DebriefScreen)
        assert chat_lines(app)[-1].startswith("Conversation over")


async def test_assessment_feedback_appears_only_in_the_debrief(home):
    app = make_app(KETTLE, assess=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        await pilot.press("2", "1", "1")
        assert not any("Coach:" in line for line in chat_lines(app))
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, DebriefScreen))
        screen = app.screen
        assert "Coach: Opening with proof of purchase sounds like suspicion." in text_of(
            screen, "#turns"
        )
        assert screen.check_action("retry", ()) is False  # assessment attempts are played once
        keys = {b.binding.action for b in app.active_bindings.values()}
        assert "retry" not in keys and "replay" in keys


async def test_retry_from_a_turn_replays_earlier_choices_in_a_new_attempt(home):
    app = make_app(KETTLE)
    async with app.run_test(size=(100, 40)) as pilot:
        await play_to_debrief(app, pilot, "2", "1", "1")
        first = app.screen.play.attempt_id
        await pilot.press("t")
        from simulator.tui.screens.dialogs import RetryDialog

        await settle(pilot, lambda: isinstance(app.screen, RetryDialog))
        await pilot.press("down", "enter")  # turn 2
        await settle(
            pilot,
            lambda: (
                getattr(app.screen, "play", None) is not None
                and not isinstance(app.screen, (RetryDialog, DebriefScreen))
            ),
        )
        play = app.screen.play
        assert play.attempt_id != first and play.choices == ["opening.2"]
        assert (
            play.current().line == "It's here. Why does that matter?" and play.seed == 3
        )  # receipt_first
        assert chat_lines(app)[-1] == "Priya Shah: It's here. Why does that matter?"
        await pilot.press("2")  # a different choice this time
        assert play.choices == ["opening.2", "receipt_first.2"]
    with Store(home / "countertalk.db") as st:
        assert st.attempt(first).finished_at is not None
        assert st.attempt(play.attempt_id).choices == ["opening.2", "receipt_first.2"]


async def test_replay_starts_again_from_the_beginning(home):
    app = make_app(KETTLE)
    async with app.run_test(size=(100, 40)) as pilot:
        await play_to_debrief(app, pilot, "1", "1")
        first = app.screen.play.attempt_id
        await pilot.press("r")
        await settle(pilot, lambda: not isinstance(app.screen, DebriefScreen))
        assert app.screen.play.attempt_id != first
        assert len(chat_lines(app)) == 1 and app.screen.play.choices == []


async def test_save_markdown_here_and_html_where_typed(home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(KETTLE)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await play_to_debrief(app, pilot, "1", "1")
        await pilot.press("m")
        [md] = screen.saved
        assert md == tmp_path / "kettle-day12-debrief.md"  # the first save has no number
        await pilot.press("m")
        assert screen.saved[1] == tmp_path / "kettle-day12-debrief-2.md"  # never overwrites
        screen.saved.pop()
        assert "Faulty kettle" in md.read_text() and f"{screen.view.percent}%" in md.read_text()
        assert any(str(md) in n.message for n in app._notifications)
        await pilot.press("s")
        from simulator.tui.screens.dialogs import SaveAsDialog

        await settle(pilot, lambda: isinstance(app.screen, SaveAsDialog))
        inp = app.screen.query_one("Input")
        inp.value = ""
        await pilot.press(*"out/my debrief.html")
        (tmp_path / "out").mkdir()
        await pilot.press("enter")
        await settle(pilot, lambda: len(screen.saved) == 2)
        html = tmp_path / "out" / "my debrief.html"
        assert screen.saved[1] == html
        assert "<html" in html.read_text().lower()
        # A path that cannot be written is reported, not a crash.
        assert screen.save_to(tmp_path / "missing-dir" / "x.md", "md") is None
        await pilot.pause()
        assert any("Could not save" in n.message for n in app._notifications)


async def test_every_shipped_scenario_plays_to_a_debrief_by_keys(home):
    """Each scenario of the shipped pack, always taking the first choice, reaches an ending
    whose debrief shows a grade (bounded: a loop of first choices would fail the test)."""
    from simulator.engine.loader import scenario_files, shipped_pack

    files = scenario_files(shipped_pack())
    assert files, "the shipped pack is empty"
    for path in files:
        app = make_app(path, no_save=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, lambda: getattr(app.screen, "ready", False))
            play = app.screen.play
            for _ in range(40):
                if play.ended:
                    break
                await pilot.press("1")
            assert play.ended, f"{path.name}: no ending after 40 first choices"
            await pilot.press("d")
            await settle(pilot, lambda: isinstance(app.screen, DebriefScreen))
            screen = app.screen
            assert screen.view is not None, f"{path.name}: {screen.problem}"
            grade = str(screen.query_one("#grade").visual)
            assert grade.startswith(screen.view.grade_label.upper()), path.name
