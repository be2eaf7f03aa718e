"""The conversation as a chat: customer left, learner right, stage directions and coaching apart.

Every bubble starts with a word saying who speaks ("Priya:", "You:", "Coach:"), so the
conversation reads correctly without colour and to a screen reader.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from ..text import join, literal

OUTCOME_WORDS = {"resolved": "Resolved", "escalated": "Escalated", "unresolved": "Unresolved",
                 "lost": "Customer lost"}


class ChatBubble(Static):
    DEFAULT_CSS = """
    ChatBubble { width: auto; max-width: 85%; height: auto; padding: 0 1; margin: 0 0 1 0; }
    ChatBubble.-customer { background: $boost; border-left: thick $secondary; }
    ChatBubble.-learner { background: $primary 20%; border-right: thick $primary; }
    ChatBubble.-note { color: $text-muted; text-style: italic; width: 1fr; max-width: 100%;
                       content-align: center middle; text-align: center; }
    ChatBubble.-feedback { background: $success 10%; border-left: wide $success; }
    ChatBubble.-mood { color: $text-muted; margin: 0 0 1 0; padding: 0 0 0 2; }
    ChatBubble.-system { color: $warning; text-style: italic; }
    ChatBubble.-ending { background: $accent 15%; border: round $accent; width: 1fr;
                         max-width: 100%; }
    """


class ChatView(VerticalScroll):
    DEFAULT_CSS = """
    ChatView { height: 1fr; padding: 0 1; }
    ChatView > .-learner-row { align-horizontal: right; height: auto; }
    """

    def __init__(self, *, customer_name: str = "Customer", id: str | None = None) -> None:
        super().__init__(id=id)
        self.customer_name = customer_name
        self.count = 0

    def clear(self) -> None:
        self.remove_children()
        self.count = 0

    def bubble_for(self, event) -> ChatBubble:
        kind = event.kind
        if kind == "customer":
            body = join((f"{self.customer_name}: ", "bold $text-secondary"), literal(event.text))
        elif kind == "learner":
            body = join(("You: ", "bold $text-primary"), literal(event.text))
        elif kind == "note":
            body = join(("(", ""), literal(event.text, "italic"), (")", ""))
        elif kind == "feedback":
            body = join(("Coach: ", "bold $text-success"), literal(event.text))
        elif kind == "mood":
            body = join(("Mood: ", "bold"), literal(event.text))
        elif kind == "ending":
            word = OUTCOME_WORDS.get(event.text, event.text.title())
            parts: list = [("Conversation over — ", "bold"), (word, "bold $text-accent")]
            if event.extra.get("debrief"):
                parts += ["\n", literal(event.extra["debrief"])]
            body = join(*parts)
        else:
            body = literal(event.text)
        return ChatBubble(body, classes=f"-{kind}", markup=False)

    def add_events(self, events) -> None:
        """Mount the events not yet shown, and scroll to the newest."""
        new = events[self.count:]
        if not new:
            return
        widgets = []
        for ev in new:
            b = self.bubble_for(ev)
            if ev.kind == "learner":
                from textual.containers import HorizontalGroup

                row = HorizontalGroup(b, classes="-learner-row")
                widgets.append(row)
            else:
                widgets.append(b)
        self.count = len(events)
        self.mount_all(widgets)
        self.call_after_refresh(self.scroll_end, animate=False)
