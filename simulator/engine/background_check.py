"""Checking a scenario file on another core while the app starts.

The first time a file is played (nothing in the checked-scenario cache, see `checked.py`),
checking it — PyYAML, every lint pass, Jinja2 parsing each template — costs about as much CPU
as the app spends drawing its first screen. In one process those two queue behind each other
(Python runs one thread at a time). So `countertalk play` forks a child process before it
imports Textual: the child checks the file, keeps the result in the cache and sends it back
over a pipe as msgpack (typed decoding: nothing in it can run code); the parent meanwhile
builds its screen on the other core, and then decodes the result in microseconds without ever
importing PyYAML, lint or Jinja2 itself.

Forking is safe only in a process with one thread, and exists only on POSIX; anywhere else, or
if the child fails in any way, the caller checks the file itself as before (`wait` returns None).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from . import checked

WAIT_SECONDS = 30.0  # a child that says nothing for this long is stopped, and the parent checks


@dataclass
class BackgroundCheck:
    path: str
    raw: bytes
    entry_path: Path | None
    pid: int
    read_fd: int

    @classmethod
    def start(cls, path: str) -> BackgroundCheck | None:
        """Fork a child that checks `path`, when that is worth it and safe; else None (the file
        is cached already, can't be read, or this process can't fork: the caller loads it)."""
        if not hasattr(os, "fork") or threading.active_count() != 1:
            return None
        raw, entry_path = checked.entry_for(path)
        if raw is None or (entry_path is not None and entry_path.exists()):
            return None  # unreadable (the loader says why), or cached: a thread reads it
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: check, remember, send, and leave without running any cleanup
            status = 1
            try:
                os.close(read_fd)
                from .loader import check_bytes

                result = check_bytes(raw, path)
                blob = checked.encode(result)
                checked.remember(entry_path, result)
                view = memoryview(blob)
                while view:
                    view = view[os.write(write_fd, view) :]
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        return cls(path, raw, entry_path, pid, read_fd)

    def wait(self) -> checked.CheckResult | None:
        """The child's result (blocking, without holding the interpreter's lock), or None when
        it failed: then the caller checks the file itself."""
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
        return checked.decode(b"".join(chunks), self.path, self.raw)
