"""The store as a college runs it: many learners at once, a database server that dies, one
that cannot be reached. Real processes against a real PostgreSQL (and SQLite alike)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest
from services import Postgres

from simulator.store import SCHEMA_VERSION, Store

REPO = pathlib.Path(__file__).resolve().parents[2]
KETTLE = REPO / "tests" / "fixtures" / "kettle.yaml"


def _python(code: str, *args: str, env=None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env,
    )  # fmt: skip


LEARNER = """
    import json, os, sys, time
    from simulator.store import Store

    where, go, learner, choices = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    print("ready", flush=True)
    while not os.path.exists(go):  # everyone starts together
        time.sleep(0.002)
    with Store(where, pool_size=1) as s:  # the first ones race to migrate
        aid = s.start_attempt(scenario_id="kettle-day12", scenario_hash="h" * 64,
                              scenario_path="kettle.yaml", learner=learner, seed=7)
        turns = []
        for turn in range(1, choices + 1):
            record = {"state": f"s{turn}", "choice": f"{learner}.{turn}", "text": "Sorry"}
            turns.append(record)
            s.record_choice(aid, turn, record["choice"], record)
            if turn % 5 == 0:  # the picker and the tutor's report read meanwhile
                s.unfinished(learner=learner)
                s.attempts(scenario_id="kettle-day12", finished_only=False)
        s.finish_attempt(aid, ending="refunded", outcome="resolved", final_mood=70,
                         transcript={"format": 1, "turns": turns},
                         score={"percent": 80, "grade": "pass", "mistakes": []})
    print(json.dumps({"learner": learner, "attempt": aid}))
"""


def test_fifty_learners_twenty_choices_each_lose_no_row(location, tmp_path):
    learners = [f"L{n:02d}" for n in range(50)]
    go = tmp_path / "go"
    procs = [_python(LEARNER, str(location), str(go), name, "20") for name in learners]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        go.touch()
        results = [p.communicate(timeout=300) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    failures = [(p.returncode, err) for p, (_, err) in zip(procs, results) if p.returncode]
    assert failures == []
    with Store(location) as s:
        done = s.attempts(scenario_id="kettle-day12")
        assert sorted(a.learner for a in done) == learners
        for a in done:
            assert a.choices == [f"{a.learner}.{n}" for n in range(1, 21)]
            assert len(a.choice_times) == 20 and a.choice_times == sorted(a.choice_times)
        assert len(s.choice_rows(scenario_id="kettle-day12")) == 50 * 20
        assert s.unfinished() == []
        versions = s._run(
            lambda c: c.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall(),
            write=False,
        )
    assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1))  # each once


@pytest.fixture
def own_postgres():
    """A server of this test's own, to kill."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="ct-pgkill-"))
    server = Postgres(root).start()
    yield server
    server.stop("immediate")
    import shutil

    shutil.rmtree(root, ignore_errors=True)


KEEPS_SAVING = """
    import sys, time
    from simulator.store import Store, StoreError

    s = Store(sys.argv[1], timeout=2)
    aid = s.start_attempt(scenario_id="kettle-day12", scenario_hash="h" * 64,
                          scenario_path="kettle.yaml", learner="sam", seed=7)
    print("attempt", aid, flush=True)
    turn = 0
    while turn < 100000:
        turn += 1
        try:
            s.record_choice(aid, turn, f"c{turn}", {"choice": f"c{turn}"})
            print("saved", turn, flush=True)  # only after the commit returned
        except StoreError as exc:
            print("failed", turn, str(exc).replace(chr(10), " "), flush=True)
            break
    line = sys.stdin.readline()  # the server is back: the same Store carries on
    s.record_choice(aid, turn, f"c{turn}", {"choice": f"c{turn}"})
    print("saved", turn, flush=True)
"""


def test_a_database_server_killed_mid_session_loses_no_committed_choice(own_postgres):
    url = own_postgres.new_database()
    proc = _python(KEEPS_SAVING, url)
    try:
        first = proc.stdout.readline().split()
        assert first[0] == "attempt", proc.stderr.read()
        aid = int(first[1])
        saved = 0
        for line in proc.stdout:
            word, turn = line.split()[:2]
            assert word == "saved", line
            saved = int(turn)
            if saved >= 100:  # well into the loop: kill -9 the server mid-write
                own_postgres.kill()
                break
        failed = None
        for line in proc.stdout:
            parts = line.split(maxsplit=2)
            if parts[0] == "saved":
                saved = int(parts[1])
            else:
                failed = parts
                break
        # the learner's save failed with a message a person can act on, not a crash
        assert failed is not None and failed[0] == "failed", proc.stderr.read()
        assert "could not be used" in failed[2] and "PostgreSQL" in failed[2]
        own_postgres.pg_ctl("start", "-w", "-t", "60")  # crash recovery
        proc.stdin.write("go\n")
        proc.stdin.flush()
        again = proc.stdout.readline().split()
        assert again == ["saved", failed[1]], proc.stderr.read()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with Store(url) as s:
        choices = s.attempt(aid).choices
    # every confirmed choice is there, in order, then the one saved after the restart
    assert choices[:saved] == [f"c{n}" for n in range(1, saved + 1)]
    assert choices[-1] == f"c{failed[1]}" and len(choices) in (saved + 1, saved + 2)


def test_plain_play_carries_on_unsaved_when_the_server_goes(own_postgres, tmp_path):
    url = own_postgres.new_database()
    env = {**os.environ, "COUNTERTALK_DB": url, "COUNTERTALK_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "play", str(KETTLE), "--plain", "--seed", "1",
         "--learner", "sam"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=tmp_path,
    )  # fmt: skip
    proc.stdin.write("1\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the first choice is saved...
        with Store(url) as s:
            got = s.unfinished(learner="sam")
        if got and got[0].choices:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the first choice was never saved")
    own_postgres.stop("immediate")  # ...then the server goes away
    out, err = proc.communicate("1\n" * 30, timeout=120)
    assert proc.returncode == 0, err
    assert "The conversation is over" in out  # the learner finished the conversation
    said = out + err
    assert "this attempt is not being saved" in said and "could not be used" in said
    assert said.count("not being saved") == 1  # said once
    assert "Traceback" not in err and "bug" not in err


def test_an_unreachable_database_is_said_at_start_up(tmp_path):
    env = {
        **os.environ,
        "COUNTERTALK_DB": "postgresql://ct:topsecret@127.0.0.1:9/countertalk",
        "COUNTERTALK_HOME": str(tmp_path),
    }
    for argv in (
        ["play", str(KETTLE), "--plain"],
        ["report"],
        ["db", "check"],
        ["serve", "--port", "1"],  # refused before it would try to listen
    ):
        out = subprocess.run(
            [sys.executable, "-m", "simulator", *argv],
            input="", capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path,
        )  # fmt: skip
        said = out.stdout + out.stderr
        if argv[0] == "play":  # said before the first line; the learner may play on unsaved
            assert said.index("Cannot reach") < said.index("Faulty kettle")
            assert "this attempt is not being saved" in said
        else:
            assert out.returncode == 1, (argv, out.stderr)
        # host and database only: never the connection string (issue 31, item 8)
        assert "Cannot reach the results database 'countertalk' on 127.0.0.1" in said
        assert "topsecret" not in said  # the password is never printed
        assert "Traceback" not in out.stderr and "bug" not in out.stderr
