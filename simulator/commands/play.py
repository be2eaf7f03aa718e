"""`countertalk play FILE_OR_ID`: the app, or `--plain` text that scripts and screen readers use."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        metavar="FILE_OR_ID",
        help="a scenario file, or the id of a scenario in the pack",
    )
    from simulator.commands.common import add_app_options

    add_app_options(p)
    p.add_argument(
        "--plain",
        action="store_true",
        help="plain text: numbered choices, one number per line on standard input",
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="seed for the customer's varied lines (default: random)",
    )
    p.add_argument(
        "--assess", action="store_true", help="assessment mode: feedback waits for the debrief"
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue your last unfinished attempt at this scenario",
    )
    p.add_argument(
        "--transcript-out",
        metavar="FILE.json",
        help="write the transcript and its score as JSON at the end",
    )
    p.add_argument(
        "--no-save", action="store_true", help="do not record this attempt in the results store"
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="(app) reload the scenario when its file is saved: a live preview",
    )
    p.add_argument("--theme", metavar="NAME", help="(app) a Textual theme, or 'high-contrast'")


def run(args) -> int:
    from pathlib import Path

    from simulator.errors import fail

    path = Path(args.scenario)
    if not path.is_file():  # an id in the pack (the loader is only imported for this)
        from simulator.engine.loader import resolve

        try:
            path = resolve(args.scenario, args.pack)
        except FileNotFoundError as exc:
            return fail(str(exc), 2)
    if args.plain:
        from simulator.plain import play_plain

        return play_plain(path, args)
    from simulator.tui.launch import run_play

    return run_play(args, path)


def run_picker(args) -> int:
    from simulator.tui.launch import run_picker as launch

    return launch(args)
