"""`countertalk serve` in a college: a name per browser, and only its own page may open the app.

Real server processes, real websocket clients (aiohttp, as textual.js connects), the store on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from simulator.store import Store

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "tests" / "fixtures"
# the picker's mark on a scenario with an attempt to resume (wrapped in a narrow list)
UNFINISHED = re.compile(r"unfinished,.{0,120}?│ turn 2", re.S)
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, tmp_path: Path, location, *extra: str, home: Path | None = None):
        self.port = _free_port()
        self.location = location
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, COUNTERTALK_HOME=str(home or tmp_path), COUNTERTALK_DB=str(location))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", str(self.port),
             "--pack", str(PACK), *extra],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"serve exited early: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail("serve did not start listening within 30 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()


@pytest.fixture
def serve(tmp_path, location):
    running: list[Served] = []

    def start(*extra: str) -> Served:
        running.append(Served(tmp_path, location, *extra))
        return running[-1]

    yield start
    for s in running:
        s.stop()


async def sign_in(http: aiohttp.ClientSession, s: Served, name: str, code: str | None = None):
    data = {"name": name} | ({"code": code} if code is not None else {})
    async with http.post(
        f"{s.base}/signin", data=data, headers={"Origin": s.base}, allow_redirects=True
    ) as resp:
        return resp.status, await resp.text()


async def screen(http: aiohttp.ClientSession, s: Served, until: bytes, settle: float = 0.0):
    """What the app shows this browser: frames (escape codes removed) until ``until`` appears,
    then ``settle`` seconds more."""
    got = b""
    async with http.ws_connect(
        f"ws://127.0.0.1:{s.port}/ws?width=110&height=30", headers={"Origin": s.base}
    ) as ws:
        deadline = time.monotonic() + 60
        seen_at = None
        while time.monotonic() < deadline:
            if seen_at is not None and time.monotonic() > seen_at + settle:
                break
            try:
                msg = await ws.receive(timeout=0.5)
            except TimeoutError:
                continue
            if msg.type == aiohttp.WSMsgType.BINARY:
                got += msg.data
                if seen_at is None and until in ANSI.sub(b"", got):
                    seen_at = time.monotonic()
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
    return ANSI.sub(b"", got).decode("utf-8", "replace")


def browser() -> aiohttp.ClientSession:
    """A browser's session: its own cookies (kept for an IP address, as browsers do)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def seed_unfinished(location, learner: str) -> None:
    with Store(location) as st:
        aid = st.start_attempt(
            scenario_id="kettle-day12",
            scenario_hash="00" * 32,
            scenario_path=str(PACK / "kettle.yaml"),
            learner=learner,
            seed=3,
        )
        st.record_choice(aid, 1, "x.1", {"choice": "x.1"})


async def test_two_browsers_under_two_names_each_see_only_their_own_attempts(serve, location):
    seed_unfinished(location, "Alice Smith")  # Alice has an attempt to resume; Bob has none
    s = serve()
    async with browser() as alice, browser() as bob:
        # before a name, the page is the sign-in form and the app will not start
        async with alice.get(s.base + "/") as resp:
            page = await resp.text()
            assert 'name="name"' in page and "textual.js" not in page
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await screen(alice, s, b"x")
        assert refused.value.status == 403

        assert (await sign_in(alice, s, "Alice Smith"))[0] == 200
        assert (await sign_in(bob, s, "Bob Jones"))[0] == 200
        alice_sees, bob_sees = await asyncio.gather(
            screen(alice, s, b"unfinished", settle=1.0),
            screen(bob, s, b"Faulty kettle", settle=4.0),
        )
        assert UNFINISHED.search(alice_sees), alice_sees[-1500:]
        assert "Faulty kettle" in bob_sees and "unfinished" not in bob_sees

        # Bob cannot take Alice's name (and so her attempts) from his browser
        status, page = await sign_in(bob, s, "Alice Smith")
        assert "already in use on another browser" in page
        assert "unfinished" not in await screen(bob, s, b"Faulty kettle", settle=3.0)


async def test_the_class_code_is_required_when_set(serve):
    s = serve("--class-code", "owl7")
    async with browser() as http:
        status, page = await sign_in(http, s, "Cara", code="wrong")
        assert "class code is not right" in page
        async with http.get(s.base + "/") as resp:
            assert 'name="code"' in await resp.text()  # still signed out
        status, page = await sign_in(http, s, "Cara", code="owl7")
        assert "textual.js" in page and "Cara" in page


async def test_a_learner_given_to_serve_is_every_browsers_learner(serve, location):
    seed_unfinished(location, "Projector")
    s = serve("--learner", "Projector")
    async with browser() as http:
        async with http.get(s.base + "/") as resp:
            assert "textual.js" in await resp.text()  # no name asked
        assert UNFINISHED.search(await screen(http, s, b"unfinished", settle=1.0))


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
async def test_foreign_origins_and_hosts_are_refused(serve):
    s = serve("--learner", "Projector")
    async with browser() as http:
        for origin in ("http://evil.example", "null", f"http://127.0.0.1:{s.port + 1}"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"ws://127.0.0.1:{s.port}/ws", headers={"Origin": origin})
            assert refused.value.status == 403, origin
        with pytest.raises(aiohttp.WSServerHandshakeError):  # no Origin at all
            await http.ws_connect(f"ws://127.0.0.1:{s.port}/ws")
        async with http.post(
            s.base + "/signin", data={"name": "x"}, headers={"Origin": "http://evil.example"}
        ) as resp:
            assert resp.status == 403
        # a rebound DNS name: refused, and never written into a page
        async with http.get(s.base + "/", headers={"Host": f"evil.example:{s.port}"}) as resp:
            assert resp.status == 421
            assert "evil" not in await resp.text()
        # a name of this server: the page still names no host (nothing is reflected)
        async with http.get(s.base + "/", headers={"Host": f"localhost:{s.port}"}) as resp:
            page = await resp.text()
            assert resp.status == 200 and "localhost" not in page
        # its own page's origin is fine
        async with http.ws_connect(f"ws://127.0.0.1:{s.port}/ws", headers={"Origin": s.base}) as ws:
            assert not ws.closed


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` and that run CounterTalk (the apps a server started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = next((ln.split()[1] for ln in status.splitlines() if ln.startswith("PPid:")), "")
        if ppid == str(pid) and b"simulator" in cmdline:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = next(
            ln.split()[1]
            for ln in Path(f"/proc/{pid}/status").read_text().splitlines()
            if ln.startswith("State:")
        )
    except (OSError, StopIteration):
        return False
    return state != "Z"  # a zombie has ended; it is only waiting to be reaped


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
async def test_a_learners_app_ends_when_its_server_is_killed(serve, location):
    """Textual's web driver does not quit when its input ends: before, every app a stopped (or
    killed) server had started slept on for ever, holding its database connection."""
    s = serve("--learner", "Projector")
    async with browser() as http:
        sees = asyncio.ensure_future(screen(http, s, b"Faulty kettle", settle=30.0))
        deadline = time.monotonic() + 60
        apps: list[int] = []
        while not apps and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            apps = _children(s.proc.pid)
        assert apps, "the server started no app for the browser"
        s.proc.kill()  # no goodbye to anyone: the hardest case
        s.proc.wait()
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in apps) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        sees.cancel()
        assert not any(_alive(p) for p in apps), "the app outlived its server"
