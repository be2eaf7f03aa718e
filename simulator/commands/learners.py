"""`countertalk learners reclaim NAME`: a one-time code that moves a learner's name to a new browser.

`serve` and `web` give a name to the first browser that signs in with it, and refuse it to any
other: that keeps learners' results apart without passwords. A learner whose cookies were
cleared, or who moved to another PC, would otherwise have to pick a new name and split their
record in two. The tutor runs this command and gives the learner the code; on the new browser
the learner signs in with their name and the code, and carries on with their own attempts.

The store keeps only the code's hash. It works once, for a short time (``--minutes``), and a
few wrong codes typed for the name void it; a new code replaces the last one.
"""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    r = sub.add_parser(
        "reclaim",
        help="print a one-time code that lets NAME sign in on a new browser",
        description="Print a one-time code for a learner whose name is held by a browser they "
        "no longer have. On the new browser they sign in with their name and this code.",
    )
    r.add_argument("name", metavar="NAME", help="the learner's name, as they signed in")
    r.add_argument(
        "--minutes",
        type=int,
        default=60,
        metavar="N",
        help="how long the code works (default: 60; at most a week)",
    )
    p.epilog = """\
examples:
  countertalk learners reclaim "Sam Smith"                 a code for Sam, good for an hour
  countertalk --db postgresql://ct@db/countertalk learners reclaim Sam --minutes 1440"""


def run(args: argparse.Namespace) -> int:
    import time

    from simulator.engine.text import plain
    from simulator.errors import fail
    from simulator.store import Store, StoreError
    from simulator.webguard import clean_name, new_reclaim_code, reclaim_digest

    if not 1 <= args.minutes <= 7 * 24 * 60:
        return fail("--minutes takes a number from 1 to 10080 (a week)", 2)
    name = clean_name(args.name)
    if name is None:
        return fail(
            "NAME: 1 to 40 letters, digits, spaces, dots, dashes or apostrophes, as the learner "
            "typed it when signing in",
            2,
        )
    code = new_reclaim_code()
    digest = reclaim_digest(code)
    assert digest is not None  # a code we made is always one
    expires = time.time() + args.minutes * 60
    try:
        with Store() as store:
            issued = store.issue_reclaim(name, digest, expires)
    except StoreError as exc:
        return fail(str(exc))
    shown = plain(name)
    if not issued:
        return fail(
            f"no browser has signed in as '{shown}' in this results database, so there is "
            "nothing to move: the learner can simply sign in with that name"
        )
    until = time.strftime("%H:%M", time.localtime(expires))
    print(f"One-time code for {shown}: {code}")
    print(
        f"On the new browser they sign in with their name and this code. It works once, until "
        f"{until} ({args.minutes} minutes); the browser that had the name loses it. A new code "
        "replaces this one."
    )
    return 0
