"""`countertalk web` under a class-sized crowd: many learners, one process (or two).

N simulated learners (default 300) each sign in, list the exercises, start a shipped
conversation and play it to its ending through the JSON API over loopback, with a short think
time between replies (0.5-1.5 x --think seconds) and about one reply in five typed in their
own words (a "Did you mean …?" is confirmed; words not understood fall back to a click).
`countertalk web` runs as its own process (the real command), so its memory is its own.

Reported: reply latency (p50, p95; the issue's goal: p95 under 100 ms), the server's peak
resident memory (VmHWM; goal: under 400 MB for 300 learners), errors (any non-2xx answer or
failed request), and lost choices (replies the server took, compared with the store's saved
choices afterwards; attempts left unfinished). Then the same on PostgreSQL: one process, and
two processes sharing one database, each learner's requests alternating between them.

Not a timed test: the machine is shared, so read the figures, don't assert on them.
Run: .venv/bin/python benchmarks/bench_web.py [--learners N] [--think SECONDS] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
COUNTERTALK = str(Path(sys.executable).parent / "countertalk")
TARGET_P95_MS = 100.0
TARGET_RSS_MB = 400.0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds, every reply
    server: list[float] = field(default_factory=list)  # the server's own share (Server-Timing)
    errors: list[str] = field(default_factory=list)
    taken: dict[str, int] = field(default_factory=dict)  # attempt -> replies taken
    typed: int = 0
    ended: set[str] = field(default_factory=set)  # attempts the server said had ended
    load_before: str = "?"  # the machine's load average as the crowd arrived

    @property
    def finished(self) -> int:
        return len(self.ended)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, home: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ, COUNTERTALK_HOME=str(home))
    proc = subprocess.Popen(
        [
            COUNTERTALK,
            "--db",
            db,
            "web",
            "--port",
            str(port),
            "--max-learners",
            "2000",
            "--address-limit",
            "0",
        ],  # fmt: skip
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    import socket

    end = time.monotonic() + 120
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"countertalk web stopped: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("countertalk web did not start in 120 s")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """The process's user + system CPU time so far (what it cost, whatever else the machine
    was doing)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_warm(*pids: int, limit: float = 90.0) -> float:
    """Wait until the servers have finished warming up (the typed-reply model, each
    conversation's matcher: work done once at start, in the background) — until none used
    more than 5% of a core over a second — so the crowd measures serving, not starting.
    Returns how long it took."""
    began = time.monotonic()
    before = [cpu_seconds(p) for p in pids]
    while time.monotonic() - began < limit:
        time.sleep(1.0)
        now = [cpu_seconds(p) for p in pids]
        if all(n - b < 0.05 for n, b in zip(now, before)):
            break
        before = now
    return time.monotonic() - began


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def learner(
    i: int, urls: list[str], http, conversations: list[str], think: float, tally: Tally
) -> None:
    rng = random.Random(i)
    n = 0

    def url() -> str:  # each request to the next server in turn
        nonlocal n
        n += 1
        return urls[n % len(urls)]

    async def call(method: str, path: str, body=None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with http.request(method, url() + path, json=body, headers=headers) as r:
            data = await r.json(content_type=None)
            timing = r.headers.get("Server-Timing", "")
            if path.endswith("/replies") and "dur=" in timing:
                tally.server.append(float(timing.split("dur=")[1]) / 1000)
            if r.status >= 300:
                raise RuntimeError(f"{method} {path}: {r.status} {data}")
            return data

    try:
        await asyncio.sleep(rng.uniform(0, 10))  # learners arrive over ten seconds
        signed = await call("POST", "/api/signin", {"name": f"Learner {i:03d}"})
        token = signed["token"]
        await call("GET", "/api/exercises", token=token)
        exercise = conversations[i % len(conversations)]
        got = await call("POST", "/api/attempts", {"exercise": exercise, "seed": i}, token=token)
        attempt, turn = got["attempt"], got["turn"]
        taken = 0
        for _ in range(80):
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            option = rng.choice(turn["options"])
            path = f"/api/attempts/{attempt}/replies"
            body: dict = {"option": option["number"], "turn": turn["number"]}
            if rng.random() < 0.2:
                body = {"text": option["text"], "turn": turn["number"]}
                tally.typed += 1
            t = time.perf_counter()
            got = await call("POST", path, body, token)
            tally.latencies.append(time.perf_counter() - t)
            if got["status"] == "confirm":
                pick = got["turn"]["suggestion"]["options"][0]["number"]
                t = time.perf_counter()
                got = await call(
                    "POST", path, {"text": option["text"], "option": pick, "confirm": True}, token
                )
                tally.latencies.append(time.perf_counter() - t)
            if got["status"] == "not_understood":
                t = time.perf_counter()
                got = await call("POST", path, {"option": option["number"]}, token)
                tally.latencies.append(time.perf_counter() - t)
            taken += 1
            attempt, turn = got["attempt"], got["turn"]
            tally.taken[attempt] = taken
            if got["ended"]:
                tally.ended.add(attempt)
                return
        tally.errors.append(f"learner {i}: no ending in 80 replies")
    except Exception as exc:  # noqa: BLE001 - counted and reported, the crowd goes on
        tally.errors.append(f"learner {i}: {exc}"[:300])


async def crowd(urls: list[str], learners: int, think: float) -> tuple[Tally, float]:
    import aiohttp

    from simulator.activities.progress import pack_entries

    conversations = [e.id for e in pack_entries(None)[0] if e.kind == "conversation"]
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    tally.load_before = load_average()
    t = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        await asyncio.gather(
            *(learner(i, urls, http, conversations, think, tally) for i in range(learners))
        )
    return tally, time.perf_counter() - t


def lost_choices(db: str, tally: Tally) -> tuple[int, int]:
    """(lost, unfinished): replies taken but not in the store; attempts the server said had
    ended that the store does not have as finished."""
    from simulator.store import Store

    lost = unfinished = 0
    with Store(db) as store:
        for attempt, taken in tally.taken.items():
            if not attempt.isdigit():
                lost += taken
                continue
            rec = store.attempt(int(attempt))
            lost += max(0, taken - len(rec.choices))
            unfinished += attempt in tally.ended and rec.finished_at is None
    return lost, unfinished


def report(
    name: str, tally: Tally, took: float, rss: list[float], cpu: float, db: str, learners: int
) -> None:
    lat = sorted(tally.latencies)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p95 = lat[int(0.95 * (len(lat) - 1))] * 1000 if lat else float("nan")
    p99 = lat[int(0.99 * (len(lat) - 1))] * 1000 if lat else float("nan")
    lost, unfinished = lost_choices(db, tally)
    srv = sorted(tally.server)
    s50 = statistics.median(srv) * 1000 if srv else float("nan")
    s95 = srv[int(0.95 * (len(srv) - 1))] * 1000 if srv else float("nan")
    rss_text = " + ".join(f"{r:.0f}" for r in rss)
    print(
        f"{name}: {learners} learners, {tally.finished} finished, {len(lat)} replies "
        f"({tally.typed} typed) in {took:.0f} s ({len(lat) / took:.0f} replies/s)\n"
        f"  reply latency p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms "
        f"(goal: p95 < {TARGET_P95_MS:.0f} ms); inside the server p50 {s50:.1f} ms, "
        f"p95 {s95:.1f} ms\n"
        f"  server peak RSS {rss_text} MB (goal: < {TARGET_RSS_MB:.0f} MB per process); "
        f"server CPU {cpu:.1f} s in all ({cpu / max(1, len(lat)) * 1000:.1f} ms per reply, "
        f"sign-ins and starts included); load average {tally.load_before} at the start, {load_average()} at the end\n"
        f"  errors {len(tally.errors)}, lost choices {lost}, ended attempts not finished in the "
        f"store {unfinished}"
    )
    for e in tally.errors[:5]:
        print(f"    {e}")
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=300)
    ap.add_argument("--think", type=float, default=2.0, help="mean think time, seconds")
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores; think time {args.think:g} s (x0.5-1.5)")
    tmp = Path(tempfile.mkdtemp(prefix="ct-bench-web-"))
    try:
        home = tmp / "home"
        db = str(tmp / "web.db")
        proc, url = start_server(db, home, tmp / "server.log")
        try:
            wait_until_warm(proc.pid)
            before = cpu_seconds(proc.pid)
            tally, took = asyncio.run(crowd([url], args.learners, args.think))
            rss = [peak_rss_mb(proc.pid)]
            cpu = cpu_seconds(proc.pid) - before
        finally:
            stop(proc)
        report("SQLite, one process", tally, took, rss, cpu, db, args.learners)
        if args.no_postgres:
            return 0
        try:
            from services import Postgres  # the tests' throw-away server

            # its own folder: initdb runs as the postgres user, who cannot enter tmp
            server = Postgres(Path(tempfile.mkdtemp(prefix="ct-bench-web-pg-"))).start()
        except BaseException as exc:  # pytest's skip/fail when PostgreSQL is not installed
            print(f"PostgreSQL: not measured: {exc}")
            return 0
        try:
            pg = server.new_database()  # one process first: what PostgreSQL itself costs
            solo, url0 = start_server(pg, home, tmp / "server0.log")
            try:
                wait_until_warm(solo.pid)
                before = cpu_seconds(solo.pid)
                tally, took = asyncio.run(crowd([url0], args.learners, args.think))
                rss = [peak_rss_mb(solo.pid)]
                cpu = cpu_seconds(solo.pid) - before
            finally:
                stop(solo)
            report("PostgreSQL, one process", tally, took, rss, cpu, pg, args.learners)
            pg = server.new_database()  # then two, each learner alternating between them
            one, url1 = start_server(pg, home, tmp / "server1.log")
            two, url2 = start_server(pg, home, tmp / "server2.log")
            try:
                wait_until_warm(one.pid, two.pid)
                before = cpu_seconds(one.pid) + cpu_seconds(two.pid)
                tally, took = asyncio.run(crowd([url1, url2], args.learners, args.think))
                rss = [peak_rss_mb(one.pid), peak_rss_mb(two.pid)]
                cpu = cpu_seconds(one.pid) + cpu_seconds(two.pid) - before
            finally:
                stop(one)
                stop(two)
            report("PostgreSQL, two processes, alternating", tally, took, rss, cpu, pg,
                   args.learners)  # fmt: skip
        finally:
            server.stop()
            shutil.rmtree(server.root, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
