"""The conversation as a chat: customer left, learner right, stage directions and coaching apart.

Every message starts with a word saying who speaks ("Priya:", "You:", "Coach:"), so it reads
correctly without colour and to a screen reader.

One widget draws the whole conversation line by line (a ScrollView, like Textual's Log): each
message is wrapped into strips once, at the current width, and only the visible lines are drawn.
A widget per message made every turn re-lay out every earlier message — over 50 ms a turn on a
slow machine, where this stays at the cost of the new lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from simulator.engine.i18n import gettext as tr

from ..text import Piece, join, literal

if TYPE_CHECKING:
    from ..controller import Event

OUTCOME_WORDS = {
    "resolved": "Resolved",
    "escalated": "Escalated",
    "unresolved": "Unresolved",
    "lost": "Customer lost",
}

# kind -> (side, bar, bar style, background style). side: "left" | "right" | "center" | "full"
LOOK = {
    "customer": ("left", "▌", "$secondary", "on $boost"),
    "learner": ("right", "▐", "$primary", "on $primary 20%"),
    "feedback": ("left", "▌", "$success", "on $success 10%"),
    "mood": ("left", " ", "", ""),
    "system": ("left", " ", "", ""),
    "note": ("center", "", "", ""),
    "ending": ("full", "┃", "$accent", "on $accent 15%"),
}


class ChatView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    ChatView { height: 1fr; padding: 0 1; background: $background; scrollbar-gutter: stable; }
    ChatView:focus { background-tint: $foreground 3%; }
    """
    BUBBLE_SHARE = 0.85  # widest a message may be, as a share of the chat's width

    def __init__(self, *, customer_name: str = "Customer", id: str | None = None) -> None:
        super().__init__(id=id)
        self.customer_name = customer_name
        self.events: list[Event] = []
        self._lines: list[Strip] = []
        self._starts: list[int] = []  # the first line of each event
        self._width = 0
        self.placeholder = ""  # our own words (never scenario text), shown while empty
        # Events kept but not drawn (by index): on a small screen the latest coaching is in the
        # coach strip and the mood in the mood bar, so the chat does not say them again.
        self.held: frozenset[int] = frozenset()

    @property
    def count(self) -> int:
        return len(self.events)

    # -- what is said -----------------------------------------------------------------------------
    def body(self, event: Event) -> Content:
        kind = event.kind
        if kind == "customer":
            return join((f"{self.customer_name}: ", "bold $text-secondary"), literal(event.text))
        if kind == "learner":
            typed = event.extra.get("typed")
            if isinstance(typed, str):  # their own words, then the option they became
                how = tr("you confirmed") if event.extra.get("confirmed") else tr("understood as")
                return join(
                    (tr("You: "), "bold $text-primary"),
                    literal(f"\u201c{typed}\u201d"),
                    (f"\n  ({how}: ", "italic $text-muted"),
                    literal(event.text, "italic $text-muted"),
                    (")", "italic $text-muted"),
                )
            if event.extra.get("missed"):
                return join(
                    (tr("You: "), "bold $text-primary"),
                    literal(f"\u201c{event.text}\u201d"),
                    (tr("  (not understood)"), "italic $text-muted"),
                )
            return join((tr("You: "), "bold $text-primary"), literal(event.text))
        if kind == "note":
            return join(("(", ""), literal(event.text, "italic"), (")", ""))
        if kind == "feedback":
            return join((tr("Coach: "), "bold $text-success"), literal(event.text))
        if kind == "mood":
            return join((tr("Mood: "), "bold"), literal(event.text))
        if kind == "ending":
            word = tr(OUTCOME_WORDS.get(event.text, event.text.title()))
            parts: list[Piece] = [(tr("Conversation over — "), "bold"), (word, "bold $text-accent")]
            if event.extra.get("debrief"):
                parts += ["\n", literal(event.extra["debrief"])]
            return join(*parts)
        return literal(event.text)

    def plain_lines(self) -> list[str]:
        """Each message shown, as plain text, in order (what a screen reader or a test reads)."""
        return [self.body(ev).plain for i, ev in enumerate(self.events) if i not in self.held]

    def hold(self, held: frozenset[int]) -> None:
        """Draw every event but these (indices into the events); redraws when that changes."""
        if held == self.held:
            return
        self.held = held
        if self._width:
            self._rerender()
            self.refresh()
            self._stick()

    # -- feeding ----------------------------------------------------------------------------------
    def clear(self) -> None:
        self.events = []
        self.held = frozenset()
        self._lines = []
        self._starts = []
        self.virtual_size = Size(self._width, 0)
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def add_events(self, events: Sequence[Event]) -> None:
        """Show the events not yet shown (`events` is the whole list so far)."""
        new = list(events[len(self.events) :])
        if not new:
            return
        self.events.extend(new)
        if self._width:
            first = len(self.events) - len(new)
            for i, ev in enumerate(new, first):
                self._starts.append(len(self._lines))
                self._lines.extend(self._draw(i, ev))
            self._resize_virtual()
        self._stick()
        self.refresh()
        self.call_after_refresh(self._stick)  # the layout may have changed our height

    def _stick(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    # -- drawing ----------------------------------------------------------------------------------
    def lines_since_last(self, kind: str) -> int:
        """How many lines the conversation takes from the last event of this kind to the end
        (all of it when there is none): whether a whole turn fits in view."""
        for i in range(len(self.events) - 1, -1, -1):
            if self.events[i].kind == kind and i < len(self._starts):
                return len(self._lines) - self._starts[i]
        return len(self._lines)

    def _rerender(self) -> None:
        self._lines = []
        self._starts = []
        for i, ev in enumerate(self.events):
            self._starts.append(len(self._lines))
            self._lines.extend(self._draw(i, ev))
        self._resize_virtual()

    def _draw(self, index: int, event: Event) -> list[Strip]:
        return [] if index in self.held else self._render_event(event, self._width)

    def _resize_virtual(self) -> None:
        self.virtual_size = Size(self._width, len(self._lines))

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width and width != self._width:
            self._width = width
            self._rerender()
            self.refresh()
        self._stick()

    def notify_style_update(self) -> None:  # theme or CSS changed: colours are baked in strips
        super().notify_style_update()
        if self._width:
            self._rerender()
            self.refresh()

    def _render_event(self, event: Event, width: int) -> list[Strip]:
        side, bar, bar_style, bg = LOOK.get(event.kind, LOOK["system"])
        parse = self.app.stylesheet.parse_style
        base = self.visual_style
        body = self.body(event)
        blank = Strip([Segment(" " * width, base.rich_style)], width)
        if side == "center":
            lines = body.wrap(max(1, width - 4), align="center")
            out = [self._strip(line, width, base, parse, left=2) for line in lines]
            return out + [blank]
        if side == "full":
            box = width
        else:
            box = max(12, int(width * self.BUBBLE_SHARE))
        inner = box - 3  # bar + one space each side
        lines = body.wrap(max(1, inner))
        used = max((ln.cell_length for ln in lines), default=0)
        if side != "full":
            box = used + 3
        block = base + parse(bg) if bg else base
        bar_seg = (
            Segment(bar, (block + parse(bar_style)).rich_style if bar_style else block.rich_style)
            if bar
            else None
        )
        out = []
        for line in lines:
            segs = [
                Segment(text, style.rich_style if style else None)
                for text, style in line.render(block, end="", parse_style=parse)
            ]
            pad = box - 3 - line.cell_length
            row = [
                Segment(" ", block.rich_style),
                *segs,
                Segment(" " * (pad + 1), block.rich_style),
            ]
            if bar_seg is not None:
                row = [*row, bar_seg] if side == "right" else [bar_seg, *row]
            else:
                row = [Segment(" ", block.rich_style), *row]
            left = width - box if side == "right" else 0
            if left > 0:
                row = [Segment(" " * left, base.rich_style), *row]
            strip = Strip(row).extend_cell_length(width, base.rich_style)
            out.append(strip)
        return out + [blank]

    def _strip(
        self,
        line: Content,
        width: int,
        base: Style,
        parse: Callable[[str | Style], Style],
        left: int = 0,
    ) -> Strip:
        segs = [
            Segment(text, style.rich_style if style else None)
            for text, style in line.render(base, end="", parse_style=parse)
        ]
        if left:
            segs.insert(0, Segment(" " * left, base.rich_style))
        return Strip(segs).extend_cell_length(width, base.rich_style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width and width != self._width and self.events:
            # Laid out since the events came (the play screen's first frame, when the scenario
            # was ready before it): wrap them now rather than draw an empty chat until on_resize.
            self._width = width
            self._rerender()
            self._stick()
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        if index >= len(self._lines):
            if index == 0 and self.placeholder:
                text = Content.styled(f"  {self.placeholder}", "italic")
                return self._strip(text, width, self.visual_style, self.app.stylesheet.parse_style)
            return Strip.blank(width, self.rich_style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, self.rich_style)
