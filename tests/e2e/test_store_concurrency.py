"""The results store under real processes: kill -9, and a classroom of 30
learners writing to one file at once."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from simulator.store import SCHEMA_VERSION, Store

REPO = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def _python(code: str, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


# ------------------------------------------------------------------ kill -9

KILLED_LEARNER = """
    import sys
    from simulator.store import Store

    s = Store(sys.argv[1])
    aid = s.start_attempt(scenario_id="kettle-day12", scenario_hash="h" * 64,
                          scenario_path="scenarios/kettle-day12.yaml", learner="sam", seed=7)
    print("attempt", aid, flush=True)
    for turn in range(1, 1_000_000):
        choice = f"c{turn}"
        s.record_choice(aid, turn, choice, {"state": f"s{turn}", "choice": choice,
                                            "text": "x" * 200, "customer": "y", "mood": 50})
        print("saved", turn, flush=True)  # only after the commit returned
"""


def test_everything_saved_before_kill_9_survives(tmp_path):
    db = tmp_path / "countertalk.db"
    proc = _python(KILLED_LEARNER, str(db))
    try:
        first = proc.stdout.readline().split()
        assert first[0] == "attempt", proc.stderr.read()
        aid = int(first[1])
        saved = 0
        for line in proc.stdout:
            saved = int(line.split()[1])
            if saved >= 200:  # well into the loop, mid-write most likely
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        rest = proc.stdout.read()  # through our read-ahead buffer too
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    for line in rest.splitlines(keepends=True):  # confirmations still in the pipe
        if line.endswith("\n"):  # the kill may have cut the last one short
            saved = int(line.split()[1])
    assert saved >= 200

    with Store(db) as s:  # opens without complaint after the crash
        resumed = s.latest_unfinished(learner="sam", scenario_id="kettle-day12")
        assert resumed is not None and resumed.id == aid
        # every confirmed choice is there, in order (one more may have been
        # committed in the instant before the kill)
        assert len(resumed.choices) in (saved, saved + 1)
        assert resumed.choices == [f"c{n}" for n in range(1, len(resumed.choices) + 1)]
        # and the learner can carry on
        s.record_choice(aid, len(resumed.choices) + 1, "after", {})
        assert s.attempt(aid).choices[-1] == "after"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


# -------------------------------------------------------- 30 learners at once

LEARNERS = 30
CHOICES = 40

CLASSROOM_LEARNER = """
    import json, os, sys, time
    from simulator.store import Store

    db, go, learner = sys.argv[1], sys.argv[2], sys.argv[3]
    choices = int(sys.argv[4])
    print("ready", flush=True)
    while not os.path.exists(go):  # everyone starts together
        time.sleep(0.002)
    t0 = time.perf_counter()
    worst = 0.0
    with Store(db) as s:  # the first ones race to create the database
        aid = s.start_attempt(scenario_id="kettle-day12", scenario_hash="h" * 64,
                              scenario_path="scenarios/kettle-day12.yaml", learner=learner,
                              seed=7, mode="classroom", class_session="tue-am",
                              team=f"team{int(learner[1:]) % 5}")
        turns = []
        for turn in range(1, choices + 1):
            choice = f"{learner}.{turn}"
            record = {"state": f"s{turn}", "choice": choice, "text": "Sorry about that",
                      "customer": "Hmm", "mood": 50}
            turns.append(record)
            w = time.perf_counter()
            s.record_choice(aid, turn, choice, record)
            worst = max(worst, time.perf_counter() - w)
            if turn % 10 == 0:  # the tutor's screen and the resume menu read meanwhile
                s.attempts(scenario_id="kettle-day12", finished_only=False)
                s.unfinished(learner=learner)
        s.finish_attempt(aid, ending="refunded", outcome="resolved", final_mood=70,
                         transcript={"format": 1, "scenario": "kettle-day12", "seed": 7,
                                     "learner": learner, "turns": turns},
                         score={"percent": 80, "grade": "pass",
                                "mistakes": [{"id": "defensive", "turn": 1}]})
    print(json.dumps({"learner": learner, "attempt": aid, "seconds": time.perf_counter() - t0,
                      "worst_write": worst}))
"""


def test_thirty_learners_at_once_lose_nothing(tmp_path):
    db = tmp_path / "class" / "countertalk.db"  # does not exist yet
    go = tmp_path / "go"
    learners = [f"L{n:02d}" for n in range(LEARNERS)]
    procs = [_python(CLASSROOM_LEARNER, str(db), str(go), name, str(CHOICES)) for name in learners]
    try:
        for p in procs:  # every interpreter is up; then release them together
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        start = time.perf_counter()
        go.touch()
        results = [p.communicate(timeout=60) for p in procs]
        wall = time.perf_counter() - start
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    failures = [
        (name, p.returncode, err)
        for name, p, (_, err) in zip(learners, procs, results)
        if p.returncode != 0 or err.strip()
    ]
    assert failures == [], failures  # nobody crashed, nobody saw "database is locked"
    reports = [json.loads(out) for out, _ in results]
    worst = max(r["worst_write"] for r in reports)
    print(
        f"\n{LEARNERS} learners x {CHOICES} choices: {wall:.2f} s wall after go, "
        f"slowest learner {max(r['seconds'] for r in reports):.2f} s, "
        f"worst single save {worst * 1000:.0f} ms"
    )

    with Store(db) as s:
        done = s.attempts(scenario_id="kettle-day12")
        assert sorted(a.learner for a in done) == learners
        assert len({a.id for a in done}) == LEARNERS
        for a in done:
            assert a.choices == [f"{a.learner}.{n}" for n in range(1, CHOICES + 1)]
            assert (a.grade, a.mistakes, a.mode, a.class_session) == (
                "pass",
                ["defensive"],
                "classroom",
                "tue-am",
            )
            assert len(a.transcript["turns"]) == CHOICES
        assert s.unfinished() == []
        assert len(s.choice_rows(scenario_id="kettle-day12")) == LEARNERS * CHOICES
        for name in learners:
            assert s.best_grades(name) == {"kettle-day12": "pass"}
    conn = sqlite3.connect(db)
    # the 30 racing openers applied each migration exactly once
    assert [v for (v,) in conn.execute("SELECT version FROM schema_migrations")] == list(
        range(1, SCHEMA_VERSION + 1)
    )
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
