"""The format's keys, required keys, ranges and allowed values, read from the pydantic model.

`engine/model.py` is the one description of the format. Lint checks the raw data itself (so it
can report every problem at once, each at its line), but it takes what to check from here rather
than restating the model: add a field to the model and lint knows the key, its range and
whether it is required.

Importing pydantic and building the model costs more than linting a typical file, so what is
read from the model is kept in the user's cache folder, keyed by the model's source: `lint`
imports pydantic only when the model has changed (or the cache can't be written).
"""

from __future__ import annotations

import math
import os
import types
import typing
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Section:
    keys: tuple[str, ...]  # as written in files (aliases: `if`, `pass`)
    required: tuple[str, ...]
    ranges: dict[str, tuple[float, float]]  # key -> (lowest, highest), inclusive
    choices: dict[str, tuple[Any, ...]]  # key -> the values a Literal allows
    item_ranges: dict[str, tuple[float, float]]  # dict-valued key -> range of each value
    item_choices: dict[str, tuple[Any, ...]]


@dataclass(frozen=True)
class Spec:
    root: Section
    customer: Section
    escalation: Section
    rule: Section
    choice: Section
    state: Section
    scoring: Section


def _bounds(metadata: Any) -> tuple[float, float] | None:
    lo, hi = -math.inf, math.inf
    found = False
    flat: list[Any] = []
    for m in metadata:  # a FieldInfo inside Annotated carries its constraints in .metadata
        flat.extend(getattr(m, "metadata", None) or [m])
    for m in flat:
        for attr in ("ge", "gt"):
            if getattr(m, attr, None) is not None:
                lo, found = getattr(m, attr), True
        for attr in ("le", "lt"):
            if getattr(m, attr, None) is not None:
                hi, found = getattr(m, attr), True
    return (lo, hi) if found else None


def _literal(annotation: Any) -> tuple[Any, ...] | None:
    """The values of a Literal[...] (also inside Optional)."""
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Literal:
            return typing.get_args(arg)
    return None


def _section(model: Any) -> Section:
    keys: list[str] = []
    required: list[str] = []
    ranges: dict[str, tuple[float, float]] = {}
    choices: dict[str, tuple[Any, ...]] = {}
    item_ranges: dict[str, tuple[float, float]] = {}
    item_choices: dict[str, tuple[Any, ...]] = {}
    for name, f in model.model_fields.items():
        key = f.alias or name
        keys.append(key)
        if f.is_required():
            required.append(key)
        b = _bounds(f.metadata)
        if b:
            ranges[key] = b
        lit = _literal(f.annotation)
        if lit:
            choices[key] = lit
        if typing.get_origin(f.annotation) is dict:
            value_type = typing.get_args(f.annotation)[1]
            lit = _literal(value_type)
            if lit:
                item_choices[key] = lit
            if typing.get_origin(value_type) is typing.Annotated:
                b = _bounds(typing.get_args(value_type)[1:])
                if b:
                    item_ranges[key] = b
    return Section(tuple(keys), tuple(required), ranges, choices, item_ranges, item_choices)


_SECTIONS = ("root", "customer", "escalation", "rule", "choice", "state", "scoring")


@cache
def spec() -> Spec:
    """The format as lint needs it: from the cache when the model is unchanged."""
    import json

    path = _cache_file()
    if path is not None:
        try:
            return _from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    derived = from_model()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(_to_json(derived)), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    return derived


def _cache_file() -> Path | None:
    import hashlib

    here = Path(__file__).resolve()
    digest = hashlib.sha256()
    try:
        for source in (here, here.parents[1] / "model.py", here.parents[1] / "format.py"):
            digest.update(source.read_bytes())
    except OSError:
        return None
    root = os.environ.get("COUNTERTALK_CACHE")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "countertalk")
    return Path(root) / f"format-spec-{digest.hexdigest()[:16]}.json"


def _to_json(s: Spec) -> dict[str, Any]:
    return {name: asdict(getattr(s, name)) for name in _SECTIONS}


def _from_json(data: dict[str, Any]) -> Spec:
    def section(d: dict[str, Any]) -> Section:
        return Section(
            keys=tuple(d["keys"]),
            required=tuple(d["required"]),
            ranges={k: (v[0], v[1]) for k, v in d["ranges"].items()},
            choices={k: tuple(v) for k, v in d["choices"].items()},
            item_ranges={k: (v[0], v[1]) for k, v in d["item_ranges"].items()},
            item_choices={k: tuple(v) for k, v in d["item_choices"].items()},
        )

    return Spec(**{name: section(data[name]) for name in _SECTIONS})


def from_model() -> Spec:
    """Read the spec from the pydantic model (what the cache holds)."""
    from .. import model as m

    return Spec(
        root=_section(m.Scenario),
        customer=_section(m.Customer),
        escalation=_section(m.Escalation),
        rule=_section(m.Rule),
        choice=_section(m.Choice),
        state=_section(m.State),
        scoring=_section(m.ScoringOverrides),
    )
