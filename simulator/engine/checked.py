"""What checking a scenario file gave (`CheckResult`), and a cache of it kept by content.

Checking a file means parsing its YAML with positions, running every lint pass (which parses
each template with Jinja2) and building the model. For `countertalk play` that was most of the
time before the first screen, and it is the same work every time the same file is played. So a
file that checked without an error is kept, after its check, as msgpack (msgspec: typed decoding,
no pickle, nothing in the file can run code) in the user's cache folder, under a key made of

- the file's path and its exact bytes (an edit, even of one byte, is a new key: a BLAKE2b
  digest, see `_hasher`),
  and
- the checker itself: every engine module and the marking data lint reads (behaviours,
  mistakes, models, laws), and the libraries that parse and check (`checker_fingerprint`).

The next `play` of the unchanged file reads the result back without importing PyYAML, the lint
passes or Jinja2. Anything wrong with a cached entry (unreadable, damaged, from an older
checker) means it is not used: the file is checked again, as if there were no cache. Files with
errors are never cached: they cannot be played, and `lint` always checks afresh.

`COUNTERTALK_CACHE` names the folder (`off` turns the cache off); else `$XDG_CACHE_HOME` or
`~/.cache`, then `countertalk/checked/`. At most `MAX_ENTRIES` files are kept (oldest go first).

A long-running process that rebuilds attempts per request (`countertalk web`) can also ask,
with `keep_in_memory()`, to keep the results it read or made under the same key and hand out the
same result (and so the same frozen `Scenario`) again: one copy of a scenario in memory however
many learners play it, and no decoding per request. Nothing is kept in memory when the cache is
off, or unless asked.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .format import MAX_BYTES
from .lint.diagnostics import Diagnostic, Findings, make

if TYPE_CHECKING:  # the model (and msgspec under it) is imported when an entry is read or
    # written, not before: `countertalk play` starts the background check as soon as it has the
    # key, and a start sooner is a first-ever screen sooner (see background_check.py)
    from .model import Scenario

MAX_ENTRIES = 200  # a pack is ~20 files; room for edits and several packs
_LIBRARIES = ("msgspec", "yaml", "jinja2")  # what parses and checks (their installed files)


class ScenarioError(Exception):
    """A scenario could not be loaded; `diagnostics` says where and why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__("\n".join(str(d) for d in errors or diagnostics))


@dataclass
class CheckResult(Findings):
    scenario: Scenario | None = None  # built when the file has no error
    scenario_id: str | None = None
    id_position: tuple[int, int] = (1, 1)


_in_memory = 0  # results this process keeps (0: none; see keep_in_memory)
_kept: OrderedDict[str, CheckResult] = OrderedDict()
_kept_lock = threading.Lock()


def keep_in_memory(entries: int = 64) -> None:
    """From now on keep up to ``entries`` results in this process too (0: stop and forget)."""
    global _in_memory
    with _kept_lock:
        _in_memory = max(0, int(entries))
        if not _in_memory:
            _kept.clear()


def check_file_cached(
    path: str | os.PathLike[str], check: Callable[[bytes, str], CheckResult] | None = None
) -> CheckResult:
    """`loader.check_file(path)`, read from the cache when this file and the checker are
    unchanged since it was last checked clean (or with warnings only). Within one process the
    same result is handed out again (the same file's bytes, the same checker).

    ``check``: what checks a file's bytes on a miss — the one check pipeline
    (simulator/tooling/checks.py) passes its own, so what is cached is what `lint` reports; the
    engine's own checks when None (the background check's child, which imports no more)."""
    spath = str(path)
    raw, problem = read_limited(spath)
    if raw is None:  # too large, a folder, unreadable: said at 1:1, as the loader says it
        return CheckResult(spath, [problem] if problem else [])
    _, entry_path, hit = lookup_kept(spath, raw)
    if hit is not None:
        return hit
    if check is None:
        from .loader import check_bytes

        check = check_bytes
    result = check(raw, spath)
    remember(entry_path, result)
    _keep(entry_path, result)
    return result


def lookup_kept(path: str, raw: bytes) -> tuple[bytes | None, Path | None, CheckResult | None]:
    """`lookup`, answered from this process's own results first."""
    raw_, entry_path = entry_for(path, raw)
    if entry_path is not None and _in_memory:
        with _kept_lock:
            found = _kept.get(entry_path.name)
            if found is not None:
                _kept.move_to_end(entry_path.name)
                return raw_, entry_path, found
    _, entry_path, hit = lookup(path, raw)
    _keep(entry_path, hit)
    return raw_, entry_path, hit


def _keep(entry_path: Path | None, result: CheckResult | None) -> None:
    if not _in_memory or entry_path is None or result is None or result.scenario is None:
        return
    with _kept_lock:
        _kept[entry_path.name] = result
        while len(_kept) > _in_memory:
            _kept.popitem(last=False)


def entry_for(path: str, raw: bytes | None = None) -> tuple[bytes | None, Path | None]:
    """(the file's bytes, where its cache entry goes). The bytes are None when the file can't
    be read (`read_limited` says why); the entry path is None when the cache is off. `raw`:
    the bytes already read."""
    if raw is None:
        raw, _ = read_limited(path)
    folder = cache_folder()
    if raw is None or folder is None:
        return raw, None
    return raw, folder / f"{key_for(path, raw)}.msgpack"


def lookup(
    path: str, raw: bytes | None = None
) -> tuple[bytes | None, Path | None, CheckResult | None]:
    """`entry_for(path)` and the cached result (None when there is none, or it is damaged)."""
    raw, entry_path = entry_for(path, raw)
    if raw is None or entry_path is None:
        return raw, entry_path, None
    from .safe_read import read_regular

    try:  # never a link, FIFO or device; never more than an entry can honestly be
        blob = read_regular(entry_path, entry_limit(raw), nofollow=True)
    except OSError:
        return raw, entry_path, None
    return raw, entry_path, decode(blob, path, raw)


def entry_limit(raw: bytes) -> int:
    """The most an entry for these file bytes can take: the model and the positions of every
    value are a few times the file's own size (the shipped pack's 18 are 1.5-1.6x)."""
    return 16 * len(raw) + 65536


def remember(entry_path: Path | None, result: CheckResult) -> None:
    """Keep a result that has a scenario (clean, or warnings only) under its entry path."""
    if entry_path is not None and result.scenario is not None:
        _write_entry(entry_path.parent, entry_path, encode(result))


# -- where, and under what key ------------------------------------------------------------------
def cache_folder() -> Path | None:
    """The folder entries live in, or None when the cache is off — or cannot be trusted: a
    folder (or its parent) that another user owns, or that others may write to (a shared lab
    PC's /tmp, a planted folder), is not used at all (issue 31, item 4)."""
    root = os.environ.get("COUNTERTALK_CACHE")
    if root == "off":
        return None
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "countertalk")
    folder = Path(root) / "checked"
    return folder if _trusted(folder) else None


def _trusted(folder: Path) -> bool:
    """Both the folder and its parent are real folders of this user's, writable by no one else
    (or do not exist yet: they are then made private)."""
    import stat

    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: per-user folders, no uid to compare
        return True
    for f in (folder.parent, folder):
        try:
            info = os.lstat(f)
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != getuid():
            return False
        if info.st_mode & 0o022:
            return False
    return True


@cache
def checker_fingerprint() -> bytes:
    """A digest of everything that decides what checking a file gives, other than the file:
    each engine module and marking-data file, and each library that parses or checks, by
    name, size and modification time (a stat each: reading them all would cost more than the
    cache saves; an edit, a checkout or an upgrade changes them)."""
    from importlib.util import find_spec

    from .vocabulary import source_folders

    engine = os.path.dirname(os.path.abspath(__file__))
    # the engine, and the folders the vocabulary is read from (the scorer's data and code)
    folders = [engine, os.path.join(engine, "lint"), *source_folders()]
    parts: list[str] = []
    for folder in folders:
        try:
            with os.scandir(folder) as it:
                for e in it:
                    if e.name.endswith((".py", ".yaml")) and e.is_file():
                        info = e.stat()
                        parts.append(f"{e.path}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append(f"{folder}:<missing>")
    for name in _LIBRARIES:  # an upgrade replaces the files: their size and time change
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        lib: os.stat_result | None
        try:
            lib = os.stat(origin) if origin else None
        except OSError:
            lib = None
        parts.append(f"{name}:{origin}:{lib and (lib.st_size, lib.st_mtime_ns)}")
    return _digest("\n".join(sorted(parts)).encode("utf-8", "surrogateescape")).encode()


def _hasher() -> Any:
    """BLAKE2b (160-bit), for naming cache entries by content (issue 31, item 4: two files with
    the same 64-bit CRC/Adler key once made `lint` report one file while `play` showed the
    other's cached content; a cryptographic digest makes that impossible to arrange). Taken
    from CPython's built-in ``_blake2`` module: ~0.4 ms to import, like zlib, where ``hashlib``
    loads OpenSSL first (6-13 ms measured, against a first-frame budget of 1.5x a bare Textual
    app's first frame, see benchmarks/bench_tui.py); hashing a 20 KB scenario costs ~80 us."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b
    return blake2b(digest_size=20, person=b"ct-checked")


def _digest(data: bytes) -> str:
    h = _hasher()
    h.update(data)
    return str(h.hexdigest())


def key_for(path: str, raw: bytes) -> str:
    """The name of the cache entry for these bytes at this path, checked by this checker."""
    digest = _hasher()
    digest.update(checker_fingerprint())
    for part in (os.path.abspath(path), path):  # where it is, and as diagnostics show it
        encoded = part.encode("utf-8", "surrogateescape")
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    digest.update(raw)
    return str(digest.hexdigest())


def read_limited(path: str) -> tuple[bytes | None, Diagnostic | None]:
    """A scenario file's bytes, or the finding that says why they can't be read. Regular files
    only, at most MAX_BYTES (a FIFO, a device or a link to /dev/zero is refused at once)."""
    from .safe_read import ReadRefused, read_regular

    try:
        return read_regular(path, MAX_BYTES), None
    except ReadRefused as exc:
        if exc.size is not None:
            return None, make(
                path,
                1,
                1,
                "CT003",
                f"file is {exc.size / 1048576:.1f} MB; scenarios are limited to "
                f"{MAX_BYTES // 1048576} MB — split it into several scenarios",
            )
        return None, make(path, 1, 1, "CT004", f"{exc}; give the path of a scenario file")
    except OSError as exc:
        return None, make(path, 1, 1, "CT004", f"cannot read: {exc.strerror or exc}")


# -- entries ------------------------------------------------------------------------------------
def _entry_type() -> type:
    import msgspec

    from .model import Scenario

    # Defined by name and type (not a class statement): the types are resolved here, where the
    # model is imported, rather than from this module's globals, which do not hold it.
    entry: type = msgspec.defstruct(
        "Entry",
        [
            ("scenario", Scenario | None),  # None: the file has errors (a background check's)
            ("positions", list[tuple[tuple[str | int, ...], int, int]]),
            ("diagnostics", list[Diagnostic]),
            ("scenario_id", str | None),
            ("id_position", tuple[int, int]),
        ],
        array_like=True,
        forbid_unknown_fields=True,
    )
    return entry


_Entry = cache(_entry_type)


def encode(result: CheckResult) -> bytes:
    """A check's result as msgpack: what the cache keeps, and what a background check sends."""
    import msgspec

    sc = result.scenario
    positions = (sc.__dict__.get("_positions") or {}) if sc is not None else {}
    entry = _Entry()(
        scenario=sc,
        positions=[(p, line, col) for p, (line, col) in positions.items()],
        diagnostics=result.diagnostics,
        scenario_id=result.scenario_id,
        id_position=result.id_position,
    )
    return msgspec.msgpack.encode(entry)


def decode(blob: bytes, path: str, raw: bytes) -> CheckResult | None:
    """The result `encode` wrote for this file's `raw` bytes, or None when `blob` is not one
    (damaged, or from another version: then the file is checked again)."""
    import msgspec

    try:
        entry: Any = msgspec.msgpack.decode(blob, type=_Entry())
        if any(d.path != path for d in entry.diagnostics):
            return None
        scenario = entry.scenario
        if scenario is not None:
            if not _plausible(scenario, raw):
                return None
            scenario.attach(
                path,
                {tuple(p): (line, col) for p, line, col in entry.positions},
                raw,
            )
        return CheckResult(
            path, list(entry.diagnostics), scenario, entry.scenario_id, tuple(entry.id_position)
        )
    except Exception:  # any decoding failure is a miss (the file is checked again), not a bug
        return None


def _plausible(scenario: Scenario, raw: bytes) -> bool:
    """What the checker guarantees of any scenario it passed, so a planted or damaged entry
    that breaks it is a miss rather than "This is a bug" at play: states to start and go to,
    every goto landing, and no more choices than the file's bytes could hold."""
    states = scenario.states
    if not states or scenario.start not in states:
        return False
    choices = 0
    for state in states.values():
        choices += len(state.choices)
        if state.end is None and not state.choices:
            return False
        if any(c.goto not in states for c in state.choices):
            return False
    if choices * 8 > len(raw) + 64:  # a choice takes at least "text:" and "goto:" in the file
        return False
    return all(r.goto in states for r in scenario.rules)


def _write_entry(folder: Path, entry_path: Path, blob: bytes) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder):  # made by someone else between the look and now
            return
        tmp = entry_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, entry_path)
        _prune(folder)
    except OSError:
        pass  # a cache that can't be written is no cache: the file was checked all the same


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.msgpack"))
    if len(entries) <= MAX_ENTRIES:
        return

    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    for old in sorted(entries, key=age)[: len(entries) - MAX_ENTRIES * 3 // 4]:
        try:
            old.unlink()
        except OSError:
            pass
