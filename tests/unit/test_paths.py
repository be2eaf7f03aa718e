"""Path analysis: endings, best/worst paths (real and replayable), dead ends, loops, and a large
generated looping scenario."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from scoring import paths
from scoring.scorer import score
from simulator.engine.loader import check_bytes, load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fixtures" / "scoring"))
from generate import big_scenario_yaml  # noqa: E402


def scenario_from(text: str):
    r = check_bytes(text.encode(), "t.yaml")
    assert r.scenario is not None, [str(d) for d in r.errors]
    return r.scenario


def test_kettle_best_worst_endings_and_loops():
    a = paths.analyse(load_scenario(ROOT / "fixtures" / "kettle.yaml"))
    assert a["exact"] is True
    assert a["best"]["choices"] == ["opening.1", "fault_described.1"]
    assert (a["best"]["percent"], a["best"]["grade"], a["best"]["verified"]) == (
        84,
        "distinction",
        True,
    )
    # Two defensive demands lose the customer: the lowest percentage of all.
    assert a["worst"]["choices"] == ["opening.2", "receipt_first.2"]
    assert a["worst"]["ending"] == "walks_out" and a["worst"]["percent"] == 0
    assert a["worst"]["grade"] == "fail" and a["worst"]["verified"]
    assert set(a["endings"]) == {"refunded", "repair_only", "manager_called", "walks_out"}
    assert all(e["reachable"] for e in a["endings"].values())
    assert a["endings"]["refunded"]["best"] == 84
    assert a["outcomes"] == ["escalated", "lost", "resolved", "unresolved"]
    assert a["distinction_reachable"] is True
    assert a["loops"] == [["receipt_first"]]
    assert a["dead_ends"] == []


GATED = """\
id: gated
title: Gated
topic: complaint
summary: s
learner_role: r
customer: {name: C, mood: 50}
vars: {checked: false}
start: a
rules:
  - if: mood < 20
    goto: lost
states:
  a:
    say: hi
    choices:
      - {id: check, text: check, goto: a, set: {checked: true}, shows: [question]}
      - {id: rush, text: rush, goto: b, shows: [take_action], mood: -40}
      - {id: listen, text: listen, goto: b, shows: [hear], if: vars.checked}
  b:
    say: so
    choices:
      - {id: fix, text: fix, goto: good, shows: [take_action, confirm, follow_up]}
      - {id: shrug, text: shrug, goto: limbo, mistakes: [no_ownership]}
      - {id: never, text: never, goto: secret, if: "mood > 99"}
  limbo:
    say: hm
    choices:
      - {id: wait, text: wait, goto: limbo, mistakes: [no_ownership]}
  good: {end: resolved, say: thanks}
  secret: {end: resolved, say: wow}
  lost: {end: lost, say: bye}
"""


def test_conditions_loops_and_dead_ends():
    sc = scenario_from(GATED)
    a = paths.analyse(sc)
    # Listening is only on offer after the loop through 'check' sets the variable.
    assert a["best"]["choices"] == ["check", "listen", "fix"]
    assert a["best"]["verified"]
    assert a["endings"]["secret"]["reachable"] is False  # its condition can never hold
    assert a["endings"]["lost"]["reachable"] is True  # rush drops mood below 20: the rule fires
    # limbo's only way out is the mood rule, and nothing there lowers the mood.
    assert [d["state"] for d in a["dead_ends"]] == ["limbo"]
    assert "stuck" in a["dead_ends"][0]["reason"]
    assert ["a"] in a["loops"] and ["limbo"] in a["loops"]


def test_distinction_unreachable_is_reported():
    # Checking understanding is on offer only with a slip that fails the attempt.
    text = GATED.replace("[take_action, confirm, follow_up]", "[take_action]").replace(
        "{id: shrug, text: shrug, goto: limbo, mistakes: [no_ownership]}",
        "{id: shrug, text: shrug, goto: limbo, shows: [confirm], mistakes: [no_ownership]}",
    )
    a = paths.analyse(scenario_from(text))
    assert a["distinction_reachable"] is False
    assert a["pass_reachable"] is True
    # A distinction mark of 99 moves the band, never the grade: still reachable by criteria.
    a = paths.analyse(scenario_from(GATED + "scoring: {distinction: 99}\n"))
    assert a["distinction_reachable"] is True
    assert a["best"]["grade"] == "distinction" and a["best"]["percent"] >= 99


def test_best_continuations_rank_what_each_choice_can_still_reach():
    sc = load_scenario(ROOT / "fixtures" / "kettle.yaml")
    opts = paths.best_continuations(sc, ["opening.2"])
    assert opts["receipt_first.1"]["then"] == ["fault_described.1"]
    assert opts["receipt_first.1"]["percent"] > opts["receipt_first.2"]["percent"]


def random_walk_percent(sc, rng, max_turns=2500):
    session = Runtime(sc).new_session(seed=1)
    while not session.ended and session.turn < max_turns:
        offered = session.offered()
        if not offered:
            return None
        session.choose(rng.randrange(len(offered)) + 1)
    if not session.ended:
        return None
    return score(sc, session.transcript())["percent"]


@pytest.fixture(scope="module")
def big():
    return scenario_from(big_scenario_yaml(2000))


def test_large_looping_scenario(big):
    """2,000 states, one big loop: the approximate search still returns real, replayable paths
    that beat (or match) random play; its timing is in benchmarks/bench_scoring.py."""
    a = paths.analyse(big)
    assert a["states"] == 2000
    assert a["exact"] is False  # the back-links make one 1,996-state loop
    assert len(a["loops"]) == 1 and len(a["loops"][0]) == 1996
    assert a["best"]["verified"] and a["worst"]["verified"]
    assert a["best"]["grade"] == "distinction" and a["distinction_reachable"]
    assert a["worst"]["grade"] == "fail"
    assert set(a["outcomes"]) == {"resolved", "unresolved", "escalated", "lost"}
    rng = random.Random(11)
    for _ in range(3):
        pct = random_walk_percent(big, rng)
        if pct is not None:
            assert a["worst"]["percent"] <= pct <= a["best"]["percent"]


def test_budget_fallback_gives_the_same_answer_on_a_small_scenario():
    sc = load_scenario(ROOT / "fixtures" / "kettle.yaml")
    exact = paths.analyse(sc)
    old = paths.MAX_EXACT_LOOP
    try:
        paths.MAX_EXACT_LOOP = -1  # force the approximate search
        approx = paths.analyse(sc)
    finally:
        paths.MAX_EXACT_LOOP = old
    assert approx["exact"] is False
    assert approx["best"]["percent"] == exact["best"]["percent"]
    assert approx["worst"]["percent"] == exact["worst"]["percent"]
