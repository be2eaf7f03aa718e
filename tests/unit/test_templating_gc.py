"""A garbage collection during a render does not count against the template's budget (the CI run
at 2623598 failed a microsecond template because a full collection of a test worker's heap ran
inside it); the template's own work still does."""

from __future__ import annotations

import gc
import time

from simulator.engine import templating
from simulator.engine.templating import _budget, _gc_not_counted


def _burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_the_collection_is_registered():
    assert _gc_not_counted in gc.callbacks


def test_time_in_a_collection_moves_the_deadline_on():
    _budget.deadline = time.thread_time() + 0.01
    try:
        before = _budget.deadline
        _gc_not_counted("start", {})
        _burn(0.05)
        _gc_not_counted("stop", {})
        assert _budget.deadline - before >= 0.05
    finally:
        _budget.deadline = None


def test_outside_a_render_a_collection_changes_nothing():
    _budget.deadline = None
    _gc_not_counted("start", {})
    _gc_not_counted("stop", {})
    assert _budget.deadline is None


def test_a_render_with_a_collection_inside_is_not_stopped(monkeypatch):
    # a collection costing more than the whole budget, run by the template's own context
    class Slow:
        def __str__(self) -> str:
            _gc_not_counted("start", {})
            _burn(templating.RENDER_SECONDS * 1.5)
            _gc_not_counted("stop", {})
            return "ok"

    assert (
        templating.render("{{ vars.x|string }} {% if 1 %}!{% endif %}", {"vars": {"x": Slow()}})
        == "ok !"
    )
