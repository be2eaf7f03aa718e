"""Activities through the real `countertalk` command: plain play of each kind, list, progress."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [str(Path(sys.executable).parent / "countertalk")]


def run(args, home, stdin=""):
    env = dict(os.environ, COUNTERTALK_HOME=str(home))
    return subprocess.run(
        CLI + args, input=stdin, capture_output=True, text=True, env=env, timeout=60
    )


def right_answers(activity_id: str, seed: int) -> str:
    from simulator.activities.lint import load_activity, resolve
    from simulator.activities.run import LETTERS, ActivityRun

    r = ActivityRun(load_activity(resolve(activity_id)), seed)
    return "".join(" ".join(LETTERS[i] for i in sorted(q.right)) + "\n" for q in r.questions)


@pytest.mark.parametrize(
    "activity, kind",
    [
        ("sort-factors-inside-outside", "sort"),
        ("spot-rights-and-duties", "spot"),
        ("match-support-for-staff", "match"),
        ("order-complaint-referral", "order"),
    ],
)
def test_plain_play_of_each_kind_is_marked_saved_and_shows_in_progress(tmp_path, activity, kind):
    answers = right_answers(activity, 4)
    p = run(
        [
            "play",
            activity,
            "--plain",
            "--seed",
            "4",
            "--learner",
            "kim",
            "--transcript-out",
            str(tmp_path / "t.json"),
        ],
        tmp_path,
        "zz\n" + answers,  # a bad answer first: asked again, nothing counted
    )
    assert p.returncode == 0, p.stderr
    assert f"A {kind} activity" in p.stdout
    assert "Type " in p.stdout  # the bad answer was explained
    assert "right, 100%." in p.stdout and "— met:" in p.stdout
    t = json.loads((tmp_path / "t.json").read_text())
    assert t["kind"] == kind and t["result"]["grade"] == "pass"
    prog = run(["progress", "--learner", "kim", "--format", "json"], tmp_path)
    assert prog.returncode == 0, prog.stderr
    data = json.loads(prog.stdout)
    met = {p["id"] for el in data["elements"] for p in el["points"] if p["status"] == "met"}
    assert set(t["result"]["course_points"]) <= met
    x = run(["export", "--xapi"], tmp_path)
    statements = json.loads(x.stdout)
    assert statements[0]["object"]["id"] == f"urn:countertalk:activity:{activity}"
    assert statements[0]["verb"]["display"]["en-US"] == "passed"


def test_wrong_answers_are_explained_and_the_point_is_missed(tmp_path):
    p = run(
        ["play", "sort-controllable-or-not", "--plain", "--seed", "1", "--no-save"],
        tmp_path,
        "b\n" * 8,
    )
    assert p.returncode == 0
    assert "Not quite — the answer is a) Staff can control it." in p.stdout
    assert "not yet met (needs 70%)" in p.stdout


def test_end_of_input_stops_cleanly(tmp_path):
    p = run(["play", "order-service-profit-chain", "--plain", "--no-save"], tmp_path, "a\n")
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "Stopped before the end" in p.stdout


def test_list_json_has_conversations_and_activities(tmp_path):
    p = run(["list", "--format", "json"], tmp_path)
    assert p.returncode == 0, p.stderr
    items = {e["id"]: e for e in json.loads(p.stdout)}
    assert items["faulty-toaster-day12"]["kind"] == "conversation"
    sort = items["sort-factors-inside-outside"]
    assert (sort["kind"], sort["topic"], sort["level"]) == ("sort", "factors", 2)
    assert sort["marking_points"] == ["internal_external_factors", "two_and_two_factors"]
    assert {e["kind"] for e in items.values()} == {"conversation", "sort", "spot", "match", "order"}


def test_lint_reports_a_broken_activity_with_its_code(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text(
        "id: a\ntitle: A\nkind: order\ntopic: factors\nlevel: 4\nintro: x\n"
        "marking_points: [career_routes]\nsteps:\n  - {text: a, why: b}\n"
        "  - {text: b, why: b}\n  - {text: c, why: b}\n"
    )
    p = run(["lint", str(f)], tmp_path)
    assert p.returncode == 1
    assert f"{f}:5:8: error: level must be 2 or 3 [CT505 activity-invalid-value]" in p.stdout


def test_score_marks_a_saved_activity_transcript_again(tmp_path):
    t = tmp_path / "t.json"
    p = run(
        [
            "play",
            "sort-controllable-or-not",
            "--plain",
            "--seed",
            "2",
            "--no-save",
            "--transcript-out",
            str(t),
        ],
        tmp_path,
        "a\nb\n" * 4,
    )
    assert p.returncode == 0
    played = json.loads(t.read_text())["result"]
    s = run(["score", str(t), "--format", "json"], tmp_path)
    assert s.returncode == 0, s.stderr
    assert json.loads(s.stdout) == played
    data = json.loads(t.read_text())
    data["turns"][0]["choice"] = "z"  # not an option of question 1
    t.write_text(json.dumps(data))
    bad = run(["score", str(t)], tmp_path)
    assert bad.returncode == 1 and "turn 1: 'z' is not an answer" in bad.stderr


def test_lint_a_pack_refuses_an_activity_id_shared_with_a_scenario(tmp_path):
    import shutil

    root = Path(__file__).resolve().parents[2] / "scenarios"
    pack = tmp_path / "pack"
    (pack / "activities").mkdir(parents=True)
    shutil.copy(root / "faulty-toaster-day12.yaml", pack)
    src = (root / "activities" / "sort-controllable-or-not.yaml").read_text()
    (pack / "activities" / "a.yaml").write_text(src)
    (pack / "activities" / "b.yaml").write_text(
        src.replace("id: sort-controllable-or-not", "id: faulty-toaster-day12")
    )
    (pack / "activities" / "c.yaml").write_text(src)
    p = run(["lint", str(pack)], tmp_path)
    assert p.returncode == 1
    assert f"{pack / 'activities' / 'b.yaml'}:2:5: error: activity id 'faulty-toaster-day12'" in (
        p.stdout
    )
    assert f"{pack / 'activities' / 'c.yaml'}:2:5: error: duplicate activity id" in p.stdout
    assert p.stdout.count("CT514") == 2


def test_plain_activity_reads_aloud_without_decoration_or_seed(tmp_path):
    """Issue 30: "==" rules, "[1/10]" and "seed N" were read aloud by a screen reader."""
    p = run(
        ["play", "sort-controllable-or-not", "--plain", "--seed", "668551", "--no-save"],
        tmp_path,
        "a\nb\n" * 4,
    )
    assert p.returncode == 0, p.stderr
    for token in ("==", "[1/", "668551", " | "):
        assert token not in p.stdout, token
    assert "Result: " in p.stdout and " of " in p.stdout
