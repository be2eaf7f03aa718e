"""Issue 25 (reviews 25u class F, 25ag play 01): "Identifies the key laws and how they shape
policy, complaint handling and what customers are told" (legislation_in_practice) is met only
when a choice on the path NAMES the law to the customer correctly: its text says the act's name
(scoring/laws.yaml `names`) and the law is marked right (the score's `law_named`), none left
misstated. Headwear-rule seed 1101 ("the sign isn't meant for religious headwear, so you're
welcome here like anyone else") states her entitlement but names no law: no such choice exists
in that scenario, so the point is "not assessed here", never missed. Where a naming choice is
offered and not taken, "not yet shown". Working knowledge (consumer_law_knowledge) keeps the
`law_stated` rule. Old saved scores without `law_named` still load."""

from __future__ import annotations

from pathlib import Path

from scoring import debrief
from scoring.course import course_status, course_unshown, law_named_status
from scoring.scorer import acts_named, compiled, name_patterns, score
from simulator.activities.progress import conversation_points
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
KEY = "legislation_in_practice"
CRA = "consumer_rights_act_2015"


def _scenario(sid: str):
    return load_scenario(ROOT / "scenarios" / f"{sid}.yaml")


def _by_numbers(sid: str, seed: int, numbers: list[int]) -> tuple[object, dict]:
    sc = _scenario(sid)
    s = Runtime(sc).new_session(seed=seed)
    for n in numbers:
        s.choose(n)
    t = s.transcript()
    t["mode"] = "assess"
    return sc, t


def _by_ids(sid: str, ids: list[str]) -> tuple[object, dict]:
    sc = _scenario(sid)
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    return sc, t


# laptop-month7: rights_stage.1 says "the Consumer Rights Act still applies" (marked right);
# rights_stage.4 states no act by name
NAMED = [
    "opening.1",
    "details.3",
    "troubleshoot_reset.1",
    "rights_stage.1",
    "evidence_stage.1",
    "deadline_need.2",
    "remedy_explain.1",
    "confirm_stage.1",
    "follow_up_call.1",
]
UNNAMED = [
    "opening.1",
    "details.1",
    "rights_stage.4",
    "warranty_wall.1",
    "evidence_stage.1",
    "deadline_need.2",
    "remedy_explain.1",
    "confirm_stage.2",
]
# The same path with "after that you'll have a full refund, no deductions" (remedy_explain.2):
# moderation26.md cases 2-4 made it a misstatement of his remedy (deduction_for_use: wrong),
# never withdrawn, so neither law point can be met on it, named or not.
UNNAMED_MISSTATED = [cid if cid != "remedy_explain.1" else "remedy_explain.2" for cid in UNNAMED]


def test_headwear_seed_1101_states_the_entitlement_but_does_not_meet_the_key_laws_point():
    sc, t = _by_numbers("headwear-rule", 1101, [1, 3, 1, 3, 1, 3, 1])
    assert [x["choice"] for x in t["turns"]][:2] == ["opening.1", "detail.1"]
    s = score(sc, t)
    assert s["grade"] == "distinction"
    assert s["law_stated"] == ["equality_act_2010"]  # the entitlement was stated
    assert s["law_named"] == [] and s["law_nameable"] == []  # no choice names the Act
    assert KEY not in course_status(s)
    assert course_unshown(s) == {KEY: "not_assessed"}  # never missed
    text = debrief.render(sc, t)
    assert "Identifies the key laws" not in text  # neither met nor missed, nor "not yet"
    # the pack list does not offer this scenario for the point
    assert KEY not in conversation_points(sc)


def test_a_path_that_names_the_act_meets_the_point():
    sc, t = _by_ids("laptop-month7", NAMED)
    s = score(sc, t)
    assert s["grade"] == "distinction"
    assert s["law_named"] == [CRA]
    st = course_status(s)
    assert st[KEY] == "met"
    assert st["consumer_law_knowledge"] == "met"
    assert KEY in conversation_points(sc)


def test_a_naming_choice_offered_and_not_taken_is_not_yet_shown_and_says_what_met_needs():
    sc, t = _by_ids("laptop-month7", UNNAMED)
    s = score(sc, t)
    assert s["law_named"] == [] and s["law_nameable"] == [CRA]
    assert KEY not in course_status(s)  # no evidence for the progress map either way
    assert course_unshown(s) == {KEY: "not_yet"}
    cps = debrief._course_points(s)
    (item,) = [p for p in cps["not_yet"] if p["id"] == KEY]
    assert item["needs"].startswith("a law named to the customer correctly")
    assert KEY not in {p["id"] for p in cps["missed"] + cps["met"]}
    text = debrief.render(sc, t)
    assert "Not yet shown: Identifies the key laws" in text
    assert "Met needs: a law named to the customer correctly" in text
    assert "Missed: Identifies the key laws" not in text


def test_working_knowledge_keeps_the_law_stated_rule():
    # the unnamed laptop path stated the right in plain words: working knowledge, shown
    sc, t = _by_ids("laptop-month7", UNNAMED)
    s = score(sc, t)
    assert s["law_stated"] == [CRA]
    if s["law_stated"]:
        assert course_status(s).get("consumer_law_knowledge") == "met"


def test_a_misstatement_never_withdrawn_misses_both_law_points_on_the_unnamed_path():
    """moderation26.md cases 2-4: "a full refund to your card, no deductions" at month 7 tells him
    his remedy wrongly (fact 7, premise 3). Stated rights elsewhere do not meet working knowledge,
    and the key-laws point is missed, not "not yet": both need none left misstated."""
    sc, t = _by_ids("laptop-month7", UNNAMED_MISSTATED)
    s = score(sc, t)
    assert s["grade"] == "fail"
    assert s["law_named"] == [] and s["law_nameable"] == [CRA]
    assert s["law_stated"] == [CRA]  # the rights stated at turn 3 still count as stated ...
    st = course_status(s)
    assert st["consumer_law_knowledge"] == "missed"  # ... but one is left misstated
    assert st[KEY] == "missed"
    assert course_unshown(s) == {}
    text = debrief.render(sc, t)
    assert "Missed: Identifies the key laws" in text
    assert "Not yet shown: Identifies the key laws" not in text
    assert "Missed: Shows working knowledge of at least one major consumer law" in text


def test_a_scenario_with_no_naming_option_reports_not_assessed():
    for sid in ("headwear-rule", "faulty-toaster-day12", "reasonable-adjustment"):
        assert compiled(_scenario(sid)).law_nameable == (), sid
    synthetic = {
        "law": {"right": [f"{CRA}.short_term_reject"], "wrong": []},
        "law_open": [],
        "law_stated": [CRA],
        "law_named": [],
        "law_nameable": [],
        "marking_points": [{"id": "follow_rules", "status": "met"}],
    }
    assert law_named_status(["any"], synthetic) == "not_assessed"
    assert course_unshown(synthetic) == {KEY: "not_assessed"}
    assert course_status(synthetic)["consumer_law_knowledge"] == "met"
    # a misstatement left standing still misses it, named or not
    synthetic |= {"law_open": [CRA], "law": {"right": [], "wrong": [CRA]}}
    assert course_status(synthetic)[KEY] == "missed"


def test_an_old_score_without_law_named_still_loads():
    sc, t = _by_ids("laptop-month7", NAMED)
    s = score(sc, t)
    old = {k: v for k, v in s.items() if k not in ("law_named", "law_nameable")}
    assert course_status(old)[KEY] == "met"  # read by the law_stated rule, as it was saved
    assert debrief._course_points(old)["met"]
    older = {k: v for k, v in old.items() if k != "law_stated"}
    assert course_status(older)[KEY] == "met"
    assert course_unshown({"marking_points": []}) == {KEY: "not_assessed"}


def test_names_match_whole_words_in_english_and_welsh():
    pats = name_patterns()
    acts = set(pats)
    assert acts_named("under the consumer rights  act 2015", acts, pats) == {CRA}
    # Welsh, the radical and the soft-mutated forms ("o dan Ddeddf ...")
    assert acts_named("dan deddf Hawliau Defnyddwyr 2015", acts, pats) == {CRA}
    assert acts_named("o dan Ddeddf Hawliau Defnyddwyr", acts, pats) == {CRA}
    assert acts_named("y Ddeddf Cydraddoldeb", acts, pats) == {"equality_act_2010"}
    assert acts_named("ombwdsmon telathrebu", acts, pats) == {"energy_telecoms_complaints"}
    assert acts_named("the FCAB office", acts, pats) == set()
    assert acts_named("you're welcome here like anyone else", acts, pats) == set()
    # practice, not law, is never named
    assert "complaint_handling" not in pats


def test_progress_after_a_distinction_that_names_the_act_shows_the_key_laws_met(tmp_path):
    """Issue 25's Done-when where the conversation lets the law be named (laptop-month7's best
    path says "the Consumer Rights Act"); the toaster's test (test_progress_cli) reads the same
    point after a path that names no act, and no toaster path names one."""
    import json
    import os
    import subprocess
    import sys

    from scoring.paths import analyse

    sc = _scenario("laptop-month7")
    b = analyse(sc)["best"]
    assert b["grade"] == "distinction"
    s = Runtime(sc).new_session(seed=3)
    numbers = []
    for cid in b["choices"]:
        (o,) = [o for o in s.offered() if o.choice_id == cid]
        numbers.append(str(o.number))
        s.choose_id(cid)
    env = {**os.environ, "COUNTERTALK_DB": str(tmp_path / "p.db"), "NO_COLOR": "1"}

    def cli(*args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "-m", "simulator", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    out = cli(
        "play",
        "laptop-month7",
        "--plain",
        "--seed",
        "3",
        "--learner",
        "sam",
        stdin="\n".join(numbers) + "\n",
    )
    assert "Distinction" in out
    m = json.loads(cli("progress", "--learner", "sam", "--format", "json"))
    p = {q["id"]: q for el in m["elements"] for q in el["points"]}
    assert p[KEY]["status"] == "met"
    assert p[KEY]["decided_by"] == "laptop-month7"
    assert p["consumer_law_knowledge"]["status"] == "met"


def test_a_welsh_localised_scenario_names_the_law_on_the_same_choices():
    from simulator.engine.strings import localised

    en = _scenario("broadband-hardship")
    cy = localised(en, "cy")

    def naming(sc):
        return sorted(cid for cid, fx in compiled(sc).fx.items() if fx.names)

    assert naming(en) == naming(cy) == ["complaint.1", "complaint_pushback.1"]
    # the Welsh line as shown, in a transcript scored against the English file
    (turn_text,) = [
        ch.text for sid, st in cy.states.items() if sid == "complaint" for ch in st.choices[:1]
    ]
    assert "ombwdsmon" in turn_text.lower()
    assert acts_named(turn_text, {"energy_telecoms_complaints"}, name_patterns())
