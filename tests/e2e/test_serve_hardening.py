"""Issue 31, item 3: `serve`'s sign-in against look-alike names, guessing and greedy browsers,
and each browser's app started isolated from the folder serve was started in."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import aiohttp
import pytest
import test_serve_learners
from test_serve_learners import browser, sign_in

from simulator.commands.serve import app_argv
from simulator.serving.names import learner_name, name_key


@pytest.mark.parametrize(
    "typed",
    ["Ѕam", "Sаm", "Sam\u0455", "Ѕаm"],  # Cyrillic Ѕ, Cyrillic а, mixed, all look-alike
)
def test_look_alike_names_are_refused(typed):
    name, problem = learner_name(typed)
    assert name is None and problem


@pytest.mark.parametrize(
    "typed",
    ["Ｓam", "Sam\u3164", "sam", "SAM ", "S\u200bam", "Sam\ufe0f", "\u2060Sam", "S\u00adam"],
)
def test_case_width_and_invisible_characters_make_one_learner(typed):
    name, problem = learner_name(typed)
    assert name is not None, problem
    assert name_key(name) == "sam"


@pytest.mark.parametrize("typed", ["Иван Петров", "José Núñez", "Zoë O'Neil", "王小明", "Ελένη"])
def test_real_names_in_their_own_script_are_kept(typed):
    name, problem = learner_name(typed)
    assert name == typed, problem


serve = test_serve_learners.serve  # the same fixture: a real `serve` process per test

PLANT = "import pathlib; pathlib.Path('{marker}').write_text('ran'); raise SystemExit('planted')\n"


def test_each_browsers_app_runs_isolated_from_the_folder_serve_started_in(tmp_path):
    marker = tmp_path / "planted-ran"
    for mod in ("argparse", "json", "importlib", "shlex", "typing"):
        (tmp_path / f"{mod}.py").write_text(PLANT.format(marker=marker))
    args = argparse.Namespace(classroom=None, pack=None, theme=None, learner=None)
    argv = app_argv(args)
    assert argv[:3] == [sys.executable, "-I", "-m"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    p = subprocess.run(argv + ["--version"], cwd=tmp_path, capture_output=True, text=True,
                       env=env, timeout=60)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert not marker.exists()
    # without -I the planted module is what runs (so this test can tell)
    p = subprocess.run([argv[0], *argv[2:], "--version"], cwd=tmp_path, capture_output=True,
                       text=True, env=env, timeout=60)  # fmt: skip
    assert marker.exists()


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
async def test_class_code_guessing_is_slowed_but_signed_in_browsers_are_not(serve):
    s = serve("--class-code", "owl7q2")
    async with browser() as cara:
        status, page = await sign_in(cara, s, "Cara", code="owl7q2")
        assert "textual.js" in page
        async with browser() as guesser:
            statuses = []
            for n in range(30):
                st, page = await sign_in(guesser, s, "Eve", code=f"guess{n}")
                statuses.append(st)
            assert statuses.count(429) >= 20, statuses  # 5 tries, then wait
            st, page = await sign_in(guesser, s, "Eve", code="owl7q2")
            assert st == 429 and "wait" in page  # even the right code waits, for this browser
        # Cara, behind the same address, is not held up
        status, page = await sign_in(cara, s, "Cara", code="owl7q2")
        assert "textual.js" in page


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
async def test_look_alikes_are_one_learner_and_one_browser_cannot_hoard_names(serve):
    s = serve()
    async with browser() as sam:
        assert "textual.js" in (await sign_in(sam, s, "Sam"))[1]
        async with browser() as other:
            for typed in ("Ｓam", "sam", "Sam\u3164", "S\u200bam"):
                st, page = await sign_in(other, s, typed)
                assert "already in use" in page, typed
            for typed in ("Ѕam", "Sаm"):
                st, page = await sign_in(other, s, typed)
                assert "alphabet" in page or "keyboard" in page, typed
        for n, name in enumerate(["Sam Two", "Sam Three"]):
            assert "textual.js" in (await sign_in(sam, s, name))[1], n
        st, page = await sign_in(sam, s, "Sam Four")
        assert st == 429 and "already signed in as 3 different names" in page


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
async def test_apps_are_capped_per_learner_and_per_server(serve):
    s = serve("--max-apps", "2")
    async with browser() as a, browser() as b, browser() as c:
        for http, name in ((a, "Ann"), (b, "Ben"), (c, "Cat")):
            assert "textual.js" in (await sign_in(http, s, name))[1]
        url = f"ws://127.0.0.1:{s.port}/ws?width=80&height=24"
        first = await a.ws_connect(url, headers={"Origin": s.base})
        second = await b.ws_connect(url, headers={"Origin": s.base})
        try:
            with pytest.raises(aiohttp.WSServerHandshakeError) as err:
                await c.ws_connect(url, headers={"Origin": s.base})
            assert err.value.status == 503
        finally:
            await first.close()
            await second.close()
