"""Scoring and debrief defect classes from review 25f (truth25h: 17 fresh plays examined blind by a third examiner; branch
review25f, review/REVIEW.md; tests/calibration/REVIEW.md "Review 25f"), each replayed on the play
that showed it, with its seed, through the real Session, scorer and debrief."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from scoring import debrief, scorer
from scoring.scorer import score
from simulator.engine.loader import load_scenario, resolve
from simulator.engine.session import Runtime
from tests.replay import assessed

ROOT = Path(__file__).resolve().parents[2]
CASES = {
    c["id"]: c
    for c in yaml.safe_load(
        (ROOT / "tests" / "calibration" / "review25f.yaml").read_text(encoding="utf-8")
    )["cases"]
}


def _play(case_id: str) -> tuple[Any, dict[str, Any]]:
    c = CASES[f"review25f-{case_id}"]
    sc = load_scenario(resolve(c["scenario"]))
    s = Runtime(sc).new_session(seed=int(c["seed"]))
    s.replay(c["path"])
    t = s.transcript()
    t["mode"] = "assess"
    return sc, t


def _view(case_id: str) -> dict[str, Any]:
    sc, t = _play(case_id)
    return debrief.build(sc, t)


def _text(case_id: str) -> str:
    return debrief.render_view(_view(case_id), "text")


def test_sending_the_customer_away_is_not_keeping_the_case():
    """D4: "Kept the case, but did not deal with it" after the learner sent the customer to the
    manufacturer (05), to chase the courier (09), to the manufacturer's callout (17)."""
    for cid in (
        "faulty-toaster-day12-305",
        "late-delivery-recovery-309",
        "webchat-fridge-year-four-317",
    ):
        text = _text(cid)
        assert "Kept the case" not in text, cid
        # nobody was referred anywhere (no escalation made): the label says the slip, not
        # "passed the customer away" (review 25aa class 2)
        assert "Escalation: Did not take ownership, so the case was not dealt with" in text, cid


def test_a_missed_escalation_is_not_said_to_be_escalation_done_badly():
    """D9: "...and it never was. But it does not count as escalation done well" (03, 06)."""
    missed = 0
    for cid in CASES:
        v = _view(cid.removeprefix("review25f-"))
        if v["escalation"]["verdict"] != "missed":
            continue
        missed += 1
        assert "never was" in v["escalation"]["note"], cid
        assert "does not count as escalation done well" not in v["escalation"]["note"], cid
    assert missed  # headwear-rule 306 at least


def test_not_used_law_comes_only_from_choices_the_path_was_offered():
    """D13: one turn of a data request listed the marketing-objection rule "Not used" (14), and a
    wardrobe delivery listed two rules citing food spoiled in a failed fridge (03)."""
    v = _view("sar-by-phone-314")
    assert not v["law"]["not_applied"]
    assert "did not use the customer's legal rights" not in v["law"]["note"]
    assert "objects to direct marketing" not in _text("sar-by-phone-314")
    text = _text("compensation-beyond-authority-303")
    assert "fridge" not in text
    # and every law listed "Not used" was on a choice the learner was offered
    sc, t = _play("compensation-beyond-authority-303")
    offered = {o["id"] for row in t["offers"] for o in row["offered"]}
    c = debrief.compiled(sc)
    on_offer = {k for cid in offered for k in c.fx[cid].law_right}
    assert {w["id"] for w in debrief.build(sc, t)["law"]["not_applied"]} <= on_offer


def test_no_shipped_law_rule_quotes_one_scenarios_example():
    """D13: a rule the debrief quotes in any scenario names no scenario's goods."""
    laws = yaml.safe_load((ROOT / "scoring" / "laws.yaml").read_text(encoding="utf-8"))
    for act in ("unfair_terms", "consequential_loss"):
        rule = laws["consumer_rights_act_2015"]["facts"][act]["rule"]
        assert "fridge" not in rule, act


def test_a_mistake_and_the_point_it_undid_are_one_thing_to_change():
    """D18: "Two things to change" listed one mistake twice: the mistake, then the marking point
    it undid ("Undone by the mistake: ...") (07, 13)."""
    for cid in ("internal-customer-finance-307", "relative-asks-about-account-313"):
        v = _view(cid)
        texts = " ".join(c["text"] for c in v["change"])
        assert "Undone by the mistake" not in texts, (cid, v["change"])


def test_a_fail_does_not_read_as_if_it_could_have_passed():
    """D21: "At most pass" caps on a Fail (03, 05, 06, 09) and a course-points heading "gave
    evidence for" over a list that is all "Missed" (05, 06, 09, 14, 17)."""
    for cid in ("compensation-beyond-authority-303", "faulty-toaster-day12-305"):
        text = _text(cid)
        assert "At most pass" not in text, cid
        assert "Would also stop a distinction" in text, cid
    text = _text("faulty-toaster-day12-305")
    assert "Course marking points this attempt gave evidence for" not in text
    assert "Course marking points this attempt did not yet show:" in text
    # a pass still says its binding caps as caps
    assert "At most pass" in _text("abusive-customer-301")
    assert "Course marking points this attempt gave evidence for" in _text("abusive-customer-301")


def test_review25f_cases_replay_to_an_ending():
    for cid, c in CASES.items():
        sc = load_scenario(resolve(c["scenario"]))
        s = Runtime(sc).new_session(seed=int(c["seed"]))
        s.replay(c["path"])
        assert s.ended, cid
        assert score(sc, s.transcript())["complete"], cid


def _erase_with_referral(tmp_path: Path) -> Any:
    """correct-and-erase with the turn-5 erasure log marked as the referral it is (review 25f
    D11, a scenario fix truth25g makes): `escalate: data_protection_officer` and a handover."""
    text = (ROOT / "scenarios" / "correct-and-erase.yaml").read_text(encoding="utf-8")
    old = "        goto: who_handles\n        shows: [take_action, explain_rights]\n"
    if (
        "escalate: data_protection_officer\n        shows: [take_action, explain_rights, handover]"
        in text
    ):
        old = ""  # the scenario fix (truth25g) has landed: the file as shipped
    if old:
        assert text.count(old) == 1
        text = text.replace(
            old,
            "        goto: who_handles\n        escalate: data_protection_officer\n"
            "        shows: [take_action, explain_rights, handover]\n",
        )
    path = tmp_path / "correct-and-erase.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def test_a_no_ownership_slip_in_a_referred_case_is_recovered_by_the_learners_follow_up(tmp_path):
    """D6 (the grade disagreement, 04): the erasure request logged for the deciding team at turn
    5, "email the team yourself" at turn 6, the learner's own summary and "I'll email you the
    confirmation" at turn 7. A briefed referral before and the learner's own follow-up after
    recover the slip (it spoils no pass point; it stops a distinction): a pass, as the examiner
    gave, and the cap sentence names the slip."""
    sc = _erase_with_referral(tmp_path)
    c = CASES["review25f-correct-and-erase-304"]
    s = Runtime(sc).new_session(seed=int(c["seed"]))
    s.replay(c["path"])
    t = s.transcript()
    got = score(sc, t)
    assert got["grade"] == c["grade"] == "pass", got["grade_reason"]
    rec = {r["id"]: r for r in got["recovered"]}
    assert rec["no_ownership"]["turn"] == 6 and rec["no_ownership"]["later"] == 7
    assert "you did not take ownership of the problem at turn 6" in got["grade_reason"]
    v = debrief.build(sc, t)
    (cap,) = [x for x in v["method"]["caps"] if "recovered" in x["rule"]]
    assert "you did not take ownership of the problem at turn 6" in cap["reason"]
    assert "you referred the customer on vaguely at turn 6" in cap["reason"]


def test_a_follow_up_alone_does_not_recover_no_ownership(tmp_path):
    """D6 kept narrow: the follow-up recovers the slip only after a briefed referral to a listed
    role at an earlier turn; an action alone before it does not (that broader rule raised a
    random learner's pass odds over 5% in four scenarios); the slip's own turn never does."""
    sc = _erase_with_referral(tmp_path)
    c = debrief.compiled(sc)
    slip = c.mbit["no_ownership"]
    closing = c.fx["closing.1"]  # confirm + follow_up
    assert closing.bits & c.bit["follow_up"]
    acted = c.bit["take_action"]
    assert not c.recovered_by(slip, acted, closing, prior=acted, esc=0) & slip
    briefed = scorer.ESC_ANY | scorer.ESC_LISTED | scorer.ESC_HANDOVER
    assert c.recovered_by(slip, acted, closing, prior=acted, esc=briefed) & slip
    again = c.fx["who_handles.2"]  # the slip itself
    assert not c.recovered_by(slip, acted, again, prior=acted, esc=briefed) & slip


def _points(case_id: str) -> dict[str, str]:
    sc, t = _play(case_id)
    return {p["id"]: p["status"] for p in score(sc, t)["marking_points"]}


def test_checking_identity_is_its_own_point_met_only_by_a_check():
    """D2: "Works within their own authority and checks who they are dealing with first" was Met
    with nobody verified (01 Gary's account, 02 Kayleigh's, 10 a bank refund by phone): the
    authority half was met by not escalating. Two points now; the identity one is met only by a
    check, and not assessed where the scenario offers none."""
    for cid in (
        "abusive-customer-301",
        "broadband-hardship-302",
        "long-running-complaint-310",
    ):
        sc, t = _play(cid)
        s = score(sc, t)
        points = {p["id"]: p["status"] for p in s["marking_points"]}
        assert points["checks_identity"] != "met" or "verify_identity" in s["shown"], cid
        text = debrief.render_view(debrief.build(sc, t), "text")
        assert "checks who they are dealing with first" not in text, cid
    # where the scenario has an identity step and the learner took it, it is met
    assert _points("correct-and-erase-304")["checks_identity"] == "met"


def test_an_apology_alone_does_not_keep_the_customer_informed():
    """D3: "Met: Keeps the customer informed and reassured" after an apology alone (06 defended
    the headwear rule, 11 misheard and passed her on, 17 pasted a script and left the chat)."""
    for cid in (
        "headwear-rule-306",
        "online-return-changed-mind-311",
        "webchat-fridge-year-four-317",
    ):
        assert _points(cid)["keep_informed"] != "met", cid


def test_checking_understanding_needs_a_confirmation():
    """D8: "Checks understanding and confirms what happens next" Met beside the cycle's
    "Confirm: not shown" (07), through a follow-up alone. Since issue 25 D8 (truth25s) this
    path's deadline_agreed.1 ("…open cases by 10 on Friday. Does that work?") shows `confirm`,
    so the point is met with the cycle's Confirm shown at that turn; the same path with the
    confirm taken off the path's choices (the finance report's follow-up alone) does not meet it."""
    v = _view("internal-customer-finance-307")
    met = {p["id"] for p in v["marking_points"]["met"]}
    confirm = [st for m in v["models"] for st in m["steps"] if st["behaviour"] == "confirm"]
    assert confirm and all(st["turn"] == 4 for st in confirm)
    assert "check_understanding" in met
    # no confirming turn: the follow-up alone does not meet the point
    _, view = assessed(
        "internal-customer-finance",
        307,
        ["opening.1", "purpose.1", "format_agreed.4", "deadline_agreed.2", "late_silent.1",
         "updated.1", "resent.1"],
    )  # fmt: skip
    steps = [st for m in view["models"] for st in m["steps"] if st["behaviour"] == "confirm"]
    assert steps and all(st["turn"] is None for st in steps)
    assert "check_understanding" not in {p["id"] for p in view["marking_points"]["met"]}


def test_heard_out_is_judged_by_the_story_reached():
    """D14: "The escalation came before you had heard the customer out" at turn 3 of 11, after
    Chloe had told the whole story (ten days, unused, changed her mind); no `hear` could be
    shown because the learner misheard. An escalation at the first turns with no hearing shown
    is still premature."""
    v = _view("online-return-changed-mind-311")
    assert v["escalation"]["escalations"] and v["escalation"]["escalations"][0]["turn"] == 3
    assert not v["escalation"]["premature"]
    assert "before you had heard the customer out" not in v["escalation"]["note"]
    sc = load_scenario(resolve("long-running-complaint"))
    c = debrief.compiled(sc)
    first = c.fx["opening.4"]  # escalates at turn 1, untagged
    assert first.escalate and not first.premature_mistake
    assert c.advance(c.initial, first)[3] & scorer.ESC_PREMATURE


def test_a_hand_over_to_the_right_team_is_not_called_one_you_could_have_resolved():
    """D10 (14): "You passed the customer on before finding out what was wrong, when you could
    have resolved it yourself" under a premature hand-over to the data protection officer's
    team, beside "Escalated to the right role". The catalogue's wording for a listed role."""
    v = _view("sar-by-phone-314")
    (m,) = [m for m in v["mistakes"] if m["id"] == "premature_escalation"]
    assert "could have resolved it yourself" not in m["explanation"]
    assert "to the right team, but before you had heard them out" in m["explanation"]


def _erase_with_explain(tmp_path: Path, key: str) -> Path:
    text = (ROOT / "scenarios" / "correct-and-erase.yaml").read_text(encoding="utf-8")
    old = "        mistakes: [no_ownership, vague_referral]\n"
    assert text.count(old) == 1
    # the shipped option has its own `explain:` now (and its comment): this test plants one
    text = re.sub(
        re.escape(old) + r"(        #.*\n)*        explain:\n(          .*\n)+",
        old,
        text,
    )
    text = text.replace(
        old,
        old + f"        explain:\n          {key}: >-\n            You named the team and said"
        " they would answer, but sent her to them\n            instead of passing it on.\n",
    )
    path = tmp_path / "correct-and-erase.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_option_may_say_what_was_wrong_with_its_own_words(tmp_path):
    """D10 (04): "You sent the customer somewhere without saying who, why or when" under a line
    that named the data protection officer's team and said they would answer. An option's
    `explain:` replaces the catalogue's general sentence for that mistake, in the debrief."""
    sc = load_scenario(_erase_with_explain(tmp_path, "vague_referral"))
    c = CASES["review25f-correct-and-erase-304"]
    s = Runtime(sc).new_session(seed=int(c["seed"]))
    s.replay(c["path"])
    v = debrief.build(sc, s.transcript())
    said = {m["id"]: m["explanation"] for m in v["mistakes"]}
    assert said["vague_referral"].startswith("You named the team and said they would answer")
    assert "without saying who, why or when" not in said["vague_referral"]
    # the other mistake keeps the catalogue's general sentence (issue 25 D12 reworded it)
    assert said["no_ownership"].startswith("You didn't take the problem on as yours")


def test_explain_may_name_only_a_mistake_the_choice_makes(tmp_path):
    from simulator.engine.loader import check_bytes

    good = _erase_with_explain(tmp_path, "vague_referral").read_bytes()
    assert "CT112" not in {d.code for d in check_bytes(good, "x.yaml").diagnostics}
    bad = _erase_with_explain(tmp_path, "rude").read_bytes()
    found = [d for d in check_bytes(bad, "x.yaml").diagnostics if d.code == "CT112"]
    assert found and "rude" in found[0].message


def test_an_ending_text_has_no_double_space_where_a_condition_added_nothing():
    """D21: "...reduced for use.  You heard him" (08): an ending's conditional sentence that
    adds nothing on the path leaves no double space."""
    sc = load_scenario(resolve("laptop-month7"))
    c = CASES["review25f-laptop-month7-308"]
    s = Runtime(sc).new_session(seed=int(c["seed"]))
    s.replay(c["path"])
    assert s.debrief and "for use. You heard him" in s.debrief
    assert "  " not in s.debrief


def test_agreeing_beyond_authority_on_a_referral_is_not_called_a_failure_to_refer(tmp_path):
    """D10 (03): "...instead of referring it to the person who can approve it" under "The wages
    go to my team leader, and I'm sure she'll sign them off", a referral that promised her
    decision. When the choice that went beyond its authority also escalates, the catalogue's
    wording for a referral is said."""
    text = (ROOT / "scenarios" / "compensation-beyond-authority.yaml").read_text(encoding="utf-8")
    sc0 = load_scenario(resolve("compensation-beyond-authority"))
    _sid, i, ch = sc0.find_choice("within_authority.3")
    assert "beyond_remit" in ch.mistakes
    if ch.escalate is None:  # until the scenario fix (truth25g D5) marks the referral
        head, tail = text.split("\n  within_authority:\n", 1)
        parts = tail.split("      - text:")
        parts[i + 1] = parts[i + 1].replace(
            "\n        goto:", "\n        escalate: team_leader\n        goto:", 1
        )
        text = head + "\n  within_authority:\n" + "      - text:".join(parts)
    path = tmp_path / "compensation-beyond-authority.yaml"
    path.write_text(text, encoding="utf-8")
    sc = load_scenario(path)
    c = CASES["review25f-compensation-beyond-authority-303"]
    s = Runtime(sc).new_session(seed=int(c["seed"]))
    s.replay(c["path"])
    v = debrief.build(sc, s.transcript())
    (m,) = [m for m in v["mistakes"] if m["id"] == "beyond_remit"]
    assert "instead of referring it" not in m["explanation"]
    assert m["explanation"].startswith("You referred it to the person who decides")
