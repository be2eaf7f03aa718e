"""Phones in the classroom: how long a vote takes to reach the projector's tally.

60 simulated phones (each its own HTTP client and websocket, over loopback) vote in each of 10
rounds of a real classroom app (headless, Textual's own loop, the phone server on that loop),
with reconnects, changed votes, double taps and late votes mixed in. Reported: tally latency
from a phone sending its vote to the projector's tally holding it (median and p95; target p95
under 200 ms), the vote's HTTP round trip, and the check that nothing was lost or doubled.

Run: .venv/bin/python benchmarks/bench_phones.py [--phones N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen import big_scenario  # noqa: E402
from phone_crowd import make_app, run_crowd  # noqa: E402

TARGET_P95 = 0.200


async def main_async(phones: int, rounds: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COUNTERTALK_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "big.yaml"
        path.write_text(big_scenario(200), encoding="utf-8")
        app, link = make_app(path)
        started = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            result = await run_crowd(app, link, pilot, phones=phones, rounds=rounds)
        elapsed = time.perf_counter() - started
    med, p95 = result.figure(result.latencies)
    rt_med, rt_p95 = result.figure(result.round_trips)
    verdict = "ok" if p95 < TARGET_P95 else f"OVER {TARGET_P95 * 1000:.0f} ms"
    print(
        f"{phones} phones x {result.rounds} rounds, {result.votes_sent} votes, "
        f"{result.reconnects} reconnects, {elapsed:.1f} s in all"
    )
    print(f"{'tally latency (vote sent -> projector tally), median':<58} {med * 1000:8.1f} ms")
    print(f"{'tally latency, p95 (target < 200 ms)':<58} {p95 * 1000:8.1f} ms   {verdict}")
    print(f"{'vote HTTP round trip, median':<58} {rt_med * 1000:8.1f} ms")
    print(f"{'vote HTTP round trip, p95':<58} {rt_p95 * 1000:8.1f} ms")
    print(
        f"answers: {dict(sorted(result.statuses.items()))}; "
        f"lost {result.lost}, counted twice {result.doubled}"
    )
    return 0 if result.lost == 0 and result.doubled == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    return asyncio.run(main_async(args.phones, args.rounds))


if __name__ == "__main__":
    sys.exit(main())
