"""Typed input is untrusted: cap its length, remove control characters, keep it as plain text.

A learner's line is shown back in the chat, stored in transcripts and printed in reports, so it
must never carry terminal control sequences or grow without bound. Markup is not interpreted
here or anywhere it is shown (the UI displays it as Text, not markup).
"""

from __future__ import annotations

import unicodedata

from simulator.engine.text import plain

MAX_TYPED = 300
"""Characters kept from a typed line: a long reply at a counter is two or three sentences."""


def clean_typed(text: str) -> str:
    """NFKC-normalised, control characters removed, whitespace collapsed, at most MAX_TYPED."""
    text = unicodedata.normalize("NFKC", text[: MAX_TYPED * 4])
    text = plain(text)
    text = " ".join(text.split())
    return text[:MAX_TYPED].strip()


def as_number(text: str, count: int) -> int | None:
    """A bare option number (ASCII digits only) from 1 to count, else None."""
    t = text.strip().rstrip(".)")
    if t.isascii() and t.isdigit() and len(t) <= 4 and 1 <= int(t) <= count:
        return int(t)
    return None
