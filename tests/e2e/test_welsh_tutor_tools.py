"""Issue 32, tutor tools (lowest priority): `countertalk --lang cy lint` sums up in Welsh (the
diagnostics themselves keep their English and codes: docs/diagnostics.md is the reference), and
`report --progress` names the whole class in Welsh above its Welsh progress map (not tested
here: the map itself is tests/e2e/test_welsh_progress.py's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def countertalk(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COUNTERTALK_HOME=str(home), NO_COLOR="1")
    env.pop("COUNTERTALK_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_lint_sums_up_in_welsh(tmp_path):
    r = countertalk("--lang", "cy", "lint", "scenarios/spill-in-aisle.yaml", home=tmp_path)
    assert r.returncode == 0 and r.stdout == "1 ffeil, dim problemau\n", r.stdout + r.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: Bad\n", encoding="utf-8")
    r = countertalk("--lang", "cy", "lint", str(bad), home=tmp_path)
    assert r.returncode == 1
    summary = r.stderr.strip().splitlines()[-1]
    assert summary.startswith("1 ffeil: ") and ("1 gwall" in summary or "o wallau" in summary)
    r = countertalk("lint", str(bad), home=tmp_path)  # English as before
    assert r.stderr.strip().splitlines()[-1].startswith("1 file: ")
