"""Every `countertalk …` example in README.md and docs/*.md works as written.

The examples are read from the docs' ```sh blocks (synopses in plain ``` blocks are usage, not
examples) and run in order, per document, in a fresh folder holding a copy of the shipped pack, so
an example that makes a file (`countertalk new …`) serves the ones after it, as it would for a
reader following along. Commands that open the app (the picker, `play` without `--plain`,
`classroom`, `serve`) run in a real pseudo-terminal and must draw their first screen and keep
running; the others must exit 0 with no traceback.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent / "countertalk"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```(sh|bash|console|shell)\n(.*?)```", re.S)
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>]")
APP_COMMANDS = {"classroom", "serve"}


def examples(doc: Path) -> list[tuple[int, list[str]]]:
    text = doc.read_text(encoding="utf-8")
    out = []
    for m in BLOCK.finditer(text):
        first = text.count("\n", 0, m.start(2)) + 1
        for i, line in enumerate(m.group(2).splitlines()):
            words = shlex.split(line, comments=True)
            if words and words[0] in ("countertalk", ".venv/bin/countertalk"):
                out.append((first + i, [str(BIN), *words[1:]]))
    return out


_TAKES_VALUE = {"--lang", "--db", "--pack", "--learner", "--theme"}


def opens_the_app(argv: list[str]) -> bool:
    words = argv[1:]
    args = [
        a
        for i, a in enumerate(words)
        if not a.startswith("-") and not (i and words[i - 1] in _TAKES_VALUE)
    ]
    if not args:
        return "--help" not in argv and "--version" not in argv
    command = args[0]
    return command in APP_COMMANDS or (command == "play" and "--plain" not in argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_in_terminal(argv: list[str], cwd: Path, env: dict, settle: float = 4.0) -> str:
    """Start the app in a pseudo-terminal, let it draw, and return what it drew (it must still
    be running: an app that exits at once has failed, whatever it printed)."""
    master, slave = pty.openpty()
    fcntl_size = struct.pack("HHHH", 30, 100, 0, 0)
    import fcntl

    fcntl.ioctl(slave, termios.TIOCSWINSZ, fcntl_size)
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True
    )
    os.close(slave)
    seen = b""
    end = time.monotonic() + settle
    try:
        while time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
            if proc.poll() is not None:
                break
        alive = proc.poll() is None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        os.close(master)
    screen = ANSI.sub("", seen.decode("utf-8", "replace"))
    assert alive, f"{' '.join(argv[1:])} exited at once ({proc.returncode}):\n{screen[-1500:]}"
    return screen


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_every_command_example_works_as_written(doc: Path, tmp_path: Path):
    found = examples(doc)
    if doc.name == "README.md":
        assert len(found) >= 10, "README.md's examples were not found"
    work = tmp_path / "work"
    shutil.copytree(ROOT / "scenarios", work / "scenarios")
    env = {
        **os.environ,
        "COUNTERTALK_HOME": str(tmp_path / "home"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
    }
    env.pop("TEXTUAL_DRIVER", None)
    for line, argv in found:
        where = f"{doc.name}:{line}: {' '.join(argv[1:])}"
        if "--port" in argv:  # the documented port may be taken on a test machine
            argv[argv.index("--port") + 1] = str(free_port())
        elif argv[1:2] == ["serve"]:
            argv += ["--port", str(free_port())]
        if opens_the_app(argv):
            screen = run_in_terminal(argv, work, env, settle=6.0 if "serve" in argv else 4.0)
            assert "Traceback" not in screen and "This is a bug" not in screen, where
            continue
        proc = subprocess.run(
            argv,
            cwd=work,
            env=env,
            input="1\n" * 80,
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = proc.stdout + proc.stderr
        assert proc.returncode == 0, f"{where}\nexit {proc.returncode}\n{output[-1500:]}"
        assert "Traceback" not in output and "This is a bug" not in output, where
