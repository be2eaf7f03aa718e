"""Recorded attempts and per-scenario analytics for `countertalk report` (and `export`).

Everything here reads the results store and, where it can, the scenario files, so a report can
say which choice was taken at each state and how often. Attempts carry the content hash of the
scenario version they were played on; a report names that version (short hash) and says when
attempts span several versions, because a choice's text, or where it leads, may have changed.

Where an attempt went wrong is taken from the attempt's own score (its mistakes, by turn) when
it has one, so an edited scenario cannot rewrite history; otherwise from the choice as the
current file defines it.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import structs

if TYPE_CHECKING:
    from simulator.engine.model import Scenario
    from simulator.store import AttemptRecord

SHORT_HASH = 8


class BadDate(ValueError):
    pass


def parse_since(text: str) -> float:
    """YYYY-MM-DD -> unix time of local midnight at the start of that day."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise BadDate(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2025-09-01")
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate(
            f"'{text}' is not a real date; write it as YYYY-MM-DD, e.g. 2025-09-01"
        ) from None
    return datetime(day.year, day.month, day.day).timestamp()


def local_time(ts: float | None) -> str:
    return "" if ts is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


def iso_utc(ts: float) -> str:
    """ISO 8601 in UTC with milliseconds, e.g. 2025-09-01T09:30:00.123Z."""
    dt = datetime.fromtimestamp(ts, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def short(h: str | None) -> str:
    return (h or "")[:SHORT_HASH]


# -- finding the scenario an attempt was played on ------------------------------------------------
class ScenarioIndex:
    """Scenario files by id: the attempt's own file when it still exists, else the pack."""

    def __init__(self, pack: str | Path | None = None):
        self.pack = pack
        self._by_path: dict[str, Scenario | None] = {}
        self._by_id: dict[str, Scenario | None] = {}

    def _load(self, path: Path) -> Scenario | None:
        key = str(path)
        if key not in self._by_path:
            from simulator.engine.loader import check_file

            self._by_path[key] = check_file(path).scenario if path.is_file() else None
        return self._by_path[key]

    def for_attempt(self, attempt: AttemptRecord) -> Scenario | None:
        """The scenario (current file) for an attempt, preferring the version it was played on."""
        candidates = []
        if attempt.scenario_path:
            candidates.append(Path(attempt.scenario_path))
        found: Scenario | None = None
        for path in candidates:
            sc = self._load(path)
            if sc is not None and sc.id == attempt.scenario_id:
                if sc.content_hash == attempt.scenario_hash:
                    return sc
                found = found or sc
        return found or self.by_id(attempt.scenario_id)

    def by_id(self, scenario_id: str) -> Scenario | None:
        if scenario_id not in self._by_id:
            from simulator.engine.loader import resolve

            try:
                sc = self._load(resolve(scenario_id, self.pack))
            except (FileNotFoundError, OSError):
                sc = None
            self._by_id[scenario_id] = sc if sc is not None and sc.id == scenario_id else None
        return self._by_id[scenario_id]


# -- attempts ---------------------------------------------------------------------------------------
def attempt_record(a: AttemptRecord) -> dict[str, Any]:
    """One attempt as a flat record (the rows of the table, CSV and JSON)."""
    return {
        "id": a.id,
        "learner": a.learner,
        "scenario": a.scenario_id,
        "version": short(a.scenario_hash),
        "scenario_hash": a.scenario_hash,
        "seed": a.seed,
        "mode": a.mode,
        "started": iso_utc(a.started_at),
        "finished": iso_utc(a.finished_at) if a.finished_at is not None else None,
        "date": local_time(a.finished_at or a.started_at),
        "ending": a.ending,
        "outcome": a.outcome,
        "grade": a.grade,
        "percent": a.percent,
        "final_mood": a.final_mood,
        "turns": len(a.choices),
        "mistakes": list(a.mistakes),
    }


# -- analytics ---------------------------------------------------------------------------------------
@dataclass
class ChoiceStat:
    choice_id: str
    text: str
    mistakes: list[str]
    taken: int = 0


@dataclass
class StateStat:
    state: str
    choices: dict[str, ChoiceStat] = field(default_factory=dict)
    mistake_ids: Counter[str] = field(default_factory=Counter)
    wrong: int = 0  # choices taken here that carried a mistake

    @property
    def taken(self) -> int:
        return sum(c.taken for c in self.choices.values())


@dataclass
class ScenarioStats:
    scenario_id: str
    title: str
    attempts: int = 0
    versions: Counter[str] = field(default_factory=Counter)  # short hash -> attempts
    current_version: str | None = None
    states: dict[str, StateStat] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    grades: Counter[str] = field(default_factory=Counter)

    def trouble(self) -> list[StateStat]:
        """States where learners went wrong, most mistake-carrying choices first."""
        bad = [s for s in self.states.values() if s.wrong]
        return sorted(bad, key=lambda s: (-s.wrong, -s.wrong / max(s.taken, 1), s.state))

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "title": self.title,
            "attempts": self.attempts,
            "current_version": self.current_version,
            "versions": dict(self.versions),
            "outcomes": dict(self.outcomes),
            "grades": dict(self.grades),
            "states": [
                {
                    "state": s.state,
                    "taken": s.taken,
                    "wrong": s.wrong,
                    "mistakes": dict(s.mistake_ids),
                    "choices": [
                        {
                            "choice": c.choice_id,
                            "text": c.text,
                            "taken": c.taken,
                            "share": _share(c.taken, s.taken),
                            "mistakes": c.mistakes,
                        }
                        for c in s.choices.values()
                    ],
                }
                for s in self.states.values()
            ],
            "where_learners_go_wrong": [
                {
                    "state": s.state,
                    "wrong": s.wrong,
                    "taken": s.taken,
                    "share": _share(s.wrong, s.taken),
                    "mistakes": dict(s.mistake_ids),
                }
                for s in self.trouble()
            ],
        }


def _share(n: int, total: int) -> int:
    return round(100 * n / total) if total else 0


def _turn_mistakes(attempt: AttemptRecord) -> dict[int, list[str]] | None:
    """Turn -> mistake ids from the attempt's own score, if the transcript carries it."""
    tr = attempt.transcript if isinstance(attempt.transcript, dict) else None
    score = tr.get("score") if tr else None
    if not isinstance(score, dict) or not isinstance(score.get("mistakes"), list):
        return None
    out: dict[int, list[str]] = {}
    for m in score["mistakes"]:
        if isinstance(m, dict) and isinstance(m.get("turn"), int):
            out.setdefault(m["turn"], []).append(str(m.get("id")))
    return out


def analytics(attempts: Iterable[AttemptRecord], index: ScenarioIndex) -> list[ScenarioStats]:
    """Per scenario: how often each choice is taken at each state, and where learners go wrong."""
    stats: dict[str, ScenarioStats] = {}
    for a in attempts:
        sc = index.for_attempt(a)
        st = stats.get(a.scenario_id)
        if st is None:
            st = stats[a.scenario_id] = ScenarioStats(
                a.scenario_id, _clean(sc.title) if sc else a.scenario_id
            )
            if sc is not None:
                st.current_version = short(sc.content_hash)
                for sid, state in sc.states.items():  # every choice, taken or not, in file order
                    if state.choices:
                        node = st.states[sid] = StateStat(sid)
                        for i, ch in enumerate(state.choices):
                            cid = sc.choice_id(sid, i)
                            node.choices[cid] = ChoiceStat(
                                cid, _as_seen(sc, ch.text, cid), list(ch.mistakes)
                            )
        st.attempts += 1
        st.versions[short(a.scenario_hash)] += 1
        if a.outcome:
            st.outcomes[a.outcome] += 1
        if a.grade:
            st.grades[a.grade] += 1
        turns = a.transcript.get("turns") if isinstance(a.transcript, dict) else None
        by_turn = _turn_mistakes(a)
        for n, cid in enumerate(a.choices, start=1):
            sid, known = _state_of(sc, turns, n, cid)
            node = st.states.setdefault(sid, StateStat(sid))
            choice = node.choices.get(cid)
            if choice is None:
                choice = node.choices[cid] = ChoiceStat(
                    cid,
                    known.get("text") or "(not in the current version of the file)",
                    list(known.get("mistakes") or ()),
                )
            elif known.get("text") and is_template_text(choice.text):
                choice.text = known["text"]  # the words a learner actually saw
            choice.taken += 1
            made = by_turn.get(n, []) if by_turn is not None else choice.mistakes
            if made:
                node.wrong += 1
                node.mistake_ids.update(made)
    return sorted(stats.values(), key=lambda s: s.scenario_id)


def _state_of(sc: Scenario | None, turns: object, n: int, cid: str) -> tuple[str, dict[str, Any]]:
    """The state a turn's choice was made in: the transcript says; else the file; else the id."""
    if (
        isinstance(turns, list)
        and len(turns) >= n
        and isinstance(turns[n - 1], dict)
        and turns[n - 1].get("choice") == cid
        and turns[n - 1].get("state")
    ):
        rec = turns[n - 1]
        return str(rec["state"]), {"text": _clean(rec.get("text"))}
    if sc is not None:
        try:
            sid, _i, ch = sc.find_choice(cid)
            return sid, {"text": _as_seen(sc, ch.text, cid), "mistakes": list(ch.mistakes)}
        except KeyError:
            pass
    return (cid.rsplit(".", 1)[0] if "." in cid else "?"), {}


def is_template_text(text: str) -> bool:
    return "{{" in text or "{%" in text


def _as_seen(sc: Scenario, text: str, cid: str) -> str:
    """A choice's words as a learner would see them at the start of the scenario: a template
    (`£{{ vars.limit }}`) is rendered in the sandbox with the file's starting values; where
    it can't be (it reads something only a conversation sets), the choice id stands in."""
    if not is_template_text(text):
        return _clean(text)
    from simulator.engine import templating

    context: dict[str, Any] = {
        "vars": dict(sc.vars),
        "mood": sc.customer.mood,
        "turn": 0,
        "customer": structs.asdict(sc.customer),
        "visits": {},
    }
    try:
        return _clean(templating.render(text, context))
    except Exception:  # any failure to render: fall back to the id, never the raw template
        return f"({cid}: the words depend on the conversation)"


def _clean(text: str | None) -> str:
    from simulator.tooling.graph import clean

    return clean(text)


# -- output -----------------------------------------------------------------------------------------
ATTEMPT_COLUMNS = (
    "id",
    "date",
    "learner",
    "scenario",
    "version",
    "seed",
    "mode",
    "outcome",
    "grade",
    "percent",
    "mistakes",
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or a tab/CR) as formulas: a learner
    named '=HYPERLINK(...)' must stay text. Prefix such cells with an apostrophe."""
    if value and value[0] in "=+-@\t\r" and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([csv_safe(_clean(_cell(r.get(c)))) for c in columns])
    return buf.getvalue()


def choice_rows(stats: list[ScenarioStats]) -> list[dict[str, Any]]:
    rows = []
    for s in stats:
        for node in s.states.values():
            for c in node.choices.values():
                rows.append(
                    {
                        "scenario": s.scenario_id,
                        "state": node.state,
                        "choice": c.choice_id,
                        "taken": c.taken,
                        "share": _share(c.taken, node.taken),
                        "mistakes": c.mistakes,
                        "text": c.text,
                    }
                )
    return rows


CHOICE_COLUMNS = ("scenario", "state", "choice", "taken", "share", "mistakes", "text")


def cells(text: str) -> int:
    """Columns a string takes in a terminal: wide (East Asian, emoji) characters take two and
    combining marks none, so a column of names with accents or emoji still lines up."""
    import unicodedata

    n = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def _table(
    rows: list[list[str]], header: list[str], right: AbstractSet[int] = frozenset()
) -> list[str]:
    widths = [
        max(cells(header[i]), *(cells(r[i]) for r in rows)) if rows else cells(header[i])
        for i in range(len(header))
    ]

    def fmt(r: list[str]) -> str:
        out = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - cells(c))
            out.append(pad + c if i in right else c + pad)
        return "  ".join(out).rstrip()

    return [fmt(header)] + [fmt(r) for r in rows]


def to_table(records: list[dict[str, Any]], stats: list[ScenarioStats], *, width: int = 100) -> str:
    out = [f"Attempts ({len(records)})"]
    rows = [[_clean(_cell(r[c])) or "-" for c in ATTEMPT_COLUMNS] for r in records]
    header = [c.upper() if c != "percent" else "%" for c in ATTEMPT_COLUMNS]
    out += ["  " + line for line in _table(rows, header, right={0, 5, 9})]
    for s in stats:
        out.append("")
        versions = ", ".join(f"{v} ×{n}" for v, n in s.versions.most_common())
        out.append(f"{s.scenario_id} — {s.title}: {s.attempts} attempt(s); version(s) {versions}")
        if s.current_version and set(s.versions) - {s.current_version}:
            out.append(
                f"  note: the file is now version {s.current_version}; some attempts were "
                f"played on an earlier version, so a choice may have changed since"
            )
        if s.outcomes:
            out.append(
                "  outcomes: "
                + ", ".join(f"{o} {n}" for o, n in s.outcomes.most_common())
                + (
                    "; grades: " + ", ".join(f"{g} {n}" for g, n in s.grades.most_common())
                    if s.grades
                    else ""
                )
            )
        trouble = s.trouble()
        out.append("  Where learners most often go wrong:")
        if not trouble:
            out.append("    nowhere yet: no choice taken so far carried a mistake")
        for node in trouble[:5]:
            made = ", ".join(f"{m} ×{n}" for m, n in node.mistake_ids.most_common())
            out.append(
                f"    {node.state}: {node.wrong} of {node.taken} choices made here "
                f"({_share(node.wrong, node.taken)}%) carried a mistake — {made}"
            )
        out.append("  Choices taken at each state:")
        for node in s.states.values():
            out.append(f"    {node.state} ({node.taken} time(s))")
            rows = []
            for c in node.choices.values():
                text = c.text if len(c.text) <= width // 2 else c.text[: width // 2 - 1] + "…"
                mark = ("  ✗ " + ", ".join(c.mistakes)) if c.mistakes else ""
                rows.append(
                    [c.choice_id, str(c.taken), f"{_share(c.taken, node.taken)}%", text + mark]
                )
            out += [
                "      " + line
                for line in _table(rows, ["CHOICE", "TAKEN", "SHARE", "TEXT"], right={1, 2})[1:]
            ]
    return "\n".join(out) + "\n"
