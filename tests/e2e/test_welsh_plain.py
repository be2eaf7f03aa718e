"""Issue 32: `countertalk --lang cy play spill-in-aisle --plain` plays from the first line to the
debrief with no English a learner sees.

Every line printed on many paths through the conversation is scanned three ways:

1. against the English catalogue: no msgid of the interface (split at its placeholders into
   runs of two or more words) appears — the program's own words are all translated;
2. against the scenario's English: no line (or sentence of a line) of the English file appears —
   the string table covers every customer line, option, feedback and ending;
3. for English function words ("the", "you", "with"...), which catch English that is in neither
   (an unwrapped f-string, a label from data nobody extracted).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "spill-in-aisle.yaml"

# English words that Welsh text does not use (Welsh words spelt the same — "a", "i", "o", "at",
# "am", "he", "her", "to" — are left out).
ENGLISH_WORDS = frozenset(
    "the and you your with this that what for have has not are was were will would there their "
    "they she his it its of in from or an if turn mood shown points customer score which who "
    "when then than been because should could".split()
)
# What a learner is told to type: a command, not prose.
COMMAND = re.compile(r"countertalk play \S+( --plain)?( --seed \d+)?( --resume)?")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]*\}|%%|%s")
_TEMPLATE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


def _runs(text: str) -> list[str]:
    """The runs of two or more words between placeholders (and sentence ends)."""
    out = []
    for piece in _PLACEHOLDER.split(text):
        for part in re.split(r"(?<=[.!?:;])\s+", piece):
            part = part.strip(" .,:;()\"'")
            if len(part.split()) >= 2 and len(part) >= 8:
                out.append(part)
    return out


@cache
def english_catalogue() -> tuple[str, ...]:
    from babel.messages.pofile import read_po

    with open(ROOT / "simulator/locale/cy/LC_MESSAGES/countertalk.po", "rb") as fh:
        catalog = read_po(fh)
    runs: set[str] = set()
    for m in catalog:
        if m.id and isinstance(m.id, str) and m.string != m.id:
            runs.update(_runs(m.id))
    return tuple(sorted(runs))


@cache
def english_scenario() -> tuple[str, ...]:
    from simulator.engine.strings import scenario_strings

    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    runs: set[str] = set()
    for s in scenario_strings(data):
        runs.update(_runs(" ".join(_TEMPLATE.sub(" ", s.english).split())))
    return tuple(sorted(runs))


def english_in(line: str) -> list[str]:
    """What in a printed line is English (empty when it is all Welsh)."""
    found = [r for r in english_catalogue() if r in line]
    found += [r for r in english_scenario() if r in line]
    text = COMMAND.sub(" ", line)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)}
    found += sorted(words & ENGLISH_WORDS)
    return found


def play(answers: list[int], seed: int, home: Path, *extra: str) -> str:
    return play_scenario("spill-in-aisle", answers, seed, home, *extra)


def play_scenario(name: str, answers: list[int], seed: int, home: Path, *extra: str) -> str:
    """A Welsh plain-mode play of a scenario, its output (the exit status checked)."""
    lines = "".join(f"{a}\n" for a in answers)
    return run_plain(["--lang", "cy"], name, lines, seed, home, *extra)


def countertalk(home: Path, *args: str, stdin: str = "", **env_extra: str) -> str:
    """`countertalk ARGS` with its own results store and no language from the environment:
    its output (exit status checked). The Welsh tests' one way to run the command."""
    env = dict(os.environ, COUNTERTALK_HOME=str(home), NO_COLOR="1", **env_extra)
    env.pop("COUNTERTALK_LANG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    return proc.stdout


def run_plain(lang: list[str], name: str, stdin: str, seed: int, home: Path, *extra: str) -> str:
    """`countertalk [LANG] play NAME --plain` with these lines typed, its output (exit checked)."""
    return countertalk(
        home,
        *lang,
        *["play", name, "--plain", "--seed", str(seed), "--learner", "Siôn", "--no-save"],
        *extra,
        stdin=stdin,
    )


# Paths by choice id, so that together they reach every ending (the options are shuffled by
# the seed, so the numbers to type are worked out per seed).
ROUTES = [
    # resolved, every step right
    [
        "opening.1",
        "details.1",
        "guarding.1",
        "first_aid.1",
        "shelf_question.1",
        "manager_arrives.1",
    ],
    # resolved after blame, wiping and a vague close
    ["opening.4", "blamed.1", "details.2", "wiping.1", "guarding.1", "first_aid.2"]
    + ["shelf_question.4", "self_fixed.1", "manager_arrives.2"],
    # unresolved: the note for the morning
    ["opening.2", "radio_cleaner.1", "guarding.1", "first_aid.3", "shelf_question.2"],
    # unresolved: no record
    ["opening.3", "passed_off.1", "details.3", "radio_only.1", "guarding.3"],
    # lost
    ["opening.3", "passed_off.2"],
]


def numbers_for(route: list[str], seed: int) -> list[int]:
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime

    session = Runtime(load_scenario(SCENARIO)).new_session(seed=seed, learner="x")
    out = []
    for cid in route:
        offered = {o.choice_id: o.number for o in session.offered()}
        out.append(offered[cid])
        session.choose_id(cid)
    assert session.ended, route
    return out


def _paths() -> list[tuple[int, list[int]]]:
    """The routes above with two seeds each, and seeded random walks (a sequence longer than the
    conversation is simply not all read)."""
    rng = random.Random(32)
    out = [(seed, numbers_for(r, seed)) for r in ROUTES for seed in (1, 2)]
    out += [(seed, [rng.randint(1, 4) for _ in range(12)]) for seed in range(5, 11)]
    return out


def _answers_that_fit(answers: list[int]) -> list[int]:
    # An option number that is not offered is answered with a message and asked again, so a
    # too-large number is followed by 1 to move on.
    out = []
    for a in answers:
        out += [a, 1] if a > 2 else [a]
    return out


@pytest.mark.parametrize("seed,answers", _paths())
def test_a_welsh_conversation_shows_no_english(seed, answers, tmp_path):
    out = play(_answers_that_fit(answers), seed, tmp_path)
    assert "Ôl-drafodaeth:" in out and "Iaith yr ymgais: Cymraeg." in out
    bad = [(line, english_in(line)) for line in out.splitlines() if english_in(line)]
    assert not bad, "\n".join(f"{words}: {line}" for line, words in bad[:10])


def test_the_scan_finds_english_when_there_is_some(tmp_path):
    """The same paths in English are full of what the scan looks for (so it can fail)."""
    env = dict(os.environ, COUNTERTALK_HOME=str(tmp_path))
    env.pop("COUNTERTALK_LANG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", "play", "spill-in-aisle", "--plain", "--seed", "1"]
        + ["--no-save"],
        input="1\n" * 12,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    flagged = [line for line in lines if english_in(line)]
    assert len(flagged) > 0.8 * len(lines)
    assert any(r in proc.stdout for r in english_catalogue())
    assert any(r in proc.stdout for r in english_scenario())


def test_the_routes_reach_every_ending(tmp_path):
    endings = set()
    for seed, answers in _paths()[: len(ROUTES) * 2 : 2]:
        out = play(answers, seed, tmp_path)
        endings.add(re.search(r"Mae'r sgwrs ar ben: (.*)\.", out).group(1))
    assert endings == {"wedi'i datrys", "heb ei datrys", "wedi colli'r cwsmer"}


def test_the_welsh_table_is_complete_and_current():
    from simulator.tooling.translations import check

    assert check(SCENARIO, "cy") == []


def test_the_transcript_says_the_language(tmp_path):
    import json

    out_file = tmp_path / "t.json"
    play([2, 1, 1, 1, 1, 1, 1, 1, 1, 1], 1, tmp_path, "--transcript-out", str(out_file))
    t = json.loads(out_file.read_text(encoding="utf-8"))
    assert t["lang"] == "cy"
    assert t["turns"][0]["text"].startswith("Diolch am ddweud wrtha i.")
    # It re-scores exactly as it was marked (the choice ids are the file's, whatever language).
    assert t["score"]["percent"] >= 0 and t["turns"][0]["choice"].startswith("opening.")


def test_a_welsh_activity_shows_no_english(tmp_path):
    """The activity front end and marking in Welsh, with a table for every string of the file."""
    import shutil

    from simulator.tooling import translations as tr

    src = tmp_path / "sort-controllable-or-not.yaml"
    shutil.copy(ROOT / "scenarios/activities/sort-controllable-or-not.yaml", src)
    path, text, _ = tr.extract(src, "cy")
    assert text is not None
    data = yaml.safe_load(text)
    for sid, row in data["strings"].items():
        row["text"] = f"Testun Cymraeg rhif {sid.replace('.', ' ')}"
    tr.write_table(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert tr.check(src, "cy") == []
    env = dict(os.environ, COUNTERTALK_HOME=str(tmp_path))
    env.pop("COUNTERTALK_LANG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", "--lang", "cy", "play", str(src), "--plain"]
        + ["--no-save", "--learner", "Siôn"],
        input="a\n" * 10,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Canlyniad:" in proc.stdout
    bad = [(line, english_in(line)) for line in proc.stdout.splitlines() if english_in(line)]
    assert not bad, bad[:5]
