"""Review 25ag (truth25ak): every debrief sentence true of the path, in scenario and law data
(tests/calibration/reviews/review25ag.md, plays 04, 05, 07, 11, 13, 14 and 15).

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
review25ag's playNN.json and tests/calibration/review25ag.yaml) and reads what the examiner read,
or checks the scenario data that fixes it. Each failed on main before this branch."""

from __future__ import annotations

from typing import Any

import yaml

from scoring.scorer import score
from tests.replay import ROOT, assessed, printed, review_play, scored, session

# play number: (scenario, seed, path), from review25ag's playNN.json
PLAYS: dict[str, tuple[str, int, list[str]]] = {
    n: review_play("review25ag", int(n)) for n in ("04", "05", "07", "11", "13", "14", "15")
}


def _play(n: str) -> tuple[dict[str, Any], str]:
    return printed(*PLAYS[n])


def _scored(n: str) -> dict[str, Any]:
    return scored(*PLAYS[n])


def _choice(name: str, cid: str) -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))
    state, _, n = cid.rpartition(".")
    return dict(doc["states"][state]["choices"][int(n) - 1])


# -- play 04: a case passed on "with my notes" was passed on with a handover ---------------------


def test_play04_the_supervisor_referral_with_notes_is_marked_as_a_handover() -> None:
    """ "I'll pass this to my supervisor with my notes": the escalation was not needed (still
    `no_ownership`), but the debrief said it went "without a handover summary"."""
    assert "handover" in _choice("washing-machine-day45", "prove_demand.3")["shows"]
    s = _scored("04")
    assert s["grade"] == "fail", s["grade_reason"]
    _t, said = _play("04")
    assert "without a handover summary" not in said
    assert "Turn 3, No ownership." in said


# -- play 05: a power of attorney is made while capacity lasts; after it, the court --------------


def test_play05_no_line_says_a_power_of_attorney_is_the_route_once_capacity_is_lost() -> None:
    """Mental Capacity Act 2005 ss9-10, 16: a lasting power of attorney must be made while the
    donor has capacity; once it is lost, the route is a Court of Protection deputyship (or an
    LPA she made earlier). The keyed option, its feedback and the summary said otherwise."""
    s = _scored("05")
    assert s["grade"] == "pass", s["grade_reason"]
    _t, said = _play("05")
    assert "if she no longer can, a registered power of attorney is the route" not in said
    assert "a registered power of attorney lets you act." not in said
    assert "registered power of attorney if she can't" not in said
    assert "Court of Protection" in said
    for cid in ("explains_why.1", "her_situation.1"):
        ch = _choice("relative-asks-about-account", cid)
        assert "registered power of attorney or a court's deputy" in ch["text"], cid
        assert "court" in ch["feedback"], cid


def test_play05_the_keyed_route_stays_the_shape_of_its_siblings() -> None:
    """The corrected wording must not give the answer away (cue audit): no longer than the
    longest sibling by more than a fifth."""
    doc = yaml.safe_load(
        (ROOT / "scenarios" / "relative-asks-about-account.yaml").read_text(encoding="utf-8")
    )
    for sid in ("explains_why", "her_situation"):
        texts = [c["text"] for c in doc["states"][sid]["choices"]]
        keyed, others = texts[0], texts[1:]
        assert len(keyed) <= 1.2 * max(len(o) for o in others), (sid, keyed)


# -- play 07: the policy the debrief cites is the policy shown ------------------------------------


def test_play07_the_referral_after_one_warning_is_shown_as_policy_where_it_applies() -> None:
    """The escalation's "Here" says policy refers abusive calls to a team leader after one calm
    warning; the note on screen said only "give one calm warning"."""
    doc = yaml.safe_load((ROOT / "scenarios" / "abusive-customer.yaml").read_text(encoding="utf-8"))
    note = " ".join(str(doc["states"]["demands"]["note"]).split())
    assert "one calm warning" in note and "refer the call to a team leader" in note
    _t, said = _play("07")
    if "policy says abusive calls are referred to a team leader" in said:
        assert "demands" in PLAYS["07"][2][2]  # the note was on screen at turn 3


# -- play 11: "what I can control" is not a statement of her rights -----------------------------


def test_play11_turn3_is_not_cited_as_explaining_rights() -> None:
    assert "explain_rights" not in _choice("courier-lost-cot", "controllable.1")["shows"]
    s = _scored("11")
    assert s["grade"] == "distinction", s["grade_reason"]
    _t, said = _play("11")
    assert '"explain rights" at turn 3' not in said
    assert "Shows: Explain rights, Take action." not in said


# -- play 13: the free replacement was beyond authority, not a statement of the law -------------


def test_play13_the_free_replacement_is_beyond_remit_and_not_a_misstatement() -> None:
    """Turn 3 promised a free replacement the team leader's note says a chat adviser cannot
    authorise; turn 4 withdrew it. The debrief said "nothing agreed beyond your own authority"
    and "misstated the law at turn 3"."""
    ch = _choice("webchat-fridge-year-four", "proof.3")
    assert ch["mistakes"] == ["beyond_remit"] and "law" not in ch
    assert "beyond_remit" in _choice("webchat-fridge-year-four", "over_promised.1")["corrects"]
    s = _scored("13")
    assert s["grade"] == "pass", s["grade_reason"]
    _t, said = _play("13")
    assert "nothing agreed beyond your own authority" not in said
    assert "misstated the law at turn 3" not in said
    assert "Misstated, at turn 3" not in said
    assert "Turn 3, Beyond remit." in said
    assert "taken back at turn 4" in said


def test_play13s_sibling_refund_promise_is_still_withdrawn_by_the_correction() -> None:
    """story.3's misstated full refund also leads to over_promised: its correction must still
    withdraw that misstatement (a guard on this branch's change to its `corrects:`)."""
    ids = ["opening.1", "story.3", *PLAYS["13"][2][3:]]
    t, _view = assessed("webchat-fridge-year-four", 1113, ids)
    s = score(session("webchat-fridge-year-four", 1113, ids).scenario, t)
    assert s["grade"] != "fail", s["grade_reason"]


# -- play 14: the birthday cake's essential date (s28) --------------------------------------------


def test_play14_sending_her_to_the_courier_misstates_s28_as_well_as_s29() -> None:
    laws = yaml.safe_load((ROOT / "scoring" / "laws.yaml").read_text(encoding="utf-8"))
    delivery = laws["consumer_rights_act_2015"]["facts"]["delivery"]
    assert delivery["source"].endswith("section/28") and "essential" in delivery["rule"]
    for cid in ("opening.3", "courier_blame.2"):
        assert (
            _choice("late-delivery-recovery", cid)["law"].get("consumer_rights_act_2015.delivery")
            == "wrong"
        ), cid
    assert (
        "consumer_rights_act_2015.delivery"
        in _choice("late-delivery-recovery", "courier_blame.1")["corrects"]
    )
    _t, said = _play("14")
    assert "a delivery date that was essential is missed" in said


# -- play 15: his opening line described the fault ----------------------------------------------


def test_play15_does_not_say_no_word_about_the_fault_had_been_heard() -> None:
    _t, said = _play("15")
    assert "before you had heard a word about the fault" not in said
    assert "before you had heard him out" in said
