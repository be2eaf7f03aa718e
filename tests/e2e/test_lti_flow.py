"""`countertalk web` as an LTI 1.3 tool against an independent platform implementation
(lti1p3platform, behind tests/lti_platform.py), over real HTTP: registration with
`countertalk lti register`, a tutor's deep link, a learner's launch and attempt, the score in
the platform's gradebook; the refusals (a tampered token, a wrong audience, a replayed launch,
an expired token) as clear pages; and a platform that is down when the attempt ends getting
the score on the next run, exactly once.

The Chromium journey is in test_lti_browser.py.
"""

from __future__ import annotations

import asyncio
import re
from html import unescape

import aiohttp
import pytest

from simulator.cli import main
from simulator.store import Store
from simulator.store.lti import ags_outbox
from tests.e2e.web_server import running
from tests.lti_platform import CLIENT_ID, COURSE, Platform

CONVERSATION = "faulty-toaster-day12"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    return str(tmp_path / "lti.db")


@pytest.fixture
def any_db(location, tmp_path, monkeypatch):
    """The results store on SQLite, then on PostgreSQL (the tool's whole flow on both)."""
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    return str(location)


@pytest.fixture
def platform():
    p = Platform()
    p.start()
    yield p
    p.stop()


def register(db: str, tool: str, platform: Platform, capsys) -> str:
    platform.register_tool(tool)
    assert main(["--db", db, "lti", "register", "--url", tool, "--allow-http"]) == 0
    shown = capsys.readouterr().out
    assert f"{tool}/lti/login" in shown and f"{tool}/lti/jwks" in shown
    assert main(["--db", db, "lti", "register", "--url", tool, *platform.register_args()]) == 0
    assert "Registered Test VLE" in capsys.readouterr().out
    return shown


def browser() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def vle_launch(http: aiohttp.ClientSession, platform: Platform, url: str) -> None:
    """Open ``url`` on the VLE: its login redirect, the tool's login, the VLE's signed form."""
    async with http.get(url) as r:
        assert r.status == 200, await r.text()
        assert 'name="id_token"' in await r.text()


LAST_HEADERS: dict[str, str] = {}


async def post_launch(
    http: aiohttp.ClientSession,
    platform: Platform,
    launch: dict[str, str] | None = None,
    *,
    replay: bool = False,
) -> tuple[int, str]:
    """The VLE's form, posted as a browser would (from the VLE's page: its Origin). ``replay``:
    as an attacker who captured the form would, with the state cookie made to match."""
    sent = launch or platform.last_launch
    assert sent is not None
    headers = {"Origin": platform.url}
    if replay:
        headers["Cookie"] = f"countertalk_lti_state={sent['state']}"
    async with http.post(
        sent["to"],
        data={"id_token": sent["id_token"], "state": sent["state"]},
        headers=headers,
    ) as r:
        LAST_HEADERS.clear()
        LAST_HEADERS.update(r.headers)
        return r.status, await r.text()


async def deep_link(http, platform: Platform, tool: str, exercise: str, mode: str) -> None:
    await vle_launch(http, platform, platform.deep_link_url())
    status, page = await post_launch(http, platform)
    assert status == 200, page
    assert "Choose what this activity opens" in page
    # the picker may be shown inside the VLE's page (only by the VLE), and only it
    assert f"frame-ancestors 'self' {platform.url}" in LAST_HEADERS["Content-Security-Policy"]
    assert "X-Frame-Options" not in LAST_HEADERS
    assert COURSE not in page and "Customer Service &lt;b&gt;Level 2&lt;/b&gt;" in page
    key = re.search(r'name="request" value="([^"]+)"', page)
    assert key is not None
    async with http.post(
        tool + "/lti/deep-link",
        data={"request": key.group(1), "exercise": exercise, "mode": mode},
        headers={"Origin": tool},
    ) as r:
        assert r.status == 200, await r.text()
        back = await r.text()
        csp = r.headers["Content-Security-Policy"]
    assert f"form-action 'self' {platform.url}" in csp
    form = re.search(r'<form method="post" action="([^"]+)" data-autosubmit', back)
    action = unescape(form.group(1))
    jwt = re.search(r'name="JWT" value="([^"]+)"', back).group(1)
    assert action == platform.url + "/deep-link-return"
    async with http.post(action, data={"JWT": jwt}) as r:
        assert r.status == 200, await r.text()
    assert platform.deep_link_errors == []


async def play_to_end(http, tool: str, where: str) -> str:
    """Answer the first option of every turn until the attempt ends; its saved number."""
    ref = where.rsplit("/", 1)[1]
    headers = {"Origin": tool}
    async with http.get(f"{tool}/api/attempts/{ref}") as r:
        data = await r.json()
    for _ in range(40):
        if data["ended"]:
            return str(data["attempt"])
        option = data["turn"]["options"][0]["number"]
        answer = {"options": [option]} if data["turn"].get("multi") else {"option": option}
        async with http.post(
            f"{tool}/api/attempts/{data['attempt']}/replies", json=answer, headers=headers
        ) as r:
            assert r.status == 200, await r.text()
            data = await r.json()
    raise AssertionError("the attempt never ended")


async def learner_launch(http, platform: Platform, link: str, user: str) -> str:
    await vle_launch(http, platform, platform.launch_url(link, user))
    status, page = await post_launch(http, platform)
    assert status == 200, page
    where = re.search(r'<a href="([^"]+)" data-follow', page)
    assert where is not None, page
    return unescape(where.group(1))


async def wait_for(predicate, timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.1)):
        if predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


async def test_register_deep_link_launch_play_and_score(any_db, platform, capsys):
    db = any_db
    async with running(db) as tool:
        register(db, tool, platform, capsys)
        async with browser() as tutor:
            await deep_link(tutor, platform, tool, CONVERSATION, "assess")
        assert list(platform.columns) == ["col1"]
        column = platform.columns["col1"]
        assert column.custom == {"exercise": CONVERSATION, "mode": "assess"}

        platform.add_user("learner-7", "Sam <script>O'Brien</script>")
        async with browser() as learner:
            where = await learner_launch(learner, platform, "link1", "learner-7")
            assert where.startswith("/attempts/new.assess.")
            async with learner.get(tool + where) as r:
                page = await r.text()
            # the learner is who the VLE said (no name prompt), shown as text
            assert "Sam O&#39;Brien" in page and "<script>" not in page
            attempt = await play_to_end(learner, tool, where)

        await wait_for(lambda: platform.columns["col1"].results)
        assert LAST_HEADERS["X-Frame-Options"] == "DENY"  # a learner's page is never framed
        score = platform.columns["col1"].results["learner-7"]
        with Store(db) as store:
            record = store.attempt(int(attempt))
        assert score["scoreGiven"] == record.percent and score["scoreMaximum"] == 100
        assert score["comment"].startswith(str(record.grade))
        assert score["activityProgress"] == "Completed"
        assert score["gradingProgress"] == "FullyGraded"
        assert len(platform.columns["col1"].accepted) == 1
        async with browser() as anyone:
            async with anyone.get(platform.url + "/gradebook") as r:
                book = await r.json()
        assert book["col1"]["results"]["learner-7"]["scoreGiven"] == record.percent

        # a second launch by the same person is the same learner
        async with browser() as again:
            await learner_launch(again, platform, "link1", "learner-7")
        with Store(db) as store:
            assert {a.learner for a in store.attempts()} == {record.learner}


async def test_an_activity_deep_linked_and_played_scores_too(db, platform, capsys):
    async with running(db) as tool:
        register(db, tool, platform, capsys)
        async with browser() as tutor:
            # "assessed" means nothing to an activity: the link says practice
            await deep_link(tutor, platform, tool, "sort-controllable-or-not", "assess")
        assert platform.columns["col1"].custom == {
            "exercise": "sort-controllable-or-not",
            "mode": "practice",
        }
        platform.add_user("learner-5", "Ada Lovelace")
        async with browser() as learner:
            where = await learner_launch(learner, platform, "link1", "learner-5")
            attempt = await play_to_end(learner, tool, where)
        await wait_for(lambda: platform.columns["col1"].results)
        with Store(db) as store:
            record = store.attempt(int(attempt))
        assert record.mode == "activity" and record.learner == "Ada Lovelace"
        assert platform.columns["col1"].results["learner-5"]["scoreGiven"] == record.percent


async def test_a_link_to_an_exercise_no_longer_in_the_pack_says_so(db, platform, capsys):
    async with running(db) as tool:
        register(db, tool, platform, capsys)
        async with browser() as tutor:
            await deep_link(tutor, platform, tool, CONVERSATION, "practice")
        platform.columns["col1"].custom["exercise"] = "an-exercise-since-removed"
        platform.add_user("learner-4", "Noor Khan")
        async with browser() as learner:
            await vle_launch(learner, platform, platform.launch_url("link1", "learner-4"))
            status, page = await post_launch(learner, platform)
        assert status == 200 and "not available any more" in page
        assert "an-exercise-since-removed" not in page and "data-follow" not in page


async def refused(http, platform, tool) -> tuple[int, str]:
    await vle_launch(http, platform, platform.deep_link_url())
    return await post_launch(http, platform)


def assert_clear_refusal(status: int, page: str, words: str) -> None:
    assert 400 <= status < 500, (status, page)
    assert "This activity could not be opened" in page
    assert words in page, page
    assert "Traceback" not in page and "jwt" not in page.lower()


async def test_each_bad_launch_is_refused_with_a_clear_page(db, platform, capsys):
    async with running(db) as tool:
        register(db, tool, platform, capsys)
        async with browser() as http:
            platform.tamper = True
            assert_clear_refusal(*await refused(http, platform, tool), "changed on the way")
            platform.tamper = False

            platform.audience = "some-other-tool"
            assert_clear_refusal(*await refused(http, platform, tool), "wrong audience")
            platform.audience = None

            platform.expire = -300  # signed by lti1p3platform with exp five minutes ago
            assert_clear_refusal(*await refused(http, platform, tool), "has expired")
            platform.expire = 300

            status, page = await refused(http, platform, tool)
            assert status == 200, page  # the same launch, untouched, is taken once ...
            first = dict(platform.last_launch)
            status, page = await post_launch(http, platform, first, replay=True)
            assert_clear_refusal(status, page, "already been used")  # ... and never again
            # the same from the browser, whose launch cookie went with the first use
            status, page = await post_launch(http, platform, first)
            assert_clear_refusal(status, page, "did not keep")
            # an old token with a new login: its nonce is not the new login's
            await vle_launch(http, platform, platform.deep_link_url())
            new = dict(platform.last_launch)
            status, page = await post_launch(http, platform, {**new, "id_token": first["id_token"]})
            assert_clear_refusal(status, page, "nonce")
        # the refusals created no learner and no attempt
        with Store(db) as store:
            assert store.attempts() == []


async def test_login_from_an_unregistered_platform_is_refused(db, platform, capsys):
    async with running(db) as tool:
        platform.register_tool(tool)  # the VLE knows the tool; the tool does not know it
        async with browser() as http, http.get(platform.deep_link_url()) as r:
            page = await r.text()
            assert r.status == 403
        assert "not registered with CounterTalk" in page and "Traceback" not in page


async def test_platform_down_at_score_time_gets_the_score_next_run_exactly_once(
    any_db, platform, capsys
):
    db = any_db
    async with running(db) as tool:
        register(db, tool, platform, capsys)
        async with browser() as tutor:
            await deep_link(tutor, platform, tool, CONVERSATION, "practice")
        platform.add_user("learner-9", "Priya Shah")
        platform.down = True
        async with browser() as learner:
            where = await learner_launch(learner, platform, "link1", "learner-9")
            attempt = await play_to_end(learner, tool, where)
        box = ags_outbox(platform.url, CLIENT_ID)

        def tried() -> bool:
            with Store(db) as store:
                return store.outbox_counts(box) == (1, 0)

        await wait_for(tried)
        await asyncio.sleep(1.0)  # the sender has tried by now (it is woken at the end)
        assert platform.columns["col1"].results == {}
    # the server stopped with the score waiting; the VLE comes back
    with Store(db) as store:
        assert store.outbox_counts(box) == (1, 0)
    platform.down = False
    async with running(db) as tool:  # the next run sends what waited, when it starts
        await wait_for(lambda: platform.columns["col1"].results)
        assert main(["--db", db, "lti", "send"]) == 0  # and nothing more, however often asked
    assert "scores sent: 0" in capsys.readouterr().out
    accepted = platform.columns["col1"].accepted
    assert len(accepted) == 1 and accepted[0]["userId"] == "learner-9"
    with Store(db) as store:
        assert store.outbox_counts(box) == (0, 1)
        assert store.attempt(int(attempt)).percent == accepted[0]["scoreGiven"]


async def test_a_score_whose_reply_was_lost_is_in_the_gradebook_once(db, platform, capsys):
    async with running(db) as tool:
        register(db, tool, platform, capsys)
        async with browser() as tutor:
            await deep_link(tutor, platform, tool, CONVERSATION, "assess")
        platform.add_user("learner-2", "Lee Chan")
        platform.lose_replies = 1  # the VLE stores the score, but its reply never arrives
        async with browser() as learner:
            where = await learner_launch(learner, platform, "link1", "learner-2")
            await play_to_end(learner, tool, where)
        await wait_for(lambda: platform.columns["col1"].results)
        box = ags_outbox(platform.url, CLIENT_ID)
        with Store(db) as store:
            assert store.outbox_counts(box) == (1, 0)  # so it waits, to be sent again
        assert main(["--db", db, "lti", "send"]) == 0
        assert "already there: 1" in capsys.readouterr().out
    with Store(db) as store:
        assert store.outbox_counts(box) == (0, 1)
    assert len(platform.columns["col1"].accepted) == 1
