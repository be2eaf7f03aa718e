"""`countertalk i18n extract|check`: keep the string tables beside scenario and activity files
in step with their English (the table format and the ids are `engine/strings.py`).

`check` compares each table with its file and reports, with a code and file:line:

- CT701 a string of the file the table has no entry for (new since the last extract),
- CT702 an entry with no translation yet (the learner sees the English),
- CT703 an entry whose English has changed since it was translated (stale: shown, but may no
  longer say what the English says),
- CT704 an entry for a string the file no longer has,
- CT705 a translation whose template does not parse, or names a variable its English does not,
- CT706 a table (or its file) that cannot be read.

`extract` writes or updates the tables: new ids are added untranslated, every `en` is refreshed
to the English now in the file, and translations and their hashes are left as they are, so a
stale one stays reported until a translator brings it up to date.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.engine.lint.diagnostics import Diagnostic, make
from simulator.engine.strings import (
    SourceString,
    Table,
    merged,
    read_table,
    render_table,
    source_hash,
    strings_of,
    table_path,
)


@dataclass
class Source:
    """A scenario or activity file read for its strings (or why it could not be)."""

    path: Path
    strings: list[SourceString] = field(default_factory=list)
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)
    problem: str | None = None

    def where(self, s: SourceString) -> tuple[int, int]:
        p = s.path
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return (1, 1)


def read_source(path: Path) -> Source:
    """The file's strings with their positions; `problem` when it has errors (a table is kept in
    step with a file that loads, so fix the English first)."""
    from simulator.activities.files import is_activity_file
    from simulator.engine import yamlpos
    from simulator.engine.checked import read_limited

    src = Source(path)
    if is_activity_file(path):
        from simulator.activities.lint import check_file as check_activity

        errors = check_activity(path, build_it=False).errors
    else:
        from simulator.engine.loader import check_file as check_scenario

        errors = check_scenario(path, build=False).errors
    if errors:
        src.problem = (
            f"{path} has {len(errors)} error(s); fix the English file first "
            f"(see 'countertalk lint {path}')"
        )
        return src
    raw, problem = read_limited(str(path))
    if raw is None:
        src.problem = problem.message if problem else f"cannot read {path}"
        return src
    parsed = yamlpos.parse_bytes(raw)
    src.positions = dict(parsed.values)
    src.strings = strings_of(parsed.data)
    return src


def _template_names(text: str) -> set[tuple[str, str | None]] | None:
    """The scope names a template uses, or None when it does not parse."""
    from simulator.engine.sandbox import names_used, parse_template
    from simulator.engine.templating import is_template

    if not is_template(text):
        return set()
    try:
        tree = parse_template(text)
    except Exception:
        return None
    return {(root, attr) for root, attr, _line in names_used(tree)}


def check(source: Path, lang: str) -> list[Diagnostic]:
    """Every finding for one file's table in one language (none when it has no table)."""
    tpath = table_path(source, lang)
    table = read_table(tpath, lang)
    if table is None:
        return []
    return check_table(read_source(source), table)


def check_table(src: Source, table: Table) -> list[Diagnostic]:
    tp = table.path
    out = [make(tp, line, col, "CT706", msg) for line, col, msg in table.problems]
    if src.problem:
        return [*out, make(tp, 1, 1, "CT706", src.problem)]
    lang = table.lang
    current = {s.id: s for s in src.strings}
    for s in src.strings:
        e = table.entries.get(s.id)
        if e is None:
            line, col = src.where(s)
            out.append(
                make(
                    str(src.path),
                    line,
                    col,
                    "CT701",
                    f"'{s.id}' has no entry in the {lang} table {tp}; run 'countertalk i18n "
                    f"extract --lang {lang} {src.path}' and translate it",
                )
            )
            continue
        if not e.translated:
            out.append(
                make(
                    tp,
                    e.line,
                    e.column,
                    "CT702",
                    f"'{s.id}' has no {lang} translation yet (learners see the English)",
                )
            )
            continue
        now = source_hash(s.english)
        if e.hash != now:
            out.append(
                make(
                    tp,
                    e.line,
                    e.column,
                    "CT703",
                    f"the English of '{s.id}' has changed since it was translated: update the "
                    f"{lang} to match (`en:` holds the English now, after an extract), "
                    f"then set hash: {now}",
                )
            )
        if not s.examples and e.text:
            english_names = _template_names(s.english) or set()
            names = _template_names(e.text)
            if names is None:
                out.append(
                    make(
                        tp,
                        e.line,
                        e.column,
                        "CT705",
                        f"the {lang} of '{s.id}' is not a valid template (check its {{{{ }}}} "
                        "and {% %} pairs against the English)",
                    )
                )
            elif names - english_names:
                extra = ", ".join(
                    sorted(r + (f".{a}" if a else "") for r, a in names - english_names)
                )
                out.append(
                    make(
                        tp,
                        e.line,
                        e.column,
                        "CT705",
                        f"the {lang} of '{s.id}' uses {extra}, which its English does not; "
                        "use only the names the English uses",
                    )
                )
    for sid, e in table.entries.items():
        if sid not in current:
            out.append(
                make(
                    tp,
                    e.line,
                    e.column,
                    "CT704",
                    f"'{sid}' is not a string of {src.path} any more; move its translation to "
                    "the string's new id, or delete it",
                )
            )
    return out


def extract(source: Path, lang: str) -> tuple[Path, str | None, str | None]:
    """(table path, the table's new text or None when unchanged, a problem or None)."""
    src = read_source(source)
    tpath = table_path(source, lang)
    if src.problem:
        return tpath, None, src.problem
    table = read_table(tpath, lang)
    if table is not None and table.problems:
        line, col, msg = table.problems[0]
        return tpath, None, f"{tpath}:{line}:{col}: {msg}; fix the table first"
    text = render_table(source.name, lang, merged(src.strings, table, lang))
    try:
        old = tpath.read_text(encoding="utf-8")
    except OSError:
        old = None
    return tpath, (None if old == text else text), None


def write_table(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def files_of(targets: list[str], pack: str | None) -> list[Path]:
    """The scenario and activity files a command means: files, folders (a pack: its scenarios
    and its activities), or the shipped pack."""
    from simulator.activities.files import activity_files
    from simulator.engine.pack import scenario_files, shipped_pack

    out: list[Path] = []
    for t in targets or [str(pack or shipped_pack())]:
        p = Path(t)
        if p.is_dir():
            out += scenario_files(p)
            out += [f for f in activity_files(p) if f not in out]
        else:
            out.append(p)
    return out


def summary_counts(diags: list[Diagnostic]) -> dict[str, Any]:
    names = {"CT701": "new", "CT702": "missing", "CT703": "stale", "CT704": "unknown"}
    counts: dict[str, int] = {}
    for d in diags:
        key = names.get(d.code, "errors")
        counts[key] = counts.get(key, 0) + 1
    return counts
