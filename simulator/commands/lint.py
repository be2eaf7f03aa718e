"""`countertalk lint FILE_OR_DIR...`: every problem in every file, at once."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "targets",
        nargs="+",
        metavar="FILE_OR_DIR",
        help="scenario files, or folders of *.yaml (a pack)",
    )
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only, no warnings")
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: path:line:column: severity: message (default); json: a list",
    )


def run(args) -> int:
    import json
    import sys

    from simulator.engine.loader import check_file, check_pack, scenario_files

    results = []
    missing = []
    for target in args.targets:
        files = scenario_files(target)
        if not files or not all(f.exists() for f in files):
            missing.append(target)
            continue
        for f in files:
            results.append(check_file(f, build=False))
    diags = [d for r in results for d in r.diagnostics]
    # Checks that need the scoring data (ending claims; --strict: blind-strategy layout).
    from scoring.lint_checks import diagnostics as scoring_checks
    from simulator.engine.loader import load_scenario

    for r in results:
        if not r.errors:
            diags += scoring_checks(load_scenario(r.path), strict=args.strict)
    # Pack rule: ids are unique across the files given together.
    diags += check_pack(results)
    if args.quiet:
        diags = [d for d in diags if d.severity == "error"]
    if args.format == "json":
        print(json.dumps([d.__dict__ for d in diags], indent=2))
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
        print(f"{len(results)} file(s): {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0
