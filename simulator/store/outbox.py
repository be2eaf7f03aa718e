"""The xAPI outbox in the results store: statements queued for a learning record store, each
sent once (the rows live in the same database, so an LRS that is down gets the rest next run).
A part of :class:`simulator.store.Store`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .rows import dumps as _dumps
from .rows import json_dict as _json_dict

T = TypeVar("T")


class Outbox:
    if TYPE_CHECKING:  # provided by Store (core.py)

        def _run(self, fn: Callable[[Any], T], *, write: bool, single: bool = False) -> T: ...

    def queue_statements(self, lrs: str, items: Any) -> int:
        """Add ``(statement_id, attempt_id, statement)`` to ``lrs``'s outbox, skipping ids
        already queued (sent or not): a statement is queued once, so it is sent once.
        Returns how many were new."""
        now = time.time()  # + a microsecond each: sent in the order given (attempt, choices)
        rows = [
            (lrs, sid, aid, _dumps(body), now + n * 1e-6)
            for n, (sid, aid, body) in enumerate(items)
        ]

        def write(conn: Any) -> int:
            have = {
                r[0]
                for r in conn.execute("SELECT statement_id FROM xapi_outbox WHERE lrs = ?", (lrs,))
            }
            new = [r for r in rows if r[1] not in have]
            if new:
                conn.executemany(
                    "INSERT INTO xapi_outbox (lrs, statement_id, attempt_id, body, queued_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (lrs, statement_id) DO NOTHING",
                    new,
                )
            return len(new)

        return self._run(write, write=True)

    def pending_statements(
        self, lrs: str, limit: int | None = None
    ) -> list[tuple[str, dict[str, Any]]]:
        """``(statement_id, statement)`` the LRS has not yet accepted, oldest first."""
        sql = (
            "SELECT statement_id, body FROM xapi_outbox WHERE lrs = ? AND sent_at IS NULL"
            " ORDER BY queued_at, statement_id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self._run(lambda conn: conn.execute(sql, (lrs,)).fetchall(), write=False)
        return [(sid, body) for sid, text in rows if (body := _json_dict(text)) is not None]

    def mark_sent(self, lrs: str, statement_ids: Any) -> None:
        """Record that the LRS accepted these statements (never to be sent again)."""
        now = time.time()
        rows = [(now, lrs, sid) for sid in statement_ids]

        def write(conn: Any) -> None:
            conn.executemany(
                "UPDATE xapi_outbox SET sent_at = ? WHERE lrs = ? AND statement_id = ?"
                " AND sent_at IS NULL",
                rows,
            )

        if rows:
            self._run(write, write=True)

    def outbox_counts(self, lrs: str) -> tuple[int, int]:
        """(waiting, accepted) statements for ``lrs``."""
        row = self._run(
            lambda conn: conn.execute(
                "SELECT COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0),"
                " COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END), 0)"
                " FROM xapi_outbox WHERE lrs = ?",
                (lrs,),
            ).fetchone(),
            write=False,
        )
        return int(row[0]), int(row[1])
