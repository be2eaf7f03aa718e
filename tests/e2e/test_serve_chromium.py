"""`countertalk serve` in a real browser (Chromium): the sign-in form, then the app, offline.

Catches what a websocket client cannot: how a browser really sends Origin (a page with
`Referrer-Policy: no-referrer` posts its form with `Origin: null`), that the page works out the
websocket's address itself, and that nothing is fetched from anywhere but this server.
"""

from __future__ import annotations

import shutil

import pytest
from services import missing
from test_serve_learners import Served

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed (pip install playwright)")
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        missing("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
def test_two_learners_sign_in_and_get_the_app_from_this_server_only(chromium, tmp_path, location):
    s = Served(tmp_path, location, "--class-code", "owl7")
    try:
        pages = []
        for name in ("Alice Smith", "Bob Jones"):
            # each its own browser profile (cookies); bypass_csp only lets the test read the page
            page = chromium.new_context(bypass_csp=True, viewport={"width": 1000, "height": 640})
            page = page.new_page()
            fetched: list[str] = []
            page.on("request", lambda r, fetched=fetched: fetched.append(r.url))
            page.goto(s.base + "/")
            page.fill("#name", name)
            page.fill("#code", "owl7")
            page.click("button[type=submit]")
            page.wait_for_load_state()
            # the app connected over the websocket and drew its first screen
            page.wait_for_function(
                "document.body && document.body.classList.contains('-first-byte')", timeout=60000
            )
            assert name in page.inner_text(".loading")
            pages.append((page, fetched))
        for _page, fetched in pages:
            assert fetched and all(u.startswith(s.base + "/") for u in fetched), fetched
            assert any("static/fonts/" in u for u in fetched)  # the bundled font, not a CDN
        # the same name from the second browser is refused
        bob = pages[1][0]
        bob.goto(s.base + "/")  # already signed in: the app again, not the form
        assert bob.locator("#name").count() == 0
        other = chromium.new_context().new_page()
        other.goto(s.base + "/")
        other.fill("#name", "Alice Smith")
        other.fill("#code", "owl7")
        other.click("button[type=submit]")
        assert "already in use on another browser" in other.inner_text("body")
    finally:
        s.stop()


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
def test_the_app_takes_the_keyboard_says_who_is_signed_in_and_a_focusing_click_opens_nothing(
    chromium, tmp_path, location
):
    """Issue 30: typing did nothing until the page was clicked, that first click opened the
    row it landed on, and nothing showed which learner was signed in."""
    s = Served(tmp_path, location, "--class-code", "owl7")
    try:
        page = chromium.new_context(bypass_csp=True, viewport={"width": 1000, "height": 640})
        page = page.new_page()
        page.goto(s.base + "/")
        page.fill("#name", "Alice Smith")
        page.fill("#code", "owl7")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.wait_for_function(
            "document.body && document.body.classList.contains('-first-byte')", timeout=60000
        )
        assert page.inner_text("#signed-in") == "Signed in as Alice Smith"
        page.wait_for_function(
            "document.activeElement && "
            "document.activeElement.classList.contains('xterm-helper-textarea')",
            timeout=10000,
        )
        # count the mouse presses that reach the terminal (xterm turns them into app clicks)
        page.evaluate(
            "window.reached = 0; document.querySelector('#terminal .xterm-screen')"
            ".addEventListener('mousedown', () => window.reached++)"
        )
        page.evaluate("document.activeElement.blur()")
        box = page.locator("#terminal").bounding_box()
        assert box is not None
        at = (box["x"] + box["width"] / 3, box["y"] + box["height"] / 3)
        page.mouse.click(*at)
        assert page.evaluate("window.reached") == 0  # the click only gave the app the keyboard
        assert page.evaluate("document.activeElement.classList.contains('xterm-helper-textarea')")
        page.mouse.click(*at)
        assert page.evaluate("window.reached") == 1  # the next one is the app's
    finally:
        s.stop()
