"""How failures reach a user: one clear line, never a traceback (unless COUNTERTALK_DEBUG=1)."""

from __future__ import annotations

import os
import sys


def fail(message: str, code: int = 1) -> int:
    print(f"countertalk: {message}", file=sys.stderr)
    return code


def report_unexpected(exc: BaseException) -> int:
    if os.environ.get("COUNTERTALK_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    name = type(exc).__name__
    print(
        f"countertalk: unexpected {name}: {exc}\n"
        f"This is a bug in CounterTalk, not in your work (anything you did is saved). "
        f"Run again with COUNTERTALK_DEBUG=1 to see the details, and report them.",
        file=sys.stderr,
    )
    return 1
