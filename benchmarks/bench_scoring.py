"""Scoring and path-analysis timings (run by `make bench`).

Prints the median time to score 10,000 stored transcripts (random plays of the kettle scenario
and of a shipped scenario) and to analyse a generated 2,000-state looping scenario — the search
alone, and with the replay that verifies the best and worst paths through a real Session.
"""

from __future__ import annotations

import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import paths, scorer  # noqa: E402
from simulator.engine.loader import check_bytes, load_scenario, scenario_files  # noqa: E402
from simulator.engine.session import Runtime  # noqa: E402


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate", ROOT / "tests" / "fixtures" / "scoring" / "generate.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.big_scenario_yaml


def transcripts(sc, n, seed=0):
    rt = Runtime(sc)
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        s = rt.new_session(seed=rng.randrange(1000))
        while not s.ended and s.turn < 40:
            s.choose(rng.randrange(len(s.offered())) + 1)
        out.append(s.transcript())
        s.close()
    return out


def median_time(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    scen = [load_scenario(ROOT / "tests" / "fixtures" / "kettle.yaml")]
    shipped = scenario_files(ROOT / "scenarios")
    if shipped:
        scen.append(load_scenario(shipped[0]))
    pool = []
    for sc in scen:
        pool += [(sc, t) for t in transcripts(sc, 200)]
    batch = [pool[i % len(pool)] for i in range(10_000)]
    turns = sum(len(t["turns"]) for _sc, t in batch)

    def score_all():
        for sc, t in batch:
            scorer.score(sc, t)

    t_score = median_time(score_all)
    print(
        f"score 10,000 transcripts ({turns} turns): median {t_score:.3f} s "
        f"({t_score / 10_000 * 1e6:.0f} µs each)"
    )

    big = check_bytes(_generator()(2000).encode(), "generated-2000.yaml").scenario
    g = paths.graph(big)
    root = paths._root(g)

    def search():
        paths._ending_rows_beam(g, root, 2, set(), set())

    t_search = median_time(search)
    print(f"paths: search of a 2,000-state looping scenario: median {t_search:.3f} s")
    paths.analyse(big)  # warm: the replay Runtime is built once per scenario
    t_full = median_time(lambda: paths.analyse(big), repeat=3)
    print(f"paths: analyse incl. replaying best/worst through a Session: median {t_full:.3f} s")
    cold = check_bytes(_generator()(2000).encode(), "generated-2000.yaml").scenario
    t = time.perf_counter()
    paths.analyse(cold)
    print(
        f"paths: first analyse of a freshly loaded copy (builds its Runtime): "
        f"{time.perf_counter() - t:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
