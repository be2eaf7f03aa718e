"""Speed figures for knowledge checks: `countertalk list`, `progress` over a learner with 200
recorded attempts, and a whole plain-mode activity. Medians of whole commands (with start-up),
next to `countertalk --version` measured in the same run as the floor."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import COUNTERTALK, timed  # noqa: E402


def main() -> None:
    from simulator.activities.lint import load_activity, resolve
    from simulator.activities.record import Recorder
    from simulator.activities.run import LETTERS, ActivityRun
    from simulator.store import Store

    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, COUNTERTALK_HOME=home)
        a = load_activity(resolve("sort-factors-inside-outside"))
        with Store(Path(home) / "countertalk.db") as store:
            for n in range(200):
                run = ActivityRun(a, n)
                rec = Recorder(store, a, learner="bench", seed=n, mode="activity")
                while not run.done:
                    rec.answered(run, run.answer(min(run.current.right)))
                rec.finished(run)
        answers = "".join(
            LETTERS[min(q.right)] + "\n" for q in ActivityRun(a, 1).questions
        ).encode()
        floor = timed([COUNTERTALK, "--version"], env=env)
        figures = {
            "list --format json (whole pack)": timed(
                [COUNTERTALK, "list", "--format", "json"], env=env
            ),
            "progress (200 attempts)": timed(
                [COUNTERTALK, "progress", "--learner", "bench"], env=env
            ),
            "play --plain (sort, 10 cards)": timed(
                [COUNTERTALK, "play", a.id, "--plain", "--seed", "1", "--no-save"],
                stdin=answers,
                env=env,
            ),
        }
    print(f"activities: floor (countertalk --version) {floor * 1000:.0f} ms")
    for name, t in figures.items():
        print(f"  {name:<34} {t * 1000:6.0f} ms  ({t / floor:.1f}x floor)")


if __name__ == "__main__":
    main()
