"""The scorer's marking data as the engine's vocabulary: behaviour and mistake ids
(`catalogue.yaml`), step models (`models/*.yaml`), laws (`laws.yaml`) and the mistakes whose
taking back withdraws an escalation (`grading.yaml` escalation.withdrawn_by).

The engine lints scenarios against these names but sits below the scorer, so it does not read
them itself: this module reads them (as package data) and the program's root hands
:func:`load` to :func:`simulator.engine.vocabulary.provide`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from simulator.engine.vocabulary import Vocabulary


def data_dir() -> Path:
    """Where the marking data lives: this package's folder, where it is installed as package
    data (pyproject.toml), found as :func:`folders` finds it. Not `importlib.resources`:
    importing it (tempfile, shutil and zipfile under it) cost ~6 ms of a first-ever `play`,
    whose check reads the vocabulary on the way to the first screen."""
    return Path(os.path.dirname(os.path.abspath(__file__)))


def _load_yaml(path: Path) -> Any:
    """A marking-data file (PyYAML is imported here: a cached `play` never needs it)."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load() -> Vocabulary:
    """Read the marking data once (the engine keeps what this returns)."""
    data = data_dir()
    catalogue = _load_yaml(data / "catalogue.yaml") or {}
    laws = _load_yaml(data / "laws.yaml") or {}
    grading = _load_yaml(data / "grading.yaml") or {}
    return Vocabulary(
        catalogue={
            "behaviours": dict(catalogue.get("behaviours") or {}),
            "mistakes": dict(catalogue.get("mistakes") or {}),
        },
        models=tuple(sorted(p.stem for p in (data / "models").glob("*.yaml"))),
        laws={str(k): dict(v or {}) for k, v in laws.items()},
        escalation_withdrawn_by=frozenset(
            str(m) for m in (grading.get("escalation") or {}).get("withdrawn_by") or []
        ),
    )


def folders() -> tuple[str, ...]:
    """Where the marking data and the scorer's checks are (for the checked-scenario cache's
    key: an edit to any file in them is a new checker). This module's own folder: no package
    lookup, so a cached `play` pays nothing for it."""
    data = os.path.dirname(os.path.abspath(__file__))
    return (data, os.path.join(data, "models"))
