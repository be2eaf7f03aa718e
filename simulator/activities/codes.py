"""Activity lint findings: a stable CT5xx code, a place (file:line:column), a severity, a message.

Activity findings are the scenario linter's own `Diagnostic` (one printed form, one JSON form, one
way of showing control characters escaped); their codes, in a range of their own so they never
clash, are registered in the one code table here. docs/activity-format.md lists them.
"""

from __future__ import annotations

from simulator.engine.lint.diagnostics import CODES as _CODES
from simulator.engine.lint.diagnostics import Diagnostic, did_you_mean, make

ACTIVITY_CODES: dict[str, tuple[str, str, str]] = {
    "CT501": ("activity-yaml", "error", "the file is not usable YAML (syntax, size, nesting)"),
    "CT502": ("activity-unknown-key", "error", "a key the activity format does not have"),
    "CT503": ("activity-missing-key", "error", "a required key is missing"),
    "CT504": ("activity-wrong-type", "error", "a value has the wrong kind (text, list, ...)"),
    "CT505": ("activity-invalid-value", "error", "a value is not one of those allowed"),
    "CT506": ("unknown-marking-point", "error", "marking_points names no catalogue point"),
    "CT507": ("unknown-group", "error", "a sort card names a group that does not exist"),
    "CT508": ("item-count", "error", "too few or too many items for the kind"),
    "CT509": ("duplicate-item", "error", "two items (or group ids) are the same"),
    "CT510": ("activity-too-long", "error", "a text is over its length limit"),
    "CT511": ("empty-group", "warning", "no card belongs in a group"),
    "CT512": ("unexplained-item", "warning", "an item has no `why` (feedback must explain)"),
    "CT513": ("activity-duplicate-key", "error", "a key is written twice in one mapping"),
    "CT514": ("duplicate-activity-id", "error", "two files in a pack have the same id"),
    "CT515": ("nothing-to-spot", "error", "a spot activity needs right and wrong options"),
}

_CODES.update(ACTIVITY_CODES)
CODES = _CODES

__all__ = ["ACTIVITY_CODES", "CODES", "Diagnostic", "did_you_mean", "make"]
