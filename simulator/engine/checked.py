"""What checking a scenario file gave (`CheckResult`), and a cache of it kept by content.

Checking a file means parsing its YAML with positions, running every lint pass (which parses
each template with Jinja2) and building the model. For `countertalk play` that was most of the
time before the first screen, and it is the same work every time the same file is played. So a
file that checked without an error is kept, after its check, as msgpack (msgspec: typed decoding,
no pickle, nothing in the file can run code) in the user's cache folder, under a key made of

- the file's path and its exact bytes (an edit, even of one byte, is a new key: see `_Digest`),
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
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .format import MAX_BYTES
from .lint.diagnostics import Diagnostic, Findings, make
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


def check_file_cached(path: str | os.PathLike[str]) -> CheckResult:
    """`loader.check_file(path)`, read from the cache when this file and the checker are
    unchanged since it was last checked clean (or with warnings only). Within one process the
    same result is handed out again (the same file's bytes, the same checker)."""
    spath = str(path)
    raw, problem = read_limited(spath)
    if raw is None:  # too large, a folder, unreadable: said at 1:1, as the loader says it
        return CheckResult(spath, [problem] if problem else [])
    _, entry_path, hit = lookup_kept(spath, raw)
    if hit is not None:
        return hit
    from .loader import check_bytes

    result = check_bytes(raw, spath)
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
    try:
        blob = entry_path.read_bytes()
    except OSError:
        return raw, entry_path, None
    return raw, entry_path, decode(blob, path, raw)


def remember(entry_path: Path | None, result: CheckResult) -> None:
    """Keep a result that has a scenario (clean, or warnings only) under its entry path."""
    if entry_path is not None and result.scenario is not None:
        _write_entry(entry_path.parent, entry_path, encode(result))


# -- where, and under what key ------------------------------------------------------------------
def cache_folder() -> Path | None:
    """The folder entries live in, or None when the cache is off."""
    root = os.environ.get("COUNTERTALK_CACHE")
    if root == "off":
        return None
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "countertalk")
    return Path(root) / "checked"


@cache
def checker_fingerprint() -> bytes:
    """A digest of everything that decides what checking a file gives, other than the file:
    each engine module and marking-data file, and each library that parses or checks, by
    name, size and modification time (a stat each: reading them all would cost more than the
    cache saves; an edit, a checkout or an upgrade changes them)."""
    from importlib.util import find_spec

    engine = os.path.dirname(os.path.abspath(__file__))
    folders = [engine, os.path.join(engine, "lint")]
    scoring = find_spec("scoring")
    if scoring is not None and scoring.origin:
        data = os.path.dirname(scoring.origin)
        folders += [data, os.path.join(data, "models")]
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


class _Digest:
    """A 64-bit checksum (zlib's CRC-32 and Adler-32 side by side) of what goes in, for naming
    cache entries. Not a cryptographic hash, and it need not be: a chance collision is about
    one in 2**64, and anyone who can write to the user's cache folder can already change the
    scenario files themselves. zlib is loaded already (Textual uses it); hashlib's OpenSSL
    would cost ~3 ms before the first screen."""

    def __init__(self, data: bytes = b"") -> None:
        self.crc = zlib.crc32(data)
        self.adler = zlib.adler32(data)
        self.size = len(data)

    def update(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.adler = zlib.adler32(data, self.adler)
        self.size += len(data)

    def hexdigest(self) -> str:
        return f"{self.crc:08x}{self.adler:08x}{self.size:x}"


def _digest(data: bytes) -> str:
    return _Digest(data).hexdigest()


def key_for(path: str, raw: bytes) -> str:
    """The name of the cache entry for these bytes at this path, checked by this checker."""
    digest = _Digest(checker_fingerprint())
    digest.update(os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(path.encode("utf-8", "surrogateescape") + b"\0")  # as diagnostics show it
    digest.update(raw)
    return digest.hexdigest()


def read_limited(path: str) -> tuple[bytes | None, Diagnostic | None]:
    """A scenario file's bytes, or the finding that says why they can't be read."""
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            return None, make(
                path,
                1,
                1,
                "CT003",
                f"file is {size / 1048576:.1f} MB; scenarios are limited to "
                f"{MAX_BYTES // 1048576} MB — split it into several scenarios",
            )
        with open(path, "rb") as fh:
            return fh.read(), None
    except IsADirectoryError:
        return None, make(path, 1, 1, "CT004", "is a folder, not a file")
    except OSError as exc:
        return None, make(path, 1, 1, "CT004", f"cannot read: {exc.strerror or exc}")


# -- entries ------------------------------------------------------------------------------------
def _entry_type() -> type:
    import msgspec

    class Entry(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
        scenario: Scenario | None  # None: the file has errors (sent by a background check)
        positions: list[tuple[tuple[str | int, ...], int, int]]
        diagnostics: list[Diagnostic]
        scenario_id: str | None
        id_position: tuple[int, int]

    return Entry


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
    except (msgspec.DecodeError, ValueError, TypeError):
        return None
    if any(d.path != path for d in entry.diagnostics):
        return None
    scenario = entry.scenario
    if scenario is not None:
        scenario.attach(
            path,
            {tuple(p): (line, col) for p, line, col in entry.positions},
            raw,
        )
    return CheckResult(
        path, list(entry.diagnostics), scenario, entry.scenario_id, tuple(entry.id_position)
    )


def _write_entry(folder: Path, entry_path: Path, blob: bytes) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
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
