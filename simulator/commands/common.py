"""What several commands do the same way: find and load a scenario, write output to -o or stdout.

Kept free of heavy imports at module level, like every command module.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.engine.model import Scenario


def load_target(
    target: str, pack: str | os.PathLike[str] | None, *, then: str = "try again"
) -> tuple[Scenario | None, int]:
    """(scenario, 0) for a file path or pack id; else (None, exit code) after saying why.

    A missing file or unknown id is a usage error (2); a scenario with errors prints every
    error as file:line:column and exits 1: the file goes through the one check pipeline
    (tooling/checks.py), so a tutor sees what lint shows. An activity is checked by its own
    rules, and when it has none broken it is a usage error (these commands take conversations).
    """
    from simulator.engine.loader import resolve
    from simulator.errors import fail
    from simulator.tooling.checks import load

    try:
        path = resolve(target, pack)
    except FileNotFoundError as exc:
        return None, fail(str(exc), 2)
    loaded = load(path)
    if loaded.scenario is not None:
        from simulator.engine.i18n import current
        from simulator.engine.strings import localised

        # In the learner's language (--lang): the string table beside the file, if any.
        return localised(loaded.scenario, current()), 0
    for d in loaded.errors:
        print(d, file=sys.stderr)
    if loaded.is_activity and not loaded.errors:
        return None, fail(
            f"{path} is an activity, not a conversation; this command takes a scenario", 2
        )
    return None, fail(f"{path} has errors; fix them (see 'countertalk lint {path}') and {then}")


def write_output(output: str | None, data: str | bytes, *, newline: str | None = "\n") -> int:
    """Write to the file named by -o (saying where it went), or to stdout for none or '-'."""
    from simulator.engine.text import plain
    from simulator.errors import fail

    if isinstance(data, str):  # a report or debrief saved to a file is shown by cat too
        data = plain(data)
    if not output or output == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return 0
    try:
        if isinstance(data, bytes):
            with open(output, "wb") as fh:
                fh.write(data)
        else:
            with open(output, "w", encoding="utf-8", newline=newline) as fh:
                fh.write(data)
    except OSError as exc:
        return fail(f"cannot write {output}: {exc.strerror or exc}")
    print(f"wrote {output}", file=sys.stderr)
    return 0


def add_app_options(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """Options shared by the picker and `play` (the app and plain mode). The top level passes
    prefix="top_" (see `cli._inherit_top_options`)."""
    parser.add_argument(
        "--pack",
        metavar="DIR",
        dest=f"{prefix}pack",
        help="scenario folder (default: the shipped pack)",
    )
    parser.add_argument(
        "--learner",
        metavar="NAME",
        dest=f"{prefix}learner",
        help="who is playing (default: your user name)",
    )
