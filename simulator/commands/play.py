"""`countertalk play FILE_OR_ID`: the app, or `--plain` text that scripts and screen readers use."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        metavar="FILE_OR_ID",
        help="a scenario or activity file, or the id of one in the pack",
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
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--type",
        dest="reply_mode",
        action="store_const",
        const="type",
        help="type what you would say; it is matched to the options (a bare number still picks)",
    )
    how.add_argument(
        "--pick",
        dest="reply_mode",
        action="store_const",
        const="pick",
        help="pick numbered options (the default unless the app's setting says typing)",
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from simulator.activities.files import resolve as resolve_activity
    from simulator.errors import fail

    activity_path = resolve_activity(args.scenario, args.pack)
    if activity_path is not None:  # a knowledge check, not a conversation
        return run_activity(args, activity_path)
    path = Path(args.scenario)
    if not path.is_file():  # an id in the pack (the loader is only imported for this)
        from simulator.engine.pack import resolve

        try:
            path = resolve(args.scenario, args.pack)
        except FileNotFoundError as exc:
            return fail(str(exc), 2)
    if args.plain:
        from simulator.plain import play_plain

        return play_plain(path, args)
    from simulator.tui.launch import run_play

    return run_play(args, path)


def run_activity(args: argparse.Namespace, path: Path) -> int:
    """`play ACTIVITY`: plain text, or the app's activity screen."""
    import sys

    if args.plain:
        from simulator.plain import play_plain

        return play_plain(path, args)

    from simulator.activities.lint import ActivityError, load_activity
    from simulator.errors import fail

    try:
        activity = load_activity(path)
    except ActivityError as exc:
        for d in exc.diagnostics:
            if d.severity == "error":
                print(d, file=sys.stderr)
        return fail(f"{path} has errors; fix them (see 'countertalk lint {path}') and try again")
    if args.resume or args.assess:
        print("(activities have no --resume or --assess; playing it through)", file=sys.stderr)
    from simulator.tui.launch import run_activity_app

    return run_activity_app(args, activity)


def run_picker(args: argparse.Namespace) -> int:
    from simulator.tui.launch import run_picker as launch

    return launch(args)
