"""The behaviour and mistake catalogue and the list of scoring models, read from data files.

The loader needs only the ids (to lint `shows`/`mistakes`/`models`); the scorer and debrief need
the labels and advice. Both read the same YAML once per process.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Models that are built into the scorer rather than described by a YAML step list.
BUILTIN_MODELS = ("escalation", "law")


def _data_dir() -> Path:
    return Path(str(resources.files("scoring")))


@lru_cache(maxsize=1)
def catalogue() -> dict:
    """{'behaviours': {id: {label, explanation, advice}}, 'mistakes': {...}}"""
    with open(_data_dir() / "catalogue.yaml", encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_Loader)
    return {
        "behaviours": dict(data.get("behaviours") or {}),
        "mistakes": dict(data.get("mistakes") or {}),
    }


def behaviour_ids() -> frozenset[str]:
    return frozenset(catalogue()["behaviours"])


def mistake_ids() -> frozenset[str]:
    return frozenset(catalogue()["mistakes"])


@lru_cache(maxsize=1)
def model_ids() -> tuple[str, ...]:
    """Every scoring model a scenario may name: step models in scoring/models/*.yaml + built-ins."""
    stems = sorted(p.stem for p in (_data_dir() / "models").glob("*.yaml"))
    return tuple(stems) + BUILTIN_MODELS


@lru_cache(maxsize=1)
def laws() -> dict[str, dict]:
    """laws.yaml as read: {act id: {act, rule, facts: {fact id: {rule, brief}}}}."""
    with open(_data_dir() / "laws.yaml", encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_Loader) or {}
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
