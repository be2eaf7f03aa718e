"""The debrief's promises, checked on every enumerated path of every shipped scenario (bounded:
each looping state entered at most twice, a stride sample of at most SCORE_PATHS per scenario)
and on random walks through the real session with shuffled options.

Score-level promises (every sampled path):
- no model step is credited at a turn whose own mistakes contradict it (catalogue `contradicts`);
- `in_order` is None when fewer than two steps of an ordered model were shown;
- escalation is never full marks, nor its marking point met, with no ownership, a vague
  referral or a lost customer (unless taken back, or recovered by a later turn's evidence:
  grading.yaml `recovered_by_later_evidence`, recomputed here from the path);
- the percentage is inside the band of the grade (a fail below the pass mark, a pass below the
  distinction mark, a distinction at or above it); a recovered slip stops a distinction;
- each cap appears once and names its turn; a marking point has exactly one status;
- no distinction with a lost or unresolved outcome or a misstated law; no grade above what the
  marking points allow.
View-level promises (a smaller sample, plus random walks):
- the suggested better choice makes no mistake and was on offer at that turn;
- advice is the choice's own feedback, else the mistake's advice for the topic or in general;
- no internal id reaches any rendered debrief; no order remark without an order;
- "practise next" fits the mode just played; met and missed never both hold.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from scoring import catalogue, spec
from scoring.debrief import build, render_view
from scoring.ending_claims import scenario_corrects
from scoring.paths import enumerate_paths
from scoring.scorer import GRADE_RANK, compiled, score
from scoring.strategies import play
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")  # scenarios, not their NAME.test.yaml
SCORE_PATHS = 3000  # per scenario, stride-sampled from the bounded enumeration
VIEW_PATHS = 8  # per scenario, for the (slower) debrief view
WALKS = 6  # random walks per scenario, shuffled


def _sample(items: list, n: int) -> list:
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def _transcript(ids, ending):
    return {"turns": [{"choice": c} for c in ids], "ending": ending}


def _contradicted() -> dict[str, frozenset]:
    cat = catalogue.catalogue()["mistakes"]
    return {m: frozenset(e.get("contradicts") or []) for m, e in cat.items()}


def check_score(sc, ids: list[str], s: dict) -> None:
    c = compiled(sc)
    contra = _contradicted()
    where = f"{sc.id} {ids}"
    # No step credited at a turn whose own mistake contradicts it.
    for mid, model in s["models"].items():
        shown = 0
        for behaviour, turn in model["steps"].items():
            if turn is None:
                continue
            shown += 1
            _sid, _i, ch = sc.find_choice(ids[turn - 1])
            bad = [m for m in ch.mistakes if behaviour in contra.get(m, ())]
            assert not bad, f"{where}: {mid}.{behaviour} credited at turn {turn} despite {bad}"
        ordered = next(m for m in c.step_models if m.id == mid).ordered
        if shown < 2 or not ordered:
            assert model["in_order"] is None, f"{where}: {mid} in_order without an order"
    made = {m["id"] for m in s["mistakes"]}
    # a mistake a later choice takes back (its `corrects:` names it) spoils nothing any more
    # (grading.yaml, the `withdrawn` cap): drop it from what spoils the escalation model
    for m in s["mistakes"]:
        later = [x for cid in ids[m["turn"] :] for x in scenario_corrects(sc, cid)]
        if m["id"] in later and not any(
            n["id"] == m["id"] and n["turn"] > m["turn"] for n in s["mistakes"]
        ):
            made.discard(m["id"])
    recovered = _recovered(sc, ids) & made  # (one taken back is not also recovered)
    made -= recovered
    assert {r["id"] for r in s["recovered"]} >= recovered, f"{where}: recovery not reported"
    for r in s["recovered"]:
        assert r["turn"] < r["later"], f"{where}: a slip recovered at or before its turn"
    if s["recovered"]:
        assert s["grade"] != "distinction", f"{where}: a recovered slip with a distinction"
    th, pct = s["thresholds"], s["percent"]
    lo, hi = {"fail": (0, th["pass"] - 1), "pass": (th["pass"], th["distinction"] - 1)}.get(
        s["grade"], (th["distinction"], 100)
    )
    assert lo <= pct <= hi, f"{where}: {pct}% outside the {s['grade']} band"
    outcome = sc.states[s.get("ending") or ""].end if s.get("ending") else None
    points = {p["id"]: p for p in s["marking_points"]}
    assert len(points) == len(s["marking_points"]), f"{where}: a marking point twice"
    # Escalation never full marks on no ownership / vague referral / lost.
    # (a vague word after a briefed escalation to a listed role does not spoil it:
    # grading.yaml `spoiled_unless_briefed`)
    briefed = s["escalation"]["verdict"] == "correct" and s["escalation"]["handover"]
    vague = "vague_referral" in made and not briefed
    # ... and no ownership spoils it only where a referral was made or needed (review 25aa
    # class 2: where nobody was referred, the ownership point judges the slip)
    referred = s["escalation"]["required"] or bool(s["escalation"]["escalated_to"])
    spoiled = ("no_ownership" in made and referred) or vague or outcome in ("lost", "unresolved")
    if spoiled:
        # (no percentage where escalation was not assessed on the path: review 25aq class 2)
        if s["escalation"].get("percent") is not None:
            assert s["escalation"]["percent"] < 100, f"{where}: escalation full marks"
        if "escalate_well" in points:
            assert points["escalate_well"]["status"] != "met", f"{where}: escalate_well met"
    # Each cap once, naming its turn.
    kinds = [tuple(cap["when"].items()) for cap in s["caps"]]
    assert len(kinds) == len(set(kinds)), f"{where}: a cap twice"
    reasons = [cap["reason"] for cap in s["caps"]]
    assert len(reasons) == len(set(reasons)), f"{where}: a cap reason twice"
    for cap in s["caps"]:
        assert cap["turn"], f"{where}: cap {cap['when']} names no turn"
    # No distinction with lost/unresolved/law misstated, nor beyond the marking points.
    if s["grade"] == "distinction":
        assert outcome not in ("lost", "unresolved"), where
        assert not s["law"]["wrong"], where
        assert all(p["status"] != "missed" for p in s["marking_points"]), where
    assert GRADE_RANK[s["grade"]] <= GRADE_RANK[s["standard_grade"]], where
    if s["law"]["wrong"] and not s["law_corrected"]["corrected"]:
        assert s["grade"] == "fail", f"{where}: uncorrected misstatement not a fail"
        assert points.get("follow_rules", {}).get("status") != "met", where


def _recovered(sc, ids: list[str]) -> set[str]:
    """The slips of grading.yaml `recovered_by_later_evidence` whose LAST occurrence is followed
    by a turn showing their evidence (not contradicted by that turn's own mistakes, not making
    the slip again; a briefed escalation to a listed role where `escalation:handover` is
    evidence), worked out from the path, not from the scorer."""
    rules = spec.grading().get("recovered_by_later_evidence") or {}
    contra = _contradicted()
    choices = [sc.find_choice(cid)[2] for cid in ids]
    listed = {"_".join(r.casefold().replace("-", " ").split()) for r in sc.escalation.to}
    out = set()
    for mid, rule in rules.items():
        turns = [i for i, ch in enumerate(choices) if mid in ch.mistakes]
        if not turns:
            continue
        if _kept_or_outweighed(sc, mid, rule, choices, turns, contra):
            out.add(mid)
            continue
        evidence = set(rule.get("evidence") or [])
        for k in range(turns[-1] + 1, len(choices)):
            ch = choices[k]
            no = set().union(*(contra.get(m, ()) for m in ch.mistakes))
            shown = {b for b in ch.shows if b not in no}
            handover_so_far = any(
                "handover" in c.shows
                and "handover" not in set().union(*(contra.get(m, ()) for m in c.mistakes))
                for c in choices[: k + 1]
            )
            briefed = (
                "escalation:handover" in evidence
                and sc.escalation.required
                and ch.escalate is not None
                and "_".join(ch.escalate.casefold().replace("-", " ").split()) in listed
                and handover_so_far
            )
            # `owned_follow_up` (review 25f D6): an earlier briefed escalation to a listed role,
            # then this turn's own follow-up
            owned = rule.get("owned_follow_up") or {}
            was_briefed = (
                "escalation:handover" in (owned.get("owned") or [])
                and sc.escalation.required
                and _briefed_before(choices, k, listed, contra)
            )
            follow = bool(shown & set(owned.get("then") or [])) and mid not in ch.mistakes
            if shown & evidence or briefed or (was_briefed and follow):
                out.add(mid)
                break
    return out


def _kept_or_outweighed(sc, mid: str, rule: dict, choices: list, turns: list, contra) -> bool:
    """grading.yaml `kept_case` (review 25m D2; only where escalation is not required) or
    `outweighed` (D1), from the path: the slip made once; any `before` behaviour shown before
    it; every `acted` behaviour shown after it at turns making no mistake; then, at that or a
    later turn not making it, a `then` behaviour, with no other mistake standing (made and not
    named by a later choice's `corrects:`)."""
    kept = rule.get("kept_case") if not sc.escalation.required else None
    kept = kept or rule.get("outweighed")
    if not kept or len(turns) != 1:
        return False
    t = turns[0]

    def shown(c: Any) -> set[str]:
        no = set().union(*(contra.get(m, ()) for m in c.mistakes))
        return {b for b in c.shows if b not in no}

    before = set(kept.get("before") or [])
    if before and not any(shown(c) & before for c in choices[:t]):
        return False
    need = set(kept.get("acted") or [])
    got: set[str] = set()
    for j in range(t + 1, len(choices)):
        ch = choices[j]
        if not ch.mistakes:
            got |= shown(ch) & need
        if got < need or not shown(ch) & set(kept.get("then") or []) or mid in ch.mistakes:
            continue
        standing = {
            (m, i)
            for i, c in enumerate(choices[: j + 1])
            for m in c.mistakes
            if m != mid and not any(m in (x.corrects or ()) for x in choices[i + 1 : j + 1])
        }
        if not standing:
            return True
    return False


def _briefed_before(choices: list, k: int, listed: set[str], contra: dict) -> bool:
    """Before turn k: an escalation to a listed role, and an escalation made with a handover
    shown by then (the scorer's ESC_LISTED and ESC_HANDOVER flags)."""

    def credited(c: Any, b: str) -> bool:
        return b in c.shows and b not in set().union(*(contra.get(m, ()) for m in c.mistakes))

    went = [(j, c) for j, c in enumerate(choices[:k]) if c.escalate is not None]
    to_listed = any(
        "_".join(c.escalate.casefold().replace("-", " ").split()) in listed for _j, c in went
    )
    handed = any(any(credited(x, "handover") for x in choices[: j + 1]) for j, _c in went)
    return to_listed and handed


INTERNAL = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def _internal_ids(sc) -> set[str]:
    cat = catalogue.catalogue()
    ids = set(cat["behaviours"]) | set(cat["mistakes"]) | set(catalogue.law_keys())
    ids |= {"not_needed", "wrong_role"}
    ids |= {mp["id"] for mp in spec.grading()["marking_points"]}
    ids |= {p["id"] for p in spec.course_points()["points"]}
    ids |= {s for s in sc.states if "_" in s}
    return ids


def check_view(sc, t: dict, mode: str) -> None:
    t = dict(t, mode=mode)
    d = build(sc, t)
    c = compiled(sc)
    where = f"{sc.id} {[x['choice'] for x in t['turns']]}"
    rt = Runtime(sc)
    session = rt.new_session(seed=int(t.get("seed") or 0))
    offered_at = []
    for turn in t["turns"]:
        offered_at.append({o.choice_id for o in session.offered()})
        session.choose_id(turn["choice"])
    session.close()
    for m in d["mistakes"]:
        b = m["better"]
        if b is not None:
            assert not c.fx[b["choice"]].mistakes, f"{where}: better {b['choice']} has mistakes"
            assert b["choice"] in offered_at[m["turn"] - 1], f"{where}: better not on offer"
        _sid, _i, ch = sc.find_choice(t["turns"][m["turn"] - 1]["choice"])
        entry = catalogue.catalogue()["mistakes"][m["id"]]
        allowed = {
            " ".join(str(x).split())
            for x in (
                d["turns"][m["turn"] - 1]["feedback"],
                (entry.get("advice_by_topic") or {}).get(sc.topic),
                entry.get("advice"),
            )
            if x
        }
        assert m["advice"] in allowed, f"{where}: advice not specific"
        if d["turns"][m["turn"] - 1]["feedback"]:
            assert m["advice"] == d["turns"][m["turn"] - 1]["feedback"], where
    for model in d["models"]:
        if model["in_order"] is None:
            assert model["order_note"] is None or not model["ordered"], where
    met = {p["id"] for p in d["marking_points"]["met"]}
    missed = {p["id"] for p in d["marking_points"]["missed"]}
    assert not met & missed, where
    cmet = {p["id"] for p in d["course_points"]["met"]}
    cmissed = {p["id"] for p in d["course_points"]["missed"]}
    assert not cmet & cmissed, where
    if mode == "assess":
        assert "assessment mode" not in d["practise"]["text"], where
    ids = _internal_ids(sc)
    for fmt in ("text", "md", "html"):
        out = render_view(d, fmt)
        leaked = {w for w in INTERNAL.findall(out) if w in ids}
        assert not leaked, f"{where}: internal ids in the {fmt} debrief: {sorted(leaked)}"


@pytest.fixture(scope="module", params=[p.name for p in SHIPPED])
def scenario(request):
    return load_scenario(ROOT / "scenarios" / request.param)


def test_every_enumerated_path_keeps_the_score_promises(scenario):
    paths = enumerate_paths(scenario, limit=200_000)
    assert paths
    for ids, ending in _sample(paths, SCORE_PATHS):
        t = _transcript(ids, ending)
        s = score(scenario, t)
        s["ending"] = ending
        check_score(scenario, ids, s)


def test_debrief_views_keep_their_promises(scenario):
    paths = enumerate_paths(scenario, limit=200_000)
    endings = {}
    for ids, ending in paths:  # every ending at least once, then a stride sample
        endings.setdefault(ending, (ids, ending))
    chosen = list(endings.values()) + _sample(paths, VIEW_PATHS)
    for i, (ids, _ending) in enumerate(chosen):
        s = Runtime(scenario).new_session(seed=0)
        s.replay(ids)
        t = s.transcript()
        check_view(scenario, t, "assess" if i % 2 else "practice")


def test_random_walks_with_shuffled_options(scenario):
    shuffled = scenario.replaced(shuffle=True)
    rng = random.Random(scenario.id)
    for _ in range(WALKS):
        t = play(shuffled, "random", rng.randrange(10**6))
        s = score(shuffled, t)
        s["ending"] = t["ending"]
        check_score(shuffled, [x["choice"] for x in t["turns"]], s)
        if t["ending"]:
            check_view(shuffled, t, rng.choice(["practice", "assess"]))


def test_the_checks_can_fail():
    """The checks above are not vacuous: doctored scores and views trip them."""
    sc = load_scenario(ROOT / "scenarios" / "faulty-toaster-day12.yaml")
    paths = enumerate_paths(sc, limit=5000)
    lost = next((ids, e) for ids, e in paths if sc.states[e].end == "lost")
    s = score(sc, _transcript(*lost))
    s["ending"] = lost[1]
    check_score(sc, lost[0], s)
    bad = dict(s, grade="distinction")
    with pytest.raises(AssertionError):
        check_score(sc, lost[0], bad)
    twice = dict(s, caps=s["caps"] + s["caps"][:1])
    if s["caps"]:
        with pytest.raises(AssertionError):
            check_score(sc, lost[0], twice)
    full = dict(s, escalation=dict(s["escalation"], percent=100))
    with pytest.raises(AssertionError):
        check_score(sc, lost[0], full)
