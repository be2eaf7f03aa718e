"""Issue 25, helper truth25bb: every debrief sentence true of the path.

1. An option that only OFFERS, proposes or asks for what the law does not allow (to export the
   whole complaints log, to read data out before a check, to say a breach need not be reported)
   is marked `law: {KEY: offered}`: nothing left and nothing was done at that turn (brief facts
   17-19c), so the debrief says "offered ..., which the Act does not allow", never "contrary
   to" it, and the grade is exactly the grade the same path had with `breached` (a failing
   mistake still fails). The lint, the schema, the model, the scorer and every rendering know
   the value.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from scoring import debrief
from scoring.paths import enumerate_paths
from simulator.engine.loader import check_bytes, load_scenario, scenario_files
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
CONTRARY = re.compile(r"contrary to|acted against", re.IGNORECASE)

# The options the review named (NOTE8 "Noticed, left" under #25), each read: they offer, propose
# or ask; none completes the act.
NAMED = {
    "internal-customer-finance": [
        "opening.2",
        "purpose.2",
        "misdirected.2",
        "misdirected.3",
        "misdirected.4",
        "covered_up.2",
    ],
    "courier-lost-cot": ["improvement.3"],
    "correct-and-erase": ["id_check.3"],
    "sar-by-phone": ["recognised.4"],
}


def _view(sc: Any, ids: list[str]) -> dict[str, Any]:
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    return debrief.build(sc, t)


def _offered(sc: Any) -> list[str]:
    return [
        sc.choice_id(sid, i)
        for sid, st in sc.states.items()
        for i, ch in enumerate(st.choices)
        if "offered" in ch.law.values()
    ]


@pytest.mark.parametrize("name", sorted(NAMED))
def test_the_named_options_are_offers(name):
    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    assert set(NAMED[name]) <= set(_offered(sc))


def _through(sc: Any, cid: str, n: int, seed: int = 25) -> list[list[str]]:
    paths = [ids for ids, _e in enumerate_paths(sc, max_visits=1, limit=4_000) if cid in ids]
    return random.Random(seed).sample(paths, min(n, len(paths)))


@pytest.mark.parametrize(
    ("name", "cid"), [(name, cid) for name, cids in sorted(NAMED.items()) for cid in cids]
)
def test_an_offer_is_said_as_an_offer_in_every_rendering(name, cid):
    """Not vacuous: before this, each of these paths said "At turn N you asked for, offered or
    sent more personal data ..., contrary to the Data Protection Act 2018"."""
    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    for ids in _through(sc, cid, 2):
        v = _view(sc, ids)
        turn = ids.index(cid) + 1
        mine = [b for b in v["law"]["breached"] if turn in b["turns"]]
        assert mine, f"{cid} on {ids}: no law entry for turn {turn}"
        for b in mine:
            assert b.get("offered"), b
            assert "not allowed under the" in b["sentence"], b["sentence"]
            assert not CONTRARY.search(b["sentence"]), b["sentence"]
        others = [b for b in v["law"]["breached"] if not b.get("offered")]
        if not others:
            for fmt in ("text", "md", "html"):
                # the method's list of every cap is not a claim about the path
                text = "\n".join(
                    ln
                    for ln in debrief.render_view(v, fmt).splitlines()
                    if "fail the attempt whatever else was earned" not in ln
                )
                assert not CONTRARY.search(text), (fmt, ids, CONTRARY.search(text))


def _as_breached(path: Path) -> Any:
    text = path.read_text(encoding="utf-8").replace(": offered}", ": breached}")
    sc = check_bytes(text.encode(), path.name).scenario
    assert sc is not None
    return sc


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_an_offer_grades_as_the_breach_did(path):
    """Property over the pack: every path drawn through an `offered` option has the grade, the
    caps and the marking points it had with the same mark `breached`; only the words differ."""
    sc = load_scenario(path)
    cids = _offered(sc)
    if not cids:
        pytest.skip("no offered marks")
    before = _as_breached(path)
    for cid in cids:
        for ids in _through(sc, cid, 3):
            now, was = _view(sc, ids), _view(before, ids)
            assert now["score"]["grade"] == was["score"]["grade"], (cid, ids)
            assert [c["when"] for c in now["score"]["caps"]] == [
                c["when"] for c in was["score"]["caps"]
            ]
            assert [(p["id"], p["status"]) for p in now["score"]["marking_points"]] == [
                (p["id"], p["status"]) for p in was["score"]["marking_points"]
            ]


def test_a_standing_offer_names_itself_in_the_cap_and_the_point():
    """misdirected.2 ("we'll say no more about it to anyone") then covered_up.2: no failing
    mistake, so the law cap fails it; its reason and the law point say "offered", not "acted
    against a rule"."""
    sc = load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml")
    ids = next(
        ids
        for ids, end in enumerate_paths(sc, max_visits=1)
        if "misdirected.2" in ids and "covered_up.2" in ids
    )
    v = _view(sc, ids)
    assert v["score"]["grade"] == "fail"
    law_caps = [c for c in v["score"]["caps"] if c["when"] == {"law": "breached"}]
    assert law_caps and "offered" in law_caps[0]["reason"], law_caps
    text = debrief.render_view(v, "text")
    assert "acted against a rule" not in text
    assert "undone by an offer not allowed under the Data Protection Act 2018" in text
    assert "At turns" in text and "set out to keep a personal data breach" in text


OFFER = """\
id: lint-offer
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
      - text: "I can read her balance out to you if you like."
        goto: done
        MISTAKES
        law: {data_protection_act_2018.third_party: offered}
      - text: "I can't discuss her account, but she can add you to it."
        goto: done
        shows: [take_action]
        law: {data_protection_act_2018.third_party: right}
  done:
    end: resolved
    say: "Thanks."
"""


def test_the_lint_knows_offered_and_wants_its_mistake():
    ok = check_bytes(OFFER.replace("MISTAKES", "mistakes: [data_breach]").encode(), "a.yaml")
    assert ok.scenario is not None
    assert not [d for d in ok.diagnostics if d.code in ("CT203", "CT210")]
    bare = check_bytes(OFFER.replace("MISTAKES", "shows: []").encode(), "b.yaml")
    said = [d.message for d in bare.diagnostics if d.code == "CT210"]
    assert said and "'offered' law mark needs the conduct's mistake" in said[0]


def test_the_schema_and_the_classroom_label_know_offered():
    from simulator.tooling.schema import build_schema

    schema = build_schema()
    assert "offered" in str(schema)
    from simulator.tui.classroom import widgets

    src = Path(widgets.__file__).read_text(encoding="utf-8")
    assert '"offered": _(' in src


# 2. The law model's percentage agrees with the law section beside it.

FINANCE_MISSENT = (
    "opening.1 purpose.1 format_agreed.1 deadline_agreed.1 updated.2 addressing.2 misdirected.2 "
    "covered_up.2"
).split()


def test_the_law_percentage_is_not_100_beside_a_breach_never_put_right():
    """Not vacuous: this path (a protected file mis-sent, then the breach kept quiet) read
    "Law: counted as 100%: you did not state the law here" beside "contrary to the Data
    Protection Act 2018 ... never put right"."""
    sc = load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml")
    v = _view(sc, FINANCE_MISSENT)
    assert v["score"]["parts"]["law"] == 0
    text = debrief.render_view(v, "text")
    law_line = next(ln for ln in text.splitlines() if ln.startswith("Law:"))
    assert "100%" not in law_line and "0%" in law_line
    assert "never" in law_line


def _law_scenarios() -> list[Path]:
    return [p for p in SHIPPED if "law:" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", _law_scenarios(), ids=lambda p: p.stem)
def test_the_law_percentage_agrees_with_the_law_section(path):
    """Property over sampled paths of every scenario with law marks: a breach, an offer or a
    misstatement standing in the law section means the law model is 0%, and 0% only beside
    one; "You applied the law correctly" never stands beside one."""
    sc = load_scenario(path)
    paths = enumerate_paths(sc, max_visits=1, limit=4_000)
    bad = []
    for ids, _e in random.Random(2525).sample(paths, min(12, len(paths))):
        v = _view(sc, ids)
        law = v["law"]
        standing = [b for b in law["breached"] if not b.get("withdrawn")]
        wrong = [w for w in law["wrong"] if not w.get("withdrawn")] and not law["corrected"]
        pct = v["score"]["parts"].get("law")
        if standing and pct != 0:
            bad.append(f"{pct}% beside {standing[0]['sentence'][:80]!r} on {ids}")
        if pct == 0 and not standing and not wrong:
            bad.append(f"0% with nothing standing in the law section on {ids}")
        if standing and "You applied the law correctly" in law["note"]:
            bad.append(f"'applied correctly' beside a standing breach on {ids}")
    assert not bad, "\n".join(bad[:10])


# 3. Empathy said in the same line as blaming the customer: said, but not counted.


def test_empathy_beside_blame_reads_said_but_not_counted():
    """Not vacuous: review 25aw play 09 (washing-machine-day45, seed 1409) read "Empathise: not
    shown" after "I'm sorry, an E21 with three kids is a real headache" beside a blame."""
    sc = load_scenario(ROOT / "scenarios" / "washing-machine-day45.yaml")
    s = Runtime(sc).new_session(seed=1409)
    s.replay(["opening.1", "fault_heard.2", "prove_demand.2"])
    t = s.transcript()
    t["mode"] = "assess"
    text = debrief.render_view(debrief.build(sc, t), "text")
    assert "Empathise: not shown" not in text
    assert "Empathise: said at turn 2, but not counted" in text
    assert "blaming the customer" in text.split("Empathise: said at turn 2", 1)[1].split("\n")[0]


@pytest.mark.parametrize(
    ("line", "felt"),
    [
        ("I'm sorry, an E21 with three kids is a real headache.", True),
        ("That must be really frustrating after three weeks.", True),
        ("That sounds stressful.", True),
        ("I understand.", False),
        ("It's a real shame you didn't check the filter.", False),
        ("I can see the order here.", False),
    ],
)
def test_the_felt_words_are_the_feeling_named(line, felt):
    assert bool(debrief._FELT.search(line)) is felt


# 4. Asking a relative for the holder's security answers, then refusing to use them.

RELATIVE_1310 = (
    "opening.4 asked_security.1 explains_why.1 routes_explained.1 call_arranged.1 "
    "plan_confirm.1 wrap_up.1"
).split()


def test_the_identity_point_is_assessed_when_the_slip_was_taken_back():
    """Not vacuous: review 25as play 10 (relative-asks-about-account, seed 1310) read "Checks
    who they are dealing with: not assessed" although the slip was about identity. The point is
    met, but by the authority check the path made (moderation26.md cases 5-7: "check it's her"
    at turn 4), never by the slip taken back; the withdrawn slip still stops a distinction, so
    the grade (pass) is the examiner's."""
    sc = load_scenario(ROOT / "scenarios" / "relative-asks-about-account.yaml")
    s = Runtime(sc).new_session(seed=1310)
    s.replay(RELATIVE_1310)
    t = s.transcript()
    t["mode"] = "assess"
    v = debrief.build(sc, t)
    point = next(p for p in v["score"]["marking_points"] if p["id"] == "checks_identity")
    assert point["status"] == "met"
    assert "taken_back" not in point
    assert v["score"]["grade"] == "pass"
    text = debrief.render_view(v, "text")
    line = next(ln for ln in text.splitlines() if "Checks who they are dealing with" in ln)
    assert line.startswith("Met") and "taken back at turn 2" in line
    # the evidence is the check, the slip only what came before it
    assert 'Shown by: "check authority" at turn 4' in line
    assert "what you asked at turn 1" not in line
    assert "before anything was done on the account" not in line
    assert "a distinction needs it right first time" in line


def test_the_identity_point_is_met_right_first_time_where_no_slip_was_made():
    """The textbook call never asks for the answers and says "I can't confirm anything without
    your mum's say-so" at turn 2: the caller's authority checked right first time, so the point
    is assessed and met there (moderation26.md cases 5-7), where before only the slip could meet
    it."""
    sc = load_scenario(ROOT / "scenarios" / "relative-asks-about-account.yaml")
    ids = next(ids for ids, _e in enumerate_paths(sc, max_visits=1) if ids[0] == "opening.1")
    assert ids[1] == "explains.1"
    v = _view(sc, ids)
    point = next(p for p in v["score"]["marking_points"] if p["id"] == "checks_identity")
    assert point["status"] == "met"
    text = debrief.render_view(v, "text")
    line = next(ln for ln in text.splitlines() if "Checks who they are dealing with" in ln)
    assert line.endswith('Shown by: "check authority" at turn 2.'), line
