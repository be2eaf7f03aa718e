"""Kill -9 the real app mid-conversation; `--resume` continues at the next turn."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

import pytest
from conftest import KETTLE, REPO, chat_lines, make_app, settle

from simulator.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def _wait(cond, timeout=20.0, what="the app"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _choices(db) -> list[str]:
    if not db.exists():
        return []
    with Store(db) as st:
        found = st.unfinished(learner="sam")
        return found[0].choices if found else []


async def test_kill_dash_nine_then_resume_continues_at_turn_three(home, tmp_path):
    db = home / "countertalk.db"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COUNTERTALK_HOME=str(home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "play", str(KETTLE), "--learner", "sam", "--seed", "4"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=REPO,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    screen = bytearray()

    def drain():  # keep the pty from filling up, and keep what was drawn
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        # Nothing is recorded until the first choice: wait for the conversation on screen.
        _wait(lambda: b"Have you got" in screen, what="the first playable screen")
        os.write(master, b"2")  # "Have you got the receipt?"
        _wait(lambda: len(_choices(db)) == 1, what="the first choice to be saved")
        os.write(master, b"1")  # "Sorry — what's gone wrong with it?"
        _wait(lambda: len(_choices(db)) == 2, what="the second choice to be saved")
        assert proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == -signal.SIGKILL
    assert b"Priya" in screen  # it really drew the conversation
    assert _choices(db) == ["opening.2", "receipt_first.1"]

    # Resume: same seed, the two choices replayed, the conversation continues at turn 3.
    app = make_app(KETTLE, resume=True, seed=None)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "ready", False))
        play = app.screen.play
        assert play.seed == 4 and play.choices == ["opening.2", "receipt_first.1"]
        assert play.current().note == "She puts the kettle on the counter."  # fault_described
        assert "Turn 3" in str(app.screen.query_one("#card").render())
        await pilot.press("1")
        assert chat_lines(app)[-1].startswith("Conversation over — Resolved")
    with Store(db) as st:
        [att] = st.attempts(learner="sam")
        assert att.choices == ["opening.2", "receipt_first.1", "fault_described.1"]
        assert att.seed == 4
