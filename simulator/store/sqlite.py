"""The results store on SQLite: one file, no set-up (the default).

* stdlib ``sqlite3`` in WAL mode with ``synchronous=NORMAL``: each choice is committed in its own
  short transaction, so everything a learner did before a ``kill -9`` is on disk.
* Several learners on one machine share one file. Every write runs in ``BEGIN IMMEDIATE`` (it
  takes the write lock up front, so it never has to upgrade a read lock and dead-lock), waits up
  to ``timeout`` seconds for the lock (``busy_timeout``), and a ``database is locked`` that still
  escapes is retried a few times with a small back-off.
* A file that is not a regular file (a FIFO would block ``open`` forever), not an SQLite
  database, damaged, or written by a newer CounterTalk gives a :class:`StoreError` and is left
  exactly as it was.
"""

from __future__ import annotations

import _thread  # builtin: a lock without the cost of importing ``threading``
import os
import pathlib
import sqlite3
import stat
import time
from typing import Any

from simulator.engine.i18n import Said
from simulator.store.errors import HOME_ENV, StoreError

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


class SqliteBackend:
    dialect = "sqlite"
    RETRIES = 5  # attempts at a transaction that meets "database is locked"

    def __init__(self, path: pathlib.Path, timeout: float):
        self.path = path.absolute()  # error messages must say where the file is
        self.where = str(self.path)
        self.timeout = timeout
        self._lock = _thread.RLock()
        self._pid = os.getpid()
        self._conn: sqlite3.Connection | None = None
        self._check_file()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                Said(
                    "Cannot create the folder for the results database {path}: {problem}. "
                    "Set {env} to a folder you can write to.",
                    path=self.path,
                    problem=exc,
                    env=HOME_ENV,
                ),
                self.path,
            ) from exc
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        except sqlite3.Error as exc:
            raise self.cannot_open(exc) from exc

    # ------------------------------------------------------------------ opening
    def _check_file(self) -> None:
        """Refuse, without touching it, anything that is not an SQLite database file."""
        p = self.path
        try:
            info = os.stat(p)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise self.cannot_open(exc) from exc
        if stat.S_ISDIR(info.st_mode):
            raise StoreError(
                Said(
                    "The results database path {path} is a folder, not a file. "
                    "Move the folder aside or set {env} to another folder.",
                    path=p,
                    env=HOME_ENV,
                ),
                p,
            )
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device: reading it could block forever
            raise StoreError(
                Said(
                    "The results database path {path} is not a regular file (it is a pipe, "
                    "socket or device). CounterTalk has not read or changed it. Move it aside or "
                    "set {env} to another folder.",
                    path=p,
                    env=HOME_ENV,
                ),
                p,
            )
        try:
            with open(p, "rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise self.cannot_open(exc) from exc
        if head and head != _SQLITE_MAGIC:  # an empty file is a new database
            raise self.damaged(Said("it is not an SQLite database"))

    def prepare(self) -> None:
        """Settings made once the schema version has been read (never on a foreign file)."""
        conn = self._conn
        assert conn is not None
        # These pragmas refuse to run inside a transaction; a read interrupted by a busy
        # neighbour (e.g. a process killed mid-write a moment ago) must not leave one open.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        # WAL: readers never block the writer.  (On a file system without WAL
        # support SQLite keeps its rollback journal; that is still safe.)
        self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        self._retry(lambda: conn.execute("PRAGMA synchronous = NORMAL"))  # survives kill -9
        self._retry(lambda: conn.execute("PRAGMA foreign_keys = ON"))

    def tables(self, conn: Any) -> set[str]:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {r[0] for r in rows} - {"sqlite_sequence"}

    def migration_lock(self, conn: Any) -> None:
        """Nothing to do: the migration's BEGIN IMMEDIATE already holds the write lock."""

    # ------------------------------------------------------------ transactions
    def _retry(self, fn: Any) -> Any:
        """Call ``fn`` again when SQLite says the database is locked/busy."""
        delay = 0.02
        for n in range(self.RETRIES):
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise self.failed(exc) from exc
                if n == self.RETRIES - 1:
                    raise StoreError(
                        Said(
                            "The results database {path} stayed busy for too long (another "
                            "CounterTalk may be stuck): {problem}. Everything up to your last "
                            "saved choice is kept; close other CounterTalk windows and try again.",
                            path=self.path,
                            problem=exc,
                        ),
                        self.path,
                    ) from exc
                # jitter without importing random, so processes spread out
                time.sleep(delay * (1 + (time.perf_counter_ns() % 997) / 997))
                delay = min(delay * 2, 0.5)
            except sqlite3.DatabaseError as exc:
                if type(exc) is sqlite3.DatabaseError:  # "malformed", "not a database"
                    raise self.damaged(str(exc)) from exc
                raise self.failed(exc) from exc  # integrity, programming: never raw to a user
            except sqlite3.Error as exc:
                raise self.failed(exc) from exc

    def run(self, fn: Any, *, write: bool, single: bool = False, pipeline: bool = False) -> Any:
        """Run ``fn(conn)`` in one short transaction, retried when busy (``single`` and
        ``pipeline`` are PostgreSQL's round-trip savings: a file has no round trips)."""
        with self._lock:
            conn = self._conn
            if conn is None:
                raise StoreError(
                    Said("The results store {path} is closed.", path=self.path), self.path
                )
            if os.getpid() != self._pid:
                raise StoreError(
                    "A Store was carried into a forked process; open a new Store there.",
                    self.path,
                )

            def once() -> Any:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    result = fn(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        try:
                            conn.execute("ROLLBACK")
                        except sqlite3.Error:
                            pass
                    raise
                return result

            return self._retry(once)

    # ------------------------------------------------------------------ errors
    def damaged(self, what: object) -> StoreError:
        return StoreError(
            Said(
                "The results database {path} is damaged or is not a CounterTalk database "
                "({problem}). CounterTalk has not changed or deleted it. Move it aside (for "
                "example rename it to {name}.damaged) and CounterTalk will start a new one; keep "
                "the old file so its results can be recovered.",
                path=self.path,
                problem=what,
                name=self.path.name,
            ),
            self.path,
        )

    def foreign(self) -> StoreError:
        return StoreError(
            Said(
                "{path} is an SQLite database but not a CounterTalk results database (it has no "
                "schema_migrations table). CounterTalk has not changed it. Move it aside, or set "
                "{env} to another folder.",
                path=self.path,
                env=HOME_ENV,
            ),
            self.path,
        )

    def too_new(self, version: int, known: int) -> StoreError:
        return StoreError(
            Said(
                "The results database {path} was written by a newer CounterTalk (schema version "
                "{version}; this CounterTalk understands up to {known}). CounterTalk has not "
                "changed it. Upgrade CounterTalk, or move the file aside (or set {env} to "
                "another folder) to start afresh.",
                path=self.path,
                version=version,
                known=known,
                env=HOME_ENV,
            ),
            self.path,
        )

    def cannot_open(self, exc: BaseException) -> StoreError:
        return StoreError(
            Said(
                "Cannot open the results database {path}: {problem}. Check that you can read "
                "and write that folder, or set {env} to one you can.",
                path=self.path,
                problem=exc,
                env=HOME_ENV,
            ),
            self.path,
        )

    def failed(self, exc: BaseException) -> StoreError:
        return StoreError(
            Said(
                "The results database {path} could not be used: {problem}. Check that the disk "
                "is not full and that you can write to that folder.",
                path=self.path,
                problem=exc,
            ),
            self.path,
        )

    # --------------------------------------------------------------- lifetime
    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None
