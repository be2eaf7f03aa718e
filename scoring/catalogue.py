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
    "behaviour_ids",
    "catalogue",
    "law_facts",
    "law_keys",
    "laws",
    "mistake_ids",
    "model_ids",
]


def _data_dir() -> Path:
    from .vocabulary import data_dir

    return data_dir()


def catalogue() -> dict[str, dict[str, Any]]:
    """{'behaviours': {id: {label, explanation, advice}}, 'mistakes': {...}}"""
    return vocabulary.catalogue_data()
