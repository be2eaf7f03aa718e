"""`countertalk test`: scenario tests pass, fail at the step that diverged, and write JUnit XML."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests/fixtures/kettle.yaml"


def run(*args, cwd=None, home=None):
    env = {**os.environ}
    if home:
        env["COUNTERTALK_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "simulator", "test", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )


@pytest.fixture
def kettle(tmp_path):
    target = tmp_path / "kettle.yaml"
    target.write_text(KETTLE.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def best_and_worst(path: Path):
    from scoring import paths
    from simulator.engine.loader import load_scenario

    analysis = paths.analyse(load_scenario(path))
    return analysis["best"], analysis["worst"]


def write_tests(kettle: Path, body: str) -> Path:
    tf = kettle.with_name("kettle.test.yaml")
    tf.write_text("tests:\n" + body, encoding="utf-8")
    return tf


def test_passing_expectations_exit_0_and_junit_counts_them(kettle, tmp_path):
    best, worst = best_and_worst(kettle)
    numbers = []  # the same best path written as numbers as offered
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime

    session = Runtime(load_scenario(kettle)).new_session(seed=0)
    for cid in best["choices"]:
        offered = session.offered()
        n = next(o.number for o in offered if o.choice_id == cid)
        numbers.append(n)
        session.choose(n)
    write_tests(
        kettle,
        f"""\
  - name: best path by ids
    path: {best["choices"]}
    expect: {{ending: {best["ending"]}, outcome: {best["outcome"]}, grade: {best["grade"]},
             percent: [{best["percent"]}, {best["percent"]}], no_mistakes: [rude]}}
  - name: best path by numbers
    path: {numbers}
    expect: {{ending: {best["ending"]}}}
  - name: worst path makes its mistakes
    path: {worst["choices"]}
    expect: {{outcome: {worst["outcome"]}, mistakes: {sorted(set(worst["mistakes"]))}}}
""",
    )
    junit = tmp_path / "out.xml"
    r = run(str(kettle), "--junit", str(junit))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 tests in 1 file: all passed" in r.stdout
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "0"
    assert [tc.get("name") for tc in suite.iter("testcase")] == [
        "best path by ids",
        "best path by numbers",
        "worst path makes its mistakes",
    ]


def test_failures_name_the_step_where_the_path_diverged(kettle, tmp_path):
    best, worst = best_and_worst(kettle)
    wrong_turn = ["opening.9"] + best["choices"][1:]
    write_tests(
        kettle,
        f"""\
  - name: worst path cannot give the best ending
    path: {worst["choices"]}
    expect: {{ending: {best["ending"]}}}
  - name: a choice that is not on offer
    path: {wrong_turn}
    expect: {{ending: {best["ending"]}}}
  - name: mistakes that should not be there
    path: {worst["choices"]}
    expect: {{no_mistakes: [{worst["mistakes"][0]}], grade: distinction}}
""",
    )
    junit = tmp_path / "out.xml"
    r = run(str(kettle.parent), "--junit", str(junit))
    assert r.returncode == 1
    out = r.stdout
    assert "3 tests in 1 file: 3 failed" in out
    assert f"expected ending '{best['ending']}', got '{worst['ending']}'" in out
    assert "the path diverged at step" in out
    assert "step 1 (opening.9): not on offer in state 'opening'" in out
    assert f"expected no '{worst['mistakes'][0]}' mistake; step " in out
    assert "expected grade distinction, got" in out
    cases = ET.parse(junit).getroot().find("testsuite").findall("testcase")
    assert all(tc.find("failure") is not None for tc in cases)


def test_a_broken_test_file_is_a_failure_at_its_line(kettle):
    write_tests(kettle, "  - name: typo\n    path: [opening.1]\n    expect: {endng: x}\n")
    r = run(str(kettle))
    assert r.returncode == 1
    assert "kettle.test.yaml:4:14: unknown expectation 'endng'" in r.stdout


def test_init_writes_starter_tests_that_pass_and_never_overwrites(kettle):
    r = run("--init", str(kettle.parent))
    assert r.returncode == 0, r.stdout + r.stderr
    tf = kettle.with_name("kettle.test.yaml")
    assert f"wrote {tf}" in r.stdout and "2 tests in 1 file: all passed" in r.stdout
    tf.write_text("tests: []\n", encoding="utf-8")
    r = run("--init", str(kettle))
    assert tf.read_text(encoding="utf-8") == "tests: []\n"


def test_no_tests_is_a_usage_error(tmp_path):
    r = run(str(tmp_path))
    assert r.returncode == 2 and "no tests in" in r.stderr


def test_every_shipped_scenario_has_tests_and_they_pass(tmp_path):
    pack = ROOT / "scenarios"
    scenarios = [p for p in pack.glob("*.yaml") if not p.name.endswith(".test.yaml")]
    missing = [p.name for p in scenarios if not p.with_name(p.stem + ".test.yaml").is_file()]
    assert not missing, f"scenarios without tests: {missing}"
    r = run(str(pack), "-q", home=tmp_path)
    assert r.returncode == 0, r.stdout
