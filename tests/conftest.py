"""Fixtures shared by every test folder: the real database servers the store runs on."""

from __future__ import annotations

import os
import pathlib
import shutil
import tempfile

import pytest
from services import Postgres

# The checked-scenario cache (simulator/engine/checked.py) of this test run, and of every
# `countertalk` it starts: never the user's own ~/.cache.
os.environ["COUNTERTALK_CACHE"] = tempfile.mkdtemp(prefix="ct-cache-")


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server for the whole test session (a fresh database per test).

    Its folder is made directly under the system temp folder: pytest's own is private to
    root, and the server runs as the unprivileged postgres user."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="ct-pg-"))
    server = Postgres(root).start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    """Where a test's results database lives: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "countertalk.db"
    return request.getfixturevalue("postgres").new_database()
