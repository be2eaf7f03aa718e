"""Issue 31, item 1: hostile values of every scenario field, through every output.

No output may carry a raw ESC, C0/C1 control or bidi override from a scenario, a transcript or a
learner name; the HTML debrief shows markup as text. Plain mode's "This needed escalating to …"
line once printed an `escalation.to` role raw (an OSC 52 clipboard write).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import assert_inert, hostile, hostile_scenario

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "simulator"]


def run(argv, tmp_path, stdin="", check=True):
    env = {**os.environ, "COUNTERTALK_HOME": str(tmp_path / "home")}
    env.pop("COUNTERTALK_DB", None)
    p = subprocess.run(
        CLI + argv, input=stdin, capture_output=True, text=True, env=env, timeout=120, cwd=REPO
    )
    if check:
        assert p.returncode == 0, (argv, p.stderr)
    return p


def test_the_escalation_role_never_reaches_the_text_debrief_raw(tmp_path):
    """The field-level fix (not only the stream gate): the debrief's own text is clean."""
    from scoring.debrief import render
    from simulator.attempt import Attempt

    f = hostile_scenario(tmp_path)
    for answers in ([1, 1], [3]):
        attempt = Attempt(f, learner="sam\x1b]52;c;eA==\x07", mode="practice", seed=1)
        attempt.load()
        attempt.start()
        for n in answers:
            attempt.choose(n)
        assert attempt.result is not None
        result = attempt.result
        scenario = attempt._scenario()
        for fmt in ("text", "md", "html"):
            shown = render(scenario, result["transcript"], result["score"], fmt=fmt)
            assert_inert(f"debrief {fmt} {answers}", shown, html=fmt == "html")
            if fmt == "text" and answers == [1, 1]:
                assert "This needed escalating to the Escto" in shown


def test_hostile_fields_are_inert_in_every_command_output(tmp_path):
    f = hostile_scenario(tmp_path)
    outputs: dict[str, str] = {}
    for answers, label in (("1\n1\n", "missed"), ("3\n", "escalated"), ("2\n2\n", "stuck")):
        t = tmp_path / f"{label}.json"
        p = run(
            ["play", str(f), "--plain", "--learner", "Sam\x1b[2J", "--transcript-out", str(t)],
            tmp_path,
            answers,
            check=False,
        )
        outputs[f"plain {label}"] = p.stdout + p.stderr
        if label == "missed":
            assert "This needed escalating to the Escto" in p.stdout  # the line that leaked
            assert "Title" in p.stdout and "Name" in p.stdout and "Feedback" in p.stdout
        for fmt in ("text", "md", "html"):
            s = run(["score", str(t), "--scenario", str(f), "--format", fmt], tmp_path, check=False)
            outputs[f"score {fmt} {label}"] = s.stdout + s.stderr
        out = tmp_path / f"{label}.md"
        run(["score", str(t), "--scenario", str(f), "--format", "md", "-o", str(out)], tmp_path,
            check=False)  # fmt: skip
        if out.exists():
            outputs[f"score file {label}"] = out.read_text()
    pack = ["--pack", str(tmp_path)]
    for fmt in ("table", "csv", "json"):
        outputs[f"report {fmt}"] = run(["report", "--format", fmt, *pack], tmp_path).stdout
    outputs["report choices"] = run(["report", "--format", "csv", "--choices", *pack],
                                    tmp_path).stdout  # fmt: skip
    xapi = run(["export", "--xapi", *pack], tmp_path).stdout
    outputs["xapi"] = xapi
    # JSON escapes a raw ESC as \u001b, which the LRS then shows: the values themselves are clean
    decoded = json.loads(xapi)
    assert decoded
    outputs["xapi decoded"] = json.dumps(decoded, ensure_ascii=False)
    for fmt in ("mermaid", "dot"):
        outputs[f"graph {fmt}"] = run(["graph", str(f), "--format", fmt], tmp_path).stdout
    outputs["paths"] = run(["paths", str(f)], tmp_path, check=False).stdout
    outputs["lint"] = run(["lint", str(f)], tmp_path, check=False).stdout
    outputs["progress"] = run(["report", "--progress", *pack], tmp_path, check=False).stdout
    outputs["list"] = run(["list", "--pack", str(tmp_path)], tmp_path, check=False).stdout
    for name, shown in outputs.items():
        assert_inert(name, shown, html="html" in name)
    assert "Escto" in outputs["score text missed"]
    assert "Title" in outputs["report table"] or "hostile" in outputs["report table"]


def test_the_stream_gate_cleans_whatever_a_command_prints(capsys):
    """A field a future change forgets to clean is still harmless: cli.main prints through the
    one sanitiser."""
    from simulator import cli
    from simulator.safe_output import SafeStream

    stream = io.StringIO()
    SafeStream(stream).write(hostile("Gate") + "\n")
    assert_inert("gate", stream.getvalue())
    assert stream.getvalue().startswith("Gate")
    assert cli.main(["play", "/nonexistent/\x1b]52;c;eA==\x07.yaml", "--plain"]) != 0
    captured = capsys.readouterr()
    assert_inert("error", captured.out + captured.err)


@pytest.mark.parametrize("field", ["text", "why", "label", "title", "summary", "intro"])
def test_hostile_activity_cards_are_inert_in_plain_play(tmp_path, field):
    import yaml

    doc = yaml.safe_load((REPO / "scenarios/activities/sort-controllable-or-not.yaml").read_text())
    if field in ("text", "why"):
        for i, card in enumerate(doc["cards"]):
            card[field] = hostile(field.title() + "abcdefghijklmnop"[i])
    elif field == "label":
        for i, group in enumerate(doc["groups"]):
            group["label"] = hostile("Label" + "abcdefgh"[i])
    else:
        doc[field] = hostile(field.title())
    f = tmp_path / "sort-hostile.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=False, sort_keys=False))
    p = run(["play", str(f), "--plain", "--no-save"], tmp_path, "a\n" * 12, check=False)
    assert_inert(f"activity {field}", p.stdout + p.stderr)
    if field != "summary":  # not shown in plain play
        assert field.title() in p.stdout
