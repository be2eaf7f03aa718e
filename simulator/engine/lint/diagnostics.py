"""What a lint finding is: a stable code, a place (file:line:column), a severity and a message.

Codes never change meaning once shipped, so tutors, CI configs and editor integrations can rely
on them (`lint --ignore CT402`, `# countertalk: ignore CT402`). docs/diagnostics.md explains each
with a wrong and a right example; a test keeps that page and this table in step.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# code -> (name, severity, one-line summary). Severity belongs to the code: a code is always an
# error or always a warning, so `--ignore` and the per-file comment can only hide warnings.
CODES: dict[str, tuple[str, str, str]] = {
    # The file as YAML
    "CT001": ("yaml-syntax", "error", "the file is not valid YAML"),
    "CT002": ("yaml-tab", "error", "a tab is used for indentation"),
    "CT003": ("file-too-large", "error", "the file is over the size limit"),
    "CT004": ("file-unreadable", "error", "the file cannot be read as UTF-8 text"),
    "CT005": ("too-complex", "error", "values nested too deep or expanded too far by aliases"),
    # References: names that must name something
    "CT101": ("unknown-goto", "error", "a goto names no state"),
    "CT102": ("unknown-start", "error", "start names no state"),
    "CT103": ("unknown-behaviour", "error", "shows names a behaviour not in the catalogue"),
    "CT104": ("unknown-mistake", "error", "mistakes names a mistake not in the catalogue"),
    "CT105": ("unknown-law", "error", "law names a law id that does not exist"),
    "CT106": ("unknown-model", "error", "models or weights names an unknown scoring model"),
    "CT107": ("unknown-topic", "warning", "topic is not one of the known topics"),
    "CT108": ("undeclared-variable", "warning", "a variable is set but not declared under vars"),
    "CT109": ("duplicate-state", "error", "two states have the same id"),
    "CT110": ("duplicate-choice-id", "error", "two choices have the same id"),
    "CT111": ("duplicate-scenario-id", "error", "two files in a pack have the same id"),
    "CT112": (
        "explain-unmade-mistake",
        "error",
        "explain names a mistake the choice does not make",
    ),
    # Shape: keys, types and ranges (derived from the format model)
    "CT201": ("unknown-key", "error", "a key the format does not have"),
    "CT202": ("missing-key", "error", "a required key is missing"),
    "CT203": ("wrong-type", "error", "a value has the wrong kind (text, list, mapping, ...)"),
    "CT204": ("out-of-range", "error", "a number is outside its allowed range, or not finite"),
    "CT205": ("bad-id", "error", "the scenario id has characters ids may not use"),
    "CT206": ("empty-text", "error", "text that must say something is empty"),
    "CT207": ("ending-with-choices", "error", "an ending also has choices"),
    "CT208": ("no-way-on", "error", "a state has no choices and is not an ending"),
    "CT209": ("unknown-outcome", "error", "end: is not one of the four outcomes"),
    "CT210": ("invalid-value", "error", "a value is not one of those allowed"),
    "CT211": ("too-long", "error", "a text is over its length limit"),
    "CT212": ("thresholds-crossed", "error", "the pass threshold is above distinction"),
    "CT213": ("escalation-without-role", "error", "escalation is required but names no role"),
    "CT214": ("duplicate-key", "error", "a key is written twice in one mapping"),
    "CT215": ("unexplained-choice", "warning", "a choice has no shows, mistakes or feedback"),
    "CT216": ("typed-replies", "error", "typing: or on_unmatched: is not usable as written"),
    "CT217": ("typed-replies-advice", "warning", "typed replies will work, but not as meant"),
    # Templates and conditions
    "CT301": ("template-syntax", "error", "a template does not parse"),
    "CT302": ("condition-syntax", "error", "a condition does not parse"),
    "CT303": ("unknown-name", "error", "a template uses a name that does not exist"),
    "CT304": ("undefined-variable", "error", "vars.X names no declared or set variable"),
    "CT305": ("unknown-visits-state", "error", "visits.X names no state"),
    "CT306": ("unknown-customer-field", "error", "customer.X is not a customer field"),
    "CT307": ("no-such-attribute", "error", "a number (mood, turn) has no attributes"),
    "CT308": ("unsafe-template", "error", "a construct templates may not use"),
    "CT309": ("type-clash", "warning", "a variable is set to a different kind than declared"),
    "CT310": ("nested-too-deep", "error", "brackets in a template or condition nest too deep"),
    "CT311": ("template-bomb", "error", "a template takes more time or room than play allows"),
    # The graph of states
    "CT401": ("no-ending", "error", "no state is an ending"),
    "CT402": ("unreachable-state", "warning", "no path from start reaches a state"),
    "CT403": ("dead-end", "warning", "no ending can be reached from a state"),
    "CT404": ("endless-loop", "warning", "a learner can be kept going round a loop without end"),
    # What an assessment built on the file would say (scoring/lint_checks.py)
    "CT601": ("ending-claim", "warning", "an ending's text claims what some path never did"),
    "CT602": (
        "contradicted-behaviour",
        "warning",
        "a choice shows a behaviour its mistake rules out",
    ),
    "CT603": (
        "guessable-layout",
        "warning",
        "the best option is usually the longest or in one place",
    ),
    "CT604": (
        "wording-cues",
        "warning",
        "a model trained on the pack's wording picks the good options (a folder, --strict)",
    ),
    "CT605": (
        "passable-by-chance",
        "warning",
        "choosing at random passes over 5% or reaches a distinction over 1% (--strict)",
    ),
    "CT606": (
        "unflagged-withdrawal",
        "warning",
        "an option withdraws what was said after a law error, but has no corrects:",
    ),
    "CT607": (
        "reverse-cues",
        "warning",
        "the pack's wording points away from this scenario's good options (a folder, --strict)",
    ),
    "CT608": (
        "unnamed-misstatement",
        "warning",
        "a law marked wrong on a choice without misstates_law (misstated, or breached?)",
    ),
    "CT609": (
        "stopped-before-effect",
        "error",
        "corrects_before_effect: names a slip not made at the turn just before, or one that fails",
    ),
    "CT610": (
        "half-taken-back",
        "error",
        "corrects: takes back part of a line whose other mistake fails the attempt",
    ),
    "CT611": (
        "unlawful-beyond-remit",
        "error",
        "beyond_remit beside a data mistake: no role can approve an unlawful disclosure",
    ),
    "CT612": (
        "partly-taken-back",
        "warning",
        "corrects: takes back some of a line's mistakes but not the rest its words withdraw",
    ),
    # String tables: translations beside a file (`countertalk i18n check`, docs/i18n.md)
    "CT701": ("new-string", "warning", "a string of the file has no entry in a language's table"),
    "CT702": ("untranslated", "warning", "a table entry has no translation yet (shown in English)"),
    "CT703": ("stale-translation", "warning", "the English changed since it was translated"),
    "CT704": (
        "unknown-string-id",
        "warning",
        "a table entry names a string the file no longer has",
    ),
    "CT705": (
        "translation-template",
        "error",
        "a translation's template does not parse or uses a name its English does not",
    ),
    "CT706": ("string-table", "error", "a string table (or its English file) cannot be used"),
    # Safety net
    "CT900": ("invalid", "error", "the file does not fit the format (reported by the model)"),
    # Activities (knowledge checks): a range of their own, checked by simulator/activities/lint.py
    # and listed in docs/activity-format.md. In this one table so that every code is known
    # (hover, --ignore, the docs) before the activity linter is imported.
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
    # The replacement a did-you-mean proposes (the editor offers it as a quick fix), and the
    # word it replaces when that is not simply the value at line:column (inside a template).
    suggestion: str | None = None
    subject: str | None = None

    @property
    def name(self) -> str:
        return CODES.get(self.code, ("", "", ""))[0]

    def __str__(self) -> str:
        # Messages quote the file's own keys and names: show control characters escaped
        # (visible to the tutor who must fix them), never let them drive the terminal.
        tag = f" [{self.code} {self.name}]" if self.code else ""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}{tag}"
        return _CONTROL_CHAR.sub(lambda m: m.group().encode("unicode_escape").decode(), text)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass
class Findings:
    """What checking one file found (a scenario's `CheckResult`, an activity's): every
    diagnostic, and the errors and warnings among them."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def make(
    path: str, line: int, column: int, code: str, message: str, suggestion: str | None = None
) -> Diagnostic:
    """A Diagnostic whose severity is the code's."""
    return Diagnostic(path, line, column, CODES[code][1], message, code, suggestion)


# Did-you-mean is bounded (issue 31, item 9): 1,000 misspelt gotos against 1,000 states was a
# million SequenceMatcher comparisons (54 s to lint one 88 KB file). Now each word is scored
# against every option only by the letter pairs they share (a set intersection, in C), and
# difflib compares it with the SUGGEST_CANDIDATES best of those; words over SUGGEST_MAX_LEN get no
# suggestion, at most SUGGEST_MAX_OPTIONS options are looked at, and each (word, options) answer
# is remembered, so a file repeating one typo pays once.
SUGGEST_CANDIDATES = 12
SUGGEST_MAX_LEN = 80
SUGGEST_MAX_OPTIONS = 5000


def closest(word: Any, options: Iterable[Any]) -> str | None:
    if not isinstance(word, str) or len(word) > SUGGEST_MAX_LEN:
        return None
    opts = tuple(o for o in options if isinstance(o, str))[:SUGGEST_MAX_OPTIONS]
    return _closest(word, opts)


def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset((text,))


@lru_cache(maxsize=64)
def _indexed(options: tuple[str, ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((o, _pairs(o)) for o in options if len(o) <= SUGGEST_MAX_LEN)


@lru_cache(maxsize=4096)
def _closest(word: str, options: tuple[str, ...]) -> str | None:
    if len(options) > SUGGEST_CANDIDATES:
        import heapq

        mine = _pairs(word)
        best = heapq.nlargest(
            SUGGEST_CANDIDATES, _indexed(options), key=lambda item: len(mine & item[1])
        )
        options = tuple(o for o, _ in best)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return close[0] if close else None


def did_you_mean(word: Any, options: Iterable[Any]) -> str:
    close = closest(word, options)
    return f" (did you mean '{close}'?)" if close else ""


def fmt_list(options: Iterable[str], limit: int = 8) -> str:
    opts = list(options)
    shown = ", ".join(opts[:limit])
    return shown + (", …" if len(opts) > limit else "")


# -- silencing warnings -----------------------------------------------------------------------
_IGNORE_COMMENT = re.compile(rb"#\s*countertalk:\s*ignore\s+((?:CT\d{3}[\s,]*)+)", re.I)


def ignored_in_file(raw: bytes) -> tuple[set[str], dict[int, set[str]]]:
    """Codes silenced by `# countertalk: ignore CT402 CT215` comments: on a line of its own the
    comment silences those codes in the whole file; after a value, on that line only."""
    whole: set[str] = set()
    by_line: dict[int, set[str]] = {}
    if b"countertalk:" not in raw and b"COUNTERTALK:" not in raw.upper():
        return whole, by_line
    for m in _IGNORE_COMMENT.finditer(raw):
        codes = {c.upper() for c in re.findall(r"CT\d{3}", m.group(1).decode(), re.I)}
        start = raw.rfind(b"\n", 0, m.start()) + 1
        if raw[start : m.start()].strip():
            by_line.setdefault(raw.count(b"\n", 0, m.start()) + 1, set()).update(codes)
        else:
            whole |= codes
    return whole, by_line


def silence(
    diags: list[Diagnostic], raw: bytes, extra: Iterable[str] = frozenset()
) -> list[Diagnostic]:
    """Drop the warnings the file's comments (and `extra`, from --ignore) silence. Errors stay:
    a file with an error cannot be played, so hiding one would only move the surprise."""
    whole, by_line = ignored_in_file(raw)
    whole = whole | set(extra)
    if not whole and not by_line:
        return diags
    return [
        d
        for d in diags
        if d.severity == "error" or (d.code not in whole and d.code not in by_line.get(d.line, ()))
    ]
