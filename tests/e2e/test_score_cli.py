"""`countertalk score` and `countertalk paths` through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
EXE = Path(sys.executable).parent / "countertalk"


def ct(*args, cwd=None):
    return subprocess.run(
        [str(EXE), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=60
    )


@pytest.fixture
def pack(tmp_path):
    d = tmp_path / "pack"
    d.mkdir()
    (d / "kettle.yaml").write_bytes(KETTLE.read_bytes())
    return d


def write_transcript(path, ids, **changes):
    sc = load_scenario(KETTLE)
    session = Runtime(sc).new_session(seed=2, learner="sam")
    session.replay(ids)
    t = session.transcript()
    t.update(changes)
    path.write_text(json.dumps(t), encoding="utf-8")
    return t


def test_json_is_the_score_object(tmp_path, pack):
    f = tmp_path / "t.json"
    write_transcript(f, ["opening.2", "receipt_first.1", "fault_described.1"])
    r = ct("score", f, "--pack", pack, "--format", "json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    # A defensive opening, then an apology: every pass point met (the apology treats her with
    # respect, and shows the service cycle's acknowledgement: truth25ap), and the defensive line
    # stops a distinction.
    assert (s["uncapped_percent"], s["grade"]) == (79, "pass")
    assert s["percent"] == 79
    assert s["mistakes"] == [{"id": "defensive", "turn": 1}]
    assert s["models"]["heat"]["steps"]["hear"] == 2
    assert s["escalation"]["verdict"] == "not_needed"


@pytest.mark.parametrize(
    "fmt,marker",
    [
        ("md", "# Debrief: Faulty kettle"),
        ("html", "<!doctype html>"),
        ("text", "Debrief: Faulty kettle"),
    ],
)
def test_debrief_formats(tmp_path, fmt, marker):
    f = tmp_path / "t.json"
    write_transcript(f, ["opening.1", "fault_described.2"])
    r = ct("score", f, "--scenario", KETTLE, "--format", fmt)
    assert r.returncode == 0, r.stderr
    assert marker in r.stdout
    assert "Consumer Rights Act 2015" in r.stdout
    assert "Fail" in r.stdout


def test_changed_scenario_warns_but_scores(tmp_path):
    f = tmp_path / "t.json"
    write_transcript(f, ["opening.1", "fault_described.1"], scenario_version="0" * 64)
    r = ct("score", f, "--scenario", KETTLE, "--format", "json")
    assert r.returncode == 0
    assert "changed since this transcript was recorded" in r.stderr
    assert json.loads(r.stdout)["grade"] == "distinction"


def test_errors_are_one_clear_line(tmp_path, pack):
    missing = ct("score", tmp_path / "nope.json")
    assert missing.returncode == 2 and "no such transcript file" in missing.stderr

    bad = tmp_path / "bad.json"
    bad.write_text('{"scenario": "kettle-day12",\n  "turns": [}', encoding="utf-8")
    r = ct("score", bad, "--pack", pack)
    assert r.returncode == 1
    assert f"{bad}:2:" in r.stderr and "not valid JSON" in r.stderr

    f = tmp_path / "t.json"
    write_transcript(f, ["opening.1", "fault_described.1"])
    t = json.loads(f.read_text())
    t["turns"][1]["choice"] = "fault_described.9"
    f.write_text(json.dumps(t))
    r = ct("score", f, "--pack", pack)
    assert r.returncode == 1 and "choice 'fault_described.9' is not in scenario" in r.stderr

    t["scenario"] = "no-such-scenario"
    f.write_text(json.dumps(t))
    r = ct("score", f, "--pack", pack)
    assert r.returncode == 1 and "no scenario with id 'no-such-scenario'" in r.stderr
    for out in (missing, r):
        assert "Traceback" not in out.stderr


def test_paths_text_and_json(pack):
    r = ct("paths", "kettle-day12", "--pack", pack)
    assert r.returncode == 0, r.stderr
    assert "Best path: 84% distinction" in r.stdout
    assert "opening.1 → fault_described.1" in r.stdout
    assert "Distinction reachable: yes" in r.stdout
    j = ct("paths", KETTLE, "--format", "json")
    data = json.loads(j.stdout)
    assert data["best"]["choices"] == ["opening.1", "fault_described.1"]
    assert data["worst"]["grade"] == "fail"
    assert data["endings"]["walks_out"]["outcome"] == "lost"
    assert ct("paths", "nothing-here", "--pack", pack).returncode == 2
