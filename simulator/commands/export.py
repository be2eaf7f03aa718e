"""`countertalk export --xapi`: recorded attempts as xAPI statements for a Learning Record Store.

Written to a file (or printed), or with `--lrs URL` sent to the LRS through an outbox in the
results store, so a run the LRS interrupts is finished by the next one and no statement is ever
sent twice (see simulator/tooling/lrs.py).
"""

from __future__ import annotations

import argparse
import os

AUTH_ENV = "COUNTERTALK_LRS_AUTH"


def _batch(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a batch size from 1 to 1000")
    return n


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
    lrs = p.add_argument_group("send to a Learning Record Store")
    lrs.add_argument(
        "--lrs",
        metavar="URL",
        help="post the statements to this LRS's xAPI endpoint (e.g. https://lrs.example/xAPI); "
        "what it does not accept waits in the results store and is sent on the next run",
    )
    lrs.add_argument(
        "--lrs-auth",
        metavar="USER:PASS",
        help=f"the LRS's basic-auth key and secret (or set {AUTH_ENV}, which other users "
        f"of this computer cannot see in the process list)",
    )
    lrs.add_argument(
        "--batch",
        type=_batch,
        default=50,
        metavar="N",
        help="statements per request (default: 50)",
    )
    p.epilog = """\
examples:
  countertalk export --xapi -o statements.json
  countertalk export --xapi --since 2025-09-01 --lrs https://lrs.example/xAPI --lrs-auth KEY:SECRET"""


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
    from simulator.errors import fail
    from simulator.tooling import report, xapi

    if args.lrs:
        if args.output:
            return fail("--lrs sends the statements; leave out -o (or export twice)", 2)
        return _send(args)
    if args.lrs_auth:
        return fail("--lrs-auth goes with --lrs URL", 2)
    attempts, code = open_attempts(args)
    if code is not None:
        return code
    statements = xapi.statements(
        attempts, report.ScenarioIndex(args.pack), homepage=args.homepage or xapi.DEFAULT_HOMEPAGE
    )
    parents = sum(1 for s in statements if "statement" not in s["context"])
    print(f"{parents} attempt(s), {len(statements)} statement(s)", file=sys.stderr)
    return write_output(args.output, json.dumps(statements, indent=2, ensure_ascii=False) + "\n")


def _send(args) -> int:
    import sys

    from simulator.errors import fail
    from simulator.store import Store, StoreError
    from simulator.tooling import lrs, report, xapi

    auth = args.lrs_auth or os.environ.get(AUTH_ENV) or None
    try:
        client = lrs.Lrs(args.lrs, auth)
    except lrs.LrsError as exc:
        return fail(str(exc), 2)
    index = report.ScenarioIndex(args.pack)
    homepage = args.homepage or xapi.DEFAULT_HOMEPAGE
    try:
        with Store(args.db or None) as store:
            attempts = store.attempts(
                learner=args.learner, scenario_id=args.scenario, since=args.since
            )
            items = [
                (s["id"], a.id, s)
                for a in attempts
                for s in xapi.statements([a], index, homepage=homepage)
            ]
            try:
                sent = lrs.send(store, client, items, batch=args.batch)
            except lrs.LrsError as exc:
                waiting = store.outbox_counts(client.url)[0]
                return fail(
                    f"{exc}. {waiting} statement(s) wait in the results store and will be "
                    f"sent the next time you run this export."
                )
    except StoreError as exc:
        return fail(str(exc))
    print(
        f"{len(attempts)} attempt(s): {sent.queued} new statement(s) queued, {sent.sent} sent "
        f"to {client.url}"
        + (f", {sent.already} already there" if sent.already else "")
        + f"; {sent.waiting} waiting",
        file=sys.stderr,
    )
    return 0
