"""The app's speed, measured on real processes in a pseudo-terminal (Linux/macOS).

1. First frame: time from starting the process until its first screen shows a known text, for
   `countertalk play X` (the scenario's title in the header bar, over "Loading the scenario…";
   the play screen is built and the scenario loaded in a thread right after) and for a bare
   Textual hello-world app, alternated in the same run; medians and their ratio (target: within
   1.5x). Also "playable": when the customer's first line has been drawn.
2. A choice to the next rendered turn: write a digit to the terminal and time until the new
   customer line has been drawn (target: under 50 ms), over many turns of one session.
3. Memory of a session: the process's peak resident size (VmHWM) after those turns (< 100 MB).

Run: .venv/bin/python benchmarks/bench_tui.py [--runs N] [--turns N]
"""

from __future__ import annotations

import argparse
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


class Term:
    """A process attached to a pseudo-terminal, with its output collected as plain text."""

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
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        os.close(self.master)


def first_frames(runs: int, home: str) -> tuple[list[float], list[float], list[float]]:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(HELLO)
        hello = fh.name
    ours, bare, ready = [], [], []
    env = {"COUNTERTALK_HOME": home}
    for _ in range(runs):
        t = Term([sys.executable, hello])
        bare.append(t.wait_for(b"HELLO FIRST FRAME") - t.t0)
        t.close()
        t = Term([sys.executable, "-m", "simulator", "play", str(KETTLE), "--seed", "1"], env)
        ours.append(t.wait_for(b"Faulty kettle") - t.t0)  # the header, in the first frame
        ready.append(t.wait_for(b"Priya Shah:") - t.t0)  # the customer's first line: playable
        t.close()
    os.unlink(hello)
    return ours, bare, ready


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
    with tempfile.TemporaryDirectory() as home:
        ours, bare, ready = first_frames(args.runs, home)
        turn_times, rss = turns(args.turns, home)
        floor_times, _ = turns(args.turns, home, floor=True)
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    ratio = m_ours / m_bare
    m_turn = statistics.median(turn_times) * 1000
    p90 = sorted(turn_times)[int(0.9 * (len(turn_times) - 1))] * 1000
    m_ready = statistics.median(ready)
    playable = m_ready / m_bare
    print(
        f"first PLAYABLE screen, countertalk play (customer line + options drawn): "
        f"median {m_ready * 1000:.0f} ms over {args.runs} runs"
    )
    print(f"first frame, Textual hello-world:  median {m_bare * 1000:.0f} ms")
    print(
        f"playable-screen ratio:            {playable:.2f}x  (target <= 1.5x) "
        f"{'OK' if playable <= 1.5 else 'OVER'}"
    )
    print(
        f"  (first frame of any kind, the play screen with its title: {m_ours * 1000:.0f} ms, "
        f"{ratio:.2f}x)"
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
