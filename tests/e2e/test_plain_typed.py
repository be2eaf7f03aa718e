"""`play --plain --type` and `countertalk match` through the real CLI, as a script would use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = [str(Path(sys.executable).parent / "countertalk")]
TYPED = ROOT / "tests" / "fixtures" / "typed-kettle.yaml"


def run(args, stdin="", tmp_path=None):
    env = dict(os.environ, COUNTERTALK_HOME=str(tmp_path))
    return subprocess.run(
        CLI + args, input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_typed_lines_play_a_scenario_to_its_end(tmp_path):
    out = tmp_path / "t.json"
    p = run(
        ["play", str(TYPED), "--plain", "--type", "--seed", "3", "--transcript-out", str(out)],
        "what is the weather like\nsorry to hear that, what happened?\n"
        "you can have a full refund as its under 30 days\n",
        tmp_path,
    )
    assert p.returncode == 0, p.stderr
    # Not understood: the customer reacts, the options are shown (practice), nothing taken.
    assert "Priya Shah: Sorry, love, I don't follow." in p.stdout
    assert "  1. I'm sorry it's let you down." in p.stdout
    assert "(Understood as 1: I'm sorry it's let you down." in p.stdout
    assert "The conversation is over: resolved." in p.stdout
    assert 'You typed: "sorry to hear that, what happened?"' in p.stdout  # the debrief
    t = json.loads(out.read_text())
    first = t["turns"][0]
    assert first["choice"] == "opening.1"
    assert first["typed"]["text"] == "sorry to hear that, what happened?"
    assert first["typed"]["confirmed"] is False
    assert first["unmatched"] == [
        {"text": "what is the weather like", "reason": "no option is close"}
    ]
    assert "INFO:" not in p.stdout + p.stderr  # the model's import does not turn on logging


def test_unsure_lines_ask_and_enter_confirms(tmp_path):
    out = tmp_path / "t.json"
    p = run(
        ["play", str(TYPED), "--plain", "--type", "--no-save", "--transcript-out", str(out)],
        "the paper slip\n\n1\n",
        tmp_path,
    )
    assert p.returncode == 0, p.stderr
    assert 'Did you mean: "Have you got the receipt?"' in p.stdout
    turn = json.loads(out.read_text())["turns"][0]
    assert turn["choice"] == "opening.2" and turn["typed"]["confirmed"] is True


def test_saying_no_to_did_you_mean_shows_the_options_and_takes_nothing(tmp_path):
    p = run(["play", str(TYPED), "--plain", "--type", "--no-save"], "the paper slip\nn\n", tmp_path)
    assert p.returncode == 1  # input ended before an ending
    assert "(Then say it another way, or pick a number:)" in p.stdout
    assert "  3. That's not really my problem, is it?" in p.stdout


def test_assessment_keeps_the_options_hidden_until_asked(tmp_path):
    p = run(
        ["play", str(TYPED), "--plain", "--type", "--assess", "--no-save"],
        "purple monkey dishwasher\n?\n",
        tmp_path,
    )
    before, _, after = p.stdout.partition("You say: ?")
    assert "  1. I'm sorry" not in before
    assert "type '?' to see the options" in before
    assert "  1. I'm sorry" in after


def test_a_rude_line_goes_where_the_scenario_routes_it(tmp_path):
    out = tmp_path / "t.json"
    p = run(
        ["play", str(TYPED), "--plain", "--type", "--no-save", "--transcript-out", str(out)],
        "oh calm down, it's only a kettle\n",
        tmp_path,
    )
    assert p.returncode == 0, p.stderr
    assert "(That came across as dismissive.)" in p.stdout
    turn = json.loads(out.read_text())["turns"][0]
    assert turn["choice"] == "opening.3" and turn["typed"]["via"] == "rude"
    assert json.loads(out.read_text())["score"]["mistakes"][0]["id"] in ("rude", "no_ownership")


def test_control_sequences_typed_are_not_echoed(tmp_path):
    p = run(
        ["play", str(TYPED), "--plain", "--type", "--no-save"],
        "\x1b[2Jhello\x1b]0;x\x07\n",
        tmp_path,
    )
    assert "\x1b" not in p.stdout


def test_match_prints_the_decision_and_ranking_as_json(tmp_path):
    p = run(
        [
            "match",
            str(TYPED),
            "--state",
            "opening",
            "so sorry, what's gone wrong?",
            "--format",
            "json",
        ],
        tmp_path=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["decision"] == "accept" and d["choice"] == "opening.1"
    assert [r["number"] for r in d["ranking"]] and d["ranking"][0]["choice"] == "opening.1"
    assert all(0 <= r["score"] <= 1 for r in d["ranking"])


def test_match_names_an_unknown_state(tmp_path):
    p = run(["match", str(TYPED), "--state", "openin", "hi"], tmp_path=tmp_path)
    assert p.returncode == 2
    assert "no state 'openin'" in p.stderr and "opening" in p.stderr


def test_report_unmatched_lists_lines_not_understood_with_their_state(tmp_path):
    run(
        ["play", str(TYPED), "--plain", "--type", "--seed", "2"],
        "blue cheese\nsorry to hear that, what happened?\n",
        tmp_path,
    )
    p = run(["report", "--unmatched", "--format", "json"], tmp_path=tmp_path)
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)["unmatched"]
    assert [(r["scenario"], r["state"], r["typed"], r["then_chose"]) for r in rows] == [
        ("typed-kettle", "opening", "blue cheese", "opening.1")
    ]
    table = run(["report", "--unmatched"], tmp_path=tmp_path).stdout
    assert "typed-kettle · state opening" in table and '"blue cheese"' in table
