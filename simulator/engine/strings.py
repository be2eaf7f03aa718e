"""String tables: every string a learner sees in a scenario or activity file, by a stable id, and
one table per language beside the file (Yarn Spinner's model; docs/i18n.md).

Why ids and not the English text as the key (gettext's way): tutors edit the English, and an
edited line must not silently lose its translation, nor keep one that no longer says the same
thing. So each string's id comes from the file's structure — the state id, the choice id and the
role of the text (`opening.say.1`, `details.2.feedback`, `cards.3.why`) — never from its wording,
and each translation carries a hash of the English it was made from: an English edit makes the
translation *stale* (reported by `countertalk i18n check`, still shown until it is brought up to
date), re-wrapping a paragraph does not (the hash is of the text with its spaces folded).

A table is YAML at ``<folder>/locales/<lang>/<file name>`` (so `scenarios/spill-in-aisle.yaml` has
`scenarios/locales/cy/spill-in-aisle.yaml`); pack listings never look into `locales/`, so a table
is never taken for a scenario. The engine reads a table with the same positioned, bounded YAML
reader as scenarios, and overlays it on a loaded Scenario (`localise`): a string the table has
no translation for stays English.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Choice, Customer, Escalation, OnUnmatched, Scenario, State

TABLE_FORMAT = 1
LOCALES_DIR = "locales"
MAX_TABLE_BYTES = 2_000_000

# A string's YAML path in its source file, for file:line messages.
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceString:
    """One translatable string of a source file. `examples` strings are lists: a language's own
    ways of typing a reply, hashed against the option they paraphrase (its `text`)."""

    id: str
    english: str
    path: YamlPath
    examples: bool = False


def source_hash(text: str) -> str:
    """The short hash a translation is stamped with: of the English with its whitespace folded,
    so re-wrapping a folded paragraph does not make its translation stale."""
    import hashlib  # here, not at the top: only translations are stamped (OpenSSL's import
    # cost 2-10 ms of every `play` on its way to the first screen, in English too)

    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def table_path(source: str | os.PathLike[str], lang: str) -> Path:
    """Where a file's table for a language lives: beside it, in locales/LANG/."""
    p = Path(source)
    return p.parent / LOCALES_DIR / lang / p.name


def source_for_table(table: str | os.PathLike[str]) -> Path:
    """The source file a table translates (the inverse of `table_path`)."""
    p = Path(table)
    return p.parent.parent.parent / p.name


def languages_of(source: str | os.PathLike[str]) -> list[str]:
    """The languages a file has a table for."""
    base = Path(source).parent / LOCALES_DIR
    if not base.is_dir():
        return []
    name = Path(source).name
    return sorted(d.name for d in base.iterdir() if (d / name).is_file())


# -- ids ---------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def scenario_strings(data: Mapping[str, Any]) -> list[SourceString]:
    """Every translatable string of a scenario's parsed data, in file order."""
    out: list[SourceString] = []

    def add(sid: str, value: Any, path: YamlPath) -> None:
        if _text(value):
            out.append(SourceString(sid, value, path))

    for key in ("title", "summary", "learner_role"):
        add(key, data.get(key), (key,))
    customer = data.get("customer")
    if isinstance(customer, Mapping):
        add("customer.name", customer.get("name"), ("customer", "name"))
        add("customer.persona", customer.get("persona"), ("customer", "persona"))
    escalation = data.get("escalation")
    if isinstance(escalation, Mapping):
        add("escalation.reason", escalation.get("reason"), ("escalation", "reason"))
    states = data.get("states")
    if not isinstance(states, Mapping):
        return out
    for sid, state in states.items():
        if not isinstance(state, Mapping):
            continue
        say = state.get("say")
        if isinstance(say, list):
            for n, line in enumerate(say, start=1):
                add(f"{sid}.say.{n}", line, ("states", sid, "say", n - 1))
        else:
            add(f"{sid}.say", say, ("states", sid, "say"))
        add(f"{sid}.note", state.get("note"), ("states", sid, "note"))
        add(f"{sid}.debrief", state.get("debrief"), ("states", sid, "debrief"))
        unmatched = state.get("on_unmatched")
        if isinstance(unmatched, Mapping):
            add(f"{sid}.unmatched", unmatched.get("say"), ("states", sid, "on_unmatched", "say"))
        choices = state.get("choices")
        if not isinstance(choices, list):
            continue
        for i, choice in enumerate(choices):
            if not isinstance(choice, Mapping):
                continue
            explicit = choice.get("id")
            cid = explicit if isinstance(explicit, str) and explicit else f"{sid}.{i + 1}"
            here: YamlPath = ("states", sid, "choices", i)
            add(f"{cid}.text", choice.get("text"), (*here, "text"))
            add(f"{cid}.feedback", choice.get("feedback"), (*here, "feedback"))
            explain = choice.get("explain")
            if isinstance(explain, Mapping):
                for mid, said in explain.items():
                    add(f"{cid}.explain.{mid}", said, (*here, "explain", mid))
            if _text(choice.get("text")) and choice.get("examples"):
                out.append(
                    SourceString(f"{cid}.examples", choice["text"], (*here, "examples"), True)
                )
    return out


# The keys of each activity kind's items, and which of their fields are text.
_ACTIVITY_ITEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sort": ("cards", ("text", "why")),
    "spot": ("options", ("text", "why")),
    "match": ("pairs", ("left", "right", "why")),
    "order": ("steps", ("text", "why")),
}


def activity_strings(data: Mapping[str, Any]) -> list[SourceString]:
    """Every translatable string of an activity's parsed data, in file order. Items have no ids
    in the activity format, so theirs are their place (`cards.3.text`, counted from 1); a group's
    is its own id (`groups.can.label`)."""
    out: list[SourceString] = []

    def add(sid: str, value: Any, path: YamlPath) -> None:
        if _text(value):
            out.append(SourceString(sid, value, path))

    for key in ("title", "summary", "intro", "case"):
        add(key, data.get(key), (key,))
    groups = data.get("groups")
    if isinstance(groups, list):
        for i, g in enumerate(groups):
            if isinstance(g, Mapping) and isinstance(g.get("id"), str):
                add(f"groups.{g['id']}.label", g.get("label"), ("groups", i, "label"))
    kind = data.get("kind")
    if kind in _ACTIVITY_ITEMS:
        key, fields = _ACTIVITY_ITEMS[str(kind)]
        items = data.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, Mapping):
                    for f in fields:
                        add(f"{key}.{i + 1}.{f}", item.get(f), (key, i, f))
    return out


def strings_of(data: Mapping[str, Any]) -> list[SourceString]:
    """A file's strings, whichever kind it is (an activity has a top-level `kind`)."""
    return activity_strings(data) if "kind" in data else scenario_strings(data)


# -- tables ------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One id's translation: `text` (or `examples`), and the hash of the English it was made
    from. `line` is where the id is written in the table (for messages)."""

    id: str
    hash: str
    english: str = ""
    text: str | None = None
    examples: list[str] = field(default_factory=list)
    line: int = 1
    column: int = 1
    is_examples: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.examples) if self.is_examples else bool(self.text and self.text.strip())


@dataclass
class Table:
    """A parsed table. `problems` are (line, column, message) of what could not be read."""

    path: str
    lang: str
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[tuple[int, int, str]] = field(default_factory=list)

    def translations(self) -> dict[str, Entry]:
        """The entries with a translation (stale ones included: English fallback is only for a
        string with no translation at all; `check` reports the stale ones)."""
        return {k: e for k, e in self.entries.items() if e.translated}


def parse_table(raw: bytes, path: str, lang: str) -> Table:
    """Read a table's bytes; what is wrong goes to `problems`, never an exception."""
    from . import yamlpos

    table = Table(path, lang)
    if len(raw) > MAX_TABLE_BYTES:
        table.problems.append((1, 1, f"the table is over {MAX_TABLE_BYTES:,} bytes"))
        return table
    try:
        parsed = yamlpos.parse_bytes(raw)
    except yamlpos.YamlProblem as exc:
        table.problems.append((exc.line, exc.column, exc.message))
        return table
    data = parsed.data
    if not isinstance(data, dict) or not isinstance(data.get("strings"), dict):
        table.problems.append((1, 1, "a string table is a mapping with a `strings:` mapping"))
        return table
    declared = data.get("lang")
    if declared is not None and declared != lang:
        line, col = parsed.value_at(("lang",))
        table.problems.append(
            (line, col, f"this table says lang: {declared!r} but is in the {lang!r} folder")
        )
    for sid, value in data["strings"].items():
        line, col = parsed.where(("strings", sid))
        if not isinstance(value, dict):
            table.problems.append((line, col, f"'{sid}' should be a mapping with hash and text"))
            continue
        h = value.get("hash")
        text = value.get("text")
        examples = value.get("examples")
        if not isinstance(h, str) or not h:
            table.problems.append((line, col, f"'{sid}' has no `hash:` (copy it from `extract`)"))
            continue
        if text is not None and not isinstance(text, str):
            table.problems.append((line, col, f"'{sid}': `text:` should be text"))
            continue
        if examples is not None and not (
            isinstance(examples, list) and all(isinstance(x, str) for x in examples)
        ):
            table.problems.append((line, col, f"'{sid}': `examples:` should be a list of text"))
            continue
        english = value.get("en")
        table.entries[str(sid)] = Entry(
            str(sid),
            h,
            english if isinstance(english, str) else "",
            text,
            list(examples or []),
            line,
            col,
            examples is not None,
        )
    return table


def read_table(path: str | os.PathLike[str], lang: str) -> Table | None:
    """The table at a path, or None when there is none (the file plays in English)."""
    from .safe_read import ReadRefused, read_regular

    spath = str(path)
    try:
        raw = read_regular(spath, MAX_TABLE_BYTES + 1)
    except FileNotFoundError:
        return None
    except ReadRefused as exc:
        table = Table(spath, lang)
        table.problems.append((1, 1, str(exc)))
        return table
    except OSError as exc:
        table = Table(spath, lang)
        table.problems.append((1, 1, f"cannot read: {exc.strerror or exc}"))
        return table
    return parse_table(raw, spath, lang)


# -- writing (extract) -------------------------------------------------------------------------

HEADER = """\
# CounterTalk string table ({lang}) for {source}; see docs/i18n.md.
# For each id: `en` is the English now in the file, `text` your translation (`examples`: ways a
# learner might type that reply, in this language), and `hash` the English's hash when `text` was
# written. `countertalk i18n check` reports a string whose English has changed since (stale): bring
# `text` up to date, then set `hash` to the one the check gives. Leave `text` empty to show English.
"""


def merged(
    strings: Iterable[SourceString], table: Table | None, lang: str
) -> dict[str, dict[str, Any]]:
    """A table's content brought up to date with the source: every id of the source in file
    order (new ones untranslated, stamped with the current hash); each `en` refreshed to the
    English now in the file; translations and their hashes kept as they are (so a stale one stays
    stale until someone updates it); ids the source no longer has kept at the end."""
    old = table.entries if table else {}
    out: dict[str, dict[str, Any]] = {}
    for s in strings:
        e = old.get(s.id)
        row: dict[str, Any] = {"en": " ".join(s.english.split())}
        row["hash"] = e.hash if e is not None else source_hash(s.english)
        if s.examples:
            row["examples"] = list(e.examples) if e is not None else []
        else:
            row["text"] = e.text if e is not None and e.text else ""
        out[s.id] = row
    for sid, e in old.items():
        if sid not in out:
            row = {"en": e.english, "hash": e.hash}
            if e.examples:
                row["examples"] = list(e.examples)
            else:
                row["text"] = e.text or ""
            out[sid] = row
    return out


def render_table(source_name: str, lang: str, rows: Mapping[str, Mapping[str, Any]]) -> str:
    """The YAML text of a table (stable: the same rows always give the same bytes)."""
    import yaml

    body = yaml.safe_dump(
        {"format": TABLE_FORMAT, "lang": lang, "source": source_name, "strings": dict(rows)},
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return HEADER.format(lang=lang, source=source_name) + body


# -- overlay -----------------------------------------------------------------------------------


def _pick(values: Mapping[str, Entry], sid: str, english: str | None) -> str | None:
    e = values.get(sid)
    if english is None or e is None or not e.text:
        return english
    return e.text


def localise(scenario: Scenario, table: Table) -> Scenario:
    """The scenario with every string the table translates replaced (others stay English)."""
    from msgspec.structs import replace

    values = table.translations()
    if not values:
        return scenario
    states: dict[str, State] = {}
    for sid, st in scenario.states.items():
        say: str | list[str] | None
        if isinstance(st.say, list):
            say = [_pick(values, f"{sid}.say.{n}", s) or s for n, s in enumerate(st.say, 1)]
        else:
            say = _pick(values, f"{sid}.say", st.say)
        choices: list[Choice] = []
        for i, ch in enumerate(st.choices):
            cid = ch.id or f"{sid}.{i + 1}"
            ex = values.get(f"{cid}.examples")
            choices.append(
                replace(
                    ch,
                    text=_pick(values, f"{cid}.text", ch.text) or ch.text,
                    feedback=_pick(values, f"{cid}.feedback", ch.feedback),
                    explain={
                        mid: _pick(values, f"{cid}.explain.{mid}", said) or said
                        for mid, said in ch.explain.items()
                    },
                    examples=list(ex.examples) if ex is not None and ex.examples else ch.examples,
                )
            )
        unmatched: OnUnmatched | None = st.on_unmatched
        if unmatched is not None:
            unmatched = replace(unmatched, say=_pick(values, f"{sid}.unmatched", unmatched.say))
        states[sid] = replace(
            st,
            say=say,
            note=_pick(values, f"{sid}.note", st.note),
            debrief=_pick(values, f"{sid}.debrief", st.debrief),
            choices=choices,
            on_unmatched=unmatched,
        )
    customer: Customer = replace(
        scenario.customer,
        name=_pick(values, "customer.name", scenario.customer.name) or scenario.customer.name,
        persona=_pick(values, "customer.persona", scenario.customer.persona),
    )
    escalation: Escalation = replace(
        scenario.escalation,
        reason=_pick(values, "escalation.reason", scenario.escalation.reason),
    )
    out = scenario.replaced(
        title=_pick(values, "title", scenario.title) or scenario.title,
        summary=_pick(values, "summary", scenario.summary) or scenario.summary,
        learner_role=_pick(values, "learner_role", scenario.learner_role) or scenario.learner_role,
        customer=customer,
        escalation=escalation,
        states=states,
    )
    out.__dict__["_lang"] = table.lang
    return out


def lang_of(scenario: Scenario) -> str:
    """The language a scenario was localised to ('en' when it was not)."""
    return str(scenario.__dict__.get("_lang", "en"))


def localised(scenario: Scenario, lang: str) -> Scenario:
    """The scenario in a language, from the table beside its file (English when there is none,
    when the table cannot be read, or for `en`)."""
    if lang == "en" or not scenario.source:
        return scenario
    table = _cached_table(str(table_path(scenario.source, lang)), lang)
    if table is None or table.problems and not table.entries:
        return scenario
    return localise(scenario, table)


_TABLES: dict[tuple[str, str], tuple[float, int, Table | None]] = {}


def _cached_table(path: str, lang: str) -> Table | None:
    """A table read once per change of the file (a web server localises on every request)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (path, lang)
    hit = _TABLES.get(key)
    if hit is not None and hit[0] == st.st_mtime and hit[1] == st.st_size:
        return hit[2]
    table = read_table(path, lang)
    if len(_TABLES) > 256:
        _TABLES.clear()
    _TABLES[key] = (st.st_mtime, st.st_size, table)
    return table


def activity_table(source: str, lang: str) -> Table | None:
    """The table for an activity file in a language (None for English or none)."""
    if lang == "en" or not source:
        return None
    return _cached_table(str(table_path(source, lang)), lang)


def translated_title(source: str | os.PathLike[str], lang: str) -> str | None:
    """A file's title in a language from its table (for a picker that lists the pack without
    loading every file), or None when there is no translation."""
    if lang == "en" or not source:
        return None
    table = _cached_table(str(table_path(source, lang)), lang)
    entry = table.entries.get("title") if table is not None else None
    return entry.text if entry is not None and entry.text else None
