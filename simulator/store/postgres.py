"""The results store on PostgreSQL, for a college serving many learners (psycopg 3 + a pool).

Chosen with ``COUNTERTALK_DB=postgresql://…`` or ``--db URL``. The store's queries are written
once with ``?`` placeholders; :class:`_Conn` spells them ``%s`` for psycopg. Every call borrows a
connection from a :class:`psycopg_pool.ConnectionPool` and runs in one transaction (a call of one
statement, such as saving a choice, in autocommit: one round trip). A connection the server
dropped (it restarted) fails its first statement and the call is retried once on a fresh one.

Failures map to :class:`StoreError` with a message a tutor can act on: at start-up "cannot
reach the results database …", mid-session "could not be used …" (the front ends then carry on
unsaved). Serialisation failures and dead-locks are retried; a lost connection is retried once
on a fresh one (every write is idempotent but ``start_attempt``, where a retry after a commit
whose reply was lost would leave one extra unfinished attempt — harmless, never offered twice).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from simulator.dsn import describe, normalise, scrub
from simulator.store.errors import DB_ENV, StoreError

_MIGRATION_LOCK = 7_373_2026  # pg_advisory_xact_lock key: one migrating process at a time


class _Conn:
    """A psycopg connection that takes the store's ``?`` placeholders."""

    def __init__(self, conn: Any):
        self._c = conn

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self._c.execute(sql.replace("?", "%s"), tuple(params) or None)

    def executemany(self, sql: str, rows: Any) -> None:
        with self._c.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), list(rows))


class PostgresBackend:
    dialect = "postgresql"
    RETRIES = 5

    def __init__(self, url: str, timeout: float, pool_size: int):
        import psycopg

        self._psycopg = psycopg
        self._given = url  # only for scrubbing messages: never printed
        self.url = normalise(url)  # what libpq reads (scheme case, a password's '/' and '@')
        self.where = describe(url)  # host and database only
        self.path = None
        self.timeout = timeout
        self._pid = os.getpid()
        # The pool reconnects in the background and logs each failure; a learner sees our
        # one notice instead.
        logging.getLogger("psycopg.pool").setLevel(logging.CRITICAL)
        kwargs: dict[str, Any] = {
            "autocommit": True,
            "connect_timeout": max(1, min(int(timeout), 10)),
        }
        if "options" not in self.url:  # never let a stuck server hang a learner's screen for ever
            kwargs["options"] = f"-c statement_timeout={int(timeout * 1000)}"
        try:  # one direct connection first: its error says what is wrong, a pool's does not
            psycopg.connect(self.url, **kwargs).close()
        except psycopg.Error as exc:
            raise self.unreachable(exc) from exc
        self._kwargs = kwargs
        self._pool_size = max(1, pool_size)
        self._broken = False
        self.pool: Any = self._new_pool()
        try:
            self.pool.open(wait=True, timeout=timeout)
        except Exception as exc:  # PoolTimeout: the server went away between the two
            self.pool.close()
            raise self.unreachable(exc) from exc

    def _new_pool(self) -> Any:
        from psycopg_pool import ConnectionPool

        pool = ConnectionPool(
            self.url,
            min_size=1,
            max_size=self._pool_size,
            kwargs=self._kwargs,
            open=False,
            timeout=self.timeout,
            # No check on borrowing (a round trip per call): a connection the server dropped
            # fails its first statement, and run() retries once on a fresh one.
            name="countertalk",
        )
        return pool

    def _renew(self) -> None:
        """After a failure, a new pool: the old one retries the server with a growing back-off
        (up to minutes), and a learner whose server is back should not wait for it."""
        old, self.pool = self.pool, self._new_pool()
        self.pool.open(wait=False)
        self._broken = False
        if old is not None:
            old.close(timeout=0)

    def prepare(self) -> None:
        """Nothing per connection: every setting travels in the connection options."""

    def tables(self, conn: Any) -> set[str]:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {r[0] for r in rows}

    def migration_lock(self, conn: Any) -> None:
        """Two servers starting at once: the second waits, then finds the work done."""
        conn.execute(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")

    # ------------------------------------------------------------ transactions
    def run(self, fn: Any, *, write: bool, single: bool = False, pipeline: bool = False) -> Any:
        """Run ``fn(conn)`` in one transaction on a pooled connection. ``pipeline``: ``fn``
        needs no statement's result before the transaction ends, so BEGIN, its statements and
        COMMIT are sent together (psycopg's pipeline mode): one round trip instead of one
        each, and the results (a cursor's ``rowcount``) are there once ``run`` returns."""
        psycopg = self._psycopg
        from psycopg import errors
        from psycopg_pool import PoolTimeout

        if self.pool is None:
            raise StoreError(f"The results store {self.where} is closed.")
        if self._broken:
            self._renew()
        pool = self.pool
        if os.getpid() != self._pid:
            raise StoreError("A Store was carried into a forked process; open a new Store there.")
        delay = 0.02
        lost = 0
        for n in range(self.RETRIES):
            try:
                with pool.connection(timeout=self.timeout) as conn:
                    if single:  # autocommit: one statement is its own transaction
                        return fn(_Conn(conn))
                    if pipeline:
                        with conn.pipeline(), conn.transaction():
                            result = fn(_Conn(conn))
                        return result
                    with conn.transaction():
                        return fn(_Conn(conn))
            except (errors.SerializationFailure, errors.DeadlockDetected) as exc:
                if n == self.RETRIES - 1:
                    raise self.failed(exc) from exc
                time.sleep(delay * (1 + (time.perf_counter_ns() % 997) / 997))
                delay = min(delay * 2, 0.5)
            except PoolTimeout as exc:
                self._broken = True
                raise self.failed(exc) from exc
            except psycopg.OperationalError as exc:  # the server went away mid-call
                lost += 1
                if lost > 1:
                    self._broken = True
                    raise self.failed(exc) from exc
            except psycopg.Error as exc:
                raise self.failed(exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # ------------------------------------------------------------------ errors
    def _detail(self, exc: BaseException) -> str:
        """The driver's first line, with the DSN and any piece of its password taken out (libpq
        quotes a connection string it cannot parse)."""
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return scrub(detail, self._given)

    def unreachable(self, exc: BaseException) -> StoreError:
        detail = self._detail(exc)
        return StoreError(
            f"Cannot reach the results database {self.where}: {detail}. Check that the "
            f"PostgreSQL server is running and that the URL (--db or {DB_ENV}) names the right "
            f"host, port, database, user and password; an administrator can test it with "
            f"'countertalk db check'."
        )

    def damaged(self, what: str) -> StoreError:
        return StoreError(f"The results database {self.where} is not usable ({what}).")

    def foreign(self) -> StoreError:
        return StoreError(
            f"The database {self.where} already has tables but no schema_migrations table, "
            f"so it is not a CounterTalk results database. CounterTalk has not changed it. "
            f"Create an empty database for CounterTalk and point {DB_ENV} at it."
        )

    def too_new(self, version: int, known: int) -> StoreError:
        return StoreError(
            f"The results database {self.where} was migrated by a newer CounterTalk (schema "
            f"version {version}; this CounterTalk understands up to {known}). CounterTalk has "
            f"not changed it. Upgrade CounterTalk on this computer."
        )

    def failed(self, exc: BaseException) -> StoreError:
        detail = self._detail(exc)
        return StoreError(
            f"The results database {self.where} could not be used: {detail}. Check that the "
            f"PostgreSQL server is running and has room, or ask the administrator to run "
            f"'countertalk db check'."
        )

    # --------------------------------------------------------------- lifetime
    def close(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.close()
