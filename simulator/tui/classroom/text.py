"""Scenario text and team names are data: they reach the projector only through `lit`."""

from __future__ import annotations

from textual.content import Content

from simulator.engine.templating import plain


def lit(text: object, style: str = "") -> Content:
    """Literal text (control sequences stripped, no markup parsed), optionally styled."""
    s = plain("" if text is None else str(text))
    return Content.styled(s, style) if style else Content(s)


def quoted(text: object, style: str = "") -> Content:
    return lit(f"“{plain('' if text is None else str(text))}”", style)
