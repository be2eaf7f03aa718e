"""Scenario text is data: every string from a YAML file or a learner reaches the screen here.

`literal()` strips terminal control sequences (the engine's `plain`) and wraps the rest in a
`Content` with no markup parsing, so `[@click=app.quit]` or `[bold]` in a scenario prints as typed.
"""

from __future__ import annotations

from textual.content import Content

from simulator.engine.text import plain as plain  # the engine's plain-text rule (no Jinja2)

# Muted text in a Content style. Not "$text-muted": themes give that as "auto 60%", which only
# CSS understands (in a Content style it came out at full strength); "$foreground-muted" is a
# colour (the high-contrast theme sets it to white, as it does $text-muted).
MUTED = "$foreground-muted"

# What Content.assemble joins: text, Content, or (text, style).
Piece = Content | tuple[str, str] | str


def literal(text: object, style: str = "") -> Content:
    s = plain("" if text is None else str(text))
    return Content.styled(s, style) if style else Content(s)


def join(*parts: Piece) -> Content:
    """Assemble pieces; bare strings here are OUR labels (never scenario text)."""
    out: list[Piece] = []
    for p in parts:
        if isinstance(p, tuple):
            out.append((plain(p[0]), p[1]))
        else:
            out.append(p)
    return Content.assemble(*out)
