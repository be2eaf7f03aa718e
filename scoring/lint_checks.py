"""Authoring checks that need the scoring data or the path analysis, run by `countertalk lint`.

They live here, not in the engine's loader, because the engine never imports scoring: the
loader checks the format; these check what an assessment built on the file would say.
- every run: an ending's unconditional text claims a behaviour some path never showed
  (`ending_claims`); a choice lists a behaviour its own mistake contradicts (catalogue
  `contradicts`), which the scorer will not credit;
- `--strict` only: the best option is usually the longest or always in one place
  (`strategies.layout_warnings`), which a learner can exploit without reading; a learner
  choosing at random passes too often, computed exactly (`odds.random_odds`); and, for a folder
  linted as a pack, the wording gives the good options away (`cues.audit`, `pack_diagnostics`).
"""

from __future__ import annotations

import re
from typing import Any

from simulator.engine.loader import Diagnostic  # noqa: F401  (the type returned)


def diagnostics(scenario: Any, *, strict: bool) -> list[Diagnostic]:
    """Warnings with their codes (docs/diagnostics.md): CT601 ending-claim, CT602
    contradicted-behaviour, CT606 unflagged-withdrawal, CT608 unnamed-misstatement, CT609
    stopped-before-effect, CT610 half-taken-back, CT611 unlawful-beyond-remit, CT603 guessable-layout and CT605 passable-by-chance (--strict
    only)."""
    from simulator.engine.loader import make

    from . import ending_claims

    found = [("CT601", w, m) for w, m in ending_claims.check(scenario)]
    found += [("CT602", w, m) for w, m in contradictions(scenario)]
    found += [("CT606", w, m) for w, m in unflagged_withdrawals(scenario)]
    found += [("CT608", w, m) for w, m in unnamed_misstatements(scenario)]
    found += [("CT609", w, m) for w, m in stopped_before_effect(scenario)]
    # CT610: wired once abusive-customer opening.3 lost its rude mark (moderation26.md case 1)
    found += [("CT610", w, m) for w, m in half_taken_back(scenario)]
    found += [("CT611", w, m) for w, m in unlawful_beyond_remit(scenario)]
    if strict:
        from . import strategies

        found += [("CT603", w, m) for w, m in strategies.layout_warnings(scenario)]
        found += [("CT605", w, m) for w, m in chance_warnings(scenario)]
    out = []
    for code, where, message in found:
        line, col = scenario.position(*where)
        out.append(make(scenario.source, line, col, code, message))
    return sorted(out)


def stopped_before_effect(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """`corrects_before_effect:` (moderation25.md cases 1-2) where it cannot be true: a mistake
    not also under the choice's `corrects:`; one that fails the attempt (a disclosure, rudeness,
    a misstatement: said or sent, it has taken effect by the time it is made); or a way into the
    choice's state (the start, a global rule, a choice) that does not make that mistake at the
    turn just before, so the slip stopped may not be the previous choice's."""
    from . import spec

    failing = {
        str(v)
        for cap in spec.grading().get("caps") or []
        for k, v in dict(cap.get("when") or {}).items()
        if k == "mistake" and cap.get("grade") == "fail"
    } | {"misstates_law"}
    into: dict[str, list[tuple[str, set[str]]]] = {}
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            into.setdefault(ch.goto, []).append((scenario.choice_id(sid, i), set(ch.mistakes)))
    ruled = {r.goto for r in scenario.rules}
    out = []
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            cid = scenario.choice_id(sid, i)
            for j, m in enumerate(ch.corrects_before_effect):
                where = ("states", sid, "choices", i, "corrects_before_effect", j)
                why = None
                if m not in ch.corrects:
                    why = f"{m} is not under its corrects:; list it there too"
                elif m in failing:
                    why = (
                        f"{m} fails the attempt: once said or sent it has taken effect, so it "
                        f"cannot be stopped before it did"
                    )
                elif sid == scenario.start or sid in ruled:
                    why = f"state {sid} is entered without a choice just before it"
                else:
                    missing = [c for c, made in into.get(sid, []) if m not in made]
                    if missing:
                        why = (
                            f"{', '.join(missing)} leads to {sid} without making {m}: the slip "
                            f"stopped must be made at the turn just before"
                        )
                if why:
                    out.append(
                        (where, f"choice {cid} has corrects_before_effect: [{m}], but {why}")
                    )
    return out


def _failing_mistakes() -> set[str]:
    """The mistakes that fail the attempt whatever else was earned (grading.yaml `caps` with
    grade fail): said or sent, they have taken effect, so no later line takes them back."""
    from . import spec

    return {
        str(v)
        for cap in spec.grading().get("caps") or []
        for k, v in dict(cap.get("when") or {}).items()
        if k == "mistake" and cap.get("grade") == "fail"
    }


def half_taken_back(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """A choice whose `corrects:` takes back some of the mistakes of a line that leads to its
    state while another mistake of that line fails the attempt (review 25ba class 2, play 08:
    "Don't shout at me, mate" marked rude and defensive, the defensive slip "taken back at turn
    2" and the rude one failing the attempt). One slip on one line counts once: its mistakes are
    taken back together or not at all, or one section says "taken back" while another says it
    fails. Mark the line for what its words did (a failing mistake only for an insult, swearing,
    contempt, a disclosure), or let the later line take back none of it."""
    failing = _failing_mistakes()
    into: dict[str, list[tuple[str, list[str]]]] = {}
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            into.setdefault(ch.goto, []).append((scenario.choice_id(sid, i), list(ch.mistakes)))
    out = []
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            back = set(ch.corrects)
            if not back:
                continue
            for before, made in into.get(sid, []):
                taken = [m for m in made if m in back]
                stays = [m for m in made if m in failing and m not in back]
                if taken and stays:
                    out.append(
                        (
                            ("states", sid, "choices", i, "corrects"),
                            f"choice {scenario.choice_id(sid, i)} takes back "
                            f"{', '.join(taken)} of {before}, whose {', '.join(stays)} fails "
                            f"the attempt and cannot be taken back: one line's mistakes are "
                            f"taken back together or not at all",
                        )
                    )
    return out


# The mistakes of handling personal data unlawfully (brief §2): no role can approve them, so
# they are never "beyond your authority", which says another role could have agreed it.
UNLAWFUL_DATA = ("data_breach", "oversharing", "insecure_route")


def unlawful_beyond_remit(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """A choice marked `beyond_remit` beside a mistake of handling personal data unlawfully
    (review 25ba class 5, play 05: offering the courier every customer's contact details read
    "only another role could agree: that part needed referring"). `beyond_remit` says a
    manager could have agreed it; no role can approve a disclosure the law forbids (brief 19b),
    so the data mistake alone marks it."""
    out = []
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            if "beyond_remit" not in ch.mistakes:
                continue
            data = [m for m in ch.mistakes if m in UNLAWFUL_DATA]
            if data:
                k = list(ch.mistakes).index("beyond_remit")
                out.append(
                    (
                        ("states", sid, "choices", i, "mistakes", k),
                        f"choice {scenario.choice_id(sid, i)} is marked beyond_remit beside "
                        f"{', '.join(data)}: no role can approve handling personal data "
                        f"unlawfully, so nothing about it needed referring; drop beyond_remit",
                    )
                )
    return out


def contradictions(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """A choice that shows a behaviour its own mistake rules out (a line that misstates the law
    is not "take action"): the scorer drops the behaviour, so the file should not claim it."""
    from . import catalogue

    rules = {
        m: set(e.get("contradicts") or []) for m, e in catalogue.catalogue()["mistakes"].items()
    }
    out = []
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            for m in ch.mistakes:
                clash = [b for b in ch.shows if b in rules.get(m, ())]
                if clash:
                    out.append(
                        (
                            ("states", sid, "choices", i, "shows"),
                            f"choice {scenario.choice_id(sid, i)} shows {', '.join(clash)} but "
                            f"its mistake {m} contradicts it, so it is not credited; remove it "
                            f"from shows (see 'contradicts' in scoring/catalogue.yaml)",
                        )
                    )
    return out


def unnamed_misstatements(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """A choice that marks a law `wrong` without `misstates_law` among its mistakes (issue 25,
    truth25n). `wrong` says its words state the law wrongly, and the debrief then says "you
    misstated the law"; a choice whose *conduct* is contrary to the law (disclosing, acting
    before a check, turning a disabled customer away) states nothing, so it is `breached`,
    with the conduct's mistake. Either way the file should say which it is: `wrong` with
    `misstates_law`, or `breached`. Good practice (laws.yaml `practice: true`) is no law, and
    its `wrong` marks are left alone."""
    from .catalogue import act_of, practice_acts

    practice = practice_acts()
    out = []
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            if "misstates_law" in ch.mistakes:
                continue
            keys = [k for k, v in ch.law.items() if v == "wrong" and act_of(k) not in practice]
            if keys:
                out.append(
                    (
                        ("states", sid, "choices", i, "law"),
                        f"choice {scenario.choice_id(sid, i)} marks {keys[0]} wrong but has no "
                        f"misstates_law mistake: if its words state the law wrongly, add "
                        f"misstates_law to its mistakes; if its conduct is contrary to the law "
                        f"(it states no rule), mark it {keys[0]}: breached, with the conduct's "
                        f"mistake (data_breach, oversharing, skips_verification, "
                        f"discrimination...)",
                    )
                )
    return out


# Words that take back what was said (an option's text): "I was wrong", "I overstated that",
# "scratch that", "sorry, that's not right". Matched case-insensitively, with straight or curly
# apostrophes.
WITHDRAWAL = re.compile(
    r"\b(?:I\s+was\s+wrong|I\s+(?:had|got)\s+(?:that|it)\s+wrong|I\s+overstated|"
    r"I\s+misspoke|I\s+spoke\s+too\s+soon|I\s+put\s+(?:that|it)\s+badly|scratch\s+that|"
    r"(?:that|what\s+I\s+said)\s+(?:was|is)n['\u2019]?t\s+(?:right|true|correct)|"
    r"that['\u2019]s\s+not\s+(?:right|true|correct)|I\s+(?:was|am)\s+mistaken|"
    r"let\s+me\s+correct\s+(?:that|myself)|I\s+stand\s+corrected|"
    r"I\s+should(?:n['\u2019]?t|\s+not)\s+have\s+(?:promised|said)\s+(?:that|it))",
    re.IGNORECASE,
)


def unflagged_withdrawals(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """An option whose words withdraw something ("I was wrong", "I overstated that") and state
    the law right, on a path after an option that got the same law wrong, with no `corrects:`.
    Only `corrects:` counts as putting the law right (grading.yaml `law`), so without it the
    scorer keeps the earlier misstatement standing and fails an attempt whose words took it
    back. (A "sorry, I had that wrong, but..." option that is itself wrong is a distractor, and
    is not flagged.)"""
    from .catalogue import act_of

    # The law marks some path may have got wrong on arriving at each state (a fixpoint: the
    # marks only grow, so it ends).
    wrong_at: dict[str, set[str]] = {sid: set() for sid in scenario.states}
    changed = True
    while changed:
        changed = False
        for sid, st in scenario.states.items():
            for ch in st.choices:
                if ch.goto not in wrong_at:
                    continue
                carried = wrong_at[sid] | {k for k, v in ch.law.items() if v == "wrong"}
                if not carried <= wrong_at[ch.goto]:
                    wrong_at[ch.goto] |= carried
                    changed = True
    out = _unflagged_slip_withdrawals(scenario)
    for sid, st in scenario.states.items():
        before = wrong_at[sid]
        acts = {act_of(k) for k in before}
        for i, ch in enumerate(st.choices):
            hit = WITHDRAWAL.search(ch.text)
            if not hit or ch.corrects or "wrong" in ch.law.values():
                continue
            same = [k for k, v in ch.law.items() if v == "right" and (k in before or k in acts)]
            same += [k for k, v in ch.law.items() if v == "right" and act_of(k) in acts]
            if same:
                out.append(
                    (
                        ("states", sid, "choices", i, "text"),
                        f"choice {scenario.choice_id(sid, i)} says {hit.group(0)!r} and states "
                        f"{same[0]} right, on a path after an option that got it wrong, but has "
                        f"no corrects:; add corrects: [{same[0]}] (the law it puts right), or "
                        f"the scorer will treat the misstatement as never withdrawn",
                    )
                )
    return out


# Words that take back a slip of manner rather than of law ("I jumped to a sale there, and I
# should have listened"), besides WITHDRAWAL's.
SLIP_BACK = re.compile(
    r"\b(?:I\s+jumped\s+(?:to|ahead|in)|I\s+should\s+have\s+(?:listened|asked|heard|checked)|"
    r"forget\s+(?:the|that|my)\s+(?:offer|deal|sale))",
    re.IGNORECASE,
)


def _unflagged_slip_withdrawals(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """An option with no mistake of its own whose words take back a slip ("I'm sorry, I jumped
    to a sale there"), reached straight from an option that made a slip, with no `corrects:`
    (review 25ag class 2: broadband-hardship sales_offer.1's "Good recovery" left "Adapts their
    approach" undone by the sales push it took back, while the same recovery elsewhere read
    "taken back"). Only `corrects:` names a slip as taken back in every section."""
    into: dict[str, list[str]] = {}
    for st in scenario.states.values():
        for ch in st.choices:
            for m in ch.mistakes:
                if m not in into.setdefault(ch.goto, []):
                    into[ch.goto].append(m)
    out = []
    for sid, st in scenario.states.items():
        slips = into.get(sid)
        if not slips:
            continue
        for i, ch in enumerate(st.choices):
            hit = WITHDRAWAL.search(ch.text) or SLIP_BACK.search(ch.text)
            # a hand-over "in case I had that wrong" passes it on, taking nothing back; an
            # option marked on the law is the law check's below
            if not hit or ch.corrects or ch.mistakes or ch.escalate or ch.law:
                continue
            out.append(
                (
                    ("states", sid, "choices", i, "text"),
                    f"choice {scenario.choice_id(sid, i)} says {hit.group(0)!r}, on a path after "
                    f"an option that made a slip ({', '.join(slips)}), but has no corrects:; "
                    f"add corrects: naming the slip it takes back, or the debrief will call it "
                    f"never taken back",
                )
            )
    return out


def chance_warnings(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """A learner choosing uniformly at random passes more than 5% of the time or reaches a
    distinction more than 1% (exact odds over every path, `odds.random_odds`)."""
    from . import odds

    try:
        o = odds.random_odds(scenario)
    except odds.OddsTooLarge:
        return []  # too many distinct runs to count exactly; never guess
    if not o.too_high:
        return []
    return [
        (
            ("states",),
            f"a learner choosing at random passes {odds.percent(o.pass_)} of the time and "
            f"reaches a distinction {odds.percent(o.distinction)} (exact, over every path; "
            f"target at most {odds.percent(odds.PASS_ODDS)} and "
            f"{odds.percent(odds.DISTINCTION_ODDS)}): make more states decisive — fewer "
            f"acceptable options per state, and the mistakes that matter marked to fail the "
            f"attempt (a spoiled pass marking point or a failing cap: points alone never fail)",
        )
    ]


def pack_diagnostics(scenarios: list[Any], folder: str) -> dict[str, list[Diagnostic]]:
    """CT604 wording-cues, per scenario file of a folder linted with --strict: a model trained
    on the other scenarios' wording picks this one's good options more than `cues.MARGIN`
    points above chance. {file: [diagnostic]}; nothing with fewer than two scenarios."""
    from simulator.engine.loader import make

    from . import cues

    if len(scenarios) < 2:
        return {}
    result = cues.audit(scenarios, play_it=False)
    by_id = {sc.id: sc for sc in scenarios}
    out: dict[str, list[Diagnostic]] = {}
    for row in result.scenarios:
        if row.accuracy is None or row.chance is None:
            continue
        sc = by_id[row.id]
        acc = max(row.accuracy, row.second or 0.0)
        line, col = sc.position("states")
        if row.reversed:
            out.setdefault(sc.source, []).append(
                make(
                    sc.source,
                    line,
                    col,
                    "CT607",
                    f"a model trained only on the wording of the other {len(scenarios) - 1} "
                    f"scenarios in {folder} picks a good option in only {100 * acc:.0f}% of "
                    f"this scenario's {row.decisions} decisions (chance {100 * row.chance:.0f}%): "
                    f"the wording points away from the answers; run 'countertalk paths {folder} "
                    f"--cues' and give the wrong options' good-sounding words to right ones too",
                )
            )
            continue
        if not row.flagged:
            continue
        out.setdefault(sc.source, []).append(
            make(
                sc.source,
                line,
                col,
                "CT604",
                f"a model trained only on the wording of the other {len(scenarios) - 1} "
                f"scenarios in {folder} picks a good option in {100 * acc:.0f}% of "
                f"this scenario's {row.decisions} decisions (chance {100 * row.chance:.0f}%): "
                f"the wording gives the answers away; run 'countertalk paths {folder} --cues' "
                f"to see which words and states, and word right and wrong options alike",
            )
        )
    return out
