"""Engine semantics, exactly as §3 and §7 of the format fix them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.engine.loader import check_bytes, load_scenario
from simulator.engine.session import Runtime, ScenarioRuntimeError, SessionError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def runtime(text: str) -> Runtime:
    result = check_bytes(textwrap.dedent(text).encode(), "t.yaml")
    assert result.scenario is not None, [str(d) for d in result.diagnostics]
    return Runtime(result.scenario)


HEAD = """\
id: t
title: T
topic: complaint
summary: s
learner_role: r
customer: {name: C, mood: 50}
"""

GATED = (
    HEAD
    + """\
vars: {asked: false}
start: a
states:
  a:
    say: "Turn {{ turn }}, mood {{ mood }}, asked {{ vars.asked }}"
    choices:
      - text: ask
        goto: a
        set: {asked: true}
        feedback: f
      - text: only after asking
        if: vars.asked
        goto: end
        feedback: f
      - text: always
        goto: end
        feedback: f
  end:
    end: resolved
    say: bye
"""
)


def test_false_condition_takes_no_number_but_ids_count_every_choice():
    s = runtime(GATED).new_session(seed=1)
    offered = s.offered()
    assert [(o.number, o.choice_id, o.text) for o in offered] == [
        (1, "a.1", "ask"),
        (2, "a.3", "always"),
    ]
    s.choose(1)
    assert [(o.number, o.choice_id) for o in s.offered()] == [(1, "a.1"), (2, "a.2"), (3, "a.3")]
    assert s.line == "Turn 1, mood 50, asked True"


def test_number_not_offered_is_refused_without_changing_anything():
    s = runtime(GATED).new_session(seed=1)
    with pytest.raises(SessionError, match="from 1 to 2"):
        s.choose(3)
    assert s.turn == 0 and s.turns == [] and s.state == "a"


RULES = (
    HEAD
    + """\
vars: {n: 0}
start: a
rules:
  - if: vars.n >= 2
    goto: second_rule
  - if: mood <= 30
    goto: first_rule
states:
  a:
    say: "a"
    choices:
      - text: drop mood
        goto: b
        mood: -20
        feedback: f
      - text: bump n
        goto: b
        set: {n: 2}
        mood: -30
        feedback: f
      - text: clamp down
        goto: b
        mood: -100
        feedback: f
      - text: clamp up
        goto: b
        mood: +100
        feedback: f
  b:
    say: "b"
    choices:
      - text: back
        goto: a
        mood: -20
        feedback: f
  first_rule:
    end: lost
    say: "rule one"
  second_rule:
    end: unresolved
    say: "rule two"
"""
)


def test_effects_apply_before_rules_and_a_diverted_target_is_not_entered():
    rt = runtime(RULES)
    s = rt.new_session()
    step = s.choose(1)  # mood 50 -> 30: rule "mood <= 30" fires after the mood change
    assert step.diverted_by_rule and s.ending == "first_rule" and s.outcome == "lost"
    assert s.visits["b"] == 0 and s.visits["first_rule"] == 1
    assert step.turn["mood"] == 30 and s.turns[0]["state"] == "a"


def test_rules_are_checked_in_order_first_true_wins():
    s = runtime(RULES).new_session()
    s.choose(2)  # sets n=2 (rule 1) and mood 20 (rule 2 also true): the first rule wins
    assert s.ending == "second_rule"


def test_mood_is_clamped_to_0_100():
    rt = runtime(RULES)
    s = rt.new_session()
    s.choose(4)
    assert s.mood == 100 and s.state == "b"
    s2 = rt.new_session()
    s2.choose(3)
    assert s2.mood == 0 and s2.ending == "first_rule"


VISITS = (
    HEAD
    + """\
start: a
states:
  a:
    say: "seen {{ visits.a }} z {{ visits.z }}"
    choices:
      - text: stay
        goto: a
        feedback: f
      - text: leave
        if: visits.a >= 3
        goto: z
        feedback: f
  z:
    end: resolved
    say: "z"
"""
)


def test_visits_count_start_once_and_each_entry_including_self_loops():
    s = runtime(VISITS).new_session()
    assert s.line == "seen 1 z 0"
    assert s.visits == {"a": 1, "z": 0}
    s.choose(1)
    s.choose(1)
    assert s.visits["a"] == 3 and s.line.startswith("seen 3")
    assert [o.choice_id for o in s.offered()] == ["a.1", "a.2"]
    s.choose(2)
    assert s.ended and s.visits["z"] == 1


VARIANTS = (
    HEAD
    + """\
start: a
states:
  a:
    say: ["one", "two", "three", "four", "five", "six"]
    choices:
      - text: again
        goto: a
        feedback: f
      - text: stop
        goto: z
        feedback: f
  z:
    end: resolved
    say: "z"
"""
)


def _lines(rt, seed, n=6):
    s = rt.new_session(seed=seed)
    out = [s.line]
    for _ in range(n):
        s.choose(1)
        out.append(s.line)
    return out


def test_same_seed_same_variants_and_seeds_differ():
    rt = runtime(VARIANTS)
    assert _lines(rt, 7) == _lines(rt, 7)
    assert len({tuple(_lines(rt, seed)) for seed in range(5)}) > 1
    assert len(set(_lines(rt, 3, 30))) > 1  # variants do vary within a session


def test_sessions_share_one_machine_and_stay_independent():
    rt = runtime(RULES)
    a, b = rt.new_session(seed=1), rt.new_session(seed=1)  # equal twins must both attach
    assert a in rt.machine.models and b in rt.machine.models
    a.choose(4)
    assert (a.state, a.mood) == ("b", 100) and (b.state, b.mood) == ("a", 50)
    b.choose(3)
    assert b.ended and b not in rt.machine.models  # an ended session detaches
    assert a in rt.machine.models
    a.close()
    assert a not in rt.machine.models


def test_ended_session_offers_nothing():
    s = runtime(RULES).new_session()
    s.choose(1)
    assert s.offered() == []
    with pytest.raises(SessionError):
        s.choose(1)


def test_replay_by_choice_id_reproduces_the_session():
    rt = runtime(GATED)
    s = rt.new_session(seed=4)
    s.choose(1)
    s.choose(2)
    again = rt.new_session(seed=4)
    again.replay([t["choice"] for t in s.turns])
    assert again.transcript() == s.transcript()
    with pytest.raises(SessionError, match="not on offer"):
        rt.new_session().choose_id("a.2")


def test_transcript_matches_format_section_8():
    rt = Runtime(load_scenario(FIXTURES / "kettle.yaml"))
    s = rt.new_session(seed=7, learner="sam")
    first_line = s.line
    s.choose(1)
    s.choose(1)
    t = s.transcript()
    assert t["format"] == 1 and t["scenario"] == "kettle-day12" and t["seed"] == 7
    assert t["learner"] == "sam" and t["ending"] == "refunded" and t["outcome"] == "resolved"
    assert t["turns"][0] == {
        "state": "opening",
        "choice": "opening.1",
        "text": "I'm sorry it's let you down. What happened when you tried it?",
        "customer": first_line,
        "mood": 50,
    }
    assert t["turns"][1]["mood"] == 75 and t["final_mood"] == 75
    assert first_line == "I bought this kettle 12 days ago and it's stopped working."


def test_template_failure_while_playing_names_the_place():
    rt = runtime(
        HEAD
        + """\
vars: {word: hello}
start: a
states:
  a:
    say: "{{ vars.word + 1 }}"
    choices:
      - text: x
        goto: z
        feedback: f
  z:
    end: resolved
    say: z
"""
    )
    with pytest.raises(ScenarioRuntimeError, match=r"t\.yaml:\d+:\d+: template failed"):
        rt.new_session()


def test_variables_only_set_start_as_null():
    rt = runtime(
        HEAD
        + """\
start: a
states:
  a:
    say: "{{ vars.later is none }}"
    choices:
      - text: x
        goto: z
        set: {later: 1}
        feedback: f
  z:
    end: resolved
    say: "{{ vars.later }}"
"""
    )
    s = rt.new_session()
    assert s.line == "True"
    s.choose(1)
    assert s.line == "1"


# -- atomic choices: a choice is applied whole or not at all ------------------------------------
FAILING_RULE = (
    HEAD
    + """\
vars: {word: hello, n: 0}
start: a
rules:
  - if: "vars.n > 0 and vars.word + 1 > 2"
    goto: z
states:
  a:
    say: "at a, mood {{ mood }}"
    choices:
      - text: safe
        goto: a
        feedback: f
      - text: trips the rule
        goto: a
        mood: 10
        set: {n: 1}
        feedback: f
  z:
    end: resolved
    say: z
"""
)


def test_a_rule_that_fails_to_evaluate_leaves_the_session_exactly_as_before():
    rt = runtime(FAILING_RULE)
    s = rt.new_session(seed=3)
    s.choose(1)
    before = s.snapshot()
    with pytest.raises(ScenarioRuntimeError, match=r"t\.yaml:\d+:\d+: condition failed"):
        s.choose(2)
    assert s.snapshot() == before
    assert (s.state, s.mood, s.turn, s.vars["n"], len(s.turns)) == ("a", 50, 1, 0, 1)
    # still attached to the machine and playable
    assert s in rt.machine.models
    s.choose(1)
    assert s.turn == 2 and len(s.transcript()["offers"]) == 2


def test_a_feedback_template_error_does_not_half_save_the_choice():
    rt = runtime(
        HEAD
        + """\
vars: {word: hello}
start: a
states:
  a:
    say: a
    choices:
      - text: x
        goto: z
        mood: 20
        feedback: "{{ vars.word + 1 }}"
  z:
    end: resolved
    say: z
"""
    )
    s = rt.new_session()
    before = s.snapshot()
    with pytest.raises(ScenarioRuntimeError, match="template failed"):
        s.choose(1)
    assert s.snapshot() == before and not s.ended and s.state == "a"
    assert s in rt.machine.models  # not detached as if it had ended


def test_new_session_does_not_leak_its_model_when_the_first_line_fails():
    rt = runtime(
        HEAD
        + """\
vars: {word: hello}
start: a
states:
  a:
    say: "{{ vars.word + 1 }}"
    choices:
      - text: x
        goto: z
        feedback: f
  z:
    end: resolved
    say: z
"""
    )
    for _ in range(3):
        with pytest.raises(ScenarioRuntimeError):
            rt.new_session()
    assert rt.machine.models == []


def test_diversion_is_marked_by_the_rule_transition_and_endings_are_final():
    rt = runtime(
        HEAD
        + """\
start: a
rules:
  - if: "mood < 30"
    goto: lost
states:
  a:
    say: a
    choices:
      - text: rude
        goto: a
        mood: -40
        feedback: f
      - text: fine
        goto: a
        feedback: f
  lost:
    end: lost
    say: bye
"""
    )
    assert rt.machine.get_state("lost").final and not rt.machine.get_state("a").final
    s = rt.new_session()
    assert s.choose(2).diverted_by_rule is False
    step = s.choose(1)
    assert step.diverted_by_rule and step.ended and s.state == "lost"
    assert s not in rt.machine.models


def test_session_state_round_trips_through_json_and_restores_a_playable_session():
    import json

    from simulator.engine.session import SessionState

    rt = runtime(GATED)
    s = rt.new_session(seed=5)
    s.choose(1)
    saved = json.loads(json.dumps(s.snapshot().to_dict()))
    again = rt.restore(saved)
    assert again.snapshot() == s.snapshot() == SessionState.from_dict(saved)
    assert [o.choice_id for o in again.offered()] == [o.choice_id for o in s.offered()]
    again.choose(2)
    s.choose(2)
    assert again.transcript() == s.transcript()


def test_transcript_carries_the_options_offered_at_each_turn():
    rt = runtime(GATED)
    s = rt.new_session(seed=1)
    s.choose(1)
    s.choose(2)
    offers = s.transcript()["offers"]
    assert [[o["id"] for o in t["offered"]] for t in offers] == [
        ["a.1", "a.3"],
        ["a.1", "a.2", "a.3"],
    ]
    assert offers[0]["offered"][0]["text"] == "ask" and offers[1]["feedback"] == "f"
