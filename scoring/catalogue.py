"""The behaviour and mistake catalogue and the list of scoring models, read from data files.

The ids are the engine's vocabulary (`simulator.engine.vocabulary`, which the loader lints
against); the scorer and debrief also need the labels and advice. Both read the same YAML once
per process, through that one module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.engine import vocabulary
from simulator.engine.vocabulary import (
    BUILTIN_MODELS,
    behaviour_ids,
    law_facts,
    law_keys,
    laws,
    mistake_ids,
    model_ids,
)

__all__ = [
    "BUILTIN_MODELS",
    "act_of",
    "behaviour_ids",
    "catalogue",
    "law_facts",
    "law_keys",
    "laws",
    "mistake_ids",
    "model_ids",
    "practice_acts",
]


def _data_dir() -> Path:
    from .vocabulary import data_dir

    return data_dir()


def act_of(law_key: str) -> str:
    """The act of a `law:` mark key (ACT or ACT.FACT)."""
    return str(law_key).partition(".")[0]


def practice_acts() -> frozenset[str]:
    """The entries of laws.yaml that are course good practice, not law (`practice: true`).
    Here, not in the scorer, with `act_of`: lint's scoring checks read both, and importing
    the scorer for them cost ~5 ms of checking a file played for the first time."""
    return frozenset(a for a, e in laws().items() if (e or {}).get("practice"))


def catalogue() -> dict[str, dict[str, Any]]:
    """{'behaviours': {id: {label, explanation, advice}}, 'mistakes': {...}}"""
    return vocabulary.catalogue_data()
