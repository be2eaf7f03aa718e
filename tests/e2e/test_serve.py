"""`countertalk serve` answers on loopback and the page it serves really starts the app."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = dict(os.environ, COUNTERTALK_HOME=str(tmp_path))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "serve",
            "--port",
            str(port),
            "--classroom",
            str(KETTLE),
            "--seed",
            "1",
            "--no-save",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited early: {proc.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("serve did not start listening within 30 s")
    yield port, proc
    proc.terminate()
    try:
        proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


async def _get_page(port: int) -> str:
    async with aiohttp.ClientSession() as http:
        async with http.get(
            f"http://127.0.0.1:{port}/", timeout=aiohttp.ClientTimeout(total=15)
        ) as resp:
            assert resp.status == 200
            assert resp.content_type == "text/html"
            return await resp.text()


async def _first_screen(
    url: str, want: bytes, limit: float = 45.0, *, port: int, http=None
) -> bytes:
    """Open the page's websocket as the browser would (sending its Origin, and its cookies
    when ``http`` is that browser's session) and collect frames until `want` shows."""
    got = b""
    async with contextlib.AsyncExitStack() as stack:
        if http is None:
            http = await stack.enter_async_context(aiohttp.ClientSession())
        ws = await stack.enter_async_context(
            http.ws_connect(
                f"{url}?width=100&height=30",
                timeout=aiohttp.ClientWSTimeout(ws_close=5),
                headers={"Origin": f"http://127.0.0.1:{port}"},
            )
        )
        if True:
            deadline = time.monotonic() + limit
            while want not in got and time.monotonic() < deadline:
                try:
                    msg = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
                except TimeoutError:
                    break
                if msg.type == aiohttp.WSMsgType.BINARY:
                    got += msg.data
                elif msg.type in (
                    aiohttp.WSMsgType.CLOSE,
                    aiohttp.WSMsgType.CLOSED,
                    aiohttp.WSMsgType.ERROR,
                ):
                    break
    return got


async def test_serve_page_starts_the_classroom_app(server):
    port, proc = server
    page = await _get_page(port)
    # The page loads textual's terminal client from this server, by a relative address.
    assert 'src="static/js/textual.js"' in page
    # no address at all, so nothing from the internet (the font is this server's too)
    assert not re.search(r"(https?:)?//[\w.-]+", page.replace('"https:"', "")), page
    assert "static/fonts/RobotoMono" in page
    # Connecting to the websocket starts a classroom process whose first screens show the scenario.
    frames = await _first_screen(f"ws://127.0.0.1:{port}/ws", b"Priya Shah", port=port)
    assert b"Priya Shah" in frames, frames[-500:]
    assert b"Faulty kettle" in frames


def test_serve_refuses_options_that_need_a_scenario(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "simulator", "serve", "--teams", "Red,Blue"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=dict(os.environ, COUNTERTALK_HOME=str(tmp_path)),
    )
    assert out.returncode == 2
    assert "--classroom" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "host, warned",
    [
        ("127.0.0.1", False),
        ("localhost", False),
        ("::1", False),
        ("127.1", False),  # what the resolver makes of it: 127.0.0.1
        ("127.0.0.2", False),
        ("0x7f.1", False),
        ("[::1]", False),
        ("0.0.0.0", True),
        ("192.168.1.20", True),
        ("128.1", True),
    ],
)
def test_warns_about_no_authentication_off_loopback(monkeypatch, capsys, tmp_path, host, warned):
    """Nothing is bound here: the server object is replaced, only the warning is checked."""
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path))
    monkeypatch.delenv("COUNTERTALK_DB", raising=False)
    from simulator.cli import build_parser
    from simulator.commands import serve

    served = []

    class FakeServer:
        def serve(self):
            served.append(True)

    monkeypatch.setattr(serve, "make_server", lambda args, command: FakeServer())
    args = build_parser("serve").parse_args(["serve", "--host", host])
    assert serve.run(args) == 0 and served
    err = capsys.readouterr().err
    assert ("no password" in err) is warned
    if warned:
        assert host in err
