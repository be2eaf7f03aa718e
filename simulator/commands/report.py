"""`countertalk report`: recorded attempts and per-scenario analytics for tutors."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.store import AttemptRecord


def _since(text: str) -> float:
    from simulator.tooling.report import BadDate, parse_since

    try:
        return parse_since(text)
    except BadDate as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_store_filters(p: argparse.ArgumentParser) -> None:
    """Options shared with `export`."""
    p.add_argument("--learner", metavar="L", help="only this learner's attempts")
    p.add_argument("--scenario", metavar="S", help="only attempts at this scenario id")
    p.add_argument(
        "--since",
        metavar="DATE",
        type=_since,
        help="only attempts started on or after this day (YYYY-MM-DD, local time)",
    )
    p.add_argument(
        "--db",
        metavar="FILE_OR_URL",
        help="the results database, a file or a postgresql:// URL (default: $COUNTERTALK_DB, "
        "else $COUNTERTALK_HOME/countertalk.db, or your user data folder)",
    )
    p.add_argument(
        "--pack",
        metavar="DIR",
        help="where to find scenarios whose files have moved (default: the shipped pack)",
    )
    p.add_argument(
        "--classroom",
        action="store_true",
        help="include classroom sessions (recorded under team names, so left out by default)",
    )


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_store_filters(p)
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default), csv (one row per attempt; with --choices one row per "
        "choice) or json (attempts and analytics)",
    )
    p.add_argument(
        "--choices",
        action="store_true",
        help="csv: write the per-choice analytics instead of the attempts",
    )
    p.add_argument(
        "--progress",
        action="store_true",
        help="the progress map instead: each learner's (or --learner's), then the whole class's "
        "(table: text; json; csv is not offered)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    p.add_argument(
        "--unmatched",
        action="store_true",
        help="list typed replies that were not understood (with the state and what the learner "
        "chose next), to turn into examples:",
    )


def open_attempts(args: argparse.Namespace) -> tuple[list[AttemptRecord], int | None]:
    """(attempts, error exit code or None) for the filters in args; prints errors (then the
    attempts are [])"""
    from pathlib import Path

    from simulator.errors import fail
    from simulator.store import Store, StoreError
    from simulator.store.errors import is_url

    location = args.db or Store.default_location()
    if not is_url(location):
        path = Path(location).expanduser()
        if not path.exists() and not path.is_symlink():
            if args.db:
                return [], fail(f"no results database at {path}; check the path", 2)
            return [], None  # nothing recorded yet: an empty report, and no file created
        location = path
    try:
        with Store(location) as store:
            found = store.attempts(
                learner=args.learner, scenario_id=args.scenario, since=args.since
            )
    except StoreError as exc:
        return [], fail(str(exc))
    # A class's decisions are recorded under its team names ("Red", "class"): mixed into learner
    # analytics they would read as learners, so they come in only when asked for.
    if not getattr(args, "classroom", False):
        found = [a for a in found if a.mode != "classroom"]
    return found, None


def run_unmatched(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from simulator.commands.common import write_output
    from simulator.errors import fail
    from simulator.matching.unmatched import COLUMNS, to_table, unmatched_rows
    from simulator.store import Store, StoreError

    path = Path(args.db) if args.db else Store.default_path()
    records: list[tuple[int, str, str, int, dict[str, Any]]] = []
    if path.exists():
        try:
            with Store(path) as store:
                records = store.choice_records(
                    learner=args.learner, scenario_id=args.scenario, since=args.since
                )
        except StoreError as exc:
            return fail(str(exc))
    elif args.db:
        return fail(f"no results database at {path}; check the path", 2)
    rows = unmatched_rows(records)
    if args.format == "json":
        text = json.dumps({"unmatched": rows}, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        from simulator.tooling import report

        text = report.to_csv(rows, COLUMNS)
    else:
        text = to_table(rows)
    return write_output(args.output, text, newline="" if args.format == "csv" else "\n")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from simulator.tooling import report

    if getattr(args, "unmatched", False):
        return run_unmatched(args)

    attempts, code = open_attempts(args)
    if code is not None:
        return code
    if args.progress:
        return _progress(args, attempts)
    records = [report.attempt_record(a) for a in attempts]
    # Per-state choice analytics are a conversation's; activity attempts are listed as attempts
    # (mode "activity") and summed up by --progress.
    from simulator.activities.record import is_activity_transcript

    conversations = [a for a in attempts if not is_activity_transcript(a.transcript)]
    stats = report.analytics(conversations, report.ScenarioIndex(args.pack))
    if not attempts:
        print(
            "no finished attempts match"
            + (
                " these filters"
                if args.learner or args.scenario or args.since
                else " (none recorded yet)"
            ),
            file=sys.stderr,
        )
    if args.format == "json":
        text = (
            json.dumps(
                {"attempts": records, "scenarios": [s.as_dict() for s in stats]},
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    elif args.format == "csv":
        if args.choices:
            text = report.to_csv(report.choice_rows(stats), report.CHOICE_COLUMNS)
        else:
            text = report.to_csv(
                records, report.ATTEMPT_COLUMNS + ("scenario_hash", "ending", "final_mood", "turns")
            )
    else:
        if not attempts:
            return 0
        import shutil

        text = report.to_table(records, stats, width=shutil.get_terminal_size().columns)
    from simulator.commands.common import write_output

    # newline='': the csv module writes its own line endings
    return write_output(args.output, text, newline="" if args.format == "csv" else "\n")


def _progress(args: argparse.Namespace, attempts: list[AttemptRecord]) -> int:
    """Tutor view: a progress map per learner, and one for the class (every learner's evidence
    together, so the class's weakest points and what to teach next stand out)."""
    import json

    from simulator.commands.common import write_output
    from simulator.commands.progress import build, render
    from simulator.errors import fail

    if args.format == "csv":
        return fail("--progress prints text or json; use --format table or json", 2)
    learners = sorted({a.learner for a in attempts})
    maps = [(who, build([a for a in attempts if a.learner == who], args.pack)) for who in learners]
    if not args.learner:
        from simulator.engine.i18n import gettext as _

        whole = _("the class ({n} learners)").format(n=len(learners))
        maps.append((whole, build(attempts, args.pack)))
    if args.format == "json":
        text = json.dumps([{"learner": w, **m} for w, m in maps], indent=2, ensure_ascii=False)
        return write_output(args.output, text + "\n")
    text = "\n".join(render(m, w, "text") for w, m in maps) or "no finished attempts match\n"
    return write_output(args.output, text)
