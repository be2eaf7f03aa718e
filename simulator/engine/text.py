"""The one plain-text rule for everything a scenario, a transcript or a learner makes us show.

Terminal control sequences are removed, everything else shown literally. No Jinja2 here: the UI
uses it before the scenario is loaded. Every front end (app, classroom, plain mode, debrief
templates, reports) goes through :func:`plain`; the TUI wraps its result in a markup-free
`Content`, the HTML templates escape it, the Markdown filter backslash-escapes it.

Both 7-bit (``ESC [``) and 8-bit C1 forms (``\\x9b`` CSI, ``\\x9d`` OSC, ``\\x90`` DCS, …) are
removed *with their parameters*, so ``\\x9b2J`` leaves nothing behind rather than a stray "2J";
bidi overrides and zero-width characters go too (they can make text read differently from what
it is).
"""

from __future__ import annotations

import re
from typing import Any

# C0 (but tab and newline), DEL, C1, zero-width and bidi controls.
_CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069"

_CONTROL = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI (7-bit and C1), with its parameters
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, up to its terminator
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS/SOS/PM/APC
    r"|\x1b[@-Z\\-_]?"  # other ESC
    rf"|[{_CONTROL_CHARS}]"  # lone controls
    r"|[\ud800-\udfff]"  # a lone surrogate cannot be printed, stored or sent
)
_VISIBLE = re.compile(rf"[\n{_CONTROL_CHARS}]")


def plain(text: str) -> str:
    """Strip terminal control sequences (7-bit and C1), C0/C1 controls and bidi overrides; keep
    newlines and tabs."""
    if text.isprintable():
        return text
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def visible(text: str) -> str:
    """Every control character (newlines too) written as its escape (``\\x1b``), for one-line
    diagnostics: the tutor must *see* the stray character to fix it, and it must not act."""
    return _VISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def deep_plain(value: Any) -> Any:
    """Every string in a JSON-like value (dict keys too) through :func:`plain`: for output that
    another program shows (xAPI statements an LRS displays)."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {deep_plain(k): deep_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [deep_plain(v) for v in value]
    return value
