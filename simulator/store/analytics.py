"""What tutors' reports and the progress map read from the results store: best grades,
finished attempts, and the choices made (typed replies' misses are in the saved records).
A part of :class:`simulator.store.Store`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .core import AttemptRecord

T = TypeVar("T")


class Analytics:
    if TYPE_CHECKING:  # provided by Store (core.py)

        def _run(self, fn: Callable[[Any], T], *, write: bool, single: bool = False) -> T: ...

        def _select(
            self, where: str, params: tuple[Any, ...], order: str, limit: int | None = None
        ) -> list[AttemptRecord]: ...

        @staticmethod
        def _filters(**kw: Any) -> tuple[list[str], list[Any]]: ...

    def best_grades(self, learner: str) -> dict[str, str]:
        """scenario_id -> best grade of finished attempts (the grade order is the scorer's)."""
        from scoring.spec import GRADES  # worst to best

        rank = {g: i for i, g in enumerate(GRADES, start=1)}

        def read(conn: Any) -> dict[str, str]:
            best: dict[str, str] = {}
            for scenario_id, grade in conn.execute(
                "SELECT scenario_id, grade FROM attempts"
                " WHERE learner = ? AND finished_at IS NOT NULL AND grade IS NOT NULL",
                (learner,),
            ):
                if grade not in rank:
                    continue
                if rank[grade] > rank.get(best.get(scenario_id, ""), 0):
                    best[scenario_id] = grade
            return best

        return self._run(read, write=False)

    def attempts(
        self,
        *,
        learner: str | None = None,
        scenario_id: str | None = None,
        since: float | None = None,
        finished_only: bool = True,
    ) -> list[AttemptRecord]:
        """Attempts for reports, oldest first, with choices.  ``since`` is a unix
        time compared with ``started_at``; abandoned attempts come only with
        ``finished_only=False``."""
        where, params = self._filters(learner=learner, scenario_id=scenario_id)
        if since is not None:
            where.append("started_at >= ?")
            params.append(float(since))
        if finished_only:
            where.append("finished_at IS NOT NULL")
        return self._select(" AND ".join(where) or "TRUE", tuple(params), "started_at, id")

    def choice_rows(self, *, scenario_id: str | None = None) -> list[tuple[str, str, int, str]]:
        """(learner, scenario_id, turn, choice_id) for every recorded choice of
        every attempt (finished or not), by attempt then turn."""
        sql = (
            "SELECT a.learner, a.scenario_id, c.turn, c.choice_id"
            " FROM choices c JOIN attempts a ON a.id = c.attempt_id"
        )
        params: tuple[Any, ...] = ()
        if scenario_id is not None:
            sql += " WHERE a.scenario_id = ?"
            params = (scenario_id,)
        sql += " ORDER BY c.attempt_id, c.turn"
        return self._run(lambda conn: conn.execute(sql, params).fetchall(), write=False)

    def choice_records(
        self,
        *,
        learner: str | None = None,
        scenario_id: str | None = None,
        since: float | None = None,
    ) -> list[tuple[int, str, str, int, dict[str, Any]]]:
        """(attempt id, learner, scenario id, turn, the saved turn record) for every recorded
        choice of every attempt, finished or not (typed replies' misses live in the records)."""
        where, params = self._filters(**{"a.learner": learner, "a.scenario_id": scenario_id})
        if since is not None:
            where.append("a.started_at >= ?")
            params.append(float(since))
        sql = (
            "SELECT a.id, a.learner, a.scenario_id, c.turn, c.record"
            " FROM choices c JOIN attempts a ON a.id = c.attempt_id"
            f" WHERE {' AND '.join(where) or '1 = 1'} ORDER BY a.started_at, c.attempt_id, c.turn"
        )
        rows = self._run(lambda conn: conn.execute(sql, tuple(params)).fetchall(), write=False)
        out = []
        for aid, who, sid, turn, record in rows:
            try:  # text in SQLite; a PostgreSQL driver may hand back the decoded value
                data = json.loads(record) if isinstance(record, str | bytes) else record
            except ValueError:
                continue
            if isinstance(data, dict):
                out.append((aid, who, sid, turn, data))
        return out
