"""Review 25aw (tests/calibration/reviews/review25aw.md): the debrief sentences an examiner flagged
as false of the path, contradicting another section, or scoring internals, replayed on the play
that showed each (the cases in tests/calibration/review25aw.yaml, with their seeds), and each
class checked over sampled paths of the pack, so a fix is of the class, not of the one play."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring import debrief
from simulator.engine.loader import load_scenario, scenario_files
from tests.replay import assessed, assessed_transcript, printed, review_play, sampled_paths, text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")


def _play(n: int) -> tuple[dict[str, Any], str]:
    scenario, seed, ids = review_play("review25aw", n)
    _t, v = assessed(scenario, seed, ids)
    return v, text(v)


def _printed(n: int) -> str:
    scenario, seed, ids = review_play("review25aw", n)
    return printed(scenario, seed, ids)[1]


# -- class 7: scoring internals in learner text ------------------------------------------------

# The test's mechanics, not the course's words: "no choice on this path", "a neutral 50%", "the
# option it came in is not credited".
_JARGON = re.compile(
    r"\b(?:choices?|options?|path|credited|neutral)\b",
    re.IGNORECASE,
)
# What the learner saw on screen in a typed attempt is named as such (not a scoring internal).
_ALLOWED = re.compile(
    r"The options were shown (?:here|at turns? [\d, ]+)|\(The options were shown here\.\)"
)


def _own_words(view: dict[str, Any]) -> str:
    """The debrief as printed, less what the scenario wrote (the customer's lines, the learner's
    replies, the turn feedback, "Better" lines, quoted in the record) and less the scenario's
    own prose (its ending, its "Here" notes): the debrief's own words only."""
    out = text(view)
    quoted: list[str] = []
    for r in view["turns"]:
        quoted += [str(r.get(k) or "") for k in ("customer", "said", "typed", "feedback")]
    for s in quoted:
        if s:
            out = out.replace(s, "")
    out = re.sub(r'"[^"\n]*"', '""', out)
    out = re.sub(r"“[^”\n]*”", '""', out)
    return _ALLOWED.sub("", out)


@pytest.mark.parametrize("n", [4, 6, 15, 16])
def test_class7_flagged_plays_say_the_law_and_the_apology_in_the_course_words(n: int) -> None:
    """Plays 04, 06, 15, 16: "a neutral 50%: no choice on this path stated the law", "the option
    it came in is not credited with an apology"."""
    said = _printed(n)
    for phrase in ("no choice on this path", "neutral", "the option it came in", "credited"):
        assert phrase not in said, phrase
    assert "Law: " in said


def test_class7_play04_the_sorry_not_counted_is_said_plainly() -> None:
    said = _printed(4)
    assert (
        "Apologise: said at turn 3, but not counted: that reply is not counted as an apology"
        in (said)
    )


def _jargon(sc: Any, t: dict[str, Any]) -> list[str]:
    own = _own_words(debrief.build(sc, t))
    return [
        line.strip()[:160]
        for line in own.splitlines()
        if _JARGON.search(line) and not line.lstrip().startswith(("Feedback:", "Better:"))
    ]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_class7_no_debrief_speaks_in_scoring_internals(path: Path) -> None:
    """Over sampled paths of every shipped scenario: the debrief's own words never say
    "choice", "option", "path", "credited" or "neutral" (the test's mechanics)."""
    sc = load_scenario(path)
    found: dict[str, str] = {}
    for ids in sampled_paths(sc, 8):
        for line in _jargon(sc, assessed_transcript(sc, ids)):
            found.setdefault(re.sub(r"\d+", "N", line), " ".join(ids))
    assert not found, found


# -- class 4: "said at turn N, but not counted" rests on the option's marks ----------------------


def test_class4_play16_no_story_asked_is_claimed() -> None:
    """Play 16: turn 1 only promised £250 and asked what day suited; "I can't defend what
    happened" is not a question about the customer's story."""
    said = _printed(16)
    assert "Hear: said at turn 1" not in said
    assert "Listen: said at turn 1" not in said
    assert "You asked for the customer's story at turn 1" not in said
    assert "Hear: not shown." in said


def test_class4_a_step_said_but_not_counted_is_marked_or_asked() -> None:
    """Over sampled paths: a "Hear ... said at turn N, but not counted" line names a turn whose
    option lists hearing or a question among its marks, cancelled there, or whose words ask
    the customer for the story (a request, not "what happened" inside another sentence)."""
    bad: list[str] = []
    for path in SHIPPED:
        sc = load_scenario(path)
        for ids in sampled_paths(sc, 8):
            v = debrief.build(sc, assessed_transcript(sc, ids))
            for m in v["models"]:
                for st in m["steps"]:
                    if st.get("voided") and st["behaviour"] == "hear":
                        row = v["turns"][st["voided"] - 1]
                        marked = set(row["dropped_ids"]) & {"hear", "question"}
                        if not marked and not debrief._ASKED.search(row["said"]):
                            bad.append(f"{path.stem} {' '.join(ids)}")
    assert not bad, bad[:5]


# -- class 1: a mistake's explanation true of the option it is printed for -----------------------


def test_class1_play01_the_vague_referral_gloss_fits_a_hazard_passed_to_someone() -> None:
    """Play 01: the spill left to "someone on the shop floor" over the radio; the customer was
    never passed on."""
    said = _printed(1)
    assert "You passed the customer on" not in said
    assert "You passed the problem on, or said someone would deal with it" in said


def test_class1_play10_the_no_ownership_gloss_fits_running_a_colleague_down() -> None:
    """Play 10: "they're new and get things muddled. Anyway, what's been happening with it?"
    Nothing was handed off, put off or dropped at turn 1."""
    said = _printed(10)
    assert "you handed it to someone else" not in said
    assert "handed" not in said.split("Turn 1, No ownership.")[1].split("Better:")[0]


# -- class 3: a slip made up for spoils no marking point it is said to be made up for ------------


def test_class3_play01_a_slip_made_up_for_does_not_also_undo_keeps_informed() -> None:
    """Play 01: "made up for by what you did at turn 7" beside "Keeps the customer informed ...
    undone by the mistake: vague referral". One rule, as for slips taken back: the recovered
    cap stops a distinction; the point itself is met by the reference, name and time."""
    v, said = _play(1)
    assert "undone by the mistake: vague referral" not in said
    assert v["score"]["grade"] == "pass"
    assert "Met, a distinction point: Keeps the customer informed and reassured" in said


def test_class3_no_recovered_slip_is_also_named_as_undoing_a_point() -> None:
    """Over sampled paths: a slip the debrief says was made up for ("At most pass (a slip
    recovered by what you did later)") is never the mistake that undid a marking point."""
    bad: list[str] = []
    for path in SHIPPED:
        sc = load_scenario(path)
        for ids in sampled_paths(sc, 8):
            v = debrief.build(sc, assessed_transcript(sc, ids))
            # made up for, and not made again after the turn that made up for it
            rec = {
                r["id"]
                for r in v["score"].get("recovered") or ()
                if not any(
                    row["turn"] > r["later"] and r["id"] in row["mistake_ids"] for row in v["turns"]
                )
            }
            for p in v["marking_points"]["missed"]:
                if set(p.get("spoiled_by") or ()) & rec:
                    bad.append(f"{path.stem} {' '.join(ids)}: {p['label']}")
    assert not bad, bad[:5]


# -- class 8: no stock example that fits one scenario only ----------------------------------------


@pytest.mark.parametrize("n", [1, 5])
def test_class8_no_stock_example_of_a_morning_need(n: int) -> None:
    assert "needed it this morning" not in _printed(n)
