"""The phone page in Debian's Chromium while a Pilot-driven classroom runs the lesson.

A learner joins with the code, votes, sees the confirmation, and follows the class to the next
decision; the projector's tally shows the vote. A second phone without websockets does the same
by polling. Scenario text that looks like HTML stays text.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from simulator.classroom.phones import PhoneHub
from simulator.classroom.room import ClassRoom
from simulator.classroom.web.server import open_phones
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from simulator.tui.classroom.app import ClassroomApp
from simulator.tui.classroom.widgets import Bar

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
CHROMIUM = "/usr/bin/chromium"
HOSTILE = "<img src=x onerror=document.title='owned'>Manager"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: .ci/install.d/50-chromium.sh installs it", pytrace=False)
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

async_api = pytest.importorskip("playwright.async_api") if not os.environ.get("CI") else None
from playwright.async_api import async_playwright, expect  # noqa: E402


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))


@pytest.fixture
def hostile_kettle(tmp_path) -> Path:
    path = tmp_path / "kettle.yaml"
    text = KETTLE.read_text(encoding="utf-8").replace('"I\'ll get my manager."', repr(HOSTILE))
    assert HOSTILE in text
    path.write_text(text, encoding="utf-8")
    return path


def bars(app) -> list[str]:
    """Each option's bar as words: "1 vote (100%) · phones 1 · hands 0" (on one line or two)."""
    out = []
    for b in app.screen.query(Bar):
        words = " ".join(b.render().plain.lstrip("█░").split())
        out.append(words.replace(") phones", ") · phones"))
    return out


async def wait_for(pilot, check, tries: int = 300):
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    assert check()


async def test_a_phone_joins_votes_and_follows_the_class(hostile_kettle, tmp_path):
    room = ClassRoom(Runtime(load_scenario(hostile_kettle)), seed=1, class_session="t")
    link = open_phones(PhoneHub(code="K7PX4Q", title="Kettle"), "127.0.0.1", 0)
    app = ClassroomApp(room, phones=link)
    url = link.server.address.url
    async with app.run_test(size=(120, 40)) as pilot, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        phone = await browser.new_page(viewport={"width": 360, "height": 740})
        await phone.goto(url)
        await phone.get_by_label("Join code").fill("k7px4q")
        await phone.get_by_role("button", name="Join").click()
        line = room.run.session.line.strip()
        await expect(phone.locator("#line")).to_have_text(line)
        options = phone.locator("button.option")
        await expect(options).to_have_count(3)
        # HTML in the scenario is shown as text, never run
        hostile = phone.get_by_role("button", name=f"Option 3: {HOSTILE}")
        await expect(hostile).to_contain_text(HOSTILE)
        assert await phone.locator("img").count() == 0
        assert await phone.title() == "CounterTalk class vote"
        await phone.screenshot(path=str(tmp_path / "phone-vote.png"), full_page=True)

        await phone.get_by_role("button", name="Option 2:").click()
        await expect(phone.get_by_role("status")).to_have_text("Vote counted: option 2.")
        await expect(phone.get_by_role("button", name="Option 2:")).to_have_attribute(
            "aria-pressed", "true"
        )
        await wait_for(pilot, lambda: bars(app)[1].startswith("1 vote (100%) · phones 1"))
        await phone.get_by_role("button", name="Option 2:").click()
        await expect(phone.get_by_role("status")).to_have_text("You already voted for 2.")
        await phone.get_by_role("button", name="Option 1:").click()
        await expect(phone.get_by_role("status")).to_have_text("You already voted — changed to 1.")
        await wait_for(pilot, lambda: bars(app)[0].startswith("1 vote (100%) · phones 1"))
        assert link.hub.joined() == 1
        # The projector's count follows the hub on its next refresh: wait for it, don't race it.
        await wait_for(
            pilot,
            lambda: "1 phone joined" in str(app.screen.query_one("#phones #phones-info").content),
        )

        # A second phone with no websocket at all keeps up by polling.
        slow = await browser.new_page(viewport={"width": 320, "height": 640})
        await slow.add_init_script("delete window.WebSocket")
        await slow.goto(url + "?code=K7PX4Q")
        await expect(slow.locator("#connection")).to_contain_text("checking every 2 s")
        await slow.get_by_role("button", name="Option 1:").click()
        await expect(slow.get_by_role("status")).to_have_text("Vote counted: option 1.")
        await wait_for(pilot, lambda: bars(app)[0].startswith("2 votes (100%) · phones 2"))

        await pilot.press("enter")  # the tutor reveals: both phones hear of it
        await expect(phone.locator("#phase")).to_contain_text("The room chose option 1")
        await expect(slow.locator("#phase")).to_contain_text("The room chose option 1")
        await pilot.press("n")  # the next decision: phones move there by themselves
        next_line = room.run.session.line.strip()
        await expect(phone.locator("#line")).to_have_text(next_line)
        await expect(slow.locator("#line")).to_have_text(next_line)
        await expect(phone.get_by_role("status")).to_have_text("New decision: vote now.")

        # A phone that reloads (a dropped connection) comes back to the current round.
        await phone.reload()
        await expect(phone.locator("#line")).to_have_text(next_line)
        await expect(phone.locator("button.option").first).to_be_enabled()
        await browser.close()


async def test_the_phone_shows_the_countdown_and_the_briefing(tmp_path):
    """Issue 30: no countdown on the phone, and the note the projector shows with the line (a
    policy, a stage direction) was left out, though voters need it."""
    room = ClassRoom(Runtime(load_scenario(KETTLE)), seed=1, class_session="t")
    link = open_phones(PhoneHub(code="K7PX4Q", title="Kettle"), "127.0.0.1", 0)
    app = ClassroomApp(room, phones=link, timer=90)
    url = link.server.address.url
    async with app.run_test(size=(120, 40)) as pilot, async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        phone = await browser.new_page(viewport={"width": 360, "height": 740})
        await phone.goto(url + "?code=K7PX4Q")
        await expect(phone.locator("button.option")).to_have_count(3)
        # the timer waited for this phone, then runs: the page shows what the projector shows
        await expect(phone.locator("#timer")).to_contain_text("Time left to vote: 1:")
        await pilot.press("1", "enter")  # a vote by hand, revealed
        await pilot.press("n")
        note = (room.run.session.note or "").strip()
        assert note
        await expect(phone.locator("#note")).to_have_text(note)
        await expect(phone.locator("#timer")).to_contain_text("Time left to vote: 1:")
        await browser.close()
