"""Review 25u, class F: "Met: Identifies the key laws and how they shape policy, complaint
handling and what customers are told" stood in debriefs whose learner stated no law to the
customer (plays 08 and 09: an assistance dog welcomed, a report sent by a safe route: lawful
conduct, no law said). A course point about the law is met only by a choice on the path that
states the law to the customer (a `law: right` mark on a choice that explains the rights: the
score's `law_stated`); conduct that is merely lawful gives no evidence ("not assessed here")."""

from __future__ import annotations

from pathlib import Path

from scoring import debrief
from scoring.course import course_status
from scoring.paths import analyse
from scoring.scorer import score
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
LAW_POINTS = ("legislation_in_practice", "consumer_law_knowledge")


def _play(sid: str, ids: list[str]) -> tuple[object, dict]:
    sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    return sc, t


def _synthetic(right=(), stated=(), open_=()):
    return {
        "law": {"right": list(right), "wrong": list(open_)},
        "law_open": list(open_),
        "law_stated": list(stated),
        "law_corrected": {"corrected": False},
        "marking_points": [
            {"id": k, "status": "met"}
            for k in ("follow_rules", "explain_clearly", "check_understanding")
        ],
    }


def test_a_law_applied_but_never_stated_is_no_evidence():
    cra = "consumer_rights_act_2015"
    st = course_status(_synthetic(right=[f"{cra}.short_term_reject"]))
    assert not set(LAW_POINTS) & set(st)
    st = course_status(_synthetic(right=[f"{cra}.short_term_reject"], stated=[cra]))
    assert st["legislation_in_practice"] == st["consumer_law_knowledge"] == "met"
    # a misstatement left standing still misses it, stated or not
    st = course_status(_synthetic(right=[f"{cra}.quality"], stated=[cra], open_=[cra]))
    assert st["consumer_law_knowledge"] == "missed"


def test_review_plays_that_named_no_law_do_not_meet_the_law_point():
    plays = {
        # play 08: reasonable adjustments made, the Equality Act never said
        "reasonable-adjustment": [
            "opening.1",
            "locked_out.1",
            "listened.1",
            "verifying.1",
            "reset_done.1",
            "preference_asked.1",
            "wrap_up.1",
        ],
        # play 09: data minimised and sent safely, the data law never said
        "internal-customer-finance": [
            "opening.1",
            "purpose.1",
            "format_agreed.3",
            "deadline_agreed.1",
            "updated.1",
            "resent.1",
        ],
    }
    for sid, ids in plays.items():
        sc, t = _play(sid, ids)
        s = score(sc, t)
        assert s["law"]["right"], sid  # the path did act lawfully
        assert s["law_stated"] == [], sid
        assert not set(LAW_POINTS) & set(course_status(s)), sid
        text = debrief.render(sc, t)
        assert "Identifies the key laws" not in text, sid


def test_a_distinction_that_states_the_law_meets_the_consumer_law_point():
    """Issue 25's Done-when: the law met after a distinction where the law was stated. Stating
    the right in plain words is working knowledge of the Consumer Rights Act; identifying the
    key laws needs the act named, which no toaster option does (truth25am: "not assessed
    here", never missed; laptop-month7's naming choice meets it, tests/unit/test_truth25am.py)."""
    sc = load_scenario(ROOT / "scenarios" / "faulty-toaster-day12.yaml")
    best = analyse(sc)["best"]
    assert best["grade"] == "distinction"
    sc, t = _play("faulty-toaster-day12", list(best["choices"]))
    s = score(sc, t)
    assert s["law_stated"] == ["consumer_rights_act_2015"]
    st = course_status(s)
    assert st["consumer_law_knowledge"] == "met"
    assert "legislation_in_practice" not in st  # not assessed here: no option names an act
    text = debrief.render(sc, t)
    assert "Met needs: a law of that kind stated to the customer correctly" in text
