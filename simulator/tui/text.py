"""Scenario text is data: every string from a YAML file or a learner reaches the screen here.

`literal()` strips terminal control sequences (the engine's `plain`) and wraps the rest in a
`Content` with no markup parsing, so `[@click=app.quit]` or `[bold]` in a scenario prints as typed.
"""

from __future__ import annotations

from textual.content import Content


def plain(text: str) -> str:
    """The engine's plain-text rule, imported on first use: `simulator.engine.templating` brings
    Jinja2, which the first frame does not need (the scenario loads in a thread after it)."""
    from simulator.engine.templating import plain as engine_plain

    return engine_plain(text)


def literal(text: object, style: str = "") -> Content:
    s = plain("" if text is None else str(text))
    return Content.styled(s, style) if style else Content(s)


def join(*parts: Content | tuple[str, str] | str) -> Content:
    """Assemble pieces; bare strings here are OUR labels (never scenario text)."""
    out = []
    for p in parts:
        if isinstance(p, tuple):
            out.append((plain(p[0]), p[1]))
        else:
            out.append(p)
    return Content.assemble(*out)
