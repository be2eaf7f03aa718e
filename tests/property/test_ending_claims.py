"""Every ending an attempt can reach says only what that attempt did (issue 25 §1).

For every shipped scenario: every enumerated path (each looping state entered at most once,
stride-sampled to PATHS) plus shuffled random walks are played through the real Session, the
ending's `say` and `debrief` are rendered for that path, and each claim sentence in them
(scoring/ending_claims.py RENDERED_CLAIMS: hearing out, escalating, hearing out before
escalating, a named referral, the law put right, following up, apologising, staying within
authority, keeping data minimal, no mistakes, checking identity; and denials such as "without
any follow-up") is checked against the attempt. Two sections of one debrief must not contradict:
the law section's "put it right" needs no misstatement left standing; an ending that says the
customer was heard out before the escalation must agree with the escalation section.

Run against the shipped pack. Scenarios whose endings still make false claims on main are
listed in PENDING with what the test found there (the pack rewrite, pack1/pack2/pack3, fixes
them); each is a strict xfail, so the day its fix lands the entry must go.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from scoring.debrief import build
from scoring.ending_claims import Facts, false_claims
from scoring.paths import enumerate_paths
from scoring.scorer import score
from scoring.strategies import play
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 150  # per scenario, stride-sampled from the bounded enumeration
WALKS = 25  # shuffled random walks per scenario

# scenario id -> what the test found on main (6b6e8c3); see the module docstring.
PENDING: dict[str, str] = {}


def _sample(items: list[Any], n: int) -> list[Any]:
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    """Every false claim and contradiction in what this attempt was shown at its ending."""
    s = score(sc, t)
    facts = Facts(sc, t, s)
    out = []
    for where in ("ending_line", "ending_debrief"):
        for cid, says, sentence in false_claims(t.get(where) or "", facts):
            out.append(f"{t['ending']} ({where}) claims '{says}' [{cid}]: {sentence}")
    view = build(sc, t, s)
    if view["law"]["corrected"] and s["law_open"]:
        out.append(f"{t['ending']}: the law section says put right, a misstatement stands")
    return out


def attempts(sc: Any) -> list[dict[str, Any]]:
    out = []
    runs = [
        (sc, ids) for ids, _e in _sample(enumerate_paths(sc, max_visits=1, limit=100_000), PATHS)
    ]
    shuffled = sc.replaced(shuffle=True)
    rng = random.Random(sc.id)
    for _ in range(WALKS):
        t = play(shuffled, "random", rng.randrange(10**6))
        if t.get("ending"):
            runs.append((shuffled, [x["choice"] for x in t["turns"]]))
    for scenario, ids in runs:
        s = Runtime(scenario).new_session(seed=0)
        s.replay(ids)
        t = s.transcript()
        # what the learner was shown at the ending, rendered for this path (as attempt.py saves)
        t["ending_line"], t["ending_debrief"] = s.line, s.debrief
        out.append(t)
    return out


def _params() -> list[Any]:
    out = []
    for f in SHIPPED:
        sid = f.stem
        marks = [pytest.mark.xfail(reason=PENDING[sid], strict=True)] if sid in PENDING else []
        out.append(pytest.param(f, id=sid, marks=marks))
    return out


@pytest.mark.parametrize("path", _params())
def test_every_ending_says_only_what_the_attempt_did(path):
    sc = load_scenario(path)
    found: dict[str, list[str]] = {}
    for t in attempts(sc):
        for p in problems(sc, t):
            found.setdefault(p, []).append(" ".join(x["choice"] for x in t["turns"]))
    assert not found, "\n".join(f"{p}\n    e.g. path: {paths[0]}" for p, paths in found.items())


def test_the_check_finds_a_false_claim():
    """Not vacuous: an ending that praises a follow-up and a hearing-out the path never had."""
    sc = load_scenario(ROOT / "tests" / "fixtures" / "kettle.yaml")
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.3"])  # "I'll get my manager": escalates before hearing anything
    t = s.transcript()
    t["ending_debrief"] = (
        "You heard her out before escalating. You followed it up the next day. "
        "You stayed within your authority."
    )
    found = problems(sc, t)
    assert any("heard the customer out before escalating" in p for p in found)
    assert any("followed up" in p for p in found)
    assert not any("within authority" in p for p in found)
