"""Review 25i (17 fresh plays examined blind, branch review25i, review/REVIEW.md): the defects
the lead gave branch truth25j, each replayed on the review's own play (its seed and path)
through the real Session and scorer, and each class checked over the whole pack. The review's
cases file is tests/calibration/review25i.yaml; the paths are repeated here so these tests
stand alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring.scorer import score
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime

SCENARIOS = sorted(
    p
    for p in (Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml")
    if not p.name.endswith(".test.yaml")
)

PLAYS = {
    "04": ("spill-in-aisle", 404, ["opening.4", "blamed.2"]),
    "02": (
        "courier-lost-cot",
        402,
        ["opening.2", "tracking.1", "controllable.1", "data_share.1", "improvement.1"]
        + ["closing.1"],
    ),
    "03": (
        "phone-screen-refit",
        403,
        ["opening.2", "blamed.1", "fault_heard.3", "wants_money.1", "tech_check.1"]
        + ["refund_agreed.1", "refund_done.1", "closing.1"],
    ),
    "16": (
        "washing-machine-day45",
        416,
        ["opening.2", "details_first.1", "fault_heard.1", "empathised.1", "choose_remedy.1"]
        + ["remedy_chosen.3", "repair_confirm.1", "callback.1", "final_choice.1"],
    ),
}


def _play(n: str) -> tuple[Any, dict[str, Any]]:
    scenario, seed, path = PLAYS[n]
    sc = load_scenario(resolve(scenario))
    s = Runtime(sc).new_session(seed=seed)
    s.replay(path)
    assert s.ended
    t = s.transcript()
    t["mode"] = "assess"
    return sc, score(sc, t)


# Blame and defensiveness: the slips an apology in words can take back.
SLIPS = {"blaming_customer", "defensive"}
# An option's words that apologise for or withdraw what was just said.
TAKES_BACK = re.compile(
    r"\b(sorry|I apologi[sz]e|you're right|that came out|came across|put that|I got that wrong"
    r"|out of line|too abrupt|I jumped in|I went straight|made that sound)\b",
    re.IGNORECASE,
)


def _withdrawals_without_corrects(path: Path) -> list[str]:
    """Options reached straight after a blaming or defensive option, that make no mistake of
    their own and whose words apologise for it, but carry no `corrects:` naming the slip."""
    sc = load_scenario(path)
    made_into: dict[str, set[str]] = {}
    for st in sc.states.values():
        for ch in st.choices:
            slips = set(ch.mistakes) & SLIPS
            if slips:
                made_into.setdefault(ch.goto, set()).update(slips)
    out = []
    for sid, slips in made_into.items():
        st = sc.states.get(sid)
        if st is None:
            continue
        for i, ch in enumerate(st.choices):
            if ch.mistakes or not TAKES_BACK.search(ch.text):
                continue
            if not slips <= set(ch.corrects):
                out.append(
                    f"{sc.id} {sc.choice_id(sid, i)}: {ch.text[:60]!r} lacks {sorted(slips)}"
                )
    return out


def test_d3_a_blame_taken_back_at_the_next_turn_caps_at_pass_not_fail():
    """Play 03: the learner hinted he had knocked the phone, then said "No, and I'm sorry it
    came out that way" at the next turn; the examiner gave a pass."""
    _, s = _play("03")
    assert s["grade"] == "pass", s["grade_reason"]
    assert "took back" in s["grade_reason"] or "taken back" in s["grade_reason"]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_d3_every_apology_for_a_blaming_or_defensive_line_withdraws_it(path):
    assert _withdrawals_without_corrects(path) == []


def test_d4_a_full_refund_nothing_off_withdraws_the_earlier_deduction():
    """Play 16: "less a bit for the weeks you've used it" at turn 6, then "a full refund of
    £429, nothing off" at the callback, paid in full; the examiner gave a pass."""
    sc, s = _play("16")
    assert s["grade"] == "pass", s["grade_reason"]
    assert "never withdrawn" not in s["grade_reason"]
    for cid in ("callback.1", "second_repair.1"):
        st, _, n = cid.partition(".")
        ch = sc.states[st].choices[int(n) - 1]
        assert "consumer_rights_act_2015.deduction_for_use" in ch.corrects, cid


def test_d1_d2_the_opening_that_asks_to_pull_up_the_order_leaves_the_needs_point_meetable():
    """Play 02: an unmarked opening ("Can I pull up the order first…") used to leave no way to
    show finding out her needs, so a good attempt failed; "does Thursday suit?" at the close
    asks what suits her, and the opening names the impact as opening.1 does. The examiner gave
    a distinction."""
    _, s = _play("02")
    assert s["grade"] == "distinction", s["grade_reason"]


def _pass_points() -> list[tuple[str, list[str]]]:
    import yaml

    g = yaml.safe_load((SCENARIOS[0].parents[1] / "scoring" / "grading.yaml").read_text("utf-8"))
    return [(m["id"], list(m["shown"])) for m in g["marking_points"] if m["level"] == "pass"]


def _shows_point(ch: Any, shown: list[str]) -> bool:
    for s in shown:
        if s == "law:right" and "right" in ch.law.values():
            return True
        if s == "escalation:handover" and "handover" in ch.shows:
            return True
        if s in ch.shows:
            return True
    return False


def _mistake_free_paths_missing_a_pass_point(path: Path) -> list[str]:
    """Pass points (behaviour evidence; escalate_well is scored by the escalation model) that
    some path of options with no mistake reaches an ending without showing, though the scenario
    offers a way to show them. Such a path fails with nothing named (review25i D1). Options'
    `if:` conditions are ignored, which over-approximates the paths, so a hit is a lead to check
    by replay, and the pack has none."""
    sc = load_scenario(path)
    start = next(iter(sc.states))
    out = []
    for pid, shown in _pass_points():
        if pid == "escalate_well":
            continue
        if not any(_shows_point(c, shown) for st in sc.states.values() for c in st.choices):
            continue
        prev: dict[str, tuple[str, int] | None] = {start: None}
        stack = [start]
        while stack:
            sid = stack.pop()
            for i, ch in enumerate(sc.states[sid].choices):
                if ch.mistakes or _shows_point(ch, shown) or ch.goto in prev:
                    continue
                if ch.goto in sc.states:
                    prev[ch.goto] = (sid, i)
                    stack.append(ch.goto)
        for end in (s for s in prev if not sc.states[s].choices):
            ids, at = [], prev[end]
            while at is not None:
                ids.append(sc.choice_id(*at))
                at = prev[at[0]]
            out.append(f"{sc.id}: {pid} never shown on {' '.join(reversed(ids))} -> {end}")
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_d1_no_mistake_free_path_leaves_a_pass_point_unmeetable(path):
    assert _mistake_free_paths_missing_a_pass_point(path) == []


def _choice(scenario: str, cid: str) -> Any:
    sc = load_scenario(resolve(scenario))
    st, _, n = cid.partition(".")
    return sc.states[st].choices[int(n) - 1]


def test_d5_an_unprotected_email_of_minimised_data_is_marked_and_explained_alike():
    """Moderation25.md case 3 (decision c): the minimum data by ordinary email when a secure
    route was on offer is insecure_route, a slip that stops a distinction, not oversharing; the
    feedback says the data was cut down rightly and names the route on offer."""
    ch = _choice("internal-customer-finance", "updated.3")
    assert ch.mistakes == ["insecure_route"]
    fb = " ".join(ch.feedback.split())
    assert "was right" in fb and "protected file" in fb and "restricted folder" in fb


def test_d13_totals_are_not_one_line_per_complaint():
    ch = _choice("internal-customer-finance", "purpose.1")
    assert "one line per complaint" not in ch.text
    assert "totals" in ch.text and "references only" in ch.text


def test_d7_the_walk_out_ending_claims_no_injury_the_path_never_established():
    """Play 04: on the blamed path she never says whether her son was hurt."""
    scenario, seed, path = PLAYS["04"]
    sc = load_scenario(resolve(scenario))
    s = Runtime(sc).new_session(seed=seed)
    s.replay(path)
    text = " ".join(str(s.debrief).split())
    assert "son hurt" not in text
    assert (
        "She walked out before anyone had seen to her son, with nobody guarding the spill." in text
    )


def test_d10_d11_feedback_says_what_its_option_says():
    laptop = " ".join(_choice("laptop-month7", "warranty_wall.2").feedback.split())
    assert "policy" not in laptop and "manufacturer" in laptop
    toaster = _choice("faulty-toaster-day12", "proof_first.1")
    assert toaster.text.startswith("Sorry") and "apologise" in toaster.shows
    assert "apology for it would have helped" not in toaster.feedback
    assert "you apologised" in toaster.feedback


def _offered_at(scenario: str, seed: int, path: list[str], cid: str) -> str:
    s = Runtime(load_scenario(resolve(scenario))).new_session(seed=seed)
    s.replay(path)
    return next(o.text for o in s.offered() if o.choice_id == cid)


def test_d6_the_identity_check_option_does_not_ask_again_for_an_address_she_gave():
    """Play 05 read out the new address at turn 3 (before the check); the turn-4 option used to
    ask "What's the new one?" regardless of the path."""
    after = ["opening.1", "explains.2", "unverified_change.1"]
    said = _offered_at("correct-and-erase", 405, after, "id_check.1")
    assert "What's the new one?" not in said and "the one you gave me" in said
    fresh = _offered_at("correct-and-erase", 405, ["opening.1", "explains.1"], "id_check.1")
    assert fresh.endswith("What's the new one?")
    fb = " ".join(_choice("correct-and-erase", "explains.2").feedback.split())
    assert "started changing" not in fb


def test_d2_the_same_words_earn_the_same_tags():
    """Play 03's turn 3 played back the fault and the work it cost ("Empathise: not shown" was
    false); play 02's opening named the impact as opening.1 does."""
    heard = _choice("phone-screen-refit", "fault_heard.3")
    assert {"hear", "empathise"} <= set(heard.shows)
    assert "empathise" in _choice("courier-lost-cot", "opening.2").shows


# Words that take back something said on the turn before.
WITHDRAWS = re.compile(
    r"(I mixed that up|I misunderstood|I shouldn't have|I should have checked|you're right"
    r"|I had that wrong|I got that wrong|I put that)",
    re.IGNORECASE,
)

# Found by the check below and left open on branch truth25j: marking this withdrawal (with
# policy_only.1 and companion_call.1, which withdraw in other words) lifts
# reasonable-adjustment's random-learner pass odds to 5.7% (target 5%), so a state there must
# first be made more decisive.
KNOWN_OPEN = {"reasonable-adjustment medical_proof.1"}


def _law_withdrawals_without_corrects(path: Path) -> list[str]:
    """Options straight after one that got a law fact wrong, whose words take it back and
    state the same fact right, but carry no `corrects:` for it: the scorer then keeps the
    misstatement standing and fails the attempt ("never withdrawn"), as in play 16 (D4)."""
    sc = load_scenario(path)
    wrong_into: dict[str, set[str]] = {}
    for st in sc.states.values():
        for ch in st.choices:
            wrong_into.setdefault(ch.goto, set()).update(
                k for k, v in ch.law.items() if v == "wrong"
            )
    out = []
    for sid, st in sc.states.items():
        for i, ch in enumerate(st.choices):
            if ch.mistakes or not WITHDRAWS.search(ch.text):
                continue
            for k, v in ch.law.items():
                act = k.partition(".")[0]
                if v == "right" and k in wrong_into.get(sid, ()):
                    if k not in ch.corrects and act not in ch.corrects:
                        out.append(f"{sc.id} {sc.choice_id(sid, i)}")
    return sorted(set(out) - KNOWN_OPEN)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_d4_class_a_withdrawal_in_words_of_a_law_slip_marks_corrects(path):
    assert _law_withdrawals_without_corrects(path) == []


def test_d4_class_sar_mixed_up_then_put_right_is_withdrawn():
    ch = _choice("sar-by-phone", "in_writing_claim.1")
    assert "data_protection_act_2018.sar_any_form" in ch.corrects
