"""Exact odds for a learner choosing at random (scoring/odds.py), `paths --strategies` printing
them, and the `lint --strict` warning CT605 when they are too high."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from scoring import odds
from scoring.paths import enumerate_paths, runtime
from scoring.scorer import score
from scoring.strategies import play
from simulator.cli import main
from simulator.engine.loader import load_scenario

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
KETTLE = FIXTURES / "kettle.yaml"
TINY = FIXTURES / "cues" / "tell" / "kettle.yaml"


def test_three_states_of_one_good_option_in_three_pass_one_time_in_27():
    # Three decisions, one good option of three in each; any mistake fails: only the all-good
    # path (1/3 x 1/3 x 1/3) passes. It meets every criterion the scenario offers (none of the
    # distinction points but keeping informed can be shown here), so it is a distinction too:
    # the grade follows the criteria, not the percentage (grading.yaml step 4).
    o = odds.random_odds(load_scenario(TINY))
    assert (o.pass_, o.distinction, o.unfinished) == (Fraction(1, 27), Fraction(1, 27), 0)
    # Offer a distinction point (checking understanding) only on a slip: no distinction.
    o = odds.random_odds(load_scenario(_tiny_gated()))
    assert (o.pass_, o.distinction) == (Fraction(1, 27), 0)


def _tiny_gated(tmp: Path | None = None) -> Path:
    """TINY with `confirm` shown only by a defensive remedy: a distinction is out of reach."""
    text = TINY.read_text(encoding="utf-8").replace(
        "goto: done\n        mistakes: [defensive]",
        "goto: done\n        shows: [confirm]\n        mistakes: [defensive]",
        1,
    )
    assert "shows: [confirm]" in text
    out = (tmp or Path(__import__("tempfile").mkdtemp())) / "kettle.yaml"
    out.write_text(text, encoding="utf-8")
    return out


def test_the_kettle_by_hand():
    # opening: 3 options. Only "I'm sorry..." (1/3) keeps a clean record; then fault_described
    # offers the refund (distinction) and the repair (misstates the law: fail), 1/2 each. The
    # manager route ends escalated too early: fails. The receipt route carries the defensive mistake, which stops a distinction
    # but not a pass (grading.yaml): after "Sorry — what's gone wrong?" (1/2) only the refund is
    # offered (the repair needs `not vars.receipt_asked`), a pass. So 1/6 + 1/3 x 1/2 = 1/3
    # passes, and 1/6 reaches a distinction.
    o = odds.random_odds(load_scenario(KETTLE))
    assert (o.pass_, o.distinction) == (Fraction(1, 3), Fraction(1, 6))
    assert o.too_high


def test_shuffle_makes_no_difference_to_a_random_learner():
    sc = load_scenario(KETTLE)
    a, b = odds.random_odds(sc), odds.random_odds(sc.replaced(shuffle=True))
    assert (a.pass_, a.distinction) == (b.pass_, b.distinction)


LOOP = """\
id: loop
title: Loop
topic: complaint
summary: s
learner_role: r
customer: {name: C, mood: 50}
start: ask
states:
  ask:
    say: "Well?"
    choices:
      - {text: "Could you say that again?", goto: ask}
      - {text: "I'll sort that now.", goto: done, shows: [acknowledge, take_action]}
  done: {end: resolved, say: "Thanks."}
"""


def test_a_run_still_looping_at_the_turn_limit_is_scored_unfinished(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    sc = load_scenario(path)
    # With 3 turns allowed, the learner ends unless it asks again three times: 1 - (1/2)^3.
    o = odds.random_odds(sc, max_turns=3)
    assert o.unfinished == Fraction(1, 8)
    ended_grade = score(sc, runtime(sc).new_session().transcript() | {"turns": []})["grade"]
    assert ended_grade == "fail"  # an unfinished run with nothing done fails
    finished = odds.random_odds(sc, max_turns=60)
    assert finished.unfinished == Fraction(1, 2**60)
    assert finished.pass_ + finished.unfinished <= 1


def test_agrees_with_every_path_played_through_the_real_session():
    # An independent count on an acyclic scenario: every path, weighted by 1/(options offered)
    # at each step, replayed through a Session and graded by the real scorer.
    sc = load_scenario(TINY)
    total = passed = Fraction(0)
    for choices, _end in enumerate_paths(sc):
        s = runtime(sc).new_session(seed=0)
        weight = Fraction(1)
        for cid in choices:
            weight /= len(s.offered())
            s.choose_id(cid)
        total += weight
        passed += weight if score(sc, s.transcript())["grade"] != "fail" else 0
    assert total == 1
    assert passed == odds.random_odds(sc).pass_


def test_sampled_random_play_agrees_roughly():
    sc = load_scenario(KETTLE)
    n = 300
    grades = [score(sc, play(sc, "random", seed))["grade"] for seed in range(n)]
    share = sum(g != "fail" for g in grades) / n
    assert abs(share - 1 / 3) < 0.09  # 3 standard errors of 300 runs


def test_paths_strategies_prints_the_exact_odds(capsys):
    assert main(["paths", str(KETTLE), "--strategies", "--seeds", "1"]) == 1
    out = capsys.readouterr().out
    assert "pass or better 33.3%, distinction 16.7%" in out and "Too high" in out
    main(["paths", str(_tiny_gated()), "--strategies", "--format", "json"])  # (3 seeds: luck)
    data = json.loads(capsys.readouterr().out)
    assert data["random_odds"]["pass_exact"] == "1/27"
    assert data["random_odds"]["too_high"] is False


def test_lint_strict_warns_when_chance_passes_too_often(capsys):
    assert main(["lint", "--strict", str(KETTLE)]) == 1
    out = capsys.readouterr().out
    assert "[CT605 passable-by-chance]" in out and "passes 33.3% of the time" in out
    assert main(["lint", str(KETTLE)]) == 0  # a --strict check only
    assert "CT605" not in capsys.readouterr().out
    assert main(["lint", "--strict", str(_tiny_gated())]) == 0


def test_too_many_runs_stop_rather_than_guess(monkeypatch):
    monkeypatch.setattr(odds, "MAX_NODES", 1)
    try:
        odds.random_odds(load_scenario(TINY))
    except odds.OddsTooLarge as exc:
        assert "cue-tell-kettle" in str(exc)
    else:
        raise AssertionError("expected OddsTooLarge")


def test_the_starter_is_passable_by_chance_and_says_so(tmp_path, capsys):
    # `countertalk new` writes a short teaching scenario: it silences CT605 with a comment that
    # explains why; without that line lint --strict warns, so the comment is not decoration.
    assert main(["new", "Starter", "--dir", str(tmp_path)]) == 0
    (path,) = [p for p in tmp_path.glob("*.yaml") if not p.name.endswith(".test.yaml")]
    assert main(["lint", "--strict", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "# countertalk: ignore CT605\n" in text
    path.write_text(text.replace("# countertalk: ignore CT605\n", ""), encoding="utf-8")
    capsys.readouterr()
    assert main(["lint", "--strict", str(path)]) == 1
    assert "[CT605 passable-by-chance]" in capsys.readouterr().out
