"""Issue 32 for the Markdown debrief: `countertalk --lang cy score T --format md` of an attempt
played in Welsh shows no English — its headings, table, labels and turn-by-turn lines are in
Welsh, and so is the scenario's text (the debrief is drawn from the string table, the attempt
scored on the file as written). Scanned as plain mode is (tests/e2e/test_welsh_plain.py), on a
route to every ending; the English debrief of an English attempt is flagged all over."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_welsh_plain import ROUTES, countertalk, english_in, numbers_for

ROOT = Path(__file__).resolve().parents[2]


def run(home: Path, *args: str, stdin: str = "") -> str:
    return countertalk(home, *args, stdin=stdin)


def markdown_debrief(tmp_path: Path, route: list[str], lang: list[str], seed: int = 1) -> str:
    transcript = tmp_path / "t.json"
    answers = "".join(f"{n}\n" for n in numbers_for(route, seed))
    run(
        tmp_path,
        *lang,
        "play",
        "spill-in-aisle",
        "--plain",
        "--seed",
        str(seed),
        "--learner",
        "Siôn",
        "--no-save",
        "--transcript-out",
        str(transcript),
        stdin=answers,
    )
    return run(tmp_path, *lang, "score", str(transcript), "--format", "md")


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r[-1])
def test_the_welsh_markdown_debrief_shows_no_english(tmp_path, route):
    md = markdown_debrief(tmp_path, route, ["--lang", "cy"])
    assert md.startswith("# Ôl-drafodaeth: ") and "*Iaith yr ymgais: Cymraeg.*" in md
    assert "## Tro wrth dro" in md and "| Dysgwr | Siôn |" in md
    lines = [line for line in md.splitlines() if line.strip()]
    assert len(lines) > 40
    bad = [(line, english_in(line)) for line in lines if english_in(line)]
    assert not bad, "\n".join(f"{words}: {line}" for line, words in bad[:10])


def test_the_scan_finds_english_in_the_english_markdown_debrief(tmp_path):
    md = markdown_debrief(tmp_path, ROUTES[0], [])
    assert md.startswith("# Debrief: ") and "Played in" not in md
    lines = [line for line in md.splitlines() if line.strip()]
    assert len([line for line in lines if english_in(line)]) > 0.5 * len(lines)
