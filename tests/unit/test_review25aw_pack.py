"""Review 25aw (truth25ay): no debrief sentence false of the path, in scenario data
(tests/calibration/reviews/review25aw.md: class 2, play 12; class 5, plays 04, 05 and 09; class 6,
plays 10 and 15; class 3's data, play 14).

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
review25aw's playNN.json and tests/calibration/review25aw.yaml) and reads what the examiner read,
or a sibling path the same sentence reaches. Each failed on main before this branch."""

from __future__ import annotations

from tests.replay import printed, review_play, scored

PLAYS = {n: review_play("review25aw", int(n)) for n in ("04", "05", "09", "10", "12", "14", "15")}


def _said(n: str) -> str:
    """The whole debrief as printed (the ending's text, then the assessment), spaces folded."""
    _t, said = printed(*PLAYS[n])
    return said


# -- class 2, play 12: speaking to the companion once is a slip, taken back at once ---------------


def test_play12_talking_to_the_companion_is_a_slip_taken_back_so_a_pass() -> None:
    sid, seed, ids = PLAYS["12"]
    assert ids[:2] == ["opening.3", "talks_to_companion.1"]
    result = scored(sid, seed, ids)
    assert result["grade"] == "pass"
    said = _said("12")
    assert "Mistakes: none." not in said
    assert "Nothing in this assessed attempt needs fixing" not in said
    assert "Turn 1, Talking past the customer." in said
    assert "then turned back and spoke to them directly" in said


def test_play12_sibling_the_companion_slip_never_taken_back_still_fails() -> None:
    """Carrying on talking over Tom (talks_to_companion.2) is still discrimination, a fail, and
    the first turn's slip is not taken back."""
    sid, seed, _ids = PLAYS["12"]
    result = scored(sid, seed, ["opening.3", "talks_to_companion.2"])
    assert result["complete"]
    assert result["grade"] == "fail"
    assert "discrimination" in str(result["mistakes"])
    assert "talks_past" in str(result["mistakes"])
    assert "talks_past" not in str(result["withdrawn"])


# -- class 5: tags say what the words show (plays 09, 05 and 04) -----------------------------------


def _choice(scenario: str, cid: str):  # type: ignore[no-untyped-def]
    from simulator.engine.loader import load_scenario
    from tests.replay import ROOT

    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    sid, n = cid.rsplit(".", 1)
    return sc.states[sid].choices[int(n) - 1]


def test_washing_machine_every_three_kids_or_frustrating_line_is_tagged_empathy() -> None:
    """The class in the scenario play 09 came from: every option naming the impact ("a real
    headache", "a pain with three kids", "I know it's frustrating") shows `empathise`, unless a
    mistake of the same option cancels it (then lint CT602 keeps the tag off)."""
    import re

    from scoring import catalogue
    from simulator.engine.loader import load_scenario
    from tests.replay import ROOT

    said = re.compile(r"real headache|a pain with three kids|I know it's frustrating")
    cancels = catalogue.catalogue()["mistakes"]
    sc = load_scenario(ROOT / "scenarios" / "washing-machine-day45.yaml")
    untagged = [
        f"{sid}.{i}"
        for sid, st in sc.states.items()
        for i, ch in enumerate(st.choices, 1)
        if said.search(ch.text)
        and "empathise" not in ch.shows
        and not any("empathise" in (cancels[m].get("contradicts") or ()) for m in ch.mistakes)
    ]
    assert not untagged


def test_play05_youre_right_im_afraid_is_an_acknowledgement_not_an_apology() -> None:
    said = _said("05")
    sid, _seed, ids = PLAYS["05"]
    assert ids[1] == "early_disclosure.1"
    assert "Apologise: shown at turn 2" not in said
    assert '"apologise" at turn 2' not in said
    assert "Acknowledge: shown at turn 2" in said


def test_play04_thanks_for_calling_is_respect_shown() -> None:
    said = _said("04")
    assert "Missed, a pass point: Greets and treats the customer with respect" not in said
    assert (
        'Met, a pass point: Greets and treats the customer with respect. Shown by: "thank" at turn 1'
        in said
    )
    assert scored(*PLAYS["04"])["grade"] == "fail"  # the data breach still fails it


# -- class 6, play 15: the turn-3 options are true of every path that reaches them -------------


def test_play15_family_help_path_is_never_told_it_jumped_to_a_sale() -> None:
    sid, seed, ids = PLAYS["15"]
    assert ids == ["opening.1", "story.3", "sales_offer.2"]
    said = _said("15")
    assert "jumped to a sale" not in said
    assert "I'm sorry, I got ahead of myself there" in said
    assert "still selling" not in said
    assert scored(sid, seed, ids)["grade"] == "fail"


def test_play15_sibling_the_recovery_takes_back_the_family_line_and_the_sale() -> None:
    sid, seed, _ids = PLAYS["15"]
    fam = scored(sid, seed, ["opening.1", "story.3", "sales_offer.1"])
    assert any(
        w.get("mistake") == "no_ownership" or "no_ownership" in str(w) for w in fam["withdrawn"]
    )
    sale = scored(sid, seed, ["opening.1", "story.2", "sales_offer.1"])
    assert "sales_push" in str(sale["withdrawn"])


# -- class 6, play 10: passed on a second time, not a third -------------------------------------


def test_play10_the_ending_does_not_count_a_third_passing_on() -> None:
    said = _said("10")
    assert "for a third time" not in said
    assert "Ravi was passed on again, although this was yours to resolve" in said
