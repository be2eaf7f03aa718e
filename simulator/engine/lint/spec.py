"""The format's keys, required keys, ranges and allowed values, read from the model.

`engine/model.py` is the one description of the format. Lint checks the raw data itself (so it
can report every problem at once, each at its line), but it takes what to check from here rather
than restating the model: add a field to the model and lint knows the key, its range and
whether it is required. msgspec describes its Structs (`msgspec.inspect`) in well under a
millisecond, so this is read afresh by each process; nothing is cached on disk.
"""

from __future__ import annotations

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


def _unwrap(t: Any) -> Any:
    """The type under msgspec's Metadata (which carries a description)."""
    from msgspec import inspect as mi

    while isinstance(t, mi.Metadata):
        t = t.type
    return t


def _options(t: Any) -> list[Any]:
    """The members of an optional or union type (or the type alone), unwrapped."""
    from msgspec import inspect as mi

    t = _unwrap(t)
    return [_unwrap(x) for x in t.types] if isinstance(t, mi.UnionType) else [t]


def _bounds(t: Any) -> tuple[float, float] | None:
    """(lowest, highest) of a bounded number (also inside Optional), or None."""
    from msgspec import inspect as mi

    for x in _options(t):
        if isinstance(x, mi.IntType | mi.FloatType):
            lo = x.ge if x.ge is not None else x.gt
            hi = x.le if x.le is not None else x.lt
            if lo is not None or hi is not None:
                return (
                    lo if lo is not None else -float("inf"),
                    hi if hi is not None else float("inf"),
                )
    return None


def _literal(annotation: Any) -> tuple[Any, ...] | None:
    """The values of a Literal[...] (also inside Optional or Annotated), in the model's order
    (msgspec's description sorts them; lint lists them as the format does)."""
    import types
    import typing

    if typing.get_origin(annotation) is typing.Annotated:
        return _literal(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _literal(arg)
        if found:
            return found
    return None


def _section(model: Any) -> Section:
    from msgspec import inspect as mi

    keys: list[str] = []
    required: list[str] = []
    ranges: dict[str, tuple[float, float]] = {}
    choices: dict[str, tuple[Any, ...]] = {}
    item_ranges: dict[str, tuple[float, float]] = {}
    item_choices: dict[str, tuple[Any, ...]] = {}
    import typing

    hints = typing.get_type_hints(model, include_extras=True)
    info = mi.type_info(model)
    assert isinstance(info, mi.StructType)
    for f in info.fields:
        key = f.encode_name
        keys.append(key)
        if f.required:
            required.append(key)
        b = _bounds(f.type)
        if b:
            ranges[key] = b
        hint = hints[f.name]
        lit = _literal(hint)
        if lit:
            choices[key] = lit
        t = _unwrap(f.type)
        if isinstance(t, mi.DictType):
            while typing.get_origin(hint) is typing.Annotated:
                hint = typing.get_args(hint)[0]
            lit = _literal(typing.get_args(hint)[1])
            if lit:
                item_choices[key] = lit
            b = _bounds(t.value_type)
            if b:
                item_ranges[key] = b
    return Section(tuple(keys), tuple(required), ranges, choices, item_ranges, item_choices)


@cache
def spec() -> Spec:
    """The format as lint needs it, read from the model."""
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
