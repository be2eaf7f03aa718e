"""One check pipeline (simulator/tooling/checks.py): `countertalk lint` and the language server
give the same findings — codes and places — for every shipped file and for broken ones, and every
code is in the one table before any linter is imported."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from simulator.activities.files import activity_files
from simulator.engine.loader import scenario_files
from simulator.engine.pack import shipped_pack
from simulator.lsp.server import diagnostics_for

PACK = Path(shipped_pack())
SHIPPED = sorted(scenario_files(PACK)) + activity_files(PACK)

BROKEN_ACTIVITY = """\
id: broken-sort
title: A sort with problems
kind: sort
topic: complaints
level: 2
intro: Sort them.
marking_points: [no_such_point]
groups:
  - {id: a, label: A}
  - {id: b, label: B}
cards:
  - {text: one, group: a}
  - {text: two, group: c}
colour: blue
"""

BROKEN_SCENARIO = """\
id: broken
title: Broken
topic: complaint
summary: s
learner_role: r
customer: {name: C, mood: 50}
start: a
states:
  a:
    say: "hello {{ vars.nme }}"
    choices:
      - text: go
        goto: midle
  z: {end: resolved, say: bye}
"""


def lint_json(path: Path) -> list[dict]:
    from simulator.commands.lint import run

    args = argparse.Namespace(
        targets=[str(path)], strict=False, quiet=False, ignore=[], format="json"
    )
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        run(args)
    return json.loads(out.getvalue())


def same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lint = lint_json(path)
    lsp = diagnostics_for(text, str(path))
    assert [(d["code"], d["line"]) for d in lint] == [(d.code, d.range.start.line + 1) for d in lsp]
    for d, e in zip(lint, lsp):
        assert d["message"] == e.message
        # The range starts at lint's column (or, inside a template, at the name it names).
        assert e.range.start.character >= d["column"] - 1


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_lint_and_the_language_server_agree_on_every_shipped_file(path):
    same(path)


def test_they_agree_on_a_broken_activity(tmp_path):
    path = tmp_path / "broken-sort.yaml"
    path.write_text(BROKEN_ACTIVITY, encoding="utf-8")
    same(path)
    codes = {d["code"] for d in lint_json(path)}
    assert {"CT502", "CT506", "CT507"} <= codes


def test_they_agree_on_a_broken_scenario(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_SCENARIO, encoding="utf-8")
    same(path)
    assert {"CT101"} <= {d["code"] for d in lint_json(path)}


def test_the_language_server_gets_the_scoring_checks_too(tmp_path):
    """Before the pipeline, the language server ran only the format's passes: a choice whose
    own mistake contradicts the behaviour it lists (CT602) was reported by lint alone."""
    path = tmp_path / "contradicts.yaml"
    path.write_text(
        (Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "mistakes: [defensive]", "mistakes: [blaming_customer]\n        shows: [apologise]", 1
        ),
        encoding="utf-8",
    )
    codes = [d["code"] for d in lint_json(path)]
    assert "CT602" in codes
    same(path)


def test_every_code_is_in_the_table_before_any_linter_is_imported():
    code = (
        "import sys\n"
        "from simulator.lsp.server import hover_text\n"
        "assert 'simulator.activities.codes' not in sys.modules\n"
        "assert 'simulator.activities.lint' not in sys.modules\n"
        "print(hover_text('CT501'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "CT501 activity-yaml" in out
