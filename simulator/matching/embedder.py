"""The word-embedding half of the match score: wordllama's 256-dimension model, shipped inside
its wheel (~16 MB), loaded from the installed package and never downloaded.

Loading costs about half a second (plus importing wordllama), so it happens once per process,
lazily, and front ends call `warm_up()` off the first frame. If the model cannot be loaded the
matcher carries on with the character score alone (`available()` says which).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

import numpy as np

_lock = threading.Lock()
_model: Any = None
_failed: str | None = None
_load_seconds: float | None = None
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_CACHE_MAX = 20_000
DIM = 256


def _load() -> Any:
    global _model, _failed, _load_seconds
    with _lock:
        if _model is not None or _failed is not None:
            return _model
        start = time.perf_counter()
        try:
            from pathlib import Path

            wordllama, WordLlama = _import_quietly()

            # The loader looks for the tokenizer beside the weights only when cache_dir is the
            # package folder itself; disable_download makes a missing file an error, not a fetch.
            _model = WordLlama.load(
                dim=DIM, cache_dir=Path(wordllama.__file__).parent, disable_download=True
            )
        except Exception as exc:  # a broken install degrades to the character score
            _failed = f"{type(exc).__name__}: {exc}"
        _load_seconds = time.perf_counter() - start
        return _model


def _import_quietly() -> tuple[Any, Any]:
    """Import wordllama without its `logging.basicConfig(level=INFO)`, which would print every
    transitions debug line to the learner's terminal: basicConfig does nothing while the root
    logger has a handler, so give it a silent one for the duration of the import."""
    import logging

    root = logging.getLogger()
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        import wordllama
        from wordllama import WordLlama
    finally:
        root.removeHandler(guard)
    return wordllama, WordLlama


def warm_up() -> None:
    """Load the model now (call from a worker thread so nothing waits for it)."""
    _load()


def warm_up_in_background() -> threading.Thread:
    t = threading.Thread(target=_load, name="countertalk-embedder", daemon=True)
    t.start()
    return t


def available() -> bool:
    return _load() is not None


def load_seconds() -> float | None:
    """How long loading took (None before it was tried): reported by `make bench`."""
    return _load_seconds


def failure() -> str | None:
    return _failed


def embed(texts: list[str]) -> np.ndarray | None:
    """Unit-length embeddings, one row per text; None when the model is unavailable.

    Cached by text: an option's rendered text and its examples are embedded once per process.
    """
    model = _load()
    if model is None:
        return None
    missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    if missing:
        vecs = np.asarray(model.embed(missing, norm=True), dtype=np.float32)
        with _lock:
            for t, v in zip(missing, vecs):
                _cache[t] = v
            while len(_cache) > _CACHE_MAX:
                _cache.popitem(last=False)
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for i, t in enumerate(texts):
        v = _cache.get(t)
        if v is None:  # evicted meanwhile by another thread: embed it alone
            v = np.asarray(model.embed([t], norm=True), dtype=np.float32)[0]
        out[i] = v
    return out
