"""`countertalk web` in Debian's Chromium (Playwright): a learner signs in and plays a shipped
conversation to its debrief with the keyboard alone; axe-core finds no violation on the picker,
a turn, the debrief and the progress map (in both themes); with JavaScript on, the sign-in and
every answer go through the JSON API and each turn is redrawn in place (no page loads until the
debrief); with JavaScript off the same journey finishes with forms.

axe-core comes from the npm registry (.ci/install.d/60-axe-core.sh puts it in .ci/axe). Without
it — or without Chromium — this is skipped on a developer's machine and FAILS in CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.web_server import running

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CONVERSATION = "faulty-toaster-day12"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = bool(os.environ.get("CI"))


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} (CI installs it: see .ci/install.d)", pytrace=False)
    pytest.skip(what, allow_module_level=True)


if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
    _missing("Chromium is not installed (apt-get install chromium)")
if not AXE.is_file():
    _missing(f"axe-core is not installed at {AXE} (run .ci/install.d/60-axe-core.sh)")
if not IN_CI:
    pytest.importorskip("playwright.async_api")
from playwright.async_api import async_playwright  # noqa: E402


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    return str(tmp_path / "web.db")


async def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.x A/AA (and best-practice) violations on the page as it is now."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluate: not subject to CSP
    result = await page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => v.id + ': ' + v.help + ' @ ' +
                v.nodes.map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return list(result)


async def focused(page) -> str:
    return str(
        await page.evaluate(
            "(() => { const e = document.activeElement; return e ? (e.id || e.tagName) + '|' + "
            "(e.getAttribute('name') || '') + '|' + (e.textContent || '').trim().slice(0, 80) "
            ": ''; })()"
        )
    )


async def tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if await page.evaluate(
            f"document.activeElement && document.activeElement.matches({selector!r})"
        ):
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


async def test_keyboard_only_journey_with_no_axe_violations(db):
    async with running(db) as url, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 800})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            # what the page asks of the server: whole pages, and the JSON API behind them
            documents: list[str] = []
            api: list[str] = []
            page.on(
                "request",
                lambda r: (
                    documents.append(f"{r.method} {r.url.removeprefix(url)}")
                    if r.resource_type == "document"
                    else api.append(f"{r.method} {r.url.removeprefix(url)}")
                    if "/api/" in r.url
                    else None
                ),
            )
            await page.goto(url + "/")
            assert await page.evaluate("document.documentElement.lang") == "en-GB"
            assert await axe_violations(page) == []
            await tab_to(page, "#name")
            await page.keyboard.type("Robin Keys")
            async with page.expect_navigation():
                await page.keyboard.press("Enter")
            # with JavaScript on, the sign-in went through the API (then the picker loaded)
            assert api == ["POST /api/signin"], api
            assert "POST /signin" not in documents, documents
            assert await page.get_by_role("heading", name="Choose an exercise").is_visible()
            assert await axe_violations(page) == [], "picker"
            # the check can fail: a button with no name is found
            await page.evaluate(
                "document.querySelector('main').append(document.createElement('button'))"
            )
            assert any(v.startswith("button-name") for v in await axe_violations(page))
            await page.evaluate("document.querySelector('main > button:last-child').remove()")

            await tab_to(page, f'button[value="practice"][aria-describedby="ex-{CONVERSATION}"]')
            async with page.expect_navigation(url="**/attempts/new.practice.*"):
                await page.keyboard.press("Enter")
            pages_before = len(documents)
            # words it cannot place: the customer says so (drawn from the API's answer)
            await tab_to(page, "#text")
            await page.keyboard.type("purple elephants dance on the moon")
            await page.keyboard.press("Tab")
            async with page.expect_response(lambda r: r.url.endswith("/replies")) as got:
                await page.keyboard.press("Enter")
            assert (await (await got.value).json())["status"] == "not_understood"
            await page.wait_for_function("document.activeElement.id === 'line'")
            assert "purple elephants" in await page.locator("#line").inner_text()
            assert await axe_violations(page) == [], "not understood"
            turns = 0
            while "/debrief" not in page.url:
                turns += 1
                assert turns < 40
                # the new customer line has the focus (a screen reader reads it) ...
                assert (await focused(page)).startswith("line|"), await focused(page)
                assert await page.locator("#line").get_attribute("aria-live") == "polite"
                if turns <= 2:
                    assert await axe_violations(page) == [], f"turn {turns}"
                # ... and the next Tab is the first option
                await page.keyboard.press("Tab")
                assert (await focused(page)).split("|")[1] == "option"
                async with page.expect_response(lambda r: r.url.endswith("/replies")) as got:
                    await page.keyboard.press("Enter")
                try:
                    answer = await (await got.value).json()
                except Exception:  # the last answer: Chromium dropped the body on leaving
                    await page.wait_for_url("**/debrief")
                    answer = {"status": "taken", "ended": True}
                assert answer["status"] == "taken", answer
                if answer["ended"]:
                    await page.wait_for_url("**/debrief")
                    await page.wait_for_load_state()
                else:  # redrawn in place: the next turn's number, the focus on its line
                    await page.wait_for_function(
                        "n => document.getElementById('turn-meta').textContent"
                        ".startsWith('Turn ' + n) && document.activeElement.id === 'line'",
                        arg=answer["turn"]["number"],
                    )
            # every answer went through the JSON API; no turn reloaded the page
            replies = [a for a in api if a.endswith("/replies")]
            assert len(replies) == turns + 1 and all(a.startswith("POST ") for a in replies)
            assert len(documents) == pages_before + 1, documents[pages_before:]  # the debrief
            assert await page.locator("main h1").first.is_visible()
            assert await axe_violations(page) == [], "debrief"
            debrief_path = page.url.removeprefix(url)
            await page.goto(url + "/progress")
            assert await axe_violations(page) == [], "progress map"
            # the high-contrast theme, switched on by keyboard, passes too
            await tab_to(page, "button[aria-pressed]")
            async with page.expect_navigation():
                await page.keyboard.press("Enter")
            assert await page.evaluate("document.documentElement.className") == "high-contrast"
            assert await axe_violations(page) == [], "progress map, high contrast"
            await page.goto(url + "/")
            assert await axe_violations(page) == [], "picker, high contrast"
            assert not [e for e in errors if "Content Security Policy" in e], errors
            # narrow and zoomed: nothing wider than the window
            small = await browser.new_page(viewport={"width": 360, "height": 740})
            await small.context.add_cookies(await page.context.cookies())
            for path in ("/", "/progress", debrief_path):
                await small.goto(url + path)
                assert await small.evaluate("document.documentElement.scrollWidth <= 360"), path
        finally:
            await browser.close()


async def test_the_journey_finishes_with_javascript_off(db):
    async with running(db) as url, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = await browser.new_context(java_script_enabled=False)
            page = await context.new_page()
            await page.goto(url + "/")
            await page.fill("#name", "No Script")
            async with page.expect_navigation():
                await page.click("button[type=submit].primary")
            async with page.expect_navigation(url="**/attempts/**"):
                await page.click(f'button[value="practice"][aria-describedby="ex-{CONVERSATION}"]')
            turns = 0
            while "/debrief" not in page.url:
                turns += 1
                assert turns < 40
                async with page.expect_navigation():
                    await page.locator('#options button[name="option"]').last.click()
            assert "Debrief" in await page.title()
            assert await page.get_by_role("button", name="Try this again").is_visible()
        finally:
            await browser.close()


async def test_a_taken_name_is_said_in_place_and_a_tutors_code_takes_it_back(db):
    import re
    import subprocess
    import sys

    async with running(db) as url, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            first = await browser.new_page()
            await first.goto(url + "/")
            await first.fill("#name", "Kim Lee")
            async with first.expect_navigation():
                await first.keyboard.press("Enter")
            page = await (await browser.new_context()).new_page()  # another browser
            await page.goto(url + "/")
            await page.fill("#name", "Kim Lee")
            async with page.expect_response("**/api/signin") as got:
                await page.keyboard.press("Enter")
            assert (await got.value).status == 409
            # said in place, with the focus on it, and the one-time code's field opened
            await page.wait_for_function("document.activeElement.id === 'problem'")
            assert "one-time code" in await page.locator("#problem[role=alert]").inner_text()
            assert await page.locator("details.reclaim").get_attribute("open") is not None
            assert await axe_violations(page) == [], "sign-in, name taken"
            made = subprocess.run(
                [sys.executable, "-m", "simulator", "learners", "reclaim", "Kim Lee"],
                capture_output=True, text=True, timeout=60,
                env={**os.environ, "COUNTERTALK_DB": db},
            )  # fmt: skip
            code = re.search(r": ([A-Z0-9]{4}-[A-Z0-9]{4})", made.stdout)
            assert code, made.stdout + made.stderr
            await page.fill("#reclaim", code.group(1))
            async with page.expect_navigation():
                await page.click("button[type=submit].primary")
            assert await page.get_by_role("heading", name="Choose an exercise").is_visible()
            assert "Kim Lee" in await page.locator(".who").inner_text()
        finally:
            await browser.close()
