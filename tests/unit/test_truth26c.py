"""Review 26a (tests/calibration/reviews/review26a.md), classes 1-3: every debrief sentence true
of the path. Each class is replayed on the play the examiner flagged (tests/calibration/
review26a.yaml, with its seed) and checked as a rule over the pack:

1. an escalation taken back did not happen: no section judges it as a hand-off (play 09);
2. advice said once for several turns of one mistake is true of each of them (play 09);
3. an act whose conduct stands broken is never "applied correctly", and applying it is no
   evidence for a marking point while it stands broken (play 12);

and, of its borderline notes, play 04: a slip taken back is said as what that line did (its
own `explain:`), not as the catalogue's "the customer's own fault".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring import debrief, spec
from scoring.scorer import Compiled
from simulator.engine.loader import load_scenario, scenario_files
from tests.replay import (
    assessed,
    assessed_transcript,
    first_problems,
    review_play,
    text,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 12  # per scenario, stride-sampled


def _play(n: int) -> tuple[dict[str, Any], str]:
    scenario, seed, ids = review_play("review26a", n)
    _t, v = assessed(scenario, seed, ids)
    return v, " ".join(text(v).split())


def _section(said: str, start: str, end: str) -> str:
    return said.split(start, 1)[1].split(end, 1)[0]


# -- class 1: an escalation taken back -------------------------------------------------------


def test_class1_play09_the_taken_back_escalation_is_no_hand_off_in_any_section() -> None:
    """Turn 2 "I'll pass it to them", turn 3 "I'll keep hold of the case": nothing was passed
    on, so neither the escalation section nor a marking point says it was."""
    v, said = _play(9)
    esc = _section(said, "Escalation: ", "The law:")
    assert "passed the customer on" not in esc
    assert "without a handover summary" not in esc
    assert (
        "At turn 2 you said you would pass the case to the head office, then took it back at turn 3"
        in esc
    )
    assert "the case was passed on though" not in said
    assert v["escalation"]["escalations"] == []


# The mistakes of passing a case on that a later `corrects:` takes back with the escalation
# (grading.yaml escalation.withdrawn_by).
_WITHDRAWN_BY = set(spec.grading()["escalation"]["withdrawn_by"])

# Take-backs the rule finds still unmarked: adding their `corrects:` lifts the scenario's
# random pass odds over 5% (phone-screen-refit 4.6 -> 6.7%, late-delivery-recovery 4.8 ->
# 6.0%), which needs the scenario made more decisive first (scenario owners). Listed so the
# test fails once either is marked, and the entry must go.
_PENDING = {
    ("phone-screen-refit", "manager_called.3"),
    ("phone-screen-refit", "manager_called.4"),
    ("late-delivery-recovery", "cold_transfer.1"),
}


def _unmarked_take_backs(path: Path) -> set[tuple[str, str]]:
    """Each choice that returns to the case straight after an escalation, in a scenario that
    needs none, that made a slip of passing it on (it neither escalates nor briefs anyone, and does not go on to an ending
    where the case was passed on) and whose `corrects:` does not take those slips back."""
    data = yaml.safe_load(path.read_text("utf-8"))
    states = data.get("states") or {}
    out: set[tuple[str, str]] = set()
    if (data.get("escalation") or {}).get("required"):
        # the case must be passed on: hearing the story out before the hand-off is no taking
        # back (compensation-beyond-authority early_handoff.1 stays a premature escalation)
        return out
    for st in states.values():
        for ch in st.get("choices") or []:
            slips = set(ch.get("mistakes") or []) & _WITHDRAWN_BY
            nxt = states.get(ch.get("goto"), {})
            if not ch.get("escalate") or not slips or "end" in nxt:
                continue
            for j, back in enumerate(nxt.get("choices") or [], 1):
                then = states.get(back.get("goto"), {})
                if (
                    back.get("escalate")
                    or "handover" in (back.get("shows") or [])
                    or then.get("end") == "escalated"
                ):
                    continue
                if not slips <= set(back.get("corrects") or []):
                    out.add((data["id"], f"{ch['goto']}.{j}"))
    return out


def test_class1_every_return_to_the_case_takes_the_escalation_back() -> None:
    """Pack-wide: a choice that keeps the case after an escalation carries the `corrects:` that
    withdraws it, so no section judges a hand-off that did not happen."""
    found: set[tuple[str, str]] = set()
    for f in SHIPPED:
        found |= _unmarked_take_backs(f)
    assert found == _PENDING, sorted(found ^ _PENDING)


def _taken_back_problems(sc: Any, t: dict[str, Any]) -> list[str]:
    v = debrief.build(sc, t)
    esc = v["escalation"]
    if esc["escalations"] or not (v["score"]["escalation"].get("withdrawn")):
        return []
    out = []
    for phrase in ("passed the customer on", "without a handover summary"):
        if phrase in esc["note"]:
            out.append(f"escalation taken back, yet {phrase!r}")
    if "took it back" not in esc["note"]:
        out.append("escalation taken back, not said")
    for mp in v["marking_points"]["missed"]:
        if "passed on" in str(mp.get("why") or ""):
            out.append(f"escalation taken back, yet {mp['label']!r}: {mp['why']!r}")
    return out


_TAKE_BACK_SCENARIOS = [
    "laptop-month7",
    "faulty-toaster-day12",
    "reasonable-adjustment",
]


@pytest.mark.parametrize("sid", _TAKE_BACK_SCENARIOS)
def test_class1_sampled_paths_say_a_taken_back_escalation_as_taken_back(sid: str) -> None:
    sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
    found = first_problems(sc, 40, _taken_back_problems)
    assert not found, found


# -- class 2: advice grouped over several turns ---------------------------------------------

_TURNS = re.compile(r"^Turns? ([\d, ]+(?:and \d+)?): (.*)$", re.S)


def _grouped_problems(sc: Any, t: dict[str, Any]) -> list[str]:
    """A thing to change that cites several turns of one mistake says advice true of each:
    every cited turn's own advice, or the mistake's general advice."""
    v = debrief.build(sc, t)
    out = []
    for item in v["change"]:
        m = _TURNS.match(item["text"])
        if not m:
            continue
        turns = {int(n) for n in re.findall(r"\d+", m.group(1))}
        advice = " ".join(m.group(2).split())
        same = [
            x for x in v["mistakes"] if x["turn"] in turns and x.get("practise") == item["title"]
        ]
        if len(turns) < 2 or not same:
            continue
        own = {" ".join(str(x["advice"]).split()) for x in same}
        general = {" ".join(str(x["general_advice"]).split()) for x in same}
        if advice in general or own == {advice}:
            continue
        out.append(f"{item['title']}: advice for turns {sorted(turns)} not true of each")
    return out


def test_class2_play09_ownership_advice_is_true_of_every_turn_it_cites() -> None:
    """Turns 4 and 8 (no ownership, with different feedback): not "Running a colleague down"
    (turn 1 only), nor turn 4's warranty advice for turn 8."""
    v, said = _play(9)
    change = _section(said, "Two things to change:", "The detail follows.")
    assert "Running a colleague down" not in change
    assert "The warranty is an extra" not in change
    scenario, seed, ids = review_play("review26a", 9)
    t, _v = assessed(scenario, seed, ids)
    assert _grouped_problems(load_scenario(ROOT / "scenarios" / f"{scenario}.yaml"), t) == []


def test_class2_the_check_finds_advice_for_one_turn_given_for_two(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not vacuous: the play-09 mistakes with turn 1's advice forged over turns 1 and 4."""
    scenario, seed, ids = review_play("review26a", 9)
    t, _v = assessed(scenario, seed, ids)
    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    real = debrief.build

    def forged(*a: Any, **k: Any) -> dict[str, Any]:
        out = real(*a, **k)
        own = [x for x in out["mistakes"] if x["id"] == "no_ownership"]
        out["change"] = [
            {"title": own[0]["practise"], "text": f"Turns 1 and 4: {own[0]['advice']}"}
        ]
        own[0]["turn"], own[-1]["turn"] = 1, 4
        return out

    monkeypatch.setattr(debrief, "build", forged)
    assert _grouped_problems(sc, t)


# -- class 3: an act both broken and applied correctly ---------------------------------------


def test_class3_play12_the_overshare_is_not_also_applied_correctly() -> None:
    """Turn 5 sent the whole log, names and all, by a restricted folder: the secure route was
    right, the data was not; the law section never lists that act as applied correctly, and
    "applying the law correctly" is no evidence for a marking point."""
    v, said = _play(12)
    law = _section(said, "The law:", "Mistakes:")
    assert "Applied correctly" not in law
    assert "Shown by: applying the law correctly" not in said
    missed = {p["id"] for p in v["marking_points"]["missed"]}
    assert "explain_clearly" in missed


def _broken_problems(sc: Any, t: dict[str, Any]) -> list[str]:
    v = debrief.build(sc, t)
    out = []
    standing = {b["act"] for b in v["law"]["breached"] if not b.get("withdrawn")}
    for r in v["law"]["right_acts"]:
        if r["act"] in standing:
            out.append(f"{r['act']} both broken and applied correctly")
    said = text(v)
    if "Shown by: applying the law correctly" in said and not v["law"]["right"]:
        out.append("'applying the law correctly' as evidence, with no law applied correctly")
    return out


def test_class3_broken_acts_reads_breach_bits_and_failing_conduct() -> None:
    """The scorer's rule, directly: a standing breach bit, or a standing failing mistake whose
    conduct breaks the act (oversharing: data protection), breaks that act."""
    sc = load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml")
    c = Compiled(sc)
    dpa = c.act_bit["data_protection_act_2018"]
    assert c.broken_acts(0) == 0
    assert c.broken_acts(c.mbit["oversharing"]) & dpa
    key = c.key_bit["data_protection_act_2018.data_minimisation"]
    assert c.broken_acts(key << c.breach_shift) & dpa
    t = assessed_transcript(sc, review_play("review26a", 12)[2], seed=1712)
    assert _broken_problems(sc, t) == []


# -- borderline, play 04: a withdrawn slip said as what this line did --------------------------


def test_play04_the_repair_shop_blame_taken_back_is_not_said_as_blaming_her() -> None:
    """Turn 2 asked whether the repair shop caused it (its own `explain:` says so) and turn 3
    took it back: the Mistakes section never says she was blamed for her own fault."""
    _v, said = _play(4)
    mistakes = _section(said, "Mistakes:", "Mood:")
    assert "customer's own fault" not in mistakes
    assert "the repair shop she chose caused the fault" in mistakes
    assert "You then took it back later in the conversation." in mistakes


def _withdrawn_problems(sc: Any, t: dict[str, Any]) -> list[str]:
    """A slip taken back on an option with its own `explain:` is explained by that text."""
    v = debrief.build(sc, t)
    out = []
    for m in v["mistakes"]:
        if not m.get("withdrawn") or m.get("stopped"):
            continue
        _sid, _i, ch = sc.find_choice(t["turns"][m["turn"] - 1]["choice"])
        own = (ch.explain or {}).get(m["id"])
        if own and not str(m["explanation"]).startswith(" ".join(own.split())[:40]):
            out.append(f"turn {m['turn']} {m['id']}: taken back, not said as its own explain")
    return out


def _pack_problems(sc: Any, t: dict[str, Any]) -> list[str]:
    return _grouped_problems(sc, t) + _broken_problems(sc, t) + _withdrawn_problems(sc, t)


@pytest.mark.parametrize("path", [pytest.param(f, id=f.stem) for f in SHIPPED])
def test_classes_2_3_and_play04_hold_over_sampled_paths_of_the_pack(path: Path) -> None:
    """Pack-wide: grouped advice true of each turn it cites (class 2); no act both broken and
    applied correctly, nor "applying the law correctly" cited with none applied (class 3); a
    withdrawn slip said as its own option's explanation (play 04)."""
    sc = load_scenario(path)
    found = first_problems(sc, PATHS, _pack_problems)
    assert not found, found
