"""A results database in a state nobody meant: the commands say so and carry on, never hang,
never crash, never print "This is a bug" (hardening issue, item 8)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.store import Store

REPO = Path(__file__).resolve().parents[2]
KETTLE = REPO / "tests" / "fixtures" / "kettle.yaml"


def run(
    home: Path, *argv: str, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COUNTERTALK_DB"}
    env["COUNTERTALK_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "simulator", *argv],
        input=stdin, capture_output=True, text=True, env=env, timeout=timeout, cwd=home,
    )  # fmt: skip


def no_crash(out: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in out.stderr
    assert "This is a bug" not in out.stderr and "unexpected" not in out.stderr


def finished_attempt(db: Path) -> int:
    with Store(db) as s:
        aid = s.start_attempt(
            scenario_id="kettle-day12", scenario_hash="ab" * 32,
            scenario_path=str(KETTLE), learner="sam", seed=4,
        )  # fmt: skip
        s.record_choice(aid, 1, "greet.1", {"choice": "greet.1"})
        s.finish_attempt(
            aid, ending="refunded", outcome="resolved", final_mood=70,
            transcript={"format": 1, "turns": [{"choice": "greet.1"}]},
            score={"percent": 70, "grade": "pass", "mistakes": []},
        )  # fmt: skip
    return aid


@pytest.mark.parametrize("command", [["report"], ["export", "--xapi"], ["play", "--plain"]])
def test_a_fifo_in_place_of_the_database_is_refused_not_waited_on(tmp_path, command):
    os.mkfifo(tmp_path / "countertalk.db")
    argv = [*command[:1], *([str(KETTLE)] if command[0] == "play" else []), *command[1:]]
    out = run(tmp_path, *argv, stdin="1\n" * 30, timeout=30)  # a hang fails by timeout
    said = out.stdout + out.stderr
    assert "not a regular file" in said and "countertalk.db" in said
    if command[0] == "play":  # the learner plays on, unsaved
        assert out.returncode == 0 and "The conversation is over" in out.stdout
        assert "this attempt is not being saved" in said
    else:
        assert out.returncode == 1
    no_crash(out)


@pytest.mark.parametrize(
    "column, value",
    [
        ("transcript", "{not json"),
        ("transcript", "[1, 2]"),
        ("score", '{"mistakes": 3'),
        ("seed", "not-a-number"),
        ("percent", "lots"),
        ("started_at", "yesterday"),
    ],
)
def test_a_damaged_row_does_not_stop_report_or_export(tmp_path, column, value):
    db = tmp_path / "countertalk.db"
    finished_attempt(db)
    conn = sqlite3.connect(db)
    conn.execute(f"UPDATE attempts SET {column} = ?", (value,))
    conn.commit()
    conn.close()
    for argv in (["report"], ["report", "--format", "json"], ["export", "--xapi"]):
        out = run(tmp_path, *argv)
        assert out.returncode == 0, (argv, out.stderr)
        no_crash(out)
        assert "sam" in out.stdout
    statements = json.loads(run(tmp_path, "export", "--xapi").stdout)
    assert len(statements) == 2  # the attempt and its one choice, damaged field left out


def test_a_missing_table_carries_on_unsaved_in_plain_play(tmp_path):
    db = tmp_path / "countertalk.db"
    finished_attempt(db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE choices")
    conn.commit()
    conn.close()
    out = run(tmp_path, "play", str(KETTLE), "--plain", "--seed", "1", stdin="1\n" * 30)
    assert out.returncode == 0, out.stderr
    assert "The conversation is over" in out.stdout
    said = out.stdout + out.stderr
    assert "no such table: choices" in said and "this attempt is not being saved" in said
    assert said.count("not being saved") == 1  # said once, not every turn
    no_crash(out)


def test_a_read_only_database_carries_on_unsaved_in_plain_play(tmp_path):
    db = tmp_path / "countertalk.db"
    finished_attempt(db)
    # a trigger that refuses every write stands in for a read-only file (as root, file
    # permissions do not stop writes) and fails the same way: an error from SQLite mid-session
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TRIGGER ro BEFORE INSERT ON choices BEGIN "
        "SELECT RAISE(ABORT, 'attempt to write a readonly database'); END"
    )
    conn.commit()
    conn.close()
    out = run(tmp_path, "play", str(KETTLE), "--plain", "--seed", "1", stdin="1\n" * 30)
    assert out.returncode == 0, out.stderr
    said = out.stdout + out.stderr
    assert "readonly" in said and "this attempt is not being saved" in said
    no_crash(out)
