"""A crowd of simulated phones voting in a real classroom app over loopback HTTP.

Used by the load test (tests/e2e/test_phone_load.py: nothing lost, nothing counted twice) and
by benchmarks/bench_phones.py (how long a vote takes to reach the projector's tally). Each
phone is its own HTTP client with its own websocket; in every round some phones drop their
websocket and reconnect, some change their vote, some tap twice, and some vote too late.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from simulator.classroom.phones import PhoneHub
from simulator.classroom.room import ClassRoom
from simulator.classroom.web.limits import Limits
from simulator.classroom.web.server import PhoneLink, open_phones
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from simulator.tui.classroom.app import ClassroomApp

CODE = "LOAD42"
# Every phone is on 127.0.0.1 here; in a classroom each phone has its own address, so the
# per-address limit is raised for the crowd (the per-phone vote limit stays as shipped).
CROWD_LIMITS = Limits(per_address_rate=5000.0, per_address_burst=20000.0)


@dataclass
class CrowdResult:
    rounds: int = 0
    votes_sent: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    lost: int = 0  # ballots a phone was told counted that the locked-in decision did not have
    doubled: int = 0  # votes the decision had beyond the phones' final ballots
    reconnects: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, vote sent -> tally shown
    round_trips: list[float] = field(default_factory=list)  # seconds, vote sent -> answer

    def figure(self, values: list[float]) -> tuple[float, float]:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return statistics.median(ordered), p95


def make_app(scenario: Path, *, seed: int = 1) -> tuple[ClassroomApp, PhoneLink]:
    room = ClassRoom(Runtime(load_scenario(scenario)), seed=seed, class_session="crowd")
    link = open_phones(PhoneHub(code=CODE, title="crowd"), "127.0.0.1", 0, CROWD_LIMITS)
    return ClassroomApp(room, phones=link), link


class Phone:
    def __init__(self, n: int, url: str) -> None:
        self.n = n
        self.device = f"{n:08d}crowdphone{n:014d}"
        self.url = url
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.state: dict = {}
        self._reader: asyncio.Task | None = None

    async def open(self) -> None:
        self.http = aiohttp.ClientSession(base_url=self.url)
        await self.connect()

    async def connect(self) -> None:
        assert self.http is not None
        self.ws = await self.http.ws_connect(f"/api/ws?code={CODE}&device={self.device}")
        first = await self.ws.receive_json(timeout=10)
        self.state = first
        self._reader = asyncio.create_task(self._read(self.ws))

    async def _read(self, ws) -> None:
        async for msg in ws:
            if msg.type == aiohttp.WSMsgType.TEXT:
                self.state = msg.json()

    async def reconnect(self) -> dict:
        """Drop the websocket and come back: the phone must get the current round at once."""
        assert self.ws is not None and self._reader is not None
        await self.ws.close()
        await self._reader
        await self.connect()
        return self.state

    async def vote(self, round_: int, option: int) -> tuple[dict, float, float]:
        assert self.http is not None
        body = {"code": CODE, "device": self.device, "round": round_, "option": option}
        sent = time.perf_counter()
        for _attempt in range(10):
            async with self.http.post("/api/vote", json=body) as r:
                answer = await r.json()
                retry = r.headers.get("Retry-After") if r.status == 429 else None
            if retry is None:
                break
            # As the page does (static/phone.js): a phone told to slow down waits and sends the
            # same vote again; the answer to that resend is the one that counts.
            await asyncio.sleep(float(retry))
        return answer, sent, time.perf_counter() - sent

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader
        if self.http is not None:
            await self.http.close()


async def run_crowd(app, link, pilot, *, phones: int = 60, rounds: int = 10) -> CrowdResult:
    """Run `rounds` decisions with `phones` phones; the tutor reveals and moves on by keys."""
    room, hub, screen = app.room, link.hub, app.screen
    shown: list[tuple[float, int]] = []
    screen.on_tally_shown = lambda seq: shown.append((time.perf_counter(), seq))
    crowd = [Phone(i, link.server.address.url) for i in range(phones)]
    await asyncio.gather(*(p.open() for p in crowd))
    result = CrowdResult()
    try:
        for r in range(rounds):
            round_no = hub.round
            offered = room.offered()
            scenario = room.scenario
            good = [o.number for o in offered if scenario.states[o.choice.goto].end is None]
            good = good or [o.number for o in offered]
            first, second = good[0], (good[1] if len(good) > 1 else good[0])
            await _until(pilot, lambda n=round_no: all(p.state.get("round") == n for p in crowd))
            dropping = [p for p in crowd if (p.n + r) % 6 == 0]
            for state in await asyncio.gather(*(p.reconnect() for p in dropping)):
                assert state["round"] == round_no and state["open"], state
            result.reconnects += len(dropping)

            final: dict[str, int] = {}
            plan = Plan(round_no, first, second, len(good) > 1, phones)
            ballots = asyncio.gather(*(_one_phone(p, plan, final) for p in crowd))
            for answers in await ballots:
                for answer, sent, trip in answers:
                    result.votes_sent += 1
                    result.round_trips.append(trip)
                    status = answer["status"]
                    result.statuses[status] = result.statuses.get(status, 0) + 1
                    if status in ("accepted", "changed"):
                        seq = answer["sequence"]
                        await _until(pilot, lambda seq=seq: any(s >= seq for _, s in shown))
                        when = next(t for t, s in shown if s >= seq)
                        result.latencies.append(when - sent)
            expected = {o.number: 0 for o in offered}
            for option in final.values():
                expected[option] += 1
            await _until(pilot, lambda want=expected: room.board.phones == want)
            await pilot.press("enter")
            decision = room.run.decisions[-1]
            got = decision.votes
            result.lost += sum(max(0, expected[n] - got.get(n, 0)) for n in expected)
            result.doubled += sum(max(0, got.get(n, 0) - expected[n]) for n in expected)
            late = await asyncio.gather(*(p.vote(round_no, first) for p in crowd if p.n % 11 == 0))
            for answer, _, _ in late:
                result.votes_sent += 1
                result.statuses[answer["status"]] = result.statuses.get(answer["status"], 0) + 1
            assert room.run.decisions[-1].votes == got  # late votes never land
            result.rounds += 1
            if room.run.ended:
                break
            await pilot.press("n")
    finally:
        await asyncio.gather(*(p.close() for p in crowd))
    return result


@dataclass(frozen=True)
class Plan:
    round: int
    first: int  # most phones' choice
    second: int  # the rest's
    can_change: bool
    phones: int


async def _one_phone(p: Phone, plan: Plan, final: dict[str, int]):
    """One phone's votes in a round: some change their mind first, some tap twice."""
    target = plan.first if p.n < plan.phones * 0.6 else plan.second
    answers = []
    if p.n % 5 == 0 and plan.can_change:
        other = plan.second if target == plan.first else plan.first
        answers.append(await p.vote(plan.round, other))
    answers.append(await p.vote(plan.round, target))
    if p.n % 7 == 0:
        answers.append(await p.vote(plan.round, target))
    final[p.device] = target
    return answers


async def _until(pilot, check, timeout: float = 20.0) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise AssertionError("the crowd timed out waiting for the classroom")
        await asyncio.sleep(0.002)
