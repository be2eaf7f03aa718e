"""`countertalk export --xapi --lrs`: statements into a real LRS (Ralph), through the outbox.

Each test starts its own Ralph (file-system backend) as a subprocess and runs the export as a
learner's tutor would, from the command line; the store runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from services import LRS_PASSWORD, LRS_USER, Ralph

from simulator.store import Store
from simulator.tooling import lrs, report, xapi

AUTH = f"{LRS_USER}:{LRS_PASSWORD}"


@pytest.fixture
def ralph(tmp_path):
    server = Ralph(tmp_path / "ralph").start()
    yield server
    server.stop()


def record(location, attempts: int, choices: int, pause: float = 0.0) -> None:
    with Store(location) as s:
        for n in range(attempts):
            aid = s.start_attempt(
                scenario_id="kettle-day12",
                scenario_hash="ab" * 32,
                scenario_path="/nowhere/kettle.yaml",
                learner=f"learner{n % 7}",
                seed=n,
            )
            turns = []
            for t in range(1, choices + 1):
                rec = {"state": f"s{t}", "choice": f"s{t}.1", "text": f"I said {t}"}
                s.record_choice(aid, t, rec["choice"], rec)
                turns.append(rec)
                time.sleep(pause)
            s.finish_attempt(
                aid,
                ending="refunded",
                outcome="resolved",
                final_mood=70,
                transcript={"format": 1, "turns": turns},
                score={"percent": 80, "grade": "pass", "mistakes": []},
            )


def expected_ids(location) -> set[str]:
    with Store(location) as s:
        return {st["id"] for st in xapi.statements(s.attempts(), report.ScenarioIndex(None))}


def export(location, endpoint, *extra, **kw) -> subprocess.Popen | subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "simulator", "export", "--xapi", "--db", str(location),
            "--lrs", endpoint, "--lrs-auth", AUTH, *extra]  # fmt: skip
    env = {**os.environ, "COUNTERTALK_HOME": "/nonexistent-home"}
    if kw.get("background"):
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)


def test_statements_are_posted_accepted_and_never_sent_twice(location, ralph):
    record(location, attempts=3, choices=4, pause=0.005)
    want = expected_ids(location)
    assert len(want) == 3 * 5

    first = export(location, ralph.endpoint)
    assert first.returncode == 0, first.stderr
    assert "15 new statement(s) queued, 15 sent" in first.stderr
    held = ralph.all_statements()
    assert sorted(s["id"] for s in held) == sorted(want)
    # what the LRS holds is what we sent: the learner, the verb, the choice's own time
    parent = next(s for s in held if s["verb"]["id"].endswith("/passed"))
    children = sorted(
        (s for s in held if s["context"].get("statement", {}).get("id") == parent["id"]),
        key=lambda s: s["context"]["extensions"]["urn:countertalk:xapi:extension:turn"],
    )
    assert [c["actor"]["account"]["name"] for c in children] == [
        parent["actor"]["account"]["name"]
    ] * 4
    # each choice carries the moment it was made, in turn order, before the attempt ended
    times = [c["timestamp"] for c in children]
    assert times == sorted(set(times)) and times[-1] < parent["timestamp"]

    again = export(location, ralph.endpoint)  # nothing new: nothing sent
    assert again.returncode == 0, again.stderr
    assert "0 new statement(s) queued, 0 sent" in again.stderr
    record(location, attempts=1, choices=2)  # a new attempt: only its statements go
    third = export(location, ralph.endpoint)
    assert "3 new statement(s) queued, 3 sent" in third.stderr
    ids = [s["id"] for s in ralph.all_statements()]
    assert len(ids) == len(set(ids)) == 18


def test_lrs_stopped_mid_export_then_restarted_loses_and_repeats_nothing(location, ralph):
    record(location, attempts=40, choices=6)
    want = expected_ids(location)
    total = len(want)
    url = lrs.endpoint(ralph.endpoint)

    run = export(location, ralph.endpoint, "--batch", "5", background=True)
    with Store(location) as watcher:  # stop the LRS once some, not all, are accepted
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            waiting, sent = watcher.outbox_counts(url)
            if sent >= 10:
                break
            time.sleep(0.01)
    ralph.stop()
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1, err
    assert "cannot reach the LRS" in err and "will be sent the next time" in err
    with Store(location) as s:
        waiting, sent = s.outbox_counts(url)
    assert 10 <= sent < total and waiting == total - sent  # it really stopped half-way

    ralph.start()  # same folder and port: the same LRS, back again
    resumed = export(location, ralph.endpoint, "--batch", "5")
    assert resumed.returncode == 0, resumed.stderr
    assert "0 waiting" in resumed.stderr
    ids = [s["id"] for s in ralph.all_statements()]
    assert len(ids) == len(set(ids))  # none twice
    assert set(ids) == want  # none lost


def test_a_lost_reply_is_resent_without_a_duplicate(location, ralph):
    """The LRS stored a batch but its answer never arrived, so the outbox still holds it:
    the resend must not leave any statement twice in the LRS."""
    record(location, attempts=2, choices=3)
    want = expected_ids(location)
    assert export(location, ralph.endpoint).returncode == 0
    url = lrs.endpoint(ralph.endpoint)
    forget_sent(location, 4)
    with Store(location) as s:
        assert s.outbox_counts(url) == (4, len(want) - 4)
    again = export(location, ralph.endpoint)
    assert again.returncode == 0, again.stderr
    assert "0 waiting" in again.stderr
    ids = [s["id"] for s in ralph.all_statements()]
    assert sorted(ids) == sorted(want)


def test_a_conflict_is_sorted_out_by_asking_the_lrs(location, ralph):
    """If the LRS answers 409 (it holds a statement with that id that differs, e.g. stamped by
    an older CounterTalk), each statement of the batch is looked up, not stored twice."""
    record(location, attempts=2, choices=3)
    want = expected_ids(location)
    assert export(location, ralph.endpoint).returncode == 0
    forget_sent(location, 4, change=True)
    again = export(location, ralph.endpoint)
    assert again.returncode == 0, again.stderr
    assert "4 already there" in again.stderr and "0 waiting" in again.stderr
    ids = [s["id"] for s in ralph.all_statements()]
    assert sorted(ids) == sorted(want)


def forget_sent(location, n: int, change: bool = False) -> None:
    """Mark ``n`` accepted statements unsent again, as if the LRS's reply had been lost
    (and with ``change``, alter what would be resent)."""

    def write(c):
        rows = c.execute(
            "SELECT lrs, statement_id, body FROM xapi_outbox ORDER BY statement_id"
        ).fetchall()[:n]
        for lrs_url, sid, body in rows:
            if change:
                body = body.replace('"platform":"CounterTalk"', '"platform":"CounterTalk 0"')
            c.execute(
                "UPDATE xapi_outbox SET sent_at = NULL, body = ? WHERE lrs = ? AND statement_id = ?",
                (body, lrs_url, sid),
            )

    with Store(location) as s:
        s._run(write, write=True)


def test_wrong_credentials_say_so_and_keep_the_statements(location, ralph):
    record(location, attempts=1, choices=1)
    argv = [sys.executable, "-m", "simulator", "export", "--xapi", "--db", str(location),
            "--lrs", ralph.endpoint, "--lrs-auth", "ct:wrong"]  # fmt: skip
    bad = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "refused the credentials" in bad.stderr and "2 statement(s) wait" in bad.stderr
    assert "Traceback" not in bad.stderr and "bug" not in bad.stderr
    assert ralph.all_statements() == []
    assert export(location, ralph.endpoint).returncode == 0
    assert len(ralph.all_statements()) == 2
