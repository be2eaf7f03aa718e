"""`countertalk db check|migrate`, as an administrator runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

from simulator.store import SCHEMA_VERSION, Store


def db(location, action: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COUNTERTALK_HOME": str(tmp_path)}
    env.pop("COUNTERTALK_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "simulator", "--db", str(location), "db", action],
        capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path,
    )  # fmt: skip


def test_check_then_migrate_then_check(location, tmp_path):
    before = db(location, "check", tmp_path)
    assert before.returncode == 1
    assert "schema version: 0" in before.stdout and "run 'countertalk db migrate'" in before.stderr
    migrated = db(location, "migrate", tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert f"schema version: {SCHEMA_VERSION}" in migrated.stdout
    after = db(location, "check", tmp_path)
    assert after.returncode == 0 and "ok: reachable and up to date" in after.stdout
    with Store(location) as s:  # the global --db reached the store: this database was migrated
        assert s.version == SCHEMA_VERSION and s.missing_tables() == []


def test_check_names_a_missing_table(location, tmp_path):
    assert db(location, "migrate", tmp_path).returncode == 0
    with Store(location) as s:
        s._run(lambda c: c.execute("DROP TABLE web_learners"), write=True)
    out = db(location, "check", tmp_path)
    assert out.returncode == 1 and "missing tables: web_learners" in out.stderr
    assert "Traceback" not in out.stderr
