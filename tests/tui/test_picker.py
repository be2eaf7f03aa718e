"""The scenario picker: the pack's scenarios, search by typing, topics, grades, resume."""

from __future__ import annotations

from conftest import KETTLE, PACK, PARCEL, chat_lines, make_app, settle

from simulator.store import Store
from simulator.tui.pack import read_pack
from simulator.tui.widgets.scenario_list import ScenarioList


def listed(app) -> list[str]:
    return [e.title for e in app.screen.query_one(ScenarioList).entries]


def option_text(app) -> list[str]:
    return [str(o.prompt) for o in app.screen.query_one(ScenarioList).options]


def test_pack_headers_are_read_without_building_scenarios():
    entries = {e.id: e for e in read_pack(PACK)}
    assert set(entries) == {"kettle-day12", "parcel-late"}
    k = entries["kettle-day12"]
    assert (k.title, k.topic, k.level, k.customer) == (
        "Faulty kettle, 12 days after purchase",
        "complaint",
        2,
        "Priya Shah",
    )
    assert k.summary == "A customer brings back a kettle that stopped working after twelve days."


async def test_without_pack_the_picker_lists_the_shipped_pack(home):
    """`countertalk` with no --pack: the shipped pack (found when the picker needs it)."""
    import argparse

    from simulator.engine.loader import scenario_files, shipped_pack
    from simulator.tui.launch import build_app

    app = build_app(argparse.Namespace(learner="sam"), None)
    shipped = [e.title for e in read_pack(shipped_pack())]
    from simulator.activities.lint import activity_files

    n_files = len(scenario_files(shipped_pack())) + len(activity_files(shipped_pack()))
    assert len(shipped) == n_files > 0
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert sorted(listed(app)) == sorted(shipped)


async def test_search_topic_and_open(home):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert listed(app) == [
            "Faulty kettle, 12 days after purchase",
            "A birthday present that did not arrive",
        ]
        await pilot.press(*"birthday")
        assert listed(app) == ["A birthday present that did not arrive"]
        await pilot.press("escape")
        assert len(listed(app)) == 2
        await pilot.press("ctrl+t")  # first topic: complaint
        assert listed(app) == ["Faulty kettle, 12 days after purchase"]
        assert "topic: complaint" in str(app.screen.query_one(ScenarioList).border_title)
        await pilot.press("ctrl+t")
        assert listed(app) == ["A birthday present that did not arrive"]
        await pilot.press("ctrl+t")  # back to all
        await pilot.press("down", "enter")
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        assert chat_lines(app)[0].startswith("Marcus Bell: My son's present")
        await pilot.press("escape")  # back to the list
        await pilot.pause()
        assert listed(app)


async def test_best_grade_and_unfinished_attempt_are_shown_and_resumable(home):
    with Store(home / "countertalk.db") as st:
        done = st.start_attempt(
            scenario_id="parcel-late",
            scenario_hash="h",
            scenario_path=str(PARCEL),
            learner="sam",
            seed=1,
        )
        st.finish_attempt(
            done,
            ending="sorted",
            outcome="resolved",
            final_mood=70,
            transcript={"turns": []},
            score={"percent": 85, "grade": "distinction"},
        )
        open_ = st.start_attempt(
            scenario_id="kettle-day12",
            scenario_hash="h",
            scenario_path=str(KETTLE),
            learner="sam",
            seed=9,
        )
        st.record_choice(open_, 1, "opening.2", {"choice": "opening.2"})
        other = st.start_attempt(
            scenario_id="kettle-day12",
            scenario_hash="h",
            scenario_path=str(KETTLE),
            learner="someone-else",
            seed=2,
        )
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        texts = option_text(app)
        kettle = next(t for t in texts if t.startswith("Faulty kettle"))
        parcel = next(t for t in texts if t.startswith("A birthday"))
        assert "unfinished, turn 2" in kettle and "best:" not in kettle
        assert "best: distinction" in parcel and "unfinished" not in parcel
        # Enter on a scenario with an unfinished attempt asks; "r" resumes it.
        await pilot.press("enter")
        from simulator.tui.screens.dialogs import ResumeDialog

        await settle(pilot, lambda: isinstance(app.screen, ResumeDialog))
        await pilot.press("r")
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        assert app.screen.play.attempt_id == open_ and app.screen.play.seed == 9
        assert "You: Have you got the receipt?" in chat_lines(app)
    assert other  # another learner's attempt is not offered to sam


async def test_new_attempt_instead_of_resuming_abandons_the_old_one(home):
    with Store(home / "countertalk.db") as st:
        old = st.start_attempt(
            scenario_id="kettle-day12",
            scenario_hash="h",
            scenario_path=str(KETTLE),
            learner="sam",
            seed=9,
        )
        st.record_choice(old, 1, "opening.2", {"choice": "opening.2"})
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "n")
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        assert app.screen.play.attempt_id != old
        assert len(chat_lines(app)) == 1
    with Store(home / "countertalk.db") as st:
        assert [a.id for a in st.unfinished(learner="sam")] != [old]
        assert st.attempt(old).abandoned_at is not None


async def test_command_palette_offers_the_screens_actions(home):
    from simulator.tui.commands import CounterTalkCommands

    app = make_app(KETTLE)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        provider = CounterTalkCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        assert "Say 1: I'm sorry it's let you down. What happened when you tried…" in names
        assert "High-contrast theme (on/off)" in names
        hits = [h async for h in provider.search("contrast")]
        assert hits and hits[0].text == "High-contrast theme (on/off)"
        hits[0].command()
        assert app.theme == "high-contrast"
        hits = [h async for h in provider.search("receipt")]
        assert [h.text for h in hits] == ["Say 2: Have you got the receipt?"]
        hits[0].command()
        await pilot.pause()
        assert chat_lines(app)[1] == "You: Have you got the receipt?"


async def test_a_hostile_topic_is_text_in_the_picker_not_an_action(home, tmp_path):
    """Issue 20 item 1: a shared scenario's topic was rendered as markup in the topic menu and
    the list's title, so clicking it could run an app action (write a file)."""
    import shutil

    from textual.widgets import Select

    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(KETTLE, pack / "kettle.yaml")
    evil = "[@click=app.screenshot('x.svg','%s')]complaint[/]" % tmp_path
    text = KETTLE.read_text().replace("topic: complaint", f'topic: "{evil}"')
    (pack / "evil.yaml").write_text(text.replace("id: kettle-day12", "id: evil-topic"))
    app = make_app(None, pack=pack)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.screen.__class__.__name__ == "PickerScreen")
        await settle(pilot)
        sel = app.screen.query_one("#topic", Select)
        prompts = [str(p) for p, _v in sel._options]
        assert evil in prompts  # shown as the tutor wrote it
        sel.value = evil
        await settle(pilot)
        from textual.content import Content

        title = Content.from_markup(str(app.screen.query_one(ScenarioList).border_title))
        assert evil in title.plain  # drawn literally
        await pilot.click("#topic")
        await settle(pilot)
        await pilot.click(ScenarioList, offset=(10, 0))  # the list's title line
        await settle(pilot)
    assert not list(tmp_path.glob("*.svg")), "clicking the topic ran an app action"
