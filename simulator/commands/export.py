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


def homepage_problem(value: str | None) -> str | None:
    """An xAPI account's homePage must be an IRI: a scheme, then the rest (`https://lms.example`,
    `urn:countertalk`). Plain words would be refused by the LRS statement by statement."""
    import re

    if value is None:
        return None
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value) or any(
        c in value for c in '<>"{}|\\^`'
    ):
        return (
            f"--homepage {value!r} is not a web address or other IRI; give one such as "
            "https://lms.example.ac.uk (your LMS's address) or leave it out for urn:countertalk"
        )
    if value.split(":", 1)[0].lower() in ("http", "https") and not value.split(":", 1)[
        1
    ].startswith("//"):
        return f"--homepage {value!r} is missing '//' after the scheme (https://…)"
    return None


def run(args) -> int:
    import json
    import sys

    from simulator.errors import fail

    problem = homepage_problem(args.homepage)
    if problem:
        return fail(problem, 2)

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
