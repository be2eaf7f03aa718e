"""The results store: every attempt and every choice a learner makes.

Shared by the Textual app, plain mode, classroom mode and tutor reports, so it
must stay headless: no Textual, no Rich, and a small import cost (platformdirs
is imported only when the default location is asked for).

Design
------
* stdlib ``sqlite3`` in WAL mode with ``synchronous=NORMAL``: each choice is
  committed in its own short transaction (autosave), so everything a learner
  did before a ``kill -9`` or a crash is on disk.
* Several learners on one machine share one file.  Every write runs in
  ``BEGIN IMMEDIATE`` (it takes the write lock up front, so it never has to
  upgrade a read lock and dead-lock), waits up to ``timeout`` seconds for the
  lock (``busy_timeout``), and on the rare ``database is locked`` that still
  escapes is retried a few times with a small back-off.
* The schema is versioned: ``schema_migrations(version, applied_at)`` records
  which of :data:`MIGRATIONS` (an ordered list of SQL scripts) have run; each
  is applied in one transaction.  A file written by a *newer* CounterTalk, a
  damaged file, or somebody else's file gives a :class:`StoreError` that says
  what is wrong and what to do, and the file is left exactly as it was.
"""

from __future__ import annotations

import _thread  # builtin: a lock without the cost of importing ``threading``
import json
import os
import pathlib
import sqlite3
import time
from dataclasses import dataclass, field

__all__ = ["Attempt", "MIGRATIONS", "SCHEMA_VERSION", "Store", "StoreError"]

DB_FILENAME = "countertalk.db"
HOME_ENV = "COUNTERTALK_HOME"
MODES = ("practice", "assess", "classroom")
_SQLITE_MAGIC = b"SQLite format 3\x00"

# Ordered SQL scripts; migration N (from 1) is MIGRATIONS[N - 1].  Never edit
# or reorder a released script: append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: attempts and their choices.
    """
    CREATE TABLE attempts (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        scenario_id   TEXT    NOT NULL,
        scenario_hash TEXT    NOT NULL,
        scenario_path TEXT    NOT NULL,
        learner       TEXT    NOT NULL,
        seed          INTEGER NOT NULL,
        mode          TEXT    NOT NULL,
        class_session TEXT,
        team          TEXT,
        started_at    REAL    NOT NULL,
        finished_at   REAL,
        abandoned_at  REAL,
        ending        TEXT,
        outcome       TEXT,
        final_mood    INTEGER,
        percent       INTEGER,
        grade         TEXT,
        transcript    TEXT,
        score         TEXT
    );
    CREATE INDEX attempts_by_learner ON attempts (learner, scenario_id, started_at);
    CREATE INDEX attempts_by_scenario ON attempts (scenario_id, started_at);
    CREATE INDEX attempts_by_start ON attempts (started_at);
    CREATE TABLE choices (
        attempt_id  INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
        turn        INTEGER NOT NULL CHECK (turn >= 1),
        choice_id   TEXT    NOT NULL,
        record      TEXT    NOT NULL,
        recorded_at REAL    NOT NULL,
        PRIMARY KEY (attempt_id, turn)
    ) WITHOUT ROWID;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)"
)

_ATTEMPT_COLUMNS = (
    "id, scenario_id, scenario_hash, scenario_path, learner, seed, mode, started_at,"
    " finished_at, ending, outcome, final_mood, percent, grade, class_session, team,"
    " transcript, score, abandoned_at"
)


class StoreError(Exception):
    """The results database cannot be used; the message says why and what to do.

    ``path`` is the database file concerned.
    """

    def __init__(self, message: str, path: str | os.PathLike | None = None):
        super().__init__(message)
        self.path = None if path is None else pathlib.Path(path)


@dataclass
class Attempt:
    id: int
    scenario_id: str
    scenario_hash: str  # sha256 of the scenario file's bytes (its version)
    scenario_path: str
    learner: str
    seed: int
    mode: str  # "practice" | "assess" | "classroom"
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
    transcript: dict | None = None  # the §8 transcript JSON when finished
    mistakes: list[str] = field(default_factory=list)  # mistake ids from the score
    abandoned_at: float | None = None  # set by abandon_attempt()


def _statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers included)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf.strip()!r}")
    return out


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _mistake_ids(score: dict | None) -> list[str]:
    if not score:
        return []
    ids = []
    for m in score.get("mistakes") or ():
        if isinstance(m, dict):
            if m.get("id") is not None:
                ids.append(str(m["id"]))
        else:
            ids.append(str(m))
    return ids


class Store:
    """One connection to the results database.  Not to be shared across a fork:
    open a new ``Store`` in each process (threads may share one)."""

    RETRIES = 5  # attempts at a transaction that meets "database is locked"

    def __init__(self, path: str | os.PathLike | None = None, *, timeout: float = 10.0):
        """Open (creating and migrating if need be) the database at ``path``,
        or at :meth:`default_path`.  ``timeout`` is how long one attempt at a
        transaction waits for another process's lock (``busy_timeout``).
        Raises :class:`StoreError` for a file it must not or cannot use."""
        chosen = pathlib.Path(path).expanduser() if path is not None else self.default_path()
        self.path = chosen.absolute()  # error messages must say where the file is
        self.timeout = float(timeout)
        self._lock = _thread.RLock()
        self._pid = os.getpid()
        self._conn: sqlite3.Connection | None = None
        self._check_file()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the folder for the results database {self.path}: {exc}. "
                f"Set {HOME_ENV} to a folder you can write to.",
                self.path,
            ) from exc
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._cannot_open(exc) from exc
        try:
            self._open()
        except sqlite3.Error as exc:  # never a raw sqlite message to a learner
            self._conn.close()
            self._conn = None
            raise self._failed(exc) from exc
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # ----------------------------------------------------------------- location
    @staticmethod
    def default_path() -> pathlib.Path:
        """``$COUNTERTALK_HOME/countertalk.db`` if set, else the platform's user
        data directory.  The directory is created by ``Store()``, not here."""
        home = os.environ.get(HOME_ENV)
        if home:
            return pathlib.Path(home).expanduser() / DB_FILENAME
        import platformdirs  # lazily: only needed when no path is given

        return pathlib.Path(platformdirs.user_data_dir("countertalk")) / DB_FILENAME

    # ------------------------------------------------------------ open, migrate
    def _check_file(self) -> None:
        """Refuse, without touching it, a file that is not an SQLite database."""
        p = self.path
        if p.is_dir():
            raise StoreError(
                f"The results database path {p} is a folder, not a file. "
                f"Move the folder aside or set {HOME_ENV} to another folder.",
                p,
            )
        try:
            with open(p, "rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
        except FileNotFoundError:
            return
        except OSError as exc:
            raise self._cannot_open(exc) from exc
        if head and head != _SQLITE_MAGIC:  # an empty file is a new database
            raise self._damaged("it is not an SQLite database")

    def _open(self) -> None:
        conn = self._conn
        assert conn is not None
        conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        # Look before writing anything: a newer or foreign database must be
        # left byte-for-byte as it is, so the journal mode is set only after.
        version = self._run(self._read_version, write=False)
        if version > SCHEMA_VERSION:
            raise self._too_new(version)
        # WAL: readers never block the writer.  (On a file system without WAL
        # support SQLite keeps its rollback journal; that is still safe.)
        # These pragmas refuse to run inside a transaction; a read interrupted by a busy
        # neighbour (e.g. a process killed mid-write a moment ago) must not leave one open.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        self._retry(lambda: conn.execute("PRAGMA synchronous = NORMAL"))  # survives kill -9
        self._retry(lambda: conn.execute("PRAGMA foreign_keys = ON"))
        if version < SCHEMA_VERSION:
            self._migrate()

    def _read_version(self, conn: sqlite3.Connection) -> int:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_migrations" not in tables:
            if tables - {"sqlite_sequence"}:
                raise StoreError(
                    f"{self.path} is an SQLite database but not a CounterTalk results "
                    f"database (it has no schema_migrations table). CounterTalk has not "
                    f"changed it. Move it aside, or set {HOME_ENV} to another folder.",
                    self.path,
                )
            return 0
        return conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]

    def _migrate(self) -> None:
        for version, script in enumerate(MIGRATIONS, start=1):
            statements = _statements(script)

            def apply(conn: sqlite3.Connection, version=version, statements=statements) -> None:
                conn.execute(_MIGRATIONS_TABLE)
                current = self._read_version(conn)
                if current > SCHEMA_VERSION:  # a newer CounterTalk got here first
                    raise self._too_new(current)
                if current >= version:  # another process applied it meanwhile
                    return
                for stmt in statements:
                    conn.execute(stmt)
                conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, time.time()),
                )

            self._run(apply, write=True)

    # ------------------------------------------------------------ transactions
    def _retry(self, fn):
        """Call ``fn`` again when SQLite says the database is locked/busy."""
        delay = 0.02
        for n in range(self.RETRIES):
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise self._failed(exc) from exc
                if n == self.RETRIES - 1:
                    raise StoreError(
                        f"The results database {self.path} stayed busy for too long "
                        f"(another CounterTalk may be stuck): {exc}. Everything up to your "
                        f"last saved choice is kept; close other CounterTalk windows and "
                        f"try again.",
                        self.path,
                    ) from exc
                # jitter without importing random, so processes spread out
                time.sleep(delay * (1 + (time.perf_counter_ns() % 997) / 997))
                delay = min(delay * 2, 0.5)
            except sqlite3.DatabaseError as exc:
                if type(exc) is sqlite3.DatabaseError:  # "malformed", "not a database"
                    raise self._damaged(str(exc)) from exc
                raise

    def _run(self, fn, *, write: bool):
        """Run ``fn(conn)`` in one short transaction, retried when busy."""
        with self._lock:
            conn = self._conn
            if conn is None:
                raise StoreError(f"The results store {self.path} is closed.", self.path)
            if os.getpid() != self._pid:
                raise StoreError(
                    "A Store was carried into a forked process; open a new Store there.",
                    self.path,
                )

            def once():
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
    def _damaged(self, what: str) -> StoreError:
        return StoreError(
            f"The results database {self.path} is damaged or is not a CounterTalk "
            f"database ({what}). CounterTalk has not changed or deleted it. Move it aside "
            f"(for example rename it to {self.path.name}.damaged) and CounterTalk will start "
            f"a new one; keep the old file so its results can be recovered.",
            self.path,
        )

    def _too_new(self, version: int) -> StoreError:
        return StoreError(
            f"The results database {self.path} was written by a newer CounterTalk "
            f"(schema version {version}; this CounterTalk understands up to "
            f"{SCHEMA_VERSION}). CounterTalk has not changed it. Upgrade CounterTalk, or "
            f"move the file aside (or set {HOME_ENV} to another folder) to start afresh.",
            self.path,
        )

    def _cannot_open(self, exc: BaseException) -> StoreError:
        return StoreError(
            f"Cannot open the results database {self.path}: {exc}. Check that you can "
            f"read and write that folder, or set {HOME_ENV} to one you can.",
            self.path,
        )

    def _failed(self, exc: BaseException) -> StoreError:
        return StoreError(
            f"The results database {self.path} could not be used: {exc}. Check that the "
            f"disk is not full and that you can write to that folder.",
            self.path,
        )

    # ------------------------------------------------------------------ rows
    @staticmethod
    def _attempt_from_row(row, choices: list[str] | None = None) -> Attempt:
        transcript = json.loads(row[16]) if row[16] is not None else None
        score = json.loads(row[17]) if row[17] is not None else None
        return Attempt(
            id=row[0],
            scenario_id=row[1],
            scenario_hash=row[2],
            scenario_path=row[3],
            learner=row[4],
            seed=row[5],
            mode=row[6],
            started_at=row[7],
            finished_at=row[8],
            ending=row[9],
            outcome=row[10],
            final_mood=row[11],
            percent=row[12],
            grade=row[13],
            class_session=row[14],
            team=row[15],
            choices=list(choices or ()),
            transcript=transcript,
            mistakes=_mistake_ids(score),
            abandoned_at=row[18],
        )

    @staticmethod
    def _exists(conn: sqlite3.Connection, attempt_id: int) -> None:
        if conn.execute("SELECT 1 FROM attempts WHERE id = ?", (attempt_id,)).fetchone() is None:
            raise KeyError(attempt_id)

    def _select(self, where: str, params: tuple, order: str, limit: int | None = None):
        """Attempts matching ``where`` with their choices, in one read transaction."""
        sql = f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"

        def read(conn: sqlite3.Connection) -> list[Attempt]:
            rows = conn.execute(sql, params).fetchall()
            if not rows:
                return []
            by_attempt: dict[int, list[str]] = {r[0]: [] for r in rows}
            ids = list(by_attempt)
            for i in range(0, len(ids), 500):  # stay under SQLite's variable limit
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for aid, choice_id in conn.execute(
                    f"SELECT attempt_id, choice_id FROM choices WHERE attempt_id IN ({marks})"
                    " ORDER BY attempt_id, turn",
                    chunk,
                ):
                    by_attempt[aid].append(choice_id)
            return [self._attempt_from_row(r, by_attempt[r[0]]) for r in rows]

        return self._run(read, write=False)

    @staticmethod
    def _filters(**kw) -> tuple[list[str], list]:
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

        def write(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO attempts (scenario_id, scenario_hash, scenario_path, learner,"
                " seed, mode, class_session, team, started_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            return cur.lastrowid

        return self._run(write, write=True)

    def record_choice(self, attempt_id: int, turn: int, choice_id: str, record: dict) -> None:
        """Autosave one choice (``turn`` from 1; ``record`` is the §8 turn object).

        Saving the same turn again replaces it, so a repeat is harmless."""
        if turn < 1:
            raise ValueError(f"turn is counted from 1, not {turn}")
        payload = _dumps(record)

        def write(conn: sqlite3.Connection) -> None:
            self._exists(conn, attempt_id)
            conn.execute(
                "INSERT INTO choices (attempt_id, turn, choice_id, record, recorded_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (attempt_id, turn) DO UPDATE SET"
                " choice_id = excluded.choice_id, record = excluded.record,"
                " recorded_at = excluded.recorded_at",
                (attempt_id, turn, choice_id, payload, time.time()),
            )

        self._run(write, write=True)

    def truncate_choices(self, attempt_id: int, keep: int) -> None:
        """Keep only the first ``keep`` choices (for "retry from turn keep+1")."""
        if keep < 0:
            raise ValueError(f"keep must be >= 0, not {keep}")

        def write(conn: sqlite3.Connection) -> None:
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
        transcript: dict,
        score: dict | None,
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
        synced: list[tuple] | None = None
        if (
            isinstance(turns, list)
            and turns
            and all(isinstance(t, dict) and isinstance(t.get("choice"), str) for t in turns)
        ):
            now = time.time()
            synced = [
                (attempt_id, n, t["choice"], _dumps(t), now) for n, t in enumerate(turns, start=1)
            ]

        def write(conn: sqlite3.Connection) -> None:
            self._exists(conn, attempt_id)
            conn.execute(
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
                    " VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (attempt_id, turn) DO UPDATE SET"
                    " choice_id = excluded.choice_id, record = excluded.record"
                    " WHERE choice_id IS NOT excluded.choice_id OR record IS NOT excluded.record",
                    synced,
                )

        self._run(write, write=True)

    def abandon_attempt(self, attempt_id: int) -> None:
        """Stop offering an unfinished attempt for resume (its data is kept)."""

        def write(conn: sqlite3.Connection) -> None:
            self._exists(conn, attempt_id)
            conn.execute(
                "UPDATE attempts SET abandoned_at = ?"
                " WHERE id = ? AND finished_at IS NULL AND abandoned_at IS NULL",
                (time.time(), attempt_id),
            )

        self._run(write, write=True)

    def attempt(self, attempt_id: int) -> Attempt:
        """One attempt with its choices; ``KeyError`` if there is none."""
        found = self._select("id = ?", (attempt_id,), "id")
        if not found:
            raise KeyError(attempt_id)
        return found[0]

    def _unfinished(self, learner, scenario_id, limit) -> list[Attempt]:
        where, params = self._filters(learner=learner, scenario_id=scenario_id)
        where += ["finished_at IS NULL", "abandoned_at IS NULL"]
        return self._select(" AND ".join(where), tuple(params), "started_at DESC, id DESC", limit)

    def unfinished(
        self, *, learner: str | None = None, scenario_id: str | None = None
    ) -> list[Attempt]:
        """Attempts neither finished nor abandoned, newest first, with choices."""
        return self._unfinished(learner, scenario_id, None)

    def latest_unfinished(self, *, learner: str, scenario_id: str) -> Attempt | None:
        """The attempt to offer for resume, or None."""
        found = self._unfinished(learner, scenario_id, 1)
        return found[0] if found else None

    def best_grades(self, learner: str) -> dict[str, str]:
        """scenario_id -> best grade of finished attempts (the grade order is the scorer's)."""
        from scoring.spec import GRADES  # worst to best

        rank = {g: i for i, g in enumerate(GRADES, start=1)}

        def read(conn: sqlite3.Connection) -> dict[str, str]:
            best: dict[str, str] = {}
            for scenario_id, grade in conn.execute(
                "SELECT scenario_id, grade FROM attempts"
                " WHERE learner = ? AND finished_at IS NOT NULL AND grade IS NOT NULL",
                (learner,),
            ):
                if grade not in rank:
                    continue
                if rank[grade] > rank.get(best.get(scenario_id, ""), 0):
                    best[scenario_id] = grade
            return best

        return self._run(read, write=False)

    def attempts(
        self,
        *,
        learner: str | None = None,
        scenario_id: str | None = None,
        since: float | None = None,
        finished_only: bool = True,
    ) -> list[Attempt]:
        """Attempts for reports, oldest first, with choices.  ``since`` is a unix
        time compared with ``started_at``; abandoned attempts come only with
        ``finished_only=False``."""
        where, params = self._filters(learner=learner, scenario_id=scenario_id)
        if since is not None:
            where.append("started_at >= ?")
            params.append(float(since))
        if finished_only:
            where.append("finished_at IS NOT NULL")
        return self._select(" AND ".join(where) or "1", tuple(params), "started_at, id")

    def choice_rows(self, *, scenario_id: str | None = None) -> list[tuple[str, str, int, str]]:
        """(learner, scenario_id, turn, choice_id) for every recorded choice of
        every attempt (finished or not), by attempt then turn."""
        sql = (
            "SELECT a.learner, a.scenario_id, c.turn, c.choice_id"
            " FROM choices c JOIN attempts a ON a.id = c.attempt_id"
        )
        params: tuple = ()
        if scenario_id is not None:
            sql += " WHERE a.scenario_id = ?"
            params = (scenario_id,)
        sql += " ORDER BY c.attempt_id, c.turn"
        return self._run(lambda conn: conn.execute(sql, params).fetchall(), write=False)

    # --------------------------------------------------------------- lifetime
    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"
