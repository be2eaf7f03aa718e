"""Checking a scenario file in another process while the app starts.

The first time a file is played (nothing in the checked-scenario cache, see `checked.py`),
checking it — PyYAML, every lint pass, Jinja2 parsing each template — costs about as much CPU
as the app spends drawing its first screen. In one process those two queue behind each other
(Python runs one thread at a time). So `countertalk play` starts a second interpreter before it
imports Textual (`python -I -S`, see `child_argv`, by `os.posix_spawn`):
it checks the file on another core, keeps the result in the cache, and writes it to a pipe as
msgpack (typed decoding: nothing in it can run code), while the app builds its screen; the app
then decodes the result in well under a millisecond, never importing PyYAML, lint or Jinja2.

A fresh interpreter rather than a fork: a forked child shares the parent's memory pages until
either writes to them, and Python writes to nearly every page it touches (reference counts), so
the parent paid for copying ~3,000 pages (~15 ms) on its way to the first frame. The child is
isolated (`-I`: no current folder or user site on its path), reads nothing from the terminal and
writes nothing to it. It reads the file itself; the result is used only if it checked the same
bytes (the cache key says so). Anywhere `posix_spawn` is missing (Windows), or if the child
fails in any way, `wait` returns None and the caller checks the file itself as before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from . import checked

WAIT_SECONDS = 30.0  # a child that says nothing for this long is stopped, and the parent checks


# How the child starts. Without `site` (-S): site.py and the .pth files it runs (an editable
# install's import hook among them) cost ~20 ms of CPU per start, on the way to a first-ever
# screen (measured: `python -I -c pass` 25-30 ms, with -S 7-8 ms); the child is told instead where
# to import from: the folder holding this package and the site-packages folders. And with the
# cyclic garbage collector off: a process that checks one file and exits has no garbage worth
# walking every imported module's objects for.
_BOOT = (
    "import gc, runpy, sys; gc.disable(); n = int(sys.argv[1]); "
    "sys.path[len(sys.path):] = sys.argv[2 : 2 + n]; sys.argv = sys.argv[2 + n :]; "
    "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


def _import_paths() -> list[str]:
    """Where the child imports from: this package's folder, then the site-packages folders (an
    isolated interpreter's path, as `-I` would give it, but without running site.py)."""
    import site

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    paths = [root]
    for p in site.getsitepackages():
        if p not in paths and os.path.isdir(p):
            paths.append(p)
    return paths


def child_argv(module: str, path: str) -> list[str]:
    """The child's command line: `python -I -S -c BOOT N PATHS… MODULE FILE`."""
    paths = _import_paths()
    return [sys.executable, "-I", "-S", "-c", _BOOT, str(len(paths)), *paths, module, path]


@dataclass
class BackgroundCheck:
    path: str
    raw: bytes
    key: str
    pid: int
    read_fd: int

    @classmethod
    def start(cls, path: str, module: str = __name__) -> BackgroundCheck | None:
        """Start a child that checks `path`, when that is worth it and possible; else None (the
        file is cached already, can't be read, or no child can be started: the caller loads).
        ``module``: the child to run (`python -I -S … MODULE FILE`, see `child_argv`); the app
        names the one check pipeline's (simulator/tooling/check_child.py), so what it caches is what lint reports."""
        if not hasattr(os, "posix_spawn"):
            return None
        raw, entry_path = checked.entry_for(path)
        if raw is None or (entry_path is not None and entry_path.exists()):
            return None  # unreadable (the loader says why), or cached: a thread reads it
        read_fd, write_fd = os.pipe()
        quiet = (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)
        try:
            pid = os.posix_spawn(
                sys.executable,
                child_argv(module, path),
                dict(os.environ),
                file_actions=[
                    quiet,
                    (os.POSIX_SPAWN_DUP2, write_fd, 1),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_CLOSE, read_fd),
                ],
            )
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        os.close(write_fd)
        return cls(path, raw, checked.key_for(path, raw), pid, read_fd)

    def wait(self) -> checked.CheckResult | None:
        """The child's result (blocking, without holding the interpreter's lock), or None when
        it failed or checked other bytes than these: then the caller checks the file itself."""
        import select

        chunks: list[bytes] = []
        ok = True
        try:
            while True:
                ready, _, _ = select.select([self.read_fd], [], [], WAIT_SECONDS)
                if not ready:
                    ok = False
                    break
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self.read_fd)
        if not ok:
            try:
                os.kill(self.pid, 9)
            except OSError:
                pass
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = 1
        if not ok or status != 0:
            return None
        key, _, blob = b"".join(chunks).partition(b"\n")
        if key.decode("ascii", "replace") != self.key:
            return None  # the file changed between the two reads
        return checked.decode(blob, self.path, self.raw)


def main(argv: list[str], check: Callable[[bytes, str], checked.CheckResult] | None = None) -> int:
    """The child: check one file (with ``check``, else the engine's own checks), remember it,
    write `key\\n` and the msgpack result."""
    if len(argv) != 2:
        return 2
    path = argv[1]
    raw, entry_path = checked.entry_for(path)
    if raw is None:
        return 1
    if check is None:
        from .loader import check_bytes

        check = check_bytes
    result = check(raw, path)
    checked.remember(entry_path, result)
    out = checked.key_for(path, raw).encode("ascii") + b"\n" + checked.encode(result)
    view = memoryview(out)
    while view:
        view = view[os.write(1, view) :]
    return 0


def exit_now(code: int) -> NoReturn:
    """End the child at once, without the interpreter's teardown: everything it makes is
    written by then (the cache entry replaced into place, the result to the pipe, both
    unbuffered), and the parent reads until the pipe closes, which is when this process ends.
    Tearing down every module and collecting what they made took 40-50 ms of CPU (measured:
    the last byte written to end of file, the toaster scenario), on the way to a first-ever
    screen and on a core the app may need."""
    os._exit(code)


if __name__ == "__main__":
    exit_now(main(sys.argv))
