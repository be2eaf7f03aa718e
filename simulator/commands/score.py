"""`countertalk score TRANSCRIPT.json`: re-score a saved transcript and print its debrief."""

from __future__ import annotations

import argparse
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "transcript",
        metavar="TRANSCRIPT.json",
        help="a transcript written by 'countertalk play --transcript-out'",
    )
    p.add_argument(
        "--format",
        choices=("json", "md", "html", "text"),
        default="text",
        help="json: the score object; md/html/text: the debrief (default: text)",
    )
    p.add_argument(
        "--pack",
        metavar="DIR",
        help="where to find the transcript's scenario by id (default: shipped pack)",
    )
    p.add_argument("--scenario", metavar="FILE", help="the scenario file itself")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from scoring.transcript import TranscriptError, read
    from simulator.engine.loader import ScenarioError, load_scenario, resolve
    from simulator.errors import fail

    try:
        transcript = read(args.transcript)
    except TranscriptError as exc:
        return fail(str(exc), 2 if "no such transcript" in str(exc) or "folder" in str(exc) else 1)

    if transcript.get("activity_format") is not None:  # a knowledge check's transcript
        return _activity(args, transcript)
    try:
        path = resolve(
            args.scenario or transcript["scenario"], None if args.scenario else args.pack
        )
    except FileNotFoundError as exc:
        return fail(f"{args.transcript}: {exc}; or pass --scenario FILE", 1)
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        first = next((d for d in exc.diagnostics if d.severity == "error"), None)
        return fail(f"{first or path}; fix the scenario first ('countertalk lint {path}')", 1)
    if scenario.id != transcript["scenario"]:
        return fail(
            f"{args.transcript}: the transcript is of scenario "
            f"'{transcript['scenario']}' but {path} is '{scenario.id}'",
            1,
        )
    version = transcript.get("scenario_version")
    if version and version != scenario.content_hash:
        print(
            f"countertalk: warning: {path} has changed since this transcript was recorded; "
            f"scoring against the current file",
            file=sys.stderr,
        )

    from scoring.scorer import ScoringError, score

    try:
        result = score(scenario, transcript)
    except ScoringError as exc:
        return fail(f"{args.transcript}: {exc}", 1)
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    from scoring.debrief import render
    from simulator.engine.i18n import current
    from simulator.engine.strings import localised

    # Scored on the file as written; the debrief is read in the reader's language (--lang), its
    # scenario text from the string table beside the file (the same ids, states and marks).
    shown = localised(scenario, current())
    sys.stdout.write(render(shown, transcript, result, fmt=args.format))
    return 0


def _activity(args: argparse.Namespace, transcript: dict[str, Any]) -> int:
    import json
    import sys

    from simulator.activities.files import resolve
    from simulator.activities.lint import ActivityError, load_activity
    from simulator.activities.rescore import RescoreError, render_text, replay
    from simulator.errors import fail

    path = resolve(args.scenario or transcript["scenario"], None if args.scenario else args.pack)
    if path is None:
        return fail(f"{args.transcript}: no activity '{transcript['scenario']}' in the pack", 1)
    try:
        activity = load_activity(path)
    except ActivityError as exc:
        first = next((d for d in exc.diagnostics if d.severity == "error"), None)
        return fail(f"{first or path}; fix the activity first ('countertalk lint {path}')", 1)
    if activity.id != transcript["scenario"]:
        return fail(f"{args.transcript}: the transcript is of '{transcript['scenario']}'", 1)
    try:
        run = replay(activity, transcript)
    except RescoreError as exc:
        return fail(f"{args.transcript}: {exc}", 1)
    if args.format == "json":
        print(json.dumps(run.result(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(activity, run))
    return 0
