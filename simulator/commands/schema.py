"""`countertalk schema [-o FILE]`: the JSON Schema of the scenario format, for editors."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the schema to FILE instead of printing it (point your editor's "
        "'# yaml-language-server: $schema=FILE' line at it)",
    )


def run(args: argparse.Namespace) -> int:
    from simulator.tooling.schema import dumps

    text = dumps()
    from simulator.commands.common import write_output

    return write_output(args.output, text)
