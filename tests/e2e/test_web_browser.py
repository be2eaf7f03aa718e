"""`countertalk web` in Debian's Chromium (Playwright): a learner signs in and plays a shipped
conversation to its debrief with the keyboard alone; axe-core finds no violation on the picker,
a turn, the debrief and the progress map (in both themes); with JavaScript off the same journey
finishes.

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
            await page.goto(url + "/")
            assert await page.evaluate("document.documentElement.lang") == "en-GB"
            assert await axe_violations(page) == []
            await tab_to(page, "#name")
            await page.keyboard.type("Robin Keys")
            async with page.expect_navigation():
                await page.keyboard.press("Enter")
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
            turns = 0
            while "/debrief" not in page.url:
                turns += 1
                assert turns < 40
                # the new customer line has the focus (a screen reader reads it) ...
                assert (await focused(page)).startswith("line|"), await focused(page)
                if turns <= 2:
                    assert await axe_violations(page) == [], f"turn {turns}"
                # ... and the next Tab is the first option
                await page.keyboard.press("Tab")
                assert (await focused(page)).split("|")[1] == "option"
                async with page.expect_navigation():
                    await page.keyboard.press("Enter")
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
