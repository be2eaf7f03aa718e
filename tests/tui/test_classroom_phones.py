"""A Pilot-driven classroom with phones voting over real loopback HTTP: the tally, the keys, the
rounds phones follow, undo, the debrief; and the screen when time runs out with no votes."""

from __future__ import annotations

import aiohttp
import pytest
from test_classroom_support import KETTLE, screen_text

from simulator.classroom.phones import PhoneHub
from simulator.classroom.room import ClassRoom
from simulator.classroom.web.server import open_phones
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from simulator.tui.classroom.app import ClassroomApp
from simulator.tui.classroom.debrief_screen import ClassDebriefScreen
from simulator.tui.classroom.widgets import Bar

CODE = "K7PX4Q"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))


def phone_app(*, teams=None, timer=None, notes_dir=None):
    room = ClassRoom(
        Runtime(load_scenario(KETTLE)), teams=teams, seed=1, class_session="test-session"
    )
    hub = PhoneHub(code=CODE, title="Kettle", teams=teams)
    link = open_phones(hub, "127.0.0.1", 0)
    return ClassroomApp(room, timer=timer, phones=link, notes_dir=notes_dir), link


async def vote(http, device, round_, option, **extra):
    body = {"code": CODE, "device": device, "round": round_, "option": option, **extra}
    async with http.post("/api/vote", json=body) as r:
        return (await r.json())["status"]


async def state(http, device):
    async with http.get("/api/state", params={"code": CODE, "device": device}) as r:
        return await r.json()


def dev(n: int) -> str:
    return f"{n:032x}"


async def settle(pilot):
    for _ in range(3):
        await pilot.pause()


async def test_phones_and_hands_decide_together(tmp_path):
    app, link = phone_app(notes_dir=tmp_path / "notes")
    async with app.run_test(size=(160, 50)) as pilot:
        url = link.server.address.url
        text = screen_text(app)
        assert url in text and CODE in text and "0 phones joined" in text
        async with aiohttp.ClientSession(base_url=url) as http:
            s = await state(http, dev(1))
            assert s["round"] == 1 and [o["number"] for o in s["options"]] == [1, 2, 3]
            assert await vote(http, dev(1), 1, 2) == "accepted"
            assert await vote(http, dev(2), 1, 2) == "accepted"
            assert await vote(http, dev(2), 1, 2) == "duplicate"
            assert await vote(http, dev(3), 1, 3) == "accepted"
            assert await vote(http, dev(3), 1, 1) == "changed"
            await settle(pilot)
            await pilot.press("1", "1")  # two hands raised for option 1
            text = screen_text(app)
            bars = [b.render().plain.lstrip("█░") for b in app.screen.query(Bar)]
            assert bars == [  # wide enough: the split beside the bar
                " 3 votes (60%) · phones 1 · hands 2",
                " 2 votes (40%) · phones 2 · hands 0",
                " 0 votes (0%) · phones 0 · hands 0",
            ]
            assert "5 votes recorded: 3 from phones, 2 hands" in text
            assert "3 phones joined" in text

            await pilot.press("enter")  # 3 (1 phone + 2 hands) beats 2 phones
            assert app.screen.phase == "reveal"
            assert app.room.run.decisions[-1].number == 1
            assert app.room.run.decisions[-1].votes == {1: 3, 2: 2, 3: 0}
            assert await vote(http, dev(4), 1, 2) == "closed"  # too late: answered, not counted
            s = await state(http, dev(1))
            assert s["phase"] == "reveal" and s["chosen"] == 1

            await pilot.press("u")  # undo: the phones' ballots come back, not doubled
            assert app.room.board.as_dict() == {1: 3, 2: 2, 3: 0}
            s = await state(http, dev(2))
            assert s["round"] == 2 and s["your_vote"] == 2 and s["open"]
            assert await vote(http, dev(2), 2, 2) == "duplicate"
            await pilot.press("enter", "n")
            await settle(pilot)
            s = await state(http, dev(1))  # phones moved to the next decision by themselves
            assert s["round"] == 3 and s["open"] and s["your_vote"] is None
            assert s["line"] == app.room.run.session.line.strip()
            assert await vote(http, dev(1), 2, 1) == "closed"  # a vote for the old round
            assert await vote(http, dev(1), 3, 1) == "accepted"
            await settle(pilot)
            await pilot.press("enter")
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, ClassDebriefScreen)
            s = await state(http, dev(1))
            assert s["phase"] == "ended"
            text = screen_text(app)
            assert "(phones 1:1 2:2 3:0; hands 1:2)" in text  # turn 1, beside the best path
            assert "Best path" in text
            await pilot.press("s")
    notes = (tmp_path / "notes").glob("*.md")
    md = next(notes).read_text(encoding="utf-8")
    assert "Turn 1: option 1 chosen; option 1: 3, option 2: 2, option 3: 0" in md
    assert "(phones 1:1 2:2 3:0; hands 1:2)" in md
    async with aiohttp.ClientSession() as http:  # the server stopped with the app
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(url + "api/state")


async def test_team_phones_vote_only_on_their_turn():
    app, link = phone_app(teams=["Red", "Blue"])
    async with app.run_test(size=(100, 30)) as pilot:
        async with aiohttp.ClientSession(base_url=link.server.address.url) as http:
            s = await state(http, dev(1))
            assert s["team"] == "Red" and s["teams"] == ["Red", "Blue"]
            assert await vote(http, dev(1), 1, 1, team="Blue") == "closed"
            assert await vote(http, dev(1), 1, 1, team="Green") == "invalid"
            assert await vote(http, dev(1), 1, 1, team="Red") == "accepted"
            assert await vote(http, dev(2), 1, 2) == "accepted"  # no team: votes for whoever is up
            await pilot.press("1", "enter")
            await pilot.press("n")
            await settle(pilot)
            s = await state(http, dev(1))
            assert s["team"] == "Blue" and s["round"] == 2
            assert await vote(http, dev(1), 2, 1, team="Red") == "closed"


async def test_time_up_with_no_votes_can_pick_or_take_hands():
    """The screen no longer sits there: more time, hands by keys, or the tutor picks."""
    app, link = phone_app(timer=20)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.countdown.tick(20)
        screen.refresh_view()
        text = screen_text(app)
        assert "Time's up and nobody has voted" in text and "Enter lets you pick" in text
        async with aiohttp.ClientSession(base_url=link.server.address.url) as http:
            assert await vote(http, dev(1), 1, 1) == "closed"  # phones are told time is up
            s = await state(http, dev(1))
            assert s["phase"] == "closed" and s["reason"] == "time is up"
        await pilot.press("enter")  # nobody voted: the tutor picks
        assert screen.phase == "tiebreak" and "Nobody voted" in screen_text(app)
        await pilot.press("escape", "2")  # or keys in the hands after all
        assert app.room.board.total == 1
        await pilot.press("3")  # once someone has voted, time's up closes voting again
        assert app.room.board.total == 1
        await pilot.press("enter")
        assert screen.phase == "reveal" and app.room.run.decisions[-1].number == 2


async def test_time_up_with_no_votes_without_phones():
    from test_classroom_support import make_app

    app = make_app(timer=20)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.countdown.tick(20)
        screen.refresh_view()
        assert "nobody has voted" in screen_text(app)
        await pilot.press("enter", "3")
        assert screen.phase == "reveal" and app.room.run.decisions[-1].number == 3


async def test_the_tutor_sees_stuffed_votes_and_can_rotate_the_code(tmp_path):
    """Issue 31, item 2: one address inventing phones is refused past 60 and the projector says
    so; `c` makes a new join code, shown at once, and the old one stops working."""
    app, link = phone_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        url = link.server.address.url
        async with aiohttp.ClientSession(base_url=url) as http:
            statuses = []
            for n in range(70):
                body = {"code": CODE, "device": dev(n), "round": 1, "option": 1}
                async with http.post("/api/vote", json=body) as r:
                    statuses.append(r.status)
            assert statuses == [200] * 60 + [429] * 10
            for _ in range(3):
                await pilot.pause(0.5)
            assert "Votes look stuffed" in screen_text(app)
            old = link.hub.code
            await pilot.press("c")
            await settle(pilot)
            new = link.hub.code
            assert new != old and new in screen_text(app)
            async with http.get("/api/state", params={"code": old, "device": dev(1)}) as r:
                assert r.status == 403


async def test_on_127_0_0_1_the_projector_says_how_to_open_it_to_the_room_not_a_qr_code():
    """Issue 30: the default address is this computer only, so a QR code of it sends a phone to
    itself; the projector says how to open voting to the room (--host) instead."""
    app, _link = phone_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "phones cannot" in text and "--host 0.0.0.0" in text
        assert not any(q.display for q in app.screen.query("#phones-qr"))
        await pilot.press("j")  # asking for the QR code still shows none a phone cannot use
        await settle(pilot)
        assert not any(q.display for q in app.screen.query("#phones-qr"))
