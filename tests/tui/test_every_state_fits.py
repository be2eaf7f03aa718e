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
            play.retry_from(1)
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
    play.retry_from(1)
    return {state: key[2] for state, key in best.items()}


def _panel_on_screen(app, choices) -> None:
    footer = app.screen.query_one("KeyFooter").region
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
    for index in range(choices.option_count):
        if index:
            await pilot.press("down")
        await pilot.pause()
        assert choices.highlighted == index, where
        try:
            _option_in_view(choices, index)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from None


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_every_option_of_every_state_is_readable_at_80x24(path: Path):
    app = make_app(path, seed=3, pack=REPO / "scenarios", no_save=True)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False), timeout=15)
        screen = app.screen
        paths = _routes(screen.play)
        assert _state(screen.play) in paths
        at: tuple[int, ...] = ()
        for state, route in sorted(paths.items(), key=lambda kv: kv[1]):
            kept = 0
            while kept < min(len(at), len(route)) and at[kept] == route[kept]:
                kept += 1
            if kept < len(at):
                screen._again(lambda p, k=kept: p.retry_from(k + 1))  # the app's "retry from"
                await settle(pilot)
            for n in route[kept:]:
                await pilot.press(str(n))
                await settle(pilot)
            at = route
            assert _state(screen.play) == state
            if screen.play.ended:
                continue
            await _check_every_option(app, pilot, f"{path.stem} {state} via {route}")
