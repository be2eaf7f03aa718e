"""Issue 32 for the web's JSON API: every `{"error": "..."}` is in the language the request asks
for (Accept-Language, `?lang=`, as the pages are) — the guard's own refusals, the problems the
play raises on its worker threads, with the values in them (a name, a turn, an exercise id) —
and in English for a client asking for English, as before. The error pages say the same."""

from __future__ import annotations

import aiohttp
import pytest

from tests.e2e.test_welsh_plain import english_in
from tests.e2e.web_server import bearer, running, signin

CY = {"Accept-Language": "cy"}
EN = {"Accept-Language": "en-GB"}


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    return str(tmp_path / "web.db")


async def errors_from(http: aiohttp.ClientSession, lang: dict[str, str]) -> list[str]:
    """Each error a client meets on the way (the statuses checked), as the API said it."""
    said: list[str] = []

    async def call(method, path, status, **kw):
        headers = {**lang, **kw.pop("headers", {})}
        async with http.request(method, path, headers=headers, **kw) as r:
            body = await r.json()
            assert r.status == status, body
            said.append(body["error"])

    await call("GET", "/api/exercises", 401)
    await call("POST", "/api/signin", 400, json={"name": "<script>"})
    await call("POST", "/api/signin", 400, data=b"not json")
    token = await signin(http, "Zoe")
    async with aiohttp.ClientSession(base_url=str(http._base_url)) as other:  # noqa: SLF001
        async with other.post("/api/signin", json={"name": "zoe"}, headers=lang) as r:
            assert r.status == 409
            said.append((await r.json())["error"])
    auth = bearer(token)
    await call("POST", "/api/attempts", 404, json={"exercise": "nowhere"}, headers=auth)
    await call(
        "POST", "/api/attempts", 400, json={"exercise": "spill-in-aisle", "mode": "x"}, headers=auth
    )
    await call("GET", "/api/attempts/999999", 404, headers=auth)
    async with http.post(
        "/api/attempts", json={"exercise": "spill-in-aisle", "seed": 1}, headers={**auth, **lang}
    ) as r:
        started = await r.json()
    path = f"/api/attempts/{started['attempt']}/replies"
    await call("POST", path, 400, json={"option": 99}, headers=auth)
    await call("POST", path, 400, json={"option": "1"}, headers=auth)
    await call("POST", path, 409, json={"option": 1, "turn": 5}, headers=auth)
    await call("GET", "/api/nowhere", 404, headers=auth)
    return said


async def test_api_errors_in_welsh(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        said = await errors_from(http, CY)
    assert "Mewngofnodwch gyda'ch enw yn gyntaf." in said
    assert "Mae'r enw 'zoe' eisoes yn cael ei ddefnyddio ar borwr arall." in " ".join(said)
    assert "does dim ymarfer o'r enw 'nowhere'" in said
    assert "roedd yr ateb hwnnw ar gyfer tro 5, ond mae'r ymgais ar dro 1" in said
    assert len(said) == 11
    assert [(s, english_in(s)) for s in said if english_in(s)] == []


async def test_api_errors_in_english_as_before(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        said = await errors_from(http, EN)
    assert "Sign in with your name first." in said
    assert "there is no exercise called 'nowhere'" in said
    assert "that answer was for turn 5, but the attempt is at turn 1" in said
    assert len([s for s in said if english_in(s)]) >= 8


async def test_an_error_page_in_welsh(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        async with http.get("/nowhere", headers=CY) as r:
            assert r.status == 404
            page = await r.text()
    assert 'lang="cy"' in page and "Does dim tudalen o&#39;r fath." in page.replace("’", "'")


# -- the problems the engine and the store report, passed on by the play (issue 32) -------------
async def store_problem_from(db: str, lang: dict[str, str], monkeypatch) -> str:
    """What the API says with an answer when the results database fails mid-attempt (the
    store's own sentence, made in the worker thread; SQLite's code inside it stays as it is)."""
    import sqlite3

    from simulator.store.sqlite import SqliteBackend

    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        token = await signin(http, "Siôn")
        auth = {**bearer(token), **lang}
        async with http.post(
            "/api/attempts", json={"exercise": "spill-in-aisle", "seed": 1}, headers=auth
        ) as r:
            started = await r.json()

        def broken(self, fn, **kw):
            raise self.failed(sqlite3.OperationalError("SQLITE_IOERR"))

        monkeypatch.setattr(SqliteBackend, "run", broken)
        path = f"/api/attempts/{started['attempt']}/replies"
        async with http.post(path, json={"option": 1}, headers=auth) as r:
            body = await r.json()
            assert r.status == 200, body
        monkeypatch.undo()
        return str(body["turn"]["store_problem"]).replace(db, "DB")


async def test_a_store_that_fails_is_said_in_welsh(db, monkeypatch):
    said = await store_problem_from(db, CY, monkeypatch)
    assert said.startswith("Heb ei gadw: Does dim modd defnyddio cronfa ddata'r canlyniadau"), said
    assert english_in(said) == [], said


async def test_a_store_that_fails_is_said_in_english_as_before(db, monkeypatch):
    said = await store_problem_from(db, EN, monkeypatch)
    assert said.startswith("Not saved: The results database "), said
    assert "DB could not be used: SQLITE_IOERR. Check that the disk is not full" in said


async def engine_problems_from(http: aiohttp.ClientSession, lang: dict[str, str]) -> list[str]:
    """The engine's own refusals, as the API passes them on: a number out of range, and an
    answer to a conversation that has ended (both raised below the web, in the worker thread)."""
    token = await signin(http, "Zoe")
    auth = {**bearer(token), **lang}
    async with http.post(
        "/api/attempts", json={"exercise": "spill-in-aisle", "seed": 1}, headers=auth
    ) as r:
        started = await r.json()
    path = f"/api/attempts/{started['attempt']}/replies"
    said = []
    async with http.post(path, json={"option": 0}, headers=auth) as r:
        assert r.status == 400
        said.append(str((await r.json())["error"]))
    return said


async def test_engine_problems_in_welsh_and_in_english(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        cy = await engine_problems_from(http, CY)
    async with running(db + "2") as url, aiohttp.ClientSession(base_url=url) as http:
        en = await engine_problems_from(http, EN)
    assert cy[0].startswith("dewiswch rif o 1 i "), cy
    assert [(s, english_in(s)) for s in cy if english_in(s)] == []
    assert en[0].startswith("choose a number from 1 to "), en
