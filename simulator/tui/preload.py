"""Check the scenario in the background from the moment `countertalk play` starts.

Textual spends part of its start-up waiting (for the terminal, for its first refresh), and the
scenario's check fills that time instead of following the first frame. A file played before
comes from the checked-scenario cache in about a millisecond. One never checked before is
checked by a second interpreter on another core (`engine/background_check.py`) when the
launcher asks for that before importing Textual; otherwise in a thread here. The play screen
takes the result if it is ready, or waits for it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.engine.background_check import BackgroundCheck
    from simulator.engine.checked import CheckResult
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


def _run(path: Path, background: BackgroundCheck | None, out: list[Loaded | Exception]) -> None:
    try:
        from simulator.attempt import scenario_of
        from simulator.engine.session import Runtime  # noqa: F401  (imported here, off the UI)
        from simulator.tooling.checks import check_cached

        result = background.wait() if background is not None else None
        if result is None:  # no child, or it failed: check here, by the one pipeline
            result = check_cached(path)
        out.append(scenario_of(result, path))
    except Exception as exc:  # handed to the play screen, which reports it
        out.append(exc)


def start(path: Path, *, elsewhere: bool = False) -> None:
    """Begin checking `path` (once: a second start for the same unchanged file is ignored).
    `elsewhere`: a file not in the cache is checked by a child process on another core (the
    launcher asks for this; tests that build the app directly check in the thread)."""
    key = Path(path)
    stamp = _stamp(key)
    with _lock:
        job = _jobs.get(key)
        if job is not None and job[0] == stamp:
            return
    background = None
    if elsewhere:
        from simulator.engine.background_check import BackgroundCheck

        background = BackgroundCheck.start(str(key), module="simulator.tooling.check_child")
    out: list[Loaded | Exception] = []
    t = threading.Thread(target=_run, args=(key, background, out), daemon=True, name="preload")
    with _lock:
        _jobs[key] = (stamp, t, out)  # a newer start replaces an untaken older one
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
