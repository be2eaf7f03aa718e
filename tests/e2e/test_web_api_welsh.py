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
