"""`countertalk progress` after real plays through the CLI (issue 25 §3): a distinction in a law
scenario shows the law met; a conversation with no law in it says nothing about the law points;
a data-protection slip does not make the consumer-law point MISSED; the map says what "met"
needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.paths import analyse
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]


def numbers(scenario_id: str, seed: int, ids: list[str]) -> str:
    """The numbers `play --plain` must be sent to take these choices (the pack shuffles)."""
    sc = load_scenario(resolve(scenario_id))
    s = Runtime(sc).new_session(seed=seed)
    out = []
    for cid in ids:
        (o,) = [o for o in s.offered() if o.choice_id == cid]
        out.append(str(o.number))
        s.choose_id(cid)
    return "\n".join(out) + "\n"


def cli(db: Path, *args: str, stdin: str = "") -> str:
    env = {**os.environ, "COUNTERTALK_DB": str(db), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def best(scenario_id: str) -> tuple[list[str], str]:
    b = analyse(load_scenario(resolve(scenario_id)))["best"]
    return list(b["choices"]), b["grade"]


def play(db: Path, scenario_id: str, ids: list[str], seed: int = 3) -> str:
    return cli(
        db,
        "play",
        scenario_id,
        "--plain",
        "--seed",
        str(seed),
        "--learner",
        "sam",
        stdin=numbers(scenario_id, seed, ids),
    )


def progress(db: Path) -> dict[str, dict]:
    m = json.loads(cli(db, "progress", "--learner", "sam", "--format", "json"))
    return {p["id"]: p for el in m["elements"] for p in el["points"]} | {"": m}


@pytest.fixture(scope="module")
def played_toaster(tmp_path_factory) -> Path:
    """A store where sam has a distinction in the toaster (a law scenario), played once."""
    db = tmp_path_factory.mktemp("progress") / "toaster.db"
    ids, grade = best("faulty-toaster-day12")
    assert grade == "distinction"
    out = play(db, "faulty-toaster-day12", ids)
    assert "Distinction" in out
    return db


@pytest.fixture
def db(played_toaster, tmp_path) -> Path:
    """Each test its own copy of that store: the tests may run in any order, on any worker."""
    import shutil

    mine = tmp_path / "p.db"
    shutil.copy(played_toaster, mine)
    return mine


def test_a_distinction_in_a_law_scenario_shows_the_law_met(db):
    p = progress(db)
    assert p["consumer_law_knowledge"]["status"] == "met"
    assert p["consumer_law_knowledge"]["decided_by"] == "faulty-toaster-day12"
    # identifying the key laws needs an act named, which no toaster option does: no evidence
    # either way, so never MISSED (truth25am; laptop-month7 meets it, test_truth25am.py)
    assert p["legislation_in_practice"]["status"] == "not_yet"
    text = cli(db, "progress", "--learner", "sam")
    assert "MISSED" not in text
    assert "A point is met by" in text  # what "met" needs, on screen


def test_a_conversation_with_no_law_gives_no_evidence_about_the_law(db):
    # spill-in-aisle has no law mark at all (compensation-beyond-authority now has CRA s31)
    ids, grade = best("spill-in-aisle")
    assert grade == "distinction"
    play(db, "spill-in-aisle", ids)
    p = progress(db)
    law = p["consumer_law_knowledge"]
    assert [e["source"] for e in law["evidence"]] == ["faulty-toaster-day12"]
    # and the points it does show now count two attempts
    assert p["core_duties"]["met"] == 2


def test_a_data_slip_does_not_make_the_consumer_law_point_missed(db):
    sc = load_scenario(resolve("sar-by-phone"))
    # the first offered choice at every state, to an ending: whatever it shows about data
    # protection, it says nothing about consumer law
    s = Runtime(sc).new_session(seed=3)
    while not s.ended:
        s.choose(1)
    play(db, "sar-by-phone", [t["choice"] for t in s.transcript()["turns"]])
    p = progress(db)
    assert p["consumer_law_knowledge"]["status"] == "met"
    assert all(e["source"] != "sar-by-phone" for e in p["consumer_law_knowledge"]["evidence"])
