"""The play screen's title bar does what Textual's Header did: the title and mode, read on the
drawn screen; the icon opens the command palette (and says so under the pointer); a click on the
bar makes it taller and back."""

from __future__ import annotations

from conftest import KETTLE, make_app, settle
from textual.command import CommandPalette
from textual.widgets import Header

from simulator.tui.widgets.title_bar import TitleBar


def _top_line(app, y: int = 0) -> str:
    return "".join(seg.text for seg in app.screen._compositor.render_strips()[y]).rstrip()


async def _open(app, pilot):
    await settle(pilot, lambda: getattr(app.screen, "ready", False))
    await pilot.pause()
    return app.screen


async def test_title_and_mode_are_drawn_centred_like_the_header():
    app = make_app(KETTLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        line = _top_line(app)
        assert line.startswith(" ⭘ ")
        assert line.strip().endswith("Faulty kettle, 12 days after purchase — practice")
        title = "Faulty kettle, 12 days after purchase — practice"
        room = 80 - TitleBar.ICON_WIDTH - TitleBar.CLOCK_WIDTH
        assert line.index("Faulty") == TitleBar.ICON_WIDTH + (room - len(title)) // 2


async def test_the_bar_draws_what_textuals_header_draws():
    """Same text, cell for cell, at several widths and for a title too long for the room."""
    from textual.app import App
    from textual.screen import Screen

    class One(Screen[None]):
        def __init__(self, bar, title: str) -> None:
            super().__init__()
            self.bar = bar
            self.title, self.sub_title = title, "assessment"

        def compose(self):
            yield self.bar

    for width in (30, 80, 81, 120):
        for title in ("Kettle", "A title far too long for the room between the icon and clock"):
            drawn = []
            for bar in (Header(), TitleBar()):
                app: App[None] = App()
                async with app.run_test(size=(width, 4)) as pilot:
                    await app.push_screen(One(bar, title))
                    await pilot.pause()
                    drawn.append(_top_line(app))
            assert drawn[0] == drawn[1], (width, title)


async def test_icon_opens_the_command_palette_and_the_bar_grows_on_click():
    app = make_app(KETTLE)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        bar = screen.query_one(TitleBar)

        def icon_background():
            return app.screen._compositor.render_strips()[0]._segments[0].style.bgcolor

        plain = icon_background()
        await pilot.hover(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert bar.tooltip == "Open the command palette"
        assert icon_background() != plain  # lit under the pointer, as the Header's icon is
        await pilot.hover(TitleBar, offset=(40, 0))
        await pilot.pause()
        assert bar.tooltip is None and icon_background() == plain
        await pilot.click(TitleBar, offset=(40, 0))
        await pilot.pause()
        assert bar.size.height == 3 and "Faulty kettle" in _top_line(app)
        await pilot.click(TitleBar, offset=(40, 0))
        await pilot.pause()
        assert bar.size.height == 1
        await pilot.click(TitleBar, offset=(1, 0))
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
