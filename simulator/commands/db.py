"""`countertalk db migrate|check`: an administrator's look at the results database.

Every CounterTalk migrates the database it opens, so `migrate` is only needed to do it ahead of a
lesson (or with a database account that may create tables when learners' may not). `check`
changes nothing: it says where the database is, whether CounterTalk can reach it, and whether
its schema is this CounterTalk's.
"""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("migrate", "check"), help="what to do")
    p.add_argument(
        "--db",
        metavar="FILE_OR_URL",
        help="the results database: a file, or postgresql://user:password@host:port/name "
        "(default: $COUNTERTALK_DB, else $COUNTERTALK_HOME/countertalk.db or your user "
        "data folder)",
    )
    p.epilog = """\
examples:
  countertalk db check
  COUNTERTALK_DB=postgresql://ct@db.college.example/countertalk countertalk db migrate"""


def run(args: argparse.Namespace) -> int:
    from simulator.errors import fail
    from simulator.store import SCHEMA_VERSION, Store, StoreError

    location = args.db or None
    try:
        with Store(location, migrate=args.action == "migrate") as store:
            missing = store.missing_tables()
            where, dialect, version = store.location, store.dialect, store.version
    except StoreError as exc:
        return fail(str(exc))
    print(f"results database: {where} ({'PostgreSQL' if dialect == 'postgresql' else 'SQLite'})")
    print(f"schema version: {version} (this CounterTalk: {SCHEMA_VERSION})")
    if version < SCHEMA_VERSION or missing:
        what = f"missing tables: {', '.join(missing)}; " if missing else ""
        return fail(f"{what}run 'countertalk db migrate' to bring it up to date")
    print("ok: reachable and up to date")
    return 0
