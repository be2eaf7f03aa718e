"""The picker's view of a pack: each file's header keys (read by `engine/pack.py`).

Building a Scenario and a Runtime (transitions) for every file would make the picker
wait for the whole pack; the list needs only the header. So each file is cut into its top-level
blocks and only the few header blocks are parsed. The full check happens when a scenario is
opened, and its errors are shown then.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from simulator.engine.pack import peek_title as peek_title  # re-exported for the first frame


@dataclass(frozen=True)
class Entry:
    path: Path
    id: str
    title: str
    topic: str
    level: int | None
    summary: str
    learner_role: str
    customer: str
    problem: str | None = None  # the header could not be read
    kind: str = "conversation"  # or an activity kind: sort, spot, match, order

    def matches(self, words: list[str]) -> bool:
        hay = " ".join(
            (
                self.id,
                self.title,
                self.topic,
                self.summary,
                self.learner_role,
                self.customer,
                self.kind,
            )
        ).lower()
        return all(w in hay for w in words)


def read_entry(path: Path) -> Entry:
    from simulator.engine.pack import read_header
    from simulator.engine.text import plain

    header = read_header(path)
    if header.problem:
        return Entry(path, path.stem, path.stem, "?", None, "", "", "", problem=header.problem)
    data = header.data

    def s(key: str, default: str = "") -> str:
        v = data.get(key)
        return plain(str(v)).strip() if isinstance(v, (str, int, float)) else default

    cust = data.get("customer")
    name = plain(str(cust.get("name", ""))) if isinstance(cust, dict) else ""
    level = data.get("level") if data.get("level") in (2, 3) else None
    return Entry(
        path,
        s("id", path.stem),
        s("title", path.stem),
        s("topic", "?"),
        level,
        " ".join(s("summary").split()),
        s("learner_role"),
        name,
        kind=s("kind") if s("kind") in ("sort", "spot", "match", "order") else "conversation",
    )


def read_pack(folder: str | Path) -> list[Entry]:
    from simulator.engine.pack import ids_in, read_headers

    headers = read_headers(folder)
    entries = [read_entry(h.path) for h in headers]
    # Two files claiming one id: show both, each saying so (lint names the pair too).
    for sid, files in ids_in(headers).items():
        if len(files) > 1:
            entries = [
                replace(
                    e,
                    problem=f"the id '{sid}' is also used by {files[0].name}; "
                    f"run 'countertalk lint'",
                )
                if e.path in files[1:]
                else e
                for e in entries
            ]
    from simulator.activities.files import activity_files

    entries += (
        [read_entry(p) for p in activity_files(Path(folder))] if Path(folder).is_dir() else []
    )
    return sorted(entries, key=lambda e: (e.topic, e.level or 0, e.title.lower()))
