"""The debrief's "things to change" (issue 25 review): no sentence twice, and headings that name
what to practise ("Taking ownership"), not the fault after "Avoid:" ("Avoid: no ownership").

Before the fix, late-delivery-recovery with a £75 voucher listed "Avoid: beyond remit" and then
"Beyond remit" with the same sentence of advice, because the practise line and the mistake it
came from were both listed and only titles were compared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scoring import catalogue, spec
from scoring.debrief import build
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime

CASES = Path(__file__).resolve().parents[1] / "calibration" / "cases.yaml"


def view(scenario_id: str, path: list[str]) -> dict:
    sc = load_scenario(resolve(scenario_id))
    s = Runtime(sc).new_session(seed=1)
    s.replay(path)
    return build(sc, s.transcript())


def _said(text: str) -> str:
    return re.sub(r"^Turns? [\d, ]+: ", "", " ".join(text.split())).lower()


def test_late_delivery_voucher_says_its_advice_once_under_a_practise_heading():
    v = view(
        "late-delivery-recovery",
        ["opening.1", "story.1", "options_check.1", "fix_accepted.1", "money_question.3"]
        + ["recap.1", "follow-up-as-promised"],
    )
    titles = [c["title"] for c in v["change"]]
    said = [_said(c["text"]) for c in v["change"]]
    assert len(set(said)) == len(said), v["change"]
    assert titles[0] == "Staying within your authority"
    assert v["change"][0]["text"].startswith("Turn 5: ")
    assert not any(t.startswith("Avoid") for t in titles)
    assert v["practise"]["title"] == "Staying within your authority"


def test_every_mistake_has_a_practise_heading_that_is_not_its_label():
    for mid, entry in catalogue.catalogue()["mistakes"].items():
        m = spec.mistake(mid)
        assert entry.get("practise"), mid
        assert m["practise"] != m["label"] and "avoid" not in m["practise"].lower(), mid


@pytest.mark.parametrize(
    "case", yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"], ids=lambda c: c["id"]
)
def test_no_calibration_debrief_repeats_a_change_or_says_avoid(case):
    v = view(case["scenario"], case["path"])
    said = [_said(c["text"]) for c in v["change"]]
    assert len(set(said)) == len(said), v["change"]
    titles = [c["title"].lower() for c in v["change"]]
    assert len(set(titles)) == len(titles), v["change"]
    assert not any(t.startswith("avoid") for t in titles), v["change"]


def test_escalation_names_the_role_reached_in_words_not_ids():
    """The reviewer read "You escalated to team_leader, supervisor, which is right here" after an
    escalation to the team leader only: internal ids, and roles the attempt never went to."""
    v = view(
        "compensation-beyond-authority",
        ["opening.1", "story.2", "driver_notes.1", "within_authority.1", "handover_choice.1"]
        + ["timescale.1", "recap.1", "decision_call.1"],
    )
    assert v["escalation"]["note"] == "You escalated to the team leader, which is right here."
    assert [e["role"] for e in v["escalation"]["escalations"]] == ["the team leader"]


@pytest.mark.parametrize(
    "case", yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"], ids=lambda c: c["id"]
)
def test_no_calibration_debrief_shows_a_role_id(case):
    esc = view(case["scenario"], case["path"])["escalation"]
    said = [esc["note"], *(e["role"] for e in esc["escalations"])]
    assert not any("_" in s for s in said), said


def test_rights_explained_in_jargon_are_not_kept():
    """webchat-fridge-year-four: section numbers to an angry customer (jargon) were listed as
    "Explain rights" to keep, at the turn listed as jargon to change."""
    v = view(
        "webchat-fridge-year-four", ["opening.2", "story.4", "confused.2", "manufacturer_route.2"]
    )
    assert "Explain rights" not in [k["title"] for k in v["keep"]]
    # listed under its practise label (review 25m D18), never the raw mistake label "Jargon"
    assert "Plain words" in [c["title"] for c in v["change"]]


def test_one_thing_to_keep_is_not_headed_two():
    """A lost phone-screen-refit play shows one thing to keep: its heading says one."""
    from pathlib import Path

    from scoring import debrief
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime

    sc = load_scenario(Path(__file__).resolve().parents[2] / "scenarios/phone-screen-refit.yaml")
    s = Runtime(sc).new_session(seed=5)
    while not s.ended:
        s.choose(min(2, len(s.offered())))
    text = debrief.render(sc, s.transcript())
    keep = text.split("\n\n")[[i for i, b in enumerate(text.split("\n\n")) if "to keep" in b][0]]
    items = [line for line in keep.splitlines() if line[:2] in ("1.", "2.")]
    assert keep.startswith("One thing to keep:" if len(items) == 1 else "Two things to keep:"), keep


def test_no_advice_to_keep_an_order_in_a_model_scored_without_one():
    """HEAT, LAST and LEAP are scored as behaviours, not an order (brief fact 24): a model with
    no order must never be the 'practise next' ("HEAT in order") nor warned about. Review 25d
    found "HEAT in order" beside "Order does not matter in this model" after distinctions: the
    check read an unordered model's in_order (None) as "out of order"."""
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    seen = 0
    for case in cases:
        if case["grade"] != "distinction":
            continue
        sc = load_scenario(resolve(case["scenario"]))
        s = Runtime(sc).new_session(seed=case["seed"])
        s.replay(case["path"])
        v = build(sc, s.transcript())
        unordered = {m["name"] for m in v["models"] if not m["ordered"]}
        if not unordered:
            continue
        for m in unordered:
            assert v["practise"]["title"] != f"{m} in order", (case["id"], v["practise"])
        seen += 1
    assert seen >= 3
