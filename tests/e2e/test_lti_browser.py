"""The LTI journey in Debian's Chromium (Playwright), against the independent platform
(lti1p3platform behind tests/lti_platform.py): the VLE's administrator registers CounterTalk
(`countertalk lti register`), a tutor adds an activity by deep linking (choosing an exercise in
CounterTalk's page, which posts the signed choice back), a learner opens it from the course
(no name asked), plays it to the debrief, and the score is in the VLE's gradebook.

Without Chromium this is skipped on a developer's machine and FAILS in CI.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.store import Store
from tests.e2e.web_server import running
from tests.lti_platform import Platform

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CONVERSATION = "faulty-toaster-day12"
AXE = (
    Path(__file__).resolve().parents[2] / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
)

if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed (see .ci/install.d)", pytrace=False)
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)
if not os.environ.get("CI"):
    pytest.importorskip("playwright.async_api")
from playwright.async_api import async_playwright  # noqa: E402


async def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations (as tests/e2e/test_web_browser.py runs it)."""
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is not installed at {AXE}")
        return []  # a developer's machine without it: the page's other checks still run
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => v.id + ': ' + v.help);
        }"""
    )
    return list(result)


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    return str(tmp_path / "lti.db")


@pytest.fixture(params=["same-site", "cross-site", "cross-site-framed"])
def site(request):
    return request.param


@pytest.fixture
def platform(site):
    # cross-site: the VLE on "localhost", CounterTalk on 127.0.0.1 — two sites, as in a
    # college, so the launch is a cross-site POST and its state cookie must be SameSite=None;
    # Secure (what an https --public-url gives; Chromium keeps Secure cookies of loopback)
    p = Platform("localhost" if site.startswith("cross-site") else "127.0.0.1")
    p.start()
    yield p
    p.stop()


async def test_deep_link_then_launch_and_play_in_chromium_puts_the_score_in_the_gradebook(
    db, platform, site, capsys
):
    cross = site.startswith("cross-site")
    async with running(db, secure_cookie=cross) as tool, async_playwright() as pw:
        platform.register_tool(tool)
        assert main(["--db", db, "lti", "register", "--url", tool, *platform.register_args()]) == 0
        # framed: with third-party cookies blocked, as Chrome's phase-out and Safari do
        blocked = ["--test-third-party-cookie-phaseout"] if site == "cross-site-framed" else []
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS + blocked)
        try:
            # the tutor adds the activity from the course page
            tutor = await browser.new_page()
            errors: list[str] = []
            tutor.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            if site == "cross-site-framed":  # the picker inside the VLE's page, as in Moodle
                await tutor.goto(platform.url + "/course/add-activity-framed?user=tutor-1")
                picker = tutor.frame_locator("iframe")
            else:
                await tutor.goto(platform.deep_link_url())
                picker = tutor.locator("html")
            heading = picker.get_by_role("heading", name="Choose what this activity opens")
            await heading.wait_for()
            if site == "same-site":
                assert await axe_violations(tutor) == [], "the deep-linking picker"
            assert "Customer Service <b>Level 2</b>" in await picker.locator("main").inner_text()
            await picker.locator(f"#ex-{CONVERSATION}").check()
            await picker.locator("#mode-assess").check()
            await picker.get_by_role("button", name="Add this exercise").click()
            await picker.get_by_role("heading", name="Activity added").wait_for()
            assert platform.deep_link_errors == []
            assert [c.custom for c in platform.columns.values()] == [
                {"exercise": CONVERSATION, "mode": "assess"}
            ]

            # a learner opens it: no name asked, straight into the conversation
            platform.add_user("learner-3", "Jordan Ellis")
            context = await browser.new_context()
            page = await context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            await page.goto(platform.launch_url("link1", "learner-3"))
            await page.wait_for_url("**/attempts/new.assess.*")
            assert "Signed in as Jordan Ellis" in await page.locator("header").inner_text()
            turns = 0
            while "/debrief" not in page.url:
                turns += 1
                assert turns < 40
                # the page's script sends the answer to the JSON API and redraws the turn
                async with page.expect_response(lambda r: r.url.endswith("/replies")) as got:
                    await page.locator('#options button[name="option"]').first.click()
                try:
                    answer = await (await got.value).json()
                except Exception:  # the last answer: the page has gone on to the debrief
                    answer = {"status": "taken", "ended": True}
                assert answer["status"] == "taken", answer
                if answer["ended"]:
                    await page.wait_for_url("**/debrief")
                    await page.wait_for_load_state()
                else:
                    await page.wait_for_function(
                        "n => document.getElementById('turn-meta').textContent"
                        ".startsWith('Turn ' + n)",
                        arg=answer["turn"]["number"],
                    )
            assert "Debrief" in await page.title()
            assert not [e for e in errors if "Content Security Policy" in e], errors

            # an expired launch: a clear page, accessible too
            platform.expire = -300
            await page.goto(platform.launch_url("link1", "learner-3"))
            await page.get_by_role("heading", name="This activity could not be opened").wait_for()
            assert "expired" in await page.get_by_role("alert").inner_text()
            if site == "same-site":
                assert await axe_violations(page) == [], "the refusal page"
        finally:
            await browser.close()

        for _ in range(200):  # the score goes as the attempt ends (the sender is woken)
            if platform.columns["col1"].results:
                break
            await asyncio.sleep(0.1)
        score = platform.columns["col1"].results["learner-3"]
        with Store(db) as store:
            (attempt,) = store.attempts(learner="Jordan Ellis")
        assert attempt.finished_at is not None and attempt.mode == "assess"
        assert score["scoreGiven"] == attempt.percent and score["scoreMaximum"] == 100
        assert score["comment"].startswith(str(attempt.grade))
        assert len(platform.columns["col1"].accepted) == 1
