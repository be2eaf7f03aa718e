"""Review 25k's defects (branch review25k, review/REVIEW.md), each fixed as a class: D1 conduct
contrary to the law is not a misstatement of it; D5 a corrected mistake shows its withdrawn
explanation; D7 a distinction point is met only by evidence on the path; D11 a neutral default is
not shown as a score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scoring import scorer
from simulator.engine.loader import check_bytes, load_scenario
from simulator.engine.session import Runtime
from tests import replay

ROOT = Path(__file__).resolve().parents[2]
# review 25k play 03 (seed 503): talks past Tom to his companion, twice (discrimination, rude)
PLAY03 = ["opening.3", "talks_to_companion.2"]


def _view(scenario: str, seed: int, ids: list[str]) -> dict[str, Any]:
    """The debrief view of one path, played in assessment mode."""
    return replay.assessed(scenario, seed, ids)[1]


_text = replay.text


# --- D1: talking past a deaf customer is conduct contrary to the Act, not a misstatement ---


def test_d1_discrimination_by_conduct_is_not_called_a_misstatement() -> None:
    v = _view("reasonable-adjustment", 503, PLAY03)
    text = _text(v)
    assert v["score"]["grade"] == "fail"
    assert "misstated" not in text.lower()
    assert "told something wrong about their rights" not in text
    assert "misstates the law" not in text
    assert not v["law"]["wrong"]
    assert "treated a disabled customer worse" in v["law"]["note"]
    assert "contrary to the Equality Act 2010" in v["law"]["note"]
    assert "less favourable treatment" in v["law"]["note"]
    # the rule shown is the one the path broke (fact 22), not the "no headwear" example (fact 21)
    assert "no headwear" not in text
    assert "ignoring a disabled customer for a companion" in v["law"]["note"]
    # the Why line is true of this path (he was talked past, not refused or charged)
    assert "talked past for a companion" in v["score"]["grade_reason"]
    # the Act the path breached is not "not used", nor its part "not assessed"
    assert not v["law"]["not_applied"]
    # the law model agrees with the breach beside it (truth25bb: was "counted as 50%")
    assert "Law: 0%: conduct contrary to the law was never put right" in text


def test_d1_no_section_contradicts_the_mistakes_section() -> None:
    """Every mistake a debrief names (in Why, the law, the marking points) is one the Mistakes
    section lists."""
    v = _view("reasonable-adjustment", 503, PLAY03)
    listed = {m["id"] for m in v["score"]["mistakes"]}
    # talks_past: turn 1 spoke to the friend, never taken back (review 25aw class 2, truth25ay)
    assert listed == {"discrimination", "rude", "talks_past"}
    for mp in v["marking_points"]["missed"]:
        assert "misstates" not in mp["why"], mp


def test_d1_a_breach_is_scored_as_conduct_with_its_turn() -> None:
    sc = load_scenario(ROOT / "scenarios" / "reasonable-adjustment.yaml")
    s = Runtime(sc).new_session(seed=503)
    s.replay(PLAY03)
    out = scorer.score(sc, s.transcript())
    assert out["law_breached"] == [
        {"id": "equality_act_2010.reasonable_adjustments", "turn": 2, "withdrawn": None}
    ]
    assert out["law"]["wrong"] == [] and out["law_open"] == []
    assert not any(c["when"].get("law") for c in out["caps"])


LINT_BASE = """\
id: breach-lint
title: A breach mark needs its conduct's mistake
customer: {{name: Sam, persona: A customer.}}
start: opening
states:
  opening:
    say: ["Hello."]
    choices:
      - text: "Speak only to the companion."
        goto: done
        {mistakes}law: {{equality_act_2010.reasonable_adjustments: breached}}
  done:
    end: lost
    text: "Over."
"""


def test_d1_lint_a_breached_mark_needs_a_mistake() -> None:
    bare = check_bytes(LINT_BASE.format(mistakes="").encode(), "x.yaml")
    assert any(
        d.code == "CT210" and "needs the conduct's mistake" in d.message for d in bare.diagnostics
    ), bare
    ok = check_bytes(
        LINT_BASE.format(mistakes="mistakes: [discrimination]\n        ").encode(), "x.yaml"
    )
    assert not [d for d in ok.diagnostics if d.code == "CT210"], ok


def test_d1_withdrawals_by_their_words_withdraw_the_law_too() -> None:
    """medical_proof.1 and companion_call.1 take back, in words, the earlier line's rule; the
    law mark it made is withdrawn, not left standing. (policy_only.1 withdraws it too, in words,
    but tagging it breaks the 5% random-pass bar: left for the lead.)"""
    sc = load_scenario(ROOT / "scenarios" / "reasonable-adjustment.yaml")
    for cid in ("medical_proof.1", "companion_call.1"):
        state, _, n = cid.partition(".")
        ch = sc.states[state].choices[int(n) - 1]
        assert "equality_act_2010.reasonable_adjustments" in ch.corrects, cid


# --- D5: a corrected mistake shows its withdrawn explanation, never the uncorrected one ---

# review 25k play 10 (seed 510): the new address asked for before the identity check, then
# "not yet: before I save it, I need to know it's you" (id_check.1 corrects skips_verification)
PLAY10 = [
    "opening.1",
    "explains.2",
    "unverified_change.1",
    "id_check.1",
    "marketing.1",
    "erasure.1",
    "who_handles.1",
    "closing.1",
]


def test_d5_a_caught_identity_slip_is_not_explained_as_acting_on_the_account() -> None:
    v = _view("correct-and-erase", 510, PLAY10)
    slips = [m for m in v["mistakes"] if m["id"] == "skips_verification"]
    assert slips and all(m["withdrawn"] for m in slips)
    for m in slips:
        assert "You acted on an account" not in m["explanation"]
        assert "checked before anything was saved" in m["explanation"]


def test_d5_every_mistake_a_choice_can_take_back_has_a_withdrawn_explanation() -> None:
    """The class: each mistake named in any shipped `corrects:` has its own withdrawn text, and
    any other falls back to a general one, never to the uncorrected explanation."""
    import yaml

    from scoring import catalogue, spec

    mistakes = catalogue.catalogue()["mistakes"]
    named: set[str] = set()
    for f in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for st in (data.get("states") or {}).values() if isinstance(data, dict) else ():
            for ch in st.get("choices") or []:
                named |= {m for m in ch.get("corrects") or [] if m in mistakes}
    assert {"skips_verification", "defensive", "blaming_customer"} <= named
    for m in sorted(named):
        assert mistakes[m].get("explanation_withdrawn"), m
    for m in mistakes:
        info = spec.mistake(m)
        assert info["explanation_withdrawn"] != info["explanation"], m


# --- D7: a marking point is met only by evidence on the path, and says which ---

# review 25k play 12 (seed 512)
PLAY12 = [
    "opening.3",
    "manufacturer_line.1",
    "fault_details.1",
    "heard_properly.3",
    "credit_note_offered.2",
    "policy_wall.1",
    "rights_explained.1",
    "processing.2",
    "supervisor_called.2",
]


def test_d7_every_met_point_says_what_met_it() -> None:
    v = _view("faulty-toaster-day12", 512, PLAY12)
    text = _text(v)
    met = {p["id"]: p for p in v["marking_points"]["met"]}
    assert met["adapt_behaviour"]["shown_by"] == '"empathise" at turn 3'
    assert (
        'Met, a distinction point: Adapts their approach to the customer. Shown by: "empathise" '
        "at turn 3." in text
    )
    for p in met.values():
        assert p["shown_by"], p


def test_d7_a_point_met_by_keeping_the_case_says_so() -> None:
    """The one evidence that is an absence (no escalation needed, none made) is said as such,
    and never stands as evidence of taking ownership (review 25k play 01, seed 501)."""
    v = _view(
        "broadband-hardship",
        501,
        "opening.1 story.1 note_privacy.1 upgrade_rights.1 arrears.1 complaint.1 closing.1".split(),
    )
    met = {p["id"]: p["shown_by"] for p in v["marking_points"]["met"]}
    # review 25r D1: a point about authority is said by what was agreed (nothing beyond it),
    # not by the absence of an escalation
    assert met["within_limits"] == "the case kept, with nothing agreed beyond your own authority"
    assert met["take_ownership"] == '"take action" at turn 2'


# --- D11: a neutral default is not shown as a score ---


def test_d11_law_not_stated_on_the_path_is_not_assessed_here() -> None:
    """Review 25k play 07 (seed 507): no choice stated the law, so "Law: 50%" read as a mark."""
    v = _view("abusive-customer", 507, ["opening.3", "mirrored.2"])
    text = _text(v)
    assert "Law: 50%" not in text
    # review 25ag class 2: one verdict with the law section and the marking point, "not
    # applied", never "not assessed here" beside "you did not apply the law"
    assert "Law: not applied: you did not state the law here" in text
    assert "not assessed here" not in text
    law = next(p for p in v["method"]["parts"] if p["id"] == "law")
    assert law["percent"] == 50  # the arithmetic is unchanged and still said
    assert "counts it as 50%" in law["shown"]


def test_d11_a_law_stated_keeps_its_percentage() -> None:
    v = _view("faulty-toaster-day12", 512, PLAY12)
    law = next(p for p in v["method"]["parts"] if p["id"] == "law")
    assert law["shown"] == f"{law['percent']}%"
