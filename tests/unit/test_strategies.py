"""Blind strategies: `countertalk paths FILE --strategies` plays always-first, -longest, -last
and random through the real session, and `lint --strict` flags a file whose best option gives
itself away by its place or its length."""

from __future__ import annotations

import json
from pathlib import Path

from scoring.strategies import layout_warnings, play, play_blind, summary
from simulator.cli import main
from simulator.engine.loader import check_bytes, load_scenario

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
KETTLE = FIXTURES / "kettle.yaml"


def test_always_first_wins_the_unshuffled_kettle_and_the_command_says_so(capsys):
    runs = play_blind(load_scenario(KETTLE), seeds=(1, 2))
    table = summary(runs)
    assert table["first"]["distinction"] == 2  # the kettle lists the best answer first
    assert main(["paths", str(KETTLE), "--strategies", "--seeds", "2"]) == 1
    out = capsys.readouterr().out
    assert "first" in out and "Gameable: first" in out and "no shuffle" in out


def test_json_report_lists_every_run(capsys):
    main(["paths", str(KETTLE), "--strategies", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert len(data["runs"]) == 4 * 3
    assert {r["strategy"] for r in data["runs"]} == {"first", "longest", "last", "random"}
    assert "first" in data["gameable"]


def test_shuffle_changes_what_always_first_picks():
    sc = load_scenario(KETTLE).replaced(shuffle=True)
    firsts = {play(sc, "first", seed)["turns"][0]["choice"] for seed in range(1, 30)}
    assert len(firsts) > 1


def test_a_looping_blind_strategy_stops_and_is_scored_unfinished():
    # receipt_first.2 loops back to receipt_first; always-last keeps choosing it until the
    # customer's mood ends the conversation or the turn limit stops it.
    t = play(load_scenario(KETTLE), "last", 1)
    assert t["turns"]


def _doc(best_first: bool, shuffle: bool) -> bytes:
    states = []
    for i in range(4):
        good = f'{{text: "A careful, complete and kind answer number {i}", goto: s{i + 1}, shows: [hear, empathise]}}'
        bad = f'{{text: "No {i}", goto: s{i + 1}, mistakes: [rude]}}'
        opts = [good, bad] if best_first else [bad, good]
        states.append(f"  s{i}:\n    say: x\n    choices:\n      - {opts[0]}\n      - {opts[1]}\n")
    head = (
        "id: lay\ntitle: L\ntopic: complaint\nsummary: s\nlearner_role: r\n"
        "customer: {name: C}\nstart: s0\n" + ("shuffle: true\n" if shuffle else "") + "states:\n"
    )
    return (head + "".join(states) + "  s4: {end: resolved, say: bye}\n").encode()


def test_layout_warnings_longest_and_place():
    sc = check_bytes(_doc(True, False), "lay.yaml").scenario
    msgs = [m for _w, m in layout_warnings(sc)]
    assert any("is the longest in 4 of 4 states" in m for m in msgs)
    assert any("is first in 4 of 4 states" in m and "shuffle: true" in m for m in msgs)
    shuffled = check_bytes(_doc(True, True), "lay.yaml").scenario
    assert not any("is first" in m for _w, m in layout_warnings(shuffled))
