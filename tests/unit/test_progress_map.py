"""The course catalogue is covered, and the progress map follows from a seeded set of attempts."""

from __future__ import annotations

import pytest

from simulator.activities.lint import load_activity, resolve
from simulator.activities.progress import course, pack_entries, progress_map
from simulator.activities.record import Recorder
from simulator.activities.run import ActivityRun
from simulator.store import Store


@pytest.fixture(scope="module")
def entries():
    found, problems = pack_entries()
    assert not problems
    return found


def test_every_catalogue_marking_point_is_covered_by_a_shipped_conversation_or_activity(entries):
    covered = {mp for e in entries for mp in e.marking_points}
    points = [p["id"] for p in course()["points"]]
    assert len(points) == 27
    assert [p for p in points if p not in covered] == []
    # and the points no conversation can show are all covered by activities
    by_conversation = {mp for e in entries if e.kind == "conversation" for mp in e.marking_points}
    by_activity = {mp for e in entries if e.kind != "conversation" for mp in e.marking_points}
    assert set(points) - by_conversation <= by_activity


def play(store, activity_id: str, learner: str, *, right: bool) -> None:
    a = load_activity(resolve(activity_id))
    run = ActivityRun(a, seed=5)
    rec = Recorder(store, a, learner=learner, seed=5, mode="activity")
    while not run.done:
        q = run.current
        picks = set(q.right) if right else ({(min(q.right) + 1) % len(q.options)})
        if q.multi and not right:
            picks = set(range(len(q.options))) - set(q.right)
        rec.answered(run, run.answer(picks if q.multi else next(iter(picks))))
    rec.finished(run)


def statuses(m: dict) -> dict[str, str]:
    return {p["id"]: p["status"] for el in m["elements"] for p in el["points"]}


def test_progress_map_from_seeded_attempts(tmp_path, entries):
    with Store(tmp_path / "p.db") as store:
        play(store, "sort-controllable-or-not", "sam", right=True)
        play(store, "spot-poor-service", "sam", right=False)
        play(store, "order-service-profit-chain", "sam", right=False)
        play(store, "order-service-profit-chain", "sam", right=True)  # the latest decides
        play(store, "match-career-routes", "ali", right=False)
        sam = store.attempts(learner="sam")
        everyone = store.attempts()
    m = progress_map(sam, entries)
    st = statuses(m)
    assert st["controllable_factors"] == "met"
    assert st["poor_service_impact"] == "missed"
    assert st["service_drives_loyalty"] == "missed"
    assert st["service_concepts"] == "met"
    assert st["career_routes"] == "not_yet"  # ali's attempt is not sam's evidence
    assert m["counts"] == {"met": 3, "missed": 2, "not_yet": 22}
    point = next(p for el in m["elements"] for p in el["points"] if p["id"] == "service_concepts")
    assert (point["met"], point["missed"]) == (1, 1)
    # grouped by seed element, in the catalogue's order
    assert [el["id"] for el in m["elements"]] == list(course()["elements"])
    # the weakest (missed) come first, each with something that gives evidence for it
    assert [s["point"] for s in m["next"]][:2] == ["service_drives_loyalty", "poor_service_impact"]
    assert m["next"][1]["do"] == "spot-poor-service"
    # the class view holds both learners' evidence
    cls = statuses(progress_map(everyone, entries))
    assert cls["career_routes"] == "missed"


def test_progress_map_reads_conversation_scores(tmp_path, entries):
    """A conversation attempt gives evidence through the scorer's marking points."""
    from scoring.scorer import score
    from simulator.engine.loader import load_scenario
    from simulator.engine.loader import resolve as resolve_scenario

    sc = load_scenario(resolve_scenario("faulty-toaster-day12"))
    from simulator.engine.session import Runtime

    rt = Runtime(sc)
    session = rt.new_session(seed=1, learner="sam")
    while not session.ended:
        session.choose(1)
    transcript = session.transcript()
    s = score(sc, transcript)
    with Store(tmp_path / "c.db") as store:
        aid = store.start_attempt(
            scenario_id=sc.id, scenario_hash="h", scenario_path="p", learner="sam", seed=1
        )
        store.finish_attempt(
            aid, ending="x", outcome="resolved", final_mood=50, transcript=transcript, score=s
        )
        attempts = store.attempts(learner="sam")
    st = statuses(progress_map(attempts, entries))
    assessed = {mp["id"]: mp["status"] for mp in s["marking_points"]}
    core = [assessed.get(e) for e in ("greet_respectfully", "identify_expectations")]
    core = [c for c in core if c in ("met", "missed")]
    assert core, "the toaster conversation assesses greeting and finding out needs"
    assert st["core_duties"] == ("missed" if "missed" in core else "met")
    # points only an activity can show stay untried after a conversation
    assert st["career_routes"] == st["service_concepts"] == "not_yet"


def test_a_scenario_without_a_level_is_listed_not_a_crash():
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    assert "level:" not in (fixtures / "typed-kettle.yaml").read_text()
    entries, problems = pack_entries(fixtures)
    assert not problems
    assert {e.level for e in entries if e.path.endswith("typed-kettle.yaml")} == {2}
