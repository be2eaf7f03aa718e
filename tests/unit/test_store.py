"""The results store: round trips, migrations, refusing files it must not touch."""

from __future__ import annotations

import json
import pathlib
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.store import SCHEMA_VERSION, AttemptRecord, Store, StoreError

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path) -> pathlib.Path:
    return tmp_path / "countertalk.db"


@pytest.fixture
def store(location):
    """A store on each database the suite runs against (SQLite and PostgreSQL)."""
    with Store(location) as s:
        yield s


def start(store: Store, *, learner="sam", scenario_id="kettle-day12", **kw) -> int:
    args = dict(
        scenario_id=scenario_id,
        scenario_hash="ab" * 32,
        scenario_path=f"scenarios/{scenario_id}.yaml",
        learner=learner,
        seed=7,
    )
    args.update(kw)
    return store.start_attempt(**args)


def turn(n: int, choice: str) -> dict:
    return {
        "state": f"s{n}",
        "choice": choice,
        "text": f"I said {n}",
        "customer": "Well?",
        "mood": 50 + n,
    }


def transcript(choices: list[str], **kw) -> dict:
    t = {
        "format": 1,
        "scenario": "kettle-day12",
        "seed": 7,
        "learner": "sam",
        "turns": [turn(n, c) for n, c in enumerate(choices, start=1)],
        "ending": "refunded",
        "outcome": "resolved",
        "final_mood": 75,
    }
    t.update(kw)
    return t


def score(percent=86, grade="distinction", mistakes=(("defensive", 1),)) -> dict:
    return {
        "percent": percent,
        "grade": grade,
        "escalation": {"required": False, "to": [], "verdict": "not_needed"},
        "mistakes": [{"id": m, "turn": t} for m, t in mistakes],
    }


def finish(store: Store, aid: int, choices: list[str], **score_kw) -> None:
    store.finish_attempt(
        aid,
        ending="refunded",
        outcome="resolved",
        final_mood=75,
        transcript=transcript(choices),
        score=score(**score_kw),
    )


def raw(db, sql: str, params=()) -> list[tuple]:
    """Look at (or change) the database behind the store's back."""
    if isinstance(db, str):  # a PostgreSQL URL
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            cur = conn.execute(sql.replace("?", "%s"), params or None)
            return cur.fetchall() if cur.description else []
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# ------------------------------------------------------------------ location


def test_countertalk_home_is_used_and_created(tmp_path, monkeypatch):
    home = tmp_path / "nested" / "ct-home"
    monkeypatch.setenv("COUNTERTALK_HOME", str(home))
    assert Store.default_path() == home / "countertalk.db"
    with Store() as s:
        aid = start(s)
    assert (home / "countertalk.db").is_file()
    with Store(home / "countertalk.db") as s:
        assert s.attempt(aid).learner == "sam"


def test_without_countertalk_home_uses_the_platform_data_dir(tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.delenv("COUNTERTALK_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # keep the real home clean
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = pathlib.Path(platformdirs.user_data_dir("countertalk")) / "countertalk.db"
    assert Store.default_path() == expected
    if sys.platform.startswith("linux"):
        assert expected.is_relative_to(tmp_path)
        with Store() as s:
            start(s)
        assert expected.is_file()


def test_empty_countertalk_home_counts_as_unset(monkeypatch):
    import platformdirs

    monkeypatch.setenv("COUNTERTALK_HOME", "")
    assert Store.default_path() == (
        pathlib.Path(platformdirs.user_data_dir("countertalk")) / "countertalk.db"
    )


def test_import_is_headless_and_lazy():
    code = (
        "import sys, simulator.store; "
        "print([m for m in ('textual', 'rich', 'platformdirs') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------- migrations


def test_new_database_is_migrated_once_in_wal_mode(db):
    before = time.time()
    Store(db).close()
    rows = raw(db, "SELECT version, applied_at FROM schema_migrations")
    assert [v for v, _ in rows] == list(range(1, SCHEMA_VERSION + 1))
    assert all(before - 1 <= at <= time.time() + 1 for _, at in rows)
    assert raw(db, "PRAGMA journal_mode") == [("wal",)]
    # Re-opening applies nothing again and keeps the data.
    with Store(db) as s:
        aid = start(s)
    with Store(db) as s:
        assert s.attempt(aid).scenario_id == "kettle-day12"
    assert raw(db, "SELECT version, applied_at FROM schema_migrations") == rows


def test_connection_waits_for_locks(db):
    with Store(db) as store:
        assert store._db._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_newer_schema_is_refused_and_left_untouched(db):
    with Store(db) as s:
        aid = start(s)
        s.record_choice(aid, 1, "opening.1", turn(1, "opening.1"))
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (SCHEMA_VERSION + 1, time.time()))
    conn.commit()
    # A future CounterTalk might not use WAL; switching this file to WAL would
    # already be a change to it.
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = db.read_bytes()

    with pytest.raises(StoreError) as err:
        Store(db)
    msg = str(err.value)
    assert str(db) in msg
    assert "newer" in msg and "Upgrade CounterTalk" in msg
    assert err.value.path == db
    assert db.read_bytes() == before
    assert raw(db, "SELECT choice_id FROM choices") == [("opening.1",)]


@pytest.mark.parametrize(
    "content",
    [
        b"this is my essay, not a database\n" * 200,
        b"\x00\x01\x02",
        b"SQLite format 2\x00" + b"x" * 90,
    ],
    ids=["text", "tiny", "wrong-magic"],
)
def test_garbage_file_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "countertalk.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as err:
        Store(path)
    msg = str(err.value)
    assert str(path) in msg and "damaged" in msg and "Move it aside" in msg
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["countertalk.db"]  # no -wal, no -shm


@pytest.mark.parametrize("span", [(16, 100), (100, 4096)], ids=["file-header", "schema-page"])
def test_damaged_sqlite_file_is_refused_and_left_untouched(db, span):
    with Store(db) as s:
        finish(s, start(s), ["opening.1"])
    data = bytearray(db.read_bytes())
    lo, hi = span
    data[lo:hi] = b"\xa5" * (hi - lo)
    db.write_bytes(bytes(data))
    with pytest.raises(StoreError) as err:
        Store(db)
    assert str(db) in str(err.value) and "damaged" in str(err.value)
    assert db.read_bytes() == bytes(data)


def test_someone_elses_sqlite_database_is_refused_and_left_untouched(db):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('scones')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError) as err:
        Store(db)
    assert "not a CounterTalk" in str(err.value) and str(db) in str(err.value)
    assert db.read_bytes() == before


def test_empty_file_is_a_new_database(db):
    db.write_bytes(b"")
    with Store(db) as s:
        aid = start(s)
        assert s.attempt(aid).id == aid


def test_a_folder_in_the_way_is_refused(db):
    db.mkdir()
    with pytest.raises(StoreError, match="folder"):
        Store(db)


# --------------------------------------------------------------- round trips


def test_start_attempt_round_trip(store):
    before = time.time()
    aid = start(store, mode="classroom", class_session="tue-am", team="blue", seed=12345)
    a = store.attempt(aid)
    assert isinstance(a, AttemptRecord)
    assert (
        a.id,
        a.scenario_id,
        a.scenario_hash,
        a.scenario_path,
        a.learner,
        a.seed,
        a.mode,
        a.class_session,
        a.team,
    ) == (
        aid,
        "kettle-day12",
        "ab" * 32,
        "scenarios/kettle-day12.yaml",
        "sam",
        12345,
        "classroom",
        "tue-am",
        "blue",
    )
    assert before - 1 <= a.started_at <= time.time() + 1
    assert (
        a.finished_at,
        a.ending,
        a.outcome,
        a.final_mood,
        a.percent,
        a.grade,
        a.transcript,
        a.abandoned_at,
    ) == (None,) * 8
    assert a.choices == [] and a.mistakes == []


def test_ids_are_distinct(store):
    assert len({start(store) for _ in range(5)}) == 5


def test_unknown_mode_is_rejected(store):
    with pytest.raises(ValueError):
        start(store, mode="exam")


def test_record_choice_round_trip_and_persistence(location):
    with Store(location) as s:
        aid = start(s)
        for n, c in enumerate(["opening.1", "listen.2", "fix.1"], start=1):
            s.record_choice(aid, n, c, turn(n, c))
    with Store(location) as s:  # a new session sees the autosaved choices
        assert s.attempt(aid).choices == ["opening.1", "listen.2", "fix.1"]
        assert s.latest_unfinished(learner="sam", scenario_id="kettle-day12").choices == [
            "opening.1",
            "listen.2",
            "fix.1",
        ]


def test_record_choice_stores_the_turn_record(store, location):
    aid = start(store)
    rec = turn(1, "opening.1") | {"text": "Sorry — that’s not good enough £"}
    store.record_choice(aid, 1, "opening.1", rec)
    assert [json.loads(r) for (r,) in raw(location, "SELECT record FROM choices")] == [rec]


def test_record_choice_is_idempotent_per_turn(store):
    aid = start(store)
    store.record_choice(aid, 1, "opening.1", turn(1, "opening.1"))
    store.record_choice(aid, 2, "listen.2", turn(2, "listen.2"))
    store.record_choice(aid, 2, "listen.2", turn(2, "listen.2"))  # e.g. a retried save
    assert store.attempt(aid).choices == ["opening.1", "listen.2"]
    store.record_choice(aid, 2, "listen.3", turn(2, "listen.3"))  # same turn, new answer
    assert store.attempt(aid).choices == ["opening.1", "listen.3"]


def test_record_choice_checks_its_arguments(store):
    with pytest.raises(KeyError):
        store.record_choice(999, 1, "x", {})
    aid = start(store)
    with pytest.raises(ValueError):
        store.record_choice(aid, 0, "x", {})
    with pytest.raises(TypeError):  # not JSON: nothing half-saved
        store.record_choice(aid, 1, "x", {"bad": object()})
    assert store.attempt(aid).choices == []


def test_truncate_choices_for_retry_from_turn(store):
    aid = start(store)
    for n in range(1, 6):
        store.record_choice(aid, n, f"c{n}", turn(n, f"c{n}"))
    store.truncate_choices(aid, 2)
    assert store.attempt(aid).choices == ["c1", "c2"]
    store.record_choice(aid, 3, "other3", turn(3, "other3"))
    assert store.attempt(aid).choices == ["c1", "c2", "other3"]
    store.truncate_choices(aid, 0)
    assert store.attempt(aid).choices == []
    with pytest.raises(KeyError):
        store.truncate_choices(999, 1)


def test_finish_attempt_round_trip(store):
    aid = start(store)
    for n, c in enumerate(["opening.1", "listen.2"], start=1):
        store.record_choice(aid, n, c, turn(n, c))
    t = transcript(["opening.1", "listen.2"])
    sc = score(mistakes=[("defensive", 1), ("jargon", 2)])
    before = time.time()
    store.finish_attempt(
        aid, ending="refunded", outcome="resolved", final_mood=75, transcript=t, score=sc
    )
    a = store.attempt(aid)
    assert before - 1 <= a.finished_at <= time.time() + 1
    assert (a.ending, a.outcome, a.final_mood, a.percent, a.grade) == (
        "refunded",
        "resolved",
        75,
        86,
        "distinction",
    )
    assert a.transcript == t
    assert a.mistakes == ["defensive", "jargon"]
    assert a.choices == ["opening.1", "listen.2"]
    assert store.unfinished() == []
    assert store.latest_unfinished(learner="sam", scenario_id="kettle-day12") is None


def test_finish_without_score(store):
    aid = start(store)
    store.finish_attempt(
        aid,
        ending="walked_out",
        outcome="lost",
        final_mood=0,
        transcript=transcript([]),
        score=None,
    )
    a = store.attempt(aid)
    assert a.finished_at is not None and a.outcome == "lost"
    assert (a.percent, a.grade, a.mistakes) == (None, None, [])
    assert store.best_grades("sam") == {}


def test_finish_takes_choices_from_the_transcript(store):
    # Plain mode may finish without autosaving each choice; a stale later turn
    # left from a retry is replaced by what the transcript says happened.
    aid = start(store)
    store.record_choice(aid, 1, "opening.1", turn(1, "opening.1"))
    store.record_choice(aid, 2, "stale.2", turn(2, "stale.2"))
    store.record_choice(aid, 3, "stale.3", turn(3, "stale.3"))
    finish(store, aid, ["opening.1", "listen.2"])
    assert store.attempt(aid).choices == ["opening.1", "listen.2"]
    assert store.choice_rows() == [
        ("sam", "kettle-day12", 1, "opening.1"),
        ("sam", "kettle-day12", 2, "listen.2"),
    ]


def test_finish_keeps_choices_when_transcript_has_no_turns(store):
    aid = start(store)
    store.record_choice(aid, 1, "opening.1", turn(1, "opening.1"))
    store.finish_attempt(
        aid,
        ending="x",
        outcome="lost",
        final_mood=10,
        transcript={"format": 1, "turns": []},
        score=None,
    )
    assert store.attempt(aid).choices == ["opening.1"]


def test_finish_unknown_attempt(store):
    with pytest.raises(KeyError):
        finish(store, 42, [])


def test_finishing_an_attempt_that_is_not_there_writes_nothing(store, location):
    """Finishing checks the attempt by the UPDATE's row count (no separate read, so that on
    PostgreSQL the whole transaction goes in one round trip): an attempt that is not there is
    a KeyError, and none of its transcript's choices is written."""
    aid = start(store)
    store.record_choice(aid, 1, "opening.1", turn(1, "opening.1"))
    with pytest.raises(KeyError):
        finish(store, aid + 1, ["opening.1", "listen.2"])
    assert raw(location, "SELECT attempt_id, turn FROM choices ORDER BY turn") == [(aid, 1)]
    finish(store, aid, ["opening.1", "listen.2"])  # the store is still usable
    assert store.attempt(aid).choices == ["opening.1", "listen.2"]


def test_abandon_hides_from_resume_but_keeps_the_data(store):
    aid = start(store)
    store.record_choice(aid, 1, "opening.1", turn(1, "opening.1"))
    store.abandon_attempt(aid)
    assert store.unfinished(learner="sam") == []
    assert store.latest_unfinished(learner="sam", scenario_id="kettle-day12") is None
    a = store.attempt(aid)
    assert a.choices == ["opening.1"] and a.abandoned_at is not None and a.finished_at is None
    assert [x.id for x in store.attempts(finished_only=False)] == [aid]
    assert store.attempts() == []
    with pytest.raises(KeyError):
        store.abandon_attempt(999)


def test_abandoning_a_finished_attempt_changes_nothing(store):
    aid = start(store)
    finish(store, aid, ["a"])
    before = store.attempt(aid)
    store.abandon_attempt(aid)
    assert store.attempt(aid) == before


def test_attempt_missing_is_keyerror(store):
    with pytest.raises(KeyError):
        store.attempt(1)


def test_unfinished_newest_first_and_filtered(store):
    a1 = start(store, learner="sam", scenario_id="kettle")
    a2 = start(store, learner="ali", scenario_id="kettle")
    a3 = start(store, learner="sam", scenario_id="parcel")
    a4 = start(store, learner="sam", scenario_id="kettle")
    done = start(store, learner="sam", scenario_id="kettle")
    finish(store, done, ["x"])
    store.record_choice(a4, 1, "k.1", turn(1, "k.1"))
    assert [a.id for a in store.unfinished()] == [a4, a3, a2, a1]
    assert [a.id for a in store.unfinished(learner="sam")] == [a4, a3, a1]
    assert [a.id for a in store.unfinished(scenario_id="kettle")] == [a4, a2, a1]
    assert [a.id for a in store.unfinished(learner="sam", scenario_id="kettle")] == [a4, a1]
    assert store.unfinished(learner="sam")[0].choices == ["k.1"]
    latest = store.latest_unfinished(learner="sam", scenario_id="kettle")
    assert latest.id == a4 and latest.choices == ["k.1"]
    assert store.latest_unfinished(learner="zoe", scenario_id="kettle") is None


def test_best_grades(store):
    for scenario, grades in {
        "kettle": ["fail", "distinction", "pass"],
        "parcel": ["pass", "fail"],
        "refund": ["fail"],
    }.items():
        for g in grades:
            finish(store, start(store, scenario_id=scenario), ["a"], grade=g)
    start(store, scenario_id="unplayed")  # unfinished: no grade yet
    finish(store, start(store, learner="ali", scenario_id="refund"), ["a"], grade="distinction")
    assert store.best_grades("sam") == {"kettle": "distinction", "parcel": "pass", "refund": "fail"}
    assert store.best_grades("ali") == {"refund": "distinction"}
    assert store.best_grades("nobody") == {}


def test_attempts_for_reports(store):
    a1 = start(store, learner="sam", scenario_id="kettle")
    finish(store, a1, ["k1", "k2"], grade="pass")
    a2 = start(store, learner="ali", scenario_id="kettle")
    finish(store, a2, ["k1"], grade="fail")
    time.sleep(0.02)
    cut = time.time()
    a3 = start(store, learner="sam", scenario_id="parcel")
    finish(store, a3, ["p1"], grade="distinction")
    open_one = start(store, learner="sam", scenario_id="kettle")

    assert [a.id for a in store.attempts()] == [a1, a2, a3]  # oldest first
    assert [a.id for a in store.attempts(finished_only=False)] == [a1, a2, a3, open_one]
    assert [a.id for a in store.attempts(learner="sam")] == [a1, a3]
    assert [a.id for a in store.attempts(scenario_id="kettle")] == [a1, a2]
    assert [a.id for a in store.attempts(since=cut)] == [a3]
    assert [a.id for a in store.attempts(since=cut, finished_only=False)] == [a3, open_one]
    first = store.attempts()[0]
    assert (first.grade, first.percent, first.transcript["turns"][1]["choice"]) == (
        "pass",
        86,
        "k2",
    )
    assert first.mistakes == ["defensive"]


def test_choice_rows(store):
    a1 = start(store, learner="sam", scenario_id="kettle")
    a2 = start(store, learner="ali", scenario_id="parcel")
    store.record_choice(a1, 1, "k.1", {})
    store.record_choice(a2, 1, "p.2", {})
    store.record_choice(a1, 2, "k.3", {})
    assert store.choice_rows() == [
        ("sam", "kettle", 1, "k.1"),
        ("sam", "kettle", 2, "k.3"),
        ("ali", "parcel", 1, "p.2"),
    ]
    assert store.choice_rows(scenario_id="parcel") == [("ali", "parcel", 1, "p.2")]
    assert store.choice_rows(scenario_id="none") == []


def test_closed_store_says_so(location):
    with Store(location) as s:
        aid = start(s)
    s.close()  # closing twice is fine
    with pytest.raises(StoreError, match="closed"):
        s.attempt(aid)


def test_a_store_can_be_used_from_a_worker_thread(store):
    aid = start(store)
    errors = []

    def work():
        try:
            store.record_choice(aid, 1, "from-thread", {})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert errors == []
    assert store.attempt(aid).choices == ["from-thread"]


# ------------------------------------------------------------- busy database


def _hold_write_lock(
    db: pathlib.Path, held: threading.Event, release: threading.Event, seconds: float
):
    """Another learner's process, mid-write, for ``seconds`` or until released."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    release.wait(seconds)
    conn.execute("COMMIT")
    conn.close()


def _other_writer(db, seconds):
    held, release = threading.Event(), threading.Event()
    t = threading.Thread(target=_hold_write_lock, args=(db, held, release, seconds))
    t.start()
    held.wait()
    return t, release


def test_a_write_waits_for_another_learners_write(db):
    with Store(db, timeout=0.1) as s:
        aid = start(s)
        # The lock is held longer than one busy wait (0.1 s): only the retry
        # loop gets this choice saved.
        t, _ = _other_writer(db, 0.4)
        s.record_choice(aid, 1, "opening.1", {})
        t.join()
        assert s.attempt(aid).choices == ["opening.1"]


def test_a_slow_write_elsewhere_costs_no_choice(db):
    # Another process holds the write lock for over a second (a slow disk, a
    # big export): with the default wait this learner's save still lands.
    with Store(db) as s:
        aid = start(s)
        t, _ = _other_writer(db, 1.2)
        began = time.monotonic()
        s.record_choice(aid, 1, "opening.1", {})
        waited = time.monotonic() - began
        t.join()
        assert waited >= 1.0
        assert s.attempt(aid).choices == ["opening.1"]


def test_a_database_stuck_busy_gives_a_clear_error(db):
    with Store(db, timeout=0.05) as s:
        aid = start(s)
        t, release = _other_writer(db, 10.0)
        try:
            with pytest.raises(StoreError) as err:
                s.record_choice(aid, 1, "opening.1", {})
        finally:
            release.set()
            t.join()
        assert "busy" in str(err.value) and str(db) in str(err.value)
        s.record_choice(aid, 1, "opening.1", {})  # fine once the other one is done
        assert s.attempt(aid).choices == ["opening.1"]


# ------------------------------------------------------------ property test

ops = st.lists(
    st.one_of(
        # (no NUL: PostgreSQL text cannot hold one, and choice ids are lint-checked names)
        st.tuples(
            st.just("record"),
            st.integers(1, 6),
            st.text(
                st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                min_size=1,
                max_size=8,
            ),
        ),
        st.tuples(st.just("truncate"), st.integers(0, 6)),
    ),
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(operations=ops)
def test_choices_follow_record_and_truncate(store, operations):
    """Whatever the sequence of saves and retries, the stored choices are the
    model's: turn -> latest choice, minus truncated turns."""
    s = store
    if True:  # one attempt (and scenario) per example, in one database
        scenario = f"prop-{time.monotonic_ns()}"
        aid = start(s, scenario_id=scenario)
        model: dict[int, str] = {}
        for op in operations:
            if op[0] == "record":
                _, n, c = op
                s.record_choice(aid, n, c, {"choice": c})
                model[n] = c
            else:
                model = {n: c for n, c in model.items() if n <= op[1]}
                s.truncate_choices(aid, op[1])
        assert s.attempt(aid).choices == [model[n] for n in sorted(model)]
        assert [r[2:] for r in s.choice_rows(scenario_id=scenario)] == sorted(model.items())


# ------------------------------------------------------- learners of `serve`


def test_a_name_belongs_to_the_first_browser_in_any_case(store):
    assert store.claim_learner("Alice Smith", "tokenA")
    assert store.claim_learner("Alice Smith", "tokenA")  # again from the same browser: fine
    assert not store.claim_learner("alice  smith", "tokenB")  # another browser, same person
    assert store.learner_for_token("tokenA") == "Alice Smith"
    assert store.learner_for_token("tokenB") is None
    assert store.claim_learner("Bob", "tokenB")
    assert store.claim_learner("Al", "tokenA")  # a browser may switch between its own names
    assert store.learner_for_token("tokenA") == "Al"
    assert store.claim_learner("Alice Smith", "tokenA")
    assert store.learner_for_token("tokenA") == "Alice Smith"
    assert store.release_learner("ALICE SMITH")
    assert store.claim_learner("Alice Smith", "tokenB")  # released: free for a new browser


def test_choices_carry_the_time_they_were_saved(store):
    aid = start(store)
    before = time.time()
    store.record_choice(aid, 1, "a", {})
    time.sleep(0.01)
    store.record_choice(aid, 2, "b", {})
    times = store.attempt(aid).choice_times
    assert len(times) == 2 and before - 1 <= times[0] < times[1] <= time.time() + 1
    finish(store, aid, ["a", "b"])  # finishing keeps when each choice was made
    assert store.attempt(aid).choice_times == times


def test_the_outbox_queues_each_statement_once_per_lrs(store):
    aid = start(store)
    items = [(f"s{n}", aid, {"id": f"s{n}", "n": n}) for n in (0, 2, 1)]
    assert store.queue_statements("http://lrs-a/xAPI", items) == 3
    assert store.queue_statements("http://lrs-a/xAPI", items) == 0  # already queued
    assert store.queue_statements("http://lrs-b/xAPI", items[:1]) == 1  # another LRS
    # in the order queued (an attempt before its choices), not by id
    assert [sid for sid, _ in store.pending_statements("http://lrs-a/xAPI")] == ["s0", "s2", "s1"]
    store.mark_sent("http://lrs-a/xAPI", ["s0", "s2"])
    assert store.pending_statements("http://lrs-a/xAPI") == [("s1", {"id": "s1", "n": 1})]
    assert store.outbox_counts("http://lrs-a/xAPI") == (1, 2)
    assert store.queue_statements("http://lrs-a/xAPI", items) == 0  # sent ones stay known
    assert store.outbox_counts("http://lrs-b/xAPI") == (1, 0)


# ------------------------------------------------------- one-time codes (learners reclaim NAME)


def test_a_one_time_code_moves_a_name_once(store):
    assert not store.issue_reclaim("Nobody", "h1", time.time() + 60)  # nothing to move
    assert store.claim_learner("Alice Smith", "oldbrowser")
    assert store.reclaim_learner("Alice Smith", "h1", "newbrowser") == "none"
    assert store.issue_reclaim("alice smith", "h1", time.time() + 60)
    assert store.reclaim_learner("Alice Smith", "h2", "newbrowser") == "wrong"
    assert store.learner_for_token("newbrowser") is None
    assert store.reclaim_learner("ALICE  SMITH", "h1", "newbrowser") == "ok"
    assert store.learner_for_token("newbrowser") == "Alice Smith"
    assert store.learner_for_token("oldbrowser") is None  # the old browser lost it
    assert store.reclaim_learner("Alice Smith", "h1", "third") == "used"
    assert store.learner_for_token("newbrowser") == "Alice Smith"


def test_a_one_time_code_expires_and_wrong_guesses_void_it(store):
    from simulator.store.signin import RECLAIM_TRIES

    assert store.claim_learner("Bo", "oldbrowser")
    assert store.issue_reclaim("Bo", "h1", time.time() - 1)
    assert store.reclaim_learner("Bo", "h1", "newbrowser") == "expired"
    assert store.issue_reclaim("Bo", "h1", time.time() + 60)  # a new code replaces it
    answers = [store.reclaim_learner("Bo", f"guess{n}", "thief") for n in range(RECLAIM_TRIES)]
    assert answers == ["wrong"] * (RECLAIM_TRIES - 1) + ["void"]
    assert store.reclaim_learner("Bo", "h1", "newbrowser") == "void"  # even the right one now
    assert store.learner_for_token("oldbrowser") == "Bo"
    assert store.issue_reclaim("Bo", "h2", time.time() + 60)
    assert store.reclaim_learner("Bo", "h2", "newbrowser") == "ok"


def test_an_attempt_and_its_records_come_in_one_read_as_in_two(store):
    aid = start(store)
    empty, no_records = store.attempt_and_records(aid)
    assert empty == store.attempt(aid) and no_records == [] and empty.choices == []
    store.record_choice(aid, 1, "greet.0", turn(1, "greet.0"))
    store.record_choice(aid, 2, "probe.1", turn(2, "probe.1"))
    record, records = store.attempt_and_records(aid)
    assert record == store.attempt(aid)
    assert record.choices == ["greet.0", "probe.1"] and len(record.choice_times) == 2
    assert records == store.turn_records(aid)
    with pytest.raises(KeyError):
        store.attempt_and_records(aid + 1000)
