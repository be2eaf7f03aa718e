"""The scoring data files, read once per process: step models, grading rules and law texts.

Everything the scorer weighs lives in YAML beside this module (`models/*.yaml`, `grading.yaml`,
`laws.yaml`, `catalogue.yaml`) so a tutor or a new model (LAST, LEAP) changes data, not code.
This module only parses and checks the shape of those files; `scorer` decides what they mean.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from simulator.engine.i18n import gettext as _
from simulator.engine.i18n import translated

from . import catalogue

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
GRADES = ("fail", "pass", "distinction")  # worst to best
# Slips that later evidence never outweighs, whatever grading.yaml says (the lead's rule, issue
# 25): a misstatement of the law is put right only by a choice that withdraws it; data, identity,
# respect, equality and authority slips stay as their caps say.
NEVER_RECOVERED = frozenset(
    {
        "misstates_law",
        "data_breach",
        "oversharing",
        "skips_verification",
        "insecure_route",
        "rude",
        "discrimination",
        "beyond_remit",
    }
)


class SpecError(Exception):
    """A scoring data file is malformed (a bug in the install, not in a scenario)."""


@dataclass(frozen=True)
class ModelStep:
    behaviour: str
    label: str
    description: str
    weight: float
    recovery: bool = False  # shown right after your own mistake it is recovery, not out of order
    # Other behaviours that show this step too (review 25al class 2: "we've let you down, and
    # I'm sorry" acknowledges the customer in the service cycle though it is tagged apologise).
    also: tuple[str, ...] = ()
    # A step that may be arranged before it is done ("I'll ring you at half twelve", then the
    # call): in order when any turn that shows it comes after the steps before it, not only its
    # first (review 25as item 4). Other steps are judged by their first turn: acting before
    # listening stays out of order though the learner acts again later.
    any_turn: bool = False

    @property
    def behaviours(self) -> tuple[str, ...]:
        """Every behaviour that shows this step, its own first."""
        return (self.behaviour, *self.also)


@dataclass(frozen=True)
class StepModel:
    id: str
    name: str
    summary: str
    ordered: bool
    weight: float
    order_penalty: float
    steps: tuple[ModelStep, ...]


def _read(name: str) -> Any:
    path = catalogue._data_dir() / name
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)


def _model(path: Path, behaviours: Container[str]) -> StepModel:
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_Loader) or {}
    steps = []
    for raw in data.get("steps") or []:
        if isinstance(raw, str):
            raw = {"behaviour": raw}
        b = raw.get("behaviour")
        if b not in behaviours:
            raise SpecError(f"{path}: step behaviour {b!r} is not in scoring/catalogue.yaml")
        label = raw.get("label") or catalogue.catalogue()["behaviours"][b].get("label") or b
        also = tuple(str(a) for a in raw.get("also") or [])
        for a in also:
            if a not in behaviours:
                raise SpecError(f"{path}: step {b!r} also: {a!r} is not in scoring/catalogue.yaml")
        steps.append(
            ModelStep(
                b,
                str(label),
                str(raw.get("description") or ""),
                float(raw.get("weight", 1)),
                bool(raw.get("recovery", False)),
                also,
                bool(raw.get("any_turn", False)),
            )
        )
    if not steps:
        raise SpecError(f"{path}: a model needs at least one step")
    return StepModel(
        id=path.stem,
        name=str(data.get("name") or path.stem),
        summary=str(data.get("summary") or ""),
        ordered=bool(data.get("ordered", True)),
        weight=float(data.get("weight", 1)),
        order_penalty=float(data.get("order_penalty", 20)),
        steps=tuple(steps),
    )


@lru_cache(maxsize=1)
def step_models() -> dict[str, StepModel]:
    """Every model described by a YAML file in scoring/models/, by id (the file's stem)."""
    behaviours = catalogue.behaviour_ids()
    return {
        p.stem: _model(p, behaviours)
        for p in sorted((catalogue._data_dir() / "models").glob("*.yaml"))
    }


@lru_cache(maxsize=1)
def grading() -> dict[str, Any]:
    data = _read("grading.yaml") or {}
    t = data.get("thresholds") or {}
    if not (0 <= t.get("pass", -1) <= t.get("distinction", -1) <= 100):
        raise SpecError("grading.yaml: thresholds need 0 <= pass <= distinction <= 100")
    for cap in data.get("caps") or []:
        if cap.get("grade") not in GRADES:
            raise SpecError(
                f"grading.yaml: cap grade {cap.get('grade')!r} is not one of {', '.join(GRADES)}"
            )
    _check_recovery(data)
    _check_broken_by(data)
    return data


def _check_broken_by(data: dict[str, Any]) -> None:
    """`law.broken_by` (mistake -> act its conduct breaks): both ids must exist, or the debrief
    would list a broken act as "not used" (audit 25t D9)."""
    for mid, act in ((data.get("law") or {}).get("broken_by") or {}).items():
        if mid not in catalogue.catalogue()["mistakes"]:
            raise SpecError(f"grading.yaml: law.broken_by names an unknown mistake {mid!r}")
        if act not in catalogue.laws():
            raise SpecError(f"grading.yaml: law.broken_by.{mid} names an unknown act {act!r}")


# Slips recovered only by `outweighed:` (review 25m D1): one lapse, made once, with the point
# it spoils shown before it and again after it and nothing else standing; never by a later
# behaviour alone.
OUTWEIGHED_ONLY = frozenset({"blaming_customer"})


def _check_recovery(data: dict[str, Any]) -> None:
    """`recovered_by_later_evidence` must name behavioural slips only, and recover each with
    a `shown` behaviour of a marking point that slip spoils (so "recovered" means the same
    marking point was shown later), with a reason that names both turns."""
    rec = data.get("recovered_by_later_evidence") or {}
    if not isinstance(rec, dict):
        raise SpecError("grading.yaml: recovered_by_later_evidence maps a mistake id to its rule")
    mistakes = catalogue.mistake_ids()
    for mid, rule in rec.items():
        where = f"grading.yaml: recovered_by_later_evidence.{mid}"
        if mid not in mistakes:
            raise SpecError(f"{where}: {mid!r} is not a mistake in scoring/catalogue.yaml")
        if mid in NEVER_RECOVERED:
            raise SpecError(f"{where}: this slip needs a choice that withdraws it (`corrects:`)")
        if mid in OUTWEIGHED_ONLY and (set(rule) - {"outweighed"}):
            raise SpecError(f"{where}: this slip is recovered only by `outweighed:`")
        if not isinstance(rule, dict):
            raise SpecError(f"{where}: give `evidence:` and `reason:`")
        shown = {
            str(b)
            for mp in data.get("marking_points") or []
            if mid in (mp.get("spoiled_by") or [])
            for b in mp.get("shown") or []
        }
        evidence = [str(e) for e in rule.get("evidence") or []]
        bad = [e for e in evidence if e not in shown]
        if mid in OUTWEIGHED_ONLY:
            _check_kept_case(f"{where}.outweighed", mid, rule.get("outweighed"), shown)
            continue
        if not evidence or bad:
            raise SpecError(
                f"{where}: evidence {bad or evidence} is not shown by a marking point {mid} spoils"
            )
        reason = str(rule.get("reason") or "")
        if "{made}" not in reason or "{later}" not in reason:
            raise SpecError(f"{where}: the reason must name both turns, {{made}} and {{later}}")
        _check_kept_case(f"{where}.kept_case", mid, rule.get("kept_case"), shown)
        owned = rule.get("owned_follow_up")
        if owned is None:
            continue
        if not isinstance(owned, dict):
            raise SpecError(f"{where}.owned_follow_up: give `owned:`, `then:` and `reason:`")
        held = [str(e) for e in owned.get("owned") or []]
        bad = [e for e in held if e not in shown]
        if not held or bad:
            raise SpecError(
                f"{where}.owned_follow_up: owned {bad or held} is not shown by a marking point "
                f"{mid} spoils"
            )
        then = [str(e) for e in owned.get("then") or []]
        if not then or not set(then) <= set(catalogue.behaviour_ids()):
            raise SpecError(f"{where}.owned_follow_up: `then` must list catalogue behaviours")
        said = str(owned.get("reason") or "")
        if "{made}" not in said or "{later}" not in said:
            raise SpecError(
                f"{where}.owned_follow_up: the reason must name both turns, {{made}} and {{later}}"
            )


def _check_kept_case(where: str, mid: str, kept: Any, shown: set[str]) -> None:
    """`kept_case` (review 25m D2) or `outweighed` (D1): `acted` and `before` must be catalogue
    behaviours, one of them or of `then` shown by a marking point the slip spoils (so the same
    point is shown), `then` catalogue behaviours, and the reason must name both turns."""
    if kept is None:
        return
    if not isinstance(kept, dict):
        raise SpecError(f"{where}: give `acted:`, `then:` and `reason:`")
    acted = [str(e) for e in kept.get("acted") or []]
    before = [str(e) for e in kept.get("before") or []]
    then = [str(e) for e in kept.get("then") or []]
    bad = [e for e in acted + before if e not in catalogue.behaviour_ids()]
    if not acted or bad or not set(acted + before + then) & shown:
        raise SpecError(
            f"{where}: acted {bad or acted} is not a behaviour shown by a marking "
            f"point {mid} spoils"
        )
    if not then or not set(then) <= set(catalogue.behaviour_ids()):
        raise SpecError(f"{where}: `then` must list catalogue behaviours")
    said = str(kept.get("reason") or "")
    if "{made}" not in said or "{later}" not in said:
        raise SpecError(f"{where}: the reason must name both turns, {{made}} and {{later}}")


def laws() -> dict[str, dict[str, Any]]:
    return catalogue.laws()


def law_text(law_id: str) -> dict[str, Any]:
    """{'id', 'act', 'rule', 'fact', 'brief'} for a `law:` mark key: an act id (the act's
    summary) or ACT.FACT (the one rule, which the debrief names as the rule broken or applied).
    Unknown ids get a readable fallback, never the raw id."""
    act_id, _, fact_id = str(law_id).partition(".")
    entry = laws().get(act_id) or {}
    fact = (entry.get("facts") or {}).get(fact_id) or {} if fact_id else {}
    rule = fact.get("rule") or entry.get("rule") or ""
    return {
        "id": law_id,
        "act": translated(entry.get("act") or act_id.replace("_", " ").title()),
        "rule": translated(" ".join(str(rule).split())),
        "fact": fact_id if fact else None,
        "brief": fact.get("brief"),
        # what conduct contrary to it did (a `breached` mark), as a clause after "you"
        "breach": translated(" ".join(str(fact.get("breach") or "").split())),
        # what an offer of that conduct did (an `offered` mark), as a clause after "you":
        # offered, proposed or asked for, nothing done yet (issue 25, truth25bb)
        "offer": translated(" ".join(str(fact.get("offer") or "").split())),
        # the duty that conduct broke, where it is not the rule itself (laws.yaml
        # `breach_rule`: the identity check is a permission; reading data out unchecked breaks
        # the duty of confidentiality; review25u class A)
        "breach_rule": translated(" ".join(str(fact.get("breach_rule") or rule).split())),
    }


def behaviour(bid: str) -> dict[str, Any]:
    entry = catalogue.catalogue()["behaviours"].get(bid) or {}
    return _entry(bid, entry)


def mistake(mid: str) -> dict[str, Any]:
    entry = catalogue.catalogue()["mistakes"].get(mid) or {}
    out = _entry(mid, entry)
    # What to practise instead, as a heading ("Taking ownership"): the label names the fault
    # ("No ownership"), which reads wrongly after "Avoid:" or as a thing to work on.
    out["practise"] = translated(" ".join(str(entry.get("practise") or "").split())) or out["label"]
    return out


def _entry(eid: str, entry: dict[str, Any]) -> dict[str, Any]:
    # In the learner's language (the catalogue's msgid is the English, spaces folded).
    return {
        "id": eid,
        "label": translated(entry.get("label") or eid.replace("_", " ").capitalize()),
        "explanation": translated(" ".join(str(entry.get("explanation") or "").split())),
        # when a later choice withdrew it (scoring/catalogue.yaml; else the explanation)
        # never the uncorrected explanation (review 25k D5): a mistake with no withdrawn text
        # of its own gets a general one that is true of any slip taken back
        "explanation_withdrawn": translated(" ".join(str(entry["explanation_withdrawn"]).split()))
        if entry.get("explanation_withdrawn")
        else _(
            "You made this slip, then took it back later in the conversation. The recovery "
            "counts, but a distinction needs it right first time."
        ),
        # when the next choice stopped it before it took effect (`corrects_before_effect:`,
        # moderation25.md cases 1-2): credited without stopping a distinction
        "explanation_stopped": translated(" ".join(str(entry["explanation_stopped"]).split()))
        if entry.get("explanation_stopped")
        else _(
            "You began this, then stopped it at the next step, before it took effect. It costs "
            "its points but not the grade; practise getting it right first."
        ),
        "advice": translated(" ".join(str(entry.get("advice") or "").split())),
        # when the choice escalated to a role the scenario lists (catalogue.yaml; else None)
        "explanation_right_role": (
            translated(" ".join(str(entry["explanation_right_role"]).split()))
            if entry.get("explanation_right_role")
            else None
        ),
        # when the choice that made it also escalated (catalogue.yaml; else None)
        "explanation_escalated": (
            translated(" ".join(str(entry["explanation_escalated"]).split()))
            if entry.get("explanation_escalated")
            else None
        ),
        "marking_point": entry.get("marking_point"),
    }


# Course-point evidence read from the escalation itself (marking_points.yaml explains them).
ESCALATION_EVIDENCE = ("referral", "referral_route")


@lru_cache(maxsize=1)
def course_points() -> dict[str, Any]:
    """scoring/marking_points.yaml: {elements: {id: {seed, title}}, points: [{id, element, text,
    evidence}]} — the course's examiner marking points, checked for shape."""
    data = _read("marking_points.yaml") or {}
    elements = dict(data.get("elements") or {})
    known = {mp["id"] for mp in grading().get("marking_points") or []} | set(ESCALATION_EVIDENCE)
    points = []
    for cp in data.get("points") or []:
        if cp.get("element") not in elements:
            raise SpecError(f"marking_points.yaml: {cp.get('id')!r} names no known element")
        bad = [e for e in cp.get("evidence") or [] if e not in known]
        if bad:
            raise SpecError(f"marking_points.yaml: {cp['id']!r} evidence {bad} not in grading.yaml")
        one_of = cp.get("needs_one_of")
        if one_of is not None and (
            not isinstance(one_of, list) or not set(one_of) <= set(cp.get("evidence") or [])
        ):
            raise SpecError(
                f"marking_points.yaml: {cp['id']!r} needs_one_of must list some of its evidence"
            )
        met_by = cp.get("met_by")
        if met_by is not None:
            behaviours = set(catalogue.catalogue()["behaviours"])
            wrong = [
                m
                for m in (met_by if isinstance(met_by, list) else [met_by])
                if not (
                    m in (cp.get("evidence") or [])
                    or (str(m).startswith("shown:") and str(m)[6:] in behaviours)
                )
            ]
            if not isinstance(met_by, list) or not met_by or wrong:
                raise SpecError(
                    f"marking_points.yaml: {cp['id']!r} met_by must list some of its evidence "
                    f"or shown:BEHAVIOUR (not {wrong})"
                )
        needs = cp.get("needs_law")
        if needs is not None:
            acts = set(laws()) | {"any"}
            if not isinstance(needs, list) or not set(map(str, needs)) <= acts:
                raise SpecError(
                    f"marking_points.yaml: {cp['id']!r} needs_law must list act ids of "
                    f"laws.yaml (or 'any'), not {needs!r}"
                )
        if cp.get("law_named") is not None and (
            not isinstance(cp["law_named"], bool) or needs is None
        ):
            raise SpecError(
                f"marking_points.yaml: {cp['id']!r} law_named is true or false, beside needs_law"
            )
        points.append({**cp, "evidence": list(cp.get("evidence") or [])})
    return {"elements": elements, "points": points}
