"""Reading a file we were pointed at, with bounds: regular files only, never more than a limit.

Why (issue 31, items 4, 6 and 9): `open(path).read()` on a FIFO waits for a writer for ever, on
``/dev/zero`` (or a link to it) reads until memory runs out, and ``os.stat(path).st_size`` says 0
for both, so a size check before opening does not help. Here the file is opened without
blocking (a FIFO opens at once), checked with ``fstat`` *after* opening (what was opened is what
is checked: no race with a swapped link), refused unless it is a regular file, and read to at
most ``limit`` bytes. ``nofollow=True`` also refuses a symbolic link (for cache entries, which
we write ourselves and which are never links).
"""

from __future__ import annotations

import os
import stat


class ReadRefused(OSError):
    """The file cannot be read as asked; ``str()`` says why, in words (no path). ``size`` is
    set when the file was too large (its size, or what was read of it)."""

    def __init__(self, message: str, size: int | None = None) -> None:
        super().__init__(message)
        self.size = size

    def __str__(self) -> str:
        return str(self.args[0])


def kind(mode: int) -> str:
    """What a path that is not a regular file is, in words (for its error message)."""
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def read_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The first ``size`` bytes of the regular file at ``path`` (a FIFO or device refused at
    once, as by :func:`read_regular`; a longer file is not an error here)."""
    return read_regular(path, size, head=True)


def read_regular(
    path: str | os.PathLike[str], limit: int, *, nofollow: bool = False, head: bool = False
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`ReadRefused` for anything else (a folder, FIFO, device, socket, a link when
    ``nofollow``, a file over ``limit`` bytes) and OSError when it cannot be opened at all."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if nofollow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if nofollow and os.path.islink(path):
            raise ReadRefused("is a symbolic link") from exc
        if isinstance(exc, IsADirectoryError):
            raise ReadRefused("is a folder, not a file") from exc
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused(kind(info.st_mode))
        if info.st_size > limit and not head:
            raise ReadRefused(too_large(info.st_size, limit), info.st_size)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while we read
                if head:
                    return b"".join(chunks)[:limit]
                raise ReadRefused(too_large(size, limit), size)
        return b"".join(chunks)
    finally:
        os.close(fd)


def too_large(size: int, limit: int) -> str:
    if limit >= 1 << 20:
        return f"is over {limit / 1048576:.0f} MB (the limit)"
    return f"is over {limit // 1024 or 1} KB (the limit)"
