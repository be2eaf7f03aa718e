"""The scorer and the path analysis, as classroom mode needs them.

Both live in `scoring/` and are written alongside this package; they are imported lazily and a
missing or failing scorer degrades to "no grade" (the class still sees behaviours and mistakes)
instead of stopping a lesson.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.model import Scenario


def score(scenario: Scenario, transcript: dict[str, Any]) -> dict[str, Any] | None:
    """The §8 score of a (possibly unfinished) transcript, or None if it cannot be scored."""
    try:
        from scoring.scorer import score as score_fn
    except ImportError:
        return None
    try:
        out = score_fn(scenario, transcript)
    except Exception:  # a partial transcript the scorer does not accept: no running score
        return None
    return out if isinstance(out, dict) else None


def best_path(scenario: Scenario) -> dict[str, Any] | None:
    """paths.analyse(scenario)["best"]: {"choices": [...], "percent": N, "grade": G}, or None."""
    try:
        from scoring.paths import analyse
    except ImportError:
        return None
    try:
        best = analyse(scenario).get("best")
    except Exception:
        return None
    return best if isinstance(best, dict) else None


def catalogue_entry(kind: str, ident: str) -> dict[str, Any]:
    """{label, explanation, advice} of a behaviour or mistake (the label falls back to the id)."""
    from scoring.catalogue import catalogue

    entry = dict(catalogue().get(kind, {}).get(ident) or {})
    entry.setdefault("label", ident.replace("_", " ").capitalize())
    entry["label"] = entry.get("label") or ident
    entry.setdefault("explanation", "")
    entry.setdefault("advice", "")
    return entry


def label(kind: str, ident: str) -> str:
    return str(catalogue_entry(kind, ident)["label"])  # the id when the label is blank
