"""Where a pack's knowledge checks are, and telling an activity file from a scenario, without
parsing YAML: `countertalk play X` asks this of every X before it knows which kind X is, so it
must cost next to nothing (no PyYAML, no activity model)."""

from __future__ import annotations

import os
import re
from pathlib import Path

ACTIVITY_DIR = "activities"
_KIND_LINE = re.compile(r"^kind\s*:", re.M)


def activity_files(target: str | os.PathLike[str]) -> list[Path]:
    """The activity files of a pack folder (its activities/ subfolder, or the folder itself when
    it is one), or the file itself."""
    p = Path(target)
    if p.is_dir():
        d = p / ACTIVITY_DIR if (p / ACTIVITY_DIR).is_dir() else p
        if d is p and p.name != ACTIVITY_DIR:
            return []
        return sorted(x for x in d.glob("*.yaml") if x.is_file()) + sorted(
            x for x in d.glob("*.yml") if x.is_file()
        )
    return [p]


def is_activity_text(text: str) -> bool:
    """An activity has a top-level `kind:` (scenarios never do); the head of the file says."""
    return bool(_KIND_LINE.search(text[:65536]))


def is_activity_file(path: str | os.PathLike[str]) -> bool:
    from simulator.engine.safe_read import read_head

    try:  # a FIFO or device is no activity (and must not hang the look)
        head = read_head(path, 65536).decode("utf-8", "replace")
    except OSError:
        return False
    return is_activity_text(head)


def resolve(target: str, pack: str | os.PathLike[str] | None = None) -> Path | None:
    """The activity file for an id or a path, or None when it is not an activity."""
    p = Path(target)
    if p.suffix in (".yaml", ".yml") or os.sep in target:
        return p if p.is_file() and is_activity_file(p) else None
    from simulator.engine.pack import shipped_pack

    base = Path(pack) if pack else shipped_pack()
    for f in activity_files(base):
        if f.stem == target:
            return f
    for f in activity_files(base):
        if _peek_id(f) == target:
            return f
    return None


def _peek_id(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("id:"):
                    return line[3:].split("#")[0].strip().strip("'\"") or None
    except OSError:
        return None
    return None
