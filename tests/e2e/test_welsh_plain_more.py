"""Issue 32: the other Welsh conversations play from the first line to the debrief with no English a
learner sees (`countertalk --lang cy play ID --plain`), the same three-way scan as
test_welsh_plain.py (the interface catalogue, the scenario's own English, English function words).

For each conversation a route to every ending state is found by seeded random walks through the
English scenario (so every ending's line and debrief text is read), then played in Welsh, the
seeds alternating so both variants of the customer's lines are seen.

No line is excused: the law texts of scoring/laws.yaml (the rule a debrief quotes when a choice
is marked on the law) have their Welsh in the interface catalogue, and
tests/unit/test_catalogues.py fails if any of them (or any other catalogue string) loses it.
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

from tests.e2e.test_welsh_plain import _TEMPLATE, _runs, english_catalogue, play_scenario, run_plain
from tests.e2e.test_welsh_plain import english_in as _interface_or_function_words

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ["broadband-hardship", "correct-and-erase", "faulty-toaster-day12"]


@cache
def english_scenario(name: str) -> tuple[str, ...]:
    from simulator.engine.strings import scenario_strings

    data = yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))
    runs: set[str] = set()
    for s in scenario_strings(data):
        runs.update(_runs(" ".join(_TEMPLATE.sub(" ", s.english).split())))
    return tuple(sorted(runs))


def english_in(line: str, name: str) -> list[str]:
    return _interface_or_function_words(line) + [r for r in english_scenario(name) if r in line]


@cache
def routes(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(ending state, the choice ids that reach it), one per ending state the walks reach."""
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime

    runtime = Runtime(load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
    rng = random.Random(32)
    best: dict[str, tuple[str, ...]] = {}
    for walk in range(400):
        session = runtime.new_session(seed=walk, learner="x")
        path: list[str] = []
        while not session.ended and len(path) < 40:
            cid = rng.choice(session.offered()).choice_id
            path.append(cid)
            session.choose_id(cid)
        ending = session.data.ending
        if ending is not None and (ending not in best or len(path) < len(best[ending])):
            best[ending] = tuple(path)
    return tuple(sorted(best.items()))


def numbers_for(name: str, route: tuple[str, ...], seed: int) -> list[int]:
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime

    session = Runtime(load_scenario(ROOT / "scenarios" / f"{name}.yaml")).new_session(
        seed=seed, learner="x"
    )
    out = []
    for cid in route:
        out.append({o.choice_id: o.number for o in session.offered()}[cid])
        session.choose_id(cid)
    assert session.ended, route
    return out


def play(name: str, answers: list[int], seed: int, home: Path) -> str:
    return play_scenario(name, answers, seed, home)


def _cases() -> list[tuple[str, str, int]]:
    return [
        (name, ending, 1 + i % 2)
        for name in SCENARIOS
        for i, (ending, _) in enumerate(routes(name))
    ]


@pytest.mark.parametrize("name,ending,seed", _cases())
def test_a_welsh_conversation_shows_no_english(name, ending, seed, tmp_path):
    route = dict(routes(name))[ending]
    out = play(name, numbers_for(name, route, seed), seed, tmp_path)
    assert "Ôl-drafodaeth:" in out and "Iaith yr ymgais: Cymraeg." in out
    bad = [(line, english_in(line, name)) for line in out.splitlines() if english_in(line, name)]
    assert not bad, "\n".join(f"{words}: {line}" for line, words in bad[:10])


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_routes_reach_every_ending_state(name):
    from simulator.engine.loader import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    endings = {sid for sid, st in scenario.states.items() if st.end}
    assert {e for e, _ in routes(name)} == endings


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_scan_finds_the_scenario_english_when_played_in_english(name, tmp_path):
    """Played in English, the lines this scan reads are flagged (so the scan can fail)."""
    env = dict(os.environ, COUNTERTALK_HOME=str(tmp_path))
    env.pop("COUNTERTALK_LANG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", "play", name, "--plain", "--seed", "1", "--no-save"],
        input="1\n" * 15,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert any(r in proc.stdout for r in english_scenario(name))
    assert any(r in proc.stdout for r in english_catalogue())
    flagged = [line for line in lines if english_in(line, name)]
    assert len(flagged) > 0.8 * len(lines)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_welsh_table_is_complete_and_current(name):
    from simulator.tooling.translations import check

    assert check(ROOT / "scenarios" / f"{name}.yaml", "cy") == []


def test_no_english_template_value_reaches_the_welsh():
    """A variable whose value is English words (a payment method, a date) is not used in a Welsh
    line: the Welsh writes the value out instead (vars are not translated)."""
    for name in SCENARIOS:
        data = yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))
        wordy = [k for k, v in (data.get("vars") or {}).items() if isinstance(v, str)]
        wordy = [
            k for k in wordy if re.search(r"[a-z]{3,} [a-z]{3,}|[A-Z][a-z]+ ?$", data["vars"][k])
        ]
        table = (ROOT / "scenarios/locales/cy" / f"{name}.yaml").read_text(encoding="utf-8")
        texts = [
            row.get("text") or ""
            for row in yaml.safe_load(table)["strings"].values()
            if isinstance(row, dict)
        ]
        for k in wordy:
            assert not any(f"vars.{k}" in t for t in texts), (name, k)


ACTIVITIES = [
    "sort-internal-external-customers",
    "match-purpose-to-customers",
    "order-complaint-referral",
    "spot-poor-service",
]


@cache
def english_activity(name: str) -> tuple[str, ...]:
    from simulator.engine.strings import activity_strings

    path = ROOT / "scenarios" / "activities" / f"{name}.yaml"
    runs: set[str] = set()
    for s in activity_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        runs.update(_runs(" ".join(s.english.split())))
    return tuple(sorted(runs))


def play_activity(name: str, answers: str, home: Path, *lang: str) -> str:
    return run_plain(list(lang), name, answers, 1, home)


# One answer per line (the order and match items offer fewer options as they go, so `b` only
# while there are two or more); right or wrong by chance, so both the praise and the correction
# with its reason are read. A spot activity takes its whole selection on the first line.
@pytest.mark.parametrize("name", ACTIVITIES)
@pytest.mark.parametrize("answers", ["a\n" * 10, "b\n" * 4 + "a\n" * 6])
def test_a_welsh_activity_shows_no_english(name, answers, tmp_path):
    from simulator.tooling.translations import check

    src = ROOT / "scenarios" / "activities" / f"{name}.yaml"
    assert check(src, "cy") == []
    out = play_activity(name, answers, tmp_path, "--lang", "cy")
    assert "Iaith yr ymgais: Cymraeg." in out and "Canlyniad:" in out
    bad = [
        (
            line,
            _interface_or_function_words(line) + [r for r in english_activity(name) if r in line],
        )
        for line in out.splitlines()
    ]
    bad = [(line, words) for line, words in bad if words]
    assert not bad, "\n".join(f"{words}: {line}" for line, words in bad[:10])


@pytest.mark.parametrize("name", ACTIVITIES)
def test_the_activity_scan_finds_english_when_played_in_english(name, tmp_path):
    out = play_activity(name, "a\n" * 10, tmp_path)
    assert any(r in out for r in english_activity(name))
