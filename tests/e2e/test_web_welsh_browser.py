"""Issue 32 on the web page: a browser that asks for Welsh (Accept-Language: cy) gets every page
with `lang="cy"`, plays the Welsh conversation to its debrief with no English in what a learner
reads, and axe-core finds no violation on the sign-in page, the picker, a turn and the debrief.
A browser that asks for English still gets English, and `?lang=` switches (and is remembered)."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright  # noqa: E402  (skipped above when missing)

from tests.e2e.test_web_browser import ARGS, CHROMIUM, axe_violations
from tests.e2e.test_welsh_plain import english_in
from tests.e2e.web_server import running

CONVERSATION = "spill-in-aisle"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COUNTERTALK_LANG", raising=False)
    return str(tmp_path / "web.db")


async def english_on(page) -> list[str]:
    text = await page.locator("main").inner_text()
    return [f"{english_in(line)}: {line}" for line in text.splitlines() if english_in(line)]


async def test_a_welsh_browser_plays_in_welsh_with_no_axe_violations(db):
    async with running(db) as url, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = await browser.new_context(
                locale="cy-GB", extra_http_headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}
            )
            page = await context.new_page()
            await page.goto(url + "/")
            assert await page.evaluate("document.documentElement.lang") == "cy"
            assert await page.get_by_role("heading", name="Mewngofnodi").is_visible()
            assert await axe_violations(page) == [], "sign in"
            await page.fill("#name", "Siôn Prys")
            async with page.expect_navigation():
                await page.keyboard.press("Enter")
            assert await page.get_by_role("heading", name="Dewiswch ymarfer").is_visible()
            assert await axe_violations(page) == [], "picker"
            card = page.locator(f"#ex-{CONVERSATION}")
            assert (
                await card.inner_text()
                == "Hylif glanhau'n gollwng yn eil 7 — perygl sy'n cael ei adrodd yn y siop"
            )
            async with page.expect_navigation(url="**/attempts/**"):
                await page.click(f'button[value="practice"][aria-describedby="ex-{CONVERSATION}"]')
            turns = 0
            while "/debrief" not in page.url:
                turns += 1
                assert turns < 40
                assert await page.evaluate("document.documentElement.lang") == "cy"
                if turns <= 2:
                    assert await axe_violations(page) == [], f"turn {turns}"
                assert await english_on(page) == [], f"turn {turns}"
                # the page's script answers through the JSON API and redraws the turn in Welsh
                async with page.expect_response(lambda r: r.url.endswith("/replies")) as got:
                    await page.locator('#options button[name="option"]').first.click()
                try:
                    answer = await (await got.value).json()
                except Exception:  # the last answer: Chromium dropped the body on leaving
                    answer = {"ended": True}
                if answer["ended"]:
                    await page.wait_for_url("**/debrief")
                    await page.wait_for_load_state()
                else:
                    await page.wait_for_function(
                        "n => document.getElementById('turn-meta').textContent.includes(n)",
                        arg=str(answer["turn"]["number"]),
                    )
            assert await page.evaluate("document.documentElement.lang") == "cy"
            assert "Ôl-drafodaeth" in await page.title()
            assert await axe_violations(page) == [], "debrief"
            assert await english_on(page) == [], "debrief"
            assert await page.get_by_text("Iaith yr ymgais: Cymraeg.").is_visible()
            # the progress map: the course's marking points in Welsh
            await page.goto(url + "/progress")
            assert await page.evaluate("document.documentElement.lang") == "cy"
            assert await page.get_by_role("heading", name="Fy nghynnydd").is_visible()
            assert await axe_violations(page) == [], "progress"
            # All of it, the "what to do next" cards too: they name each exercise by its Welsh
            # title; one with no Welsh table yet keeps its English title (the fallback), and
            # exactly those titles are taken out of a line before it is scanned.
            from tests.e2e.test_welsh_progress import _without, english_titles

            shown = await page.locator("main").inner_text()
            assert shown.count("\n") > 20 and "Ymarfer:" in shown
            lines = [_without(line, english_titles()) for line in shown.splitlines()]
            assert [line for line in lines if english_in(line)] == []
        finally:
            await browser.close()


async def test_english_by_default_and_lang_switches_and_is_remembered(db):
    async with running(db) as url, async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = await browser.new_context(extra_http_headers={"Accept-Language": "en-GB"})
            page = await context.new_page()
            await page.goto(url + "/")
            assert await page.evaluate("document.documentElement.lang") == "en-GB"
            assert await page.get_by_role("heading", name="Sign in").is_visible()
            switch = page.locator('a[hreflang="cy"]')
            assert await switch.inner_text() == "Cymraeg"
            async with page.expect_navigation():
                await switch.click()
            assert await page.evaluate("document.documentElement.lang") == "cy"
            await page.goto(url + "/")  # the choice is remembered over Accept-Language
            assert await page.get_by_role("heading", name="Mewngofnodi").is_visible()
            assert await axe_violations(page) == []
        finally:
            await browser.close()
