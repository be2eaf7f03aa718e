"""What a new learner tripped over (issue #30), each at 80x24 as the learner met it."""

from __future__ import annotations

from conftest import chat_lines, make_app, screen_text, settle

from simulator.activities.lint import load_activity, resolve


def activity_app(aid: str, **kw):
    a = load_activity(resolve(aid))
    app = make_app(__import__("pathlib").Path(a.source), **kw)
    app.options.activity = a
    return app


async def _answer_all_first(pilot, screen) -> None:
    while screen.ex.run.current is not None:
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)


async def test_play_next_from_the_progress_map_after_an_activity_opens_it():
    """Result -> "See my progress map" -> n used to crash with DuplicateIds (and exit 0)."""
    from simulator.tui.screens.activity import ActivityScreen
    from simulator.tui.screens.progress import ProgressScreen

    app = activity_app("sort-factors-inside-outside", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ActivityScreen))
        first = app.screen
        await _answer_all_first(pilot, first)
        assert "Result:" in screen_text(app)
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, ProgressScreen))
        await settle(pilot, lambda: "Next, for the weakest points" in screen_text(app), 20)
        following = app.screen.map["next"][0]["do"]
        where = str(app.screen.entries[following].path)
        await pilot.press("n")
        await settle(pilot, lambda: not isinstance(app.screen, ProgressScreen), 10)
        await settle(pilot)
        assert app.screen is not first
        assert first not in app.screen_stack  # the finished one is not left underneath
        activity = getattr(app.screen, "activity", None)
        opened = activity.source if activity is not None else getattr(app.screen, "path", None)
        assert str(opened) == where, (following, app.screen)
        assert app.return_code in (None, 0)


async def test_a_long_activity_result_can_be_read_whole_at_80x24():
    """Every item to review can be reached from the keyboard (PageDown), none cut off."""
    from textual.containers import VerticalScroll

    from simulator.tui.screens.activity import ActivityScreen

    app = activity_app("sort-factors-inside-outside", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ActivityScreen))
        screen = app.screen
        await _answer_all_first(pilot, screen)
        review = screen.ex.run.to_review()
        assert len(review) >= 3  # answering "a" throughout gets several wrong
        text = screen.query_one("#activity-text", VerticalScroll)
        await settle(pilot)
        seen_rows: set[int] = set()
        for _ in range(10):  # page down until the end, noting which rows were on screen
            top = round(text.scroll_y)
            seen_rows.update(range(top, top + text.scrollable_content_region.height))
            if text.scroll_y >= text.max_scroll_y:
                break
            await pilot.press("pagedown")
            await settle(pilot)
        assert max(seen_rows) + 1 >= text.virtual_size.height  # the last row was shown


class _Crashes(Exception):
    pass


def test_a_crash_exits_non_zero_with_a_sentence_and_a_log(home, capsys):
    """No traceback for the learner, exit code 1, the details in a log file beside the data."""
    import simulator.tui.app as app_module
    from simulator.tui.app import CounterTalkApp
    from simulator.tui.crash import message

    class Broken(CounterTalkApp):
        CSS_PATH = str(__import__("pathlib").Path(app_module.__file__).parent / "app.tcss")

        def on_mount(self) -> None:  # (Textual also runs CounterTalkApp's own on_mount)
            self.set_timer(0.2, self.explode)

        def explode(self) -> None:
            raise _Crashes("a fault in the program")

    from simulator.tui.app import AppOptions

    app = Broken(AppOptions(learner="sam", pack=None, seed=3))
    app.run(headless=True, size=(80, 24))
    assert app.return_code == 1
    log = app.crash_log
    assert log is not None and log.is_file() and log.parent == home / "logs"
    assert "_Crashes: a fault in the program" in log.read_text()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "_Crashes" not in err
    squeezed = "".join(err.split())  # the console wraps long lines, even inside the path
    assert "".join(message(log).split()) in squeezed


# -- item 3: each thing said once at 80x24 ---------------------------------------------------------
def _rows(app) -> list[str]:
    """The screen as the learner sees it, one string per terminal row."""
    return [
        "".join(seg.text for seg in strip).rstrip()
        for strip in app.screen._compositor.render_strips()
    ]


async def test_coaching_and_mood_are_said_once_and_understood_as_stays_in_view():
    """The coach's words were in the chat and the strip, and "Mood: happier — now calm" in the
    mood bar, the chat and the strip; together they pushed "(understood as …)" off screen."""
    from conftest import REPO
    from test_typed_replies import open_typed, type_line

    app = make_app(REPO / "tests" / "fixtures" / "typed-kettle.yaml", reply_mode="type")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_typed(app, pilot)
        await type_line(pilot, "so sorry, whats gone wrong with it?")
        await settle(pilot)
        await pilot.pause(0.1)
        shown = "\n".join(_rows(app))
        coach = [e.text for e in screen.play.events if e.kind == "feedback"][-1]
        assert shown.count(coach[:25]) == 1, shown
        assert shown.count("Mood:") == 1, shown  # the mood bar, and only there
        assert shown.count("happier") == 1, shown
        assert "(understood as:" in shown, shown
        # the chat does not repeat the coaching the strip shows (it has it again at the end)
        assert not any(line.startswith("Coach:") for line in chat_lines(app))


async def test_the_welcome_back_notice_covers_no_option(home):
    """ "Welcome back / Resumed at turn 3" was a toast over options 2-3 for a few seconds."""
    from conftest import KETTLE

    from simulator.store import Store
    from simulator.tui.widgets.choice_list import ChoiceList

    with Store(home / "countertalk.db") as st:
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
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        await pilot.pause(0.2)
        screen = app.screen
        assert not app._notifications, "a toast would cover the options"
        choices = screen.query_one(ChoiceList)
        rows = _rows(app)
        region = choices.region
        for n, opt in enumerate(screen.offered, 1):
            row = next(r for r in rows[region.y : region.bottom] if r.lstrip().startswith(f"{n} "))
            assert opt.text[:30] in row, (n, rows)
        assert "resumed at turn 3" in str(screen.query_one("#coach").visual)
        await pilot.press("1")
        await settle(pilot)
        assert "resumed at turn" not in "\n".join(_rows(app))  # said until the next choice


async def test_a_wrapped_option_is_indented_under_its_text_at_80_columns():
    from simulator.engine.loader import shipped_pack
    from simulator.tui.widgets.choice_list import NUMBER_WIDTH, ChoiceList

    app = make_app(shipped_pack() / "faulty-toaster-day12.yaml")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: bool(app.screen.query(ChoiceList)), 10)
        choices = app.screen.query_one(ChoiceList)
        await settle(pilot, lambda: choices.option_count > 0, 10)
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        wrapped = [p for p in prompts if "\n" in p]
        assert wrapped, prompts  # at 80 columns some of these options take two lines
        for p in prompts:
            first, *rest = p.split("\n")
            assert first[0].isdigit()
            assert all(line.startswith(" " * NUMBER_WIDTH) and line.strip() for line in rest)
            assert max(len(line) for line in p.split("\n")) <= 80 - 4
