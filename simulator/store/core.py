"""The results store: every attempt and every choice a learner makes.

Shared by the Textual app, plain mode, classroom mode, `serve` and tutor reports, so it must
stay headless: no Textual, no Rich, and a small import cost (platformdirs and the PostgreSQL
driver are imported only when asked for).

Where the results live
----------------------
* SQLite (the default, no set-up): ``$COUNTERTALK_HOME/countertalk.db`` or the platform's user
  data folder — see :mod:`simulator.store.sqlite`.
* PostgreSQL, for a college serving many learners: ``COUNTERTALK_DB=postgresql://…`` (or a
  ``--db URL`` option, which sets it) — see :mod:`simulator.store.postgres`.

One interface (this class) and one list of migrations (:mod:`simulator.store.schema`) serve
both; the queries are written once in the SQL the two share. The schema is versioned:
``schema_migrations(version, applied_at)`` records which migrations have run, each applied in
one transaction. A database written by a *newer* CounterTalk, a damaged file, or somebody
else's database gives a :class:`StoreError` that says what is wrong and what to do, and it is
left exactly as it was.

Rows are read defensively: a damaged ``transcript`` or a non-numeric ``seed`` in one row (an
edited file, a bad restore) reads as missing instead of stopping a tutor's report.
"""

from __future__ import annotations

import os
import pathlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from simulator.engine.format import MODES  # one list of modes
from simulator.store.analytics import Analytics
from simulator.store.errors import (  # noqa: F401  (DB_FILENAME, HOME_ENV: re-exported)
    DB_ENV,
    DB_FILENAME,
    HOME_ENV,
    StoreError,
    default_path,
    is_url,
)
from simulator.store.lti import Lti
from simulator.store.outbox import Outbox
from simulator.store.rows import dumps as _dumps
from simulator.store.rows import json_dict as _json_dict
from simulator.store.schema import MIGRATIONS, MIGRATIONS_TABLE, SCHEMA_VERSION, render, statements
from simulator.store.signin import SignIn

T = TypeVar("T")

__all__ = ["MODES", "AttemptRecord", "MIGRATIONS", "SCHEMA_VERSION", "Store", "StoreError"]


_ATTEMPT_COLUMNS = (
    "id, scenario_id, scenario_hash, scenario_path, learner, seed, mode, started_at,"
    " finished_at, ending, outcome, final_mood, percent, grade, class_session, team,"
    " transcript, score, abandoned_at"
)


@dataclass
class AttemptRecord:
    id: int
    scenario_id: str
    scenario_hash: str  # sha256 of the scenario file's bytes (its version)
    scenario_path: str
    learner: str
    seed: int | None  # None only when the stored value is damaged
    mode: str  # "practice" | "assess" | "classroom" | "activity"
    started_at: float  # unix time
    finished_at: float | None
    ending: str | None
    outcome: str | None
    final_mood: int | None
    percent: int | None
    grade: str | None
    class_session: str | None
    team: str | None
    choices: list[str] = field(default_factory=list)  # choice ids, turn order
    transcript: dict[str, Any] | None = None  # the §8 transcript JSON when finished
    mistakes: list[str] = field(default_factory=list)  # mistake ids from the score
    abandoned_at: float | None = None  # set by abandon_attempt()
    choice_times: list[float] = field(default_factory=list)  # when each choice was saved
    score: dict[str, Any] | None = None  # the score JSON when finished (the progress map's points)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 30:
        return int(value)
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        f = float(value)
        return f if f == f and abs(f) != float("inf") else None
    return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _mistake_ids(score: dict[str, Any] | None) -> list[str]:
    if not score:
        return []
    mistakes = score.get("mistakes")
    if not isinstance(mistakes, list):
        return []
    ids = []
    for m in mistakes:
        if isinstance(m, dict):
            if m.get("id") is not None:
                ids.append(str(m["id"]))
        else:
            ids.append(str(m))
    return ids


class Store(Analytics, Outbox, SignIn, Lti):
    """One handle on the results database.  Not to be shared across a fork: open a new
    ``Store`` in each process (threads may share one; on PostgreSQL they share its pool)."""

    RETRIES = 5  # attempts at a transaction that meets "database is locked"

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        timeout: float = 10.0,
        pool_size: int = 4,
        migrate: bool = True,
    ):
        """Open (creating and migrating if need be) the database at ``path`` — a file, a
        ``postgresql://`` URL, or None for :meth:`default_location`.  ``timeout`` is how long
        one attempt at a transaction waits for another's lock (or for a pooled connection).
        ``pool_size`` bounds the PostgreSQL connections shared by this Store's threads.
        ``migrate=False`` only reads the schema version (for ``countertalk db check``).
        Raises :class:`StoreError` for a database it must not or cannot use."""
        location = self.default_location() if path is None else path
        self.timeout = float(timeout)
        self.version = 0
        if is_url(location):
            from simulator.store.postgres import PostgresBackend

            self._db: Any = PostgresBackend(str(location), self.timeout, pool_size)
        else:
            from simulator.store.sqlite import SqliteBackend

            self._db = SqliteBackend(pathlib.Path(location).expanduser(), self.timeout)
        self.path = self._db.path  # the file (SQLite) or None (a server)
        self.location = self._db.where  # what to call it in messages (no password)
        self.dialect = self._db.dialect
        try:
            self._open(migrate)
        except BaseException:
            self._db.close()
            raise

    # ----------------------------------------------------------------- location
    @staticmethod
    def default_path() -> pathlib.Path:
        """``$COUNTERTALK_HOME/countertalk.db`` if set, else the platform's user
        data directory.  The directory is created by ``Store()``, not here."""
        return default_path()

    @classmethod
    def default_location(cls) -> str | pathlib.Path:
        """``$COUNTERTALK_DB`` (a file or a postgresql:// URL) if set, else :meth:`default_path`."""
        chosen = os.environ.get(DB_ENV, "").strip()
        if chosen:
            return chosen if is_url(chosen) else pathlib.Path(chosen).expanduser()
        return cls.default_path()

    # ------------------------------------------------------------ open, migrate
    def _open(self, migrate: bool) -> None:
        # Look before writing anything: a newer or foreign database must be
        # left byte-for-byte as it is, so settings are made only after.
        version = self._run(self._read_version, write=False)
        if version > SCHEMA_VERSION:
            raise self._db.too_new(version, SCHEMA_VERSION)
        self._db.prepare()
        if migrate and version < SCHEMA_VERSION:
            self._migrate()
            version = self._run(self._read_version, write=False)
        self.version = version

    def _read_version(self, conn: Any) -> int:
        tables = self._db.tables(conn)
        if "schema_migrations" not in tables:
            if tables:
                raise self._db.foreign()
            return 0
        found = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        return _int(found[0]) or 0

    def _migrate(self) -> None:
        dialect = self.dialect
        for version, script in enumerate(MIGRATIONS, start=1):
            stmts = statements(render(script, dialect))

            def apply(conn: Any, version: int = version, stmts: list[str] = stmts) -> None:
                self._db.migration_lock(conn)
                conn.execute(render(MIGRATIONS_TABLE, dialect))
                current = self._read_version(conn)
                if current > SCHEMA_VERSION:  # a newer CounterTalk got here first
                    raise self._db.too_new(current, SCHEMA_VERSION)
                if current >= version:  # another process applied it meanwhile
                    return
                for stmt in stmts:
                    conn.execute(stmt)
                conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, time.time()),
                )

            self._run(apply, write=True)

    def missing_tables(self) -> list[str]:
        """Tables a fully migrated database has and this one lacks (for ``db check``)."""
        from simulator.store.schema import TABLES

        have = self._run(self._db.tables, write=False)
        return [t for t in TABLES if t not in have]

    # ------------------------------------------------------------ transactions
    def _run(
        self,
        fn: Callable[[Any], T],
        *,
        write: bool,
        single: bool = False,
        pipeline: bool = False,
    ) -> T:
        """Run ``fn(conn)`` in one short transaction (retried when busy).  ``single``: ``fn``
        runs one statement, atomic by itself, so PostgreSQL may skip BEGIN and COMMIT.
        ``pipeline``: ``fn`` reads no result (it returns cursors to look at afterwards), so
        PostgreSQL may send the whole transaction at once."""
        result: T = self._db.run(fn, write=write, single=single, pipeline=pipeline)
        return result

    # ------------------------------------------------------------------ rows
    @staticmethod
    def _attempt_from_row(row: Any, choices: Any = None) -> AttemptRecord:
        score = _json_dict(row[17])
        started = _float(row[7])
        return AttemptRecord(
            id=row[0],
            scenario_id=str(row[1]),
            scenario_hash=str(row[2]),
            scenario_path=str(row[3]),
            learner=str(row[4]),
            seed=_int(row[5]),
            mode=str(row[6]),
            started_at=0.0 if started is None else started,
            finished_at=_float(row[8]),
            ending=_text(row[9]),
            outcome=_text(row[10]),
            final_mood=_int(row[11]),
            percent=_int(row[12]),
            grade=_text(row[13]),
            class_session=_text(row[14]),
            team=_text(row[15]),
            choices=[c for c, _t in choices or ()],
            transcript=_json_dict(row[16]),
            mistakes=_mistake_ids(score),
            abandoned_at=_float(row[18]),
            choice_times=[t for _c, t in choices or ()],
            score=score,
        )

    @staticmethod
    def _exists(conn: Any, attempt_id: int) -> None:
        if conn.execute("SELECT 1 FROM attempts WHERE id = ?", (attempt_id,)).fetchone() is None:
            raise KeyError(attempt_id)

    def _select(
        self, where: str, params: tuple[Any, ...], order: str, limit: int | None = None
    ) -> list[AttemptRecord]:
        """Attempts matching ``where`` with their choices, in one read transaction."""
        sql = f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"

        def read(conn: Any) -> list[AttemptRecord]:
            rows = conn.execute(sql, params).fetchall()
            if not rows:
                return []
            by_attempt: dict[int, list[tuple[str, float]]] = {r[0]: [] for r in rows}
            ids = list(by_attempt)
            for i in range(0, len(ids), 500):  # stay under SQLite's variable limit
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for aid, choice_id, at in conn.execute(
                    f"SELECT attempt_id, choice_id, recorded_at FROM choices"
                    f" WHERE attempt_id IN ({marks}) ORDER BY attempt_id, turn",
                    chunk,
                ):
                    by_attempt[aid].append((str(choice_id), _float(at) or 0.0))
            return [self._attempt_from_row(r, by_attempt[r[0]]) for r in rows]

        return self._run(read, write=False)

    @staticmethod
    def _filters(**kw: Any) -> tuple[list[str], list[Any]]:
        where, params = [], []
        for column, value in kw.items():
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        return where, params

    # ------------------------------------------------------------------- API
    def start_attempt(
        self,
        *,
        scenario_id: str,
        scenario_hash: str,
        scenario_path: str,
        learner: str,
        seed: int,
        mode: str = "practice",
        class_session: str | None = None,
        team: str | None = None,
    ) -> int:
        """Record the start of an attempt; returns its id."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        values = (
            scenario_id,
            scenario_hash,
            str(scenario_path),
            learner,
            int(seed),
            mode,
            class_session,
            team,
            time.time(),
        )

        def write(conn: Any) -> int:
            cur = conn.execute(
                "INSERT INTO attempts (scenario_id, scenario_hash, scenario_path, learner,"
                " seed, mode, class_session, team, started_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                values,
            )
            return int(cur.fetchone()[0])

        return self._run(write, write=True, single=True)

    def record_choice(
        self, attempt_id: int, turn: int, choice_id: str, record: dict[str, Any]
    ) -> float:
        """Autosave one choice (``turn`` from 1; ``record`` is the §8 turn object); returns
        the time it was recorded at, exactly as stored.

        Saving the same turn again replaces it, so a repeat is harmless."""
        if turn < 1:
            raise ValueError(f"turn is counted from 1, not {turn}")
        payload = _dumps(record)
        at = time.time()

        def write(conn: Any) -> None:
            # One statement (no separate existence check): on PostgreSQL that is one round
            # trip per choice, the figure a class of learners waits on.
            cur = conn.execute(
                "INSERT INTO choices (attempt_id, turn, choice_id, record, recorded_at)"
                " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ?)"
                " ON CONFLICT (attempt_id, turn) DO UPDATE SET"
                " choice_id = excluded.choice_id, record = excluded.record,"
                " recorded_at = excluded.recorded_at",
                (attempt_id, turn, choice_id, payload, at, attempt_id),
            )
            if cur.rowcount == 0:
                raise KeyError(attempt_id)

        self._run(write, write=True, single=True)
        return at

    def truncate_choices(self, attempt_id: int, keep: int) -> None:
        """Keep only the first ``keep`` choices (for "retry from turn keep+1")."""
        if keep < 0:
            raise ValueError(f"keep must be >= 0, not {keep}")

        def write(conn: Any) -> None:
            self._exists(conn, attempt_id)
            conn.execute(
                "DELETE FROM choices WHERE attempt_id = ? AND turn > ?", (attempt_id, keep)
            )

        self._run(write, write=True)

    def finish_attempt(
        self,
        attempt_id: int,
        *,
        ending: str | None,
        outcome: str | None,
        final_mood: int | None,
        transcript: dict[str, Any],
        score: dict[str, Any] | None,
    ) -> None:
        """Record how the attempt ended, its §8 transcript and its score.

        When the transcript has turns and every one names its ``choice``, the
        stored choices are made to match them exactly (so ``choice_rows`` sees
        attempts whose choices were never autosaved); otherwise they are kept."""
        transcript_json = _dumps(transcript)
        score_json = _dumps(score) if score is not None else None
        percent = score.get("percent") if score else None
        grade = score.get("grade") if score else None
        turns = transcript.get("turns") if isinstance(transcript, dict) else None
        synced: list[tuple[Any, ...]] | None = None
        if (
            isinstance(turns, list)
            and turns
            and all(isinstance(t, dict) and isinstance(t.get("choice"), str) for t in turns)
        ):
            now = time.time()
            synced = [
                (attempt_id, n, t["choice"], _dumps(t), now) for n, t in enumerate(turns, start=1)
            ]

        def write(conn: Any) -> Any:
            # No existence check first (a round trip of its own): the UPDATE says by its row
            # count, and the choices are written only if the attempt is there, so a missing
            # one changes nothing. On PostgreSQL the whole transaction is one round trip.
            cur = conn.execute(
                "UPDATE attempts SET finished_at = ?, ending = ?, outcome = ?, final_mood = ?,"
                " percent = ?, grade = ?, transcript = ?, score = ? WHERE id = ?",
                (
                    time.time(),
                    ending,
                    outcome,
                    final_mood,
                    percent,
                    grade,
                    transcript_json,
                    score_json,
                    attempt_id,
                ),
            )
            if synced is not None:
                conn.execute(
                    "DELETE FROM choices WHERE attempt_id = ? AND turn > ?",
                    (attempt_id, len(synced)),
                )
                conn.executemany(
                    "INSERT INTO choices (attempt_id, turn, choice_id, record, recorded_at)"
                    " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ?)"
                    " ON CONFLICT (attempt_id, turn) DO UPDATE SET"
                    " choice_id = excluded.choice_id, record = excluded.record"
                    " WHERE choices.choice_id <> excluded.choice_id OR choices.record <> excluded.record",
                    [(*row, attempt_id) for row in synced],
                )
            return cur

        if self._run(write, write=True, pipeline=True).rowcount == 0:
            raise KeyError(attempt_id)

    def abandon_attempt(self, attempt_id: int) -> None:
        """Stop offering an unfinished attempt for resume (its data is kept)."""

        def write(conn: Any) -> None:
            self._exists(conn, attempt_id)
            conn.execute(
                "UPDATE attempts SET abandoned_at = ?"
                " WHERE id = ? AND finished_at IS NULL AND abandoned_at IS NULL",
                (time.time(), attempt_id),
            )

        self._run(write, write=True)

    def attempt(self, attempt_id: int) -> AttemptRecord:
        """One attempt with its choices; ``KeyError`` if there is none.

        One statement (the attempt joined to its choices), so on PostgreSQL it is one round
        trip in autocommit, and still one consistent snapshot: the web front end reads an
        attempt two or three times a reply, and each BEGIN/COMMIT pair was two more trips."""
        return self._attempt_joined(attempt_id, with_records=False)[0]

    def attempt_and_records(self, attempt_id: int) -> tuple[AttemptRecord, list[dict[str, Any]]]:
        """:meth:`attempt` and :meth:`turn_records` in one statement (one snapshot, one round
        trip): everything a resume needs, read once."""
        return self._attempt_joined(attempt_id, with_records=True)

    def _attempt_joined(
        self, attempt_id: int, *, with_records: bool
    ) -> tuple[AttemptRecord, list[dict[str, Any]]]:
        columns = ", ".join(f"a.{c.strip()}" for c in _ATTEMPT_COLUMNS.split(","))
        extra = ", c.record" if with_records else ""
        sql = (
            f"SELECT {columns}, c.choice_id, c.recorded_at{extra} FROM attempts a"
            " LEFT JOIN choices c ON c.attempt_id = a.id WHERE a.id = ? ORDER BY c.turn"
        )

        def read(conn: Any) -> list[Any]:
            return list(conn.execute(sql, (attempt_id,)).fetchall())

        rows = self._run(read, write=False, single=True)
        if not rows:
            raise KeyError(attempt_id)
        width = len(_ATTEMPT_COLUMNS.split(","))
        joined = [r for r in rows if r[width] is not None]
        choices = [(str(r[width]), _float(r[width + 1]) or 0.0) for r in joined]
        records: list[dict[str, Any]] = []
        if with_records:
            for r in joined:  # a PostgreSQL driver may hand back the decoded value
                record = r[width + 2]
                records.append(record if isinstance(record, dict) else _json_dict(record) or {})
        return self._attempt_from_row(rows[0][:width], choices), records

    def turn_records(self, attempt_id: int) -> list[dict[str, Any]]:
        """The saved turn records of one attempt, in turn order (what a resume replays: a
        typed reply's words live in its record). A damaged record reads as an empty one."""

        def read(conn: Any) -> list[Any]:
            return list(
                conn.execute(
                    "SELECT record FROM choices WHERE attempt_id = ? ORDER BY turn",
                    (attempt_id,),
                ).fetchall()
            )

        out: list[dict[str, Any]] = []
        for (record,) in self._run(read, write=False, single=True):  # one statement
            if isinstance(record, dict):  # a PostgreSQL driver may hand back the decoded value
                out.append(record)
            else:
                out.append(_json_dict(record) or {})
        return out

    def _unfinished(
        self, learner: str | None, scenario_id: str | None, limit: int | None
    ) -> list[AttemptRecord]:
        where, params = self._filters(learner=learner, scenario_id=scenario_id)
        where += ["finished_at IS NULL", "abandoned_at IS NULL"]
        return self._select(" AND ".join(where), tuple(params), "started_at DESC, id DESC", limit)

    def unfinished(
        self, *, learner: str | None = None, scenario_id: str | None = None
    ) -> list[AttemptRecord]:
        """Attempts neither finished nor abandoned, newest first, with choices."""
        return self._unfinished(learner, scenario_id, None)

    def latest_unfinished(self, *, learner: str, scenario_id: str) -> AttemptRecord | None:
        """The attempt to offer for resume, or None."""
        found = self._unfinished(learner, scenario_id, 1)
        return found[0] if found else None

    # --------------------------------------------------------------- lifetime
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"
