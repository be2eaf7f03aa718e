"""Issue 31, item 7: the LRS export against a hostile LRS, on loopback.

The key never leaves for another host on a redirect; an endless or trickling reply is cut off by
size and by *total* time; the LRS's error body cannot drive the terminal; a broken --lrs address
is a usage error; a password in the URL is never echoed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest

from simulator.tooling import lrs

SECRET = "s3cr3t-key"


class Server:
    """A one-purpose HTTP server on loopback: ``handle(conn, request_bytes)`` answers each
    connection; every request's raw bytes are kept."""

    def __init__(self, handle: Callable[[socket.socket, bytes], None]) -> None:
        self.handle = handle
        self.requests: list[bytes] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/xAPI"
        self.stopped = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            conn.settimeout(5)
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                while len(rest) < length:
                    rest += conn.recv(65536)
                self.requests.append(data)
                self.handle(conn, data)
            except OSError:
                pass

    def close(self) -> None:
        self.stopped = True
        self.sock.close()


@pytest.fixture
def servers():
    made: list[Server] = []

    def make(handle):
        s = Server(handle)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


STATEMENT = [{"id": "7f1c0f5e-0000-5000-8000-000000000000", "verb": {"id": "x"}}]


def test_a_redirect_never_carries_the_key_to_another_host(servers):
    thief = servers(lambda c, d: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]"))
    to = f"http://localhost:{thief.port}/steal"
    lrs_ = servers(
        lambda c, d: c.sendall(
            f"HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\n\r\n".encode()
        )
    )
    client = lrs.Lrs(lrs_.url, f"key:{SECRET}", timeout=5)
    with pytest.raises(lrs.LrsError) as err:
        client._call("POST", "/statements", b"[]")
    assert "redirect" in str(err.value) and "--lrs" in str(err.value)
    assert b"Authorization: Basic" in lrs_.requests[0]  # the LRS itself gets the key
    assert thief.requests == []  # nobody else does
    with pytest.raises(lrs.LrsError):  # nor on the 409 follow-up GET
        client.has("7f1c0f5e-0000-5000-8000-000000000000")
    assert thief.requests == []


def test_an_endless_reply_is_cut_off_by_size(servers):
    def endless(conn, _data):
        conn.sendall(b"HTTP/1.1 400 Bad\r\n\r\n")
        block = b"x" * 65536
        try:
            for _ in range(10_000):  # 640 MB if nobody stops reading
                conn.sendall(block)
        except OSError:
            pass

    server = servers(endless)
    start = time.monotonic()
    with pytest.raises(lrs.LrsError) as err:
        lrs.Lrs(server.url, None, timeout=20)._call("POST", "/statements", b"[]")
    assert "longer than" in str(err.value)
    assert time.monotonic() - start < 10


def test_a_trickling_reply_is_cut_off_by_total_time(servers):
    def trickle(conn, _data):
        try:
            for ch in b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 100:
                conn.sendall(bytes([ch]))
                time.sleep(0.2)  # each byte well inside any per-read timeout
        except OSError:
            pass

    server = servers(trickle)
    start = time.monotonic()
    with pytest.raises(lrs.LrsError) as err:
        lrs.Lrs(server.url, None, timeout=1.5)._call("POST", "/statements", b"[]")
    took = time.monotonic() - start
    assert "within 1.5 seconds" in str(err.value)
    assert took < 4, took


def test_the_lrs_error_body_cannot_drive_the_terminal(servers):
    body = b"\x1b[2J\x1b]0;owned\x07\x1b]52;c;ZWNobyBoaQ==\x07bad statement\x9b31m"
    server = servers(
        lambda c, d: c.sendall(
            b"HTTP/1.1 400 Bad\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        )
    )
    with pytest.raises(lrs.LrsError) as err:
        lrs.send(_MemoryStore(), lrs.Lrs(server.url, None, timeout=5), [("a", 1, STATEMENT[0])])
    message = str(err.value)
    assert "bad statement" in message
    assert not any(ch in message for ch in "\x1b\x07\x9b")


@pytest.mark.parametrize(
    "url", ["http://[::1", "http://[::1]:99999/xAPI", "http://host:port/xAPI", "ftp://x/xAPI"]
)
def test_a_broken_lrs_address_is_a_usage_error(url, tmp_path):
    p = _export(tmp_path, "--lrs", url)
    assert p.returncode == 2, p.stderr
    assert "is not an LRS address" in p.stderr and "bug" not in p.stderr


def test_a_password_in_the_url_is_used_but_never_echoed(servers, tmp_path):
    server = servers(lambda c, d: c.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\noops"))
    url = f"http://key:{SECRET}@127.0.0.1:{server.port}/xAPI"
    client = lrs.Lrs(url, None, timeout=5)
    assert SECRET not in client.url
    status, _ = client._call("POST", "/statements", b"[]")
    assert status == 500
    import base64

    assert base64.b64encode(f"key:{SECRET}".encode()) in server.requests[0]
    # through the command: a refused connection, a bad address, an LRS error
    for bad in (url, f"http://key:{SECRET}@127.0.0.1:1/xAPI", f"http://key:{SECRET}@[::1"):
        p = _export(tmp_path, "--lrs", bad, record=True)
        assert p.returncode != 0
        assert SECRET not in p.stderr + p.stdout, p.stderr


class _MemoryStore:
    """Just enough of the results store's outbox for lrs.send."""

    def __init__(self) -> None:
        self.items: dict[str, dict] = {}
        self.sent: set[str] = set()

    def queue_statements(self, _url, items) -> int:
        for sid, _aid, st in items:
            self.items[sid] = st
        return len(self.items)

    def pending_statements(self, _url, limit):
        return [(k, v) for k, v in self.items.items() if k not in self.sent][:limit]

    def mark_sent(self, _url, ids) -> None:
        self.sent.update(ids)

    def outbox_counts(self, _url):
        return (len(self.items) - len(self.sent), len(self.sent))


def _export(tmp_path, *argv, record: bool = False):
    db = tmp_path / "ct.db"
    if record and not db.exists():
        from simulator.store import Store

        with Store(db) as s:
            aid = s.start_attempt(scenario_id="kettle-day12", scenario_hash="ab" * 32,
                                  scenario_path="/x.yaml", learner="sam", seed=1)  # fmt: skip
            s.finish_attempt(aid, ending="refunded", outcome="resolved", final_mood=70,
                             transcript={"format": 1, "turns": []},
                             score={"percent": 80, "grade": "pass", "mistakes": []})  # fmt: skip
    env = {**os.environ, "COUNTERTALK_HOME": str(tmp_path / "home")}
    env.pop("COUNTERTALK_LRS_AUTH", None)
    return subprocess.run(
        [sys.executable, "-m", "simulator", "export", "--xapi", "--db", str(db), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
