"""Issue 25, left-overs from review 25aa (tests/calibration/reviews/review25aa.md): each debrief
sentence names every instance of what it reports, once, in words.

1. A marking point met after slips names every slip that spoils it: each one taken back and each
   one made up for by what the learner did later (play 07: "Takes ownership" named the turn-3
   slip, never the turn-7 one recovered at turn 9).
2. "It cost you N points" and the things to change cite every turn the same mistake stands at,
   not only its first.
3. A cap whose reason already ends in brackets takes its turns inside them: one pair.
4. The law section names an act once, each of its facts once with its own turns, and says
   "turns 4 and 5", never "turn 4, 5" (play 11).
"""

from __future__ import annotations

import re

from tests.replay import assessed, review_play, text

PLAY07 = review_play("review25aa", 7)
PLAY11 = review_play("review25aa", 11)
# no ownership at turns 2, 3 and 6, each deducting its points
ABUSIVE = (
    "abusive-customer",
    0,
    "opening.1 vents.2 blamed.2 swears_again.1 warned.1 fixing.2 refused_more.1 handed_over.2 "
    "closing.2".split(),
)
# the identity check skipped at turn 3: the cap's reason ends "(… first, every time)". (This
# was relative-asks-about-account's "ask the daughter for the security answers", which review25as
# class 3 showed is not acting before a check: truth25au made it its own mistake, with no cap.)
UNCHECKED = (
    "sar-by-phone",
    0,
    "opening.1 caller_explains.1 recognised.4 early_disclosure.1 id_check.1 logged.1 "
    "dpo_referred.1 confirm_step.3 follow_up_offer.1".split(),
)


def _shown_by(view, label: str) -> str:
    line = next(x for x in text(view).splitlines() if x.startswith(f"Met, a pass point: {label}"))
    return line


def test_a_point_names_every_slip_that_spoils_it() -> None:
    _t, v = assessed(*PLAY07)
    line = _shown_by(v, "Takes ownership of the problem")
    assert "turn 3 (no ownership), taken back at turn 4" in line
    assert "turn 7 (no ownership), made up for by what you did from turn 8 to turn 9" in line
    assert line.count("a distinction needs it right first time") == 1
    # the one-slip wording is unchanged
    adapts = next(x for x in text(v).splitlines() if "Adapts their approach" in x)
    assert "after the slip at turn 3 (defensive), taken back at turn 4;" in adapts


def test_the_cost_of_a_mistake_cites_every_turn_it_stands_at() -> None:
    _t, v = assessed(*ABUSIVE)
    turns = sorted(m["turn"] for m in v["mistakes"] if m["id"] == "no_ownership")
    assert turns == [2, 3, 6]
    assert v["practise"]["why"] == "It cost you 6 points each time, at turns 2, 3 and 6."
    first = v["change"][0]
    assert first["text"].startswith("Turns 2, 3 and 6: ")
    # each deduction is real: the 38 are 6 x 3 (no ownership), 5, 10 and 5
    assert v["score"]["deductions"] == 38


def test_a_bracketed_cap_reason_takes_its_turns_inside_its_brackets() -> None:
    _t, v = assessed(*UNCHECKED)
    line = v["grade_line"]
    assert "identity checked first, every time; turn 3)" in line, line
    assert not re.search(r"\) \(turns? \d", line), line


def test_the_law_names_an_act_once_and_each_fact_once_in_words() -> None:
    _t, v = assessed(*PLAY11)
    out = text(v)
    law = out[out.index("The law:") : out.index("Mistakes:")]
    assert "turn 4, 5" not in out and "Turn 4, 5" not in out
    assert law.count("Complaint rules in financial services") == 1, law
    assert "At turns 4 and 5: A complaint about a payment" in law
    assert "At turn 5: The Financial Ombudsman Service is free" in law
    lines = [x for x in law.splitlines() if x.strip()]
    assert len(lines) == len(set(lines))
    assert "applied correctly. Turns 4 and 5." in out


def test_a_restatement_of_the_remedy_takes_back_its_misstatement() -> None:
    """Review 25aa play 03: turn 2 restated the repair-or-replace remedy right (wrong only about
    who owes it), so "Practise next" names the rule still wrong (the retailer's liability, turn
    2), not turn 1's remedy as "never put right". The grade stays a fail."""
    _t, v = assessed("washing-machine-day45", 1003, ["opening.3", "past_30.2"])
    assert v["score"]["grade"] == "fail"
    why = v["practise"]["why"]
    assert why.startswith("Turn 2 misstated it"), why
    assert "not the manufacturer" in v["practise"]["text"]
    turn1 = next(m for m in v["mistakes"] if m["id"] == "misstates_law" and m["turn"] == 1)
    assert turn1["withdrawn"] == 2
