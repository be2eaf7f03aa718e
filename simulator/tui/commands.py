"""The command palette's CounterTalk commands: whatever the current screen can do right now.

Each screen offers `palette_commands()` -> (name, help, callback). Names may contain scenario
text (a choice, a title), so hits are built as literal Content, never parsed as markup (Textual's
`Matcher.highlight` would parse them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .text import plain

# What a screen offers the palette: (name, help, what to run).
PaletteCommand = tuple[str, str, Callable[[], object]]


class CounterTalkCommands(Provider):
    def _commands(self) -> list[PaletteCommand]:
        screen = self.screen
        # The palette is itself a screen; ask the screen beneath it.
        stack = self.app.screen_stack
        for s in reversed(stack):
            if hasattr(s, "palette_commands"):
                screen = s
                break
        items: list[PaletteCommand] = list(getattr(screen, "palette_commands", lambda: [])())
        app_commands: Callable[[], Iterable[PaletteCommand]] | None = getattr(
            self.app, "app_commands", None
        )
        if app_commands is not None:  # CounterTalkApp's own (the one app with this provider)
            items += list(app_commands())
        return [(plain(n), plain(h), cb) for n, h, cb in items]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score, offsets = matcher.fuzzy_search.match(query, name)
            if score > 0:
                display = Content(name)
                for offset in offsets:
                    if not name[offset].isspace():
                        display = display.stylize("bold reverse", offset, offset + 1)
                yield Hit(score, display, callback, text=name, help=help_text)
