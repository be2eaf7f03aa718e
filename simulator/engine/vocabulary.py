"""The shared vocabulary a scenario may use: behaviour, mistake, scoring-model and law ids.

The loader lints `shows:`, `mistakes:` and `models:` against these ids, and the scorer marks by
them, so they belong below both. They are data, kept with the rest of the marking data in the
`scoring` package's folder (`catalogue.yaml`, `models/*.yaml`); this module reads those files as
package data and imports no scoring code, so the engine sits under the scorer (see the layers
contract in pyproject.toml). `scoring.catalogue` adds the labels and advice on top.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


def _load_yaml(path: Path) -> Any:
    """A marking-data file (PyYAML is imported here: a cached `play` never needs it)."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# Models that are built into the scorer rather than described by a YAML step list.
BUILTIN_MODELS = ("escalation", "law")


def data_dir() -> Path:
    """Where the marking data lives (the `scoring` package's folder, as package data)."""
    return Path(str(resources.files("scoring")))


@lru_cache(maxsize=1)
def catalogue_data() -> dict[str, dict[str, Any]]:
    """{'behaviours': {id: {label, explanation, advice}}, 'mistakes': {...}}, read once."""
    data = _load_yaml(data_dir() / "catalogue.yaml") or {}
    return {
        "behaviours": dict(data.get("behaviours") or {}),
        "mistakes": dict(data.get("mistakes") or {}),
    }


def behaviour_ids() -> frozenset[str]:
    return frozenset(catalogue_data()["behaviours"])


def mistake_ids() -> frozenset[str]:
    return frozenset(catalogue_data()["mistakes"])


@lru_cache(maxsize=1)
def model_ids() -> tuple[str, ...]:
    """Every scoring model a scenario may name: step models in scoring/models/*.yaml + built-ins."""
    stems = sorted(p.stem for p in (data_dir() / "models").glob("*.yaml"))
    return tuple(stems) + BUILTIN_MODELS


@lru_cache(maxsize=1)
def laws() -> dict[str, dict[str, Any]]:
    """laws.yaml as read: {act id: {act, rule, facts: {fact id: {rule, brief}}}}."""
    data = _load_yaml(data_dir() / "laws.yaml") or {}
    return {str(k): dict(v or {}) for k, v in data.items()}


@lru_cache(maxsize=1)
def law_facts() -> dict[str, tuple[str, ...]]:
    """{act id: (fact id, ...)} — what a `law:` mark may name: an act id (format version 1)
    or `ACT_ID.FACT_ID` for one rule of it (lint checks both against this)."""
    return {act: tuple((entry.get("facts") or {}).keys()) for act, entry in laws().items()}


def law_keys() -> tuple[str, ...]:
    """Every valid `law:` mark key: each act id, then each `act.fact`."""
    facts = law_facts()
    return tuple(facts) + tuple(f"{a}.{f}" for a, fs in facts.items() for f in fs)
