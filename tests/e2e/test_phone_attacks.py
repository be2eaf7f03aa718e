"""Issue 31, item 2: the phone server against a hostile room, over real loopback sockets.

Malformed bodies are a 400; one address cannot stuff a round's ballots (and the tutor is told);
join-code guessing draws on a server-wide budget that never holds up phones already in; the
tutor can rotate the code; 1,000 slow and half-open connections are capped and timed out while
phones keep being answered."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import aiohttp
import pytest

from simulator.classroom.phones import PhoneHub, PhoneOption
from simulator.classroom.web.defences import JoinGuard, parse_body
from simulator.classroom.web.limits import Limits
from simulator.classroom.web.server import PhoneServer, bind

CODE = "K7PX4QAB"


def device(n: int) -> str:
    return f"dev{n:08d}xxxxxxxx"


@pytest.fixture
async def served(request):
    limits = getattr(request, "param", None) or Limits(per_device_burst=30)
    hub = PhoneHub(code=CODE, title="Kettle", teams=[])
    sock, address = bind("127.0.0.1", 0)
    server = PhoneServer(hub, sock, address, limits)
    await server.start()
    hub.new_round(
        customer="Ann",
        line="It's broken.",
        options=[PhoneOption(1, "Sorry!"), PhoneOption(2, "Receipt?")],
    )
    async with aiohttp.ClientSession(base_url=address.url) as http:
        yield hub, server, http
    await server.stop()


async def vote(http, dev: str, option: int = 1, code: str = CODE) -> int:
    body = {"code": code, "device": dev, "round": 1, "option": option}
    async with http.post("/api/vote", json=body) as r:
        await r.read()
        return r.status


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 2000,
        b'{"code": ' + b"[" * 1000 + b"]" * 1000 + b"}",
        b'{"a": {"b": {"c": {"d": {"e": 1}}}}}',
        b"\xff\xfe{}",
        b"1e999999",
        b"[]",
        b'"just a string"',
        b"{" * 1500,
    ],
)
async def test_a_malformed_vote_body_is_a_400_never_a_500(served, body):
    _hub, _server, http = served
    async with http.post("/api/vote", data=body, headers={"Content-Type": "application/json"}) as r:
        assert r.status == 400, (r.status, await r.text())
        assert (await r.json())["status"] == "invalid"
    assert parse_body(body) is None or isinstance(parse_body(body), dict)


async def test_one_address_cannot_stuff_a_round_and_the_tutor_is_told(served):
    hub, _server, http = served
    statuses = [await vote(http, device(n)) for n in range(150)]
    assert statuses[:60] == [200] * 60  # a whole class behind one NAT still votes
    assert set(statuses[60:]) == {429}
    assert hub.counts() == {1: 60, 2: 0}
    assert "stuffed" in hub.warning and "90 ballot(s)" in hub.warning
    # a phone that voted may still change its mind
    assert await vote(http, device(3), option=2) == 200
    assert hub.counts() == {1: 59, 2: 1}
    # the next round starts clean
    hub.new_round(customer="Ann", line="And?", options=[PhoneOption(1, "a"), PhoneOption(2, "b")])
    assert hub.warning == ""


def test_the_projector_shows_the_stuffing_warning():
    from simulator.tui.classroom.phones_panel import PhonesPanel  # noqa: F401 - imports cleanly

    hub = PhoneHub(code=CODE)
    hub.warn("Votes look stuffed: 3 ballot(s) ...")
    assert hub.warning.startswith("Votes look stuffed")


async def test_guessing_never_holds_up_phones_already_in(served):
    hub, server, http = served
    joined = [device(n) for n in range(30)]
    for d in joined:  # the class joins
        async with http.get("/api/state", params={"code": CODE, "device": d}) as r:
            assert r.status == 200
    # a guesser (or one phone's typos behind the NAT) spends every budget
    wrong = 0
    for n in range(200):
        async with http.get("/api/state", params={"code": f"GUESS{n:03d}"}) as r:
            if r.status == 403:
                wrong += 1
            else:
                assert r.status == 429 and int(r.headers["Retry-After"]) >= 1
    assert wrong <= 10  # the address's budget, not 200 guesses
    # every phone already in still votes and polls
    for d in joined:
        assert await vote(http, d) == 200
    assert hub.counts()[1] == 30
    # a new phone waits (it is not locked out for good: the budget refills)
    async with http.get("/api/state", params={"code": CODE, "device": device(999)}) as r:
        assert r.status == 429


def test_the_server_wide_budget_makes_guessing_hopeless():
    """3,000 addresses guessing as fast as the server lets them, for an hour of fake time."""
    now = [0.0]
    guard = JoinGuard(clock=lambda: now[0])
    checked = 0
    for step in range(3600 * 10):  # every 0.1 s, each of 3,000 addresses tries once
        now[0] = step / 10
        for a in range(0, 3000, 97):  # a sample of addresses each tick keeps this fast
            if guard.wait(f"10.0.{a // 256}.{a % 256}", None) == 0:
                guard.failed(f"10.0.{a // 256}.{a % 256}")
                checked += 1
    assert checked <= guard.global_burst + guard.global_rate * 3600 + 1
    chance = checked / 25**8
    assert chance < 1e-6, chance


async def test_the_tutor_can_rotate_the_code(served):
    hub, _server, http = served
    assert await vote(http, device(1)) == 200
    old = hub.code
    new = hub.rotate_code()
    assert new != old and len(new) == 8
    assert await vote(http, device(1), code=old) == 403  # the old code no longer works
    assert await vote(http, device(1), option=2, code=new) == 200


async def _slow_clients(port: int, n: int) -> list[socket.socket]:
    """n connections: a third send nothing, a third half a request line, a third headers that
    never end."""
    out = []
    for i in range(n):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        out.append(s)
        if i % 100 == 99:
            await asyncio.sleep(0)  # let the server accept
    await asyncio.sleep(0.2)
    for i, s in enumerate(out):
        try:
            if i % 3 == 1:
                s.send(b"GET /api/sta")
            elif i % 3 == 2:
                s.send(b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: 1\r\n")
        except OSError:
            pass
    return out


@pytest.mark.parametrize(
    "served",
    [Limits(per_device_burst=30, max_connections=300, request_timeout=1.5, per_address_burst=5000)],
    indirect=True,
)
async def test_a_thousand_slow_connections_and_phones_are_still_answered(served):
    hub, server, http = served
    port = server.address.port
    slow = await _slow_clients(port, 1000)
    try:
        await asyncio.sleep(0.3)
        guard = server.connections
        assert guard is not None and guard.open <= 300
        # phones, each on a fresh connection, are answered while the slow ones are held
        start = time.monotonic()
        for n in range(20):
            async with aiohttp.ClientSession(base_url=server.address.url) as phone:
                async with phone.get("/api/state", params={"code": CODE, "device": device(n)}) as r:
                    assert r.status == 200
                    assert json.loads(await r.text())["round"] == 1
        assert time.monotonic() - start < 10
        # and after the request timeout every slow connection has been closed
        await asyncio.sleep(2.5)
        assert guard.open <= 1, guard.open
        assert guard.evicted + guard.timed_out >= 700
        closed = 0
        for s in slow:
            try:
                data = s.recv(1)
                closed += data == b""
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
        assert closed >= 990, closed
    finally:
        for s in slow:
            s.close()
    assert await vote(http, device(5)) == 200


PRELOAD_CHECK = r"""
import os, resource, sys
sys.setrecursionlimit(10000)
from simulator.attempt import Attempt
a = Attempt(sys.argv[1], learner="class", mode="practice", seed=1)
a.load(); a.start(); a.choose(1); a.choose(1)
scenario, result = a._scenario(), a.result
if sys.argv[2] == "preload":
    from simulator.classroom.preload import prepare_lesson
    prepare_lesson(scenario)
# no file can be opened from here on: as when a room's connections used them all
used = len(os.listdir("/proc/self/fd")) - 1  # less the one listdir held
resource.setrlimit(resource.RLIMIT_NOFILE, (used, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
from simulator.classroom import grading
from scoring.debrief import render
assert grading.score(scenario, result["transcript"]) is not None
for fmt in ("text", "md", "html"):
    render(scenario, result["transcript"], result["score"], fmt=fmt)
print("ok")
"""


@pytest.mark.parametrize("mode", ["preload", "none"])
def test_the_end_of_a_lesson_needs_no_file_once_prepared(mode, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    kettle = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"
    p = subprocess.run(
        [sys.executable, "-c", PRELOAD_CHECK, str(kettle), mode],
        capture_output=True,
        text=True,
        timeout=120,
        env={"COUNTERTALK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    if mode == "preload":
        assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr[-2000:]
    else:  # the failure the preload prevents (so this test can tell)
        assert p.returncode != 0 and "Too many open files" in p.stderr, p.stderr[-2000:]
