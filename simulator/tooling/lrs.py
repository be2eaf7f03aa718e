"""Sending xAPI statements to a Learning Record Store, through an outbox kept in the results store.

Why an outbox: a college's LRS is sometimes down, slow or restarting. Every statement is first
queued in the store (``xapi_outbox``, keyed by LRS and statement id), then sent in batches; a
batch the LRS accepts is marked sent in the same breath. What was not accepted stays queued and
goes on the next run. A statement is queued once per LRS — ids are stable (UUID v5 of the
attempt), so building the same statements again finds them already queued — and is therefore
sent once.

When a batch was accepted but the reply was lost (the LRS died after storing it), the next run
sends it again and the LRS answers 409 Conflict (xAPI forbids storing an id twice). Then each
statement of the batch is looked up by id: those the LRS holds are marked sent, the rest sent
again. Either way the LRS ends with each statement exactly once.

Only the standard library (http.client, through `bounded_http`: bounded in time and size, never
following a redirect with the key): one POST per batch needs no HTTP client dependency.
"""

from __future__ import annotations

import base64
import http.client
import json
import urllib.parse
from dataclasses import dataclass
from typing import Any, NoReturn

from simulator.tooling.xapi import XAPI_VERSION

DEFAULT_BATCH = 50


class LrsError(Exception):
    """The LRS could not take the statements; the message says why and what to do."""


@dataclass
class SendReport:
    queued: int = 0  # newly added to the outbox this run
    sent: int = 0  # accepted by the LRS this run
    already: int = 0  # the LRS had them already (a reply lost last time)
    waiting: int = 0  # still in the outbox afterwards


def _split(url: str) -> tuple[str, str | None]:
    """(the LRS's xAPI base URL without any userinfo, the ``user:password`` it carried or None).

    A tutor may paste ``https://key:secret@lrs.example/xAPI``: the secret is taken as the
    credentials and never shown again (messages, the outbox's key and the process list use the
    URL without it)."""
    url = url.strip().rstrip("/")
    if url.endswith("/statements"):
        url = url[: -len("/statements")]
    example = "give its xAPI endpoint, e.g. https://lrs.example.ac.uk/xAPI"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return _refuse(url, example)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _refuse(url, example)
    auth = None
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
        user, _, password = userinfo.partition(":")
        auth = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return _refuse(url, example)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), auth


def _refuse(url: str, example: str) -> NoReturn:
    raise LrsError(f"'{_shown(url)}' is not an LRS address; {example}")


def _shown(url: str) -> str:
    """A URL for a message: no userinfo (it may hold a password), no control characters."""
    from simulator.engine.text import visible

    head, sep, rest = url.partition("://")
    if sep:
        host_end = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0),
                       default=len(rest))  # fmt: skip
        if "@" in rest[:host_end]:
            rest = "…@" + rest[:host_end].rsplit("@", 1)[1] + rest[host_end:]
        url = head + sep + rest
    url = visible(url)
    return url if len(url) <= 200 else url[:197] + "..."


def endpoint(url: str) -> str:
    """The LRS's xAPI base URL (``…/xAPI``), from what a tutor might paste (userinfo removed)."""
    return _split(url)[0]


class Lrs:
    """A minimal xAPI client: POST statements, GET one by id.

    Every request is bounded in time and size and never follows a redirect (see
    :mod:`simulator.tooling.bounded_http`): the key is sent only to the address given."""

    def __init__(self, url: str, auth: str | None, *, timeout: float = 60.0):
        self.url, url_auth = _split(url)
        auth = auth or url_auth
        self.timeout = timeout
        self.headers = {
            "X-Experience-API-Version": XAPI_VERSION,
            "Content-Type": "application/json",
        }
        if auth:
            if ":" not in auth:
                raise LrsError("--lrs-auth takes USER:PASSWORD (the LRS's basic-auth key)")
            token = base64.b64encode(auth.encode("utf-8")).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"

    def _call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        from simulator.tooling.bounded_http import HttpLimit, request

        try:
            reply = request(self.url + path, method, self.headers, body, total=self.timeout)
        except HttpLimit as exc:
            raise LrsError(f"the LRS at {self.url} did not answer properly: {exc}") from exc
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", None) or exc.strerror or exc  # type: ignore[union-attr]
            raise LrsError(f"cannot reach the LRS at {self.url}: {_one_line(str(reason))}") from exc
        if 300 <= reply.status < 400:
            where = _shown(reply.location) if reply.location else "another address"
            raise LrsError(
                f"the LRS at {self.url} answered HTTP {reply.status}, a redirect to {where}; "
                "CounterTalk does not follow redirects with your LRS key. Give the LRS's final "
                "xAPI address with --lrs"
            )
        return reply.status, reply.body

    def post(self, statements: list[dict[str, Any]]) -> tuple[int, bytes]:
        body = json.dumps(statements, ensure_ascii=False).encode("utf-8")
        return self._call("POST", "/statements", body)

    def has(self, statement_id: str) -> bool:
        status, body = self._call(
            "GET", "/statements?" + urllib.parse.urlencode({"statementId": statement_id})
        )
        if status == 200:
            return True
        if status == 404:
            return False
        raise LrsError(self._explain(status, body))

    def _explain(self, status: int, body: bytes) -> str:
        detail = _one_line(body[:4096].decode("utf-8", "replace"))[:300]
        if status in (401, 403):
            return (
                f"the LRS at {self.url} refused the credentials (HTTP {status}); check "
                f"--lrs-auth USER:PASSWORD"
            )
        return f"the LRS at {self.url} answered HTTP {status}: {detail}"


def _one_line(text: str) -> str:
    """Untrusted text (an LRS's error body) as one plain line: no terminal controls."""
    from simulator.engine.text import plain

    return " ".join(plain(text).split())


def send(
    store: Any, lrs: Lrs, items: Any, *, batch: int = DEFAULT_BATCH, progress: Any = None
) -> SendReport:
    """Queue ``items`` ((statement_id, attempt_id, statement)) and send everything waiting.

    Raises :class:`LrsError` when the LRS stops taking them; what was accepted so far is
    marked sent and the rest waits in the outbox for the next run."""
    report = SendReport(queued=store.queue_statements(lrs.url, items))
    while True:
        pending = store.pending_statements(lrs.url, limit=batch)
        if not pending:
            break
        status, body = lrs.post([s for _sid, s in pending])
        ids = [sid for sid, _s in pending]
        if status in (200, 204):
            store.mark_sent(lrs.url, ids)
            report.sent += len(ids)
        elif status == 409:  # some were stored before (a lost reply): sort them out one by one
            for sid, statement in pending:
                if lrs.has(sid):
                    store.mark_sent(lrs.url, [sid])
                    report.already += 1
                    continue
                one_status, one_body = lrs.post([statement])
                if one_status not in (200, 204):
                    raise LrsError(lrs._explain(one_status, one_body))
                store.mark_sent(lrs.url, [sid])
                report.sent += 1
        else:
            raise LrsError(lrs._explain(status, body))
        if progress is not None:
            progress(report)
    report.waiting = store.outbox_counts(lrs.url)[0]
    return report
