"""Score a transcript: a pure function of (scenario, transcript) -> the §8 `score` object.

The method is data (`grading.yaml`, `models/*.yaml`) and is printed in every debrief:

1. Each applied model gives a percentage. A step model (HEAT, service cycle, LAST, ...) scores
   the share of its steps shown (by step weight), less its `order_penalty` when an ordered model's
   steps came out of order (steps shown in the same turn are in order). Escalation scores by
   verdict, less points for a premature escalation or one without a handover. Law scores 100 when
   some law was applied right and none misstated, 0 when one was misstated, `silent_percent`
   when the path never touched the law the scenario offers (not assessed if it offers none).
2. The base is the weighted mean of those percentages. Weights come from the model files, are
   overridden by `scenario.scoring.weights`, and escalation weighs `required_weight` when the
   scenario requires escalation — so a scenario that needs escalation rewards doing it right.
3. Every mistake deducts its points each time it is made; the ending's outcome adds its points.
4. Caps (`grading.yaml`): a data breach, discrimination or misstated law limits the grade to
   fail; the percentage is then held just under the pass mark so percent and grade never
   disagree. Nothing else can lift a capped attempt.
5. Grade on the thresholds (default pass 60, distinction 80; `scenario.scoring` may override).

Speed: everything that depends only on the scenario is compiled once into `Compiled` (cached by
the scenario object's identity), so scoring a transcript is one pass over its turns with bit
operations. `paths` uses the same `Compiled.advance`/`evaluate` to search, so the analysis and
the scorer cannot disagree about what a path is worth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import catalogue, spec

# Escalation flags in a tally.
ESC_ANY, ESC_LISTED, ESC_PREMATURE, ESC_HANDOVER = 1, 2, 4, 8
GRADE_RANK = {g: i for i, g in enumerate(spec.GRADES)}


class ScoringError(ValueError):
    """The transcript cannot be scored against this scenario; the message says why and what to do."""


def _norm_role(role: str) -> str:
    return "_".join(str(role).casefold().replace("-", " ").split())


def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


@dataclass(frozen=True, slots=True)
class ChoiceFx:
    """What one choice contributes to a score."""

    cid: str
    state: str
    shows: tuple[str, ...]
    bits: int  # behaviours shown, as a bit mask
    mistakes: tuple[str, ...]
    penalty: float  # points its mistakes deduct
    capbits: int  # mistake caps it triggers (bit per entry of Compiled.mistake_caps)
    escalate: str | None
    listed: bool  # escalates to a role in escalation.to
    premature_mistake: bool
    law_right: tuple[str, ...]
    law_wrong: tuple[str, ...]
    lr: int
    lw: int


class Compiled:
    """The scenario-dependent part of scoring, computed once per scenario object."""

    def __init__(self, scenario):
        self.scenario = scenario
        g = spec.grading()
        self.grading = g
        law_ids = sorted(
            {lid for st in scenario.states.values() for ch in st.choices for lid in ch.law}
        )
        self.law_bit = {lid: 1 << i for i, lid in enumerate(law_ids)}
        self.law_ids = law_ids
        self.has_law = bool(law_ids)

        overrides = scenario.scoring
        th = dict(g["thresholds"])
        if overrides is not None:
            if overrides.pass_ is not None:
                th["pass"] = overrides.pass_
            if overrides.distinction is not None:
                th["distinction"] = overrides.distinction
        self.thresholds = {"pass": int(th["pass"]), "distinction": int(th["distinction"])}

        esc = scenario.escalation
        self.esc_required = bool(esc.required)
        self.esc_to = list(esc.to)
        self._listed = {_norm_role(r) for r in esc.to}

        models = spec.step_models()
        applied = [
            m for m in scenario.applied_models if m in models or m in catalogue.BUILTIN_MODELS
        ]
        self.applied = tuple(dict.fromkeys(applied))
        self.step_models = [models[m] for m in self.applied if m in models]
        builtin = g.get("builtin_models") or {}
        weights = {}
        for m in self.step_models:
            weights[m.id] = m.weight
        if "escalation" in self.applied:
            b = builtin.get("escalation") or {}
            weights["escalation"] = float(
                b.get("required_weight", 2) if self.esc_required else b.get("weight", 1)
            )
        if "law" in self.applied:
            weights["law"] = float((builtin.get("law") or {}).get("weight", 1))
        if overrides is not None:
            for k, w in overrides.weights.items():
                if k in weights:
                    weights[k] = float(w)
        self.weights = weights
        # Only behaviours the score can depend on get a bit: fewer distinct tallies (paths).
        relevant = {s.behaviour for m in self.step_models for s in m.steps} | {"hear", "handover"}
        self.bit = {b: 1 << i for i, b in enumerate(sorted(relevant))}
        self.hear_bit = self.bit["hear"]
        self.handover_bit = self.bit["handover"]
        self.names = {m.id: m.name for m in self.step_models}
        for k in catalogue.BUILTIN_MODELS:
            self.names[k] = (builtin.get(k) or {}).get("name") or k.capitalize()

        # Order checks for ordered models: per step, (its bit, bits of the steps after it).
        self.order_checks = []
        for m in self.step_models:
            stepbits = [self.bit[s.behaviour] for s in m.steps]
            checks = tuple((b, sum(stepbits[i + 1 :])) for i, b in enumerate(stepbits))
            self.order_checks.append(checks if m.ordered else ())

        points = g.get("mistake_points") or {}
        default_points = float(points.get("default", 5))
        self.mistake_points = {
            m: float(points.get(m, default_points)) for m in catalogue.mistake_ids()
        }
        self.outcome_points = {k: float(v) for k, v in (g.get("outcome_points") or {}).items()}
        escg = g.get("escalation") or {}
        self.verdict_percent = {k: float(v) for k, v in (escg.get("verdict_percent") or {}).items()}
        self.premature_penalty = float(escg.get("premature_penalty", 30))
        self.no_handover_penalty = float(escg.get("no_handover_penalty", 20))
        self.silent_law = float((g.get("law") or {}).get("silent_percent", 50))

        self.caps = []  # (kind, value, grade, reason, bit)
        capbit: dict[str, int] = {}
        for cap in g.get("caps") or []:
            model = cap.get("model")
            if model is not None and model not in self.applied:
                continue
            ((kind, value),) = dict(cap["when"]).items()
            bit = 0
            if kind == "mistake":
                bit = 1 << len(self.caps)
                capbit[value] = capbit.get(value, 0) | bit
            self.caps.append((kind, value, cap["grade"], cap.get("reason") or "", bit))

        self.fx: dict[str, ChoiceFx] = {}
        for sid, st in scenario.states.items():
            for i, ch in enumerate(st.choices):
                cid = scenario.choice_id(sid, i)
                role = ch.escalate
                right = tuple(k for k, v in ch.law.items() if v == "right")
                wrong = tuple(k for k, v in ch.law.items() if v == "wrong")
                self.fx[cid] = ChoiceFx(
                    cid=cid,
                    state=sid,
                    shows=tuple(ch.shows),
                    bits=sum({self.bit[b] for b in ch.shows if b in self.bit}),
                    mistakes=tuple(ch.mistakes),
                    penalty=sum(self.mistake_points.get(m, default_points) for m in ch.mistakes),
                    capbits=_or(capbit[m] for m in ch.mistakes if m in capbit),
                    escalate=role,
                    listed=role is not None and _norm_role(role) in self._listed,
                    premature_mistake="premature_escalation" in ch.mistakes,
                    law_right=right,
                    law_wrong=wrong,
                    lr=sum(self.law_bit[k] for k in right),
                    lw=sum(self.law_bit[k] for k in wrong),
                )
        # A tally: behaviours shown, models out of order, escalation, laws right/wrong, caps.
        self.initial = (0, 0, 0, 0, 0, 0)
        self._memo: dict = {}

    # -- the incremental tally shared with `paths` ---------------------------------------------
    def advance(self, tally: tuple, fx: ChoiceFx) -> tuple:
        """The tally after one more choice. A tally is what the final score depends on besides
        the mistake points: (behaviours shown, models out of order, escalation flags, laws
        right, laws wrong, caps triggered)."""
        mask, bad, esc, lr, lw, capm = tally
        new = fx.bits & ~mask
        if new:
            for mi, checks in enumerate(self.order_checks):
                if checks and not bad >> mi & 1:
                    for b, later in checks:
                        if new & b and mask & later:
                            bad |= 1 << mi
                            break
        mask |= fx.bits
        if fx.escalate is not None:
            esc |= ESC_ANY | (ESC_LISTED if fx.listed else 0)
            if not mask & self.hear_bit or fx.premature_mistake:
                esc |= ESC_PREMATURE
            if mask & self.handover_bit:
                esc |= ESC_HANDOVER
        return (mask, bad, esc, lr | fx.lr, lw | fx.lw, capm | fx.capbits)

    def verdict(self, esc: int) -> str:
        if self.esc_required:
            if esc & ESC_LISTED:
                return "correct"
            return "wrong_role" if esc & ESC_ANY else "missed"
        return "unnecessary" if esc & ESC_ANY else "not_needed"

    def model_percent(self, mi: int, mask: int, bad: int) -> int:
        m = self.step_models[mi]
        total = sum(s.weight for s in m.steps) or 1.0
        shown = sum(s.weight for s in m.steps if mask & self.bit[s.behaviour])
        pct = 100.0 * shown / total
        if bad >> mi & 1:
            pct -= m.order_penalty
        return max(0, min(100, round_half_up(pct)))

    def escalation_percent(self, esc: int) -> int:
        pct = self.verdict_percent.get(self.verdict(esc), 0.0)
        if esc & ESC_ANY:
            if esc & ESC_PREMATURE:
                pct -= self.premature_penalty
            if not esc & ESC_HANDOVER:
                pct -= self.no_handover_penalty
        return max(0, min(100, round_half_up(pct)))

    def law_percent(self, lr: int, lw: int) -> int | None:
        if lw:
            return 0
        if lr:
            return 100
        return round_half_up(self.silent_law) if self.has_law else None

    def parts(self, tally: tuple) -> dict[str, int | None]:
        mask, bad, esc, lr, lw, _ = tally
        out: dict[str, int | None] = {}
        for mi, m in enumerate(self.step_models):
            out[m.id] = self.model_percent(mi, mask, bad)
        if "escalation" in self.applied:
            out["escalation"] = self.escalation_percent(esc)
        if "law" in self.applied:
            out["law"] = self.law_percent(lr, lw)
        return out

    def _core(self, tally: tuple, outcome: str | None):
        """(base, base + outcome points, caps hit, the lowest capped grade) — memoised per tally,
        since a search meets the same tally many times."""
        key = (tally, outcome)
        hit = self._memo.get(key)
        if hit is None:
            num = den = 0.0
            for k, pct in self.parts(tally).items():
                w = self.weights.get(k, 0.0)
                if pct is not None and w > 0:
                    num += w * pct
                    den += w
            base = num / den if den else 100.0
            caps = self.caps_hit(tally, outcome)
            capg = min((c[0] for c in caps), key=GRADE_RANK.__getitem__) if caps else None
            hit = (
                base,
                base + (self.outcome_points.get(outcome, 0.0) if outcome else 0.0),
                caps,
                capg,
            )
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[key] = hit
        return hit

    def evaluate(self, tally: tuple, penalty: float, outcome: str | None):
        """(percent, grade, base, caps, uncapped percent) for a tally at the end of a path.
        Caps are (grade, reason, kind, value)."""
        base, raw, caps, capg = self._core(tally, outcome)
        percent = uncapped = max(0, min(100, round_half_up(raw - penalty)))
        th = self.thresholds
        grade = (
            "distinction"
            if percent >= th["distinction"]
            else "pass"
            if percent >= th["pass"]
            else "fail"
        )
        if capg is not None and GRADE_RANK[capg] < GRADE_RANK[grade]:
            grade = capg
            ceiling = th["pass"] if capg == "fail" else th["distinction"]
            percent = min(percent, max(0, ceiling - 1))
        return percent, grade, base, caps, uncapped

    def caps_hit(self, tally: tuple, outcome: str | None) -> list[tuple]:
        _mask, _bad, esc, _lr, lw, capm = tally
        hit = []
        for kind, value, grade, reason, bit in self.caps:
            if kind == "mistake":
                ok = bool(capm & bit)
            elif kind == "law":
                ok = value == "wrong" and bool(lw)
            elif kind == "escalation":
                ok = self.verdict(esc) == value
            elif kind == "outcome":
                ok = outcome == value
            elif kind == "incomplete":
                ok = bool(value) and outcome is None
            else:
                ok = False
            if ok:
                hit.append((grade, reason, kind, value))
        return hit

    def quick(self, tally: tuple, penalty: float, outcome: str | None) -> tuple[int, str]:
        percent, grade, _base, _caps, _u = self.evaluate(tally, penalty, outcome)
        return percent, grade


_CACHE: dict[int, tuple[object, Compiled]] = {}
_CACHE_SIZE = 64


def per_scenario(table: dict, limit: int, scenario, make):
    """A value built once per loaded scenario (keyed by identity, oldest dropped past limit)."""
    hit = table.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return hit[1]
    value = make(scenario)
    if len(table) >= limit:
        table.pop(next(iter(table)))
    table[id(scenario)] = (scenario, value)
    return value


def compiled(scenario) -> Compiled:
    """The compiled scoring data for a scenario object (cached by identity)."""
    return per_scenario(_CACHE, _CACHE_SIZE, scenario, Compiled)


def _unknown_choice(scenario, cid, n) -> ScoringError:
    import difflib

    try:
        scenario.find_choice(cid)
    except (KeyError, TypeError):
        pass
    ids = list(compiled(scenario).fx)
    close = difflib.get_close_matches(str(cid), ids, n=1) if isinstance(cid, str) else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return ScoringError(
        f"turn {n}: choice {cid!r} is not in scenario '{scenario.id}'{hint}; "
        f"the transcript does not match this scenario file (was it edited?)"
    )


def score(scenario, transcript: dict) -> dict:
    """The §8 `score` object for a transcript of this scenario (plus documented extra keys:
    thresholds, weights, parts, base, deductions, outcome_points, caps, grade_reason, complete,
    applied). Raises ScoringError when the transcript does not fit the scenario."""
    if not isinstance(transcript, dict):
        raise ScoringError("a transcript is a JSON object with 'turns'")
    c = compiled(scenario)
    turns = transcript.get("turns") or []
    if not isinstance(turns, list):
        raise ScoringError("'turns' must be a list of turns")
    tally = c.initial
    penalty = 0.0
    first: dict[str, int] = {}
    mistakes = []
    escalated_to: list[str] = []
    right: list[str] = []
    wrong: list[str] = []
    first_mistake: dict[str, int] = {}
    first_wrong_turn = None
    fxs = c.fx
    for n, t in enumerate(turns, 1):
        cid = t.get("choice") if isinstance(t, dict) else None
        fx = fxs.get(cid) if isinstance(cid, str) else None
        if fx is None:
            raise _unknown_choice(scenario, cid, n)
        for b in fx.shows:
            if b not in first:
                first[b] = n
        for m in fx.mistakes:
            mistakes.append({"id": m, "turn": n})
            first_mistake.setdefault(m, n)
        if fx.escalate is not None:
            escalated_to.append(fx.escalate)
        for k in fx.law_right:
            if k not in right:
                right.append(k)
        for k in fx.law_wrong:
            if k not in wrong:
                wrong.append(k)
            if first_wrong_turn is None:
                first_wrong_turn = n
        penalty += fx.penalty
        tally = c.advance(tally, fx)

    ending = transcript.get("ending")
    outcome = transcript.get("outcome")
    if ending is not None:
        st = scenario.states.get(ending) if isinstance(ending, str) else None
        if st is None or st.end is None:
            raise ScoringError(
                f"the transcript ends in {ending!r}, which is not an ending of "
                f"scenario '{scenario.id}'; was the scenario edited?"
            )
        outcome = st.end
    else:
        outcome = None

    percent, grade, base, caps, uncapped = c.evaluate(tally, penalty, outcome)
    parts = c.parts(tally)
    mask, bad, esc, _lr, _lw, _cm = tally

    models = {}
    for mi, m in enumerate(c.step_models):
        models[m.id] = {
            "steps": {s.behaviour: first.get(s.behaviour) for s in m.steps},
            "in_order": not bad >> mi & 1,
            "percent": parts[m.id],
        }
    escalation = {
        "required": c.esc_required,
        "to": list(c.esc_to),
        "verdict": c.verdict(esc),
        "premature": bool(esc & ESC_PREMATURE),
        "handover": bool(esc & ESC_HANDOVER),
        "escalated_to": escalated_to,
    }
    if "escalation" in parts:
        escalation["percent"] = parts["escalation"]

    cap_list = []
    for cgrade, reason, kind, value in caps:
        turn = (
            first_mistake.get(value)
            if kind == "mistake"
            else first_wrong_turn
            if kind == "law"
            else None
        )
        cap_list.append({"grade": cgrade, "reason": reason, "when": {kind: value}, "turn": turn})
    outcome_pts = c.outcome_points.get(outcome, 0.0) if outcome else 0.0
    out = {
        "percent": percent,
        "grade": grade,
        "models": models,
        "escalation": escalation,
        "law": {"right": right, "wrong": wrong},
        "mistakes": mistakes,
        # extras, documented above and in the debrief
        "applied": list(c.applied),
        "thresholds": dict(c.thresholds),
        "weights": {k: _num(w) for k, w in c.weights.items()},
        "parts": parts,
        "base": round(base, 1),
        "deductions": _num(penalty),
        "outcome_points": _num(outcome_pts),
        "caps": cap_list,
        "uncapped_percent": uncapped,
        "complete": outcome is not None,
    }
    out["grade_reason"] = grade_reason(out)
    return out


def _num(x: float):
    return int(x) if float(x).is_integer() else round(x, 2)


def _or(bits) -> int:
    out = 0
    for b in bits:
        out |= b
    return out


def natural_grade(percent: int, thresholds: dict) -> str:
    if percent >= thresholds["distinction"]:
        return "distinction"
    return "pass" if percent >= thresholds["pass"] else "fail"


def grade_reason(s: dict) -> str:
    """One sentence saying why the attempt got its grade."""
    th = s["thresholds"]
    p, g = s["percent"], s["grade"]
    caps = s.get("caps") or []
    natural = natural_grade(s.get("uncapped_percent", p), th)
    if caps and GRADE_RANK[g] < GRADE_RANK[natural]:
        worst = min(caps, key=lambda c: GRADE_RANK[c["grade"]])
        where = f" (turn {worst['turn']})" if worst.get("turn") else ""
        return (
            f"Capped at {g}: {worst['reason']}{where}. The rest of the attempt earned "
            f"{s.get('uncapped_percent', p)}%, but an examiner would not award more than "
            f"{g} after that."
        )
    if g == "distinction":
        return f"{p}% is at or above the distinction mark of {th['distinction']}%."
    if g == "pass":
        return (
            f"{p}% is at or above the pass mark of {th['pass']}% but below the distinction "
            f"mark of {th['distinction']}%."
        )
    return f"{p}% is below the pass mark of {th['pass']}%."
