"""The one plain-text rule: terminal controls, in 7-bit and 8-bit (C1) form, leave nothing behind."""

from __future__ import annotations

import pytest

from simulator.engine import templating
from simulator.engine.text import plain


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("a\x9b2Jb", "ab"),  # C1 CSI: the parameters go with it, no stray "2J"
        ("x\x1b[31mred\x1b[0m", "xred"),
        ("t\x9d0;pwned\x07u", "tu"),  # C1 OSC (window title) up to BEL
        ("t\x1b]0;pwned\x1b\\u", "tu"),
        ("p\x90data\x9cq", "pq"),  # C1 DCS up to ST
        ("next\x85line", "nextline"),  # a lone C1 control
        ("ok\u202eevil", "okevil"),  # bidi override
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("£5 café — “quoted”", "£5 café — “quoted”"),
    ],
)
def test_plain_strips_controls_and_keeps_text(raw, shown):
    assert plain(raw) == shown


def test_there_is_one_rule():
    """The templating module's `plain` (used by scoring and the classroom) is the same function."""
    from simulator.tui import text as app_text
    from simulator.tui.classroom import text as class_text

    assert templating.plain is plain is app_text.plain is class_text.plain


def test_visible_shows_controls_as_escapes_for_diagnostics():
    from simulator.engine.text import visible

    assert visible("bad\x1b[2Jkey\n\x85\u202e\tok") == "bad\\x1b[2Jkey\\n\\x85\\u202e\tok"
