"""The committed lock matches pyproject.toml, and the check notices when it does not."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check_lock.py")
assert _spec is not None and _spec.loader is not None
check_lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_lock)


def _copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def test_the_committed_lock_matches_pyproject():
    assert check_lock.problems(ROOT) == []


def test_a_dependency_added_without_relocking_is_reported(tmp_path):
    root = _copy(tmp_path)
    text = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(
        text.replace('"PyYAML>=6.0.1",', '"PyYAML>=6.0.1", "left-pad>=1",')
    )
    found = check_lock.problems(root)
    assert any("'left-pad' is in pyproject.toml but not locked" in p for p in found), found


def test_a_range_the_pin_no_longer_fits_is_reported(tmp_path):
    root = _copy(tmp_path)
    text = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(text.replace('"PyYAML>=6.0.1"', '"PyYAML>=99"'))
    found = check_lock.problems(root)
    assert any("does not satisfy 'PyYAML>=99'" in p for p in found), found


def test_a_lock_without_hashes_is_reported(tmp_path):
    root = _copy(tmp_path)
    lock = root / "requirements" / "runtime.txt"
    lock.write_text("\n".join(ln for ln in lock.read_text().splitlines() if "--hash" not in ln))
    assert any("has no hashes" in p for p in check_lock.problems(root))
