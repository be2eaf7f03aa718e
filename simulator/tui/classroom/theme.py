"""The projector theme: white on black with a yellow accent, readable from the back of a room
and through a washed-out projector. Every meaning also has a word or a symbol, never colour only.
"""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="projector",
    primary="#FFD700",
    secondary="#4FC3F7",
    accent="#FFD700",
    warning="#FFB300",
    error="#FF6E6E",
    success="#7CFC7C",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    dark=True,
)

ALIASES = {"high-contrast": "projector"}
