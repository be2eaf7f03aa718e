"""Issue 31: the phone server, `countertalk web` and `countertalk serve` survive 1,000 slow
connections and keep answering.

A slowloris client connects and then sends nothing, or a request's headers a byte at a time, or
whole headers announcing a body that it dribbles a byte at a time: aiohttp alone would hold each
one (a file, a task) for ever. Here 1,000 of them, mixed, are held open against each server
(the real `web` and `serve` commands, as subprocesses, and the phone server in this process)
while real requests are made on fresh connections: each is answered, and every slow connection
is closed by the server soon after its request timeout. Not a timing test: the bounds are
generous, the point is that the answer comes at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from simulator.classroom.phones import PhoneHub, PhoneOption
from simulator.classroom.web.limits import Limits
from simulator.classroom.web.server import PhoneServer, bind
from tests.services import free_port, wait_port

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "tests" / "fixtures"
SLOW = 1000
TIMEOUT = 2.0  # the servers' request timeout in these tests (seconds)
CODE = "K7PX4QAB"

Ask = Callable[[str], Awaitable[None]]  # one real request (fresh connection), asserts its answer


@pytest.fixture(autouse=True)
def enough_files():
    """1,000 sockets of our own, and the client sessions: more than the usual 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    if want < SLOW + 200:
        pytest.skip(f"the open-file limit ({hard}) is too low for {SLOW} sockets")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# -- the servers -------------------------------------------------------------------------------
@contextlib.contextmanager
def command(tmp_path: Path, *argv: str) -> Iterator[tuple[int, Path]]:
    """The port of a real `countertalk ARGV` and the file its stderr goes to."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "COUNTERTALK_DB"}
    env["COUNTERTALK_HOME"] = str(tmp_path)
    err = tmp_path / f"{argv[0]}.stderr"
    with err.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", *argv, "--port", str(port), "--pack", str(PACK),
             "--request-timeout", str(TIMEOUT)],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=sink,
        )  # fmt: skip
    try:
        if not wait_port(port, 60):
            proc.kill()
            proc.wait()
            pytest.fail(f"{argv[0]} did not listen: {err.read_text()[-2000:]}")
        yield port, err
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fresh() -> aiohttp.ClientSession:
    """A client whose every request opens a new connection (as a new phone or browser does)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(force_close=True),
        timeout=aiohttp.ClientTimeout(total=30),
    )


async def ask_web(base: str) -> None:
    async with fresh() as http:
        async with http.post(f"{base}/api/signin", json={"name": f"Real {time.time_ns()}"}) as r:
            assert r.status == 200, await r.text()
            token = (await r.json())["token"]
        headers = {"Authorization": f"Bearer {token}"}
        async with http.get(f"{base}/api/exercises", headers=headers) as r:
            assert r.status == 200, await r.text()
            assert any(e["id"] for e in await r.json())


async def ask_serve(base: str) -> None:
    async with fresh() as http, http.get(f"{base}/") as r:
        assert r.status == 200
        assert 'name="name"' in await r.text()  # the sign-in form


async def ask_phone(base: str) -> None:
    async with fresh() as http:
        params = {"code": CODE, "device": "dev00000001xxxxxxxx"}
        async with http.get(f"{base}/api/state", params=params) as r:
            assert r.status == 200
            assert (await r.json())["round"] == 1


# -- the slow clients --------------------------------------------------------------------------
Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


FORM = ("application/x-www-form-urlencoded", "name=")
JSON = ("application/json", '{"code": "')


def opening(kind: int, port: int, path: str, body: tuple[str, str]) -> bytes:
    """What slow client number ``kind`` (0 to 3) sends at once: nothing, unfinished headers
    (then a byte at a time), or whole headers and the start of a body (then a byte at a time,
    or nothing more). The body's request passes every check (its Origin is the server's own
    page), so it reaches a handler that waits for the body: aiohttp itself would wait for ever."""
    if kind == 0:
        return b""  # half-open: connects and says nothing
    if kind == 1:
        return (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode()
        )  # headers unfinished
    return (  # whole headers, then a body that never finishes arriving
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
        f"Content-Type: {body[0]}\r\nContent-Length: 1000\r\n\r\n{body[1]}"
    ).encode()


async def open_slow(port: int, path: str, body: tuple[str, str]) -> list[Conn]:
    conns: list[Conn] = []
    for start in range(0, SLOW, 100):  # in batches: the listen backlog is finite
        batch = await asyncio.gather(
            *(asyncio.open_connection("127.0.0.1", port) for _ in range(start, start + 100)),
            return_exceptions=True,
        )
        for n, got in enumerate(batch, start):
            if isinstance(got, BaseException):
                continue  # refused while full: that is allowed too
            reader, writer = got
            writer.write(opening(n % 4, port, path, body))
            conns.append((reader, writer))
    return conns


async def dribble(conns: list[Conn]) -> None:
    """A byte every half second on the dribbling connections, for as long as they stay open."""
    while True:
        await asyncio.sleep(0.5)
        for n, (_reader, writer) in enumerate(conns):
            if n % 4 in (1, 2) and not writer.is_closing():
                with contextlib.suppress(OSError, RuntimeError):
                    writer.write(b"a")


async def closed_by_server(reader: asyncio.StreamReader, within: float) -> bool:
    """True when the server closes the connection (EOF or reset) within ``within`` seconds."""
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            data = await asyncio.wait_for(reader.read(4096), deadline - time.monotonic())
            if not data:
                return True
    except TimeoutError:  # before OSError, of which it is a kind
        return False
    except (ConnectionError, OSError):
        return True
    return False


async def survive(port: int, path: str, ask: Ask, body: tuple[str, str] = FORM) -> None:
    base = f"http://127.0.0.1:{port}"
    await ask(base)  # answered before the attack
    began = time.monotonic()
    conns = await open_slow(port, path, body)
    assert len(conns) >= SLOW * 0.9, len(conns)
    dribbler = asyncio.create_task(dribble(conns))
    try:
        # real clients are answered while the slow ones are held (generous bound: a busy box)
        for _ in range(5):
            await asyncio.wait_for(ask(base), 30)
        # and every slow connection is closed soon after its request timeout, however
        # steadily its bytes arrive (each was opened within the first seconds)
        wait = TIMEOUT + 20 - (time.monotonic() - began)
        closed = await asyncio.gather(*(closed_by_server(r, max(wait, 5)) for r, _ in conns))
        assert sum(closed) == len(conns), f"{len(conns) - sum(closed)} slow connections left open"
        await asyncio.wait_for(ask(base), 30)  # still answering afterwards
    finally:
        dribbler.cancel()
        for _r, w in conns:
            w.close()


# -- the three servers -------------------------------------------------------------------------
async def test_the_phone_server_survives_a_thousand_slow_connections():
    limits = Limits(max_connections=300, request_timeout=TIMEOUT, per_address_burst=5000)
    hub = PhoneHub(code=CODE, title="Kettle", teams=[])
    sock, address = bind("127.0.0.1", 0)
    server = PhoneServer(hub, sock, address, limits)
    await server.start()
    hub.new_round(customer="Ann", line="It's broken.", options=[PhoneOption(1, "Sorry!")])
    try:
        await survive(address.port, "/api/vote", ask_phone, JSON)
        guard = server.connections
        assert guard is not None and guard.open <= 2, guard.open
        assert guard.timed_out >= 1 and guard.evicted >= 1  # both ways out were used
    finally:
        await server.stop()


@pytest.mark.parametrize("cap", [["--max-connections", "300"], []], ids=["capped", "file-limit"])
async def test_countertalk_web_survives_a_thousand_slow_connections(tmp_path, cap):
    with command(tmp_path, "web", "--address-limit", "0", *cap) as (port, err):
        await survive(port, "/api/signin", ask_web, JSON)
    assert "Traceback" not in err.read_text(), err.read_text()[-3000:]


async def test_countertalk_serve_survives_a_thousand_slow_connections(tmp_path):
    with command(tmp_path, "serve", "--max-connections", "300") as (port, err):
        await survive(port, "/signin", ask_serve)
    assert "Traceback" not in err.read_text(), err.read_text()[-3000:]


@pytest.mark.parametrize("cmd", ["web", "serve"])
@pytest.mark.parametrize(
    ("option", "value"), [("--request-timeout", "0"), ("--max-connections", "3")]
)
def test_patience_options_out_of_range_are_usage_errors(tmp_path, cmd, option, value):
    env = dict(os.environ, COUNTERTALK_HOME=str(tmp_path))
    p = subprocess.run(
        [sys.executable, "-m", "simulator", cmd, option, value],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert p.returncode == 2, p.stderr
    assert option in p.stderr and "Traceback" not in p.stderr
