"""LTI 1.3 in the results store: registered platforms, the tool's signing keys, logins used once,
platform users and the links their scores go back to. A part of :class:`simulator.store.Store`.

Why in the store and not in a process's memory: any `countertalk web` process may receive the
launch that another process's login started, and a replayed launch must be refused by every
process, so the once-only records live where every process sees them (the same database as the
attempts). Scores wait in the outbox (:mod:`.outbox`) under :func:`ags_outbox`'s key.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .rows import dumps as _dumps
from .rows import json_dict as _json_dict

T = TypeVar("T")

ONCE_KEEP = 24 * 3600.0  # used or expired once-only rows are deleted after a day


def _json_list(text: Any) -> list[Any]:
    """A stored JSON list, or [] for a damaged one."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return []
    return value if isinstance(value, list) else []


def _conflict(exc: BaseException) -> bool:
    """A unique key refused a row (sqlite3's or psycopg's, maybe wrapped in a StoreError)."""
    seen: BaseException | None = exc
    while seen is not None:
        if any(k.__name__ in ("IntegrityError", "UniqueViolation") for k in type(seen).__mro__):
            return True
        seen = seen.__cause__
    return False


def ags_outbox(issuer: str, client_id: str) -> str:
    """The outbox key of a platform's scores (beside the LRS URLs of xAPI statements)."""
    return f"lti-ags {issuer} {client_id}"


@dataclass(frozen=True)
class PlatformRecord:
    """A platform (a VLE) registered with this tool: where to log in, take tokens and keys."""

    issuer: str
    client_id: str
    name: str
    auth_login_url: str
    auth_token_url: str
    jwks_url: str
    deployments: tuple[str, ...]
    registered_at: float


@dataclass(frozen=True)
class LinkRecord:
    """The link a learner last launched an exercise from: where its scores go."""

    learner: str
    exercise: str
    mode: str
    issuer: str
    client_id: str
    sub: str
    lineitem: str
    launched_at: float


class Lti:
    if TYPE_CHECKING:  # provided by Store (core.py)

        def _run(self, fn: Callable[[Any], T], *, write: bool, single: bool = False) -> T: ...

    # -- platforms --------------------------------------------------------------------------------
    def save_platform(self, p: PlatformRecord) -> None:
        """Register ``p`` (or replace its details: a platform re-registered keeps its key)."""
        row = (
            p.issuer,
            p.client_id,
            p.name,
            p.auth_login_url,
            p.auth_token_url,
            p.jwks_url,
            _dumps(list(p.deployments)),
            p.registered_at,
        )

        def write(conn: Any) -> None:
            conn.execute(
                "DELETE FROM lti_platforms WHERE issuer = ? AND client_id = ?",
                (p.issuer, p.client_id),
            )
            conn.execute(
                "INSERT INTO lti_platforms (issuer, client_id, name, auth_login_url,"
                " auth_token_url, jwks_url, deployments, registered_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )

        self._run(write, write=True)

    def platforms(self) -> list[PlatformRecord]:
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT issuer, client_id, name, auth_login_url, auth_token_url, jwks_url,"
                " deployments, registered_at FROM lti_platforms ORDER BY registered_at"
            ).fetchall(),
            write=False,
        )
        out = []
        for r in rows:
            deployments = _json_list(r[6])
            out.append(
                PlatformRecord(
                    issuer=str(r[0]),
                    client_id=str(r[1]),
                    name=str(r[2]),
                    auth_login_url=str(r[3]),
                    auth_token_url=str(r[4]),
                    jwks_url=str(r[5]),
                    deployments=tuple(str(d) for d in deployments),
                    registered_at=float(r[7]),
                )
            )
        return out

    def platform(self, issuer: str, client_id: str | None) -> PlatformRecord | None:
        """The platform with this issuer (and client id, when given; a platform registered once
        may leave it out of its login request)."""
        found = [
            p
            for p in self.platforms()
            if p.issuer == issuer and (client_id is None or p.client_id == client_id)
        ]
        return found[0] if len(found) == 1 else None

    def remove_platform(self, issuer: str, client_id: str) -> bool:
        def write(conn: Any) -> bool:
            cur = conn.execute(
                "DELETE FROM lti_platforms WHERE issuer = ? AND client_id = ?", (issuer, client_id)
            )
            return (cur.rowcount or 0) > 0

        return self._run(write, write=True)

    # -- the tool's keys --------------------------------------------------------------------------
    def add_tool_key(self, kid: str, private_pem: str, retire_others: bool) -> None:
        """A new signing key; with ``retire_others`` the older ones stop signing now (they stay
        published until :meth:`drop_retired_keys` removes them)."""
        now = time.time()

        def write(conn: Any) -> None:
            if retire_others:
                conn.execute("UPDATE lti_keys SET retired_at = ? WHERE retired_at IS NULL", (now,))
            conn.execute(
                "INSERT INTO lti_keys (kid, private_pem, created_at) VALUES (?, ?, ?)",
                (kid, private_pem, now),
            )

        self._run(write, write=True)

    def tool_keys(self) -> list[tuple[str, str, float, float | None]]:
        """``(kid, private_pem, created_at, retired_at)``, newest first."""
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT kid, private_pem, created_at, retired_at FROM lti_keys"
                " ORDER BY created_at DESC, kid"
            ).fetchall(),
            write=False,
        )
        return [
            (str(r[0]), str(r[1]), float(r[2]), None if r[3] is None else float(r[3])) for r in rows
        ]

    def drop_retired_keys(self, older_than: float) -> int:
        """Delete keys retired before ``older_than`` (unix time); how many went."""

        def write(conn: Any) -> int:
            cur = conn.execute(
                "DELETE FROM lti_keys WHERE retired_at IS NOT NULL AND retired_at < ?",
                (older_than,),
            )
            return int(cur.rowcount or 0)

        return self._run(write, write=True)

    # -- once-only records (a login's state and nonce; a deep-linking request) -----------------
    def put_once(self, key: str, kind: str, body: dict[str, Any]) -> None:
        now = time.time()

        def write(conn: Any) -> None:
            conn.execute("DELETE FROM lti_once WHERE created_at < ?", (now - ONCE_KEEP,))
            conn.execute(
                "INSERT INTO lti_once (key, kind, body, created_at) VALUES (?, ?, ?, ?)",
                (key, kind, _dumps(body), now),
            )

        self._run(write, write=True)

    def peek_once(self, key: str, kind: str, max_age: float) -> dict[str, Any] | None:
        """The record, if it exists, is of ``kind``, is unused and younger than ``max_age``
        seconds; nothing is changed."""
        row = self._run(
            lambda conn: conn.execute(
                "SELECT body FROM lti_once WHERE key = ? AND kind = ? AND used_at IS NULL"
                " AND created_at >= ?",
                (key, kind, time.time() - max_age),
            ).fetchone(),
            write=False,
        )
        return None if row is None else _json_dict(row[0])

    def use_once(self, key: str, kind: str, max_age: float) -> dict[str, Any] | None:
        """Mark the record used and give its body; None when it was used before (a replay),
        has expired or never existed. Of two processes racing, exactly one gets it."""
        now = time.time()

        def write(conn: Any) -> dict[str, Any] | None:
            cur = conn.execute(
                "UPDATE lti_once SET used_at = ? WHERE key = ? AND kind = ? AND used_at IS NULL"
                " AND created_at >= ?",
                (now, key, kind, now - max_age),
            )
            if (cur.rowcount or 0) != 1:
                return None
            row = conn.execute("SELECT body FROM lti_once WHERE key = ?", (key,)).fetchone()
            return None if row is None else _json_dict(row[0])

        return self._run(write, write=True)

    def take_lease(self, name: str, seconds: float) -> bool:
        """Hold ``name`` for up to ``seconds`` (one score sender per platform at a time, across
        processes): False while someone else holds it."""
        now = time.time()

        def write(conn: Any) -> bool:
            conn.execute(
                "DELETE FROM lti_once WHERE key = ? AND kind = 'lease' AND created_at < ?",
                (name, now - seconds),
            )
            cur = conn.execute(
                "INSERT INTO lti_once (key, kind, body, created_at) VALUES (?, 'lease', '{}', ?)"
                " ON CONFLICT (key) DO NOTHING",
                (name, now),
            )
            return (cur.rowcount or 0) == 1

        return self._run(write, write=True)

    def drop_lease(self, name: str) -> None:
        self._run(
            lambda conn: conn.execute(
                "DELETE FROM lti_once WHERE key = ? AND kind = 'lease'", (name,)
            ),
            write=True,
        )

    # -- platform users and their links ---------------------------------------------------------
    def lti_learner(self, issuer: str, sub: str, wanted: str, token_hash: str) -> str:
        """The learner a platform user is here, made on their first launch from ``wanted`` (the
        name the platform gave; " 2", " 3"… added when another learner already has it, or has
        attempts under it), and given to the browser holding ``token_hash`` (the platform
        vouched for who this is). Two first launches racing for one name (PostgreSQL): the
        unique index refuses the second, which chooses again."""
        for attempt in range(3):
            try:
                return self._lti_learner(issuer, sub, wanted, token_hash)
            except Exception as exc:
                if attempt == 2 or not _conflict(exc):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _lti_learner(self, issuer: str, sub: str, wanted: str, token_hash: str) -> str:
        from .signin import SignIn

        now = time.time()

        def write(conn: Any) -> str:
            row = conn.execute(
                "SELECT learner FROM lti_users WHERE issuer = ? AND sub = ?", (issuer, sub)
            ).fetchone()
            if row is not None:
                name = str(row[0])
            else:
                taken = {
                    str(r[0]) for r in conn.execute("SELECT name_key FROM web_learners").fetchall()
                } | {
                    SignIn._name_key(str(r[0]))
                    for r in conn.execute(
                        "SELECT learner FROM lti_users UNION SELECT learner FROM attempts"
                    ).fetchall()
                }
                name, n = wanted, 1
                while SignIn._name_key(name) in taken:
                    n += 1
                    name = f"{wanted} {n}"
                conn.execute(
                    "INSERT INTO lti_users (issuer, sub, learner) VALUES (?, ?, ?)",
                    (issuer, sub, name),
                )
            key = SignIn._name_key(name)
            conn.execute("DELETE FROM web_learners WHERE name_key = ?", (key,))
            conn.execute(
                "INSERT INTO web_learners (name_key, name, token_hash, class_code, claimed_at)"
                " VALUES (?, ?, ?, NULL, ?)",
                (key, name, token_hash, now),
            )
            return name

        return self._run(write, write=True)

    def save_link(self, link: LinkRecord) -> None:
        row = (
            link.learner,
            link.exercise,
            link.mode,
            link.issuer,
            link.client_id,
            link.sub,
            link.lineitem,
            link.launched_at,
        )

        def write(conn: Any) -> None:
            conn.execute(
                "DELETE FROM lti_links WHERE learner = ? AND exercise = ? AND mode = ?", row[:3]
            )
            conn.execute(
                "INSERT INTO lti_links (learner, exercise, mode, issuer, client_id, sub,"
                " lineitem, launched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )

        self._run(write, write=True)

    def link_for(self, learner: str, exercise: str, mode: str | None) -> LinkRecord | None:
        """The link ``learner`` last launched ``exercise`` from in ``mode`` (None: any mode)."""
        sql = (
            "SELECT learner, exercise, mode, issuer, client_id, sub, lineitem, launched_at"
            " FROM lti_links WHERE learner = ? AND exercise = ?"
        )
        params: tuple[str, ...] = (learner, exercise)
        if mode is not None:
            sql, params = sql + " AND mode = ?", (*params, mode)
        sql += " ORDER BY launched_at DESC"
        row = self._run(lambda conn: conn.execute(sql, params).fetchone(), write=False)
        if row is None:
            return None
        v = [str(x) for x in row[:7]]
        return LinkRecord(v[0], v[1], v[2], v[3], v[4], v[5], v[6], launched_at=float(row[7]))

    def ags_outboxes(self) -> list[str]:
        """The outbox keys with scores waiting."""
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT DISTINCT lrs FROM xapi_outbox WHERE sent_at IS NULL AND lrs LIKE ?",
                ("lti-ags %",),
            ).fetchall(),
            write=False,
        )
        return sorted(str(r[0]) for r in rows)
