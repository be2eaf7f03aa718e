"""Defect classes from review 25b (17 fresh plays examined blind; tests/calibration/REVIEW.md),
each as a rule over the shipped pack, so that a new scenario cannot bring the class back."""

from __future__ import annotations

from pathlib import Path

from scoring import catalogue
from scoring.paths import enumerate_paths
from scoring.scorer import act_of, compiled, practice_acts, score
from simulator.engine.loader import load_scenario, resolve, scenario_files
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")


def _score(scenario_id: str, ids: list[str]) -> dict:
    sc = load_scenario(resolve(scenario_id))
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    return score(sc, s.transcript())


def test_good_practice_is_not_law():
    """D1: complaint_handling (laws.yaml "course good practice") never feeds the law model, the
    law caps or the debrief's law section, in any shipped scenario."""
    practice = practice_acts()
    assert "complaint_handling" in practice
    assert not practice & {"consumer_rights_act_2015", "equality_act_2010"}
    marked = 0
    for f in SHIPPED:
        c = compiled(load_scenario(f))
        assert not {act_of(k) for k in c.key_bit} & practice, f.name
        for fx in c.fx.values():
            assert not {act_of(k) for k in (*fx.law_right, *fx.law_wrong)} & practice
            marked += bool(fx.practice_wrong)
    assert marked  # the pack does mark good practice wrong somewhere

    # courier-lost-cot: "switching courier today" breaks good practice (beyond remit), and
    # nothing else about the law is wrong on this path: no law cap, nothing under "The law".
    sc = load_scenario(resolve("courier-lost-cot"))
    c = compiled(sc)
    paths = [
        ids
        for ids, _end in enumerate_paths(sc, max_visits=1, limit=100_000)
        if "improvement.2" in ids and not any(c.fx[i].law_wrong for i in ids)
    ]
    assert paths
    s = _score("courier-lost-cot", paths[0])
    assert all(act_of(k) not in practice for k in s["law"]["wrong"] + s["law"]["right"])
    assert not [cap for cap in s["caps"] if "law" in cap["when"]]
    assert "beyond_remit" in {m["id"] for m in s["mistakes"]}  # still marked as a mistake
    assert catalogue.laws()["complaint_handling"]["practice"] is True
