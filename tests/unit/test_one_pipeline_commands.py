"""Every command that uses a file loads it through the one check pipeline (tooling/checks.py),
so a broken file gets the same errors from `lint`, `test`, `paths`, `graph`, `play --plain` and
the checked-scenario cache (issue 27, item 4). Before, `paths` and `graph` read an activity as
a scenario and reported a dozen CT201/CT202 errors lint never shows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
ACTIVITY = ROOT / "scenarios" / "activities" / "sort-controllable-or-not.yaml"
ERROR = re.compile(r"^\S+:\d+:\d+: error: .*\[CT\d{3} [a-z-]+\]$")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        env={"COUNTERTALK_CACHE": "off", "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


def errors_in(text: str) -> list[str]:
    """The file:line:col error lines, wherever a command prints them (test indents them)."""
    out = []
    for line in text.splitlines():
        line = line.strip().removeprefix("the scenario has errors: ")
        if ERROR.match(line):
            out.append(line)
    return sorted(out)


@pytest.fixture(params=["scenario", "activity"])
def broken(request, tmp_path) -> Path:
    if request.param == "scenario":
        text = KETTLE.read_text(encoding="utf-8").replace(
            "goto: fault_described", "goto: fault_descrbed"
        )
    else:
        text = ACTIVITY.read_text(encoding="utf-8").replace("title:", "titel:", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "broken.test.yaml").write_text(
        "tests:\n  - name: t\n    choices: [1]\n", encoding="utf-8"
    )
    return path


def test_every_command_reports_the_errors_lint_reports(broken):
    cwd = broken.parent
    lint = cli("lint", broken.name, cwd=cwd)
    want = errors_in(lint.stdout + lint.stderr)
    assert lint.returncode == 1 and want
    for args in (
        ("paths", broken.name),
        ("graph", broken.name),
        ("test", "broken.test.yaml"),
        ("play", broken.name, "--plain", "--no-save"),
    ):
        got = cli(*args, cwd=cwd)
        assert got.returncode == 1, (args, got.stderr)
        assert errors_in(got.stdout + got.stderr) == want, args
        assert "Traceback" not in got.stderr


def test_a_clean_activity_given_to_paths_is_a_usage_error_not_scenario_errors(tmp_path):
    shutil.copy(ACTIVITY, tmp_path / "a.yaml")
    got = cli("paths", "a.yaml", cwd=tmp_path)
    assert got.returncode == 2 and "is an activity, not a conversation" in got.stderr
    assert errors_in(got.stderr) == []


def test_the_cache_keeps_what_the_pipeline_found(tmp_path, monkeypatch):
    """A file played is checked by the pipeline (scoring's warnings too), and a second read
    from the cache gives the same findings."""
    from simulator.tooling.checks import check_cached, load

    monkeypatch.setenv("COUNTERTALK_CACHE", str(tmp_path / "cache"))
    first = check_cached(KETTLE)
    again = check_cached(KETTLE)
    lint = load(KETTLE)
    assert first.scenario is not None and again.scenario is not None
    assert [str(d) for d in again.diagnostics] == sorted(str(d) for d in lint.diagnostics)
    assert list((tmp_path / "cache").rglob("*")), "nothing was cached"


def test_the_apps_background_check_is_the_pipeline_too(tmp_path, monkeypatch):
    """`countertalk play` checks a new file in a child process while Textual loads: the
    child runs the pipeline, so its result (and the cache entry it leaves) has lint's findings."""
    from simulator.engine.background_check import BackgroundCheck
    from simulator.tooling.checks import load

    monkeypatch.setenv("COUNTERTALK_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "k.yaml"
    shutil.copy(KETTLE, path)
    child = BackgroundCheck.start(str(path), module="simulator.tooling.check_child")
    if child is None:
        pytest.skip("no posix_spawn here")
    result = child.wait()
    assert result is not None and result.scenario is not None
    want = sorted(str(d) for d in load(path).diagnostics)
    assert [str(d) for d in result.diagnostics] == want


def test_checking_a_file_for_play_does_not_import_the_scorer():
    """A file played for the first time is checked on the way to its first screen (the
    background check's child runs `checked_bytes`): the scoring checks read the law marks'
    acts and the good-practice entries from the catalogue, not from the scorer (~5 ms to
    import). Their warnings are tested where they are made (test_law_marks, test_lint)."""
    code = (
        "import sys, json; from simulator.tooling.checks import checked_bytes; "
        "p = 'scenarios/faulty-toaster-day12.yaml'; r = checked_bytes(open(p, 'rb').read(), p); "
        "print(json.dumps([r.scenario is not None, 'scoring.scorer' in sys.modules]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[true, false]"
