"""Scenario text and team names are data: they reach the projector only through `lit`.

The same rule as the app (`simulator.tui.text.literal`, over the engine's one `plain`)."""

from __future__ import annotations

from textual.content import Content

from simulator.engine.text import plain

from ..text import literal as lit

__all__ = ["lit", "quoted"]


def quoted(text: object, style: str = "") -> Content:
    return lit(f"“{plain('' if text is None else str(text))}”", style)
