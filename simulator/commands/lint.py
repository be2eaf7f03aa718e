"""`countertalk lint FILE_OR_DIR...`: every problem in every file, at once, each with a code."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.activities.lint import CheckResult as ActivityCheckResult
    from simulator.engine.lint.diagnostics import Diagnostic
    from simulator.engine.loader import CheckResult


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
        "--ignore",
        action="append",
        default=[],
        metavar="CODE",
        help="leave out a warning by code, e.g. --ignore CT402 (repeat, or CT402,CT215); "
        "see docs/diagnostics.md",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: path:line:column: severity: message [CODE name] (default); json: a list",
    )


def parse_ignore(values: list[str]) -> tuple[set[str], list[str]]:
    """(warning codes to leave out, complaints about the rest)."""
    from simulator.engine.lint.diagnostics import CODES

    codes, problems = set(), []
    for value in values:
        for code in filter(None, (c.strip().upper() for c in value.split(","))):
            if code not in CODES:
                problems.append(f"unknown code '{code}' (see docs/diagnostics.md)")
            elif CODES[code][1] == "error":
                problems.append(f"{code} is an error and cannot be ignored; fix it instead")
            else:
                codes.add(code)
    return codes, problems


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from simulator.activities import lint as activity_lint
    from simulator.activities.files import activity_files, is_activity_file
    from simulator.engine.loader import check_file, check_pack, make, scenario_files
    from simulator.engine.pack import is_test_file

    ignore, problems = parse_ignore(args.ignore)
    if problems:
        for p in problems:
            print(f"countertalk lint: {p}", file=sys.stderr)
        return 2
    results: list[CheckResult] = []
    activity_results: list[ActivityCheckResult] = []
    missing = []
    for target in args.targets:
        files = scenario_files(target)
        extra = activity_files(target) if Path(target).is_dir() else []
        extra = [f for f in extra if f not in files]  # linting the activities/ folder itself
        if not (files or extra) or not all(f.exists() for f in files):
            missing.append(target)
            continue
        for f in files:
            if is_test_file(f):
                print(
                    f"countertalk lint: {f} holds scenario tests; run 'countertalk test {f}'",
                    file=sys.stderr,
                )
                continue
            if is_activity_file(f):  # a knowledge check: its own CT5xx rules
                activity_results.append(activity_lint.check_file(f, build_it=False))
                continue
            try:
                # Built when clean: the scoring checks below need the Scenario, and building it
                # here costs less than parsing the file a second time.
                results.append(check_file(f, build=True, ignore=ignore))
            except Exception as exc:  # one bad file never stops the rest of the pack
                from simulator.engine.loader import CheckResult

                results.append(
                    CheckResult(
                        str(f),
                        [
                            make(
                                str(f),
                                1,
                                1,
                                "CT900",
                                f"could not be checked ({type(exc).__name__})",
                            )
                        ],
                    )
                )
        activity_results += [activity_lint.check_file(f, build_it=False) for f in extra]
    diags = [d for r in results for d in r.diagnostics]
    adiags = [d for r in activity_results for d in r.diagnostics]
    scenario_ids = {r.scenario_id: r.path for r in results if r.scenario_id}
    adiags += activity_lint.check_pack(activity_results, scenario_ids)
    # Checks that need the scoring data (ending claims; --strict: blind-strategy layout and the
    # exact odds of passing by chance).
    from scoring.lint_checks import diagnostics as scoring_checks
    from simulator.engine.loader import silence

    for r in results:
        if r.scenario is not None:
            found = scoring_checks(r.scenario, strict=args.strict)
            if found:
                try:
                    raw = open(r.path, "rb").read()
                except OSError:
                    raw = b""
                diags += silence(found, raw, ignore)
    if args.strict:  # a folder linted as a pack: does its wording give the answers away?
        from scoring.lint_checks import pack_diagnostics

        for target in args.targets:
            if not Path(target).is_dir():
                continue
            in_folder = {str(f) for f in scenario_files(target)}
            pack = [r.scenario for r in results if r.scenario is not None and r.path in in_folder]
            for path, found in pack_diagnostics(pack, str(target)).items():
                try:
                    raw = open(path, "rb").read()
                except OSError:
                    raw = b""
                diags += silence(found, raw, ignore)
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
        print(json.dumps([_as_json(d) for d in diags], indent=2, ensure_ascii=True))
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
    counted = f"{checked} file{'s' if checked != 1 else ''}"
    if errors or warnings:
        print(
            f"{counted}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}",
            file=sys.stderr,
        )
    elif args.format == "text":
        print(f"{counted}, no problems")
    else:
        print(f"{counted}, no problems", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def _as_json(d: Diagnostic) -> dict[str, Any]:
    return d.as_json() if hasattr(d, "as_json") else dict(d.__dict__)
