"""Endings that know the path: an ending's say/debrief may read `path` (shows, mistakes,
visited, escalated, choices, turns); lint rejects `path` elsewhere and warns when an ending's
unconditional text claims a behaviour some path to it never showed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scoring import ending_claims
from simulator.engine.loader import check_bytes
from simulator.engine.session import Runtime

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"
FIXED = "    debrief: The customer used her short-term right to reject.\n"


def kettle(debrief: str, say: str | None = None):
    text = KETTLE.read_text(encoding="utf-8")
    assert FIXED in text
    text = text.replace(FIXED, f"    debrief: {debrief}\n")
    if say is not None:
        text = text.replace('say: "Thank you, that\'s sorted it."', f"say: {say}")
    return check_bytes(text.encode(), "kettle.yaml")


CONDITIONAL = (
    "\"{% if 'empathise' in path.shows %}You empathised.{% else %}Empathy was missing."
    "{% endif %} {% if 'defensive' in path.mistakes %}Opening with proof sounded like suspicion."
    "{% endif %} Turns: {{ path.turns }}. {% if 'receipt_first' in path.visited %}Via the "
    'receipt.{% endif %}"'
)


def play(scenario, ids):
    s = Runtime(scenario).new_session(seed=2)
    s.replay(ids)
    assert s.ended
    return s


def test_ending_debrief_reads_the_path():
    r = kettle(CONDITIONAL)
    assert not r.errors, [str(d) for d in r.diagnostics]
    best = play(r.scenario, ["opening.1", "fault_described.1"]).debrief
    assert best == "Empathy was missing. Turns: 2."  # one space where a condition added nothing
    detour = play(r.scenario, ["opening.2", "receipt_first.1", "fault_described.1"]).debrief
    assert "Opening with proof sounded like suspicion." in detour
    assert "Turns: 3." in detour and "Via the receipt." in detour


def test_closing_line_reads_the_path_too():
    r = kettle(
        "Done.",
        say="\"{{ 'Thanks for saying sorry.' if 'apologise' in path.shows else 'Fine.' }}\"",
    )
    assert not r.errors, [str(d) for d in r.diagnostics]
    assert play(r.scenario, ["opening.1", "fault_described.1"]).line == "Thanks for saying sorry."


def test_lint_path_only_in_endings_and_known_keys():
    r = kettle('"{{ path.showed }}"')
    (e,) = r.errors
    assert "'path.showed' is not known (did you mean 'shows'?)" in e.message
    text = KETTLE.read_text(encoding="utf-8").replace(
        'say: "It\'s here. Why does that matter?"', 'say: "{{ path.turns }}"'
    )
    r = check_bytes(text.encode(), "kettle.yaml")
    (e,) = r.errors
    assert "unknown name 'path'" in e.message and "only in an ending's say and debrief" in e.message


def test_claim_warning_for_unconditional_praise():
    r = kettle('"You listened, empathised and apologised before acting."')
    (w,) = ending_claims.check(r.scenario)
    assert w[0] == ("states", "refunded", "debrief")
    assert "empathise" in w[1] and "'empathise' in path.shows" in w[1]
    # Inside an if, or negated, or advice: no warning.
    for ok in (
        CONDITIONAL,
        '"You did not apologise."',
        '"Next time, make sure you listened first."',
        "\"{% if 'empathise' in path.shows %}You empathised.{% endif %}\"",
    ):
        assert ending_claims.check(kettle(ok).scenario) == [], ok


def test_claim_is_fine_when_every_path_shows_it():
    # Every path to 'refunded' goes through opening.1 or receipt_first.1, which both show hear.
    r = kettle('"You heard her out."')
    assert ending_claims.check(r.scenario) == []


def test_lint_cli_reports_the_claim(tmp_path):
    f = tmp_path / "k.yaml"
    f.write_text(
        KETTLE.read_text(encoding="utf-8").replace(FIXED, "    debrief: You empathised first.\n"),
        encoding="utf-8",
    )
    r = subprocess.run(
        [sys.executable, "-m", "simulator", "lint", str(f)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr  # a warning, not an error
    assert "warning: ending 'refunded' says \"You empathised first.\"" in r.stdout
