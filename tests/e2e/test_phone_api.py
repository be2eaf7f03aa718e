"""The phone server over real loopback HTTP: the JSON API, its answers and its defences."""

from __future__ import annotations

import asyncio
import json
import re

import aiohttp
import pytest

from simulator.classroom.phones import PhoneHub, PhoneOption
from simulator.classroom.web.limits import Limits
from simulator.classroom.web.server import PhoneServer, PhoneServerError, bind

DEVICE = "a" * 32
OTHER = "b" * 32


def options(*texts):
    return [PhoneOption(n, t) for n, t in enumerate(texts, 1)]


@pytest.fixture
async def served():
    hub = PhoneHub(code="K7PX4Q", title="Kettle", teams=[])
    sock, address = bind("127.0.0.1", 0)
    server = PhoneServer(hub, sock, address, Limits(wrong_codes=3, per_device_burst=30))
    await server.start()
    hub.new_round(customer="Ann", line="It's broken.", options=options("Sorry!", "Receipt?"))
    async with aiohttp.ClientSession(base_url=address.url) as http:
        yield hub, server, http
    await server.stop()


async def post_vote(http, **body):
    body.setdefault("code", "K7PX4Q")
    body.setdefault("device", DEVICE)
    async with http.post("/api/vote", json=body) as r:
        return r.status, await r.json()


async def test_state_needs_the_code_and_shows_the_round(served):
    hub, _server, http = served
    async with http.get("/api/state", params={"code": "k7px4q", "device": DEVICE}) as r:
        assert r.status == 200
        state = await r.json()
    assert state["round"] == 1 and state["open"] is True
    assert state["options"] == [{"number": 1, "text": "Sorry!"}, {"number": 2, "text": "Receipt?"}]
    assert state["line"] == "It's broken." and state["your_vote"] is None
    async with http.get("/api/state") as r:
        assert r.status == 403 and "join code" in (await r.json())["error"]
    assert hub.joined() == 1  # the phone that asked with the code


async def test_every_vote_gets_an_answer(served):
    hub, _server, http = served
    assert await post_vote(http, round=1, option=2) == (
        200,
        {
            "status": "accepted",
            "message": "Vote counted: option 2.",
            "round": 1,
            "option": 2,
            "sequence": 2,
        },
    )
    status, a = await post_vote(http, round=1, option=2)
    assert a["status"] == "duplicate" and a["option"] == 2
    status, a = await post_vote(http, round=1, option=1)
    assert a["status"] == "changed" and a["message"] == "You already voted — changed to 1."
    assert hub.counts() == {1: 1, 2: 0}  # one phone, one ballot
    status, a = await post_vote(http, round=1, option=7)
    assert (status, a["status"]) == (400, "invalid")
    status, a = await post_vote(http, round="1", option=1)
    assert a["status"] == "invalid"
    status, a = await post_vote(http, round=1, option=1, device="short")
    assert a["status"] == "invalid"

    hub.close("time is up")
    status, a = await post_vote(http, round=1, option=2, device=OTHER)
    assert (status, a["status"], a["message"]) == (200, "closed", "Voting is closed: time is up")
    hub.new_round(customer="Ann", line="And?", options=options("A", "B", "C"))
    status, a = await post_vote(http, round=1, option=2, device=OTHER)  # late, for the old round
    assert a["status"] == "closed" and a["round"] == 2
    assert hub.counts() == {1: 0, 2: 0, 3: 0}


async def test_wrong_codes_are_locked_out(served):
    _hub, _server, http = served
    for _ in range(3):
        async with http.get("/api/state", params={"code": "WRONG1"}) as r:
            assert r.status == 403
    async with http.get("/api/state", params={"code": "K7PX4Q"}) as r:
        assert r.status == 429 and int(r.headers["Retry-After"]) > 0  # even the right one, now
    status, a = await post_vote(http, round=1, option=1)
    assert status == 429


async def test_other_sites_and_odd_requests_are_refused(served):
    _hub, server, http = served
    async with http.post(
        "/api/vote",
        json={"code": "K7PX4Q", "device": DEVICE, "round": 1, "option": 1},
        headers={"Origin": "http://evil.example"},
    ) as r:
        assert r.status == 403
    async with http.get("/api/state?code=K7PX4Q", headers={"Host": "evil.example"}) as r:
        assert r.status == 421  # DNS rebinding: a name that is not this machine
    async with http.post(
        "/api/vote", data="code=K7PX4Q", headers={"Content-Type": "text/plain"}
    ) as r:
        assert r.status == 415
    async with http.post(
        "/api/vote",
        data=json.dumps({"code": "K7PX4Q", "pad": "x" * 10_000}),
        headers={"Content-Type": "application/json"},
    ) as r:
        assert r.status == 413
    async with http.post(
        "/api/vote", data="{not json", headers={"Content-Type": "application/json"}
    ) as r:
        assert r.status == 400 and (await r.json())["status"] == "invalid"
    assert server.hub.counts() == {1: 0, 2: 0}


async def test_one_phone_cannot_flood_votes(served):
    _hub, _server, http = served
    statuses = [(await post_vote(http, round=1, option=1 + i % 2))[0] for i in range(40)]
    assert statuses.count(429) >= 5 and statuses[0] == 200


async def test_the_page_is_self_contained_and_strict(served):
    _hub, server, http = served
    async with http.get("/") as r:
        page = await r.text()
        csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from elsewhere
    for path in ("/phone.js", "/phone.css"):
        async with http.get(path) as r:
            text = await r.text()
            assert r.status == 200 and "http://" not in text and "https://" not in text
    async with http.get("/phone.js") as r:
        assert "innerHTML" not in await r.text()  # scenario text only ever as textContent


async def test_websocket_follows_the_class_and_a_reconnect_gets_the_current_round(served):
    hub, _server, http = served
    url = "/api/ws?code=K7PX4Q&device=" + DEVICE
    async with http.ws_connect(url) as ws:
        first = json.loads((await ws.receive(timeout=5)).data)
        assert first["round"] == 1 and first["phase"] == "vote"
        assert hub.joined() == 1
        hub.reveal(1, {1: 3, 2: 1}, team="class", turn=1)
        revealed = json.loads((await ws.receive(timeout=5)).data)
        assert revealed["phase"] == "reveal" and revealed["chosen"] == 1
    hub.new_round(customer="Ann", line="Next", options=options("X", "Y"))  # while disconnected
    async with http.ws_connect(url) as ws:
        again = json.loads((await ws.receive(timeout=5)).data)
        assert again["round"] == 2 and again["line"] == "Next" and again["open"]
        hub.end()
        ended = json.loads((await ws.receive(timeout=5)).data)
        assert ended["phase"] == "ended" and ended["options"] == []
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:  # before the upgrade
        await http.ws_connect("/api/ws?code=NOPE99&device=" + DEVICE)
    assert refused.value.status == 403


async def test_busy_port_is_a_clear_error():
    sock, address = bind("127.0.0.1", 0)
    try:
        with pytest.raises(PhoneServerError, match="already in use.*--port"):
            bind("127.0.0.1", address.port)
    finally:
        sock.close()
    with pytest.raises(PhoneServerError, match="--host"):
        bind("no-such-host.invalid", 0)


async def test_many_phones_at_once(served):
    hub, _server, http = served
    devices = [f"{i:032x}" for i in range(60)]
    answers = await asyncio.gather(
        *(post_vote(http, device=d, round=1, option=1 + i % 2) for i, d in enumerate(devices))
    )
    assert {a["status"] for _, a in answers} == {"accepted"}
    assert hub.counts() == {1: 30, 2: 30}
