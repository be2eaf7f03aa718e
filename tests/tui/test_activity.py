"""Activities in the app (Pilot): keys and clicks answer, feedback explains, results are saved,
a class votes, the picker lists activities and the progress map shows the evidence."""

from __future__ import annotations

from conftest import make_app, screen_text, settle

from simulator.activities.lint import load_activity, resolve
from simulator.store import Store


def activity(aid: str):
    return load_activity(resolve(aid))


def app_for(aid: str, **kw):
    a = activity(aid)
    app = make_app(a.source and __import__("pathlib").Path(a.source), **kw)
    app.options.activity = a
    return app


async def test_sort_by_keys_explains_and_saves(home):
    from simulator.tui.screens.activity import ActivityScreen

    app = app_for("sort-controllable-or-not")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ActivityScreen))
        screen = app.screen
        for _ in range(8):
            q = screen.ex.run.current
            await pilot.press("abcd"[min(q.right)])
            await settle(pilot)
            assert "Right." in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
        assert "8 of 8 right (100%)" in screen_text(app)
    with Store() as store:
        (att,) = store.attempts(learner="sam")
    assert att.mode == "activity" and att.grade == "pass" and len(att.choices) == 8


async def test_spot_by_mouse_and_check(home):
    from textual.widgets import OptionList

    from simulator.tui.screens.activity import ActivityScreen

    app = app_for("spot-poor-service")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ActivityScreen))
        screen = app.screen
        q = screen.ex.run.current
        opts = screen.query_one(OptionList)
        first, *rest = sorted(q.right)
        opts.highlighted = first
        await pilot.press("space")  # keyboard toggle of the highlighted option
        for i in rest:  # a click on each other right option
            await pilot.click(opts, offset=(5, i + 1))
            await settle(pilot)
        assert screen.picks == set(q.right)
        await pilot.press("enter")  # check
        await settle(pilot)
        assert screen.ex.run.done and screen.ex.run.result()["percent"] == 100
        await pilot.press("enter")
        await settle(pilot)
        assert "6 of 6 right (100%)" in screen_text(app)


async def test_classroom_votes_pick_the_majority(home):
    from simulator.tui.screens.activity import ActivityScreen, class_choice

    assert class_choice([1, 3, 2], multi=False) == {1}
    assert class_choice([4, 1, 2, 0], multi=True) == {0, 2}
    app = app_for("match-support-for-staff", classroom=False)
    app.options.classroom = True
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ActivityScreen))
        screen = app.screen
        q = screen.ex.run.current
        right = "abcdefgh"[min(q.right)]
        wrong = "abcdefgh"[(min(q.right) + 1) % len(q.options)]
        await pilot.press(right, right, wrong)
        await settle(pilot)
        assert screen.votes[min(q.right)] == 2
        assert "votes: 2" in str(
            screen.query_one("#activity-options").get_option_at_index(min(q.right)).prompt
        )
        await pilot.press("enter")
        await settle(pilot)
        assert screen.ex.run.feedback[0].correct


async def test_picker_lists_activities_and_opens_one_then_progress(home):
    from simulator.engine.loader import shipped_pack
    from simulator.tui.screens.activity import ActivityScreen
    from simulator.tui.screens.progress import ProgressScreen
    from simulator.tui.widgets.scenario_list import ScenarioList

    app = make_app(None, pack=shipped_pack())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: bool(app.screen.query(ScenarioList)))
        entries = app.screen.query_one(ScenarioList).entries
        kinds = {e.kind for e in entries}
        assert {"conversation", "sort", "spot", "match", "order"} <= kinds
        await pilot.press(*"career")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ActivityScreen))
        assert app.screen.activity.id == "match-career-routes"
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, ProgressScreen))
        await settle(pilot, lambda: bool(app.screen.map), timeout=15)
        await settle(pilot)
        text = screen_text(app)
        assert "0 met · 0 missed · 27 not yet tried" in text
        assert "Maps career routes" in text


async def test_the_longest_spot_fits_80x24_with_every_option_and_the_footer(home):
    from textual.widgets import OptionList

    from simulator.tui.screens.activity import ActivityScreen
    from simulator.tui.widgets.footer import KeyFooter

    app = app_for("spot-rights-and-duties")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, ActivityScreen))
        opts = app.screen.query_one(OptionList)
        n = len(app.screen.ex.run.current.options)
        assert opts.region.height >= n + 2  # every option on screen, inside its border
        footer = app.screen.query_one(KeyFooter)
        assert footer.region.y == 23 and opts.region.bottom <= footer.region.y
        text = app.screen.query_one("#activity-text")
        assert text.region.height >= 5  # the case still has room, and scrolls
