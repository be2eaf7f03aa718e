"""`countertalk web`'s JSON API over real loopback HTTP: sign in, list, play a shipped
conversation to its debrief (by options and by typed words), an activity, carry on from a second
process's server sharing the same SQLite file, and every error as JSON with its status."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.e2e.web_server import bearer, running, signin

CONVERSATION = "faulty-toaster-day12"
ACTIVITY = "sort-controllable-or-not"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    return str(tmp_path / "web.db")


async def get(http, path, token, status=200):
    async with http.get(path, headers=bearer(token)) as r:
        data = await r.json()
        assert r.status == status, data
        return data


async def post(http, path, token, body, status=200, headers=None):
    async with http.post(path, json=body, headers={**bearer(token), **(headers or {})}) as r:
        data = await r.json()
        assert r.status == status, data
        return data


async def play_to_the_end(http, token, attempt, turn, typed: bool):
    """Answer until the end: option 1 by number, or by typing an option's words (the first
    one the matcher takes, confirming a "Did you mean …?" when asked)."""
    said = []
    for _ in range(60):
        path = f"/api/attempts/{attempt}/replies"
        for option in turn["options"] if typed else turn["options"][:1]:
            body = {"text": option["text"]} if typed else {"option": option["number"]}
            got = await post(http, path, token, {**body, "turn": turn["number"]})
            if got["status"] == "confirm":
                assert got["turn"]["suggestion"]["said"]
                number = got["turn"]["suggestion"]["options"][0]["number"]
                got = await post(
                    http, path, token, {"text": option["text"], "option": number, "confirm": True}
                )
            if got["status"] == "taken":
                break
            assert got["status"] == "not_understood" and got["turn"]["number"] == turn["number"]
        assert got["status"] == "taken", got
        said.append(option["text"])
        attempt, turn = got["attempt"], got["turn"]
        if got["ended"]:
            return attempt, got, said
    raise AssertionError("the conversation did not end in 60 turns")


async def test_sign_in_list_and_play_a_conversation_to_its_debrief(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        token = await signin(http, "Sam Smith")
        listed = await get(http, "/api/exercises", token)
        ids = {e["id"]: e for e in listed}
        assert ids[CONVERSATION]["kind"] == "conversation"
        assert set(ids[CONVERSATION]) == {"id", "title", "kind", "topic", "level"}
        assert ids[ACTIVITY]["kind"] != "conversation"

        started = await post(
            http, "/api/attempts", token, {"exercise": CONVERSATION, "seed": 3}, status=201
        )
        turn = started["turn"]
        assert turn["number"] == 1 and turn["line"] and turn["customer"]
        assert [o["number"] for o in turn["options"]] == list(range(1, len(turn["options"]) + 1))
        attempt, last, said = await play_to_the_end(http, token, started["attempt"], turn, False)
        assert attempt.isdigit(), "the first answer makes the saved attempt"
        assert last["debrief"]["score"]["grade"] in ("fail", "pass", "distinction", "referral")
        shown = await get(http, f"/api/attempts/{attempt}", token)
        assert shown["ended"] is True and shown["debrief"]["score"] == last["debrief"]["score"]
        # the choices are all in the store, in order
        from simulator.store import Store

        with Store(db) as store:
            rec = store.attempt(int(attempt))
            assert rec.learner == "Sam Smith" and rec.finished_at is not None
            assert len(rec.choices) == len(said)
        # an ended attempt takes no more answers
        err = await post(http, f"/api/attempts/{attempt}/replies", token, {"option": 1}, status=409)
        assert "finished" in err["error"]


async def test_typed_replies_play_to_the_end_and_practice_shows_feedback_and_mood(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        token = await signin(http, "Priya")
        started = await post(
            http, "/api/attempts", token, {"exercise": CONVERSATION, "seed": 5}, status=201
        )
        assert "mood" in started["turn"]
        attempt, last, _said = await play_to_the_end(
            http, token, started["attempt"], started["turn"], True
        )
        assert last["ended"] and last["debrief"]["score"]["percent"] is not None
        from simulator.store import Store

        with Store(db) as store:
            records = store.turn_records(int(attempt))
        assert records and all("typed" in r for r in records), "typed words are recorded"


async def test_words_it_cannot_place_are_not_understood_and_nothing_is_taken(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        token = await signin(http, "Lee")
        started = await post(
            http, "/api/attempts", token, {"exercise": CONVERSATION, "seed": 1}, status=201
        )
        got = await post(
            http,
            f"/api/attempts/{started['attempt']}/replies",
            token,
            {"text": "zzqx blorp wibble"},
        )
        assert got["status"] in ("not_understood", "confirm")
        assert got["turn"]["number"] == 1 and got["attempt"] == started["attempt"]


async def test_assessment_keeps_feedback_and_mood_for_the_debrief(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        token = await signin(http, "Ola")
        started = await post(
            http,
            "/api/attempts",
            token,
            {"exercise": CONVERSATION, "seed": 2, "mode": "assess"},
            status=201,
        )
        got = await post(http, f"/api/attempts/{started['attempt']}/replies", token, {"option": 1})
        assert "feedback" not in got["turn"] and "mood" not in got["turn"]


async def test_an_activity_is_played_to_its_score(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        token = await signin(http, "Ana")
        started = await post(
            http, "/api/attempts", token, {"exercise": ACTIVITY, "seed": 4}, status=201
        )
        turn = started["turn"]
        assert turn["kind"] == "activity" and turn["total"] >= 1
        attempt = started["attempt"]
        for _ in range(turn["total"]):
            got = await post(
                http,
                f"/api/attempts/{attempt}/replies",
                token,
                {"option": 1, "turn": turn["number"]},
            )
            attempt, turn = got["attempt"], got["turn"]
            assert "correct" in turn
        assert got["ended"] and got["debrief"]["score"]["out_of"] == started["turn"]["total"]


async def test_a_second_process_carries_on_the_attempt(db):
    """Two servers over one SQLite file: answers alternate between them and none is lost."""
    async with (
        running(db) as one,
        running(db) as two,
        aiohttp.ClientSession(base_url=one) as a,
        aiohttp.ClientSession(base_url=two) as b,
    ):
        token = await signin(a, "Kai")
        started = await post(
            a, "/api/attempts", token, {"exercise": CONVERSATION, "seed": 9}, status=201
        )
        attempt, turn = started["attempt"], started["turn"]
        taken = 0
        for http in [a, b] * 30:
            shown = await get(http, f"/api/attempts/{attempt}", token)
            assert shown["turn"]["number"] == turn["number"]
            got = await post(
                http,
                f"/api/attempts/{attempt}/replies",
                token,
                {"option": len(turn["options"]), "turn": turn["number"]},
            )
            taken += 1
            attempt, turn = got["attempt"], got["turn"]
            if got["ended"]:
                break
        from simulator.store import Store

        with Store(db) as store:
            assert len(store.attempt(int(attempt)).choices) == taken
        listed = await get(b, "/api/attempts", token)
        assert all(x["attempt"] != attempt for x in listed), "a finished attempt is not offered"


async def test_learners_alternating_between_two_servers_on_postgresql_lose_nothing(
    postgres, tmp_path, monkeypatch
):
    """Two servers sharing one PostgreSQL database, several learners at once, every request
    of each going to the other server from the last (as behind a proxy with no sticky
    sessions), picking and typing: each conversation ends with every answer in the store,
    and the other server shows the same ending."""
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    db = postgres.new_database()
    async with (
        running(db) as one,
        running(db) as two,
        aiohttp.ClientSession(base_url=one) as a,
        aiohttp.ClientSession(base_url=two) as b,
    ):

        async def learner(i: int) -> tuple[str, int]:
            n = i

            def http() -> aiohttp.ClientSession:  # each request to the next server in turn
                nonlocal n
                n += 1
                return (a, b)[n % 2]

            token = await signin(http(), f"Learner {i}")
            body = {"exercise": CONVERSATION, "seed": i}
            started = await post(http(), "/api/attempts", token, body, status=201)
            attempt, turn = started["attempt"], started["turn"]
            taken = 0
            for k in range(60):
                path = f"/api/attempts/{attempt}/replies"
                option = turn["options"][(i + k) % len(turn["options"])]
                said = {"text": option["text"]} if k % 3 == 1 else {"option": option["number"]}
                got = await post(http(), path, token, {**said, "turn": turn["number"]})
                if got["status"] == "confirm":
                    pick = got["turn"]["suggestion"]["options"][0]["number"]
                    answer = {"text": option["text"], "option": pick, "confirm": True}
                    got = await post(http(), path, token, answer)
                if got["status"] == "not_understood":
                    answer = {"option": option["number"], "turn": turn["number"]}
                    got = await post(http(), path, token, answer)
                assert got["status"] == "taken", got
                taken += 1
                attempt, turn = got["attempt"], got["turn"]
                if got["ended"]:
                    break
            assert got["ended"]
            shown = await get(http(), f"/api/attempts/{attempt}", token)
            assert shown["ended"] and shown["debrief"] == got["debrief"]
            return attempt, taken

        played = await asyncio.gather(*(learner(i) for i in range(6)))
    from simulator.store import Store

    with Store(db) as store:
        for attempt, taken in played:
            record = store.attempt(int(attempt))
            assert len(record.choices) == taken and record.finished_at is not None


async def test_resume_lists_the_unfinished_attempt_in_another_process(db):
    async with running(db) as one, aiohttp.ClientSession(base_url=one) as a:
        token = await signin(a, "Mo")
        started = await post(
            a, "/api/attempts", token, {"exercise": CONVERSATION, "seed": 7}, status=201
        )
        got = await post(a, f"/api/attempts/{started['attempt']}/replies", token, {"option": 1})
    async with running(db) as two, aiohttp.ClientSession(base_url=two) as b:
        listed = await get(b, "/api/attempts", token)
        assert [x["attempt"] for x in listed] == [got["attempt"]]
        shown = await get(b, f"/api/attempts/{got['attempt']}", token)
        assert shown["turn"] == got["turn"]


async def test_errors_are_json_with_their_status(db):
    async with running(db, max_body=1024) as url, aiohttp.ClientSession(base_url=url) as http:
        async with http.get("/api/exercises") as r:
            assert r.status == 401 and "Sign in" in (await r.json())["error"]
        async with http.post("/api/signin", json={"name": "<script>"}) as r:
            assert r.status == 400 and "name" in (await r.json())["error"]
        async with http.post("/api/signin", data=b"not json") as r:
            assert r.status == 400 and "JSON" in (await r.json())["error"]
        token = await signin(http, "Zoe")
        async with aiohttp.ClientSession(base_url=url) as other:
            async with other.post("/api/signin", json={"name": "zoe"}) as r:
                assert r.status == 409 and "already in use" in (await r.json())["error"]
        await post(http, "/api/attempts", token, {"exercise": "/etc/passwd"}, status=404)
        await post(http, "/api/attempts", token, {"exercise": CONVERSATION, "mode": "x"}, 400)
        await get(http, "/api/attempts/999999", token, status=404)
        await get(http, "/api/attempts/..%2F..%2Fetc", token, status=404)
        started = await post(
            http, "/api/attempts", token, {"exercise": CONVERSATION, "seed": 1}, status=201
        )
        path = f"/api/attempts/{started['attempt']}/replies"
        await post(http, path, token, {"option": 99}, status=400)
        await post(http, path, token, {"option": "1"}, status=400)
        await post(http, path, token, {}, status=400)
        await post(http, path, token, {"option": 1, "turn": 5}, status=409)
        await post(http, path, token, {"text": "x" * 2000}, status=413)
        # another learner's attempt is not there for them
        got = await post(http, path, token, {"option": 1})
        other_token = await signin(http, "Yan")
        await get(http, f"/api/attempts/{got['attempt']}", other_token, status=404)
        # another site's page may not post
        await post(
            http, path, token, {"option": 1}, status=403, headers={"Origin": "http://evil.example"}
        )
        async with http.get("/api/exercises", headers={"Host": "evil.example"}) as r:
            assert r.status == 421
        async with http.delete("/api/exercises", headers=bearer(token)) as r:
            assert r.status == 405 and "error" in await r.json()


async def test_a_full_server_says_so_with_retry_after(db):
    async with running(db, max_learners=1) as url, aiohttp.ClientSession(base_url=url) as http:
        first = await signin(http, "First")
        await get(http, "/api/exercises", first)
        second = await signin(http, "Second")
        async with http.get("/api/exercises", headers=bearer(second)) as r:
            assert r.status == 503 and r.headers["Retry-After"] == "60"
            assert "try again in a minute" in (await r.json())["error"]
        await get(http, "/api/exercises", first)  # those already in carry on


async def test_too_many_requests_from_one_learner_are_refused(db):
    async with (
        running(db, per_learner_burst=3, per_learner_rate=0.01) as url,
        aiohttp.ClientSession(base_url=url) as http,
    ):
        token = await signin(http, "Fast")
        codes = []
        for _ in range(5):
            async with http.get("/api/exercises", headers=bearer(token)) as r:
                codes.append(r.status)
                await r.read()
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


async def test_two_clicks_at_once_are_both_taken_in_turn(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        token = await signin(http, "Twice")
        started = await post(
            http, "/api/attempts", token, {"exercise": CONVERSATION, "seed": 1}, status=201
        )
        got = await post(http, f"/api/attempts/{started['attempt']}/replies", token, {"option": 1})
        path = f"/api/attempts/{got['attempt']}/replies"

        async def click():
            async with http.post(path, json={"option": 1}, headers=bearer(token)) as r:
                return r.status

        assert sorted(await asyncio.gather(click(), click())) == [200, 200]
        from simulator.store import Store

        with Store(db) as store:
            assert len(store.attempt(int(got["attempt"])).choices) == 3


async def test_did_you_mean_is_answered_by_any_process(db):
    """'refund' at the first turn (seed 3) asks "Did you mean …?"; the answer goes to another
    server, which asks itself again and takes the suggested option, recorded as confirmed."""
    async with (
        running(db) as one,
        running(db) as two,
        aiohttp.ClientSession(base_url=one) as a,
        aiohttp.ClientSession(base_url=two) as b,
    ):
        token = await signin(a, "Dee")
        started = await post(
            a, "/api/attempts", token, {"exercise": CONVERSATION, "seed": 3}, status=201
        )
        path = f"/api/attempts/{started['attempt']}/replies"
        asked = await post(a, path, token, {"text": "refund"})
        assert asked["status"] == "confirm" and asked["turn"]["number"] == 1
        suggested = [o["number"] for o in asked["turn"]["suggestion"]["options"]]
        assert asked["turn"]["suggestion"]["said"] == "refund" and suggested
        other = next(o["number"] for o in asked["turn"]["options"] if o["number"] not in suggested)
        await post(b, path, token, {"text": "refund", "option": other, "confirm": True}, 400)
        no = await post(b, path, token, {"text": "refund", "confirm": False})
        assert no["status"] == "not_understood" and no["turn"]["number"] == 1
        yes = await post(
            b, path, token, {"text": "refund", "option": suggested[0], "confirm": True}
        )
        assert yes["status"] == "taken" and yes["turn"]["number"] == 2
        from simulator.store import Store

        with Store(db) as store:
            (record,) = store.turn_records(int(yes["attempt"]))
        assert record["typed"]["text"] == "refund" and record["typed"]["confirmed"] is True
