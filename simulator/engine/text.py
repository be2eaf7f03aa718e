"""The plain-text rule for everything a scenario makes us show (no Jinja2: the UI uses it before
the scenario is loaded). Terminal control sequences are removed, everything else shown literally.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC
    r"|\x1b[@-Z\\-_]?"  # other ESC
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
    r"|[\ud800-\udfff]"  # a lone surrogate cannot be printed, stored or sent
)


def plain(text: str) -> str:
    """Strip terminal control sequences and bidi overrides; keep newlines and tabs."""
    if text.isprintable():
        return text
    return _CONTROL.sub("", text.replace("\r\n", "\n"))
