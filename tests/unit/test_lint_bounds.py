"""Issue 31, item 9: lint and the loader within bounds — did-you-mean on 1,000 misspelt gotos,
FIFOs, devices and links to /dev/zero refused at once, template bombs found by lint (CT311)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.engine.loader import check_bytes

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"


def typo_bomb(n_states: int, gotos_each: int = 4, pad: int = 0) -> str:
    lines = ["format: 1", "id: typo-bomb", "title: T", "topic: complaint", "summary: s",
             "learner_role: r", "customer: {name: A}", "start: state_0000", "states:"]  # fmt: skip
    for s in range(n_states):
        lines += [f"  state_{s:04d}:", f"    say: hello there {'x' * pad}", "    choices:"]
        for k in range(gotos_each):
            t = (s * 7 + k * 13) % n_states
            lines += [f"      - text: option {k}", f"        goto: stat_{t:04d}x"]
    lines += ["  done:", "    end: resolved", "    say: bye"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("n_states", "pad", "kb"), [(250, 110, 88), (1000, 36, 268)])
def test_a_thousand_misspelt_gotos_are_compared_with_a_bounded_few(n_states, pad, kb, monkeypatch):
    """The quadratic cost was difflib comparing every typo with every state (a million
    SequenceMatcher runs for 1,000 typos). Counted, not timed (speed belongs in benchmarks/):
    each typo now reaches difflib with at most SUGGEST_CANDIDATES options."""
    import difflib

    from simulator.engine.lint import diagnostics as diag

    diag._closest.cache_clear()
    seen: list[int] = []
    real = difflib.get_close_matches

    def counting(word, possibilities, *args, **kwargs):
        possibilities = list(possibilities)
        seen.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(diag.difflib, "get_close_matches", counting)
    text = typo_bomb(n_states, pad=pad)
    assert abs(len(text) / 1024 - kb) < kb * 0.15, len(text)
    result = check_bytes(text.encode(), "typos.yaml")
    unknown = [d for d in result.diagnostics if d.code == "CT101"]
    assert len(unknown) == n_states * 4
    assert seen and max(seen) <= diag.SUGGEST_CANDIDATES, max(seen)
    assert sum(seen) <= len(unknown) * diag.SUGGEST_CANDIDATES
    # and the suggestions are still the right ones
    assert "did you mean 'state_0000'" in unknown[0].message


def _cli(*argv, timeout=20):
    return subprocess.run(
        [sys.executable, "-m", "simulator", *argv],
        capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "COUNTERTALK_HOME": "/nonexistent-home"},
    )  # fmt: skip


@pytest.fixture
def specials(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    tfifo = tmp_path / "fifo.json"
    os.mkfifo(tfifo)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    tzero = tmp_path / "zero.json"
    tzero.symlink_to("/dev/zero")
    return {"fifo": fifo, "tfifo": tfifo, "zero": zero, "tzero": tzero}


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["lint", "{fifo}"], "is a pipe (FIFO), not a file"),
        (["lint", "{zero}"], "is a device, not a file"),
        (["lint", "{tfifo}"], "is a pipe (FIFO), not a file"),
        (["score", "{tfifo}", "--scenario", str(KETTLE)], "is a pipe (FIFO), not a file"),
        (["score", "{tzero}", "--scenario", str(KETTLE)], "is a device, not a file"),
    ],
)
def test_fifos_devices_and_links_to_dev_zero_are_refused_at_once(specials, argv, words):
    argv = [a.format(**specials) for a in argv]
    start = time.monotonic()
    p = _cli(*argv)
    assert time.monotonic() - start < 15
    assert p.returncode == 1, p.stderr
    assert words in p.stdout + p.stderr
    assert "bug" not in p.stderr


def test_template_bombs_are_found_by_lint_with_a_code():
    sys.path.insert(0, str(ROOT / "tests" / "unit"))
    from test_hardening import BOMBS

    base = KETTLE.read_text()
    for name, bomb in BOMBS.items():
        quoted = "'" + bomb.replace("'", "''") + "'"
        text = base.replace('say: "Fine, I\'ll wait."', "say: " + quoted)
        result = check_bytes(text.encode(), "bomb.yaml")
        codes = [(d.code, d.line) for d in result.errors]
        assert codes == [("CT311", 77)], (name, codes)
        assert "would be stopped when played" in result.errors[0].message


def test_an_ordinary_scenario_has_no_template_findings():
    result = check_bytes(KETTLE.read_bytes(), "kettle.yaml")
    assert not [d for d in result.diagnostics if d.code == "CT311"]


@pytest.mark.parametrize(
    "command", [["play", "{fifo}", "--plain"], ["paths", "{fifo}"], ["graph", "{fifo}"]]
)
def test_play_paths_and_graph_say_what_a_pipe_is(specials, command):
    """They said "no scenario file" for a pipe that exists; now what lint says: what it is."""
    p = _cli(*[a.format(**specials) for a in command])
    assert p.returncode == 2, p.stderr
    assert "is a pipe (FIFO), not a file; give a scenario file" in p.stderr
    assert "Traceback" not in p.stderr
