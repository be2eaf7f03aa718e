"""Activity lint findings: a stable CT5xx code, a place (file:line:column), a severity, a message.

The same shape and printed form as the scenario linter's diagnostics
(`path:line:column: severity: message [CT5xx name]`), in a range of their own so the codes never
clash; docs/activity-format.md lists them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

CODES: dict[str, tuple[str, str, str]] = {
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

_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    message: str
    code: str = ""

    @property
    def name(self) -> str:
        return CODES.get(self.code, ("", "", ""))[0]

    def __str__(self) -> str:
        # The file's own words are quoted: control characters shown escaped, never obeyed.
        tag = f" [{self.code} {self.name}]" if self.code else ""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}{tag}"
        return _CONTROL_CHAR.sub(lambda m: m.group().encode("unicode_escape").decode(), text)

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "name": self.name,
            "message": self.message,
        }


def make(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, CODES[code][1], message, code)


def did_you_mean(word, options) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(
        word, [o for o in options if isinstance(o, str)], n=1, cutoff=0.5
    )
    return f" (did you mean '{close[0]}'?)" if close else ""
