"""Lint and load activity files: every problem at once, each at file:line:column with a code.

Untrusted input, like scenarios: the positioned loader (engine/yamlpos.py) refuses tags, merge
keys, alias bombs, oversized files and runaway nesting before any value is built; nothing in a
file is ever run as a template or a path.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.engine import yamlpos
from simulator.engine.format import MAX_BYTES
from simulator.engine.lint.diagnostics import Findings

from . import format as F
from .codes import Diagnostic, did_you_mean, make
from .files import (  # noqa: F401  (re-exported: the light part lives there)
    ACTIVITY_DIR,
    activity_files,
    is_activity_file,
    is_activity_text,
    resolve,
)
from .model import Activity, build

_ID = re.compile(F.ID_PATTERN)


@dataclass
class CheckResult(Findings):
    activity: Activity | None = None
    activity_id: str | None = None
    id_position: tuple[int, int] = (1, 1)


def course_point_ids() -> tuple[str, ...]:
    from scoring.spec import course_points

    return tuple(p["id"] for p in course_points()["points"])


class _Checker:
    def __init__(self, path: str, parsed: yamlpos.Parsed):
        self.path, self.p = path, parsed
        self.diags: list[Diagnostic] = []

    def add(
        self, where: tuple[str | int, ...], code: str, message: str, *, key: bool = True
    ) -> None:
        line, col = self.p.where(where) if key else self.p.value_at(where)
        self.diags.append(make(self.path, line, col, code, message))

    def text(self, path: tuple[str | int, ...], value: object, limit: int = F.MAX_TEXT) -> bool:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.add(path, "CT504", f"{_name(path)} must be text", key=False)
            return False
        if not str(value).strip():
            self.add(path, "CT504", f"{_name(path)} is empty; write what it says", key=False)
            return False
        if len(str(value)) > limit:
            self.add(
                path,
                "CT510",
                f"{_name(path)} is {len(str(value))} characters; keep it under {limit}",
                key=False,
            )
        return True

    def keys(
        self,
        data: dict[str, Any],
        path: tuple[str | int, ...],
        allowed: Collection[str],
        required: Iterable[str],
        other_kinds: Iterable[tuple[str, Collection[str]]] = (),
    ) -> None:
        for k in data:
            if k not in allowed:
                hint = did_you_mean(k, allowed)
                owner = next((kind for kind, keys in other_kinds if k in keys), None)
                if owner:
                    hint = f"; '{k}' belongs to {owner} activities" + hint
                self.add(path + (k,), "CT502", f"unknown key '{k}'{hint}")
        for k in required:
            if k not in data:
                self.add(path, "CT503", f"{_name(path) or 'the activity'} needs '{k}'")

    def run(self) -> None:
        for kpath, line, col, first in self.p.duplicates:
            self.diags.append(
                make(
                    self.path,
                    line,
                    col,
                    "CT513",
                    f"'{kpath[-1]}' is written twice (first at line {first}); keep one",
                )
            )
        d = self.p.data
        if not isinstance(d, dict):
            self.add((), "CT504", "an activity file is a mapping of keys (id:, title:, kind:, ...)")
            return
        kind = d.get("kind")
        if kind not in F.KINDS:
            if "kind" in d:
                self.add(
                    ("kind",),
                    "CT505",
                    f"kind must be one of {', '.join(F.KINDS)}, not '{kind}'"
                    + did_you_mean(kind, F.KINDS),
                    key=False,
                )
            kind = None
        own = tuple(F.KIND_KEYS[kind]) if kind else ()
        others = [(k, tuple(v)) for k, v in F.KIND_KEYS.items() if k != kind]
        self.keys(d, (), F.COMMON_KEYS + own, F.REQUIRED + own, others if kind else ())
        if kind is None:  # the other kinds' keys are not "unknown" when the kind is unknown
            self.diags = [
                x
                for x in self.diags
                if not (x.code == "CT502" and any(w in x.message for w in _all_kind_keys()))
            ]
        self.header(d)
        if kind == "sort":
            self.sort(d)
        elif kind == "spot":
            self.spot(d)
        elif kind == "match":
            self.match(d)
        elif kind == "order":
            self.order(d)

    def header(self, d: dict[str, Any]) -> None:
        if "format" in d and d["format"] != 1:
            self.add(("format",), "CT505", "format must be 1", key=False)
        sid = d.get("id")
        if "id" in d and (not isinstance(sid, str) or not _ID.match(sid)):
            self.add(
                ("id",),
                "CT505",
                "id must be lower-case letters, digits and hyphens (up to 64), e.g. sort-factors",
                key=False,
            )
        for k in ("title",):
            if k in d:
                self.text((k,), d[k])
        for k in ("intro", "summary"):
            if k in d:
                self.text((k,), d[k], F.MAX_LONG_TEXT)
        if "topic" in d and d["topic"] not in F.TOPICS:
            self.add(
                ("topic",),
                "CT505",
                f"unknown topic '{d['topic']}'{did_you_mean(d['topic'], F.TOPICS)}; "
                f"known: {', '.join(F.TOPICS)}",
                key=False,
            )
        if "level" in d and d["level"] not in F.LEVELS or isinstance(d.get("level"), bool):
            self.add(("level",), "CT505", "level must be 2 or 3", key=False)
        for k, lo, hi in (("minutes", 1, 15), ("pass", 1, 100)):
            v = d.get(k)
            if k in d and (isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi):
                self.add((k,), "CT505", f"{k} must be a whole number from {lo} to {hi}", key=False)
        mps = d.get("marking_points")
        if "marking_points" in d:
            if not isinstance(mps, list) or not mps:
                self.add(
                    ("marking_points",),
                    "CT504",
                    "marking_points must be a list of catalogue ids (scoring/marking_points.yaml)",
                    key=False,
                )
            else:
                known = course_point_ids()
                for i, mp in enumerate(mps):
                    if mp not in known:
                        self.add(
                            ("marking_points", i),
                            "CT506",
                            f"unknown marking point '{mp}'{did_you_mean(mp, known)}; the "
                            "catalogue is scoring/marking_points.yaml",
                            key=False,
                        )

    def items(self, d: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
        """The well-formed items of d[key] (each a mapping), after shape and count checks."""
        if key not in d:
            return []
        items = d[key]
        if not isinstance(items, list):
            self.add((key,), "CT504", f"{key} must be a list", key=False)
            return []
        kind = d["kind"]
        lname, lo, hi = F.ITEM_LIMITS.get(kind, (key, 0, 99))
        if lname == key and not lo <= len(items) <= hi:
            self.add(
                (key,),
                "CT508",
                f"a {kind} activity has {lo} to {hi} {key}; this one has {len(items)}",
            )
        ok = []
        allowed = F.KIND_KEYS[kind][key]
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            path = (key, i)
            if not isinstance(item, dict):
                self.add(path, "CT504", f"{_name(path)} must be a mapping", key=False)
                continue
            self.keys(item, path, allowed, F.ITEM_REQUIRED[key])
            first = "id" if key == "groups" else ("left" if key == "pairs" else "text")
            good = True
            for k in allowed:
                if k in item and k not in ("correct", "group", "id"):
                    good &= self.text(path + (k,), item[k])
            if key != "groups" and "why" not in item:
                self.add(path, "CT512", f"{_name(path)} has no 'why': say why it is right")
            label = item.get(first)
            if isinstance(label, str):
                norm = " ".join(label.lower().split())
                if norm in seen:
                    self.add(
                        path + (first,),
                        "CT509",
                        f"{_name(path)} repeats {first} '{label}' (also item {seen[norm] + 1})",
                    )
                seen.setdefault(norm, i)
            if good and all(k in item for k in F.ITEM_REQUIRED[key]):
                ok.append((i, item))
        return ok

    def sort(self, d: dict[str, Any]) -> None:
        groups = self.items(d, "groups")
        if "groups" in d and isinstance(d["groups"], list):
            if not 2 <= len(d["groups"]) <= F.MAX_GROUPS:
                self.add(
                    ("groups",),
                    "CT508",
                    f"a sort activity has 2 to {F.MAX_GROUPS} groups; "
                    f"this one has {len(d['groups'])}",
                )
        ids = []
        for i, g in groups:
            if not isinstance(g["id"], str) or not _ID.match(g["id"]):
                self.add(
                    ("groups", i, "id"),
                    "CT505",
                    "a group id is lower-case letters, digits and hyphens",
                    key=False,
                )
            if isinstance(g["id"], str):  # a list or map as an id is said above, not compared
                ids.append(g["id"])
        used = set()
        for i, c in self.items(d, "cards"):
            if not isinstance(c["group"], str):  # a list or map: said here, never hashed
                self.add(
                    ("cards", i, "group"),
                    "CT507",
                    f"card {i + 1}'s group must be one group's id, written as text; "
                    f"groups: {', '.join(ids)}",
                    key=False,
                )
                continue
            if c["group"] not in ids:
                self.add(
                    ("cards", i, "group"),
                    "CT507",
                    f"card {i + 1} goes in group '{c['group']}', which is not one of the groups"
                    f"{did_you_mean(c['group'], ids)}; groups: {', '.join(map(str, ids))}",
                    key=False,
                )
            used.add(c["group"])
        if "cards" in d:
            for i, g in groups:
                if isinstance(g["id"], str) and g["id"] not in used:
                    self.add(("groups", i), "CT511", f"no card goes in group '{g['id']}'")

    def spot(self, d: dict[str, Any]) -> None:
        if "case" in d:
            self.text(("case",), d["case"], F.MAX_LONG_TEXT)
        opts = self.items(d, "options")
        for i, o in opts:
            if not isinstance(o["correct"], bool):
                self.add(
                    ("options", i, "correct"), "CT504", "correct must be true or false", key=False
                )
        flags = [o["correct"] for _i, o in opts if isinstance(o["correct"], bool)]
        if flags and (all(flags) or not any(flags)):
            self.add(
                ("options",),
                "CT515",
                "a spot activity needs at least one option to pick (correct: true) and one to "
                "leave (correct: false)",
            )

    def match(self, d: dict[str, Any]) -> None:
        pairs = self.items(d, "pairs")
        seen: dict[str, int] = {}
        for i, p in pairs:
            right = " ".join(str(p["right"]).lower().split())
            if right in seen:
                self.add(
                    ("pairs", i, "right"),
                    "CT509",
                    f"pair {i + 1} has the same right side as pair {seen[right] + 1}; "
                    "each left item must have exactly one match",
                )
            seen.setdefault(right, i)

    def order(self, d: dict[str, Any]) -> None:
        self.items(d, "steps")


def _all_kind_keys() -> set[str]:
    return {f"'{k}'" for v in F.KIND_KEYS.values() for k in v}


def _name(path: tuple[str | int, ...]) -> str:
    if not path:
        return ""
    if len(path) >= 2 and isinstance(path[1], int):
        single = {"groups": "group", "cards": "card", "options": "option", "pairs": "pair"}
        base = f"{single.get(str(path[0]), 'step')} {path[1] + 1}"
        return base + (f" {path[2]}" if len(path) > 2 else "")
    return ".".join(str(x) for x in path)


def check_bytes(raw: bytes, path: str = "<activity>", *, build_it: bool = True) -> CheckResult:
    result = CheckResult(path)
    try:
        parsed = yamlpos.parse_bytes(raw)
    except yamlpos.YamlProblem as exc:
        msg = exc.message.replace("a scenario needs id, title, start and states", "an activity")
        result.diagnostics.append(make(path, exc.line, exc.column, "CT501", msg))
        return result
    checker = _Checker(path, parsed)
    checker.run()
    result.diagnostics = sorted(set(checker.diags), key=lambda x: (x.line, x.column, x.message))
    data = parsed.data
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        result.activity_id = data["id"]
        result.id_position = parsed.value_at(("id",))
    if not result.errors and build_it and isinstance(data, dict):
        positions = dict(parsed.values)
        positions.update(parsed.keys)
        result.activity = build(
            data,
            source=path,
            content_hash=hashlib.sha256(raw).hexdigest(),
            positions=positions,
        )
    return result


def check_file(path: str | os.PathLike[str], *, build_it: bool = True) -> CheckResult:
    spath = str(path)
    from simulator.engine.safe_read import ReadRefused, read_regular

    try:  # regular files only, at most MAX_BYTES: a FIFO or /dev/zero is refused at once
        raw = read_regular(spath, MAX_BYTES)
    except ReadRefused as exc:
        if exc.size is not None:
            return CheckResult(
                spath, [make(spath, 1, 1, "CT501", "file is too large for an activity")]
            )
        return CheckResult(spath, [make(spath, 1, 1, "CT501", str(exc))])
    except OSError as exc:
        return CheckResult(spath, [make(spath, 1, 1, "CT501", f"cannot read: {exc.strerror}")])
    return check_bytes(raw, spath, build_it=build_it)


class ActivityError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errs = [d for d in diagnostics if d.severity == "error"] or diagnostics
        super().__init__("\n".join(str(d) for d in errs))


def load_activity(path: str | os.PathLike[str]) -> Activity:
    result = check_file(path)
    if result.activity is None:
        raise ActivityError(result.diagnostics)
    # In the learner's language: the string table beside the file, English for what it lacks.
    from simulator.engine.i18n import current

    from .model import localised

    return localised(result.activity, current())


def check_pack(
    results: list[CheckResult], scenario_ids: dict[str, Any] | None = None
) -> list[Diagnostic]:
    """Activity ids are unique in a pack, and never a conversation's id (`play ID` must find
    one thing). `scenario_ids`: {id: path} of the pack's scenarios."""
    seen: dict[str, CheckResult] = {}
    out = []
    for r in results:
        if not r.activity_id:
            continue
        if scenario_ids and r.activity_id in scenario_ids:
            out.append(
                make(
                    r.path,
                    *r.id_position,
                    "CT514",
                    f"activity id '{r.activity_id}' is also the id of the scenario "
                    f"{scenario_ids[r.activity_id]}; give the activity another id",
                )
            )
        first = seen.setdefault(r.activity_id, r)
        if first is not r:
            out.append(
                make(
                    r.path,
                    *r.id_position,
                    "CT514",
                    f"duplicate activity id '{r.activity_id}' (also in {first.path}:"
                    f"{first.id_position[0]}); ids must be unique in a pack",
                )
            )
    return out


def load_pack(pack: str | os.PathLike[str] | None = None) -> list[Activity]:
    """Every activity in a pack that loads without error (the picker and progress map use these;
    `countertalk lint` reports the rest)."""
    from simulator.engine.loader import shipped_pack

    base = Path(pack) if pack else shipped_pack()
    out = []
    for f in activity_files(base):
        r = check_file(f)
        if r.activity is not None:
            out.append(r.activity)
    return out
