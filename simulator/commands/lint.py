"""`countertalk lint FILE_OR_DIR...`: every problem in every file, at once."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.activities.codes import Diagnostic as ActivityDiagnostic
    from simulator.engine.loader import Diagnostic


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "targets",
        nargs="+",
        metavar="FILE_OR_DIR",
        help="scenario or activity files, or folders of *.yaml (a pack; its activities/ too)",
    )
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only, no warnings")
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: path:line:column: severity: message (default); json: a list",
    )


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from simulator.activities import lint as activity_lint
    from simulator.engine.loader import check_file, check_pack, scenario_files

    results = []
    activity_results = []
    missing = []
    for target in args.targets:
        files = scenario_files(target)
        extra = activity_lint.activity_files(target) if Path(target).is_dir() else []
        extra = [f for f in extra if f not in files]  # linting the activities/ folder itself
        if not (files or extra) or not all(f.exists() for f in files):
            missing.append(target)
            continue
        for f in files:
            if activity_lint.is_activity_file(f):  # a knowledge check: its own CT5xx rules
                activity_results.append(activity_lint.check_file(f, build_it=False))
            else:
                results.append(check_file(f, build=False))
        activity_results += [activity_lint.check_file(f, build_it=False) for f in extra]
    diags: list[Diagnostic | ActivityDiagnostic] = [d for r in results for d in r.diagnostics]
    adiags = [d for r in activity_results for d in r.diagnostics]
    scenario_ids = {r.scenario_id: r.path for r in results if r.scenario_id}
    adiags += activity_lint.check_pack(activity_results, scenario_ids)
    # Checks that need the scoring data (ending claims; --strict: blind-strategy layout).
    from scoring.lint_checks import diagnostics as scoring_checks
    from simulator.engine.loader import load_scenario

    for r in results:
        if not r.errors:
            diags += scoring_checks(load_scenario(r.path), strict=args.strict)
    # Pack rule: ids are unique across the files given together.
    diags += check_pack(results)
    if not args.quiet:  # typed replies: examples two options could be confused by (loads a model)
        from simulator.matching.lint import typed_reply_warnings

        diags += typed_reply_warnings(results)
    diags += adiags
    checked = len(results) + len(activity_results)
    if args.quiet:
        diags = [d for d in diags if d.severity == "error"]
    if args.format == "json":
        print(json.dumps([_as_json(d) for d in diags], indent=2))
    else:
        out = sys.stdout
        for d in diags:
            out.write(f"{d}\n")
    for m in missing:
        print(f"countertalk lint: no such file or folder of scenarios: {m}", file=sys.stderr)
    if missing:
        return 2
    errors = sum(d.severity == "error" for d in diags)
    warnings = sum(d.severity == "warning" for d in diags)
    if errors or warnings:
        print(f"{checked} file(s): {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def _as_json(d: Diagnostic | ActivityDiagnostic) -> dict[str, Any]:
    return d.as_json() if hasattr(d, "as_json") else dict(d.__dict__)
