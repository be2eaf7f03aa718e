"""`countertalk schema [-o FILE]`: the JSON Schema of the scenario format, for editors."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the schema to FILE instead of printing it (point your editor's "
                        "'# yaml-language-server: $schema=FILE' line at it)")


def run(args) -> int:
    import sys

    from simulator.errors import fail
    from simulator.tooling.schema import dumps

    text = dumps()
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        return fail(f"cannot write {args.output}: {exc.strerror or exc}")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
