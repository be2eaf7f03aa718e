"""Where a web reply's time goes, in process: two ``Play`` objects (two web processes' blocking
halves, each with its own store handle) over one database, each learner's requests alternating
between them as bench_web.py's do, or all on one.

Counted per reply: the store's round trips on PostgreSQL (each ``execute`` is one, plus BEGIN
and COMMIT for a transaction of several; a pipelined transaction is one), how often the kept exercise was used as it
was, caught up with answers another process took, or rebuilt from the store; the wall time of a
reply (p50/p95, no think time, one learner at a time, so it is the work, not queueing); and with
``--profile`` the functions that took it (cProfile, cumulative).

Run: .venv/bin/python benchmarks/profile_web_replies.py [--learners N] [--db URL|--sqlite]
     [--one] [--profile]
Without --db or --sqlite it starts a throw-away PostgreSQL server (tests/services.py).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def count_statements() -> dict[str, int]:
    """Count every statement the store sends (both backends), by wrapping their connections."""
    counts = {"statements": 0, "transactions": 0}
    from simulator.store import core

    real_run = core.Store._run

    def run(self, fn, *, write, single=False, pipeline=False):  # type: ignore[no-untyped-def]
        counts["transactions"] += 1
        if pipeline and self.dialect == "postgresql":
            counts["statements"] += 1  # sent together: one round trip
            return real_run(self, fn, write=write, single=single, pipeline=pipeline)
        if not single and self.dialect == "postgresql":
            counts["statements"] += 2  # BEGIN and COMMIT

        def counted(conn):  # type: ignore[no-untyped-def]
            return fn(_Counting(conn, counts))

        more = {"pipeline": True} if pipeline else {}  # (a store before pipelining has none)
        return real_run(self, counted, write=write, single=single, **more)

    core.Store._run = run  # type: ignore[method-assign]
    return counts


class _Counting:
    def __init__(self, conn, counts):  # type: ignore[no-untyped-def]
        self._c, self._n = conn, counts

    def execute(self, *a, **k):  # type: ignore[no-untyped-def]
        self._n["statements"] += 1
        return self._c.execute(*a, **k)

    def executemany(self, *a, **k):  # type: ignore[no-untyped-def]
        self._n["statements"] += 1  # psycopg pipelines executemany: about one round trip
        return self._c.executemany(*a, **k)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._c, name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=40)
    ap.add_argument("--db", default=None)
    ap.add_argument("--sqlite", action="store_true")
    ap.add_argument("--one", action="store_true", help="one process, not two alternating")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--typed", type=float, default=0.2, help="share of replies typed")
    args = ap.parse_args()

    from simulator.activities.progress import pack_entries
    from simulator.engine.checked import keep_in_memory
    from simulator.exercise.service import ExerciseService
    from simulator.matching.embedder import warm_up
    from simulator.web.play import Play

    tmp = Path(tempfile.mkdtemp(prefix="ct-profile-web-"))
    server = None
    try:
        db = args.db
        if db is None and args.sqlite:
            db = str(tmp / "web.db")
        elif db is None:
            from services import Postgres

            server = Postgres(Path(tempfile.mkdtemp(prefix="ct-profile-web-pg-"))).start()
            db = server.new_database()
        keep_in_memory()
        plays = [Play(ExerciseService(location=db))]
        if not args.one:
            plays.append(Play(ExerciseService(location=db)))
        for p in plays:
            p.warm()
        warm_up()
        counts = count_statements()
        conversations = [e.id for e in pack_entries(None)[0] if e.kind == "conversation"]
        lat: list[float] = []
        cpu: list[float] = []  # this process's CPU time per reply (both "processes" are here)
        ending: list[float] = []  # replies that ended the conversation (scored, finished)
        going: list[float] = []
        replies = 0
        prof = cProfile.Profile() if args.profile else None
        n = 0
        taken: dict[int, int] = {}  # attempt -> answers taken, checked against the store
        problems: list[str] = []
        for i in range(args.learners):
            rng = random.Random(i)
            name = f"Learner {i:03d}"
            learner, _token = plays[0].signin(name, "", None)
            started = plays[n % len(plays)].start(
                learner, conversations[i % len(conversations)], "practice", i
            )
            n += 1
            ref, view = started.ref, started.view
            for _ in range(80):
                option = rng.choice(view.options)
                play = plays[n % len(plays)]
                n += 1
                kw: dict = {"option": option.number, "turn": view.number}
                if rng.random() < args.typed:
                    kw = {"text": option.text, "turn": view.number}
                t, c = time.perf_counter(), time.process_time()
                if prof:
                    prof.enable()
                out = play.reply(learner, ref, **kw)
                if out.status == "confirm" and out.view.suggestion is not None:
                    pick = out.view.suggestion.options[0].number
                    out = plays[n % len(plays)].reply(
                        learner, ref, text=option.text, option=pick, confirm=True
                    )
                    n += 1
                if out.status == "not_understood":
                    out = plays[n % len(plays)].reply(learner, ref, option=option.number)
                    n += 1
                if prof:
                    prof.disable()
                lat.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                (ending if out.view.ended else going).append(lat[-1])
                replies += 1
                ref, view = out.ref, out.view
                if out.view.store_problem:
                    problems.append(out.view.store_problem)
                if ref.saved is not None:
                    taken[ref.saved] = taken.get(ref.saved, 0) + 1
                if view.ended:
                    break
        lost = sum(max(0, k - len(plays[0].store.attempt(a).choices)) for a, k in taken.items())
        lat.sort()
        kept = sum(p.rebuilt.hits for p in plays)
        caught = sum(getattr(p.rebuilt, "caught_up", 0) for p in plays)
        misses = sum(p.rebuilt.misses for p in plays)
        print(
            f"{'SQLite' if 'postgresql' not in db else 'PostgreSQL'}, "
            f"{len(plays)} process{'es' if len(plays) > 1 else ''}: {args.learners} learners, "
            f"{replies} replies; per reply p50 {statistics.median(lat) * 1000:.1f} ms, "
            f"p95 {lat[int(0.95 * (len(lat) - 1))] * 1000:.1f} ms, CPU {statistics.mean(cpu) * 1000:.1f}"
            f" ms per reply (mean); load average {Path('/proc/loadavg').read_text().split()[0]}\n"
            f"  store round trips {counts['statements'] / replies:.2f} per reply, transactions "
            f"{counts['transactions'] / replies:.2f} (sign-ins and starts included); kept exercise used {kept}, caught up "
            f"{caught}, rebuilt {misses}; lost answers {lost}, store problems {len(problems)}"
        )
        for name, xs in (("ending the conversation", ending), ("the others", going)):
            xs.sort()
            print(
                f"  replies {name}: {len(xs)}, p50 {statistics.median(xs) * 1000:.1f} ms, "
                f"p95 {xs[int(0.95 * (len(xs) - 1))] * 1000:.1f} ms"
            )
        for p in problems[:3]:
            print("   ", p)
        if prof:
            stats = pstats.Stats(prof)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
        for p in plays:
            p.service.close()
    finally:
        if server is not None:
            server.stop()
            shutil.rmtree(server.root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
