"""The checked-scenario cache: a file played again, unchanged, is not checked again — and
anything else (an edit, a damaged entry, a newer checker, errors) is checked as if there were
no cache. Each test has its own cache folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.attempt import AttemptProblem, load
from simulator.engine import checked, loader
from simulator.engine.pack import scenario_files, shipped_pack

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("COUNTERTALK_CACHE", str(folder))
    return folder / "checked"


@pytest.fixture
def checks(monkeypatch):
    """Counts the real checks (parse + lint + build) that happen."""
    calls: list[str] = []
    real = loader.check_bytes

    def counting(raw, path="<scenario>", **kw):
        calls.append(path)
        return real(raw, path, **kw)

    monkeypatch.setattr(loader, "check_bytes", counting)
    return calls


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def test_an_unchanged_file_is_checked_once_and_comes_back_the_same(cache, checks, tmp_path):
    path = _copy(KETTLE, tmp_path / "kettle.yaml")
    first, r1 = load(path)
    second, r2 = load(path)
    assert checks == [str(path)]  # the second load read the cache
    assert len(list(cache.glob("*.msgpack"))) == 1
    assert second == first  # every field, all the way down
    assert second.source == first.source == str(path)
    assert second.content_hash == first.content_hash
    assert second.where("states", "opening", "choices", 1, "text") == first.where(
        "states", "opening", "choices", 1, "text"
    )
    assert second.find_choice("opening.2") == first.find_choice("opening.2")
    assert (r2.diagnostics, r2.scenario_id, r2.id_position) == (
        r1.diagnostics,
        r1.scenario_id,
        r1.id_position,
    )


def test_every_shipped_scenario_round_trips_exactly(cache):
    for path in scenario_files(shipped_pack()):
        fresh = loader.check_file(path)
        load(path)  # fills the cache
        cached, result = load(path)
        assert cached == fresh.scenario, path
        assert cached.__dict__.get("_positions") == fresh.scenario.__dict__.get("_positions")
        assert result.diagnostics == fresh.diagnostics, path


def test_warnings_are_kept_with_the_entry(cache, checks, tmp_path):
    text = KETTLE.read_text().replace("topic: complaint", "topic: grumbles")
    path = tmp_path / "warn.yaml"
    path.write_text(text)
    _, r1 = load(path)
    _, r2 = load(path)
    assert len(checks) == 1
    assert [d.code for d in r2.warnings] == [d.code for d in r1.warnings] == ["CT107"]
    assert str(r2.warnings[0]).startswith(f"{path}:")


def test_an_edit_of_one_byte_is_checked_again(cache, checks, tmp_path):
    path = _copy(KETTLE, tmp_path / "kettle.yaml")
    load(path)
    path.write_text(path.read_text().replace("mood: 40", "mood: 41", 1))
    sc, _ = load(path)
    assert len(checks) == 2
    assert sc.customer.mood == 41


def test_a_file_with_errors_is_never_cached(cache, checks, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(KETTLE.read_text().replace("goto: fault_described", "goto: nowhere", 1))
    for _ in range(2):
        with pytest.raises(AttemptProblem) as info:
            load(path)
        assert any("CT101" in line for line in info.value.diagnostics)
    assert len(checks) == 2
    assert not list(cache.glob("*.msgpack"))


def test_the_same_bytes_at_another_path_name_their_own_file(cache, checks, tmp_path):
    text = KETTLE.read_text().replace("topic: complaint", "topic: grumbles")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text)
    b.write_text(text)
    load(a)
    sc, result = load(b)
    assert sc.source == str(b)
    assert all(d.path == str(b) for d in result.diagnostics)


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\x95\x01\x02"])
def test_a_damaged_entry_is_checked_again_and_replaced(cache, checks, tmp_path, damage):
    path = _copy(KETTLE, tmp_path / "kettle.yaml")
    first, _ = load(path)
    (entry,) = cache.glob("*.msgpack")
    entry.write_bytes(damage)
    again, _ = load(path)
    assert again == first
    assert len(checks) == 2
    assert entry.read_bytes() != damage  # written afresh


def test_a_newer_checker_does_not_trust_older_entries(cache, checks, tmp_path, monkeypatch):
    path = _copy(KETTLE, tmp_path / "kettle.yaml")
    load(path)
    monkeypatch.setattr(checked, "checker_fingerprint", lambda: b"another checker")
    load(path)
    assert len(checks) == 2


def test_the_cache_can_be_off_or_unwritable(tmp_path, monkeypatch, checks):
    path = _copy(KETTLE, tmp_path / "kettle.yaml")
    monkeypatch.setenv("COUNTERTALK_CACHE", "off")
    load(path)
    load(path)
    assert len(checks) == 2
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("COUNTERTALK_CACHE", str(blocker))
    sc, _ = load(path)
    assert sc.id == "kettle-day12"  # played all the same


def test_old_entries_are_pruned(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(checked, "MAX_ENTRIES", 4)
    src = KETTLE.read_text()
    for n in range(7):
        p = tmp_path / f"k{n}.yaml"
        p.write_text(src)
        load(p)
    assert len(list(cache.glob("*.msgpack"))) <= 4


def test_a_cached_play_imports_neither_yaml_nor_lint_nor_jinja(tmp_path):
    """What the cache is for: the second `play` of a file skips parsing, lint and Jinja2 (the
    kettle's opening lines use only {{ vars.NAME }}, which the fast path fills in). Nor
    OpenSSL's hashlib (2-10 ms to import): only translations are stamped with a sha256."""
    env = {**os.environ, "COUNTERTALK_CACHE": str(tmp_path / "cache")}
    probe = (
        "import sys\n"
        "from simulator.attempt import Attempt\n"
        f"a = Attempt({str(KETTLE)!r}, learner='t', mode='practice', seed=1, store=None)\n"
        "a.load(); a.start(); print(a.offered()[0].text)\n"
        "print(sorted(m for m in ('yaml', 'jinja2', 'simulator.engine.lint.shape', '_hashlib') "
        "if m in sys.modules))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        ).stdout.splitlines()
        for _ in range(2)
    ]
    assert runs[0][0] == runs[1][0]  # the same first option either way
    assert runs[0][1] != "[]"  # the first run checked the file
    assert runs[1][1] == "[]"


def test_a_process_that_asks_keeps_one_result_per_file(cache, checks, tmp_path):
    path = _copy(KETTLE, tmp_path / "kettle.yaml")
    checked.keep_in_memory()
    try:
        first, _ = load(path)
        again, _ = load(path)
        assert again is first, "the same frozen scenario, not a second copy"
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        edited, _ = load(path)
        assert edited is not first and len(checks) == 2
    finally:
        checked.keep_in_memory(0)
    assert load(path)[0] is not edited, "not kept once asked to stop"
