"""At 80x24 every option of every state of every shipped scenario can be read in full.

A long reply set under a long coach note (phone-screen-refit, tech_check) used to run below the
footer: the reply panel was clipped by the screen, not scrolled, so the end of option 4 could not
be read at all. Each state is reached by a shortest path of choices, the one with the longest
coach's note before it (found on the engine first, without drawing), then walked in the app with the keyboard: every option is highlighted
with Down in turn and must then lie wholly inside the reply panel's visible rows, with the panel
itself on screen above the footer. Checked on the laid-out widgets (regions, scroll offsets and
the option's rows), not only on the DOM.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, make_app, settle

from simulator.engine.pack import scenario_files

SHIPPED = scenario_files(REPO / "scenarios")
SMALL = (80, 24)


def _state(play) -> str:
    return str(play.ex.session.state)


def _back_to_start(play) -> None:
    """Back to the first turn, same seed: a retry in practice, a restart in an assessment
    (which cannot be retried from a turn)."""
    if play.assess:
        play.restart(play.seed)
    else:
        play.retry_from(1)


def _routes(play) -> dict[str, tuple[int, ...]]:
    """A route of option numbers to each reachable state, found breadth first on the attempt
    itself (retry_from replays a prefix; nothing is drawn). The options come under the coach's
    note on the choice that led there, so of the ways in along shortest paths (a shortest path
    to the state before, then one choice) the route kept is the one with the longest note: the
    tallest the strip above the options gets in that state."""
    from simulator.exercise.views import Pick

    first: set[str] = set()
    best: dict[str, tuple[int, int, tuple[int, ...]]] = {}  # state: (note, -len, route)
    frontier: list[tuple[int, ...]] = [()]
    while frontier:
        nxt: list[tuple[int, ...]] = []
        for path in frontier:
            _back_to_start(play)
            for n in path:
                play.answer(Pick(n))
            state, view = _state(play), play.current()
            key = (len(view.feedback or ""), -len(path), path)
            if state not in best or key[:2] > best[state][:2]:
                best[state] = key
            if state in first:
                continue
            first.add(state)
            if not play.ended:
                nxt += [(*path, o.number) for o in view.options]
        frontier = nxt
    _back_to_start(play)
    return {state: key[2] for state, key in best.items()}


def _panel_on_screen(app, choices) -> None:
    from simulator.tui.widgets.chat import ChatView

    assert choices.display, "the options are not shown"
    footer = app.screen.query_one("KeyFooter").region
    chat = app.screen.query_one(ChatView)  # the customer's last line stays in sight too
    assert chat.display and chat.region.height >= 3 and chat.region.bottom <= choices.region.y
    assert chat.scroll_y == chat.max_scroll_y, "the customer's line is scrolled out of sight"
    for box in app.screen.query("#reply"):
        if box.display:
            assert box.region.bottom <= footer.y, "the reply box runs off the screen"
    r = choices.region
    assert choices.display and r.height > 0, "the reply panel is not shown"
    assert r.y >= 0 and r.bottom <= footer.y and r.right <= app.size.width, (
        f"the reply panel {r} runs off the screen (footer at row {footer.y})"
    )


def _option_in_view(choices, index: int) -> None:
    top = choices._index_to_line[index]
    rows = choices._heights[index]
    seen_from = round(choices.scroll_y)
    seen = choices.scrollable_content_region.height
    assert seen_from <= top and top + rows <= seen_from + seen, (
        f"option {index + 1} is rows {top}-{top + rows - 1}, "
        f"the panel shows rows {seen_from}-{seen_from + seen - 1}"
    )
    # and the whole text is in the option's rows (wrapped, none of it dropped)
    shown = choices.get_option_at_index(index).prompt
    said = choices._offered[index][1]
    assert getattr(shown, "plain", str(shown)).split()[1:] == said.split(), "text was dropped"


async def _check_every_option(app, pilot, where: str) -> None:
    from simulator.tui.widgets.choice_list import ChoiceList

    choices = app.screen.query_one(ChoiceList)
    assert choices.option_count == len(app.screen.offered), where
    _panel_on_screen(app, choices)
    if choices.max_scroll_y:  # some of it is out of sight: the title says so
        assert "more" in str(choices.border_title), where
    for index in range(choices.option_count):
        if index:
            await pilot.press("down")
        await pilot.pause()
        assert choices.highlighted == index, where
        try:
            _option_in_view(choices, index)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from None


async def _walk(app, pilot, only: set[str] | None = None) -> set[str]:
    """Reach each state (or those in ``only``) by its route and check every option there; the
    states checked."""
    screen = app.screen
    routes = _routes(screen.play)
    assert _state(screen.play) in routes
    checked: set[str] = set()
    at: tuple[int, ...] = ()
    for state, route in sorted(routes.items(), key=lambda kv: kv[1]):
        if only is not None and state not in only:
            continue
        kept = 0
        while kept < min(len(at), len(route)) and at[kept] == route[kept]:
            kept += 1
        if kept < len(at):
            if screen.play.assess:  # the app's "start again", then the route
                screen._again(lambda p: p.restart(p.seed))
                kept = 0
            else:  # the app's "retry from this turn"
                screen._again(lambda p, k=kept: p.retry_from(k + 1))
            await settle(pilot)
        for n in route[kept:]:
            await pilot.press(str(n))
            await settle(pilot)
        at = route
        assert _state(screen.play) == state
        if not screen.play.ended:
            await _check_every_option(app, pilot, f"{screen.path.stem} {state} via {route}")
            checked.add(state)
    return checked


async def _opened(app, pilot):
    await settle(pilot, lambda: getattr(app.screen, "ready", False), timeout=15)
    return app.screen


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_every_option_of_every_state_is_readable_at_80x24(path: Path):
    app = make_app(path, seed=3, pack=REPO / "scenarios", no_save=True)
    async with app.run_test(size=SMALL) as pilot:
        await _opened(app, pilot)
        assert await _walk(app, pilot)


REFIT = REPO / "scenarios" / "phone-screen-refit.yaml"
CUT_BEFORE = [REFIT, REPO / "scenarios" / "compensation-beyond-authority.yaml"]


@pytest.mark.parametrize("path", CUT_BEFORE, ids=[p.stem for p in CUT_BEFORE])
async def test_in_an_assessment_too(path: Path):
    # picked (an assessment of a scenario written for recall is typed unless --pick is given)
    app = make_app(
        path, seed=3, pack=REPO / "scenarios", no_save=True, assess=True, reply_mode="pick"
    )
    async with app.run_test(size=SMALL) as pilot:
        await _opened(app, pilot)
        assert await _walk(app, pilot)


async def test_typing_with_the_options_shown_under_a_long_note():
    """Typed replies: the reply box takes three more lines under the options; with it focused,
    ↑/↓ still move through the options (the list scrolls), so "?" shows all of them."""
    app = make_app(REFIT, seed=3, pack=REPO / "scenarios", no_save=True)
    async with app.run_test(size=SMALL) as pilot:
        screen = await _opened(app, pilot)
        route = _routes(screen.play)["tech_check"]
        for n in route:
            await pilot.press(str(n))
            await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot, lambda: screen.typing)
        await pilot.press("question_mark", "enter")
        await settle(pilot, lambda: screen.options_shown)
        assert app.focused is screen.query_one("#reply")
        choices = screen.query_one("ChoiceList")
        assert choices.max_scroll_y > 0  # the case this is about: too tall for the room left
        await _check_every_option(app, pilot, f"typed, tech_check via {route}")
        assert app.focused is screen.query_one("#reply")  # still typing


async def test_a_resize_refits_the_panel_and_160x50_shows_every_option_whole():
    """At 160x50 the whole set shows with nothing to scroll and no cue (as before); shrunk to
    80x24 the panel is capped and scrolls; grown back, it is whole again."""
    app = make_app(REFIT, seed=3, pack=REPO / "scenarios", no_save=True)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _opened(app, pilot)
        for n in _routes(screen.play)["tech_check"]:
            await pilot.press(str(n))
            await settle(pilot)
        choices = screen.query_one("ChoiceList")
        assert choices.max_scroll_y == 0 and str(choices.border_title) == "Your reply"
        await _check_every_option(app, pilot, "160x50")
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        await pilot.pause()
        assert choices.max_scroll_y > 0
        await pilot.press("up", "up", "up")  # back to the first option
        await _check_every_option(app, pilot, "shrunk to 80x24")
        await pilot.resize_terminal(160, 50)
        await settle(pilot)
        await pilot.pause()
        assert choices.max_scroll_y == 0 and str(choices.border_title) == "Your reply"
