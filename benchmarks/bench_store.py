"""The results store under a class: 50 learners x 20 choices at once, on SQLite and PostgreSQL.

Each learner is its own process (as each browser of `countertalk serve` is), opens the store,
starts an attempt, saves 20 choices (reading the resume list every 5, as the picker does) and
finishes. Printed per database: choices saved per second over the whole class (from "go" to the
last learner done) and the median and 95th-percentile time of one saved choice, medians of
BENCH_STORE_RUNS runs (default 3). Target: p95 under 20 ms on PostgreSQL.

Two loads: "flat out" (every learner saves its next choice the moment the last returns: 100
processes — learners and server backends — on this machine's cores, so it measures CPU queueing
as much as the database) and "paced" (each learner waits about half a second between choices,
still ten times faster than a person reads a reply: the latency a class would see).

PostgreSQL is a throw-away server started here (initdb + pg_ctl, as the tests do).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
LEARNERS, CHOICES = 50, 20
RUNS = int(os.environ.get("BENCH_STORE_RUNS", "3"))
PACE = 0.5  # seconds between one learner's choices in the paced run (people take 5-30 s)

LEARNER = """
    import json, os, sys, time
    from simulator.store import Store

    where, go, learner, choices = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    pace = float(sys.argv[5])
    with Store(where, pool_size=1) as s:
        print("ready", flush=True)
        while not os.path.exists(go):
            time.sleep(0.001)
        aid = s.start_attempt(scenario_id="bench", scenario_hash="h" * 64,
                              scenario_path="bench.yaml", learner=learner, seed=1)
        took, turns = [], []
        for turn in range(1, choices + 1):
            record = {"state": f"s{turn}", "choice": f"c{turn}", "text": "Sorry about that",
                      "customer": "Hmm", "mood": 50}
            turns.append(record)
            t = time.perf_counter()
            s.record_choice(aid, turn, record["choice"], record)
            took.append(time.perf_counter() - t)
            if pace:  # a learner reading the customer's reply (staggered, so not in step)
                time.sleep(pace * (0.5 + (hash((learner, turn)) % 1000) / 1000))
            if turn % 5 == 0:
                s.unfinished(learner=learner)
        s.finish_attempt(aid, ending="e", outcome="resolved", final_mood=60,
                         transcript={"format": 1, "turns": turns},
                         score={"percent": 60, "grade": "pass", "mistakes": []})
        print(json.dumps({"took": took, "done": time.time()}), flush=True)
"""


def one_run(where: str, tmp: Path, pace: float) -> tuple[float, list[float]]:
    go = tmp / f"go-{time.monotonic_ns()}"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                textwrap.dedent(LEARNER),
                where,
                str(go),
                f"L{n}",
                str(CHOICES),
                str(pace),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for n in range(LEARNERS)
    ]
    for p in procs:
        if p.stdout.readline().strip() != "ready":
            raise SystemExit(p.stderr.read())
    start = time.time()
    go.touch()
    took: list[float] = []
    last = start
    for p in procs:
        out, err = p.communicate(timeout=600)
        if p.returncode:
            raise SystemExit(err)
        result = json.loads(out.strip().splitlines()[-1])
        took += result["took"]
        last = max(last, result["done"])
    return LEARNERS * CHOICES / (last - start), took


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def bench(name: str, where_for_run, pace: float = 0.0) -> None:
    rates, p50s, p95s = [], [], []
    with tempfile.TemporaryDirectory() as d:
        for i in range(RUNS):
            rate, took = one_run(where_for_run(Path(d), i), Path(d), pace)
            rates.append(rate)
            p50s.append(statistics.median(took))
            p95s.append(p95(took))
    how = "flat out" if not pace else f"~{pace:g} s apart"
    print(
        f"{name:<12} {LEARNERS} learners x {CHOICES} choices, {how:>13}: "
        f"{statistics.median(rates):7.0f} choices/s   per choice: "
        f"p50 {statistics.median(p50s) * 1000:6.2f} ms   p95 {statistics.median(p95s) * 1000:6.2f} ms"
    )


def main() -> int:
    print(f"medians of {RUNS} runs, {os.cpu_count()} cores")
    bench("SQLite", lambda d, i: str(d / f"run{i}.db"))
    bench("SQLite", lambda d, i: str(d / f"paced{i}.db"), PACE)
    try:
        from services import Postgres  # the tests' throw-away server

        root = Path(tempfile.mkdtemp(prefix="ct-bench-pg-"))
        server = Postgres(root).start()
    except BaseException as exc:  # pytest's skip/fail when PostgreSQL is not installed
        print(f"PostgreSQL   not measured: {exc}")
        return 0
    try:
        bench("PostgreSQL", lambda d, i: server.new_database())
        bench("PostgreSQL", lambda d, i: server.new_database(), PACE)
    finally:
        server.stop()
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    print("target: p95 per choice under 20 ms on PostgreSQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
