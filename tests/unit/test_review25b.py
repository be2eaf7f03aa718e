"""Defect classes from review 25b (17 fresh plays examined blind; tests/calibration/REVIEW.md),
each as a rule over the shipped pack, so that a new scenario cannot bring the class back."""

from __future__ import annotations

from pathlib import Path

from scoring import catalogue
from scoring.paths import enumerate_paths
from scoring.scorer import act_of, compiled, practice_acts, score
from simulator.engine.loader import load_scenario, resolve, scenario_files
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")


def _score(scenario_id: str, ids: list[str]) -> dict:
    sc = load_scenario(resolve(scenario_id))
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    return score(sc, s.transcript())


def test_good_practice_is_not_law():
    """D1: complaint_handling (laws.yaml "course good practice") never feeds the law model, the
    law caps or the debrief's law section, in any shipped scenario."""
    practice = practice_acts()
    assert "complaint_handling" in practice
    assert not practice & {"consumer_rights_act_2015", "equality_act_2010"}
    marked = 0
    for f in SHIPPED:
        c = compiled(load_scenario(f))
        assert not {act_of(k) for k in c.key_bit} & practice, f.name
        for fx in c.fx.values():
            assert not {act_of(k) for k in (*fx.law_right, *fx.law_wrong)} & practice
            marked += bool(fx.practice_wrong)
    assert marked  # the pack does mark good practice wrong somewhere

    # courier-lost-cot: "switching courier today" breaks good practice (beyond remit), and
    # nothing else about the law is wrong on this path: no law cap, nothing under "The law".
    sc = load_scenario(resolve("courier-lost-cot"))
    c = compiled(sc)
    paths = [
        ids
        for ids, _end in enumerate_paths(sc, max_visits=1, limit=100_000)
        if "improvement.2" in ids and not any(c.fx[i].law_wrong for i in ids)
    ]
    assert paths
    s = _score("courier-lost-cot", paths[0])
    assert all(act_of(k) not in practice for k in s["law"]["wrong"] + s["law"]["right"])
    assert not [cap for cap in s["caps"] if "law" in cap["when"]]
    assert "beyond_remit" in {m["id"] for m in s["mistakes"]}  # still marked as a mistake
    assert catalogue.laws()["complaint_handling"]["practice"] is True


def _debrief(scenario_id: str, ids: list[str]) -> tuple[dict, str]:
    from scoring import debrief

    sc = load_scenario(resolve(scenario_id))
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    view = debrief.build(sc, t)
    return view, debrief.render_view(view, "text")


RA_WITHDRAWN = [
    "opening.1",
    "locked_out.5",  # "could you book an appointment for a quieter day instead?" (s15)
    "queue_excuse.1",  # "I'm sorry, you're right: you're here now" (withdrawn)
    "listened.1",
    "verifying.1",
    "reset_done.1",
    "preference_asked.1",
    "wrap_up.1",
]


def test_withdrawn_discrimination_stops_a_distinction_and_the_debrief_agrees():
    """D3: discrimination withdrawn by a `corrects:` choice while the customer is still served
    is a slip taken back (at most pass); the mistake text and "Practise next" say so."""
    view, text = _debrief("reasonable-adjustment", RA_WITHDRAWN)
    s = view["score"]
    assert s["grade"] == "pass", s["grade_reason"]
    assert {"id": "discrimination", "turn": 2, "at": 3} in s["withdrawn"]
    assert "an assessment on its own" not in text
    assert "This fails the attempt" not in text
    assert "Sending Tom away" not in text
    assert "withdrew it while they were still being served" in text


def test_discrimination_never_withdrawn_still_fails():
    ids = ["opening.1", "locked_out.5", "queue_excuse.2"]  # "be fair on the others"
    s = _score("reasonable-adjustment", ids)
    assert s["grade"] == "fail"
    assert not [w for w in s["withdrawn"] if w["id"] == "discrimination"]


def test_a_correct_restatement_withdraws_and_the_debrief_agrees():
    """D2 (play 05): "we usually respond within 40 days", then the right one-month date, is a
    withdrawal (`corrects:`): the debrief no longer says "never put it right" beside "applied
    correctly", nor "An examiner would not pass this" on a pass."""
    ids = [
        "opening.1",
        "caller_explains.1",
        "recognised.1",
        "id_check.3",  # "...we usually respond within 40 days" (fact 13: one calendar month)
        "logged.1",
        "dpo_referred.1",  # "...Otherwise it's 12 April"
        "confirm_step.1",
        "follow_up_offer.1",
    ]
    view, text = _debrief("sar-by-phone", ids)
    assert view["score"]["grade"] == "pass", view["score"]["grade_reason"]
    assert view["law"]["corrected"]
    assert "never put it right" not in text
    assert "An examiner would not pass this" not in text
    assert "then put it right before they acted on it" in text
