"""Issue 25, review 25bf (truth26a): every debrief sentence true of the path, scoring side.

Each test replays a play from the blind review (tests/calibration/review25bf.yaml: scenario, seed,
choice ids) or checks a rule across the whole pack. Each failed on main (6d5d69b) before its fix."""

from __future__ import annotations

import re

from scoring import spec
from tests.replay import printed, review_play, scored

# -- class 3: a point shown, then undone by a later turn never taken back ------------------------


def _point(s: dict, pid: str) -> dict:
    return next(p for p in s["marking_points"] if p["id"] == pid)


def test_play14_informed_then_a_wrong_charge_is_not_kept_informed() -> None:
    # turn 3 explained the burden of proof; turn 5 quoted a £65 call-out for a free repair and
    # turn 6 left it to a supervisor ("may be no charge"): neither taken back
    sid, seed, ids = review_play("review25bf", 14)
    s = scored(sid, seed, ids)
    assert _point(s, "keep_informed")["status"] == "missed"
    _t, said = printed(sid, seed, ids)
    assert "Met, a distinction point: Keeps the customer informed and reassured" not in said
    assert re.search(
        r"Missed, a distinction point: Keeps the customer informed and reassured\. Why: shown by "
        r"\"explain rights\" at turn 3, but undone at turn 5 \(misstates the law\)",
        said,
    ), said


def test_play16_informed_then_told_to_ignore_the_letter_is_not_kept_informed() -> None:
    sid, seed, ids = review_play("review25bf", 16)
    s = scored(sid, seed, ids)
    assert _point(s, "keep_informed")["status"] == "missed"
    _t, said = printed(sid, seed, ids)
    assert re.search(
        r"Keeps the customer informed and reassured\. Why: shown by \"explain rights\" at turn 5, "
        r"but undone at turn 6 \(no ownership\)",
        said,
    ), said


def test_every_point_a_later_mistake_can_undo_names_mistakes_that_bear_on_it() -> None:
    """Pack-wide rule (grading.yaml `undone_later_by`): each point that informs the customer
    lists the mistakes that misinform them or leave them not knowing what happens; no point
    lists a mistake already in its own `spoiled_by` (that spoils it whenever made)."""
    points = {mp["id"]: mp for mp in spec.grading()["marking_points"]}
    for pid in ("keep_informed", "check_understanding"):
        later = set(points[pid].get("undone_later_by") or [])
        assert {"misstates_law", "no_ownership"} <= later, pid
    for mp in points.values():
        assert not set(mp.get("undone_later_by") or []) & set(mp.get("spoiled_by") or []), mp["id"]
