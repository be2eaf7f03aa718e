"""One HTTP request with hard bounds, for talking to a Learning Record Store we do not control.

Why not urllib.request.urlopen (issue 31, item 7):

- it follows redirects and forwards the ``Authorization`` header to whatever host a 302 names,
  handing the LRS key and secret to a stranger; here a redirect is never followed: it is
  returned to the caller, who says so;
- its timeout restarts with every byte, so a server sending one byte every 20 s holds the export
  for ever; here a timer shuts the socket down when the *total* time is up, whatever phase the
  request is in (connecting, sending, reading headers or the body);
- ``read()`` reads an endless body until memory runs out; here the body stops at a size cap.

Only the standard library (http.client, ssl).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass

MAX_BODY = 1 << 20  # an LRS's replies are ids, one statement or an error: far below 1 MB


class HttpLimit(Exception):
    """The request broke a bound (time or size); the message says which, in words."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    location: str | None  # the Location header of a redirect, as sent (untrusted)


def request(
    url: str,
    method: str,
    headers: dict[str, str],
    body: bytes | None = None,
    *,
    total: float = 30.0,
    max_body: int = MAX_BODY,
) -> Reply:
    """Send one request to ``url`` (http or https, no userinfo) and read the whole reply within
    ``total`` seconds and ``max_body`` bytes. Never follows a redirect.

    Raises :class:`HttpLimit` when a bound is hit and OSError (or http.client.HTTPException)
    when the server cannot be reached or talks nonsense."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=total, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=total)
    deadline = time.monotonic() + total
    expired = threading.Event()

    def stop() -> None:  # the total time is up: unblock whatever read or write is waiting
        expired.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(total, stop)
    timer.daemon = True
    timer.start()
    try:
        conn.request(method, target, body=body, headers=headers)
        resp = conn.getresponse()
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or expired.is_set():
                raise HttpLimit(f"no complete reply within {total:g} seconds")
            if conn.sock is not None:
                conn.sock.settimeout(remaining)
            chunk = resp.read1(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > max_body:
                raise HttpLimit(f"the reply was longer than {max_body // 1024} KB")
            chunks.append(chunk)
        if expired.is_set():  # the shutdown ended the body early: not a complete reply
            raise HttpLimit(f"no complete reply within {total:g} seconds")
        return Reply(resp.status, b"".join(chunks), resp.getheader("Location"))
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set() or isinstance(exc, TimeoutError | socket.timeout):
            raise HttpLimit(f"no complete reply within {total:g} seconds") from exc
        raise
    finally:
        timer.cancel()
        conn.close()
