"""Who is signed in to `countertalk serve` and `web`: a learner's name claimed with a token's
hash, so two browsers cannot be the same learner at once; and the one-time codes that move a
name to a new browser (a learner whose cookies were cleared). A part of
:class:`simulator.store.Store`."""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T")

RECLAIM_TRIES = 5  # wrong codes typed for one name before its code stops working


class SignIn:
    if TYPE_CHECKING:  # provided by Store (core.py)

        def _run(self, fn: Callable[[Any], T], *, write: bool, single: bool = False) -> T: ...

    @staticmethod
    def _name_key(name: str) -> str:
        """Names are one learner whatever their case or spacing: "Alice" is "alice "."""
        return " ".join(name.split()).casefold()

    def claim_learner(self, name: str, token_hash: str, class_code: str | None = None) -> bool:
        """Give ``name`` to the browser holding ``token_hash``.  True if it is now that
        browser's (new, or already its own); False if another browser claimed it (in any
        letter case) first."""
        key = self._name_key(name)

        def write(conn: Any) -> bool:
            # One statement (one round trip on PostgreSQL, in autocommit): a new name is
            # inserted; a name this browser holds is touched (the browser's latest choice of
            # its own names is the one it plays as); another browser's is left alone, and
            # then no row comes back.
            row = conn.execute(
                "INSERT INTO web_learners (name_key, name, token_hash, class_code, claimed_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE"
                " SET claimed_at = excluded.claimed_at"
                " WHERE web_learners.token_hash = excluded.token_hash RETURNING token_hash",
                (key, name, token_hash, class_code, time.time()),
            ).fetchone()
            return row is not None and row[0] == token_hash

        return self._run(write, write=True, single=True)

    def learner_for_token(self, token_hash: str) -> str | None:
        """The name (as first typed) the browser holding ``token_hash`` last signed in as."""
        row = self._run(
            lambda conn: conn.execute(
                "SELECT name FROM web_learners WHERE token_hash = ? ORDER BY claimed_at DESC",
                (token_hash,),
            ).fetchone(),
            write=False,
            single=True,  # one statement: one round trip on PostgreSQL
        )
        return None if row is None else str(row[0])

    def release_learner(self, name: str) -> bool:
        """Free a name (a learner who lost their browser's cookie); True if it was claimed."""

        def write(conn: Any) -> bool:
            cur = conn.execute(
                "DELETE FROM web_learners WHERE name_key = ?", (self._name_key(name),)
            )
            return (cur.rowcount or 0) > 0

        return self._run(write, write=True)

    # -- one-time codes ----------------------------------------------------------------------
    def issue_reclaim(self, name: str, code_hash: str, expires_at: float) -> bool:
        """Keep ``code_hash`` as ``name``'s one-time code until ``expires_at`` (it replaces any
        earlier code). False when no browser has signed in as ``name`` (nothing to move)."""
        key = self._name_key(name)

        def write(conn: Any) -> bool:
            known = conn.execute("SELECT 1 FROM web_learners WHERE name_key = ?", (key,)).fetchone()
            if known is None:
                return False
            conn.execute(
                "INSERT INTO web_reclaims (name_key, code_hash, issued_at, expires_at, used_at,"
                " tries) VALUES (?, ?, ?, ?, NULL, 0) ON CONFLICT (name_key) DO UPDATE SET"
                " code_hash = excluded.code_hash, issued_at = excluded.issued_at,"
                " expires_at = excluded.expires_at, used_at = NULL, tries = 0",
                (key, code_hash, time.time(), expires_at),
            )
            return True

        return self._run(write, write=True)

    def reclaim_learner(self, name: str, code_hash: str, token_hash: str) -> str:
        """Move ``name`` to the browser holding ``token_hash`` if ``code_hash`` is its live
        one-time code. One of: "ok", "wrong" (not the code; "void" once too many wrong codes
        were typed), "used", "expired", "none" (no code was given for this name)."""
        key = self._name_key(name)

        def write(conn: Any) -> str:
            row = conn.execute(
                "SELECT code_hash, expires_at, used_at, tries FROM web_reclaims WHERE name_key = ?",
                (key,),
            ).fetchone()
            if row is None:
                return "none"
            stored, expires_at, used_at, tries = row
            if used_at is not None:
                return "used"
            if tries >= RECLAIM_TRIES:
                return "void"
            now = time.time()
            if expires_at < now:
                return "expired"
            if not hmac.compare_digest(str(stored), code_hash):
                conn.execute("UPDATE web_reclaims SET tries = tries + 1 WHERE name_key = ?", (key,))
                return "void" if tries + 1 >= RECLAIM_TRIES else "wrong"
            conn.execute("UPDATE web_reclaims SET used_at = ? WHERE name_key = ?", (now, key))
            cur = conn.execute(
                "UPDATE web_learners SET token_hash = ?, claimed_at = ? WHERE name_key = ?",
                (token_hash, now, key),
            )
            return "ok" if (cur.rowcount or 0) > 0 else "none"

        return self._run(write, write=True)
