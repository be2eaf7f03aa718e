"""Review 25u (truth25y): every debrief sentence true of the path, in scenario content.

Each test replays a play from the blind review (its scenario, seed and choice ids, as in
review25u's playNN.json) and reads the debrief as the examiner did, or checks the pack-wide rule
that fixes a class. Each failed on main before this branch."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from scoring import debrief
from scoring.scorer import score
from simulator.engine.loader import load_scenario, resolve, scenario_files
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]

# play number: (scenario, seed, path), from review25u's playNN.json
PLAYS: dict[str, tuple[str, int, list[str]]] = {
    "04": (
        "laptop-month7",
        804,
        [
            "opening.1",
            "details.2",
            "suspicious.1",
            "rights_stage.1",
            "evidence_stage.1",
            "deadline_need.1",
            "remedy_explain.1",
            "confirm_stage.1",
            "follow_up_call.1",
        ],
    ),
    "05": ("online-return-changed-mind", 805, ["opening.4", "opened_question.3", "fee_dispute.2"]),
    "06": (
        "sar-by-phone",
        806,
        ["opening.3", "not_recognised.1", "caller_explains.3", "early_disclosure.2"],
    ),
    "07": (
        "relative-asks-about-account",
        807,
        [
            "opening.1",
            "explains.1",
            "explains_why.3",
            "asked_security.1",
            "explains_why.1",
            "routes_explained.1",
            "call_arranged.1",
            "plan_confirm.1",
            "wrap_up.1",
        ],
    ),
    "10": ("abusive-customer", 810, ["opening.3", "mirrored.1", "vents.4"]),
    "12": ("courier-lost-cot", 812, ["opening.3", "courier_blame.2"]),
    "13": (
        "late-delivery-recovery",
        813,
        [
            "opening.2",
            "order_number.1",
            "story.1",
            "options_check.1",
            "fix_accepted.1",
            "money_question.1",
            "recap.2",
        ],
    ),
    "17": ("broadband-hardship", 817, ["opening.2", "pay_today.2"]),
}


def _play(n: str) -> tuple[Any, dict[str, Any], str]:
    """The scenario, the transcript and the ending's own debrief text."""
    sid, seed, path = PLAYS[n]
    sc = load_scenario(resolve(sid))
    s = Runtime(sc).new_session(seed=seed)
    s.replay(path)
    t = s.transcript()
    t["mode"] = "assess"
    return sc, t, str(s.debrief or "")


def _text(n: str) -> str:
    """The whole debrief as printed: the ending's text, then the assessment."""
    sc, t, ending = _play(n)
    return " ".join((ending + " " + debrief.render_view(debrief.build(sc, t), "text")).split())


def _options() -> list[tuple[str, Any]]:
    out = []
    for f in scenario_files(ROOT / "scenarios"):
        sc = load_scenario(f)
        for sid, st in sc.states.items():
            for i, ch in enumerate(st.choices, 1):
                out.append((f"{f.stem} {sid}.{i}", ch))
    return out


# -- class B: play 13, follow-up promised, no recap ------------------------------------------


def test_play13_grade_and_follow_up_agree_with_the_examiner() -> None:
    """A dated call promised at turn 5 is a follow-up; with no recap at the close the attempt is a
    pass (the examiner's grade), not a distinction through a `confirm` on the promise."""
    sc, t, _ending = _play("13")
    s = score(sc, t)
    assert s["grade"] == "pass", s["grade_reason"]
    met = {mp["id"] for mp in s["marking_points"] if mp["status"] == "met"}
    assert "check_understanding" not in met
    text = _text("13")
    assert "Follow up: shown at turn 5." in text
    assert "Follow up: not shown" not in text
    assert "spent the next hours anxious" not in text
    assert "the missed callback logged" not in text
    assert "the tracking link and your half-twelve call" in text


def test_a_promised_half_twelve_call_is_a_follow_up_and_not_a_recap() -> None:
    """Every late-delivery option promising 'ring you at half twelve' shows follow_up; only the
    recap (it runs through the plan and asks 'is that right?') shows confirm."""
    sc = load_scenario(resolve("late-delivery-recovery"))
    for sid, st in sc.states.items():
        for i, ch in enumerate(st.choices, 1):
            said = str(ch.text)
            if "ring you at half twelve" in said:
                assert "follow_up" in ch.shows, f"{sid}.{i}"
            if "confirm" in ch.shows:
                assert "is that right?" in said, f"{sid}.{i}"


# -- class D: mistake texts true of every option carrying them -------------------------------


def test_mistake_texts_fit_the_path() -> None:
    assert "security answers" not in _text("06")  # the data subject rang himself
    assert "took it back and helped" not in _text("10")  # he was cut off and lost
    assert "with a warning attached" not in _text("04")  # the line gave a reason, no warning
    text17 = _text("17")
    assert "Turn 1, Defensive" not in text17  # asking her to pay defends nothing
    assert "when she had just told you she can't pay" in text17


def test_catalogue_general_texts_name_no_one_path() -> None:
    cat = yaml.safe_load((ROOT / "scoring" / "catalogue.yaml").read_text(encoding="utf-8"))
    m = cat["mistakes"]
    assert "relative" not in m["skips_verification"]["explanation"]
    assert "helped" not in m["defensive"]["explanation_withdrawn"]
    # "without saying who, why or when" read as none of the three, false of lines naming a team
    assert "without saying who, why or when" not in m["vague_referral"]["explanation"]


def test_a_referral_never_made_is_not_called_sending_her_somewhere() -> None:
    """headwear-rule manager.2 ('a quiet word with the guard myself') sends her nowhere: its
    vague_referral is explained by what the line did."""
    sc = load_scenario(resolve("headwear-rule"))
    _sid, _i, ch = sc.find_choice("manager.2")
    assert "vague_referral" in ch.mistakes
    assert ch.explain and "store manager" in ch.explain["vague_referral"]


# -- class E: an apology that comes with a wrong answer is not counted ------------------------


def test_no_option_that_misstates_the_law_is_credited_with_an_apology() -> None:
    """The debrief tells the learner "an apology that comes with a refusal, a blame or a wrong
    answer is not counted as one" (play 15); plays 05 and 12 credited a sorry that introduced a
    restocking fee / sent her to the courier. The tags now follow what the learner is told."""
    bad = [
        name
        for name, ch in _options()
        if "apologise" in ch.shows and "misstates_law" in ch.mistakes
    ]
    assert not bad, "\n".join(bad)


def test_plays_05_and_12_do_not_credit_respect_for_a_wrong_answers_sorry() -> None:
    for n in ("05", "12"):
        text = _text(n)
        assert (
            'Met, a pass point: Greets and treats the customer with respect. Shown by: "apologise"'
            not in text
        ), n
        assert "led into a refusal or a wrong answer, not an apology" in text, n


# -- class G and play 07's repeated line -----------------------------------------------------


def test_play07_ending_is_respectful_and_no_customer_line_repeats() -> None:
    text = _text("07")
    assert "muddled 81-year-old" not in text
    assert "whose memory, Helen told you, is failing" in text  # said only where she said it
    _sc, t, _ending = _play("07")
    said = [turn["customer"] for turn in t["turns"]]
    assert len(said) == len(set(said)), said


def test_no_ending_or_feedback_calls_a_customer_muddled() -> None:
    """Learner-facing words about an older customer (not the customer's own words) are respectful."""
    for f in scenario_files(ROOT / "scenarios"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for sid, st in (data.get("states") or {}).items():
            if re.search(r"muddled \d+-year-old", str(st.get("debrief", ""))):
                raise AssertionError(f"{f.stem} {sid}")
