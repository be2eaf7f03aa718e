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
4. The grade follows the marking points and the caps (`grading.yaml`) and nothing else (fact
   31 grades by criteria): pass = every pass point met, distinction = every point met and a
   resolved (or rightly escalated) outcome, each lowered by any cap hit (a data breach,
   discrimination or a misstated law never withdrawn fail; a slip taken back or recovered by
   later evidence stops a distinction; ...). The percentage never fails or stops anything.
5. The percentage is then held inside the grade's band (default pass 60, distinction 80;
   `scenario.scoring` may override): a fail below the pass mark, a pass from the pass mark to
   just under the distinction mark, a distinction from the distinction mark up. So every
   consumer of the number (LTI, xAPI, the gradebook, `paths`) sees one that agrees with the grade.

Speed: everything that depends only on the scenario is compiled once into `Compiled` (cached by
the scenario object's identity), so scoring a transcript is one pass over its turns with bit
operations. `paths` uses the same `Compiled.advance`/`evaluate` to search, so the analysis and
the scorer cannot disagree about what a path is worth.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from . import catalogue, spec
from .catalogue import act_of as act_of  # re-exported: the scorer's callers read both here
from .catalogue import practice_acts as practice_acts

if TYPE_CHECKING:
    from simulator.engine.model import Scenario

T = TypeVar("T")
# A tally: see `Compiled.initial`.
Tally = tuple[int, int, int, int, int, int, int, int, int, int]
# Why a marking point was missed: ("spoiled", mistake ids) or (reason, behaviours it needs).
Why = tuple[str | None, tuple[str, ...]]
# A marking point's result: (id, level, label, status, why).
PointResult = tuple[str, str, str, str, Why | None]
# A compiled marking point; see `Compiled._compile_marking_points`.
MarkingPoint = tuple[
    bool, str, str, str, int, bool, bool, bool, int, tuple[str, ...], tuple[str, ...], int
]
# A cap hit: (grade, reason, kind, value); `value` is the YAML value of the cap's `when`.
CapHit = tuple[str, str, str, Any]
# (parts, marking points, standard grade, outcome allows a distinction).
Detail = tuple[dict[str, int | None], list[PointResult], str, bool]
# (base, base + outcome points, caps hit, grade limit).
Core = tuple[float, float, list[CapHit], str | None]

# Escalation flags in a tally.
ESC_ANY, ESC_LISTED, ESC_PREMATURE, ESC_HANDOVER = 1, 2, 4, 8
# An escalation (in a scenario that requires one) to a role it does not list: set even when
# another choice went to a listed role, so the escalation model never scores a path that also
# sent the case to the wrong role as a clean "right role" (review 25r D4).
ESC_WRONG = 16
# Above the flags: the escalating choice's own mistakes of passing a case on (its `made` bits
# of grading.yaml escalation.withdrawn_by), so a later choice whose `corrects:` takes one back
# can withdraw the escalation itself (audit 25t D2).
ESC_SLIPS = 5
GRADE_RANK = {g: i for i, g in enumerate(spec.GRADES)}
UNATTRIBUTED = "?"  # a `misstates_law` mistake on a choice with no `law: wrong` mark


class ScoringError(ValueError):
    """The transcript cannot be scored against this scenario; the message says why and what to do."""


def _state_depths(scenario: Scenario) -> dict[str, int]:
    """Each state's shortest distance from the start, in learner turns (a choice's `goto`, and
    any global rule's `goto` after it): the fewest lines the customer has said on arriving
    there, less one."""
    from collections import deque

    rule_targets = [r.goto for r in scenario.rules]
    depth = {scenario.start: 0}
    queue = deque([scenario.start])
    while queue:
        sid = queue.popleft()
        st = scenario.states.get(sid)
        if st is None:
            continue
        for ch in st.choices:
            for nxt in (ch.goto, *rule_targets):
                if nxt in scenario.states and nxt not in depth:
                    depth[nxt] = depth[sid] + 1
                    queue.append(nxt)
    return depth


def _norm_role(role: str) -> str:
    return "_".join(str(role).casefold().replace("-", " ").split())


def _acted_turn(
    rule: tuple[tuple[str, ...], frozenset[str]], made: int, shows_at: Sequence[frozenset[str]]
) -> int:
    """The turn by which a kept case's every `acted` behaviour had been shown: each at its first
    turn after the slip (at `made`), or its last before it when `acted_before` lets it count
    there. The recovery sentence names this turn for the action and the plan, and the
    follow-up's own turn for the follow-up (review 25al class 8: not both "at turn 10")."""
    acted, early = rule
    turns = []
    for b in acted:
        after = next((i + 1 for i in range(made, len(shows_at)) if b in shows_at[i]), None)
        if after is None and b in early:
            after = next((i + 1 for i in range(made - 2, -1, -1) if b in shows_at[i]), None)
        if after is not None:
            turns.append(after)
    return max(turns, default=len(shows_at))


def first_shown(first: dict[str, int], steps: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """{behaviour: {"turn": n, "by": behaviour}}: the turn each behaviour, or the model step it
    names, was first shown, and by what. A step with `also:` (the service cycle's acknowledge,
    shown too by empathy or an apology) is first shown by the earliest of its behaviours, its
    own on a tie. Every section that names a step with a turn (the models, the marking points,
    the turn-by-turn record) reads this, so none says "acknowledge at turn 4" beside
    "Acknowledge: shown at turn 2" (review 25aq class 1)."""
    out: dict[str, dict[str, Any]] = {b: {"turn": n, "by": b} for b, n in first.items()}
    for s in steps:
        found = [(first[b], i, b) for i, b in enumerate(s.behaviours) if b in first]
        if not found:
            continue
        n, _i, by = min(found)
        if s.behaviour not in out or n < out[s.behaviour]["turn"]:
            out[s.behaviour] = {"turn": n, "by": by}
    return out


def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


@dataclass(frozen=True, slots=True)
class ChoiceFx:
    """What one choice contributes to a score."""

    cid: str
    state: str
    shows: tuple[str, ...]  # credited behaviours: listed, less those its own mistakes contradict
    dropped: tuple[str, ...]  # listed behaviours its own mistakes contradict (not credited)
    bits: int  # credited behaviours, as a bit mask
    mistakes: tuple[str, ...]
    made: int  # its mistakes, as a bit mask
    penalty: float  # points its mistakes deduct
    escalate: str | None
    listed: bool  # escalates to a role in escalation.to
    premature_mistake: bool
    law_right: tuple[str, ...]
    law_wrong: tuple[str, ...]
    practice_wrong: tuple[str, ...]  # good practice (laws.yaml `practice: true`) marked wrong
    lr: int  # acts applied right (bit per act)
    lw: int  # law ids misstated (bit per `law:` key; the UNATTRIBUTED bit for a bare misstates_law)
    fixes: int  # misstatements this choice withdraws (its `corrects:`), as `lw` bits
    takes_back: int  # other mistakes its `corrects:` names (taken back), as `made` bits
    recovery: int  # bits of `recovery` steps when this choice may be a recovery apology
    # the customer has told their story by this choice's state, however it was heard
    # (grading.yaml escalation.heard_out_lines; review 25f D14)
    story_told: bool = False
    # law keys this choice's conduct breaches (`law: {KEY: breached}`): no statement of the law,
    # so no misstatement bit, no law cap; its own mistake (discrimination) grades it (review 25k D1)
    law_breached: tuple[str, ...] = ()
    # those of `law_breached` the choice only offered, proposed or asked for (`law: {KEY:
    # offered}`): graded as a breach, said as an offer (issue 25, truth25bb)
    law_offered: tuple[str, ...] = ()
    # `made` bits of the marking points assessed only where the path reaches them
    # (grading.yaml `assessed: when_reached`): this choice's state offers a way to meet or spoil
    # them, so a path through it is judged on them (review 25al class 7).
    reach: int = 0
    # the same keys as tally bits (`Compiled.breach_shift`): a breach stands in `made` until a
    # later choice's `corrects:` names its law key (issue 25, review25u class A)
    breach: int = 0
    # the acts marked right here whose short name (laws.yaml `names`) the choice's own text says:
    # the law named to the customer, not only stated in plain words (issue 25, review 25u F)
    names: tuple[str, ...] = ()
    # mistakes its `corrects_before_effect:` says the previous choice began and this one stopped
    # before it took effect (moderation25.md cases 1-2), as `made` bits; never a failing one
    before_effect: int = 0


def typed_rude(turn: object) -> bool:
    """Whether a transcript turn was a typed line taken as its option because it read as rude
    (`typed.via == "rude"`: the state's `on_unmatched: {rude: ...}` route, simulator/matching/
    replies.py), or a line that read as rude and was confirmed as the option it was asked about
    (`typed.read_rude is True`: "Did you mean ...?" then yes; a rude line is only ever asked about
    an option that is itself a tone mistake). The transcript is untrusted input: only that exact
    string, or exactly True, counts."""
    typed = turn.get("typed") if isinstance(turn, dict) else None
    if not isinstance(typed, dict):
        return False
    via = typed.get("via")
    return (type(via) is str and via == "rude") or typed.get("read_rude") is True


def name_patterns() -> dict[str, re.Pattern[str]]:
    """{act id: a pattern matching any of its accepted short names} (laws.yaml `names`): whole
    words, any case, any run of spaces between words, so "the equality act" and "Equality
    Act 2010" both name the Equality Act and "FCA" inside another word does not."""
    out: dict[str, re.Pattern[str]] = {}
    for act, entry in catalogue.laws().items():
        names = [str(n) for n in (entry or {}).get("names") or [] if str(n).strip()]
        if names:
            alts = "|".join(r"\s+".join(map(re.escape, n.split())) for n in names)
            out[act] = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
    return out


def acts_named(text: object, acts: Iterable[str], patterns: dict[str, re.Pattern[str]]) -> set[str]:
    """Which of `acts` the text names by one of its short names."""
    if not isinstance(text, str) or not text:
        return set()
    return {a for a in acts if a in patterns and patterns[a].search(text)}


class Compiled:
    """The scenario-dependent part of scoring, computed once per scenario object."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        g = spec.grading()
        self.grading = g
        cat = catalogue.catalogue()
        # Course good practice marked beside the law (laws.yaml `practice: true`) is not law:
        # it never feeds the law model, the law caps or the law marking points.
        self.practice_acts = practice_acts()
        law_keys = sorted(
            {
                lid
                for st in scenario.states.values()
                for ch in st.choices
                for lid in ch.law
                if act_of(lid) not in self.practice_acts
            }
        )
        self.law_ids = law_keys
        self.has_law = bool(law_keys)
        acts = sorted({act_of(k) for k in law_keys}) + [UNATTRIBUTED]
        self.act_bit = {a: 1 << i for i, a in enumerate(acts)}
        # Misstatements are tracked per `law:` key, so that a withdrawal of one fact does not
        # withdraw another fact of the same act that was also got wrong.
        wrong_keys = sorted(law_keys) + [UNATTRIBUTED]
        self.key_bit = {k: 1 << i for i, k in enumerate(wrong_keys)}
        self.key_act = {bit: act_of(k) for k, bit in self.key_bit.items()}

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
        weights: dict[str, float] = {}
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
        # Every catalogue behaviour and mistake gets a bit: marking points read them all.
        self.bit = {b: 1 << i for i, b in enumerate(sorted(cat["behaviours"]))}
        self.mbit = {m: 1 << i for i, m in enumerate(sorted(cat["mistakes"]))}
        # Set in a tally's `made` once a choice takes back a mistake made earlier (its
        # `corrects:` names the mistake): the `withdrawn` cap reads it.
        self.withdrawn_bit = 1 << len(self.mbit)
        # Set once an action begun at one turn is stopped at the next before it took effect
        # (`corrects_before_effect:`, moderation25.md cases 1-2): credited without the
        # `withdrawn` cap once per attempt; a second is a pattern and takes the cap.
        self.stopped_bit = 1 << len(self.mbit) + 1
        # `kept_case` (review 25m D2) marks in `made`, one bit per `acted` behaviour, from
        # `1 << (len(mbit) + 2)` up: set once a turn after a standing kept-case slip shows it
        # (see `advance`), cleared when the slip is made again or recovered.
        self.next_mark = len(self.mbit) + 2
        self.all_mistakes = sum(self.mbit.values())
        self._compile_recovery(g)
        # One `made` bit per marking point assessed only on a path that reached it (review 25al
        # class 7: "Missed: checks who they are dealing with" on a call that ended before any
        # account was touched, where other debriefs say "Not assessed").
        self.reach_bit: dict[str, int] = {}
        for mp in g.get("marking_points") or []:
            if mp.get("assessed") == "when_reached":
                self.reach_bit[mp["id"]] = 1 << self.next_mark
                self.next_mark += 1
        # A point shown, then undone by a later turn never taken back (grading.yaml
        # `undone_later_by`; review 25bf class 3: "explain rights" at turn 3, then a £65 call-out
        # quoted for a free repair at turn 5). One `made` mark per (point, mistake), set when
        # the mistake is made at a turn after one that showed the point; the point is undone
        # while the mistake stands (taking it back, or recovering it, clears the mistake bit).
        self.undone_marks: dict[str, list[tuple[str, int, int, int]]] = {}
        for mp in g.get("marking_points") or []:
            sb = sum({self.bit[b] for b in mp.get("shown") or [] if b in self.bit})
            for m in mp.get("undone_later_by") or []:
                self.undone_marks.setdefault(mp["id"], []).append(
                    (str(m), sb, self.mbit[m], 1 << self.next_mark)
                )
                self.next_mark += 1
        self.undo_rules = [r for rs in self.undone_marks.values() for r in rs]
        self.breach_shift = self.next_mark  # see `breach_mask`
        self.hear_bit = self.bit["hear"]
        self.handover_bit = self.bit["handover"]
        self.names = {m.id: m.name for m in self.step_models}
        for k in catalogue.BUILTIN_MODELS:
            self.names[k] = (builtin.get(k) or {}).get("name") or k.capitalize()

        # Ordered models: each step's bits, in the model's order (see `_order_update`), and
        # those of its steps judged by any turn that shows them (`any_turn`), as step bits.
        self.order_steps: list[tuple[int, ...]] = []
        self.order_any: list[int] = []
        recovery = 0
        for m in self.step_models:
            stepbits = tuple(self._step_bits(s) for s in m.steps)
            if m.ordered and len(stepbits) > self.STEPS_MAX:
                raise ScoringError(f"model {m.id}: an ordered model has at most 16 steps")
            self.order_steps.append(stepbits if m.ordered else ())
            self.order_any.append(sum(1 << i for i, st in enumerate(m.steps) if st.any_turn))
            recovery |= sum(self.bit[s.behaviour] for s in m.steps if s.recovery)
        self.recovery_bits = recovery

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
        self.esc_spoil = self._mbits(escg.get("spoiled_by") or [])
        self.esc_withdrawn_by = self._mbits(escg.get("withdrawn_by") or [])
        # Mistakes that do not spoil an escalation that named the right role and briefed it
        # (a vague word to the customer afterwards is a lapse in keeping them informed).
        self.esc_briefed_forgives = self._mbits(escg.get("spoiled_unless_briefed") or [])
        # Slips that are a lapse in escalating only when a referral was made or needed (review
        # 25aa class 2): where none was needed and none made, `take_ownership` judges them.
        self.esc_unreferred = self._mbits(escg.get("spoiled_only_when_referred") or [])
        self.esc_spoil_outcomes = frozenset(escg.get("spoiled_by_outcome") or [])
        # the marking point that judges escalating (grading.yaml `escalation.marking_point`): the
        # escalation model is assessed exactly where it is (see `parts`)
        self.esc_point = str(escg.get("marking_point") or "escalate_well")
        self.esc_spoiled_percent = float(escg.get("spoiled_percent", 40))
        # a case rightly kept with a promise beyond authority standing (grading.yaml)
        self.esc_beyond_remit_percent = float(escg.get("beyond_remit_percent", 100))
        lawg = g.get("law") or {}
        self.silent_law = float(lawg.get("silent_percent", 50))
        self.corrected_law = float(lawg.get("corrected_percent", 50))
        self.distinction_outcomes = frozenset(g.get("distinction_outcomes") or ["resolved"])

        self.caps: list[tuple[str, Any, str, str, int]] = []  # (kind, value, grade, reason, bit)
        self.cap_rules: dict[tuple[str, str], str] = {}  # (kind, value) -> the rule, in words
        # (kind, value) -> the reason naming its two turns, {made} and {later} (review 25r D6)
        self.cap_reason_turns: dict[tuple[str, str], str] = {}
        # (kind, value) -> (the reason naming every instance, its clause for each instance after
        # the first): a cap hit more than once names each one (issue 25: two slips taken back)
        self.cap_reason_many: dict[tuple[str, str], tuple[str, str]] = {}
        # (kind, value) -> [(law id, reason)]: a cap whose reason follows the law mark of the
        # choice that triggered it (grading.yaml `reason_by_law`)
        self.cap_reason_by_law: dict[tuple[str, str], list[tuple[str, str]]] = {}
        # (kind, value) -> (reason, rule) when every instance standing was only an offer
        # (grading.yaml `reason_offered`, `rule_offered`: `law: offered` marks; truth25bb)
        self.cap_offered: dict[tuple[str, str], tuple[str, str]] = {}
        for cap in g.get("caps") or []:
            model = cap.get("model")
            if model is not None and model not in self.applied:
                continue
            ((kind, value),) = dict(cap["when"]).items()
            bit = self.mbit.get(value, 0) if kind == "mistake" else 0
            reason = " ".join(str(cap.get("reason") or "").split())
            self.caps.append((kind, value, cap["grade"], reason, bit))
            if cap.get("reason_turns"):
                self.cap_reason_turns[(kind, str(value))] = " ".join(
                    str(cap["reason_turns"]).split()
                )
            if cap.get("reason_turns_many") and cap.get("reason_turns_again"):
                self.cap_reason_many[(kind, str(value))] = (
                    " ".join(str(cap["reason_turns_many"]).split()),
                    " ".join(str(cap["reason_turns_again"]).split()),
                )
            self.cap_rules[(kind, str(value))] = " ".join(str(cap.get("rule") or reason).split())
            if cap.get("reason_offered"):
                said = " ".join(str(cap["reason_offered"]).split())
                self.cap_offered[(kind, str(value))] = (
                    said,
                    " ".join(str(cap.get("rule_offered") or said).split()),
                )
            by_law = cap.get("reason_by_law") or {}
            if by_law:
                self.cap_reason_by_law[(kind, str(value))] = [
                    (str(k), " ".join(str(v).split())) for k, v in dict(by_law).items()
                ]

        contradicts = {
            m: frozenset(entry.get("contradicts") or []) for m, entry in cat["mistakes"].items()
        }
        self._rude_cancels = contradicts.get("rude", frozenset())
        self._typed_rude: dict[str, ChoiceFx] = {}  # see `as_typed`
        heard_lines = int(escg.get("heard_out_lines", 0) or 0)
        depth = _state_depths(scenario)
        # A breach whose own turn made a mistake that fails the attempt (a disclosure, say) is
        # graded, and withdrawn, by that mistake: words cannot take back what was disclosed.
        fails = sum(bit for _k, _v, grade, _r, bit in self.caps if grade == "fail")
        self._fails = fails
        self.name_patterns = name_patterns()
        self.fx: dict[str, ChoiceFx] = {}
        reach_rules = [
            (
                self.reach_bit[mp["id"]],
                set(mp.get("shown") or []),
                set(mp.get("spoiled_by") or []),
            )
            for mp in g.get("marking_points") or []
            if mp["id"] in self.reach_bit
        ]
        for sid, st in scenario.states.items():
            offered_here = {b for ch in st.choices for b in ch.shows}
            slips_here = {m for ch in st.choices for m in ch.mistakes}
            reach = sum(
                bit
                for bit, shown_by, spoiled_by in reach_rules
                if offered_here & shown_by or slips_here & spoiled_by
            )
            for i, ch in enumerate(st.choices):
                cid = scenario.choice_id(sid, i)
                role = ch.escalate
                marks = {k: v for k, v in ch.law.items() if act_of(k) not in self.practice_acts}
                right = tuple(k for k, v in marks.items() if v == "right")
                wrong = tuple(k for k, v in marks.items() if v == "wrong")
                # an offer of what the law does not allow is graded as the breach itself;
                # only the debrief's words differ (`law_offered`; issue 25, truth25bb)
                breached = tuple(k for k, v in marks.items() if v in ("breached", "offered"))
                lw = sum({self.key_bit[k] for k in wrong})
                if not wrong and "misstates_law" in ch.mistakes:
                    lw = self.key_bit[UNATTRIBUTED]
                no = set().union(*(contradicts.get(m, ()) for m in ch.mistakes))
                shows = tuple(b for b in ch.shows if b not in no)
                bits = sum({self.bit[b] for b in shows if b in self.bit})
                self.fx[cid] = ChoiceFx(
                    cid=cid,
                    state=sid,
                    shows=shows,
                    dropped=tuple(b for b in ch.shows if b in no),
                    bits=bits,
                    mistakes=tuple(ch.mistakes),
                    made=self._mbits(ch.mistakes),
                    penalty=sum(self.mistake_points.get(m, default_points) for m in ch.mistakes),
                    escalate=role,
                    listed=role is not None and _norm_role(role) in self._listed,
                    premature_mistake="premature_escalation" in ch.mistakes,
                    law_right=right,
                    law_wrong=wrong,
                    law_breached=breached,
                    law_offered=tuple(k for k in breached if marks[k] == "offered"),
                    breach=0
                    if fails & self._mbits(ch.mistakes)
                    else (sum({self.key_bit[k] for k in breached}) << self.breach_shift),
                    practice_wrong=tuple(
                        k for k, v in ch.law.items() if v == "wrong" and k not in marks
                    ),
                    lr=sum({self.act_bit[act_of(k)] for k in right}),
                    lw=lw,
                    fixes=self._fixes(ch.corrects),
                    takes_back=self._mbits(
                        m for m in ch.corrects if m in self.mbit and m != "misstates_law"
                    ),
                    recovery=bits & self.recovery_bits,
                    story_told=bool(heard_lines) and depth.get(sid, 0) + 1 >= heard_lines,
                    names=tuple(
                        sorted(acts_named(ch.text, {act_of(k) for k in right}, self.name_patterns))
                    ),
                    reach=reach,
                    before_effect=self._mbits(ch.corrects_before_effect) & ~fails,
                )
        # the mistakes any choice may stop before they took effect: the previous choice's
        # are kept in the tally (its item 8) only for these, so other scenarios' searches
        # meet no more tallies than before
        self.stoppable = _or(fx.before_effect for fx in self.fx.values())
        self.marking = self._compile_marking_points(g)
        # the acts some choice of this scenario names to the customer correctly (a `law: right`
        # mark, the act's short name in its text): where none does, "identifies the key laws"
        # cannot be shown here (scoring/course.py)
        self.law_nameable = tuple(sorted({a for fx in self.fx.values() for a in fx.names}))
        # Conduct contrary to a law (`law: {KEY: breached}`) stands in a tally's `made`, one bit
        # per law key above every mistake and mark bit, until a later choice's `corrects:` names
        # the key (review25u class A: "never put it right" beside a line that did). A standing
        # breach fails (the `law: breached` cap) and voids "applies the law correctly".
        self.breach_mask = sum(self.key_bit.values()) << self.breach_shift
        # ... and, with the mistakes whose conduct breaks an act (grading.yaml `law.broken_by`:
        # a data breach, discrimination), what makes the law model 0%: the law was not applied
        # correctly while the debrief's law section says so (issue 25, truth25bb: "Law: 100%"
        # beside "contrary to the Data Protection Act ... never put right")
        broken_by = (g.get("law") or {}).get("broken_by") or {}
        self.broken_by = {str(m): str(a) for m, a in broken_by.items()}
        # (a failing one only: a slip that only stops a distinction, such as acting before a
        # check, is said under its turn's breach or offer mark, which a later choice may take
        # back while the slip still stops a distinction)
        self.law_broken_mask = self.breach_mask | (
            self._mbits(m for m in broken_by if m in self.mbit) & self._fails
        )
        # A tally: (behaviours credited, behaviours that count for order, models out of order,
        # escalation flags, acts applied right, misstatements still uncorrected, acts ever
        # misstated, mistakes made (less those taken back or recovered), whether the last
        # choice made a mistake (1 if so, and above that its `stoppable` mistakes), slips
        # recovered by later evidence).
        self.initial: Tally = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        self._memo: dict[tuple[Tally, str | None], Core] = {}
        self._detail_memo: dict[tuple[Tally, str | None], Detail] = {}

    def as_typed(self, fx: ChoiceFx, turn: object) -> ChoiceFx:
        """What a choice contributes at this turn: its own marks, and, when the learner typed a
        rude line that was taken as it (`typed_rude`), the `rude` mistake too (moderation26.md
        case 1: a line whose own words are rude fails, whatever option it became). The rude
        version counts as an option marked rude does: the mistake, its points, the behaviours
        it contradicts; escalation and law marks are the option's own. Cached per choice id."""
        if not typed_rude(turn) or "rude" in fx.mistakes:
            return fx
        hit = self._typed_rude.get(fx.cid)
        if hit is None:
            shows = tuple(b for b in fx.shows if b not in self._rude_cancels)
            bits = sum({self.bit[b] for b in shows if b in self.bit})
            hit = replace(
                fx,
                shows=shows,
                dropped=fx.dropped + tuple(b for b in fx.shows if b in self._rude_cancels),
                bits=bits,
                mistakes=(*fx.mistakes, "rude"),
                made=fx.made | self.mbit["rude"],
                penalty=fx.penalty + self.mistake_points["rude"],
                recovery=bits & self.recovery_bits,
            )
            self._typed_rude[fx.cid] = hit
        return hit

    def turn_fx(self, turn: dict[str, Any]) -> ChoiceFx:
        """`as_typed` for a transcript turn whose choice is known to be in the scenario."""
        return self.as_typed(self.fx[turn["choice"]], turn)

    def _compile_recovery(self, g: dict[str, Any]) -> None:
        """`recovered_by_later_evidence` (grading.yaml; checked in spec): per slip, (its mistake
        bit, the behaviour bits that recover it, whether a briefed escalation to a listed role
        recovers it), and the sentence the grade reason prints."""
        # (slip bit, evidence bits, a briefed escalation is evidence, owned bits, a briefed
        # escalation counts as owned, follow-up bits): see `recovered_by`
        self.recover: list[tuple[int, int, bool, int, bool, int]] = []
        self.recover_reason: dict[str, str] = {}
        # the reason when the slip was recovered by `owned_follow_up` (review 25f D6)
        self.recover_reason_owned: dict[str, str] = {}
        # `kept_case` (review 25m D2), only where the scenario does not require escalation:
        # and `outweighed` (review 25m D1), anywhere: (slip bit, ((acted behaviour bit, its
        # mark in `made`), ...), all the marks it needs, follow-up bits, the mark for "made more
        # than once", bits shown before the slip (`before`, 0: none needed), their mark)
        self.kept: list[tuple[int, tuple[tuple[int, int], ...], int, int, int, int, int]] = []
        # `kept_case.acted_before`: acted behaviours that also count when shown before the slip
        # (the case already owned when the one slip came), keyed by the slip's bit
        self.kept_early: dict[int, tuple[tuple[int, int], ...]] = {}
        self.recover_reason_kept: dict[str, str] = {}
        # the `acted` behaviours of each `kept_case`/`outweighed` rule, and those that count
        # before the slip too (`acted_before`): the reason's {acted} turn (review 25al class 8)
        self.kept_acted: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
        for mid, rule in (g.get("recovered_by_later_evidence") or {}).items():
            if mid not in self.mbit:
                continue
            evidence = [str(e) for e in rule.get("evidence") or []]
            owned = rule.get("owned_follow_up") or {}
            held = [str(e) for e in owned.get("owned") or []]
            then = [str(e) for e in owned.get("then") or []]
            self.recover.append(
                (
                    self.mbit[mid],
                    sum({self.bit[e] for e in evidence if e in self.bit}),
                    "escalation:handover" in evidence and self.esc_required,
                    sum({self.bit[e] for e in held if e in self.bit}),
                    "escalation:handover" in held and self.esc_required,
                    sum({self.bit[e] for e in then if e in self.bit}),
                )
            )
            self.recover_reason[mid] = " ".join(str(rule.get("reason") or "").split())
            if owned:
                self.recover_reason_owned[mid] = " ".join(str(owned.get("reason") or "").split())
            kept = rule.get("kept_case") or {}
            if kept and self.esc_required:
                kept = {}
            kept = kept or rule.get("outweighed") or {}
            if kept:
                acted = [str(e) for e in kept.get("acted") or []]
                then = [str(e) for e in kept.get("then") or []]
                marks = []
                for e in dict.fromkeys(acted):
                    if e in self.bit:
                        marks.append((self.bit[e], 1 << self.next_mark))
                        self.next_mark += 1
                before = sum({self.bit[str(e)] for e in kept.get("before") or [] if e in self.bit})
                twice, before_mark = 1 << self.next_mark, 1 << (self.next_mark + 1)
                self.next_mark += 2
                self.kept.append(
                    (
                        self.mbit[mid],
                        tuple(marks),
                        sum(m for _b, m in marks) | (before_mark if before else 0),
                        sum({self.bit[e] for e in then if e in self.bit}),
                        twice,
                        before,
                        before_mark,
                    )
                )
                early = {str(e) for e in kept.get("acted_before") or []}
                self.kept_early[self.mbit[mid]] = tuple(
                    (bb, mark) for bb, mark in marks if any(self.bit.get(e) == bb for e in early)
                )
                self.recover_reason_kept[mid] = " ".join(str(kept.get("reason") or "").split())
                self.kept_acted[mid] = (tuple(dict.fromkeys(acted)), frozenset(early))
        self.recover_mask = sum(r[0] for r in self.recover)

    def recovered_by(self, made: int, mask: int, fx: ChoiceFx, prior: int = 0, esc: int = 0) -> int:
        """The slips still standing in `made` that this choice recovers: a later turn (not
        making the same slip again) that shows the slip's evidence, credited (so not
        contradicted by the turn's own mistakes); a briefed escalation to a role the scenario
        lists counts where `escalation:handover` is evidence. Or (`owned_follow_up`, review
        25f D6) the case was owned at an earlier turn (`prior`: what was credited before this
        turn; `esc`: the escalation flags before it) and this turn shows the follow-up."""
        out = 0
        if not made & self.recover_mask:
            return out
        briefed = fx.listed and bool((mask | fx.bits) & self.handover_bit)
        was_briefed = esc & ESC_LISTED and esc & ESC_HANDOVER
        for mb, ev, handover, held, held_briefed, then in self.recover:
            if not made & mb or fx.made & mb:
                continue
            if fx.bits & ev or (handover and briefed):
                out |= mb
            elif fx.bits & then and (prior & held or (held_briefed and was_briefed)):
                out |= mb
        for mb, _acted, marks, then, twice, _before, _bmark in self.kept:
            # a kept case (review 25m D2): one slip, not repeated (`twice`), then every `acted`
            # behaviour shown at turns after it (its marks, see `advance`), then a follow-up the
            # learner owns, at this or a later turn
            if made & twice or not made & mb or fx.made & mb:
                continue
            if (made | fx.made) & self.all_mistakes & ~mb:
                continue  # the one lapse in the observation: no other slip stands
            if made & marks == marks and fx.bits & then:
                out |= mb
        return out

    def recovered_by_evidence(self, mid: str, mask: int, fx: ChoiceFx) -> bool:
        """Whether this choice recovered slip `mid` by its own evidence (not by a follow-up
        after ownership shown before): which reason the grade names."""
        for mb, ev, handover, _h, _hb, _t in self.recover:
            if mb == self.mbit.get(mid):
                briefed = fx.listed and bool((mask | fx.bits) & self.handover_bit)
                return bool(fx.bits & ev) or (handover and briefed)
        return True

    def _mbits(self, ids: Iterable[str]) -> int:
        return sum({self.mbit[m] for m in ids if m in self.mbit})

    def _fixes(self, corrects: Iterable[str]) -> int:
        """The misstatements a choice's `corrects:` withdraws: an act id withdraws every mark of
        that act (bare or by fact); ACT.FACT withdraws that fact's mark and a bare mark of the
        act. Any withdrawal also withdraws an unattributed `misstates_law`."""
        out = 0
        mistakes = catalogue.mistake_ids()
        for entry in corrects:
            if entry in mistakes and entry != "misstates_law":
                continue  # a mistake taken back: `takes_back`, not a misstatement withdrawn
            act, _, fact = str(entry).partition(".")
            for k, bit in self.key_bit.items():
                if k == UNATTRIBUTED or k == entry or k == act or (not fact and act_of(k) == act):
                    out |= bit
        return out

    def _compile_marking_points(self, g: dict[str, Any]) -> list[MarkingPoint]:
        """[(assessable, id, level, label, shown bits, law right counts, good escalation
        counts, a briefed escalation to the right role counts, spoiler bits, shown ids, spoiler
        ids)]. A point is assessable when the scenario offers a way to meet it; one that is not
        is still missed when the attempt makes one of its spoiling mistakes."""
        offered = 0
        for fx in self.fx.values():
            offered |= fx.bits
        has_right = any(fx.law_right for fx in self.fx.values())
        # The escalation model, where applied, judges every path (kept rightly, referred, or
        # not dealt with), so the points it judges by (`escalation:good`) are assessed with it:
        # one section never says "Dealt with it yourself, rightly, 100%" beside "Works within
        # their own authority: not assessed" (review 25as item 10), in a scenario that offers
        # no choice that refers the case as in one that does. Where its marking point is not
        # assessed (a customer lost from a case that needed no escalation, `marking_points`),
        # the model is not judged either: one rule, both ways.
        has_escalate = (
            self.esc_required
            or "escalation" in self.applied
            or any(fx.escalate for fx in self.fx.values())
        )
        out: list[MarkingPoint] = []
        for mp in g.get("marking_points") or []:
            shown = list(mp.get("shown") or [])
            sbits = sum({self.bit[b] for b in shown if b in self.bit})
            law = "law:right" in shown
            esc = "escalation:good" in shown
            handed = "escalation:handover" in shown and self.esc_required
            possible = bool(sbits & offered) or (law and has_right) or (esc and has_escalate)
            possible = possible or handed
            entry: MarkingPoint = (
                possible,
                mp["id"],
                mp.get("level", "pass"),
                mp.get("label") or mp["id"],
                sbits & offered,
                law and has_right,
                esc and has_escalate,
                handed,
                self._mbits(mp.get("spoiled_by") or []),
                tuple(shown),
                tuple(mp.get("spoiled_by") or []),
                self._mbits(mp.get("spoiled_unless_briefed") or []),
            )
            out.append(entry)
        return out

    # -- the incremental tally shared with `paths` ---------------------------------------------
    def advance(self, tally: Tally, fx: ChoiceFx) -> Tally:
        """The tally after one more choice (see `initial`)."""
        mask, omask, bad, esc, lr, lwo, lwe, made, prev_mistake, rec = tally
        prior, prior_esc = mask, esc
        obits = fx.bits
        if fx.recovery and (fx.made or prev_mistake):
            # An apology for your own slip (same turn or right after it) is recovery, not a
            # step out of order; it is still credited as shown.
            obits &= ~fx.recovery
        if fx.bits:
            for mi, stepbits in enumerate(self.order_steps):
                if stepbits:
                    bad = self._order_update(bad, mi, stepbits, obits, omask, fx.bits | prior)
        mask |= fx.bits
        omask |= obits
        if fx.escalate is not None:
            esc |= ESC_ANY | (ESC_LISTED if fx.listed else 0)
            if fx.premature_mistake or not (mask & self.hear_bit or fx.story_told):
                esc |= ESC_PREMATURE
            if mask & self.handover_bit and (fx.listed or not self.esc_required):
                # a handover counts only to a role that can deal with it (review 25aa class 3:
                # "to my manager, with everything you've said" after the erasure was logged for
                # the data team unbriefed is no briefed escalation to the right role)
                esc |= ESC_HANDOVER
            if self.esc_required and not fx.listed:
                esc |= ESC_WRONG
            esc |= (fx.made & self.esc_withdrawn_by) << ESC_SLIPS
        elif (
            esc & ESC_ANY
            and fx.bits & self.handover_bit
            and (esc & ESC_LISTED or not self.esc_required)
        ):
            # The colleague briefed on a later turn than the escalation itself ("Jo, the full
            # picture: ...", the turn after "I'm getting my team leader"): the case was still
            # handed over with a summary before the conversation ended (review 25r D2).
            esc |= ESC_HANDOVER
        if fx.fixes:  # only a choice that withdraws a misstatement puts it right
            lwo &= ~fx.fixes
            made &= ~(fx.fixes << self.breach_shift)  # ... or conduct contrary to that rule
        lwo |= fx.lw
        if made & fx.takes_back and self.escalation_withdrawn(esc, made, fx):
            # "I'll take it through to her now" -> "Actually, I can sort this myself" (audit 25t
            # D2): the escalation is taken back with its slip; nothing was passed on, so there is
            # no hand-over to judge. The slip is a slip taken back (below), as any other.
            esc = 0
        if made & fx.takes_back:
            # A slip taken back ("I'll chase the team" -> "no, I'll own it myself"): it no
            # longer spoils a marking point or the escalation model, like a withdrawn
            # misstatement; the `withdrawn` cap stops a distinction, and its points stay lost.
            # An action the previous choice began and this one stopped before it took effect
            # (`corrects_before_effect:`) is credited the same way but, the first time in the
            # attempt, without the cap (moderation25.md cases 1-2).
            stopped = self.stopped_now(made, prev_mistake, fx)
            rest = made & fx.takes_back & ~stopped
            made = (made & ~fx.takes_back) | (self.stopped_bit if stopped else 0)
            if rest:
                made |= self.withdrawn_bit
        for mb, acted, marks, _then, twice, before, bmark in self.kept:
            if fx.made & mb and (made & mb or rec & mb):
                made = (made & ~marks) | twice  # made again: a pattern, not one slip
            elif fx.made & mb and before and prior & before:
                made |= bmark  # the point shown before the slip as well (`outweighed.before`)
            elif fx.made & mb and not made & mb:
                # the one slip, made now: what it already owned (`kept_case.acted_before`,
                # review 25aa class 2) counts towards the kept case
                for bb, mark in self.kept_early.get(mb, ()):
                    if prior & bb:
                        made |= mark
            elif made & mb and not fx.made:  # owned at a turn that makes no new slip
                for bb, mark in acted:
                    if fx.bits & bb:
                        made |= mark
        back = self.recovered_by(made, mask, fx, prior, prior_esc)
        if back:
            # A behavioural slip outweighed by this turn's evidence (grading.yaml
            # `recovered_by_later_evidence`): it spoils no pass point from here on, still spoils
            # the distinction points, and the `recovered` cap stops a distinction.
            made &= ~back
            rec |= back
            for mb, _acted, marks, _then, _twice, _before, _bmark in self.kept:
                if back & mb:
                    made &= ~marks
        if fx.made or fx.lw:
            for _m, sb, mb, mark in self.undo_rules:
                # a law marked wrong is a misstatement though it may not carry the mistake id
                said = fx.made & mb or (fx.lw and mb == self.mbit["misstates_law"])
                if said and prior & sb:
                    made |= mark  # shown before, undone now (`undone_later_by`)
        return (
            mask,
            omask,
            bad,
            esc,
            lr | fx.lr,
            lwo,
            lwe | fx.lw,
            made | fx.made | fx.breach | fx.reach,
            (fx.made & self.stoppable) << 1 | bool(fx.made),
            rec,
        )

    ORDER_BITS = 32  # bits of `bad` per ordered model: two per step (no model has over 16)
    STEPS_MAX = 16

    def _order_update(
        self, bad: int, mi: int, stepbits: tuple[int, ...], x: int, om: int, credited: int
    ) -> int:
        """`bad` after a turn that shows the steps `x` of ordered model `mi` for order (`om`:
        those shown for order before it; `credited`: every behaviour credited so far, this
        turn's included). A model is in order when the steps shown can be read in the model's
        order, each at its first turn or, for a step the model lets be arranged before it is
        done (`any_turn`), at any turn that shows it (steps in the same turn are in order). So
        "I'll ring you at half twelve" (turn 5), a recap (turn 7), then the call at half twelve
        (turn 8) is the cycle in order, not a follow-up before the confirm (review 25as item
        4: judged by its first turn alone, a promise to follow up counted as the follow-up
        done); acting before listening stays out of order though the learner acts again.

        Model `mi`'s low 16 bits at `mi * ORDER_BITS` mark each step whose run from the first
        step is not yet possible: through step i, the shown steps up to i in order, ending at or
        before this turn. Later turns come after every earlier one, so that is all a path needs
        to carry; the model is out of order while its last step's bit is set (`out_of_order`).
        The high 16 mark a step first credited where it did not count for order (an apology
        for your own slip, `advance`): it stays out of the order, so showing it again later is
        no step out of order (review 25al class 2)."""
        shift = mi * self.ORDER_BITS
        low = (1 << self.STEPS_MAX) - 1
        old = bad >> shift & low
        exempt = bad >> (shift + self.STEPS_MAX) & low
        out = 0
        ok_before = True  # the run through the steps before this one
        new_before = False  # a step before this one shown for the first time at this turn
        for i, sb in enumerate(stepbits):
            if not exempt >> i & 1 and credited & sb and not (om | x) & sb:
                exempt |= 1 << i
            if exempt >> i & 1:
                ok = ok_before  # out of the order: skipped
            elif not (om | x) & sb or (x & sb and not om & sb):
                ok = ok_before  # not shown (skipped), or shown now for the first time
            elif x & sb and self.order_any[mi] >> i & 1:
                ok = (not old >> i & 1 and not new_before) or ok_before  # done again now
            else:
                ok = not old >> i & 1 and not new_before  # shown; a step before it only now
            if x & sb and not om & sb and not exempt >> i & 1:
                new_before = True
            if not ok:
                out |= 1 << i
            ok_before = ok
        word = out | exempt << self.STEPS_MAX
        return (bad & ~(((1 << self.ORDER_BITS) - 1) << shift)) | (word << shift)

    def out_of_order(self, bad: int, mi: int) -> bool:
        """Whether ordered model `mi`'s steps shown so far cannot be read in its order."""
        n = len(self.order_steps[mi])
        return bool(n) and bool(bad >> (mi * self.ORDER_BITS + n - 1) & 1)

    def stopped_now(self, made: int, prev: int, fx: ChoiceFx) -> int:
        """The mistakes standing in `made` that this choice stops before they took effect and
        that are credited without the `withdrawn` cap: named by its `corrects_before_effect:`,
        made by the previous choice (`prev`, the tally's item 8), and the first such slip of
        the attempt (none stopped before: a second is a pattern)."""
        if made & self.stopped_bit:
            return 0
        return made & fx.takes_back & fx.before_effect & prev >> 1

    def escalation_withdrawn(self, esc: int, made: int, fx: ChoiceFx) -> bool:
        """Whether this choice withdraws the escalation standing in `esc`: its `corrects:` takes
        back a mistake of passing the case on (grading.yaml `escalation.withdrawn_by`) that the
        escalating choice made and that still stands, and it neither escalates nor briefs anyone itself ("I'll brief Dan myself"
        puts the hand-over right; the escalation stands)."""
        return (
            bool(esc & ESC_ANY)
            and bool(esc >> ESC_SLIPS & fx.takes_back & made)
            and fx.escalate is None
            and not fx.bits & self.handover_bit
        )

    def broken_acts(self, made: int) -> int:
        """The acts (`act_bit`) that conduct standing in `made` breaks: a breach or an offer of
        one of its facts not put right, or a failing mistake whose conduct breaks it
        (grading.yaml `law.broken_by`). Applying such an act right at another turn is no
        evidence that the law was applied correctly (review 26a class 3: "Explains clearly what
        the customer is entitled to. Shown by: applying the law correctly", from the very turn
        that sent the whole log, names and all)."""
        out = 0
        for key, bit in self.key_bit.items():
            if made & (bit << self.breach_shift):
                out |= self.act_bit.get(act_of(key), 0)
        for mid, act in self.broken_by.items():
            if made & self.mbit.get(mid, 0) & self._fails:
                out |= self.act_bit.get(act, 0)
        return out

    def verdict(self, esc: int) -> str:
        if self.esc_required:
            if esc & ESC_LISTED:
                return "correct"
            return "wrong_role" if esc & ESC_ANY else "missed"
        return "unnecessary" if esc & ESC_ANY else "not_needed"

    def briefed(self, esc: int) -> bool:
        """A briefed escalation to a role that can deal with it (the scenario requires it)."""
        return self.verdict(esc) == "correct" and bool(esc & ESC_HANDOVER)

    def escalation_spoiled(
        self, made: int, outcome: str | None, esc: int = 0, mask: int = 0
    ) -> bool:
        """No ownership, a vague referral or a lost customer: not escalation done right."""
        if self.briefed(esc):
            made &= ~self.esc_briefed_forgives
        made &= ~self.unreferred_forgives(esc, mask)
        return bool(made & self.esc_spoil) or outcome in self.esc_spoil_outcomes

    def unreferred_forgives(self, esc: int, mask: int) -> int:
        """The slips (`escalation.spoiled_only_when_referred`) that are no lapse in escalating
        on this path: the scenario needs no escalation, none was made, and the case was acted
        on (`take_action` shown), so one unowned answer passed nobody anywhere and
        `take_ownership` judges it (review 25aa class 2). A path that never acted ("not my
        department", then goodbye) fobbed the customer off: that is not dealing with it."""
        if self.esc_required or esc & ESC_ANY or not mask & self.bit["take_action"]:
            return 0
        return self.esc_unreferred

    def _step_bits(self, step: Any) -> int:
        """The bits of every behaviour that shows a model step (its own and its `also:`)."""
        return sum(self.bit[b] for b in step.behaviours)

    def model_percent(self, mi: int, mask: int, bad: int) -> int:
        m = self.step_models[mi]
        total = sum(s.weight for s in m.steps) or 1.0
        shown = sum(s.weight for s in m.steps if mask & self._step_bits(s))
        pct = 100.0 * shown / total
        if self.out_of_order(bad, mi):
            pct -= m.order_penalty
        return max(0, min(100, round_half_up(pct)))

    def escalation_percent(
        self, esc: int, made: int = 0, outcome: str | None = None, mask: int = 0
    ) -> int:
        pct = self.verdict_percent.get(self.verdict(esc), 0.0)
        if esc & ESC_WRONG:
            # the right role was reached, but the case was also sent to one that cannot deal
            # with it: no better than a wrong-role referral (review 25r D4)
            pct = min(pct, self.verdict_percent.get("wrong_role", 0.0))
        if esc & ESC_ANY:
            if esc & ESC_PREMATURE:
                pct -= self.premature_penalty
            if not esc & ESC_HANDOVER:
                pct -= self.no_handover_penalty
        if self.escalation_spoiled(made, outcome, esc, mask):
            pct = min(pct, self.esc_spoiled_percent)
        elif self.verdict(esc) == "not_needed" and made & self.mbit.get("beyond_remit", 0):
            # kept rightly, but a promise only another role could make stands: the line that
            # says so is not full marks (review 25ba class 4, play 05)
            pct = min(pct, self.esc_beyond_remit_percent)
        return max(0, min(100, round_half_up(pct)))

    def law_percent(self, lr: int, lwo: int, lwe: int = 0, made: int = 0) -> int | None:
        """The law model: 0 while a misstatement, or conduct contrary to the law (a breach, an
        offer it does not allow, a data breach), stands; else 50 for one put right later, 100
        for the law applied, 50 for none stated where the scenario assesses law."""
        if lwo or (self.has_law and made & self.law_broken_mask):
            return 0
        if lwe:
            return round_half_up(self.corrected_law)
        if lr:
            return 100
        return round_half_up(self.silent_law) if self.has_law else None

    def parts(
        self,
        tally: Tally,
        outcome: str | None = None,
        points: list[PointResult] | None = None,
    ) -> dict[str, int | None]:
        """Each applied model's percentage; None for one not assessed on this path. The
        escalation model is not assessed exactly where its marking point (`escalate_well`) is
        not: one verdict on whether there was an escalation to judge (review 25aq class 2: "the
        case was not dealt with", 40%, beside "Escalates only when needed: not assessed" on a
        call the customer walked out of before anything needed passing on)."""
        mask, _om, bad, esc, lr, lwo, lwe, made, _p, _rec = tally
        out: dict[str, int | None] = {}
        for mi, m in enumerate(self.step_models):
            out[m.id] = self.model_percent(mi, mask, bad)
        if "escalation" in self.applied:
            if points is None:
                points = self.marking_points(tally, outcome)
            unjudged = any(
                pid == self.esc_point and st == "not_assessed" for pid, _l, _b, st, _w in points
            )
            out["escalation"] = (
                None if unjudged else self.escalation_percent(esc, made, outcome, mask)
            )
        if "law" in self.applied:
            out["law"] = self.law_percent(lr, lwo, lwe, made)
        return out

    def escalation_good(self, tally: Tally, outcome: str | None) -> bool:
        esc, made = tally[3], tally[7]
        return (
            self.verdict(esc) in ("correct", "not_needed")
            and not esc & ESC_PREMATURE
            and (bool(esc & ESC_HANDOVER) or not esc & ESC_ANY)
            and not self.escalation_spoiled(made, outcome, esc, tally[0])
        )

    def marking_points(self, tally: Tally, outcome: str | None) -> list[PointResult]:
        """[(id, level, label, status, why)]: status met, missed or not_assessed."""
        mask, lr, lwo, lwe, made = tally[0], tally[4], tally[5], tally[6], tally[7]
        corrected = bool(lwe) and not lwo
        if corrected:  # the recovery counts: a corrected misstatement spoils nothing
            made &= ~self.mbit.get("misstates_law", 0)
        # A slip recovered by later evidence spoils no marking point, as one taken back does
        # (review 25aw class 3: "Keeps the customer informed" missed, "undone by the mistake:
        # vague referral", beside "made up for at turn 7"): the `recovered` cap alone stops a
        # distinction, and says which slip and where.
        held = made
        out: list[PointResult] = []
        for (
            possible,
            pid,
            level,
            label,
            sbits,
            law,
            esc,
            handed,
            spoil,
            shown,
            spoilers,
            forgiven,
        ) in self.marking:
            seen = held if level == "distinction" else made
            bad = seen & spoil
            if forgiven and self.briefed(tally[3]):
                bad &= ~forgiven
            if "escalation:good" in shown:
                bad &= ~self.unreferred_forgives(tally[3], mask)
            if bad:
                names = [m for m in spoilers if bad & self.mbit.get(m, 0)]
                out.append((pid, level, label, "missed", ("spoiled", tuple(names))))
                continue
            undone = tuple(
                m
                for m, _sb, mb, mark in self.undone_marks.get(pid, ())
                if made & mark and (made & mb or (lwo and m == "misstates_law"))
            )
            if undone:
                # shown, then undone by a later turn never taken back (`undone_later_by`)
                out.append((pid, level, label, "missed", ("undone", undone)))
                continue
            if law and made & self.breach_mask:
                # Conduct contrary to the law never put right: one verdict per act, so nothing
                # else on the path makes "applies the law correctly" met (review25u class A).
                keys = tuple(k for k, b in self.key_bit.items() if made & (b << self.breach_shift))
                out.append((pid, level, label, "missed", ("breached", keys)))
                continue
            if law and lwo:
                # A law marked wrong and not put right: "applies the law correctly" cannot be met
                # by anything else the learner showed (a `law: wrong` mark need not carry the
                # misstates_law mistake id).
                out.append((pid, level, label, "missed", ("spoiled", ("misstates_law",))))
                continue
            reach = self.reach_bit.get(pid, 0)
            if not possible or (reach and not tally[7] & reach):
                out.append((pid, level, label, "not_assessed", None))
                continue
            if (
                esc
                and outcome in self.esc_spoil_outcomes
                and self.verdict(tally[3]) in ("correct", "not_needed")
                and not tally[3] & ESC_ANY
            ):
                # The customer walked away (or left unresolved) from a case that needed no
                # escalation: there was no escalation to judge (the outcome's cap speaks).
                out.append((pid, level, label, "not_assessed", None))
                continue
            if (
                esc
                and outcome in self.esc_spoil_outcomes
                and "beyond_remit" in spoilers
                and self.verdict(tally[3]) not in ("unnecessary", "wrong_role")
            ):
                # The authority point, where nothing was agreed beyond it (beyond_remit would
                # have spoiled it above) and nothing was passed on needlessly or to the wrong
                # role: authority is not about the outcome, so a customer lost or left
                # unresolved leaves it unjudged, never missed "because the problem was
                # unresolved" (review 25ag class 6; the debrief names a needless referral).
                # Where the case was referred to a role that can deal with it, the escalation
                # section judged that decision, so the point is met by it, never "not
                # assessed" beside it (review25as class 4).
                status = "met" if self.verdict(tally[3]) == "correct" else "not_assessed"
                out.append((pid, level, label, status, None))
                continue
            ok = bool(mask & sbits) or (law and bool(lr & ~self.broken_acts(made)) and not lwo)
            if esc and self.escalation_good(tally, outcome):
                ok = True
            if handed and self.escalation_good(tally, outcome) and tally[3] & ESC_HANDOVER:
                ok = True  # a briefed escalation to the right role keeps ownership
            if ok:
                out.append((pid, level, label, "met", None))
            else:
                reason = outcome if esc and outcome in self.esc_spoil_outcomes else "not_shown"
                out.append((pid, level, label, "missed", (reason, shown)))
        return out

    def detail(self, tally: Tally, outcome: str | None) -> Detail:
        """(parts, marking points, standard grade, outcome allows a distinction), memoised per
        (tally, outcome): many transcripts end in the same tally."""
        key = (tally, outcome)
        hit = self._detail_memo.get(key)
        if hit is None:
            points = self.marking_points(tally, outcome)
            hit = (
                self.parts(tally, outcome, points),
                points,
                self._standard(points, tally, outcome),
                self.outcome_allows_distinction(tally, outcome),
            )
            if len(self._detail_memo) > 100_000:
                self._detail_memo.clear()
            self._detail_memo[key] = hit
        return hit

    def standard_grade(self, tally: Tally, outcome: str | None) -> str:
        """The grade the marking points and the outcome allow (fact 31's shape)."""
        return self.detail(tally, outcome)[2]

    def _standard(self, points: list[PointResult], tally: Tally, outcome: str | None) -> str:
        if any(st == "missed" for _i, level, _l, st, _w in points if level == "pass"):
            return "fail"
        if any(st == "missed" for _i, level, _l, st, _w in points if level == "distinction"):
            return "pass"
        return "distinction" if self.outcome_allows_distinction(tally, outcome) else "pass"

    def outcome_allows_distinction(self, tally: Tally, outcome: str | None) -> bool:
        if outcome not in self.distinction_outcomes:
            return False
        if outcome == "escalated":
            return self.esc_required and self.verdict(tally[3]) == "correct"
        return True

    def _core(self, tally: Tally, outcome: str | None) -> Core:
        """(base, base + outcome points, caps hit, the grade limit) — memoised per tally, since a
        search meets the same tally many times. The limit is the lowest of the caps and the
        marking points' grade (None when nothing limits a distinction)."""
        key = (tally, outcome)
        hit = self._memo.get(key)
        if hit is None:
            num = den = 0.0
            parts, _points, std, _d = self.detail(tally, outcome)
            for k, pct in parts.items():
                w = self.weights.get(k, 0.0)
                if pct is not None and w > 0:
                    num += w * pct
                    den += w
            base = num / den if den else 100.0
            caps = self.caps_hit(tally, outcome)
            limits = [c[0] for c in caps]
            if std != "distinction":
                limits.append(std)
            limit = min(limits, key=GRADE_RANK.__getitem__) if limits else None
            hit = (
                base,
                base + (self.outcome_points.get(outcome, 0.0) if outcome else 0.0),
                caps,
                limit,
            )
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[key] = hit
        return hit

    def evaluate(
        self, tally: Tally, penalty: float, outcome: str | None
    ) -> tuple[int, str, float, list[CapHit], int]:
        """(percent, grade, base, caps, uncapped percent) for a tally at the end of a path.
        Caps are (grade, reason, kind, value)."""
        base, raw, caps, limit = self._core(tally, outcome)
        uncapped = max(0, min(100, round_half_up(raw - penalty)))
        grade = limit or "distinction"
        lo, hi = self.band(grade)
        return min(hi, max(lo, uncapped)), grade, base, caps, uncapped

    def grade(self, tally: Tally, outcome: str | None) -> str:
        """The grade: the marking points and the caps only (grading.yaml step 4). It never
        reads the mistake points, so a search may merge paths that differ only in them."""
        return self._core(tally, outcome)[3] or "distinction"

    def band(self, grade: str) -> tuple[int, int]:
        """The percentages a grade may show (grading.yaml step 5): a fail below the pass mark,
        a pass from it to just under the distinction mark, a distinction from that mark up."""
        th = self.thresholds
        lo, hi = {
            "fail": (0, th["pass"] - 1),
            "pass": (th["pass"], th["distinction"] - 1),
        }.get(grade, (th["distinction"], 100))
        lo = max(0, min(100, lo))
        return lo, max(lo, min(100, hi))

    def caps_hit(self, tally: Tally, outcome: str | None) -> list[CapHit]:
        esc, lwo, lwe, made = tally[3], tally[5], tally[6], tally[7]
        hit: list[CapHit] = []
        for kind, value, grade, reason, bit in self.caps:
            if kind == "mistake":
                ok = bool(made & bit)
            elif kind == "law" and value == "breached":
                ok = bool(made & self.breach_mask)
            elif kind == "law":
                ok = (
                    bool(lwo)
                    if value in ("uncorrected", "wrong")
                    else (value == "corrected" and bool(lwe) and not lwo)
                )
            elif kind == "escalation" and value == "also_wrong_role":
                # the right role reached, and the case also sent to one that cannot deal with
                # it (review 25r D4)
                ok = self.verdict(esc) == "correct" and bool(esc & ESC_WRONG)
            elif kind == "escalation":
                ok = self.verdict(esc) == value
            elif kind == "outcome":
                ok = outcome == value
            elif kind == "incomplete":
                ok = bool(value) and outcome is None
            elif kind == "withdrawn":
                ok = bool(value) and bool(made & self.withdrawn_bit)
            elif kind == "recovered":
                ok = bool(value) and bool(tally[9])
            else:
                ok = False
            if ok:
                hit.append((grade, reason, kind, value))
        return hit

    def quick(self, tally: Tally, penalty: float, outcome: str | None) -> tuple[int, str]:
        percent, grade, _base, _caps, _u = self.evaluate(tally, penalty, outcome)
        return percent, grade


_CACHE: dict[int, tuple[object, Compiled]] = {}
_CACHE_SIZE = 64


def per_scenario(
    table: dict[int, tuple[object, T]],
    limit: int,
    scenario: Scenario,
    make: Callable[[Scenario], T],
) -> T:
    """A value built once per loaded scenario (keyed by identity, oldest dropped past limit)."""
    hit = table.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return hit[1]
    value = make(scenario)
    if len(table) >= limit:
        table.pop(next(iter(table)))
    table[id(scenario)] = (scenario, value)
    return value


def compiled(scenario: Scenario) -> Compiled:
    """The compiled scoring data for a scenario object (cached by identity)."""
    return per_scenario(_CACHE, _CACHE_SIZE, scenario, Compiled)


def _unknown_choice(scenario: Scenario, cid: object, n: int) -> ScoringError:
    import difflib

    ids = list(compiled(scenario).fx)
    close = difflib.get_close_matches(str(cid), ids, n=1) if isinstance(cid, str) else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return ScoringError(
        f"turn {n}: choice {cid!r} is not in scenario '{scenario.id}'{hint}; "
        f"the transcript does not match this scenario file (was it edited?)"
    )


def score(scenario: Scenario, transcript: dict[str, Any]) -> dict[str, Any]:
    """The §8 `score` object for a transcript of this scenario (plus documented extra keys:
    thresholds, weights, parts, base, deductions, outcome_points, caps, recovered, law_corrected,
    law_offered, law_open, law_stated, law_named, law_nameable, marking_points, standard_grade,
    distinction_outcome, uncapped_percent, grade_reason, complete, applied, shown, withdrawn). Raises ScoringError when the transcript
    does not fit the scenario."""
    if not isinstance(transcript, dict):
        raise ScoringError("a transcript is a JSON object with 'turns'")
    c = compiled(scenario)
    turns = transcript.get("turns") or []
    if not isinstance(turns, list):
        raise ScoringError("'turns' must be a list of turns")
    tally = c.initial
    penalty = 0.0
    first: dict[str, int] = {}
    mistakes: list[dict[str, Any]] = []
    open_law: list[int] = []  # per mistake: the misstatements it made still standing
    withdrawn_at: list[int | None] = []  # per mistake: the turn a later `corrects:` withdrew it
    # per mistake: whether it was an action stopped before it took effect and credited without
    # the `withdrawn` cap (`corrects_before_effect:`, moderation25.md cases 1-2)
    before_effect: list[bool] = []
    escalated_to: list[str] = []
    wrong_role_turns: list[int] = []  # referrals standing to a role the scenario does not list
    esc_turns: list[int] = []  # the turns of the escalations standing (not withdrawn)
    esc_withdrawn: list[dict[str, Any]] = []  # escalations a later choice took back
    right: list[str] = []
    stated: set[str] = set()
    named: set[str] = set()
    wrong: list[str] = []
    first_mistake: dict[str, int] = {}
    first_mistake_law: dict[str, tuple[str, ...]] = {}  # the law marked wrong at that turn
    wrong_turn: dict[int, int] = {}  # act bit -> turn of its still-uncorrected misstatement
    first_wrong_turn = corrected_turn = withdrawn_turn = None
    last_made: dict[str, int] = {}  # each mistake's latest turn
    recovered: list[dict[str, Any]] = []  # slips recovered by later evidence, in turn order
    breaches: list[dict[str, Any]] = []  # conduct contrary to a law: {id, turn} (review 25k D1)
    fxs = c.fx
    shows_at: list[frozenset[str]] = []  # each turn's credited behaviours, in turn order
    for n, t in enumerate(turns, 1):
        cid = t.get("choice") if isinstance(t, dict) else None
        fx = fxs.get(cid) if isinstance(cid, str) else None
        if fx is None:
            raise _unknown_choice(scenario, cid, n)
        fx = c.as_typed(fx, t)  # a rude typed line counts `rude` here too
        shows_at.append(frozenset(fx.shows))
        for b in fx.shows:
            if b not in first:
                first[b] = n
        # A mistake made earlier and withdrawn now: a misstatement whose law this choice's
        # `corrects:` puts right, or a mistake its `corrects:` takes back. The debrief must
        # not call a withdrawn slip one that fails the attempt.
        stopped = c.stopped_now(tally[7], tally[8], fx)
        for i, entry in enumerate(mistakes):
            if withdrawn_at[i] is not None:
                continue
            if entry["id"] == "misstates_law" and fx.fixes and open_law[i]:
                open_law[i] &= ~fx.fixes
                if not open_law[i]:
                    withdrawn_at[i] = n
            elif fx.takes_back & c.mbit.get(entry["id"], 0):
                withdrawn_at[i] = n
                before_effect[i] = entry["turn"] == n - 1 and bool(stopped & c.mbit[entry["id"]])
        for br in breaches:  # a `corrects:` naming the breached rule puts the conduct right
            if br["bit"] and br["at"] is None and fx.fixes & c.key_bit.get(br["id"], 0):
                br["at"] = n
        for k in fx.law_breached:
            breaches.append(
                {
                    "id": k,
                    "turn": n,
                    "at": None,
                    "bit": bool(fx.breach),
                    "offered": k in fx.law_offered,
                }
            )
        for m in fx.mistakes:
            mistakes.append({"id": m, "turn": n})
            withdrawn_at.append(None)
            before_effect.append(False)
            open_law.append(fx.lw if m == "misstates_law" else 0)
            if m not in first_mistake:
                first_mistake_law[m] = fx.law_wrong + fx.law_breached
            first_mistake.setdefault(m, n)
        if fx.escalate is not None:
            escalated_to.append(fx.escalate)
            esc_turns.append(n)
            if c.esc_required and not fx.listed:
                wrong_role_turns.append(n)
        for k in fx.law_right:
            if k not in right:
                right.append(k)
        if fx.law_right and "explain_rights" in fx.shows:
            # the law said to the customer, not only acted on (review 25u F)
            stated.update(act_of(k) for k in fx.law_right)
        if fx.law_right:
            # the law named to the customer: the line as shown (a Welsh transcript says the
            # Welsh name), else the choice's own text (issue 25, review 25u F)
            said = t.get("text")
            acts = {act_of(k) for k in fx.law_right}
            named.update(
                acts_named(said, acts, c.name_patterns) if isinstance(said, str) else fx.names
            )
        for k in fx.law_wrong:
            if k not in wrong:
                wrong.append(k)
        if fx.fixes:
            for bit in list(wrong_turn):
                if bit & fx.fixes:
                    del wrong_turn[bit]
                    corrected_turn = n
        if fx.lw:
            if first_wrong_turn is None:
                first_wrong_turn = n
            bit = fx.lw
            while bit:
                low = bit & -bit
                wrong_turn.setdefault(low, n)
                bit ^= low
        penalty += fx.penalty
        if withdrawn_turn is None and tally[7] & fx.takes_back & ~stopped:
            withdrawn_turn = n
        before = tally[7] & ~fx.takes_back
        was_escalated = tally[3] & ESC_ANY
        tally = c.advance(tally, fx)
        if was_escalated and not tally[3] & ESC_ANY:  # taken back: nothing was passed on
            esc_withdrawn += [
                {"role": r, "turn": t, "at": n}
                for r, t in zip(escalated_to, esc_turns, strict=True)
            ]
            escalated_to, esc_turns, wrong_role_turns = [], [], []
        # A slip standing before this choice, not taken back, and gone after it: recovered.
        back = before & c.recover_mask & ~tally[7]
        for mid, mb in c.mbit.items():
            if back & mb:
                reason = c.recover_reason[mid]
                if not c.recovered_by_evidence(mid, tally[0], fx):
                    if mid in c.recover_reason_kept:
                        reason = c.recover_reason_kept[mid]
                    elif mid in c.recover_reason_owned:
                        reason = c.recover_reason_owned[mid]
                entry = {"id": mid, "turn": last_made[mid], "later": n, "reason": reason}
                if reason == c.recover_reason_kept.get(mid):
                    entry["acted"] = _acted_turn(c.kept_acted[mid], last_made[mid], shows_at)
                recovered.append(entry)
        for m in fx.mistakes:
            last_made[m] = n

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
    parts, mpoints, std, dist_ok = c.detail(tally, outcome)
    parts = dict(parts)
    mask, _om, bad, esc, _lr, lwo, _lwe, _made, _pm, _rec = tally

    shown_first = first_shown(first, (s for sm in c.step_models for s in sm.steps))
    models = {}
    for mi, sm in enumerate(c.step_models):
        step_first = {
            s.behaviour: (shown_first[s.behaviour]["turn"] if s.behaviour in shown_first else None)
            for s in sm.steps
        }
        shown_steps = sum(1 for t in step_first.values() if t is not None)
        in_order = (not c.out_of_order(bad, mi)) if sm.ordered and shown_steps >= 2 else None
        model_entry: dict[str, Any] = {
            "steps": step_first,
            # An order needs two steps: with fewer there is nothing to be in order.
            "in_order": in_order,
            "percent": parts[sm.id],
        }
        # the steps in order only by a later turn of one of them: {step: that turn}, so the
        # debrief says which turn put it in order (review 25as item 4)
        again = _order_again(sm, step_first, shows_at) if in_order else {}
        if again:
            model_entry["again"] = again
        models[sm.id] = model_entry
    escalation: dict[str, Any] = {
        "required": c.esc_required,
        "to": list(c.esc_to),
        "verdict": c.verdict(esc),
        "premature": bool(esc & ESC_PREMATURE),
        "handover": bool(esc & ESC_HANDOVER),
        # some choice also sent the case to a role that cannot deal with it (review 25r D4)
        "wrong_role": bool(esc & ESC_WRONG),
        "escalated_to": escalated_to,
        # the turn of each of `escalated_to`, and those of the referrals among them to a role
        # the scenario does not list: the one record of the escalations standing, which the
        # debrief's escalation section, its caps and the ending's `path.escalated` agree with
        "turns": esc_turns,
        "wrong_role_turns": wrong_role_turns,
        # escalations a later choice took back (audit 25t D2): {role, turn, at}; not in
        # `escalated_to`, since nothing was passed on
        "withdrawn": esc_withdrawn,
        "spoiled": c.escalation_spoiled(tally[7], outcome, esc, tally[0]),
    }
    if "escalation" in parts:
        escalation["percent"] = parts["escalation"]

    last = len(turns) or None
    open_turns = sorted(wrong_turn.values())
    cap_list = []
    for cgrade, reason, kind, value in caps:
        # Every instance of the cap, each (turn, later): the turn of what it names and, for a
        # slip put right, the turn that put it right. Each instance is read from the same
        # per-turn records the sections that describe it read (mistakes, withdrawn, law_breached,
        # the escalations), so the grade line, the cap line, the law section, the mistakes and
        # the marking points cite the same turns (issue 25: "(turn 3)" beside "turns 3 and 4").
        found: list[tuple[int | None, int | None]]
        if kind == "mistake":
            # each time it was made and never taken back: a cap cites the slips that stand,
            # not an earlier one already withdrawn (review 25r D6)
            standing = [
                m["turn"]
                for m, at in zip(mistakes, withdrawn_at, strict=True)
                if m["id"] == value and at is None
            ]
            found = [(t, None) for t in standing] or [(first_mistake.get(value), None)]
            marked = first_mistake_law.get(value, ())
            for law_id, said in c.cap_reason_by_law.get((kind, str(value)), []):
                if law_id in marked:
                    reason = said
                    break
        elif kind == "law" and value == "breached":
            found = [(b["turn"], None) for b in breaches if b["bit"] and b["at"] is None]
        elif kind == "law" and value in ("uncorrected", "wrong"):
            # each misstatement still standing, as the mistakes section lists them
            found = [
                (m["turn"], None)
                for m, at in zip(mistakes, withdrawn_at, strict=True)
                if at is None and m["id"] == "misstates_law"
            ] or [(t, None) for t in open_turns]
        elif kind == "law":
            # each misstatement withdrawn, with the turn that withdrew it
            found = [
                (m["turn"], at)
                for m, at in zip(mistakes, withdrawn_at, strict=True)
                if at is not None and m["id"] == "misstates_law"
            ] or [(first_wrong_turn, corrected_turn if value == "corrected" else None)]
        elif kind == "withdrawn":
            # the turn of the slip itself; the turn that took it back is `later` (review 25r D6)
            found = [
                (m["turn"], at)
                for m, at, early in zip(mistakes, withdrawn_at, before_effect, strict=True)
                if at is not None and m["id"] != "misstates_law" and not early
            ] or [(withdrawn_turn, None)]
        elif kind == "recovered":
            found = [(recovered[0]["later"] if recovered else None, None)]
        elif kind == "escalation" and value == "also_wrong_role":
            found = [(t, None) for t in wrong_role_turns]
        else:
            found = [(last, None)]
        instances = sorted(
            {(t, later) for t, later in found if t is not None},
            key=lambda x: (x[0], x[1] or 0),
        )
        turn, later = instances[0] if instances else (None, None)
        cap: dict[str, Any] = {
            "grade": cgrade,
            "reason": reason,
            "rule": c.cap_rules.get((kind, str(value)), reason),
            "when": {kind: value},
            "turn": turn,
            # every turn the cap cites, in order (`turn` is the first)
            "turns": list(dict.fromkeys(t for t, _l in instances)),
        }
        offer = c.cap_offered.get((kind, str(value)))
        if offer and kind == "law" and value == "breached":
            standing = [b for b in breaches if b["bit"] and b["at"] is None]
            if standing and all(b["offered"] for b in standing):
                # only offers stand: never "you acted against a rule" (issue 25, truth25bb)
                cap["reason"], cap["rule"] = offer
        if kind == "mistake" and value in _AMOUNT_CAPS and turn and turn <= len(turns):
            # the sum agreed, when the line that made the mistake names one (review 25r D13:
            # "you agreed something beyond your authority" beside "you'll get the £250")
            amount = _amount(turns[turn - 1])
            if amount:
                cap["amount"] = amount
        with_turns = c.cap_reason_turns.get((kind, str(value)))
        pairs = [[t, at] for t, at in instances if at is not None and at != t]
        if with_turns and pairs:
            cap["later"] = pairs[0][1]
            cap["reason_turns"] = with_turns
            if len(pairs) > 1 and (kind, str(value)) in c.cap_reason_many:
                # two slips taken back: each named with the turn that put it right
                cap["pairs"] = pairs
                cap["reason_turns_many"], cap["reason_turns_again"] = c.cap_reason_many[
                    (kind, str(value))
                ]
        cap_list.append(cap)
    points: list[dict[str, Any]] = [
        {"id": pid, "level": level, "label": label, "status": status, "why": _why(why)}
        for pid, level, label, status, why in mpoints
    ]
    for p in points:
        # a point undone only by offers of what the law does not allow (`law: offered`) says
        # so, never "conduct contrary to" it (issue 25, truth25bb)
        why_ = p["why"]
        if why_ and why_["kind"] == "breached":
            standing = [
                b for b in breaches if b["bit"] and b["at"] is None and b["id"] in why_["ids"]
            ]
            if standing and all(b["offered"] for b in standing):
                why_["kind"] = "offered"
    outcome_pts = c.outcome_points.get(outcome, 0.0) if outcome else 0.0
    # (the breaches the tally holds: those its turn's failing mistake does not grade)
    broken = {act_of(b["id"]) for b in breaches if b["bit"] and b["at"] is None}
    out = {
        "percent": percent,
        "grade": grade,
        "models": models,
        "escalation": escalation,
        # One verdict per act (review25u class A): an act whose rule the path's conduct broke
        # and never put right is not also "applied correctly" (the keep list, "Shown by" and the
        # course's law points read this list).
        "law": {"right": [k for k in right if act_of(k) not in broken], "wrong": wrong},
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
        # behavioural slips outweighed by later evidence: {id, turn (made), later (recovered at),
        # reason (the sentence, with {made} and {later})} (grading.yaml)
        "recovered": recovered,
        # a misstatement put right later in the conversation (recovery; see grading.yaml)
        "law_corrected": {
            "corrected": bool(wrong) and not lwo,
            "turn": corrected_turn if bool(wrong) and not lwo else None,
        },
        # the acts this conversation offers a correct way to apply, and those the attempt
        # misstated and never withdrew ("?" for a misstatement with no law mark): the course's
        # law points read these (scoring/course.py)
        "law_offered": sorted({act_of(k) for fx in c.fx.values() for k in fx.law_right}),
        "law_open": sorted({c.key_act[b] for b in wrong_turn}),
        # the acts a choice on the path stated to the customer (a `law: right` mark on a choice
        # that explains the rights): the course's law points need one (review 25u F)
        "law_stated": sorted(stated),
        # the acts a choice on the path named to the customer by name (laws.yaml `names`) with
        # the law marked right, and those some choice of the scenario could have named: the
        # course's "identifies the key laws" reads them (scoring/course.py)
        "law_named": sorted(named),
        "law_nameable": list(c.law_nameable),
        "marking_points": points,
        "standard_grade": std,
        "distinction_outcome": dist_ok,
        "uncapped_percent": uncapped,
        "complete": outcome is not None,
        # every behaviour credited, with the turn it was first shown (course.py reads it)
        "shown": dict(first),
        # each step first shown: its turn and the behaviour that showed it, the one record every
        # section that names a step reads (review 25aq class 1; see `first_shown`)
        "first_shown": shown_first,
        # mistakes a later choice withdrew (its `corrects:`): {id, turn, at} (the debrief must
        # not call a withdrawn slip one that fails the attempt)
        # (`before_effect: true` when it was an action stopped at the next turn before it took
        # effect, credited without the cap, moderation25.md cases 1-2)
        "withdrawn": [
            {"id": m["id"], "turn": m["turn"], "at": at}
            | ({"before_effect": True} if early else {})
            for m, at, early in zip(mistakes, withdrawn_at, before_effect, strict=True)
            if at is not None
        ],
        # law keys the path's conduct breached (`law: {KEY: breached}`), not misstatements:
        # {id, turn, withdrawn (the turn its conduct's mistakes were all taken back, or None)}
        "law_breached": [
            {
                "id": b["id"],
                "turn": b["turn"],
                "withdrawn": _breach_at(b, mistakes, withdrawn_at),
            }
            # only offered, proposed or asked for (`law: offered`): said as an offer
            | ({"offered": True} if b["offered"] else {})
            for b in breaches
        ],
    }
    out["grade_reason"] = grade_reason(out)
    return out


# Caps whose reason is about a sum agreed: the grade reason names the amount the line said.
_AMOUNT_CAPS = frozenset({"beyond_remit"})
_MONEY = re.compile(r"£\s?(\d[\d,]*(?:\.\d\d)?)")


def _order_again(
    model: Any, step_first: dict[str, int | None], shows_at: Sequence[frozenset[str]]
) -> dict[str, int]:
    """{step: turn} for each step of an ordered model read in order at a later turn than its
    first: a step the model judges by any turn (`any_turn`) at its first turn at or after the
    step before it, any other at its first turn (steps not shown skipped). Empty when the
    first turns are already in order, or when they cannot be read in order."""
    out: dict[str, int] = {}
    cur = 0
    for st in model.steps:
        first = step_first.get(st.behaviour)
        if first is None:
            continue
        if not st.any_turn:
            if first < cur:
                return {}
            cur = first
            continue
        at = next(
            (
                n
                for n in range(max(cur, first), len(shows_at) + 1)
                if set(st.behaviours) & shows_at[n - 1]
            ),
            None,
        )
        if at is None:
            return {}
        if at != first:
            out[st.behaviour] = at
        cur = at
    return out


def _amount(turn: object) -> str | None:
    """The largest sum of money the learner's line at this turn names ("£250"), or None."""
    text = turn.get("text") if isinstance(turn, dict) else None
    sums = [m.group(0).replace(" ", "") for m in _MONEY.finditer(str(text or ""))]
    if not sums:
        return None
    return max(sums, key=lambda x: float(x[1:].replace(",", "")))


def _breach_at(
    b: dict[str, Any], mistakes: list[dict[str, Any]], withdrawn_at: list[int | None]
) -> int | None:
    """The turn a breach was put right, else None: by a `corrects:` naming its rule, or, for
    one graded by its turn's failing mistake, when that turn's mistakes were all taken back."""
    return b["at"] if b["bit"] else _taken_back(b["turn"], mistakes, withdrawn_at)


def _taken_back(
    turn: int, mistakes: list[dict[str, Any]], withdrawn_at: list[int | None]
) -> int | None:
    """The turn by which every mistake made at `turn` had been withdrawn, else None."""
    ats = [at for m, at in zip(mistakes, withdrawn_at, strict=True) if m["turn"] == turn]
    if not ats or any(at is None for at in ats):
        return None
    return max(at for at in ats if at is not None)


def _why(why: Why | None) -> dict[str, Any] | None:
    """A missed point's reason as data: {kind: spoiled|not_shown|lost|unresolved, ids: [...]}."""
    if why is None:
        return None
    return {"kind": why[0], "ids": list(why[1])}


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 2)


def _or(bits: Iterable[int]) -> int:
    out = 0
    for b in bits:
        out |= b
    return out


def standing_turns(s: dict[str, Any], mid: str) -> list[int]:
    """The turns at which mistake `mid` was made and never taken back (`corrects:`), from the
    score's `mistakes` and `withdrawn`: the turns the mistake cap, "undone by" and the debrief's
    escalation section cite for it."""
    gone = {(w["id"], w["turn"]) for w in s.get("withdrawn") or []}
    return [
        int(m["turn"])
        for m in s.get("mistakes") or []
        if m["id"] == mid and (m["id"], m["turn"]) not in gone
    ]


def _spoiled_words(point: dict[str, Any], s: dict[str, Any]) -> str:
    """ " (undone by over-promising at turn 3)" for a point a standing mistake spoiled, else "".
    The turn is the first at which that mistake was made and not taken back."""
    from simulator.engine.i18n import gettext as tr

    why = point.get("why") or {}
    if why.get("kind") != "spoiled":
        return ""
    words = []
    for mid in why.get("ids") or []:
        turns = standing_turns(s, mid)
        label = str(spec.mistake(mid)["label"]).lower()
        if len(set(turns)) > 1:
            # every turn it stands at, as the mistakes section lists them (issue 25)
            words.append(
                tr("{label} at turns {turns}").format(label=label, turns=turns_words(turns))
            )
        else:
            words.append(
                tr("{label} at turn {n}").format(label=label, n=turns[0]) if turns else label
            )
    what = words[0] if len(words) == 1 else ", ".join(words[:-1]) + tr(" and ") + words[-1]
    return " (" + tr("undone by {what}").format(what=what) + ")"


def turns_words(turns: Iterable[int]) -> str:
    """Turn numbers as words: "3", "3 and 4", "2, 3 and 5"."""
    from simulator.engine.i18n import gettext as tr

    words = [str(t) for t in dict.fromkeys(turns)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + tr(" and ") + words[-1]


def cap_words(cap: dict[str, Any], s: dict[str, Any]) -> tuple[str, list[int]]:
    """A cap's reason in words, and the turns still to cite beside it (none when the reason
    names its own). The one wording of a cap: the grade line, the grade reason and the cap
    line all say it through here, with every instance of it (issue 25: two slips taken back,
    the grade line named only the first)."""
    from simulator.engine.i18n import gettext as tr
    from simulator.engine.i18n import translated

    if cap.get("when") == {"recovered": True} and s.get("recovered"):
        # each slip recovered, with its own turns (review 25f D6)
        return tr("; and ").join(
            translated(r["reason"]).format(
                made=r["turn"], later=r["later"], acted=r.get("acted", r["later"])
            )
            for r in s["recovered"]
        ), []
    pairs = cap.get("pairs") or []
    if len(pairs) > 1 and cap.get("reason_turns_many") and cap.get("reason_turns_again"):
        (made, later), rest = pairs[0], pairs[1:]
        again = "".join(
            translated(cap["reason_turns_again"]).format(made=m, later=at) for m, at in rest
        )
        return translated(cap["reason_turns_many"]).format(made=made, later=later, again=again), []
    if cap.get("reason_turns"):
        # names the slip's turn and the turn that put it right (review 25r D6)
        return translated(cap["reason_turns"]).format(made=cap["turn"], later=cap["later"]), []
    turns = list(cap.get("turns") or ([cap["turn"]] if cap.get("turn") else []))
    return translated(cap["reason"]), turns


def where_words(turns: list[int], amount: str | None = None) -> str:
    """ "(turn 3)", "(turns 3 and 4)", "(£250, turn 1)"; "" for no turn."""
    from simulator.engine.i18n import gettext as tr

    if not turns:
        return ""
    if amount:
        if len(turns) == 1:
            return tr("({amount}, turn {n})").format(amount=amount, n=turns[0])
        return tr("({amount}, turns {turns})").format(amount=amount, turns=turns_words(turns))
    if len(turns) == 1:
        return tr("(turn {n})").format(n=turns[0])
    return tr("(turns {turns})").format(turns=turns_words(turns))


def cap_said(cap: dict[str, Any], s: dict[str, Any]) -> str:
    """A cap's reason with every turn it cites: what the grade line says of it."""
    reason, turns = cap_words(cap, s)
    where = where_words(turns, cap.get("amount"))
    if where and reason.endswith(")") and where.startswith("(") and where.endswith(")"):
        # a reason that already ends in brackets takes its turns inside them: "(… first,
        # every time; turns 3 and 4)", never a second pair after the first (issue 25)
        return f"{reason[:-1]}; {where[1:-1]})"
    return f"{reason} {where}" if where else reason


def grade_reason(s: dict[str, Any]) -> str:
    """One or two sentences saying why the attempt got its grade, in the standards' terms (in
    the learner's language: the debrief says it again in the language it is read in). The
    grade reads only the marking points and the caps, so the reason names those, never the
    percentage."""
    from simulator.engine.i18n import gettext as tr
    from simulator.engine.i18n import translated

    p, g = s["percent"], s["grade"]
    caps = s.get("caps") or []
    points = s.get("marking_points") or []
    binding = [c for c in caps if c["grade"] == g and g != "distinction"]
    if binding:
        # Every cap that holds the grade where it is, so the learner sees each rule at once.
        said: list[str] = []
        for c in binding:
            if c.get("when") == {"recovered": True} and s.get("recovered"):
                said += [
                    tr("{said}: that recovers a pass, not a distinction").format(
                        said=translated(r["reason"]).format(
                            made=r["turn"], later=r["later"], acted=r.get("acted", r["later"])
                        )
                    )
                    for r in s["recovered"]
                ]
                continue
            said.append(cap_said(c, s))
        grade = {"fail": tr("fail"), "pass": tr("pass")}.get(g, g)
        return tr("At most {grade}: {reasons}.").format(
            grade=grade, reasons=tr("; and ").join(said)
        )
    missed_pass = [
        translated(m["label"]) for m in points if m["level"] == "pass" and m["status"] == "missed"
    ]
    if g == "fail":
        # Each point undone by a mistake names it and its turn, and a mistake that stops a
        # distinction on its own is named too (review 25r D13: a fail beside "£250 agreed beyond
        # your authority" whose reason never said so).
        missed_pass = [
            translated(m["label"]) + _spoiled_words(m, s)
            for m in points
            if m["level"] == "pass" and m["status"] == "missed"
        ]
        also = [
            (
                tr("at turn {n}: {rule}").format(n=c["turn"], rule=translated(c["rule"]))
                if len(c.get("turns") or [c["turn"]]) == 1
                else tr("at turns {turns}: {rule}").format(
                    turns=turns_words(c["turns"]), rule=translated(c["rule"])
                )
            )
            + (" " + tr("({amount})").format(amount=c["amount"]) if c.get("amount") else "")
            for c in caps
            if "mistake" in (c.get("when") or {}) and c["grade"] != "fail" and c.get("turn")
        ]
        out = tr("A pass needs every pass marking point met; not met: {points}.").format(
            points="; ".join(missed_pass)
        )
        if also:
            out += " " + tr("Also {also}, which on its own stops a distinction.").format(
                also=tr("; and ").join(also)
            )
        return out
    if g == "pass":
        missed_d = [
            translated(m["label"])
            for m in points
            if m["level"] == "distinction" and m["status"] == "missed"
        ]
        if missed_d:
            return tr("Every pass marking point met. A distinction also needs: {points}.").format(
                points="; ".join(missed_d)
            )
        return tr(
            "Every marking point met, but a distinction needs the customer's problem "
            "resolved (or rightly escalated)."
        )
    return tr(
        "Every pass and distinction marking point met, and the customer's problem resolved or "
        "rightly escalated ({p}%)."
    ).format(p=p)
