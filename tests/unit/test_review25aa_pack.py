"""Review 25aa (truth25ad): every debrief sentence true of the path, in scenario, catalogue and law
data (classes 4, 5a, 5b and the data items of class 7; tests/calibration/reviews/review25aa.md).

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
review25aa's playNN.json and tests/calibration/review25aa.yaml) and reads what the examiner read,
or checks the data rule that fixes a class. Each failed on main before this branch."""

from __future__ import annotations

import re
from typing import Any

import yaml

from scoring import spec
from tests.replay import ROOT, printed, review_play, scored, session

# play number: (scenario, seed, path), from review25aa's playNN.json
PLAYS: dict[str, tuple[str, int, list[str]]] = {
    n: review_play("review25aa", int(n)) for n in ("02", "03", "07", "08", "09", "11", "15", "17")
}


def _play(n: str) -> tuple[dict[str, Any], str]:
    return printed(*PLAYS[n])


def _scored(n: str) -> dict[str, Any]:
    return scored(*PLAYS[n])


def _scenario(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))


# -- class 4: play 17, a rigid plan for a customer in hardship ---------------------------------


def test_play17_the_rigid_plan_is_a_mistake_taken_back_and_stops_a_distinction() -> None:
    """Two payments by the month's end "or the letters start again", pressed on a customer who
    had said it was the gas or this (turn 5), then changed when she said she couldn't (turn 6):
    a slip taken back. The examiner's grade is a pass; the debrief records the mistake."""
    s = _scored("17")
    assert s["grade"] == "pass", s["grade_reason"]
    assert "turn 5" in s["grade_reason"] and "turn 6" in s["grade_reason"], s["grade_reason"]
    _t, said = _play("17")
    assert "Mistakes: none." not in said
    assert "Nothing in this assessed attempt needs fixing" not in said
    assert "Turn 5, Scripted, impersonal reply." in said


def test_play17_feedback_no_longer_reads_as_the_opposite_of_its_advice() -> None:
    """Class 7: "it's yours to set, not hers to fit" read as the opposite of "ask what she can
    afford before you fix the amount and the date"."""
    _t, said = _play("17")
    assert "yours to set, not hers to fit" not in said
    assert "ask what she can afford before you fix the amount and the date" in said


def test_broadband_every_arrears_option_but_the_affordable_plan_carries_a_mistake() -> None:
    """The arrears state's other options: whatever its feedback criticises is a recorded
    mistake (the gap class 4 found), and only the pause with an affordable plan is clean."""
    st = _scenario("broadband-hardship")["states"]
    for sid in ("arrears", "plan_pushback"):
        for i, ch in enumerate(st[sid]["choices"], 1):
            clean = "plan you can afford" in ch["text"] or "one you can afford" in ch["text"]
            assert bool(ch.get("mistakes")) != clean, f"{sid}.{i}: {ch['text']}"


# -- class 5a: play 08, a one-off suggestion is poor practice, not conduct contrary to the Act --


def test_play08_the_withdrawn_companion_suggestion_is_not_called_contrary_to_the_act() -> None:
    """Brief fact 22: speaking to a companion once is poor practice; the suggestion that the
    friend make the security call was withdrawn the next turn and the adjustment made."""
    s = _scored("08")
    assert s["grade"] == "pass", s["grade_reason"]
    _t, said = _play("08")
    assert "contrary to the Equality Act 2010" not in said
    assert "(failing to make a reasonable adjustment" not in said
    assert "Turn 2, No ownership." in said


def test_the_reasonable_adjustment_breach_is_said_in_words_not_a_label_pair() -> None:
    """Class 5a: "(failing to make a reasonable adjustment / less favourable treatment)" read
    like two internal labels."""
    for act, entry in yaml.safe_load((ROOT / "scoring" / "laws.yaml").read_text()).items():
        for fid, fact in (entry.get("facts") or {}).items():
            assert "/" not in str(fact.get("breach") or ""), f"{act}.{fid}"


# -- class 5b: play 09, the data was offered, never sent ---------------------------------------


def test_play09_says_the_data_was_offered_or_sent_not_shared() -> None:
    _t, said = _play("09")
    assert "was shared" not in said
    assert "more personal data was offered or sent than the purpose needed" in said


# -- class 7: minor items in data ---------------------------------------------------------------


def test_play08_the_friends_words_are_not_printed_under_toms_name() -> None:
    """Kerry's line ("I don't mind, but he'd have to tell me all his security answers") was the
    customer's `say`, so the screen and the debrief put it under Tom Adeyemi's name."""
    t, said = _play("08")
    assert "(Kerry)" not in said
    for turn in t["turns"]:
        assert not str(turn.get("customer") or turn.get("say") or "").startswith("(Kerry)")
    for sid, st in _scenario("reasonable-adjustment")["states"].items():
        says = st.get("say") or []
        for line in [says] if isinstance(says, str) else says:
            assert not line.startswith("({{ vars.friend }})"), sid


def test_telecoms_complaints_are_not_labelled_with_the_fca_nor_a_bank_with_telecoms() -> None:
    """One catch-all act named the FCA for a telecoms complaint (play 17) and energy and
    telecoms for a bank's (play 11); telecoms goes to Ofcom's approved schemes (fact 28)."""
    telecoms = spec.law_text("energy_telecoms_complaints.ombudsman_after_8_weeks")["act"]
    assert "Ofcom" in telecoms and "Financial Conduct Authority" not in telecoms
    finance = spec.law_text("regulated_complaints")["act"]
    assert "telecoms" not in finance and "energy" not in finance
    _t, said17 = _play("17")
    assert "Financial Conduct Authority" not in said17 and "Ofcom" in said17
    _t, said11 = _play("11")
    assert "telecoms" not in said11 and "Financial Conduct Authority" in said11


def test_play15_quotes_the_learner_and_names_the_role_they_named() -> None:
    """The learner said "my manager" and "once it's sorted"; the debrief said "the supervisor"
    and quoted "sort it out"."""
    _t, said = _play("15")
    assert '"sort it out"' not in said
    assert "the supervisor" not in said
    assert "you referred it to the manager" in said
    assert "once it's sorted" in said


def test_play03_ending_is_grammatical() -> None:
    _t, said = _play("03")
    assert "30 days limit only rejecting" not in said
    assert "the 30 days limit only his right to reject it outright" in said


def test_play02_follow_up_advice_does_not_ask_for_what_was_given() -> None:
    """The learner gave a reference (RF-40718) and "within 14 days"; the advice opened "Give a
    reference and a date", when only the coming back was missing."""
    _t, said = _play("02")
    assert "Give a reference and a date" not in said
    assert "Say how and when you (or a named colleague) will come back to them" in said


def test_play02_ending_does_not_say_she_was_not_told_what_to_do() -> None:
    """Minor (the examiner: "defensible"): she was told "the reference is on your slip if you
    need it", so what she lacked is whom to contact, not what to do."""
    _t, said = _play("02")
    assert "without knowing what to do if the money doesn't arrive" not in said
    assert "without knowing who to contact if the money doesn't arrive" in said


def test_play07_no_thanks_for_help_that_was_not_given() -> None:
    """After "that's one for your mum to raise", Helen answered "That would really help"."""
    sid, seed, ids = PLAYS["07"]
    s = session(sid, seed, ids[: ids.index("plan_confirm.1")])
    assert not str(s.line).startswith("That would really help"), s.line
    helped = [*ids[: ids.index("call_arranged.2")], "call_arranged.1"]
    s = session(sid, seed, helped)
    assert re.match(r"(That would really help|Okay)", str(s.line)), s.line
