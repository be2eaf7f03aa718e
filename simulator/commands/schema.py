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
    p.add_argument(
        "--activity",
        action="store_true",
        help="the schema of activity files (knowledge checks) instead of scenarios",
    )


def run(args) -> int:
    if getattr(args, "activity", False):
        import json

        from simulator.activities.schema import activity_schema

        text = json.dumps(activity_schema(), indent=2) + "\n"
    else:
        from simulator.tooling.schema import dumps

        text = dumps()
    from simulator.commands.common import write_output

    return write_output(args.output, text)
