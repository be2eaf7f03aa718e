"""One verdict per Act per path in the data scenarios (issue 25, review25u class A).

The review (branch review25u, review/REVIEW.md, plays 06, 07 and 16) found the sections of one
debrief judging the same data-protection conduct differently: the law paragraph said "never put
it right" while the grade's "Why" called it a distinction-stopper and the keep list said the
Act was "applied correctly" (sar-by-phone seed 806); "never put it right" for a request the
learner withdrew the next turn, beside "You applied the law correctly" (relative-asks seed
807); "Checks who they are dealing with" Met beside the mistake of starting on the account
before checking (correct-and-erase seed 816).

For enumerated paths (stride-sampled) and random walks of the four data scenarios, every Act's
verdict is checked across the sections:

- conduct contrary to an Act (`law: {KEY: breached}`) never put right fails the attempt, is
  never "applied correctly" in the keep list, leaves "applies the law ... correctly" missed, and
  the law paragraph never also says "You applied the law correctly";
- a breach put right is said as put right at the turn that did it, never "never put it right";
- the law paragraph quotes each breached rule once, the rule that conduct broke;
- a marking point is never Met while one of its spoiling mistakes stands on the path, and a Met
  point whose spoiling mistake was taken back says so, beside the cap that stops a distinction.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from scoring import debrief, spec
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from tests.replay import sampled_paths

ROOT = Path(__file__).resolve().parents[2]
DATA = [
    "sar-by-phone",
    "relative-asks-about-account",
    "correct-and-erase",
    "internal-customer-finance",
]
SAMPLED = 40  # stride-sampled enumerated paths per scenario
WALKS = 40  # random walks per scenario


def _walk(sc: Any, rng: random.Random) -> dict[str, Any] | None:
    """A learner choosing at random among the options shown, to an ending."""
    s = Runtime(sc).new_session(seed=rng.randrange(1000))
    for _ in range(60):
        if s.ended:
            break
        offered = s.offered()
        if not offered:
            return None
        s.choose(rng.randrange(len(offered)) + 1)
    return s.transcript() if s.ended else None


def _transcripts(sc: Any) -> list[dict[str, Any]]:
    out = []
    for ids in sampled_paths(sc, SAMPLED, limit=50_000):
        s = Runtime(sc).new_session(seed=0)
        s.replay(ids)
        out.append(s.transcript())
    rng = random.Random(sc.id)
    for _ in range(WALKS):
        t = _walk(sc, rng)
        if t is not None:
            out.append(t)
    return out


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    """Where this debrief's sections judge one Act (or one point) two ways."""
    t = {**t, "mode": "assess"}
    v = debrief.build(sc, t)
    s = v["score"]
    out: list[str] = []
    law = v["law"]
    standing = [b for b in law["breached"] if not b.get("withdrawn")]
    kept = {k["title"] for k in v["keep"]}
    met = {p["id"] for p in v["marking_points"]["met"]}
    for b in standing:
        if s["grade"] != "fail":
            out.append(
                f"{b['id']} breached at turn {b['turn']}, never put right, graded {s['grade']}"
            )
        if f"{b['act']}, applied correctly" in kept:
            out.append(f"{b['act']} kept as applied correctly beside a breach never put right")
        if "follow_rules" in met:
            out.append("'applies the law correctly' met beside a breach never put right")
        if "You applied the law correctly" in law["note"]:
            out.append("'You applied the law correctly' beside a breach never put right")
        if b.get("breach_rule", b["rule"]) not in law["note"]:
            out.append(f"the rule quoted for {b['id']} is not the one its conduct broke")
    for b in law["breached"]:
        if b.get("withdrawn"):
            # an offer (`law: offered`) is taken back, conduct put right (truth25bb)
            said, never = (
                (f"took it back at turn {b['withdrawn']}", "never took it back")
                if b.get("offered")
                else (f"put it right at turn {b['withdrawn']}", "never put it right")
            )
            if said not in b["sentence"] or never in b["sentence"]:
                out.append(f"{b['id']} withdrawn at {b['withdrawn']} but said: {b['sentence']!r}")
    rules = re.findall(r"The rule: ([^.]+)\.", law["note"])
    if len(rules) != len(set(rules)):
        out.append("the law paragraph quotes the same rule twice")
    # a point is never met beside its own spoiling mistake standing (a slip recovered by later
    # evidence spoils no pass point; a withdrawn one is said with its turns)
    gone = {(w["id"], w["turn"]) for w in s.get("withdrawn") or []}
    recovered = {r["id"] for r in s.get("recovered") or []}
    corrected = bool((s.get("law_corrected") or {}).get("corrected"))
    points = {mp["id"]: mp for mp in spec.grading()["marking_points"]}
    for p in v["marking_points"]["met"]:
        spoilers = set(points[p["id"]].get("spoiled_by") or [])
        esc = s["escalation"]
        if esc["verdict"] == "correct" and esc["handover"]:  # grading.yaml: forgiven if briefed
            spoilers -= set(points[p["id"]].get("spoiled_unless_briefed") or [])
        if "escalation:good" in (points[p["id"]].get("shown") or []) and not (
            esc["required"] or esc["escalated_to"]
        ):
            # nobody referred where nothing needed referring: a slip of ownership is judged by
            # the ownership point, not the escalation point (review 25aa class 2)
            spoilers -= set(spec.grading()["escalation"].get("spoiled_only_when_referred") or [])
        for m in s["mistakes"]:
            if m["id"] not in spoilers or (m["id"] == "misstates_law" and corrected):
                continue
            if (m["id"], m["turn"]) in gone:
                # an action stopped before it took effect (moderation25.md cases 1-2) is said
                # as "stopped at turn N before it took effect"
                said_back = "taken back at turn" in p["shown_by"] or (
                    "before it took effect" in p["shown_by"]
                )
                if m["id"] != "beyond_remit" and not said_back:
                    out.append(f"{p['id']} met without saying {m['id']} was taken back")
                continue
            # a slip made up for by later evidence spoils no marking point, pass or distinction
            # (review 25aw class 3, truth25ax; the recovered cap still stops a distinction)
            if m["id"] in recovered:
                continue
            out.append(f"{p['id']} met beside {m['id']} standing at turn {m['turn']}")
    return out


@pytest.mark.parametrize("sid", DATA)
def test_one_verdict_per_act_on_every_path(sid: str) -> None:
    sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
    found: dict[str, str] = {}
    for t in _transcripts(sc):
        for p in problems(sc, t):
            found.setdefault(p, " ".join(str(x.get("choice")) for x in t["turns"]))
    assert not found, "\n".join(f"{p}\n    e.g. path: {ids}" for p, ids in found.items())


def _replay(sid: str, ids: list[str]) -> tuple[Any, dict[str, Any]]:
    sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    return sc, s.transcript()


def test_the_review_plays_read_one_way() -> None:
    """The three plays the review flagged (review25u plays 06, 07, 16), read as it read them."""
    sc, t = _replay(
        "sar-by-phone",
        ["opening.3", "not_recognised.1", "caller_explains.3", "early_disclosure.2"],
    )
    assert problems(sc, t) == []
    v = debrief.build(sc, {**t, "mode": "assess"})
    assert v["score"]["grade"] == "fail"
    assert "never put it right" in v["score"]["grade_reason"]
    assert v["law"]["note"].count("The rule:") == 1
    sc, t = _replay(
        "relative-asks-about-account",
        [
            "opening.1",
            "explains.1",
            "explains_why.3",
            "asked_security.1",
            "explains_why.1",
            "routes_explained.1",
            "call_arranged.1",
            "plan_confirm.1",
            "wrap_up.1",
        ],
    )
    assert problems(sc, t) == []
    note = debrief.build(sc, {**t, "mode": "assess"})["law"]["note"]
    # Review25as class 3 (truth25au): asking the daughter for the security answers discloses
    # nothing (brief fact 19c) and breaches no rule, so the law is not read as broken at all
    assert "never put it right" not in note and "disclosed" not in note
    assert note.startswith("You applied the law correctly."), note
    sc, t = _replay(
        "correct-and-erase",
        [
            "opening.1",
            "explains.2",
            "unverified_change.1",
            "id_check.1",
            "marketing.1",
            "erasure.1",
            "who_handles.1",
            "closing.1",
        ],
    )
    assert problems(sc, t) == []
    met = debrief.build(sc, {**t, "mode": "assess"})["marking_points"]["met"]
    ident = next(p for p in met if p["id"] == "checks_identity")
    # an action stopped before it took effect (moderation25.md cases 1-2): said as stopped
    assert "stopped at turn 3 before it took effect" in ident["shown_by"]


def test_the_check_finds_what_it_looks_for() -> None:
    """Not vacuous: the review's own debriefs (as main wrote them) are caught."""
    sc, t = _replay(
        "sar-by-phone",
        ["opening.3", "not_recognised.1", "caller_explains.3", "early_disclosure.2"],
    )
    real = debrief.build

    def forged(*a: Any, **k: Any) -> dict[str, Any]:
        v = real(*a, **k)
        act = v["law"]["breached"][0]["act"]
        v["keep"] = [{"title": f"{act}, applied correctly", "text": "Turn 2."}]
        v["law"]["note"] += " You applied the law correctly."
        v["score"] = {**v["score"], "grade": "pass"}
        return v

    debrief.build = forged  # type: ignore[assignment]
    try:
        found = problems(sc, t)
    finally:
        debrief.build = real  # type: ignore[assignment]
    assert any("graded pass" in p for p in found)
    assert any("kept as applied correctly" in p for p in found)
    assert any("You applied the law correctly" in p for p in found)
