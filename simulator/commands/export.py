"""`countertalk export --xapi`: recorded attempts as xAPI statements for a Learning Record Store."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--xapi",
        action="store_true",
        required=True,
        help="write xAPI 1.0.3 statements (a JSON array): one per attempt and one per choice",
    )
    from simulator.commands.report import add_store_filters

    add_store_filters(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    p.add_argument(
        "--homepage",
        metavar="IRL",
        default=None,
        help="the home page of the learners' accounts (default: urn:countertalk); "
        "use your LMS's address if your LRS requires a web address",
    )


def run(args) -> int:
    import json
    import sys

    from simulator.commands.common import write_output
    from simulator.commands.report import open_attempts
    from simulator.tooling import report, xapi

    attempts, code = open_attempts(args)
    if code is not None:
        return code
    statements = xapi.statements(
        attempts, report.ScenarioIndex(args.pack), homepage=args.homepage or xapi.DEFAULT_HOMEPAGE
    )
    parents = sum(1 for s in statements if "statement" not in s["context"])
    print(f"{parents} attempt(s), {len(statements)} statement(s)", file=sys.stderr)
    return write_output(args.output, json.dumps(statements, indent=2, ensure_ascii=False) + "\n")
