"""Activity lint findings: a stable CT5xx code, a place (file:line:column), a severity, a message.

Activity findings are the scenario linter's own `Diagnostic` (one printed form, one JSON form, one
way of showing control characters escaped); their codes, in a range of their own so they never
clash, are registered in the one code table (engine/lint/diagnostics.py).
docs/activity-format.md lists them.
"""

from __future__ import annotations

from simulator.engine.lint.diagnostics import CODES, Diagnostic, did_you_mean, make

# The CT5xx rows of the one code table (engine/lint/diagnostics.py), where they are registered
# so that every code is known before this module is imported.
ACTIVITY_CODES: dict[str, tuple[str, str, str]] = {
    code: row for code, row in CODES.items() if code.startswith("CT5")
}

__all__ = ["ACTIVITY_CODES", "CODES", "Diagnostic", "did_you_mean", "make"]
