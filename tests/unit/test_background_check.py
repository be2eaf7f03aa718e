"""Checking a never-played file in a second interpreter while the app starts: the parent gets
the same result as checking it itself, without importing PyYAML, lint or Jinja2; errors come
back as diagnostics; a child that fails, or checked other bytes, leaves the parent to check the
file. Each case runs in a fresh interpreter, as `countertalk play` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"

pytestmark = pytest.mark.skipif(not hasattr(os, "posix_spawn"), reason="POSIX only")


def _probe(tmp_path, path: Path, before: str = "") -> dict:
    script = before + textwrap.dedent(
        f"""
        import json, sys
        from simulator.engine.background_check import BackgroundCheck
        job = BackgroundCheck.start({str(path)!r})
        result = job.wait() if job is not None else None
        out = {{"started": job is not None, "result": result is not None}}
        if result is not None:
            out["diagnostics"] = [str(d) for d in result.diagnostics]
            out["title"] = result.scenario.title if result.scenario else None
            out["where"] = result.scenario.where("states", "opening") if result.scenario else None
            out["hash"] = result.scenario.content_hash if result.scenario else None
        out["parent_imported"] = sorted(
            m for m in ("yaml", "jinja2", "simulator.engine.lint.shape") if m in sys.modules
        )
        print(json.dumps(out))
        """
    )
    env = {**os.environ, "COUNTERTALK_CACHE": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_child_checks_and_the_parent_never_imports_the_checker(tmp_path):
    from simulator.engine.loader import check_file

    path = tmp_path / "kettle.yaml"
    path.write_bytes(KETTLE.read_bytes())
    out = _probe(tmp_path, path)
    fresh = check_file(path)
    assert out["started"] and out["result"]
    assert out["title"] == fresh.scenario.title
    assert out["where"] == fresh.scenario.where("states", "opening")
    assert out["hash"] == fresh.scenario.content_hash
    assert out["diagnostics"] == [str(d) for d in fresh.diagnostics]
    assert out["parent_imported"] == []
    # ... and the child left it in the cache: the next start has nothing to fork for
    again = _probe(tmp_path, path)
    assert again["started"] is False


def test_errors_come_back_as_diagnostics(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(KETTLE.read_text().replace("goto: fault_described", "goto: nowhere", 1))
    out = _probe(tmp_path, path)
    assert out["started"] and out["result"] and out["title"] is None
    assert any("CT101" in d and str(path) in d for d in out["diagnostics"])


def _stand_in(tmp_path, body: str) -> str:
    """A program to start instead of Python: what a broken or lying child would do."""
    exe = tmp_path / "child.sh"
    exe.write_text("#!/bin/sh\n" + body + "\n")
    exe.chmod(0o755)
    return f"import sys\nsys.executable = {str(exe)!r}\n"


@pytest.mark.parametrize(
    "body",
    [
        "exit 1",  # fails
        "printf 'not-the-key\\n'; exit 0",  # checked other bytes (the file changed meanwhile)
        "printf '%s\\n' \"$(cat /dev/null)\"; head -c 64 /dev/urandom; exit 0",  # garbage
    ],
)
def test_a_child_that_fails_or_checked_other_bytes_is_not_believed(tmp_path, body):
    path = tmp_path / "kettle.yaml"
    path.write_bytes(KETTLE.read_bytes())
    out = _probe(tmp_path, path, before=_stand_in(tmp_path, body))
    assert out["started"] and out["result"] is False  # the caller then checks it itself


def test_other_threads_do_not_stop_it(tmp_path):
    path = tmp_path / "kettle.yaml"
    path.write_bytes(KETTLE.read_bytes())
    busy = "import threading, time\nthreading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
    out = _probe(tmp_path, path, before=busy)
    assert out["started"] and out["result"]


def test_the_child_starts_without_site_and_without_the_collector(tmp_path):
    """The child is on the way to a first-ever screen: it skips site.py (and the .pth files it
    runs) and the cyclic collector, and still imports everything from where the parent does."""
    from simulator.engine.background_check import child_argv

    argv = child_argv("simulator.engine.background_check", str(KETTLE))
    assert argv[:4] == [sys.executable, "-I", "-S", "-c"]
    seen = argv[:]  # the same start, reporting what it has, then a module that exits 0
    seen[4] = seen[4].replace(
        "runpy.run_module", "print(sorted(m for m in ('site', 'yaml') if m in sys.modules), "
        "gc.isenabled()); import yaml, simulator, scoring; runpy.run_module"
    )  # fmt: skip
    proc = subprocess.run(
        seen[:-2] + ["json.tool", "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "[] False"
    env = {**os.environ, "COUNTERTALK_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(argv, capture_output=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(b"\n", 1)[1]  # key, then the encoded result


def test_the_parent_starts_the_child_before_importing_the_model(tmp_path):
    """The child is started as soon as the parent has the cache key: finding the key reads no
    model (msgspec), and the marking data's folder is found without importlib.resources. Each
    import before the start delays a first-ever screen (the child's check is on its path)."""
    path = tmp_path / "kettle.yaml"
    path.write_bytes(KETTLE.read_bytes())
    script = textwrap.dedent(
        f"""
        import json, sys
        from simulator.engine.background_check import BackgroundCheck
        job = BackgroundCheck.start({str(path)!r})
        before = sorted(
            m for m in ("msgspec", "simulator.engine.model", "importlib.resources")
            if m in sys.modules
        )
        result = job.wait() if job is not None else None
        print(json.dumps({{"before": before, "checked": result is not None}}))
        """
    )
    env = {**os.environ, "COUNTERTALK_CACHE": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"before": [], "checked": True}


def test_the_child_ends_without_the_interpreters_teardown(tmp_path):
    """The parent reads the result until the pipe closes, so the child's exit is on the way to a
    first-ever screen: once the result and the cache entry are written it ends at once. An exit
    handler that would take 20 s shows whether the interpreter's teardown still runs."""
    from simulator.engine.background_check import child_argv

    path = tmp_path / "kettle.yaml"
    path.write_bytes(KETTLE.read_bytes())
    argv = child_argv("simulator.tooling.check_child", str(path))
    argv[4] = "import atexit, time; atexit.register(time.sleep, 20); " + argv[4]
    env = {**os.environ, "COUNTERTALK_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(argv, capture_output=True, env=env, cwd=tmp_path, timeout=10)
    assert done.returncode == 0, done.stderr
    key, _, blob = done.stdout.partition(b"\n")
    assert key and blob  # the whole result was written before the end
    assert list((tmp_path / "cache").rglob("*.msgpack")), "the cache entry was written first"
