"""Issue 32 for the progress map: `countertalk --lang cy progress` (text and Markdown) shows a
learner no English, after Welsh attempts at a conversation and an activity, with the same scan as
plain mode (tests/e2e/test_welsh_plain.py: the English catalogue, function words). The same map
in English is flagged all over by that scan, so the test can fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import test_welsh_plain as welsh_plain
from tests.e2e.test_welsh_plain import english_in

ROOT = Path(__file__).resolve().parents[2]
LEARNER = "Siôn"


def countertalk(home: Path, *args: str, stdin: str = "") -> str:
    """`countertalk ARGS` with its own results store, its output (exit status checked)."""
    return welsh_plain.countertalk(home, *args, stdin=stdin, COLUMNS="80")


def record_welsh_attempts(home: Path) -> None:
    """A finished Welsh conversation (some points met, some missed) and activity, saved."""
    common = ["--plain", "--seed", "1", "--learner", LEARNER]
    countertalk(home, "--lang", "cy", "play", "spill-in-aisle", *common, stdin="1\n" * 12)
    countertalk(
        home, "--lang", "cy", "play", "sort-internal-external-customers", *common, stdin="a\n" * 10
    )


def english_titles() -> tuple[str, ...]:
    """The titles of the pack's exercises that have no Welsh title (no string table yet)."""
    from simulator.activities.progress import pack_entries
    from simulator.engine.strings import translated_title

    entries, _ = pack_entries(None)
    return tuple(e.title for e in entries if translated_title(e.path, "cy") is None)


def _without(line: str, titles: tuple[str, ...]) -> str:
    for t in sorted(titles, key=len, reverse=True):
        line = line.replace(t, " ")
    return line


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    h = tmp_path_factory.mktemp("home")
    record_welsh_attempts(h)
    return h


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_the_welsh_progress_map_shows_no_english(home, fmt):
    out = countertalk(home, "--lang", "cy", "progress", "--learner", LEARNER, "--format", fmt)
    assert "Map cynnydd" in out and "HEB EI GYRRAEDD" in out and "wedi'i gyrraedd" in out
    assert "yr ymgais ddiweddaraf:" in out  # which attempt decided a point, by its Welsh title
    assert "Nesaf" in out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) > 30
    bad = [(line, english_in(line)) for line in lines if english_in(line)]
    assert not bad, "\n".join(f"{words}: {line}" for line, words in bad[:10])


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_the_scan_finds_english_in_the_english_map(home, fmt):
    out = countertalk(home, "progress", "--learner", LEARNER, "--format", fmt)
    lines = [line for line in out.splitlines() if line.strip()]
    flagged = [line for line in lines if english_in(line)]
    assert len(flagged) > 0.6 * len(lines), flagged
    assert "— latest: spill-in-aisle" not in out  # an exercise is named by its title, not its id
