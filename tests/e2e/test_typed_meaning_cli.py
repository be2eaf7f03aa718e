"""Issue 26 through the real CLI (`countertalk play … --plain`), on shipped scenarios: what a
learner types is understood by meaning, assessment reads typed lines by default, and the
debrief quotes their words and the turns where the options were shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = [str(Path(sys.executable).parent / "countertalk")]


def run(args, stdin, tmp_path):
    env = dict(os.environ, COUNTERTALK_HOME=str(tmp_path))
    return subprocess.run(
        CLI + args, input=stdin, capture_output=True, text=True, env=env, timeout=180
    )


def test_assess_reads_typed_lines_by_default_and_names_the_turns_options_were_shown(tmp_path):
    out = tmp_path / "t.json"
    p = run(
        [
            "play",
            "faulty-toaster-day12",
            "--plain",
            "--assess",
            "--no-save",
            "--seed",
            "1",
            "--transcript-out",
            str(out),
        ],
        "thanks for bringing it back, what's it been doing?\n?\n1\n",
        tmp_path,
    )
    assert "Type what you would say" in p.stdout  # typed, without --type
    assert "Your choice (1-" not in p.stdout
    t = json.loads(out.read_text())
    assert t["turns"][0]["choice"] == "opening.1" and "options_shown" not in t["turns"][0]
    assert t["turns"][1]["options_shown"] is True
    # --pick opts out.
    p = run(
        ["play", "faulty-toaster-day12", "--plain", "--assess", "--pick", "--no-save"], "", tmp_path
    )
    assert "Type the number of what you say" in p.stdout


def test_the_debrief_names_the_turns_where_the_options_were_shown(tmp_path):
    from scoring.debrief import render
    from simulator.engine.loader import load_scenario

    sc = load_scenario(ROOT / "scenarios" / "faulty-toaster-day12.yaml")
    transcript = {
        "scenario": sc.id,
        "mode": "assess",
        "turns": [
            {
                "state": "opening",
                "choice": "opening.1",
                "text": "Thanks",
                "customer": "Hi",
                "typed": {"text": "thanks <b>for</b> that", "confirmed": False},
            },
            {
                "state": "fault_details",
                "choice": "fault_details.1",
                "text": "Sorry",
                "customer": "It smells",
                "options_shown": True,
                "unmatched": [
                    {
                        "text": "calm down \x1b[2J love",
                        "reason": "reads as dismissive",
                        "mistake": "rude",
                        "mood": -10,
                    }
                ],
            },
        ],
    }
    text = render(sc, transcript, fmt="text")
    assert "The options were shown at turn 2" in text
    assert 'You typed: "thanks <b>for</b> that"' in text
    assert 'You also typed: "calm down ' in text and "\x1b" not in text
    html = render(sc, transcript, fmt="html")
    assert "The options were shown at turn 2" in html and "<b>for</b>" not in html
    md = render(sc, transcript, fmt="md")
    assert "The options were shown at turn 2" in md and "You also typed" in md
    transcript["mode"] = "practice"
    assert "The options were shown" not in render(sc, transcript, fmt="text")


def test_the_issue_examples_in_play(tmp_path):
    out = tmp_path / "t.json"
    # "ok" is never taken; "i'll explain to dan" is not "could you explain to Dan".
    p = run(
        [
            "play",
            "faulty-toaster-day12",
            "--plain",
            "--type",
            "--no-save",
            "--seed",
            "2",
            "--transcript-out",
            str(out),
        ],
        "let me grab my supervisor for you\nok\n",
        tmp_path,
    )
    assert "(Understood as" in p.stdout
    assert p.stdout.count("(Understood as") == 1  # "ok" was not taken
    t = json.loads(out.read_text())
    assert len(t["turns"]) == 1 and t["turns"][0]["choice"] == "opening.4"


def test_a_rude_line_no_option_fits_costs_mood_and_is_a_mistake_in_assessment(tmp_path):
    out = tmp_path / "t.json"
    p = run(
        [
            "play",
            "faulty-toaster-day12",
            "--plain",
            "--assess",
            "--type",
            "--no-save",
            "--seed",
            "1",
            "--transcript-out",
            str(out),
        ],
        "thanks for bringing it back, what's it been doing?\n"
        "oh no, a burning smell is worrying, I'm sorry it's let you down\n"
        "calm down love, no need for that\n"
        "1\n",
        tmp_path,
    )
    assert "came across as dismissive" in p.stdout and "noted as a mistake" in p.stdout
    t = json.loads(out.read_text())
    miss = t["turns"][2]["unmatched"][0]
    assert miss["mistake"] == "rude" and miss["mood"] == -10


def test_play_type_asks_resume_or_new_when_an_attempt_is_unfinished(tmp_path):
    args = ["play", "faulty-toaster-day12", "--plain", "--type", "--seed", "1"]
    first = run(args, "thanks for bringing it back, what's it been doing?\n", tmp_path)
    assert first.returncode == 1  # input ended: the attempt is saved, unfinished
    again = run(args, "r\n", tmp_path)
    assert "You have an unfinished attempt at this scenario: 1 choice made." in again.stdout
    assert "Resuming at turn 2." in again.stdout
    new = run(args, "n\n", tmp_path)
    assert "Resuming" not in new.stdout
    # A brand-new learner is not asked.
    other = run(args + ["--learner", "someone-else"], "", tmp_path)
    assert "unfinished attempt" not in other.stdout
