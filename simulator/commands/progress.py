"""`countertalk progress`: a learner's progress map — every marking point of the course, grouped
by course element, met / missed / not yet tried across conversations and activities, and what
to do next for the weakest."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.store import AttemptRecord

import argparse
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--learner", metavar="NAME", help="whose progress (default: your user name)")
    p.add_argument(
        "--format", choices=("text", "json", "md"), default="text", help="text (default), json, md"
    )
    p.add_argument("--db", metavar="FILE", help="the results database (default: the usual one)")
    p.add_argument("--pack", metavar="DIR", help="scenario folder (default: the shipped pack)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")


def build(attempts: Iterable[AttemptRecord], pack: str | Path | None = None) -> dict[str, Any]:
    return build_named(attempts, pack)[0]


def build_named(
    attempts: Iterable[AttemptRecord], pack: str | Path | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """(the map, each exercise's title in the learner's language by id), the pack read once."""
    from simulator.activities.progress import entry_titles, pack_entries, progress_map, rescorer

    entries, _problems = pack_entries(pack)
    return progress_map(attempts, entries, rescorer(pack)), entry_titles(entries)


def render(m: dict[str, Any], who: str, fmt: str, titles: dict[str, str] | None = None) -> str:
    """The map as json (data: English ids and texts, for programs), md or text (both in the
    learner's language)."""
    import json

    from simulator.activities.progress import to_markdown, to_text

    if fmt == "json":
        return json.dumps({"learner": who, **m}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return to_markdown(m, who, titles)
    import shutil

    return to_text(m, who, width=min(100, shutil.get_terminal_size().columns), titles=titles)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from simulator.attempt import default_learner
    from simulator.commands.common import write_output
    from simulator.engine.text import plain
    from simulator.errors import fail
    from simulator.store import Store, StoreError

    who = plain(args.learner or default_learner()).strip() or "learner"
    # The same database `play` records to: --db, else $COUNTERTALK_DB, else the usual file.
    where = Path(args.db) if args.db else Store.default_location()
    attempts: list[AttemptRecord] = []
    if not isinstance(where, Path) or where.exists():
        try:
            with Store(where) as store:
                attempts = [a for a in store.attempts(learner=who) if a.mode != "classroom"]
        except StoreError as exc:
            return fail(str(exc))
    elif args.db:
        return fail(f"no results database at {where}; check the path", 2)
    m, titles = build_named(attempts, args.pack)
    return write_output(args.output, render(m, who, args.format, titles))
