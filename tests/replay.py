"""Replay a path of choice ids through a shipped scenario and read its assessed debrief.

The review tests (tests/unit/test_review25*.py) each check what an examiner read on one path: load
the scenario, replay the ids, take the transcript in assessment mode, build the debrief. One copy of
those steps keeps them reading the debrief the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from scoring import debrief
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime, Session

ROOT = Path(__file__).resolve().parents[1]


def review_play(review: str, n: int) -> tuple[str, int, list[str]]:
    """(scenario, seed, choice ids) of play `n` of a blind review, read from its calibration set
    (tests/calibration/REVIEW.yaml lists the plays in order), so a test of what the examiner
    read on that play replays the very path the examiner graded, with no copy of it to drift."""
    import yaml

    data = yaml.safe_load((ROOT / "tests" / "calibration" / f"{review}.yaml").read_text("utf-8"))
    case = data["cases"][n - 1]
    return case["scenario"], int(case["seed"]), list(case["path"])


def session(scenario: str, seed: int, ids: list[str]) -> Session:
    """A session of the shipped scenario with ``ids`` replayed."""
    s = Runtime(load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")).new_session(seed=seed)
    s.replay(ids)
    return s


def assessed(
    scenario: str, seed: int, ids: list[str], *, ending: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The transcript and debrief view of ``ids`` played in assessment mode. With ``ending``, a
    finished path also records its ending line and text, as simulator.attempt.finish does, so
    the ending's own debrief is rendered."""
    s = session(scenario, seed, ids)
    t = s.transcript()
    if ending and s.ended:
        t["ending_line"] = s.line
        t["ending_debrief"] = s.debrief
    t["mode"] = "assess"
    return t, debrief.build(s.scenario, t)


def text(view: dict[str, Any]) -> str:
    """The debrief as plain text."""
    return debrief.render_view(view, "text")


def sampled_paths(scenario: Any, n: int, *, limit: int = 100_000) -> list[list[str]]:
    """Up to ``n`` of the scenario's enumerated paths (each state entered at most once), taken
    at an even stride through the whole enumeration so short and long paths both appear, the
    same paths every run (the property tests read debriefs over these)."""
    from scoring.paths import enumerate_paths

    paths = [ids for ids, _end in enumerate_paths(scenario, max_visits=1, limit=limit)]
    if len(paths) <= n:
        return paths
    step = len(paths) / n
    return [paths[int(i * step)] for i in range(n)]


def assessed_transcript(scenario: Any, ids: list[str], seed: int = 0) -> dict[str, Any]:
    """The transcript of ``ids`` replayed in a fresh session, taken in assessment mode."""
    s = Runtime(scenario).new_session(seed=seed)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    return t


def first_problems(
    scenario: Any, n: int, check: Callable[[Any, dict[str, Any]], list[str]]
) -> dict[str, str]:
    """Each problem ``check`` finds over ``sampled_paths``, with the first path that shows it."""
    found: dict[str, str] = {}
    for ids in sampled_paths(scenario, n):
        for p in check(scenario, assessed_transcript(scenario, ids)):
            found.setdefault(p, " ".join(ids))
    return found


def printed(scenario: str, seed: int, ids: list[str]) -> tuple[dict[str, Any], str]:
    """The transcript and the whole debrief as printed (the ending's text, then the assessment),
    spaces folded: what the examiner read, as one string to search."""
    t, view = assessed(scenario, seed, ids, ending=True)
    return t, " ".join((str(t.get("ending_debrief") or "") + " " + text(view)).split())


def scored(scenario: str, seed: int, ids: list[str]) -> dict[str, Any]:
    """The score of ``ids`` played in assessment mode."""
    from scoring.scorer import score

    t, _view = assessed(scenario, seed, ids)
    return score(session(scenario, seed, ids).scenario, t)
