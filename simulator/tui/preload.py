"""Check the scenario in a thread from the moment the app object exists.

Textual spends part of its start-up waiting (for the terminal, for its first refresh); the
scenario's checks (YAML, lint, Jinja2, the state machine) fill that time instead of following
the first frame. The play screen takes the result if it is ready, or waits for it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.engine.loader import CheckResult
    from simulator.engine.model import Scenario

Loaded = tuple["Scenario", "CheckResult"]
Stamp = tuple[int, ...]  # (mtime in ns, size), or () when the file cannot be read

_lock = threading.Lock()
# path -> (its stamp, the checking thread, [what loading gave: (Scenario, CheckResult) or the
# exception it raised], filled by the thread)
_jobs: dict[Path, tuple[Stamp, threading.Thread, list[Loaded | Exception]]] = {}


def _stamp(path: Path) -> Stamp:
    """What the file was when checked: a result is used only for the same file, unchanged."""
    try:
        st = path.stat()
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_size)


def _run(path: Path, out: list[Loaded | Exception]) -> None:
    try:
        from simulator.attempt import load
        from simulator.engine.session import Runtime  # noqa: F401  (imported here, off the UI)

        out.append(load(path))
    except Exception as exc:  # handed to the play screen, which reports it
        out.append(exc)


def start(path: Path) -> None:
    key = Path(path)
    out: list[Loaded | Exception] = []
    t = threading.Thread(target=_run, args=(key, out), daemon=True, name="preload")
    with _lock:
        _jobs[key] = (_stamp(key), t, out)  # a newer start replaces an untaken older one
    t.start()


def take(path: Path) -> Loaded | None:
    """The preloaded (Scenario, CheckResult), or None when nothing was preloaded for it.
    Raises what loading raised. Each result is taken once (a reload checks the file again)."""
    with _lock:
        job = _jobs.pop(Path(path), None)
    if job is None:
        return None
    stamp, t, out = job
    t.join()
    if stamp != _stamp(Path(path)):  # edited since: check it again
        return None
    value = out[0]
    if isinstance(value, Exception):
        raise value
    return value
