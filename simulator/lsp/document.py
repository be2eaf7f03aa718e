"""What the language server reads from a scenario's text, without needing valid YAML.

A file being typed is broken most of the time, so completion, definitions and references work
from the lines and their indentation (the format's block layout), not from a parse. Positions
here are 0-based (line, character), as LSP uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*:")
_WORD = re.compile(r"[A-Za-z0-9_.-]+")
_REF = re.compile(r"""(?:\b(goto|start)\s*:\s*)(["']?)([A-Za-z0-9_][\w.-]*)\2""")
_VISITS = re.compile(r"\bvisits\.([A-Za-z_][\w-]*)|\bvisits\[\s*['\"]([^'\"]+)['\"]\s*\]")


@dataclass(frozen=True)
class Span:
    line: int
    start: int
    end: int


_KEY_START = re.compile(r"\s*([\"']?)([^\"':#\s][^\"':#]*)")


def _key_span(line: str) -> tuple[int, int] | None:
    """Where a mapping key (quoted or not) is written at the start of ``line``, if it is one.

    In linear time: the old pattern (a lazy run, a back-reference, then optional spaces and a
    colon) backtracked over every space of a long line — quadratic, seconds on one line."""
    m = _KEY_START.match(line)
    if m is None:
        return None
    quote, start, end = m.group(1), m.start(2), m.end(2)
    rest = line[end:]
    if quote:
        if not rest.startswith(quote):
            return None
        rest = rest[1:]
    else:
        end = start + len(m.group(2).rstrip())
    return (start, end) if rest.lstrip().startswith(":") else None


def state_definitions(lines: list[str]) -> dict[str, Span]:
    """state id -> where its key is written under `states:`."""
    out: dict[str, Span] = {}
    inside = False
    indent = None
    for n, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        lead = len(line) - len(line.lstrip(" "))
        if lead == 0:
            inside = line.startswith("states:")
            indent = None
            continue
        if not inside:
            continue
        if indent is None:
            indent = lead
        if lead == indent:
            span = _key_span(line)
            if span is not None:
                out.setdefault(line[span[0] : span[1]], Span(n, *span))
    return out


def state_references(lines: list[str], sid: str) -> list[Span]:
    """Every `goto: ID`, `start: ID` and `visits.ID` that names the state."""
    out = []
    for n, line in enumerate(lines):
        code = line.split(" #", 1)[0]
        for m in _REF.finditer(code):
            if m.group(3) == sid:
                out.append(Span(n, m.start(3), m.end(3)))
        for m in _VISITS.finditer(code):
            g = 1 if m.group(1) else 2
            if m.group(g) == sid:
                out.append(Span(n, m.start(g), m.end(g)))
    return out


def word_at(line: str, char: int) -> Span | None:
    for m in _WORD.finditer(line):
        if m.start() <= char <= m.end():
            return Span(0, m.start(), m.end())
    return None


def token_end(line: str, col: int) -> int:
    """Where the YAML token starting at `col` ends: a quoted string, a key, or a plain value."""
    if col >= len(line):
        return len(line)
    q = line[col]
    if q in "'\"":
        end = line.find(q, col + 1)
        return end + 1 if end > 0 else len(line.rstrip())
    m = re.compile(r"\s#|:\s|:$|,|\]|\}").search(line, col)
    end = m.start() if m else len(line)
    while end > col and line[end - 1] == " ":
        end -= 1
    return end if end > col else len(line.rstrip()) or col + 1


def key_path(lines: list[str], line_no: int, char: int) -> list[str]:
    """The keys enclosing a position, outermost first, read from indentation; list items
    appear as "-" (e.g. ["states", "opening", "choices", "-"])."""
    current = lines[line_no][:char] if line_no < len(lines) else ""
    indent = len(current) - len(current.lstrip(" "))
    if current.lstrip().startswith("- "):
        indent += 2
    path: list[str] = []
    for n in range(line_no - 1, -1, -1):
        line = lines[n]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        lead = len(line) - len(line.lstrip(" "))
        if lead >= indent:
            continue
        if line.lstrip(" ").startswith("- "):
            if lead + 2 <= indent:  # inside this list item; its first key is a sibling
                path.insert(0, "-")
                indent = lead
            continue
        m = _KEY.match(line)
        if m:
            path.insert(0, m.group(2))
            indent = lead
        if indent == 0:
            break
    return path


def section_of(path: list[str]) -> str:
    """Which part of the format a key path is in: root, state, choice, customer, ..."""
    if not path:
        return "root"
    if path[0] == "states":
        if len(path) == 2:
            return "state"
        if len(path) >= 4 and path[2] == "choices" and path[3] == "-":
            return "choice" if len(path) == 4 else "other"
        return "other" if len(path) > 2 else "states"
    if path[0] == "rules" and path[1:] == ["-"]:
        return "rule"
    if len(path) == 1 and path[0] in ("customer", "escalation", "scoring"):
        return path[0]
    return "other"


_KEY_COLON = re.compile(r"([A-Za-z_][\w-]*)\s*:(?=\s|$)")


def value_context(line_before: str) -> str | None:
    """The key whose value the cursor is in on this line (`goto`, `shows`, ...), if any.

    Works in block style (`goto: `) and flow style (`- {text: "Hi", goto: `, `shows: [a, `);
    after a finished flow value (`{text: "Hi", `) the cursor is at a key again (None)."""
    last = None
    for m in _KEY_COLON.finditer(line_before):
        last = m
    if last is None:
        return None
    after = line_before[last.end() :]
    depth = after.count("[") - after.count("]")
    if depth <= 0 and ("," in after or "}" in after):
        return None
    return last.group(1)
