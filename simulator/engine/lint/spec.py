"""The format's keys, required keys, ranges and allowed values, read from the pydantic model.

`engine/model.py` is the one description of the format. Lint checks the raw data itself (so it
can report every problem at once, each at its line), but it takes what to check from here rather
than restating the model: add a field to the model and lint knows the key, its range and
whether it is required.
"""

from __future__ import annotations

import math
import types
import typing
from dataclasses import dataclass
from functools import cache
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


@cache
def spec() -> Spec:
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
