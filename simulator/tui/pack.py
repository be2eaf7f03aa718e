"""The picker's view of a pack: each file's header keys, read without building anything.

Building a Scenario (pydantic) and a Runtime (transitions) for every file would make the picker
wait for the whole pack; the list needs only the header. So each file is cut into its top-level
blocks and only the few header blocks are parsed. The full check happens when a scenario is
opened, and its errors are shown then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HEADER_KEYS = ("id", "title", "topic", "level", "summary", "learner_role", "customer", "kind")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


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


def _header_source(text: str) -> str:
    keep: list[str] = []
    taking = False
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            m = _TOP_KEY.match(line)
            taking = bool(m and m.group(1) in HEADER_KEYS)
        if taking:
            keep.append(line)
    return "\n".join(keep)


def peek_title(path: Path) -> str | None:
    """The `title:` of a file from a line scan (no YAML parser): the first frame's header.

    Shown through `Content`, which drops control characters; the real title (passed through the
    engine's `plain`) replaces it as soon as the scenario has loaded.
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh):
                if line.startswith("title:"):
                    value = line[6:].split(" #")[0].strip()
                    if value[:1] in "'\"" and value[-1:] == value[:1] and len(value) > 1:
                        value = value[1:-1]
                    return value or None
                if n > 200:
                    break
    except OSError:
        return None
    return None


def read_entry(path: Path) -> Entry:
    import yaml

    from simulator.engine.text import plain

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        data = yaml.load(_header_source(text), Loader=loader) or {}
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
    except (OSError, ValueError, yaml.YAMLError) as exc:
        return Entry(
            path,
            path.stem,
            path.stem,
            "?",
            None,
            "",
            "",
            "",
            problem=f"cannot read the header ({type(exc).__name__}); run 'countertalk lint {path}'",
        )

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
    from simulator.engine.loader import scenario_files

    folder = Path(folder)
    if not folder.is_dir():
        return []
    from simulator.activities.lint import activity_files

    entries = [read_entry(p) for p in scenario_files(folder)]
    entries += [read_entry(p) for p in activity_files(folder)]
    return sorted(entries, key=lambda e: (e.topic, e.level or 0, e.title.lower()))
