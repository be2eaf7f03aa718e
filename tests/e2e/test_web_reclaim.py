"""Issue 28: a learner on a new browser takes their name back with a tutor's one-time code.

`countertalk learners reclaim NAME` (the real command) prints a code; a new browser signs in
with the name and the code (the JSON API and the form, JavaScript off) and carries on with the
old browser's attempt; the old browser has lost the name. A wrong, used or expired code is
refused with a clear page or JSON error.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import aiohttp
import pytest

from simulator.store import Store
from simulator.webguard import reclaim_digest
from tests.e2e.web_server import bearer, running, signin

CONVERSATION = "faulty-toaster-day12"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    return str(tmp_path / "web.db")


def reclaim_code(db: str, name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COUNTERTALK_DB=db)
    return subprocess.run(
        [sys.executable, "-m", "simulator", "learners", "reclaim", name, *extra],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip


def code_of(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 0, p.stderr
    m = re.search(r"One-time code for .+: ([A-Z0-9]{4}-[A-Z0-9]{4})\n", p.stdout)
    assert m, p.stdout
    return m.group(1)


async def post_json(http, path, body, token=None):
    headers = bearer(token) if token else {}
    async with http.post(path, json=body, headers=headers) as r:
        return r.status, await r.json()


async def test_a_code_moves_the_name_and_its_attempts_to_a_new_browser(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        old = await signin(http, "Sam Smith")
        status, started = await post_json(
            http, "/api/attempts", {"exercise": CONVERSATION, "seed": 2}, old
        )
        assert status == 201
        status, got = await post_json(
            http, f"/api/attempts/{started['attempt']}/replies", {"option": 1}, old
        )
        assert status == 200 and got["attempt"].isdigit()
        attempt = got["attempt"]

        async with aiohttp.ClientSession(base_url=url) as new_browser:
            status, err = await post_json(new_browser, "/api/signin", {"name": "Sam Smith"})
            assert status == 409 and "one-time code" in err["error"]
            # before the tutor makes a code, there is none to type
            status, err = await post_json(
                new_browser, "/api/signin", {"name": "Sam Smith", "reclaim": "KD7M-3QXA"}
            )
            assert status == 403 and "no code waiting" in err["error"]

            code = code_of(reclaim_code(db, "sam smith"))
            wrong = "AAAA-AAAA" if code != "AAAA-AAAA" else "CCCC-CCCC"
            status, err = await post_json(
                new_browser, "/api/signin", {"name": "Sam Smith", "reclaim": wrong}
            )
            assert status == 403 and "not the one your tutor gave" in err["error"]
            status, err = await post_json(
                new_browser, "/api/signin", {"name": "Sam Smith", "reclaim": "not a code!"}
            )
            assert status == 400 and "8 letters and digits" in err["error"]
            # typed loosely: lower case, no dash, spaces around
            loose = f"  {code.replace('-', '').lower()} "
            status, ok = await post_json(
                new_browser, "/api/signin", {"name": "Sam Smith", "reclaim": loose}
            )
            assert status == 200 and ok["learner"] == "Sam Smith", ok
            new = ok["token"]
            async with new_browser.get("/api/attempts", headers=bearer(new)) as r:
                mine = await r.json()
            assert [a["attempt"] for a in mine] == [attempt]  # the old browser's attempt
            async with new_browser.get(f"/api/attempts/{attempt}", headers=bearer(new)) as r:
                assert r.status == 200 and (await r.json())["turn"]["number"] == 2

        # the old browser has lost the name (its token names nobody now)
        async with http.get("/api/exercises", headers=bearer(old)) as r:
            assert r.status == 401
        # the code worked once
        async with aiohttp.ClientSession(base_url=url) as third:
            status, err = await post_json(
                third, "/api/signin", {"name": "Sam Smith", "reclaim": code}
            )
            assert status == 403 and "already been used" in err["error"]


async def test_an_expired_code_is_refused_and_a_page_says_so(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        await signin(http, "Ana")
        with Store(db) as store:  # a code whose time is up
            digest = reclaim_digest("KD7M3QXA")
            assert digest is not None
            assert store.issue_reclaim("Ana", digest, time.time() - 1)
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(base_url=url, cookie_jar=jar) as browser:
            status, err = await post_json(
                browser, "/api/signin", {"name": "Ana", "reclaim": "KD7M-3QXA"}
            )
            assert status == 403 and "expired" in err["error"]
            # the form, JavaScript off: the page says why, the code's field open
            async with browser.post(
                "/signin", data={"name": "Ana", "reclaim": "KD7M-3QXA"}, headers={"Origin": url}
            ) as r:
                page = await r.text()
                assert r.status == 403
            assert "That code has expired. Ask your tutor for a new one." in page
            assert re.search(r'<details class="reclaim" open>', page)
            assert 'role="alert"' in page


async def test_the_sign_in_form_takes_a_code_with_javascript_off(db):
    async with running(db) as url, aiohttp.ClientSession(base_url=url) as http:
        await signin(http, "Lee")
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(base_url=url, cookie_jar=jar) as browser:
            async with browser.post("/signin", data={"name": "Lee"}, headers={"Origin": url}) as r:
                page = await r.text()
                assert r.status == 409 and "one-time code" in page
            assert '<details class="reclaim" open>' in page  # what to do next, already open
            code = code_of(reclaim_code(db, "Lee"))
            async with browser.post(
                "/signin",
                data={"name": "Lee", "reclaim": code},
                headers={"Origin": url},
                allow_redirects=False,
            ) as r:
                assert r.status == 303, await r.text()
            async with browser.get("/") as r:
                assert "Lee" in await r.text() and r.status == 200
                assert "Choose an exercise" in await r.text()


def test_reclaim_for_a_name_nobody_has_is_said_plainly(db):
    with Store(db):
        pass
    p = reclaim_code(db, "Nobody Here")
    assert p.returncode == 1 and "nothing to move" in p.stderr and "Traceback" not in p.stderr
    p = reclaim_code(db, "<script>")
    assert p.returncode == 2 and "NAME" in p.stderr
