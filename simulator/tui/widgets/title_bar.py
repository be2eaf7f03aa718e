"""The title bar: Textual's Header as the learner sees it, drawn by one widget instead of four.

Textual's Header is a container of an icon, a title and a clock space (three more widgets, each
styled, laid out and watched), which cost ~10 ms of CPU on the play screen's first frame. This
bar draws the same line itself: "⭘" at the left (a click opens the command palette; it lights up
under the pointer, with the same tooltip), the screen's title and sub-title centred between the
icon and the clock space, cut with "…" when too long, and a click elsewhere makes it three lines
tall (and back), as the Header does.
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Click, Leave, MouseMove
from textual.widget import Widget


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar {
        dock: top; width: 100%; height: 1;
        background: $panel; color: $foreground;
    }
    TitleBar.-tall { height: 3; }
    """
    ICON = "⭘"
    ICON_WIDTH = 8  # Header's icon: one cell of padding either side, 8 cells in all
    CLOCK_WIDTH = 10  # Header's (empty) clock space on the right
    TOOLTIP = "Open the command palette"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._over_icon = False

    def on_mount(self) -> None:
        for obj in (self.app, self.screen):
            for name in ("title", "sub_title"):
                self.watch(obj, name, self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    @property
    def screen_title(self) -> str:
        title = self.screen.title
        return title if title is not None else self.app.title

    @property
    def screen_sub_title(self) -> str:
        sub_title = self.screen.sub_title
        return sub_title if sub_title is not None else self.app.sub_title

    def render(self) -> Content:
        """One line: the icon, the title centred in the room left, and the clock space. Tall
        (as the Header draws it): the title on the first line, the icon on the second."""
        width = self.size.width
        room = max(0, width - self.ICON_WIDTH - self.CLOCK_WIDTH)
        title = self.app.format_title(self.screen_title, self.screen_sub_title)
        if title.cell_length > room:
            title = title.truncate(room, ellipsis=True)
        left = (room - title.cell_length) // 2
        icon_style = "on $foreground 10%" if self._over_icon else ""
        icon = Content.styled(f" {self.ICON}".ljust(self.ICON_WIDTH), icon_style)
        blank_icon = Content.styled(" " * self.ICON_WIDTH, icon_style)
        after = " " * (room - left - title.cell_length + self.CLOCK_WIDTH)
        if not self.has_class("-tall"):
            return Content.assemble(icon, " " * left, title, after)
        rest = " " * (width - self.ICON_WIDTH)
        return Content("\n").join(
            [
                Content.assemble(blank_icon, " " * left, title, after),
                Content.assemble(icon, rest),
                Content.assemble(blank_icon, rest),
            ]
        )

    def _icon_at(self, x: int) -> bool:
        return 0 <= x < self.ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE

    def on_mouse_move(self, event: MouseMove) -> None:
        over = self._icon_at(event.x)
        if over != self._over_icon:
            self._over_icon = over
            self.tooltip = self.TOOLTIP if over else None
            self.refresh()

    def on_leave(self, event: Leave) -> None:
        if self._over_icon:
            self._over_icon = False
            self.tooltip = None
            self.refresh()

    async def on_click(self, event: Click) -> None:
        event.stop()
        if self._icon_at(event.x):
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")
