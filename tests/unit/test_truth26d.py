"""A rude typed line taken as the state's `on_unmatched: {rude: ...}` option counts `rude`
(issues 25, 26; truth26d).

Moderation26.md case 1 marked abusive-customer opening.3 ("Don't shout at me, mate ...")
`defensive` only, and said a line whose own words are rude still fails. opening.3 is also where
the opening routes a rude typed line that matches no option (simulator/matching/replies.py:
`typed.via == "rude"`), so the scorer counts `rude` at such a turn beside the option's own marks
(scoring/scorer.py `Compiled.as_typed`), and the debrief lists it, quoting what was typed.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import debrief
from scoring.scorer import compiled, score
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime
from simulator.matching.replies import ROUTED, TypedReplies

ROOT = Path(__file__).resolve().parents[2]
SEED = 1508  # moderation26.md case 1 (abusive-mirror-retracted-25ba)
PATH = [
    "opening.3",
    "mirrored.1",
    "vents.1",
    "demands.1",
    "warned.1",
    "fixing.1",
    "handed_over.1",
    "closing.1",
]
RUDE_LINE = "shut up you idiot"
RUDENESS = "you were rude to the customer"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(ROOT / "scenarios" / "abusive-customer.yaml")


def _transcript(scenario, typed: str | None = None) -> dict:
    """Moderation case 1's path through the real session, its first turn typed when `typed`."""
    s = Runtime(scenario).new_session(seed=SEED)
    rest = PATH
    if typed is not None:
        replies = TypedReplies(s)
        reply = replies.interpret(typed)
        assert reply.kind == ROUTED and reply.option.choice_id == "opening.3"
        replies.take(reply)
        rest = PATH[1:]
    s.replay(rest)
    t = s.transcript()
    t["mode"] = "assess"
    return t


def _rude_reasons(s: dict) -> list[str]:
    return [c["reason"] for c in s["caps"] if c["when"] == {"mistake": "rude"}]


def test_picked_by_number_the_mirroring_line_passes_as_moderated(scenario):
    s = score(scenario, _transcript(scenario))
    assert s["grade"] == "pass"
    assert "rude" not in {m["id"] for m in s["mistakes"]}


def test_typed_rude_and_routed_to_opening_3_fails_for_rudeness(scenario):
    t = _transcript(scenario, RUDE_LINE)
    assert t["turns"][0]["typed"]["via"] == "rude"
    s = score(scenario, t)
    assert s["grade"] == "fail"
    assert _rude_reasons(s) == [RUDENESS]
    assert RUDENESS in s["grade_reason"]
    assert {"id": "rude", "turn": 1} in s["mistakes"]
    assert {"id": "defensive", "turn": 1} in s["mistakes"]  # the option's own mark too
    # mirrored.1 takes back the defensive half; a rude line is never taken back
    assert {w["id"] for w in s["withdrawn"]} == {"defensive"}
    respect = next(p for p in s["marking_points"] if p["id"] == "greet_respectfully")
    assert respect["status"] != "met"
    # its points come off like a rude option's, and nothing else in the score moves
    plain = score(scenario, _transcript(scenario))
    assert s["deductions"] == plain["deductions"] + compiled(scenario).mistake_points["rude"]
    assert s["escalation"] == plain["escalation"] and s["law"] == plain["law"]


def test_the_debrief_lists_the_typed_line_as_rude_at_its_turn(scenario):
    t = _transcript(scenario, RUDE_LINE)
    view = debrief.build(scenario, t)
    rude = [m for m in view["mistakes"] if m["id"] == "rude"]
    assert [(m["turn"], m["said"]) for m in rude] == [(1, RUDE_LINE)]
    assert "rude" in view["turns"][0]["mistake_ids"]
    text = " ".join(debrief.render_view(view, "text").split())
    assert f'Turn 1, Rude. You said: "{RUDE_LINE}"' in text
    assert RUDENESS in text


def test_a_typed_line_counts_the_behaviours_rude_contradicts_as_not_shown(scenario):
    c = compiled(scenario)
    fx = c.fx["opening.1"]  # shows acknowledge and hear
    turn = {"choice": "opening.1", "typed": {"text": "x", "via": "rude"}}
    typed = c.turn_fx(turn)
    assert "acknowledge" in fx.shows and "acknowledge" not in typed.shows
    assert "acknowledge" in typed.dropped and typed.mistakes == (*fx.mistakes, "rude")
    assert c.turn_fx(turn) is typed  # cached per choice id


def _with_typed(t: dict, n: int, via: object) -> dict:
    t = copy.deepcopy(t)
    t["turns"][n - 1]["typed"] = {"text": "anything", "score": None, "confirmed": False, "via": via}
    return t


def test_via_rude_on_an_option_already_marked_rude_counts_it_once(scenario):
    ids = ["opening.3", "mirrored.2"]  # mirrored.2 is marked rude
    s = Runtime(scenario).new_session(seed=SEED)
    s.replay(ids)
    t = s.transcript()
    assert "rude" in compiled(scenario).fx["mirrored.2"].mistakes
    before = score(scenario, t)
    after = score(scenario, _with_typed(t, 2, "rude"))
    assert [m for m in after["mistakes"] if m["id"] == "rude"] == [{"id": "rude", "turn": 2}]
    assert after == before


@pytest.mark.parametrize("via", ["match", "RUDE", "rude ", " rude", ["rude"], {"rude": 1}, 1, None])
def test_a_bogus_via_changes_nothing(scenario, via):
    t = _transcript(scenario)
    assert score(scenario, _with_typed(t, 1, via)) == score(scenario, t)
    assert debrief.build(scenario, _with_typed(t, 1, via))["grade"] == "pass"


def test_play_typed_end_to_end_shows_the_rudeness_fail(tmp_path):
    # the rude line first, then the rest of the path by the numbers the same seed shows
    s = Runtime(load_scenario(ROOT / "scenarios" / "abusive-customer.yaml")).new_session(seed=SEED)
    lines = [RUDE_LINE]
    s.choose_id(PATH[0])
    for cid in PATH[1:]:
        lines.append(str(next(o.number for o in s.offered() if o.choice_id == cid)))
        s.choose_id(cid)
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-m", "simulator", "play", "abusive-customer", "--assess", "--plain"]
        + ["--type", "--seed", str(SEED), "--no-save"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    said = " ".join(out.stdout.split())
    assert out.returncode == 0, out.stderr
    assert "The conversation is over" in said
    assert "Grade: Fail" in said and RUDENESS in said
    assert f'You typed: "{RUDE_LINE}"' in said
    assert f'Turn 1, Rude. You said: "{RUDE_LINE}"' in said


# -- a rude line asked about ("Did you mean ...?") and confirmed (lead, after truth26d) ----------


def _confirmed(scenario, typed: str) -> dict:
    """Moderation case 1's path, its first turn typed, asked about and confirmed."""
    s = Runtime(scenario).new_session(seed=SEED)
    replies = TypedReplies(s)
    reply = replies.interpret(typed)
    assert reply.kind == "ask" and [o.choice_id for o in reply.suggestions] == ["opening.3"]
    replies.take(reply, reply.suggestions[0], confirmed=True)
    s.replay(PATH[1:])
    t = s.transcript()
    t["mode"] = "assess"
    return t


def test_an_insult_confirmed_as_the_mirroring_option_still_fails_for_rudeness(scenario):
    # an insult is asked about (never taken unasked), and saying yes must not make it the
    # merely defensive option: its own words were rude (moderation26.md case 1)
    t = _confirmed(scenario, "shut up shouting at me you idiot")
    assert t["turns"][0]["typed"] == {**t["turns"][0]["typed"], "via": "match", "read_rude": True}
    s = score(scenario, t)
    assert s["grade"] == "fail" and _rude_reasons(s) == [RUDENESS]


def test_the_mirroring_option_in_other_words_confirmed_is_defensive_only(scenario):
    # the option's own meaning in the learner's words does not read rude: graded as moderated
    t = _confirmed(scenario, "dont shout at me mate, i didnt miss your appointment")
    assert "read_rude" not in t["turns"][0]["typed"]
    s = score(scenario, t)
    assert s["grade"] == "pass" and "rude" not in {m["id"] for m in s["mistakes"]}


@pytest.mark.parametrize("bogus", ["true", 1, "yes", [True], {"x": 1}])
def test_a_read_rude_value_other_than_true_changes_nothing(scenario, bogus):
    t = _transcript(scenario)
    plain = score(scenario, t)
    t2 = copy.deepcopy(t)
    t2["turns"][0]["typed"] = {"text": "x", "via": "match", "read_rude": bogus}
    assert score(scenario, t2)["percent"] == plain["percent"]


def test_a_typed_turn_is_quoted_in_the_learners_own_words_under_mistakes(scenario):
    t = _confirmed(scenario, "dont shout at me mate, i didnt miss your appointment")
    s = score(scenario, t)
    d = debrief.build(scenario, t, s)
    said = [m["said"] for m in d["mistakes"] if m["turn"] == 1]
    assert said and all(
        str(x) == "dont shout at me mate, i didnt miss your appointment" for x in said
    )
