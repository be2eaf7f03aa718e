"""Each cap cites the same turns in every section that says its fact, and names every instance
(issue 25).

Two debriefs on main read true but not alike: a toaster path with two slips taken back (turn 2,
put right at turn 3; turn 4, put right at turn 5) whose grade line and cap line named only the
first, and a data call whose grade line cited "(turn 3)" for conduct the law section put at
"turns 3 and 4". Each section had worked its turns out its own way. Now the scorer records every
instance of a cap (`turns`, and `pairs` for a slip and the turn that put it right) from the same
per-turn records the sections read, and one wording (scorer.cap_words) says it in the grade line
and the cap line. Over enumerated paths (stride-sampled) of every shipped scenario:

- every turn the cap line or the grade line cites for a cap is a turn of its instances, and every
  instance's turns are cited (all instances named);
- the instances are those of the section that describes the fact: the mistakes still standing
  (a mistake cap), the law section's conduct never put right (law: breached; conduct a failing
  mistake of its own grades, such as oversharing, is named by that mistake's cap), the misstatements
  still standing (law: uncorrected), each slip with the turn that took it back (withdrawn, law:
  corrected), the referrals to a role that cannot deal with it (escalation: also_wrong_role);
- the ending's `path.escalated` is the scorer's `escalated_to`: an escalation the learner
  withdrew is in neither.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring import debrief, spec
from scoring.scorer import compiled
from simulator.engine import pathctx
from simulator.engine.loader import load_scenario, scenario_files
from tests.replay import first_problems

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 30  # per scenario, stride-sampled from the bounded enumeration

_TURNS = re.compile(r"\bturns? (\d+(?:(?:, | and )\d+)*)")


def cited(text: str) -> set[int]:
    """Every turn number a sentence cites ("turn 3", "turns 3 and 4", "turns 2, 3 and 5")."""
    return {int(n) for m in _TURNS.finditer(text) for n in re.findall(r"\d+", m.group(1))}


def section_instances(cap: dict[str, Any], v: dict[str, Any]) -> set[Any] | None:
    """The instances of a cap's fact as the section that describes it lists them: turns, or
    (turn, turn put right) pairs; None for a cap no section lists by turn."""
    ((kind, value),) = cap["when"].items()
    mistakes = v["mistakes"]
    if kind == "mistake":
        return {m["turn"] for m in mistakes if m["id"] == value and not m["withdrawn"]}
    if kind == "law" and value == "breached":
        return {t for b in v["law"]["breached"] if not b.get("withdrawn") for t in b["turns"]}
    if kind == "law" and value in ("uncorrected", "wrong"):
        return {m["turn"] for m in mistakes if m["id"] == "misstates_law" and not m["withdrawn"]}
    if kind == "law" and value == "corrected":
        return {
            (m["turn"], m["withdrawn"])
            for m in mistakes
            if m["id"] == "misstates_law" and m["withdrawn"] and m["withdrawn"] != m["turn"]
        }
    if kind == "withdrawn":
        return {
            (m["turn"], m["withdrawn"])
            for m in mistakes
            if m["id"] != "misstates_law"
            and m["withdrawn"]
            and m["withdrawn"] != m["turn"]
            # a slip stopped before it took effect takes no cap (moderation25.md cases 1-2)
            and not m.get("stopped")
        }
    if kind == "escalation" and value == "also_wrong_role":
        return set(v["score"]["escalation"].get("wrong_role_turns") or [])
    return None


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    v = debrief.build(sc, t)
    s = v["score"]
    out: list[str] = []
    cap_lines = [
        x
        for x in debrief.render_view(v, "text").splitlines()
        if x.startswith(("At most ", "Would also stop a distinction "))
    ]
    for cap, shown in zip(s["caps"], v["method"]["caps"], strict=True):
        name = str(next(iter(cap["when"].values())))
        if cap["when"] == {"recovered": True}:
            continue  # each recovered slip's reason names its own turns (test_debrief_turns)
        listed = section_instances(cap, v)
        pairs = {tuple(p) for p in cap.get("pairs") or []}
        if cap.get("reason_turns") and not pairs:
            pairs = {(cap["turn"], cap["later"])}
        turns = cap.get("turns") or ([cap["turn"]] if cap.get("turn") else [])
        mine: set[Any] = pairs if kind_pairs(cap) else set(turns)
        if cap["when"] == {"law": "breached"}:
            # conduct whose own failing mistake grades it (discrimination, oversharing) is
            # named by that mistake's cap at the same turn; the rest by this one, every turn
            by_mistake = {n for x in s["caps"] if "mistake" in x["when"] for n in x["turns"]}
            if listed is not None and not (mine <= listed <= mine | by_mistake):
                out.append(f"cap '{name}' cites {sorted(mine)}, its section {sorted(listed)}")
        elif listed is not None and mine and mine != listed:
            out.append(f"cap '{name}' cites {sorted(mine)}, its section {sorted(listed)}")
        want = set(turns) | {b for _a, b in pairs}
        line = next(x for x in cap_lines if shown["reason"] in x)
        if cited(line) != want:
            out.append(f"cap line for '{name}' cites {sorted(cited(line))}, not {sorted(want)}")
        if v["grade_line"] and cap["grade"] == s["grade"] and s["grade"] != "distinction":
            # the grade line names this cap with every turn it cites
            if not want <= cited(v["grade_line"]):
                out.append(
                    f"grade line cites {sorted(cited(v['grade_line']))}, not all of "
                    f"{sorted(want)} for '{name}'"
                )
    out += instances_named(v, debrief.render_view(v, "text"))
    c = compiled(sc)
    taken = [(x["choice"], sc.find_choice(x["choice"])[2]) for x in t["turns"]]
    path = pathctx.path_context(taken, [])  # what an ending's texts read as `path`
    if path["escalated"] != s["escalation"]["escalated_to"]:
        out.append(
            f"path.escalated {path['escalated']} but the score escalated to "
            f"{s['escalation']['escalated_to']}"
        )
    esc_turns = s["escalation"].get("turns") or []
    if [c.fx[t["turns"][n - 1]["choice"]].escalate for n in esc_turns] != s["escalation"][
        "escalated_to"
    ]:
        out.append("the escalation turns are not the turns of the roles escalated to")
    return out


def instances_named(v: dict[str, Any], txt: str) -> list[str]:
    """Review 25aa's left-overs (tests/unit/test_review25ah.py), over every sampled path: the
    practise line's cost cites every turn its mistake stands at; a bracketed cap reason gets no
    second pair of brackets; the law section says "turns 4 and 5", never "turn 4, 5", and no
    line twice; a marking point met after slips names every slip that spoils it."""
    out: list[str] = []
    pr = v["practise"]
    mine = [m for m in v["mistakes"] if m["id"] == pr.get("mistake")]
    if mine and not any(m["withdrawn"] for m in mine if m["turn"] == pr.get("turn")):
        want = {m["turn"] for m in mine if not m["withdrawn"]}
        # (a practise line whose why names no turn, such as a breach's, is not this check's)
        if cited(pr["why"]) and cited(pr["why"]) != want:
            out.append(
                f"practise cites {sorted(cited(pr['why']))}, its mistake stands at {sorted(want)}"
            )
    if re.search(r"\) \(turns? \d", v.get("grade_line") or ""):
        out.append("the grade line brackets a bracketed reason again")
    law = txt[txt.index("The law:") : txt.index("Mistakes")] if "The law:" in txt else ""
    if re.search(r"\b[Tt]urn \d+, \d", law + " ".join(k["text"] for k in v["keep"])):
        out.append("a law line or a thing to keep says 'turn N, M'")
    lines = [x for x in law.splitlines() if x.strip()]
    if len(lines) != len(set(lines)):
        out.append("the law section says a line twice")
    slips = [*(v["score"].get("withdrawn") or []), *(v["score"].get("recovered") or [])]
    for w in slips:
        if w["id"] in ("beyond_remit", "misstates_law"):
            continue
        for x in txt.splitlines():
            if x.startswith("Met, a ") and f"({spec.mistake(w['id'])['label'].lower()})" in x:
                if f"turn {w['turn']} (" not in x:
                    out.append(
                        f"a point names a slip of {w['id']} but not the one at turn {w['turn']}"
                    )
    return out


def kind_pairs(cap: dict[str, Any]) -> bool:
    """A cap whose instances are a slip and the turn that put it right."""
    return cap["when"] in ({"withdrawn": True}, {"law": "corrected"})


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_cap_cites_the_turns_of_its_section(path: Path) -> None:
    sc = load_scenario(path)
    found = first_problems(sc, PATHS, problems)
    assert not found, "\n".join(f"{p}  (path: {ids})" for p, ids in found.items())


def test_the_check_finds_what_it_looks_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not vacuous: a cap that names only the first of two slips taken back, and a cap that
    cites one turn of conduct the law section puts at two, are each caught."""
    from tests.replay import assessed

    toaster = (
        "opening.1 fault_details.2 blame_use.1 heard_properly.4 supervisor_called.3 "
        "rights_explained.1 processing.1 receipt_check.1 processing.3 refund_done.1 confirmed.1"
    )
    t, _v = assessed("faulty-toaster-day12", 907, toaster.split())
    sc = load_scenario(ROOT / "scenarios" / "faulty-toaster-day12.yaml")
    assert problems(sc, t) == []
    sar = "opening.3 not_recognised.1 caller_explains.3 early_disclosure.2"
    t2, _v2 = assessed("sar-by-phone", 806, sar.split())
    sc2 = load_scenario(ROOT / "scenarios" / "sar-by-phone.yaml")
    assert problems(sc2, t2) == []
    real = debrief.build

    def first_only(scenario: Any, transcript: dict[str, Any]) -> dict[str, Any]:
        s = debrief.score_transcript(scenario, transcript)
        for cap in s["caps"]:
            cap["turns"] = cap["turns"][:1]  # the first instance only, as on main
            cap.pop("pairs", None)
        return real(scenario, transcript, s)

    monkeypatch.setattr(debrief, "build", first_only)
    found = " | ".join(problems(sc, t) + problems(sc2, t2))
    assert "cap 'True' cites [(2, 3)], its section [(2, 3), (4, 5)]" in found
    assert "cap 'breached' cites [3], its section [3, 4]" in found


def test_the_instance_check_finds_a_first_turn_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not vacuous: the abusive-customer path whose 'no ownership' stands at turns 2, 3 and 6
    holds now, and is caught when the cost cites the first turn only, as on main."""
    from tests.replay import assessed

    ids = (
        "opening.1 vents.2 blamed.2 swears_again.1 warned.1 fixing.2 refused_more.1 "
        "handed_over.2 closing.2"
    ).split()
    t, _v = assessed("abusive-customer", 0, ids)
    sc = load_scenario(ROOT / "scenarios" / "abusive-customer.yaml")
    assert problems(sc, t) == []
    monkeypatch.setattr(debrief, "_same_mistake_turns", lambda ms, m: [m["turn"]])
    assert "practise cites [2], its mistake stands at [2, 3, 6]" in problems(sc, t)
