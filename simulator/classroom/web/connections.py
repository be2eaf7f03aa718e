"""Slow and half-open connections, for every CounterTalk web server (issue 31, item 2).

aiohttp has no limit on connections and, once a request's headers are in, none on how long its
body may take: a client that sends a request's headers and then one byte of its body every few
seconds holds a connection (a file descriptor, a task) for as long as it likes. A thousand of
them ran a laptop's classroom out of files, locked every phone out and killed the lesson.

:class:`ConnectionGuard` wraps the asyncio protocol factory (aiohttp's ``web.Server``) and
follows each connection's bytes just far enough to know whether a request is unfinished: from
the connection's first moment (or the first byte of the next request on a kept-alive one) until
the end of its headers and of the body they announce (``Content-Length``, or the last chunk).
A request that is not whole within ``request_timeout`` seconds is closed, however steadily its
bytes dribble in; and at most ``cap`` connections are open at once (below the process's file
limit), the oldest unfinished one making room for a newcomer when the server is full, so a
real browser or phone that sends its request at once is answered while the slow ones wait to
be dropped. An idle kept-alive connection is aiohttp's to close (``keepalive_timeout``, which
it also applies from the moment of connecting); a websocket, once asked for, is left to its
own heartbeat.

Used by the phone server (server.py) and, through :mod:`.listen`, by `countertalk web` and
`countertalk serve`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import time
from collections.abc import Callable
from typing import Any

MAX_HEAD = 64 * 1024  # bytes in one request's line and headers (browsers send a few KB)

_HEAD, _BODY, _CHUNKED, _PASS = range(4)
_LAST_CHUNK = b"\r\n0\r\n\r\n"


def file_limit(reserve: int = 160) -> int:
    """Connections the server may hold: below the process's open-file limit (raised to its hard
    limit first), leaving ``reserve`` for the app's own files, the database and imports."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, target), hard))
            soft = max(soft, target)
        except (ValueError, OSError):
            pass
    return max(16, soft - reserve)


class ConnectionGuard:
    """Wraps an asyncio protocol factory: caps connections and closes any connection that keeps
    a request unfinished for ``request_timeout`` seconds (see the module docstring)."""

    def __init__(
        self, factory: Callable[[], asyncio.Protocol], *, cap: int, request_timeout: float = 10.0
    ) -> None:
        self.factory = factory
        self.cap = cap
        self.request_timeout = request_timeout
        self.open = 0
        self.refused = 0
        self.timed_out = 0
        self.evicted = 0
        self.oversized = 0
        # connections with a request unfinished, oldest first: the first to go when full
        self.waiting: dict[_Guarded, None] = {}

    def __call__(self) -> asyncio.Protocol:
        return _Guarded(self, self.factory())


def _announced(head: bytes) -> tuple[int, bool, bool]:
    """(body length, chunked, websocket) from a request's header block."""
    length, chunked, upgrade = 0, False, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            # aiohttp refuses what is not a plain number (400); it has no body to wait for
            length = int(value) if value.isdigit() and len(value) <= 12 else 0
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"upgrade":
            upgrade = b"websocket" in value
    return length, chunked, upgrade


class _Guarded(asyncio.Protocol):
    """One connection, passed through to aiohttp's handler while it behaves."""

    def __init__(self, guard: ConnectionGuard, inner: asyncio.Protocol) -> None:
        self.guard, self.inner = guard, inner
        self.transport: asyncio.Transport | None = None
        self.pending = False  # a request is unfinished (its line, headers or body)
        self.since = time.monotonic()
        self.state = _HEAD
        self.head = b""  # an unfinished header block
        self.remaining = 0  # body bytes still to come
        self.tail = b""  # the last bytes of a chunked body (to see its last chunk)
        self.counted = False
        self.handle: asyncio.TimerHandle | None = None

    @property
    def websocket(self) -> bool:
        return self.state == _PASS

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        guard = self.guard
        if guard.open >= guard.cap:
            # Full: make room by dropping the oldest connection that has not finished a
            # request (a slow or half-open one), so a client that asks properly is served.
            oldest = next(iter(guard.waiting), None)
            if oldest is None:
                guard.refused += 1
                transport.abort()
                return
            guard.evicted += 1
            oldest.drop()
        guard.open += 1
        self.counted = True
        self.transport = transport
        self._pending(True)  # its first request must come, whole, within the timeout
        self.inner.connection_made(transport)

    # -- the clock -------------------------------------------------------------------------------
    def _pending(self, flag: bool) -> None:
        """A request is (or is no longer) unfinished; its clock starts when it begins."""
        if flag == self.pending:
            return
        self.pending = flag
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None
        if flag:
            self.since = time.monotonic()
            self.guard.waiting[self] = None  # the newest unfinished request: last to go
            loop = asyncio.get_running_loop()
            self.handle = loop.call_later(self.guard.request_timeout, self._check)
        else:
            self.guard.waiting.pop(self, None)

    def _check(self) -> None:
        self.handle = None
        t = self.transport
        if t is None or t.is_closing() or not self.counted or not self.pending:
            return
        late = time.monotonic() - self.since - self.guard.request_timeout
        if late >= 0:
            self.guard.timed_out += 1
            self.drop()
        else:  # woken early (the loop's clock is not monotonic()'s): look again when due
            self.handle = asyncio.get_running_loop().call_later(-late, self._check)

    def drop(self) -> None:
        """Close this connection now (and stop counting it at once: room for the newcomer)."""
        self.guard.waiting.pop(self, None)
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None
        if self.counted:
            self.counted = False
            self.guard.open -= 1
            if self.transport is not None:
                self.transport.abort()
            self.inner.connection_lost(None)

    # -- following the bytes ---------------------------------------------------------------------
    def _follow(self, data: bytes) -> bool:
        """Note where ``data`` leaves the current request; False: a header block too large."""
        while data and self.state != _PASS:
            if self.state == _HEAD:
                self._pending(True)
                buf = self.head + data
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    self.head = buf
                    return len(buf) <= MAX_HEAD
                self.head, data = b"", buf[end + 4 :]
                if end > MAX_HEAD:
                    return False
                length, chunked, upgrade = _announced(buf[:end])
                if upgrade:
                    self.state = _PASS  # from now on its own heartbeat looks after it
                    self._pending(False)
                elif chunked:
                    self.state, self.tail = _CHUNKED, b"\r\n"
                elif length:
                    self.state, self.remaining = _BODY, length
                else:
                    self._pending(False)
            elif self.state == _BODY:
                n = min(len(data), self.remaining)
                self.remaining -= n
                data = data[n:]
                if not self.remaining:
                    self.state = _HEAD
                    self._pending(False)
            else:  # _CHUNKED: until the last (empty) chunk and the blank line after it
                buf = self.tail + data
                at = buf.find(_LAST_CHUNK)
                if at < 0:
                    self.tail = buf[-(len(_LAST_CHUNK) - 1) :]
                    return True
                data = buf[at + len(_LAST_CHUNK) :]
                self.state = _HEAD
                self._pending(False)
        return True

    def data_received(self, data: bytes) -> None:
        if not self.counted:
            return
        if not self._follow(data):
            self.guard.oversized += 1
            self.drop()
            return
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.counted else None

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None
        self.guard.waiting.pop(self, None)
        if self.counted:  # a refused connection never reached the handler
            self.counted = False
            self.guard.open -= 1
            self.inner.connection_lost(exc)


_QUIET: dict[str, int] = {"errors": 0}


def quiet_loop() -> None:
    """Errors a hostile client causes inside asyncio or aiohttp (a reset connection, a refused
    accept when files run short) are counted, never printed: on the projector a traceback
    would be drawn over the class's screen, and on a tutor's terminal a thousand of them would
    hide what matters. COUNTERTALK_DEBUG=1 keeps them."""
    if os.environ.get("COUNTERTALK_DEBUG"):
        return

    def swallow(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        _QUIET["errors"] += 1

    asyncio.get_running_loop().set_exception_handler(swallow)
    for name in ("asyncio", "aiohttp", "aiohttp.server", "aiohttp.web", "aiohttp.access"):
        log = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
            log.addHandler(logging.NullHandler())
        log.propagate = False
