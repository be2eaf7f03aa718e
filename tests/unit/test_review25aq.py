"""Review 25aq (issue 25, the lead's reading of debriefs): each class on the play it was found
on, replayed through the shipped scenario.

1. abusive-customer seed 1201 (review25al play 1): the respect point's evidence gave
   "acknowledge" at turn 4 (the option's own tag) beside the service cycle's "Acknowledge: shown
   at turn 2" (the apology acknowledges): one record of each step's first turn and what showed it.
2. phone-screen-refit seed 1115, [opening.2, blamed.3]: the escalation section scored 40% ("the
   case was not dealt with") beside "Escalates only when needed: not assessed". Nothing on the
   path was beyond the adviser's authority (fact 27), so nothing needed escalating: both say
   not assessed, and the percentage leaves escalation out.
3. review25aa play 12 (compensation-beyond-authority, the broken-promise ending): an ending may
   carry its own mood, and the debrief's mood line then ends there, not at "uneasy".
"""

from __future__ import annotations

from msgspec.structs import replace

from scoring import debrief
from simulator.engine.loader import check_bytes, load_scenario
from simulator.engine.session import Runtime
from tests.replay import ROOT, assessed, printed, review_play, scored


def test_acknowledge_has_one_first_turn_in_every_section():
    scenario, seed, ids = review_play("review25al", 1)
    _t, text = printed(scenario, seed, ids)
    assert 'Acknowledge: shown at turn 2, by "apologise".' in text
    assert '"acknowledge" at turn 4' not in text
    assert '"apologise" at turn 2, which also shows "acknowledge"' in text
    _t, view = assessed(scenario, seed, ids)
    row2 = view["turns"][1]["shows"]
    assert "Acknowledge" in row2, row2


def test_escalation_unjudged_where_nothing_needed_escalating():
    ids = ["opening.2", "blamed.3"]
    _t, text = printed("phone-screen-refit", 1115, ids)
    assert "Escalation: not assessed, weight 1." in text
    assert "Escalation: Not assessed here." in text
    assert "40%" not in text
    assert (
        "Escalates only when needed, to the right role, with a handover"
        in text.split("Not assessed in this conversation")[1]
    )
    s = scored("phone-screen-refit", 1115, ids)
    assert s["parts"]["escalation"] is None
    assert s["grade"] == "fail"


def test_an_ending_carries_its_own_mood_into_the_debrief():
    scenario, seed, ids = review_play("review25aa", 12)
    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    end = sc.states["promise_broken"]
    assert end.end is not None
    sc = replace(sc, states={**sc.states, "promise_broken": replace(end, mood=15)})
    s = Runtime(sc).new_session(seed=seed)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    assert t["final_mood"] == 15
    assert [x["mood"] for x in t["turns"]][-1] == 55  # the turns keep their own moods
    text = debrief.render_view(debrief.build(sc, t), "text")
    assert "then 35, 50, 55; at the ending, 15. It ended furious." in text
    assert "It ended uneasy" not in text
    md = debrief.render_view(debrief.build(sc, t), "md")
    assert "→ 55 → 15 (furious)" in md


def test_a_mood_on_a_state_that_is_not_an_ending_is_an_error():
    src = (ROOT / "tests" / "fixtures" / "kettle.yaml").read_text("utf-8")
    src = src.replace("\n  opening:\n", "\n  opening:\n    mood: 20\n", 1)
    assert "mood: 20" in src
    found = [d for d in check_bytes(src.encode(), "x.yaml").diagnostics if d.code == "CT210"]
    assert found and "not an ending" in found[0].message


def test_discrimination_without_a_law_mark_is_conduct_contrary_to_the_act():
    """Class 4, reasonable-adjustment seed 5407: turn 3 asked a deaf customer to come back on a
    quieter day (discrimination, which fails the attempt), but the option carries no `law:`
    mark, so the law section said "Apart from that, you applied the law correctly" and kept
    "Equality Act 2010, applied correctly"."""
    ids = ["opening.2", "dog_refused.1", "locked_out.5"]
    _t, text = printed("reasonable-adjustment", 5407, ids)
    assert "Apart from that, you applied the law correctly" not in text
    # the option now carries its s15 mark (`breached`, fact 21a), so the law section names the
    # conduct in the Act's words; unmarked conduct is the property test's (class 4)
    assert (
        "At turn 3 you treated a disabled customer unfavourably because of something arising "
        "from the disability, contrary to the Equality Act 2010, and never put it right." in text
    )
    assert "Equality Act 2010, applied correctly. Turn 2." not in text


def test_a_sorry_beside_a_passing_on_is_not_called_a_refusal_or_wrong_answer():
    """Class 4, long-running-complaint seed 6677: "I'm sorry it's taken six weeks ... Can I pass
    you to my manager?" is neither a refusal nor a wrong answer."""
    _t, text = printed("long-running-complaint", 6677, ["opening.4"])
    assert "led into a refusal or a wrong answer" not in text
    # truth25ar marked its apology (no ownership does not cancel one: test_review25d's rule),
    # so it is credited at turn 1 beside the mistake, not "said but not counted"
    assert "Shows: Apologise, Acknowledge. Mistakes: No ownership." in " ".join(text.split())
    assert "Apologise: said at turn 1, but not counted" not in text
