"""A law mark says what the option did with the law (issue 25, helper truth25n).

`law: {KEY: wrong}` means the option's *words* state a rule or right wrongly, and the debrief then
says "you misstated the law" (and the misstatement cap fails the attempt). Conduct contrary to a
law (disclosing an account to a relative, reading data out before a check, sending a whole
customer list, turning an assistance dog away) states no rule: it is `breached`, with the
conduct's mistake on the choice, and the debrief says what was done, contrary to which Act.

Checked over the shipped pack:
- every `wrong` mark on a law (not good practice) sits on a choice that carries `misstates_law`
  (lint CT608 says so for an authoring mistake);
- a walk through every choice that marks a law wrong or breached never hears "misstated" in its
  debrief unless a choice on the path carries `misstates_law`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scoring import debrief
from scoring.lint_checks import unnamed_misstatements
from scoring.paths import enumerate_paths
from scoring.scorer import act_of, practice_acts
from simulator.engine.lint.diagnostics import CODES
from simulator.engine.loader import check_bytes, load_scenario, scenario_files
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
MISSTATED = re.compile(
    # the claims a debrief makes about this path (the method's list of every cap is not one)
    r"(?<!left )\bmisstated\b|misstates the law|told something wrong about their rights|"
    r"At most fail \(a misstatement of the law",
    re.IGNORECASE,
)
WALKS = 2  # paths through each law-marked choice, drawn from the bounded enumeration


def _choices(sc: Any) -> Iterator[tuple[str, Any]]:
    for sid, st in sc.states.items():
        for i, ch in enumerate(st.choices):
            yield sc.choice_id(sid, i), ch


@pytest.mark.parametrize("path", [pytest.param(f, id=f.stem) for f in SHIPPED])
def test_every_law_marked_wrong_is_a_misstatement(path):
    sc = load_scenario(path)
    practice = practice_acts()
    bad = [
        cid
        for cid, ch in _choices(sc)
        if any(v == "wrong" and act_of(k) not in practice for k, v in ch.law.items())
        and "misstates_law" not in ch.mistakes
    ]
    assert not bad, f"{path.name}: law marked wrong without misstates_law: {bad}"
    assert unnamed_misstatements(sc) == []


def _law_marked(sc: Any) -> list[str]:
    practice = practice_acts()
    return [
        cid
        for cid, ch in _choices(sc)
        if any(v in ("wrong", "breached") and act_of(k) not in practice for k, v in ch.law.items())
    ]


@pytest.mark.parametrize(
    "path",
    [pytest.param(f, id=f.stem) for f in SHIPPED if _law_marked(load_scenario(f))],
)
def test_misstated_only_when_a_choice_on_the_path_misstates(path):
    sc = load_scenario(path)
    targets = set(_law_marked(sc))
    paths = enumerate_paths(sc, max_visits=1, limit=4_000)
    rng = random.Random(25)
    found: dict[str, str] = {}
    for cid in sorted(targets):
        through = [ids for ids, _e in paths if cid in ids]
        for ids in rng.sample(through, min(WALKS, len(through))):
            s = Runtime(sc).new_session(seed=0)
            s.replay(ids)
            t = s.transcript()
            t["mode"] = "assess"
            v = debrief.build(sc, t)
            text = debrief.render_view(v, "text")
            said = {m["id"] for m in v["score"]["mistakes"]}
            hit = MISSTATED.search(text)
            if hit and "misstates_law" not in said:
                found.setdefault(cid, f"{hit.group(0)!r} on {' '.join(ids)}")
    assert not found, "\n".join(f"{cid}: {why}" for cid, why in found.items())


WRONG = """\
id: lint-law-marks
title: A relative asks
topic: complaint
summary: A daughter asks what her mother owes.
learner_role: Adviser
customer: {name: Sam, mood: 50}
start: opening
states:
  opening:
    say: "What does my mum owe?"
    choices:
      - text: "She owes £214, between you and me."
        goto: done
        mistakes: [data_breach]
        law: {data_protection_act_2018.third_party: wrong}
      - text: "I can't discuss her account, but she can add you to it."
        goto: done
        shows: [take_action]
        law: {data_protection_act_2018.third_party: right}
  done:
    end: resolved
    say: "Thanks."
"""


def _scenario(text: str) -> Any:
    sc = check_bytes(text.encode(), "case.yaml").scenario
    assert sc is not None
    return sc


def test_a_wrong_mark_without_misstates_law_is_ct608():
    """Not vacuous: the check finds a `wrong` conduct mark, and is satisfied by either fix."""
    found = unnamed_misstatements(_scenario(WRONG))
    assert [w for w, _m in found] == [("states", "opening", "choices", 0, "law")]
    assert "breached" in found[0][1] and "misstates_law" in found[0][1]
    for fixed in (
        WRONG.replace("third_party: wrong}", "third_party: breached}"),
        WRONG.replace("[data_breach]", "[data_breach, misstates_law]"),
    ):
        assert unnamed_misstatements(_scenario(fixed)) == []
    assert CODES["CT608"][0] == "unnamed-misstatement"


def test_a_breached_walk_says_what_was_done_not_misstated():
    """Not vacuous: relative-asks-about-account's balance disclosure (opening.2) once said "You
    misstated the law"; as conduct it names the disclosure, contrary to the Act, and no
    misstatement."""
    sc = load_scenario(ROOT / "scenarios" / "relative-asks-about-account.yaml")
    ids = next(ids for ids, _e in enumerate_paths(sc, max_visits=1) if ids[0] == "opening.2")
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    text = debrief.render_view(debrief.build(sc, t), "text")
    assert not MISSTATED.search(text)
    assert "disclosed a customer's account" in text
    assert "contrary to the Data Protection Act 2018" in text
