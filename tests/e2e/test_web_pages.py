"""`countertalk web`'s pages with no JavaScript at all: an HTTP client that only follows forms
and redirects signs in, picks, plays a conversation to its debrief, and sees its progress.
Scenario text that looks like markup stays text; forms without this browser's token are
refused."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.web_server import running

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<img src=x onerror=alert(1)>Manager"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    return str(tmp_path / "web.db")


@pytest.fixture
def pack(tmp_path) -> str:
    folder = tmp_path / "pack"
    folder.mkdir()
    text = (ROOT / "tests" / "fixtures" / "kettle.yaml").read_text(encoding="utf-8")
    text = text.replace('"I\'ll get my manager."', repr(HOSTILE))
    assert HOSTILE in text
    (folder / "kettle.yaml").write_text(text, encoding="utf-8")
    (folder / "activities").mkdir()
    shutil.copy(
        ROOT / "scenarios" / "activities" / "sort-controllable-or-not.yaml", folder / "activities"
    )
    return str(folder)


def jar() -> aiohttp.CookieJar:
    return aiohttp.CookieJar(unsafe=True)  # keep cookies set by an IP address (127.0.0.1)


def field(page: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert m, f"no {name} field"
    return unescape(m.group(1))


def option_values(page: str) -> list[str]:
    form = page.split('id="options"', 1)[1].split("</form>", 1)[0]
    return re.findall(r'name="option" value="(\d+)"', form)


async def submit(http, url, path, data):
    async with http.post(path, data=data, headers={"Origin": url}) as r:
        return r.status, str(r.url.path), await r.text()


async def test_a_learner_plays_to_the_debrief_with_forms_only(db, pack):
    async with (
        running(db, pack=pack) as url,
        aiohttp.ClientSession(base_url=url, cookie_jar=jar()) as http,
    ):
        async with http.get("/") as r:
            page = await r.text()
        assert '<html lang="en-GB"' in page and "<main" in page and 'for="name"' in page
        assert "default-src 'none'" in r.headers["Content-Security-Policy"]
        status, where, page = await submit(http, url, "/signin", {"name": "Sam"})
        assert status == 200 and where == "/" and "Choose an exercise" in page
        csrf = field(page, "csrf")
        status, where, page = await submit(
            http, url, "/start", {"csrf": csrf, "exercise": "kettle-day12", "mode": "practice"}
        )
        assert status == 200 and where.startswith("/attempts/new.practice.")
        assert 'aria-live="polite"' in page and "<legend>Choose your reply</legend>" in page
        assert "<img" not in page.split("<main", 1)[1]
        if "Manager" in page:
            assert "&lt;img src=x onerror=alert(1)&gt;Manager" in page
        turns = 0
        while "/debrief" not in where:
            turns += 1
            assert turns < 40
            action = re.search(r'<form method="post" action="([^"]+/reply)"', page).group(1)
            values = option_values(page)
            status, where, page = await submit(
                http,
                url,
                action,
                {"csrf": csrf, "turn": field(page, "turn"), "option": values[-1]},
            )
            assert status == 200, page
        assert "Debrief" in page and "Try this again" in page
        assert re.search(r"/attempts/\d+/debrief", where)
        async with http.get("/progress") as r:
            page = await r.text()
        assert r.status == 200 and "<h1>My progress</h1>" in page and '<th scope="col">' in page


async def test_typed_words_not_understood_are_shown_and_nothing_is_taken(db, pack):
    async with (
        running(db, pack=pack) as url,
        aiohttp.ClientSession(base_url=url, cookie_jar=jar()) as http,
    ):
        _s, _w, page = await submit(http, url, "/signin", {"name": "Typist"})
        csrf = field(page, "csrf")
        _s, where, page = await submit(
            http, url, "/start", {"csrf": csrf, "exercise": "kettle-day12", "mode": "practice"}
        )
        status, _w, page = await submit(
            http, url, f"{where}/reply", {"csrf": csrf, "turn": "1", "text": "<b>zzqx blorp</b>"}
        )
        assert status == 200 and "&lt;b&gt;zzqx blorp&lt;/b&gt;" in page
        assert "Turn 1" in page


async def test_an_activity_is_played_with_forms(db, pack):
    async with (
        running(db, pack=pack) as url,
        aiohttp.ClientSession(base_url=url, cookie_jar=jar()) as http,
    ):
        _s, _w, page = await submit(http, url, "/signin", {"name": "Ana"})
        csrf = field(page, "csrf")
        _s, where, page = await submit(
            http,
            url,
            "/start",
            {"csrf": csrf, "exercise": "sort-controllable-or-not", "mode": "practice"},
        )
        for _ in range(40):
            if "/debrief" in where:
                break
            action = re.search(r'<form method="post" action="([^"]+/reply)"', page).group(1)
            status, where, page = await submit(
                http,
                url,
                action,
                {"csrf": csrf, "turn": field(page, "turn"), "option": option_values(page)[0]},
            )
            assert status == 200, page
        assert "Results:" in page and "right" in page


async def test_forms_without_the_browsers_token_or_from_elsewhere_are_refused(db, pack):
    async with (
        running(db, pack=pack) as url,
        aiohttp.ClientSession(base_url=url, cookie_jar=jar()) as http,
    ):
        await submit(http, url, "/signin", {"name": "Sam"})
        status, _w, page = await submit(
            http, url, "/start", {"csrf": "0" * 32, "exercise": "kettle-day12"}
        )
        assert status == 403 and "expired" in page and "<html" in page
        async with http.post(
            "/start", data={"exercise": "kettle-day12"}, headers={"Origin": "http://evil.example"}
        ) as r:
            assert r.status == 403
        async with http.get("/attempts/12345") as r:
            assert r.status == 404 and "Not found" in await r.text()
    async with (
        running(db, pack=pack) as url,
        aiohttp.ClientSession(base_url=url, cookie_jar=jar()) as fresh,
    ):
        async with fresh.get("/progress") as r:  # not signed in: the sign-in page
            assert r.status == 200 and 'for="name"' in await r.text()


async def test_a_full_server_shows_a_page_that_says_so(db, pack):
    async with running(db, pack=pack, max_learners=1) as url:
        async with aiohttp.ClientSession(base_url=url, cookie_jar=jar()) as a:
            await submit(a, url, "/signin", {"name": "One"})
        async with aiohttp.ClientSession(base_url=url, cookie_jar=jar()) as b:
            await submit(b, url, "/signin", {"name": "Two"})
            async with b.get("/") as r:
                assert r.status == 503 and r.headers["Retry-After"] == "60"
                assert "try again in a minute" in await r.text()


async def test_did_you_mean_is_a_form_of_its_own(db):
    async with (
        running(db) as url,
        aiohttp.ClientSession(base_url=url, cookie_jar=jar()) as http,
    ):
        _s, _w, page = await submit(http, url, "/signin", {"name": "Dee"})
        csrf = field(page, "csrf")
        where = "/attempts/new.practice.3.faulty-toaster-day12"
        status, _w, page = await submit(
            http, url, f"{where}/reply", {"csrf": csrf, "turn": "1", "text": "refund"}
        )
        assert status == 200 and "Did you mean" in page and "No, none of these" in page
        form = page.split('<section class="suggest"', 1)[1].split("</form>", 1)[0]
        assert field(form, "text") == "refund" and field(form, "confirm") == "yes"
        option = re.findall(r'name="option" value="(\d+)"', form)[0]
        status, where, page = await submit(
            http,
            url,
            "/attempts/new.practice.3.faulty-toaster-day12/reply",
            {"csrf": csrf, "turn": "1", "text": "refund", "confirm": "yes", "option": option},
        )
        assert status == 200 and re.fullmatch(r"/attempts/\d+", where) and "Turn 2" in page
