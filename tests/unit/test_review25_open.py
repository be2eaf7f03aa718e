"""Defects left open by reviews 25b and 25d, fixed on branch truth25g (tests/calibration/REVIEW.md
"Left open" and "Not fixed"), each replayed through the real Session, scorer and debrief."""

from __future__ import annotations

from typing import Any

from scoring import debrief
from scoring.scorer import score
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime


def _play(scenario: str, path: list[str], seed: int = 5) -> tuple[Any, dict[str, Any], Any]:
    sc = load_scenario(resolve(scenario))
    s = Runtime(sc).new_session(seed=seed)
    s.replay(path)
    assert s.ended, path
    t = s.transcript()
    t["mode"] = "assess"
    return sc, t, s


LATE_RIGHT = ["story.1", "options_check.1", "fix_accepted.1", "money_question.1", "recap.1"]


def test_the_courier_line_withdrawn_takes_its_no_ownership_back():
    """(c) late-delivery-recovery: "the courier has it, they're the ones to chase", withdrawn at
    once ("until it reaches you, the order is ours to sort out"), no longer fails "takes
    ownership": the withdrawal carries `corrects: [no_ownership]`."""
    sc, t, _ = _play(
        "late-delivery-recovery",
        ["opening.3", "courier_blame.1", *LATE_RIGHT, "follow-up-as-promised"],
    )
    s = score(sc, t)
    mp = {m["id"]: m["status"] for m in s["marking_points"]}
    assert mp["take_ownership"] == "met"
    assert {w["id"] for w in s["withdrawn"]} >= {"no_ownership"}
    assert s["grade"] == "pass", s["grade_reason"]


def test_a_refund_as_account_credit_is_the_decisive_wrong_twin():
    """(c) the wrong twin that keeps the random pass odds within 5%: a full refund as credit on
    her account misstates fact 5 (the way she paid unless she agrees) and is never withdrawn;
    the recap and the ending say credit, not "back to your card", and never "withdrew it"."""
    path = ["opening.1", *LATE_RIGHT, "follow-up-as-promised"]
    path[4] = "money_question.4"
    sc, t, s = _play("late-delivery-recovery", path)
    assert t["turns"][4]["choice"] == "money_question.4"
    assert "as credit on your account" in t["turns"][4]["text"]
    out = score(sc, t)
    assert out["grade"] == "fail"
    assert "back to your card" not in t["turns"][5]["text"]
    assert "then withdrew it" not in s.debrief and "never withdrawn" in s.debrief


def test_a_closing_with_reference_timescale_and_route_is_no_fault_anywhere():
    """(d) app-update-damage closing.2 reached a distinction while its feedback and ending called
    "whoever's on" a fault. Decided from brief fact 27: the amount, a timescale, the reference
    and the shop to ring keep the case with the shop, so it is no mistake, and the feedback and
    the ending say nothing that contradicts the distinction (phone-screen-refit's twin alike)."""
    for scenario, path in (
        (
            "app-update-damage",
            ["opening.1", "details.1", "remedy.1", "patch_check.1", "refund_agreed.1"],
        ),
        (
            "phone-screen-refit",
            ["opening.1", "fault_heard.1", "wants_money.1", "tech_check.1", "refund_agreed.1"],
        ),
    ):
        sc, t, s = _play(scenario, [*path, "refund_done.1", "closing.2"])
        out = score(sc, t)
        assert out["grade"] == "distinction", (scenario, out["grade_reason"])
        last = sc.states["closing"].choices[1]
        assert not last.mistakes
        for text in (last.feedback, s.debrief):
            assert "nobody in particular" not in text and "only contact" not in text, scenario
        assert "without a summary of the refund's amount, reference and timescale" not in (
            s.debrief
        )
        view = debrief.render_view(debrief.build(sc, t), "text")
        assert "nobody in particular" not in view


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def test_no_learner_facing_text_uses_the_tier_shorthand():
    """(e) review 25b E: "opens tier 2" in washing-machine-day45 feedback. "Tier 1/2" is
    commentators' shorthand for the Consumer Rights Act's remedies; the course says "repair or
    replacement", "a price reduction or the final right to reject". YAML comments (where the
    brief's facts are cited) may keep it; nothing a learner reads may."""
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    files = [
        *sorted((root / "scenarios").glob("*.yaml")),
        *sorted((root / "scenarios" / "locales").rglob("*.yaml")),
        *sorted((root / "scoring").glob("*.yaml")),
    ]
    shorthand = re.compile(r"\btier[ -]?(?:1|2|one|two)\b", re.I)
    found = [
        f"{f.name}: {s[:80]}"
        for f in files
        for s in _strings(yaml.safe_load(f.read_text(encoding="utf-8")))
        if shorthand.search(s)
    ]
    assert not found, found


def test_a_lost_customer_hears_only_the_wrong_claims_this_path_made():
    """(f) review 25d D12: "Wrong claims such as 'over 30 days, nothing we can do', 'prove it's
    a fault', a call-out charge..." after a path that made one of them."""
    _, _, s = _play(
        "washing-machine-day45", ["opening.4", "troubleshoot.1", "fault_heard.2", "prove_demand.2"]
    )
    assert s.state == "hangs_up"
    assert "prove the fault" in s.debrief
    assert "call-out" not in s.debrief and "Over 30 days" not in s.debrief
    assert "deduction for use" not in s.debrief
    _, _, s = _play(
        "online-return-changed-mind",
        ["opening.2", "refusal.1", "rights_explain.3", "fee_dispute.2"],
    )
    assert s.state == "ends_call"
    assert '"Faulty only" was wrong' in s.debrief and "restocking fee" in s.debrief
    assert "Opened boxes" not in s.debrief


# Feedback that says the line's own question (or listening) was the fault: not listening,
# asking again what the customer has just said or shown, hunting for a reason to refuse or for
# the customer's mistake, box-ticking. A turn criticised this way is no evidence of finding out
# what the customer needs (review 25b B6).
NOT_LISTENING = (
    r"weren't listening|not listening|hunting for a reason|asking twice|asking again|"
    r"looking for (?:his|her) mistake|box-ticking|already seen it|"
    r"before (?:he|she)'s told you anything|before you've heard the problem"
)


def test_a_question_the_feedback_criticises_credits_no_marking_point():
    """(b) review 25b B6: "Met: Finds out what the customer needs" beside a question "hunting
    for a reason to refuse". Pack-wide: an option whose feedback criticises its question as
    not listening shows neither `question` nor `hear` (or tags a mistake); and the review's
    own play no longer meets the point from that turn."""
    import re
    from pathlib import Path

    from simulator.engine.loader import scenario_files

    bad = []
    for f in scenario_files(Path(__file__).resolve().parents[2] / "scenarios"):
        sc = load_scenario(f)
        for sid, st in sc.states.items():
            for i, ch in enumerate(st.choices):
                fb = " ".join(str(ch.feedback or "").split())
                if (
                    re.search(NOT_LISTENING, fb, re.I)
                    and {"question", "hear"} & set(ch.shows)
                    and not ch.mistakes
                ):
                    bad.append(f"{sc.id} {sc.choice_id(sid, i)}")
    assert not bad, bad
    sc = load_scenario(resolve("online-return-changed-mind"))
    ch = sc.states["opening"].choices[3]
    assert "hunting for a reason to refuse" in ch.feedback
    assert "question" not in ch.shows
