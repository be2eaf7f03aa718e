"""CounterTalk's own themes, for the app and the classroom alike (one module, one definition each).

- ``high-contrast``: pure black and white with saturated accents (WCAG AAA text contrast); the
  same theme whichever app asks for it (F2 in the app, ``--theme high-contrast`` in either).
- ``projector``: white on black with a yellow accent, readable from the back of a room and
  through a washed-out projector; the classroom's default.

Everything either app shows also carries words (mood, grade, who is speaking), so no
information depends on colour in any theme.
"""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF00FF",
    warning="#FFA500",
    error="#FF5555",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#202020",
    dark=True,
    text_alpha=1.0,
    variables={
        "text-muted": "#FFFFFF",
        "foreground-muted": "#FFFFFF",  # what Content styles use for muted text (see text.py)
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "input-selection-background": "#FFFF00 60%",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "block-cursor-text-style": "bold",
        "border": "#FFFFFF",
    },
)

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

THEMES = (HIGH_CONTRAST, PROJECTOR)


def theme_names() -> list[str]:
    """Every theme name either app accepts: Textual's built-ins and ours."""
    from textual.theme import BUILTIN_THEMES

    return sorted(set(BUILTIN_THEMES) | {t.name for t in THEMES})
