"""`make bench`: CounterTalk's speed figures, as medians and ratios measured in one run.

Each figure compares a CounterTalk command with a floor measured in the same run on the same
machine (Python importing yaml+jinja2; PyYAML's C loader parsing the same file), so the ratios
mean something on any machine. Then every benchmarks/bench_*.py script runs and prints its own.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
BIN = Path(sys.executable).parent
COUNTERTALK = str(BIN / "countertalk")
PY = sys.executable
RUNS = int(os.environ.get("BENCH_RUNS", "9"))


def timed(cmd: list[str], stdin: bytes | None = None, runs: int = RUNS, env=None) -> float:
    """Median wall time of a whole command, in seconds (one warm-up run first)."""
    times = []
    for i in range(runs + 1):
        t = time.perf_counter()
        proc = subprocess.run(
            cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        elapsed = time.perf_counter() - t
        if proc.returncode not in (0, 1):
            raise SystemExit(
                f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n"
                f"{proc.stderr.decode()[-2000:]}"
            )
        if i:
            times.append(elapsed)
    return statistics.median(times)


def answers_for_long_session(path: Path, turns: int) -> bytes:
    """Choice numbers for a session of `turns` turns that never reaches an ending."""
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime

    scenario = load_scenario(path)
    session = Runtime(scenario).new_session(seed=1)
    out = []
    for n in range(turns):
        offered = session.offered()
        ok = [o for o in offered if scenario.states[o.choice.goto].end is None]
        pick = ok[n % len(ok)]
        session.choose(pick.number)
        out.append(str(pick.number))
    # then walk to an ending so the session finishes
    while not session.ended:
        offered = session.offered()
        ends = [o for o in offered if scenario.states[o.choice.goto].end is not None]
        pick = (ends or offered)[0]
        session.choose(pick.number)
        out.append(str(pick.number))
    return ("\n".join(out) + "\n").encode()


def per_turn_row(path: Path, turns: int = 1800) -> str:
    """Per-turn work of a long session, in-process: one choice made and the next options
    rendered (what plain mode and the app do per turn), median over the session."""
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime

    scenario = load_scenario(path)
    session = Runtime(scenario).new_session(seed=1)
    times = []
    for n in range(turns):
        offered = session.offered()
        ok = [o for o in offered if scenario.states[o.choice.goto].end is None] or offered
        t = time.perf_counter()
        session.choose(ok[n % len(ok)].number)
        session.offered()
        times.append(time.perf_counter() - t)
        if session.ended:
            break
    med = statistics.median(times) * 1e6
    p95 = sorted(times)[int(0.95 * (len(times) - 1))] * 1e6
    return f"{'per turn (choose + next options), 2,000-state file':<58} {med:8.0f} µs   p95 {p95:.0f} µs"


def row(name: str, value: float, floor: float | None = None, limit: float | None = None) -> str:
    text = f"{name:<58} {value * 1000:8.1f} ms"
    if floor:
        ratio = value / floor
        verdict = "" if limit is None else ("  ok" if ratio <= limit else f"  OVER {limit}x")
        text += f"   {ratio:5.2f}x floor{f' (limit {limit}x)' if limit else ''}{verdict}"
    return text


def main() -> int:
    from gen import big_scenario

    print(
        f"CounterTalk benchmarks: medians of {RUNS} runs, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}"
    )
    # As installed: CounterTalk's own modules byte-compiled (pip does it for an install; an
    # editable one writes them on first run, unless PYTHONDONTWRITEBYTECODE is set, as it is
    # on some CI machines: then every run would compile every module from source).
    subprocess.run([PY, "-m", "compileall", "-q", "simulator", "scoring", "scenarios"], cwd=ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.yaml"
        big.write_text(big_scenario(2000), encoding="utf-8")
        # The long-session figures check the file from scratch every run, as the issue measured
        # them: no checked-scenario cache (bench_tui.py times the app with and without it).
        env = dict(os.environ, COUNTERTALK_HOME=str(Path(tmp) / "home"), COUNTERTALK_CACHE="off")
        results = []

        floor_import = timed([PY, "-c", "import yaml, jinja2"])
        results.append(row("floor: python -c 'import yaml, jinja2'", floor_import))
        help_t = timed([COUNTERTALK, "--help"])
        results.append(row("countertalk --help", help_t, floor_import, 2.0))

        parse_code = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
        floor_parse = timed([PY, "-c", parse_code, str(big)])
        results.append(row("floor: PyYAML C loader parses the 2,000-state file", floor_parse))
        lint_t = timed([COUNTERTALK, "lint", str(big)], env=env)
        results.append(
            row("countertalk lint (2,000 states, 3 choices each)", lint_t, floor_parse, 3.0)
        )

        answers = answers_for_long_session(big, 1800)
        play_t = timed(
            [COUNTERTALK, "play", str(big), "--plain", "--seed", "1", "--no-save"],
            stdin=answers,
            runs=max(3, RUNS // 3),
            env=env,
        )
        results.append(
            row("countertalk play --plain, 1,800 turns, no store", play_t, floor_parse, 4.0)
        )
        play_saved = timed(
            [COUNTERTALK, "play", str(big), "--plain", "--seed", "1"],
            stdin=answers,
            runs=max(3, RUNS // 3),
            env=env,
        )
        results.append(
            row("countertalk play --plain, 1,800 turns, autosaved", play_saved, floor_parse, 4.0)
        )
        results.append(per_turn_row(big))
        for line in results:
            print(line)
    sys.stdout.flush()
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n# {script.name}")
        sys.stdout.flush()
        status |= subprocess.run([PY, str(script)], cwd=ROOT).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
