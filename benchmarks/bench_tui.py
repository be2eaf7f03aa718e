"""The app's speed, measured on real processes in a pseudo-terminal (Linux/macOS).

1. First playable screen: time from starting the process until the customer's first line AND
   every option on offer have been drawn (the texts come from the engine), for `countertalk play`
   by file and by shipped id, played before (its check read from the checked-scenario cache) and
   for the first time ever (an empty cache: YAML, lint and Jinja2 all run), against a bare
   Textual hello-world app's first frame, alternated in the same run; medians and their ratios
   (target: within 1.5x). No splash counts: only the playable screen is timed.
2. A choice to the next rendered turn: write a digit to the terminal and time until the new
   customer line has been drawn (target: under 50 ms), over many turns of one session.
3. Memory of a session: the process's peak resident size (VmHWM) after those turns (< 100 MB).

Run: .venv/bin/python benchmarks/bench_tui.py [--runs N] [--turns N]
"""

from __future__ import annotations

import argparse
import atexit
import fcntl
import os
import pty
import re
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KETTLE = REPO / "tests" / "fixtures" / "kettle.yaml"
TOASTER = REPO / "scenarios" / "faulty-toaster-day12.yaml"
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>]")

HELLO = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Static

    class Hello(App):
        def compose(self):
            yield Static("HELLO FIRST FRAME")

    Hello().run()
""")

FLOOR = textwrap.dedent("""
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Footer, Header, Static

    class Floor(App):
        n = 0
        def compose(self):
            yield Header()
            with VerticalScroll(id="v"):
                yield Static("Reply number 0 arrived")
            yield Footer()
        def on_mount(self):
            self.query_one("#v").anchor()
        def on_key(self, event):
            self.n += 1
            self.query_one("#v").mount(Static(f"Reply number {self.n} arrived"))

    Floor().run()
""")

LOOP = textwrap.dedent("""
    format: 1
    id: bench-loop
    title: Bench loop
    topic: complaint
    summary: A customer who keeps talking, for timing turns.
    learner_role: Adviser
    customer: {name: Bench Customer, persona: Patient, mood: 50}
    start: talk
    states:
      talk:
        say: "Reply number {{ turn }} arrived"
        note: Turn {{ turn }}.
        choices:
          - text: "Tell me more about that, please."
            goto: talk
            shows: [hear]
            feedback: You listened.
          - text: "I understand."
            goto: talk
            shows: [empathise]
          - text: "Goodbye."
            goto: done
            shows: [thank]
      done:
        end: resolved
        say: Bye.
""")


_OPEN: list[Term] = []  # every process started; killed at exit even if a measurement failed


def _kill_all() -> None:
    for t in list(_OPEN):
        t.close()


atexit.register(_kill_all)


class Term:
    """A process attached to a pseudo-terminal, with its output collected as plain text. The
    pseudo-terminal is not its controlling terminal, so closing it sends no hangup: `close`
    (or the exit handler) kills the whole process group, the forked checker included."""

    def __init__(self, argv, env=None, cols=100, rows=30):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO,
            env={**os.environ, "TERM": "xterm-256color", **(env or {})},
            start_new_session=True,
        )
        os.close(slave)
        _OPEN.append(self)
        self.raw = bytearray()
        self.text = b""

    def wait_for(self, needle: bytes, timeout: float = 30.0) -> float:
        """Seconds (perf_counter) when `needle` first appeared in the drawn text."""
        import select

        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            r, _, _ = select.select([self.master], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    break
                self.raw.extend(chunk)
                self.text = ANSI.sub(b"", bytes(self.raw))
                if needle in self.text:
                    return time.perf_counter()
        raise RuntimeError(f"never saw {needle!r}; last output: {self.text[-400:]!r}")

    def wait_for_all(self, needles: list[bytes], timeout: float = 30.0) -> float:
        """Seconds (perf_counter) when the last of `needles` first appeared. Every needle is
        looked for after every read: waiting for them one by one (wait_for) would time a needle
        that came in the same chunk as an earlier one from the next chunk after it, or time out
        when the app draws nothing more."""
        import select

        seen: dict[bytes, float] = {}
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            r, _, _ = select.select([self.master], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    break
                now = time.perf_counter()
                self.raw.extend(chunk)
                self.text = ANSI.sub(b"", bytes(self.raw))
                for needle in needles:
                    if needle not in seen and needle in self.text:
                        seen[needle] = now
                if len(seen) == len(needles):
                    return max(seen.values())
        missing = [n for n in needles if n not in seen]
        raise RuntimeError(f"never saw {missing!r}; last output: {self.text[-400:]!r}")

    def send(self, data: bytes) -> float:
        self.raw.clear()
        self.text = b""
        t = time.perf_counter()
        os.write(self.master, data)
        return t

    def rss_peak_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def close(self):
        if self not in _OPEN:
            return
        _OPEN.remove(self)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        os.close(self.master)


def first_screen_texts(path: Path, seed: int = 1) -> list[bytes]:
    """What the playable first screen must show: the customer's first line and every option on
    offer (their first words: long options wrap), worked out by the engine itself."""
    from simulator.attempt import Attempt

    a = Attempt(path, learner="bench", seed=seed, store=None)
    a.load()
    a.start()
    say = a._session().line
    return [say[:24].encode()] + [o.text[:24].encode() for o in a.offered()]


def _playable(t: Term, texts: list[bytes]) -> float:
    """Seconds from start until every text has been drawn."""
    return t.wait_for_all(texts) - t.t0


# (label, argv after `countertalk`, the file behind it, cache: "warm" | "cold")
VARIANTS = [
    ("play FILE, played before (checked-scenario cache)", [str(KETTLE)], KETTLE, "warm"),
    ("play ID (shipped), played before", ["faulty-toaster-day12"], TOASTER, "warm"),
    ("play ID (shipped), first time ever (empty cache)", ["faulty-toaster-day12"], TOASTER, "cold"),
]


def first_frames(runs: int, home: str) -> tuple[list[float], dict[str, list[float]]]:
    """Alternating runs of a bare Textual app and each variant of `countertalk play`."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(HELLO)
        hello = fh.name
    bare: list[float] = []
    ready: dict[str, list[float]] = {label: [] for label, *_ in VARIANTS}
    texts = {path: first_screen_texts(path) for _, _, path, _ in VARIANTS}
    warm_cache = tempfile.mkdtemp(prefix="ct-bench-cache-")
    for _label, argv, path, cache in VARIANTS:  # fill the warm cache: "played before"
        if cache == "warm":
            t = Term(
                [sys.executable, "-m", "simulator", "play", *argv, "--seed", "1"],
                {"COUNTERTALK_HOME": home, "COUNTERTALK_CACHE": warm_cache},
            )
            _playable(t, texts[path])
            t.close()
    for _ in range(runs):
        t = Term([sys.executable, hello])
        bare.append(t.wait_for(b"HELLO FIRST FRAME") - t.t0)
        t.close()
        for label, argv, path, cache in VARIANTS:
            folder = warm_cache if cache == "warm" else tempfile.mkdtemp(prefix="ct-cold-")
            env = {"COUNTERTALK_HOME": home, "COUNTERTALK_CACHE": folder}
            t = Term([sys.executable, "-m", "simulator", "play", *argv, "--seed", "1"], env)
            ready[label].append(_playable(t, texts[path]))
            t.close()
    os.unlink(hello)
    return bare, ready


def turns(n: int, home: str, floor: bool = False) -> tuple[list[float], float]:
    """Our app on a scenario that loops; or (floor=True) a bare Textual app that adds one line
    per key — the least a keypress-to-screen round trip costs on this machine."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / ("floor.py" if floor else "loop.yaml")
        path.write_text(FLOOR if floor else LOOP)
        argv = (
            [sys.executable, str(path)]
            if floor
            else [sys.executable, "-m", "simulator", "play", str(path), "--seed", "1"]
        )
        t = Term(argv, {"COUNTERTALK_HOME": home})
        try:
            t.wait_for(b"Reply number 0 arrived")
            time.sleep(1.0)  # let the deferred start (store, scenario) settle
            times = []
            for i in range(1, n + 1):
                sent = t.send(b"1" if i % 2 else b"2")
                times.append(t.wait_for(f"Reply number {i} arrived".encode()) - sent)
            return times, t.rss_peak_mb()
        finally:
            t.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--turns", type=int, default=40)
    args = ap.parse_args()
    if sys.platform == "win32":
        print("bench_tui: needs a pseudo-terminal (Linux or macOS)")
        return 0
    # As installed: byte-compiled (see run.py); else each start would compile our modules.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "simulator", "scoring", "scenarios"], cwd=REPO
    )
    with tempfile.TemporaryDirectory() as home:
        bare, ready = first_frames(args.runs, home)
        turn_times, rss = turns(args.turns, home)
        floor_times, _ = turns(args.turns, home, floor=True)
    m_bare = statistics.median(bare)
    m_turn = statistics.median(turn_times) * 1000
    p90 = sorted(turn_times)[int(0.9 * (len(turn_times) - 1))] * 1000
    print(f"first frame, Textual hello-world:  median {m_bare * 1000:.0f} ms over {args.runs} runs")
    print("first PLAYABLE screen (customer's first line and every option drawn), vs hello-world:")
    for label, times in ready.items():
        m = statistics.median(times)
        print(
            f"  {label:<52} median {m * 1000:4.0f} ms  {m / m_bare:.2f}x "
            f"(target <= 1.5x) {'OK' if m / m_bare <= 1.5 else 'OVER'}"
        )
    print(
        f"choice -> next turn drawn:     median {m_turn:.1f} ms, p90 {p90:.1f} ms over "
        f"{len(turn_times)} turns  (target < 50 ms) {'OK' if m_turn < 50 else 'OVER'}"
    )
    print(
        f"  (bare Textual app, key -> new line drawn: median "
        f"{statistics.median(floor_times) * 1000:.1f} ms — this machine's floor)"
    )
    print(
        f"session memory (peak RSS):     {rss:.0f} MB  (target < 100 MB) "
        f"{'OK' if rss < 100 else 'OVER'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
