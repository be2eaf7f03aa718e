"""Layering: the headless parts of CounterTalk never load Textual or Rich.

The engine, store, scorer, plain mode and the non-UI commands must work on a machine (or in a CI
job, a marking script, a classroom server) where nothing draws a terminal UI, and `countertalk
--help` / `countertalk lint` must stay cheap. Each module is imported in a fresh interpreter and
`sys.modules` is inspected; import-linter checks the same contract statically.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
UI_PACKAGES = ("textual", "rich")

# Every headless module the architecture names, listed explicitly so a missing one fails the check
# rather than silently dropping out of it.
HEADLESS = [
    "simulator.engine.yamlpos",
    "simulator.engine.loader",
    "simulator.engine.templating",
    "simulator.engine.session",
    "simulator.engine.model",
    "simulator.engine.format",
    "simulator.engine.mood",
    "simulator.errors",
    "simulator.store",
    "simulator.attempt",
    "simulator.tui.controller",
    "simulator.tui.play_flow",
    "simulator.tui.watch",
    "simulator.plain",
    "simulator.cli",
    "simulator.commands.lint",
    "simulator.commands.play",  # imports the TUI only inside run() for the app path
    "simulator.commands.score",
    "simulator.commands.paths",
    "simulator.commands.new",
    "simulator.commands.schema",
    "simulator.commands.graph",
    "simulator.commands.report",
    "simulator.commands.export",
    "simulator.commands.match",
    "simulator.engine.typed_format",
    "simulator.matching.matcher",
    "simulator.matching.replies",
    "simulator.matching.lint",
    "simulator.matching.unmatched",
    "simulator.plain.typed",
    "simulator.plain.conversation",
    "simulator.exercise.service",
    "simulator.exercise.conversation",
    "simulator.exercise.activity",
    "simulator.exercise.views",
    "simulator.activities.lint",
    "simulator.activities.run",
    "simulator.plain.activity",
    "simulator.activities.progress",
    "simulator.activities.record",
    "simulator.activities.schema",
    "simulator.commands.list",
    "simulator.commands.progress",
    "simulator.commands.lti",
    "simulator.store.lti",
    "simulator.lti.launch",
    "simulator.lti.keys",
    "simulator.lti.grades",
    "simulator.lti.deeplink",
    "scoring",
    "scoring.catalogue",
    "scoring.scorer",
    "scoring.debrief",
]


def _extra_scoring_modules() -> list[str]:
    """Any other scoring.* module that exists (scoring is headless as a whole)."""
    found = []
    for f in sorted((ROOT / "scoring").glob("*.py")):
        name = f"scoring.{f.stem}" if f.stem != "__init__" else "scoring"
        if name not in HEADLESS:
            found.append(name)
    return found


def _exists(module: str) -> bool:
    parts = module.split(".")
    base = ROOT.joinpath(*parts)
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


_PROBE = f"""
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {set(UI_PACKAGES)!r})))
"""


def _ui_modules_after(code_or_module: str, *, code: bool = False) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if code:
        argv = [PY, "-c", code_or_module]
    else:
        argv = [PY, "-c", _PROBE, code_or_module]
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"importing failed:\n{proc.stderr}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", HEADLESS + _extra_scoring_modules())
def test_headless_module_does_not_import_textual_or_rich(module):
    assert _exists(module), f"{module} is listed as headless but does not exist"
    loaded = _ui_modules_after(module)
    assert loaded == [], f"importing {module} pulled in UI packages: {loaded}"


def test_the_engine_modules_all_exist():
    """The engine's modules are the foundation: they must be there (not skipped above)."""
    missing = [m for m in HEADLESS if m.startswith("simulator.engine.") and not _exists(m)]
    assert missing == []


def test_playing_a_whole_session_stays_headless():
    """Not just importing: loading, linting and playing a scenario to its end loads no UI."""
    code = f"""
import json, sys
from simulator.engine.loader import check_file, load_scenario
from simulator.engine.session import Runtime
path = {str(ROOT / "tests" / "fixtures" / "kettle.yaml")!r}
assert not check_file(path).errors
s = Runtime(load_scenario(path)).new_session(seed=1)
while not s.ended:
    s.choose(1)
s.transcript()
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))
"""
    assert _ui_modules_after(code, code=True) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["lint", "--help"],
        ["play", "--help"],
        ["lint", "tests/fixtures/kettle.yaml"],
        ["lint", "scenarios/activities/sort-controllable-or-not.yaml"],
        ["list", "--format", "json"],
        ["progress", "--db", "no-such.db"],
    ],
)
def test_cli_help_and_lint_do_not_load_the_ui(argv):
    code = f"""
import contextlib, io, json, sys
from simulator.cli import main
buf = io.StringIO()
with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
    try:
        main({argv!r})
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))
"""
    assert _ui_modules_after(code, code=True) == []


def test_import_linter_contract_is_kept():
    exe = Path(PY).with_name("lint-imports")
    if not exe.exists():
        if importlib.util.find_spec("importlinter") is None:
            pytest.fail("import-linter is a dev dependency; install the dev extras")
        argv = [PY, "-m", "importlinter.cli"]
    else:
        argv = [str(exe)]
    proc = subprocess.run(
        argv + ["--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "broken" in out and "0 broken" in out, out
    assert "KEPT" in out
    # the layers contract is one of them: engine < scoring < application < front ends
    assert "Layers: front ends > application > scoring > engine KEPT" in out, out


def test_the_cli_called_in_process_leaves_countertalk_db_as_it_was(tmp_path, monkeypatch):
    """`--db` reaches every Store() of the command, and only that command: a second in-process
    call (the test suite's, the app's) must not find the first one's database."""
    import os

    from simulator.cli import main

    monkeypatch.delenv("COUNTERTALK_DB", raising=False)
    assert main(["--db", str(tmp_path / "a.db"), "db", "check"]) in (0, 1)
    assert "COUNTERTALK_DB" not in os.environ
    monkeypatch.setenv("COUNTERTALK_DB", str(tmp_path / "b.db"))
    main(["--db", str(tmp_path / "a.db"), "db", "check"])
    assert os.environ["COUNTERTALK_DB"] == str(tmp_path / "b.db")
