"""Property: on random small scenarios (loops, conditions, mood rules, escalations, laws,
mistakes) the best path `paths.analyse` reports scores at least as well as every randomly
played path that respects the same loop bound, and the worst at most as well; both are real.
"""

from __future__ import annotations

import random

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import paths
from scoring.scorer import score
from simulator.engine.loader import check_bytes
from simulator.engine.session import Runtime

BEHAVIOURS = [
    "acknowledge",
    "hear",
    "empathise",
    "apologise",
    "take_action",
    "confirm",
    "follow_up",
    "handover",
    "question",
]
MISTAKES = ["defensive", "rude", "jargon", "data_breach", "premature_escalation"]
MAX_VISITS = 2


@st.composite
def scenarios(draw):
    n = draw(st.integers(2, 6))
    names = [f"s{i}" for i in range(n)]
    ends = {"win": "resolved", "meh": "unresolved", "up": "escalated", "gone": "lost"}
    targets = names + list(ends)
    states = {}
    for sid in names:
        choices = []
        for _ in range(draw(st.integers(1, 3))):
            ch = {"text": "x", "goto": draw(st.sampled_from(targets)), "feedback": "f"}
            shows = draw(st.lists(st.sampled_from(BEHAVIOURS), max_size=3, unique=True))
            if shows:
                ch["shows"] = shows
            mistakes = draw(st.lists(st.sampled_from(MISTAKES), max_size=2, unique=True))
            if mistakes:
                ch["mistakes"] = mistakes
            if draw(st.integers(0, 5)) == 0:
                ch["escalate"] = draw(st.sampled_from(["supervisor", "security"]))
            law = draw(st.sampled_from([None, "right", "wrong"]))
            if law:
                ch["law"] = {"consumer_rights_act_2015": law}
            ch["mood"] = draw(st.sampled_from([-30, -10, 0, 10, 20]))
            if draw(st.integers(0, 4)) == 0:
                ch["set"] = {"flag": draw(st.booleans())}
            cond = draw(
                st.sampled_from([None, None, None, "vars.flag", "not vars.flag", "mood > 50"])
            )
            if cond:
                ch["if"] = cond
            choices.append(ch)
        states[sid] = {"say": "line", "choices": choices}
    for sid, outcome in ends.items():
        states[sid] = {"end": outcome, "say": "bye"}
    doc = {
        "id": "prop",
        "title": "P",
        "topic": "complaint",
        "summary": "s",
        "learner_role": "r",
        "customer": {"name": "C", "mood": draw(st.sampled_from([30, 50]))},
        "vars": {"flag": False},
        "escalation": {"required": draw(st.booleans()), "to": ["supervisor"]},
        "start": "s0",
        "states": states,
    }
    if draw(st.booleans()):
        doc["rules"] = [{"if": "mood < 15", "goto": "gone"}]
    return doc


def bounded_walk(sc, rng):
    """A random play that enters no state more than MAX_VISITS times, or None."""
    session = Runtime(sc).new_session(seed=0)
    try:
        while not session.ended:
            offered = session.offered()
            if not offered:
                return None
            session.choose(rng.randrange(len(offered)) + 1)
            if max(session.visits.values()) > MAX_VISITS:
                return None
        return score(sc, session.transcript())
    finally:
        session.close()


@settings(
    max_examples=int(__import__("os").environ.get("PATHS_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(doc=scenarios(), seed=st.integers(0, 10_000))
def test_best_and_worst_bound_every_random_path(doc, seed):
    result = check_bytes(yaml.safe_dump(doc).encode(), "prop.yaml")
    sc = result.scenario
    assert sc is not None, [str(d) for d in result.errors]
    a = paths.analyse(sc, max_visits=MAX_VISITS)
    assert a["exact"] is True
    rng = random.Random(seed)
    walks = [w for w in (bounded_walk(sc, rng) for _ in range(25)) if w is not None]
    if a["best"] is None:
        assert walks == []  # no ending reachable within the bound: no walk can end either
        return
    assert a["best"]["verified"] and a["worst"]["verified"]
    for w in walks:
        assert a["worst"]["percent"] <= w["percent"] <= a["best"]["percent"], (
            a["best"],
            a["worst"],
            w,
        )
