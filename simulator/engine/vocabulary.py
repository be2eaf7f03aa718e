"""The shared vocabulary a scenario may use: behaviour, mistake, scoring-model and law ids.

The loader lints `shows:`, `mistakes:` and `models:` against these ids, and the scorer marks by
them, so the ids belong below both. The data is the scorer's (`scoring/catalogue.yaml`,
`models/*.yaml`, `laws.yaml`), read by `scoring/vocabulary.py` and handed to the engine as a
typed :class:`Vocabulary` through :func:`provide`: the engine never looks the scoring package up
or reads its files by path, so what it depends on is visible to the import contracts. The
program's root (`simulator/__init__.py`) provides the scorer's on import, as the composition
root every entry point passes through; a test may provide its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Models that are built into the scorer rather than described by a YAML step list.
BUILTIN_MODELS = ("escalation", "law")


@dataclass(frozen=True)
class Vocabulary:
    """The names a scenario may use, as the layer above read them."""

    # {'behaviours': {id: {label, explanation, advice}}, 'mistakes': {...}}
    catalogue: dict[str, dict[str, Any]]
    models: tuple[str, ...]  # the step models (scoring/models/*.yaml), without the built-ins
    # {act id: {act, rule, facts: {fact id: {rule, brief}}}}
    laws: dict[str, dict[str, Any]]
    # the mistakes of passing a case on whose taking back (a later `corrects:`) withdraws the
    # escalation made with them (grading.yaml escalation.withdrawn_by): `path.escalated` leaves
    # such an escalation out, as the scorer does (issue 25)
    escalation_withdrawn_by: frozenset[str] = frozenset()


_source: Callable[[], Vocabulary] | None = None
_folders: Callable[[], tuple[str, ...]] | None = None
_current: Vocabulary | None = None
_lock = threading.Lock()


def provide(
    source: Callable[[], Vocabulary] | None,
    folders: Callable[[], tuple[str, ...]] | None = None,
) -> None:
    """Where the vocabulary comes from (read on first use, then kept); None forgets it.
    ``folders``: where its files are, without reading them (the checked-scenario cache's key
    covers their files, and a cached `play` must not parse YAML to compute it)."""
    global _source, _folders, _current
    with _lock:
        _source, _folders, _current = source, folders, None


def source_folders() -> tuple[str, ...]:
    """The folders the vocabulary is read from (nothing is read)."""
    return _folders() if _folders is not None else ()


def current() -> Vocabulary:
    """The vocabulary, read once per process from what was provided."""
    global _current
    found = _current
    if found is not None:
        return found
    with _lock:
        if _current is None:
            if _source is None:
                raise LookupError(
                    "no vocabulary was provided: import simulator (its root provides the "
                    "scorer's) or call simulator.engine.vocabulary.provide()"
                )
            _current = _source()
        return _current


def catalogue_data() -> dict[str, dict[str, Any]]:
    """{'behaviours': {id: {label, explanation, advice}}, 'mistakes': {...}} (read once)."""
    return current().catalogue


def behaviour_ids() -> frozenset[str]:
    return frozenset(current().catalogue.get("behaviours") or {})


def mistake_ids() -> frozenset[str]:
    return frozenset(current().catalogue.get("mistakes") or {})


def model_ids() -> tuple[str, ...]:
    """Every scoring model a scenario may name: the step models, then the built-ins."""
    return tuple(sorted(current().models)) + BUILTIN_MODELS


def laws() -> dict[str, dict[str, Any]]:
    """laws.yaml as read: {act id: {act, rule, facts: {fact id: {rule, brief}}}}."""
    return current().laws


def law_facts() -> dict[str, tuple[str, ...]]:
    """{act id: (fact id, ...)} — what a `law:` mark may name: an act id (format version 1)
    or `ACT_ID.FACT_ID` for one rule of it (lint checks both against this)."""
    return {act: tuple((entry.get("facts") or {}).keys()) for act, entry in current().laws.items()}


def law_keys() -> tuple[str, ...]:
    """Every valid `law:` mark key: each act id, then each `act.fact`."""
    facts = law_facts()
    return tuple(facts) + tuple(f"{a}.{f}" for a, fs in facts.items() for f in fs)


def escalation_withdrawn_by() -> frozenset[str]:
    """The mistake ids whose taking back withdraws the escalation made with them."""
    return current().escalation_withdrawn_by
