"""Who is signed in to `countertalk serve`: a learner's name claimed with a token's hash, so two
browsers cannot be the same learner at once. A part of :class:`simulator.store.Store`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T")


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
            conn.execute(
                "INSERT INTO web_learners (name_key, name, token_hash, class_code, claimed_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING",
                (key, name, token_hash, class_code, time.time()),
            )
            row = conn.execute(
                "SELECT token_hash FROM web_learners WHERE name_key = ?", (key,)
            ).fetchone()
            if row is None or row[0] != token_hash:
                return False
            # the browser's latest choice of its own names is the one it plays as
            conn.execute(
                "UPDATE web_learners SET claimed_at = ? WHERE name_key = ?", (time.time(), key)
            )
            return True

        return self._run(write, write=True)

    def learner_for_token(self, token_hash: str) -> str | None:
        """The name (as first typed) the browser holding ``token_hash`` last signed in as."""
        row = self._run(
            lambda conn: conn.execute(
                "SELECT name FROM web_learners WHERE token_hash = ? ORDER BY claimed_at DESC",
                (token_hash,),
            ).fetchone(),
            write=False,
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
