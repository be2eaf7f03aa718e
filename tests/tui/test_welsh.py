"""Issue 32 in the app: at 80x24, `countertalk --lang cy play spill-in-aisle` shows a learner no
English from the first screen to the debrief (every widget's text, border titles, the footer's
keys and the title bar scanned with the same checks as plain mode)."""

from __future__ import annotations

import pytest
from conftest import REPO, make_app, settle

from simulator.engine import i18n
from tests.e2e.test_welsh_plain import english_in

SPILL = REPO / "scenarios" / "spill-in-aisle.yaml"


@pytest.fixture
def welsh():
    i18n.set_default("cy")
    yield
    i18n.set_default(None)


def visible_text(app) -> list[str]:
    """What the screen shows: each displayed widget's rendered text and border title, and the
    title bar."""
    lines = [str(app.title), str(app.sub_title)]
    lines += [str(app.screen.title or ""), str(app.screen.sub_title or "")]
    for w in app.screen.walk_children(with_self=False):
        if not w.display:
            continue
        if w.border_title:
            lines.append(str(w.border_title))
        try:
            rendered = w.render()
        except Exception:
            continue
        text = getattr(rendered, "plain", rendered)
        if isinstance(text, str):
            lines += text.splitlines()
    from simulator.tui.widgets.chat import ChatView
    from simulator.tui.widgets.choice_list import ChoiceList

    for chat in app.screen.query(ChatView):
        lines += [x for line in chat.plain_lines() for x in line.splitlines()]
    for choices in app.screen.query(ChoiceList):
        if choices.display:
            for i in range(choices.option_count):
                prompt = choices.get_option_at_index(i).prompt
                lines += str(getattr(prompt, "plain", prompt)).splitlines()
    return [line for line in lines if line.strip()]


def english_on(app) -> list[str]:
    return [f"{english_in(line)}: {line}" for line in visible_text(app) if english_in(line)]


async def test_the_welsh_conversation_at_80x24_shows_no_english(welsh):
    app = make_app(SPILL, seed=1, pack=REPO / "scenarios", learner="Siôn")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False), timeout=15)
        screen = app.screen
        assert any("Hylif glanhau" in line for line in visible_text(app))
        turns = 0
        while not screen.play.ended:
            turns += 1
            assert turns < 20
            assert english_on(app) == [], f"turn {turns}"
            await pilot.press("1")
            await settle(pilot)
        assert english_on(app) == [], "the ending"
        await pilot.press("d")
        await settle(pilot, lambda: app.screen is not screen, timeout=15)
        await settle(pilot)
        shown = visible_text(app)
        assert any("Iaith yr ymgais: Cymraeg." in line for line in shown), shown[:20]
        assert english_on(app) == [], "the debrief"


async def test_the_same_scan_finds_english_in_the_english_app():
    app = make_app(SPILL, seed=1, pack=REPO / "scenarios", learner="Siôn")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False), timeout=15)
        found = english_on(app)
        shown = "\n".join(visible_text(app))
        # the customer's line, an option, a border title and a key in the footer are all read
        assert "Lauren Price" in shown and "Thank you for telling me" in shown, shown
        assert "Your reply" in shown and "Start again" in shown, shown
        assert len(found) >= 4, found
