"""`countertalk list`: everything in a pack — conversations and activities — with the course
marking points each gives evidence for."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pack", metavar="DIR", help="scenario folder (default: the shipped pack)")
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: a table (default); json: a list of {id, title, kind, topic, level, "
        "marking_points, path}",
    )


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from simulator.activities.progress import pack_entries
    from simulator.errors import fail

    if args.pack and not __import__("os").path.isdir(args.pack):
        return fail(f"no such pack folder: {args.pack}", 2)
    entries, problems = pack_entries(args.pack)
    for p in problems:
        print(f"countertalk list: skipped {p}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps([e.as_dict() for e in entries], indent=2, ensure_ascii=False))
        return 0
    import textwrap

    from simulator.activities.progress import point_texts

    texts = point_texts()  # the course's words; the ids stay in --format json for tools
    for e in entries:  # a block per entry: fits 80 columns whatever the ids
        print(f"{e.id}  ({e.kind}, {e.topic}, level {e.level})")
        print(f"  {e.title}")
        if not e.marking_points:
            print("  Marking points: none")
            continue
        print("  Evidence for these marking points:")
        for mp in e.marking_points:
            print(
                textwrap.fill(
                    texts.get(mp, mp), 78, initial_indent="  - ", subsequent_indent="    "
                )
            )
    return 0
