"""Opening an activity from `countertalk play`: plain text, or the app's activity screen."""

from __future__ import annotations

import sys


def run_activity(args, path) -> int:
    from simulator.errors import fail

    from .lint import ActivityError, load_activity

    try:
        activity = load_activity(path)
    except ActivityError as exc:
        for d in exc.diagnostics:
            if d.severity == "error":
                print(d, file=sys.stderr)
        return fail(f"{path} has errors; fix them (see 'countertalk lint {path}') and try again")
    if getattr(args, "resume", False) or getattr(args, "assess", False):
        print("(activities have no --resume or --assess; playing it through)", file=sys.stderr)
    if args.plain:
        from .plain import play_plain

        return play_plain(activity, args)
    from simulator.tui.launch import run_activity_app

    return run_activity_app(args, activity)
