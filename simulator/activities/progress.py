"""The course progress map: every examiner marking point of the course, grouped by the seed
element it comes from, with this learner's evidence for it from conversations and activities.

One catalogue (scoring/marking_points.yaml) serves everything: a conversation gives evidence for
a course point through the conversation marking points listed as its `evidence` (the scorer
marks those), an activity through its own `marking_points`. A point is *met* or *missed* by the
latest attempt that gave evidence for it, and *not yet* tried when none has; the map then
suggests what to do next for the weakest points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.engine.model import Scenario
    from simulator.store import AttemptRecord

# Scores a saved conversation attempt that carries no score (None when it cannot be).
Rescore = Callable[["AttemptRecord"], "dict[str, Any] | None"]

STATUSES = ("missed", "not_yet", "met")  # weakest first


def course() -> dict[str, Any]:
    from scoring.spec import course_points

    return course_points()


def point_texts() -> dict[str, str]:
    return {p["id"]: p["text"] for p in course()["points"]}


# -- what a pack holds -------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One conversation or activity in a pack, as `countertalk list` shows it."""

    id: str
    title: str
    kind: str  # "conversation" or the activity kind
    topic: str
    level: int
    marking_points: tuple[str, ...]
    path: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "topic": self.topic,
            "level": self.level,
            "marking_points": list(self.marking_points),
            "path": self.path,
        }


def conversation_points(scenario: Scenario) -> tuple[str, ...]:
    """The course points a scenario can give evidence for: those behind a conversation marking
    point that the scenario makes possible to show."""
    from scoring.course import can_show
    from scoring.scorer import act_of, compiled

    c = compiled(scenario)
    possible = {m[1] for m in c.marking if m[0]}
    acts = {act_of(k) for fx in c.fx.values() for k in fx.law_right}
    named = set(c.law_nameable)
    return tuple(p["id"] for p in course()["points"] if can_show(p, possible, acts, named))


def pack_entries(pack: str | Path | None = None) -> tuple[list[Entry], list[str]]:
    """(entries, problems): every conversation and activity that loads; a file that does not
    is named in problems (lint says why)."""
    from simulator.engine.loader import check_file, scenario_files, shipped_pack
    from simulator.engine.text import plain

    from .lint import load_pack

    base = Path(pack) if pack else shipped_pack()
    entries: list[Entry] = []
    problems: list[str] = []
    for f in scenario_files(base):
        r = check_file(f)
        sc: Any = r.scenario
        if sc is None:
            problems.append(f"{f}: has errors (see 'countertalk lint {f}')")
            continue
        entries.append(
            Entry(
                sc.id,
                plain(sc.title),
                "conversation",
                sc.topic,
                # optional in the format (scenario-format.md): unmarked, it is listed
                # with the course's first level rather than crashing `list` and `web`
                int(sc.level or 2),
                conversation_points(sc),
                str(f),
            )
        )
    from .files import activity_files

    loaded = {a.source: a for a in load_pack(base)}
    for f in activity_files(base):
        a = loaded.get(str(f))
        if a is None:
            problems.append(f"{f}: has errors (see 'countertalk lint {f}')")
            continue
        entries.append(Entry(a.id, a.title, a.kind, a.topic, a.level, a.marking_points, str(f)))
    return entries, problems


def entry_titles(entries: Iterable[Entry]) -> dict[str, str]:
    """Each entry's title by id, in the learner's language where its string table has one (the
    pack is listed in English; a title is the learner's name for an exercise, its id is not)."""
    from simulator.engine.i18n import current
    from simulator.engine.strings import translated_title

    lang = current()
    return {e.id: translated_title(e.path, lang) or e.title for e in entries}


# -- evidence from attempts --------------------------------------------------------------------
@dataclass
class Evidence:
    source: str  # the scenario or activity id
    kind: str
    status: str  # met | missed
    when: float


@dataclass
class PointProgress:
    id: str
    text: str
    element: str
    status: str = "not_yet"
    evidence: list[Evidence] = field(default_factory=list)
    next: list[str] = field(default_factory=list)  # ids that give evidence for it

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "status": self.status,
            "met": sum(e.status == "met" for e in self.evidence),
            "missed": sum(e.status == "missed" for e in self.evidence),
            "evidence": [
                {"source": e.source, "kind": e.kind, "status": e.status, "when": e.when}
                for e in self.evidence
            ],
            "practise_with": self.next,
            # the attempt whose evidence decided the status (the latest), when there is one
            "decided_by": self.evidence[-1].source if self.evidence else None,
        }


def attempt_points(a: AttemptRecord, rescore: Rescore | None = None) -> tuple[str, dict[str, str]]:
    """(kind, {course point: met|missed}) that one finished attempt gave evidence for."""
    from .record import is_activity_transcript

    t = a.transcript
    if is_activity_transcript(t):
        res = t.get("result")
        res = res if isinstance(res, dict) else {}
        cps = res.get("course_points")
        cps = cps if isinstance(cps, dict) else {}
        return str(t.get("kind") or "activity"), {
            str(k): v for k, v in cps.items() if v in ("met", "missed")
        }
    score = getattr(a, "score", None)
    if not isinstance(score, dict) and rescore is not None:
        score = rescore(a)
    if not isinstance(score, dict):
        return "conversation", {}
    from scoring.course import course_status

    return "conversation", course_status(score)


def progress_map(
    attempts: Iterable[AttemptRecord], entries: list[Entry], rescore: Rescore | None = None
) -> dict[str, Any]:
    """The map for the attempts given (one learner's, or a class's), as plain data."""
    data = course()
    points = {p["id"]: PointProgress(p["id"], p["text"], p["element"]) for p in data["points"]}
    for a in sorted(attempts, key=lambda x: (x.finished_at or 0, x.id)):
        if a.finished_at is None:
            continue
        kind, found = attempt_points(a, rescore)
        for pid, st in found.items():
            if pid in points:
                points[pid].evidence.append(Evidence(a.scenario_id, kind, st, a.finished_at))
                points[pid].status = st  # the latest evidence decides
    passed = {
        a.scenario_id
        for a in attempts
        if a.finished_at is not None and a.grade in ("pass", "distinction")
    }
    for p in points.values():
        offers = [e for e in entries if p.id in e.marking_points]
        # activities first for a point no conversation can show; not-yet-passed before passed
        offers.sort(key=lambda e: (e.id in passed, e.kind == "conversation", e.level, e.id))
        p.next = [e.id for e in offers]
    weakest = sorted(
        points.values(),
        key=lambda p: (
            STATUSES.index(p.status),
            -sum(e.status == "missed" for e in p.evidence),
        ),
    )
    weakest = [p for p in weakest if p.status != "met"]
    suggestions: list[dict[str, Any]] = []
    for p in weakest:  # up to three different things to do, weakest point first
        if len(suggestions) == 3:
            break
        chosen = {s["do"] for s in suggestions}
        do = next((e for e in p.next if e not in chosen), None)
        if do is not None:
            suggestions.append({"point": p.id, "text": p.text, "status": p.status, "do": do})
    counts = {s: sum(p.status == s for p in points.values()) for s in STATUSES}
    from scoring.course import MET_NEEDS

    return {
        "met_needs": MET_NEEDS,
        "elements": [
            {
                "id": eid,
                "title": el["title"],
                "seed": el.get("seed"),
                "points": [p.as_dict() for p in points.values() if p.element == eid],
            }
            for eid, el in data["elements"].items()
        ],
        "counts": counts,
        "next": suggestions,
    }


def rescorer(pack: str | Path | None = None) -> Rescore:
    """Scores a conversation attempt saved without its score (older stores): the scenario is
    found by id in the pack, and the score is None when it cannot be."""
    cache: dict[str, Scenario | None] = {}

    def rescore(a: AttemptRecord) -> dict[str, Any] | None:
        from scoring.scorer import score
        from simulator.engine.loader import ScenarioError, load_scenario, resolve

        if a.scenario_id not in cache:
            try:
                cache[a.scenario_id] = load_scenario(resolve(a.scenario_id, pack))
            except (FileNotFoundError, ScenarioError):
                cache[a.scenario_id] = None
        sc = cache[a.scenario_id]
        if sc is None or not isinstance(a.transcript, dict):
            return None
        try:
            return score(sc, a.transcript)
        except Exception:
            return None

    return rescore


# -- rendering ---------------------------------------------------------------------------------
# Each status as the map shows it (English; `mark` gives the learner's language).
MARKS = {"met": "met", "missed": "MISSED", "not_yet": "not yet"}


def marks() -> dict[str, str]:
    """Each status in the learner's language. The context keeps this single point's "met"
    apart from the catalogue's plural "met" (the debrief's "points met")."""
    from simulator.engine.i18n import pgettext

    return {
        "met": pgettext("progress map status", "met"),
        "missed": pgettext("progress map status", "MISSED"),
        "not_yet": pgettext("progress map status", "not yet"),
    }


def mark(status: str) -> str:
    """A point's status as the map shows it, in the learner's language."""
    return marks()[status]


def to_text(
    m: dict[str, Any], who: str, width: int = 80, titles: dict[str, str] | None = None
) -> str:
    """The map as plain text, in the learner's language; `titles` names each exercise (by id)
    where the map says which attempt decided a point (the id when it is not given)."""
    import textwrap

    from simulator.engine.i18n import gettext as _
    from simulator.engine.i18n import translated

    name = (titles or {}).get
    shown = marks()
    mw = max(7, *(len(w) for w in shown.values()))
    lines = [_("Progress map for {who}").format(who=who)]
    c = m["counts"]
    lines.append(
        _("{met} met, {missed} missed, {not_yet} not yet tried").format(
            met=c["met"], missed=c["missed"], not_yet=c["not_yet"]
        )
    )
    lines.extend(textwrap.wrap(translated(m.get("met_needs") or ""), max(20, width)))
    for el in m["elements"]:
        lines.append("")
        lines.append(translated(el["title"]))
        for p in el["points"]:
            tally = f" ({p['met']}/{p['met'] + p['missed']})" if p["met"] + p["missed"] else ""
            by = ""
            if p.get("decided_by"):
                by = " — " + _("latest: {exercise}").format(
                    exercise=name(p["decided_by"]) or p["decided_by"]
                )
            head = f"  [{shown[p['status']]:>{mw}}]{tally} "
            body = textwrap.wrap(translated(p["text"]) + by, max(20, width - len(head)))
            lines.append(head + body[0])
            lines.extend(" " * len(head) + b for b in body[1:])
    lines.append("")
    if m["next"]:
        lines.append(_("Next, for the weakest points:"))
        for s in m["next"]:
            lines.append(f"  countertalk play {s['do']}")
            why = _("for: {point} ({status})").format(
                point=translated(s["text"]), status=shown[s["status"]]
            )
            lines += textwrap.wrap(
                why, max(20, width - 6), initial_indent="      ", subsequent_indent="           "
            )
    else:
        lines.append(_("Every marking point met. Well done."))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    import re

    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", text)


def to_markdown(m: dict[str, Any], who: str, titles: dict[str, str] | None = None) -> str:
    """The map as Markdown, in the learner's language (see `to_text` for `titles`)."""
    from simulator.engine.i18n import gettext as _
    from simulator.engine.i18n import translated

    name = (titles or {}).get
    lines = ["# " + _("Progress map: {who}").format(who=_md(who)), ""]
    c = m["counts"]
    lines.append(
        _("{met} met, {missed} missed, {not_yet} not yet tried.").format(
            met=c["met"], missed=c["missed"], not_yet=c["not_yet"]
        )
    )
    if m.get("met_needs"):
        lines += ["", _md(translated(m["met_needs"]))]
    head = "| {} | {} | {} |".format(_("status"), _("marking point"), _("evidence"))
    for el in m["elements"]:
        lines += ["", f"## {_md(translated(el['title']))}", "", head]
        lines.append("| --- | --- | --- |")
        for p in el["points"]:
            ev = "—"
            if p["evidence"]:
                ev = _("{met} met, {missed} missed").format(met=p["met"], missed=p["missed"])
            if p.get("decided_by"):
                ev += "; " + _("latest: {exercise}").format(
                    exercise=_md(name(p["decided_by"]) or p["decided_by"])
                )
            lines.append(f"| {mark(p['status'])} | {_md(translated(p['text']))} | {ev} |")
    lines += ["", "## " + _("Next")]
    nxt = [f"- `countertalk play {s['do']}` — {_md(translated(s['text']))}" for s in m["next"]]
    lines += [""] + (nxt or [_("Every marking point met.")])
    return "\n".join(lines) + "\n"
