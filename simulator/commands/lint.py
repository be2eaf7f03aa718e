"""`countertalk lint FILE_OR_DIR...`: every problem in every file, at once, each with a code."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.engine.lint.diagnostics import Diagnostic


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

    from simulator.activities.files import activity_files
    from simulator.engine.loader import scenario_files
    from simulator.engine.pack import is_test_file
    from simulator.tooling.checks import Options, check_files

    ignore, problems = parse_ignore(args.ignore)
    if problems:
        for p in problems:
            print(f"countertalk lint: {p}", file=sys.stderr)
        return 2
    paths: list[Path] = []
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
            paths.append(f)
        paths += extra
    # The one pipeline (tooling/checks.py): the language server runs the same checks. The
    # typed-reply check loads a model, so --quiet (errors only) leaves it out.
    folders = tuple(str(t) for t in args.targets if Path(t).is_dir())
    opts = Options(
        strict=args.strict, ignore=frozenset(ignore), typed=not args.quiet, pack_folders=folders
    )
    diags = check_files(paths, opts)
    checked = len(paths)
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
    # The summary in the tutor's --lang (the diagnostics themselves stay English: their codes
    # and docs/diagnostics.md are the reference).
    from simulator.engine.i18n import gettext as _

    counted = _("1 file") if checked == 1 else _("{n} files").format(n=checked)
    if errors or warnings:
        print(
            _("{files}: {errors}, {warnings}").format(
                files=counted,
                errors=_("1 error") if errors == 1 else _("{n} errors").format(n=errors),
                warnings=_("1 warning") if warnings == 1 else _("{n} warnings").format(n=warnings),
            ),
            file=sys.stderr,
        )
    elif args.format == "text":
        print(_("{files}, no problems").format(files=counted))
    else:
        print(_("{files}, no problems").format(files=counted), file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def _as_json(d: Diagnostic) -> dict[str, Any]:
    return d.as_json() if hasattr(d, "as_json") else dict(d.__dict__)
