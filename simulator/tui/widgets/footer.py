"""The key footer: what each key does here, drawn as one line by one widget.

Textual's Footer builds a widget per key and rebuilds them whenever the keys change, which was
the largest single cost of the play screen's first frame (~80 ms of CPU on this machine) and
is repeated after every choice that changes which keys apply. This one renders the same line
itself — key in the footer key colour, then its description; a group of keys (classroom votes)
as "1 2 3 Vote" — keeps every key a mouse can click, and goes compact below 100 columns so that
every key fits at 80x24.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.events import Click
from textual.screen import Screen
from textual.widget import Widget

from simulator.engine.i18n import N_
from simulator.engine.i18n import gettext as tr

from ..text import Piece

# The keys' descriptions are written in English where the bindings are defined and shown in the
# learner's language here (render). N_ lists them for the catalogue.
_KEY_WORDS = (
    N_("Quit"),
    N_("Contrast"),
    N_("Choose"),
    N_("Debrief"),
    N_("Start again"),
    N_("Type/Pick"),
    N_("Scenarios"),
    N_("Replay"),
    N_("Retry"),
    N_("Markdown"),
    N_("HTML"),
    N_("Save as"),
    N_("Back"),
    N_("Cancel"),
    N_("Resume"),
    N_("New attempt"),
    N_("Start over"),
    N_("Continue"),
    N_("Close"),
    N_("palette"),
    N_("Send"),
    N_("Options"),
    N_("Progress"),
    N_("More"),
    N_("Back up"),
    N_("Toggle"),
    N_("Undo vote"),
)


@dataclass(frozen=True)
class FooterItem:
    keys: tuple[tuple[str, str], ...]  # (key, how it is shown)
    description: str
    enabled: bool
    start: int = 0  # first and last+1 column, filled when drawn
    end: int = 0


class KeyFooter(Widget):
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom; height: 1;
        background: $footer-background; color: $footer-foreground;
    }
    """
    NARROW = 100

    def __init__(self, *, show_command_palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_command_palette = show_command_palette
        self.items: list[FooterItem] = []
        self.palette: FooterItem | None = None

    @property
    def compact(self) -> bool:
        return self.app.size.width < self.NARROW

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        items: list[FooterItem] = []
        groups: dict[object, int] = {}
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tip in screen.active_bindings.values():
            if binding.action == "app.command_palette" or (
                binding.key == self.app.COMMAND_PALETTE_BINDING
            ):
                palette = FooterItem(
                    ((binding.key, self.app.get_key_display(binding)),),
                    binding.description,
                    enabled,
                )
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = (binding.key, self.app.get_key_display(binding))
            group = binding.group
            if group is not None and group in groups:
                i = groups[group]
                old = items[i]
                items[i] = FooterItem(old.keys + (key,), old.description, old.enabled or enabled)
                continue
            if group is not None:
                groups[group] = len(items)
            items.append(
                FooterItem((key,), group.description if group else binding.description, enabled)
            )
        self.items = items
        self.palette = (
            palette if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE else None
        )
        self.refresh()

    def render(self) -> Content:
        gap = " " if self.compact else "  "
        key_style, desc_style = "bold $footer-key-foreground", "$footer-description-foreground"
        parts: list[Piece] = []
        placed: list[FooterItem] = []
        x = 0 if self.compact else 1
        if x:
            parts.append(" ")
        for item in self.items:
            start = x
            dim = "" if item.enabled else " dim"
            for n, (_key, shown) in enumerate(item.keys):
                if n:
                    parts.append(" ")
                    x += 1
                parts.append((shown, key_style + dim))
                x += len(shown)
            text = f" {tr(item.description)}" if item.description else ""
            parts.append((text, desc_style + dim))
            x += len(text)
            placed.append(FooterItem(item.keys, item.description, item.enabled, start, x))
            parts.append(gap)
            x += len(gap)
        if self.palette is not None:
            (_key, shown), text = self.palette.keys[0], f" {tr(self.palette.description)}"
            width = len(shown) + len(text) + 2
            start = max(x, self.size.width - width)
            parts.append(" " * (start - x))
            parts.append(("▏", "$foreground 20%"))
            parts.append((shown, key_style))
            parts.append((text, desc_style))
            placed.append(
                FooterItem(self.palette.keys, self.palette.description, True, start, start + width)
            )
        self.placed = placed
        return Content.assemble(*parts)

    def on_resize(self) -> None:
        self.refresh()

    def item_at(self, x: int) -> FooterItem | None:
        placed: list[FooterItem] = getattr(self, "placed", [])  # none before the first render
        for item in placed:
            if item.start <= x < item.end:
                return item
        return None

    def on_click(self, event: Click) -> None:
        item = self.item_at(event.x)
        if item is None or not item.enabled:
            return
        event.stop()
        keys = item.keys
        if len(keys) > 1:  # a group ("1 2 3 Vote"): the key under the pointer
            x = item.start
            for key, shown in keys:
                if x <= event.x < x + len(shown) + 1:
                    self.app.simulate_key(key)
                    return
                x += len(shown) + 1
            return
        self.app.simulate_key(keys[0][0])

    def shown(self) -> list[str]:
        """Each key as drawn, 'KEY Description' (what a learner reads; used by tests)."""
        self.render()
        return [
            f"{' '.join(shown for _k, shown in i.keys)} {i.description}".strip()
            for i in self.placed
        ]
