"""The last gate before the terminal: every text a command prints passes the one plain-text rule.

Why a gate at the streams as well as at each field: untrusted text (scenario files, transcripts,
learner names, an LRS's error body) reaches the terminal through many formatting paths (plain
mode, the debriefs, reports, lint, errors), and one forgotten field was enough for an OSC 52
clipboard write to reach the terminal raw (issue 31, item 1). Each path still cleans what it
shows (so HTML and Markdown escaping see clean text); this gate makes a missed field harmless.

`cli.main` installs it around every command that prints text (not the language server, whose
stdout is a protocol). The Textual app draws on ``sys.__stderr__`` and is not affected; binary
output through ``.buffer`` (none of it untrusted text) passes as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from simulator.engine.text import plain


class SafeStream:
    """A text stream that removes terminal control sequences from everything written to it."""

    def __init__(self, raw: TextIO) -> None:
        self._raw = raw

    def write(self, text: str) -> int:
        self._raw.write(plain(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, buffer, encoding, fileno, ...
        return getattr(self._raw, name)


@contextmanager
def sanitised_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr through :class:`SafeStream` for the block, restored after."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = SafeStream(out)
    sys.stderr = SafeStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
