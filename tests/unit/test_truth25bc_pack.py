"""Issue 25 (truth25bc): every debrief sentence true of the path, fixed in the scenario data.

1. laptop-month7 promise_broken.1 ("I shouldn't have promised that ... I'll help you show the
   fault") takes back the goodwill-override promise of refund_promised.2 in words and keeps to
   what the adviser can offer, so it withdraws `over_promising` and `beyond_remit` as the pack's
   other withdrawals do (`corrects:` naming the mistake id; docs/scenario-format.md,
   *Corrections*) and the debrief says it was taken back. promise_broken.2 admits it but puts
   nothing right ("out of my hands"): the debrief's "took back and put right" would be false of
   it, so it stays untagged and the promise is explained as broken.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scoring import debrief
from scoring.scorer import score
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]


def _play(sid: str, ids: list[str]) -> tuple[Any, dict[str, Any], dict[str, Any], str]:
    """The scenario, its assessed transcript, the score and the debrief text (one line)."""
    sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    text = " ".join(debrief.render_view(debrief.build(sc, t), "text").split())
    return sc, t, score(sc, t), text


BROKEN = ["opening.3", "refund_promised.2"]


def test_laptop_promise_taken_back_in_words_is_withdrawn_and_said_so() -> None:
    _sc, _t, s, text = _play("laptop-month7", [*BROKEN, "promise_broken.1", "evidence_stage.1"])
    withdrawn = {(w["id"], w["turn"], w["at"]) for w in s["withdrawn"]}
    assert ("over_promising", 2, 3) in withdrawn
    assert ("beyond_remit", 2, 3) in withdrawn
    assert "you took back at turn 3, so nothing beyond it stood" in text
    assert "undone by the mistake: over-promising" not in text
    assert "undone by the mistake: beyond remit" not in text


def test_laptop_promise_admitted_but_not_put_right_is_not_withdrawn() -> None:
    _sc, _t, s, text = _play("laptop-month7", [*BROKEN, "promise_broken.2"])
    assert not {w["id"] for w in s["withdrawn"]} & {"over_promising", "beyond_remit"}
    assert "which turns one complaint into two when it does not happen" in text
    assert "took back and put right" not in text


# 2. online-return-changed-mind: "with the box opened, I can't take it back", "we can't accept
# an opened box back" and "you can cancel, but only while it's sealed" deny or condition her
# right to cancel an online order within 14 days for any reason (brief fact 11), not only the
# inspection rule; the law section named only the inspection rule. The withdrawal that follows
# (opened_refusal.1, "doesn't stop you cancelling") withdraws both.
CCR = "consumer_contracts_regulations_2013"
OPENED_REFUSALS = ["order_check.2", "opened_question.2", "opened_refusal.2"]


def test_refusing_an_opened_box_misstates_the_right_to_cancel() -> None:
    sc = load_scenario(ROOT / "scenarios" / "online-return-changed-mind.yaml")
    for cid in OPENED_REFUSALS:
        _sid, _i, ch = sc.find_choice(cid)
        assert "misstates_law" in ch.mistakes, cid
        assert ch.law.get(f"{CCR}.cancel_14_days") == "wrong", cid
        assert ch.law.get(f"{CCR}.handling_deduction_only") == "wrong", cid
    _sid, _i, fix = sc.find_choice("opened_refusal.1")
    assert {f"{CCR}.cancel_14_days", f"{CCR}.handling_deduction_only"} <= set(fix.corrects)


def test_the_debrief_names_the_cancellation_right_as_misstated() -> None:
    _sc, _t, s, text = _play(
        "online-return-changed-mind", ["opening.1", "order_check.2", "opened_refusal.2"]
    )
    assert s["grade"] == "fail"
    assert (
        "Misstated, at turns 2 and 3: Consumer Contracts Regulations 2013. The rule: For goods "
        "bought online, by phone or away from the shop, the customer may cancel for any reason"
    ) in text
    _sc, _t, s, _text = _play(
        "online-return-changed-mind", ["opening.1", "order_check.2", "opened_refusal.1"]
    )
    assert not s["law_open"], s["law_open"]


# 3. long-running-complaint opening.1 ("from now it's mine to sort") takes ownership in words, as
# silence_risk.1's "I'll own it myself" does, so it shows take_action; review 25aw play 14's
# debrief said "Missed, a pass point: Takes ownership ... showed none of these" beside the
# turn's own feedback "took ownership". The state's options were reworded (brief fact 33) so the
# tag keeps the cue audit within -8..+8 (measured by `countertalk paths scenarios --cues`).
PLAY14 = ["opening.1", "tells.1", "apologised.2", "waiting_claim.2"]


def test_ownership_in_words_is_tagged_and_the_debrief_agrees_with_the_feedback() -> None:
    sc, _t, s, text = _play("long-running-complaint", PLAY14)
    _sid, _i, ch = sc.find_choice("opening.1")
    assert "mine to sort" in ch.text
    assert "take_action" in ch.shows
    assert "took ownership" in " ".join(ch.feedback.split())
    assert "Met, a pass point: Takes ownership of the problem." in text
    assert "Missed, a pass point: Takes ownership" not in text
    assert s["grade"] == "fail"  # the examiner's grade (review 25aw play 14) is unchanged


# 4. Tag hunt (a word list over every option, /tmp script in the report): tags where the words
# show it and no pack rule keeps the tag off. laptop details.4 says "that's worrying with a
# deadline" as details.1 does (its mistakes, passing him on, do not cancel empathy); spill
# opening.1-.3 thank her for telling ("Thank you for telling me", thanks for raising the issue:
# the catalogue's `thank`). Left off: spill opening.4 (the thanks sits on a line that blames
# the child, as the apology rule keeps a sorry off a blaming line, test_review25d).
def test_words_that_show_empathy_or_thanks_carry_the_tag() -> None:
    laptop = load_scenario(ROOT / "scenarios" / "laptop-month7.yaml")
    _sid, _i, ch = laptop.find_choice("details.4")
    assert "worrying" in ch.text and "empathise" in ch.shows
    spill = load_scenario(ROOT / "scenarios" / "spill-in-aisle.yaml")
    for cid in ("opening.1", "opening.2", "opening.3"):
        _sid, _i, ch = spill.find_choice(cid)
        assert ch.text.startswith("Thank you for telling me"), cid
        assert "thank" in ch.shows, cid
    _sid, _i, blame = spill.find_choice("opening.4")
    assert "blaming_customer" in blame.mistakes and "thank" not in blame.shows


def test_empathy_said_beside_a_premature_hand_off_is_shown_in_the_debrief() -> None:
    _sc, _t, s, text = _play("laptop-month7", ["opening.1", "details.4"])
    assert s["first_shown"]["empathise"]["turn"] == 2, s["first_shown"]
    assert "Empathise: shown at turn 2." in text


# 5. 'ring us' sat only in wrong options across the pack (the cue audit's never-good list, six
# options): courier closing.3 says "no need to call again" and spill manager_arrives.4 "if you
# phone us" (same meaning), so the phrase is in too few options to be a cue. 'get my' (six
# options) was tried the same way and left: the reworded pair let the audit's model pass
# phone-screen-refit in 4 of 5 runs.
def test_ring_us_is_no_longer_a_wrong_option_cue() -> None:
    from scoring import cues
    from simulator.engine.pack import scenario_files

    good = bad = 0
    for f in scenario_files(ROOT / "scenarios"):
        for d in cues.decisions(load_scenario(f)):
            for text, g in zip(d.texts, d.good):
                if " ring us " in f" {' '.join(cues.words(text))} ":
                    good, bad = good + g, bad + (not g)
    assert good or good + bad < cues.MIN_SUPPORT, (good, bad)
