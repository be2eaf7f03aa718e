"""Review 25ag (tests/calibration/reviews/review25ag.md): debrief sentences an examiner found
false of the path or contradicting another section, by class. Each test replays the examiner's
path (choice ids from the review branch's playNN.json) and reads the assessed debrief; where the
class allows, a property over sampled paths of the pack checks it everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import debrief
from simulator.engine.loader import load_scenario
from simulator.engine.mood import BANDS, mood_change_word, mood_word
from tests.replay import assessed, assessed_transcript, review_play, sampled_paths, text

ROOT = Path(__file__).resolve().parents[2]

PLAY03 = review_play("review25ag", 3)
PLAY04 = review_play("review25ag", 4)
PLAY12 = review_play("review25ag", 12)
PLAY13 = review_play("review25ag", 13)
PLAY15 = review_play("review25ag", 15)


def _point(view, pid):
    for status in ("met", "missed", "not_assessed"):
        for p in view["marking_points"].get(status) or []:
            if p["id"] == pid:
                return status, p
    return None, None


# -- class 1: a slip taken back at once is named as taken back everywhere ---------------------


def test_play12_sales_push_taken_back_is_taken_back_in_every_section():
    _t, view = assessed(*PLAY12)
    status, p = _point(view, "adapt_behaviour")
    assert status == "met" and "taken back at turn 3" in p["shown_by"]
    assert "undone by the mistake" not in text(view)
    (m,) = [m for m in view["mistakes"] if m["id"] == "sales_push"]
    assert m["withdrawn"] == 3
    assert view["grade"] == "pass"


def test_no_shipped_option_takes_back_a_slip_without_corrects():
    """The class: an option whose words take back the slip just made ("I jumped to a sale
    there") names it in `corrects:`, or every section but its own feedback calls it standing."""
    from scoring.lint_checks import _unflagged_slip_withdrawals
    from simulator.engine.loader import scenario_files

    found = [
        m
        for f in scenario_files(ROOT / "scenarios")
        for _w, m in _unflagged_slip_withdrawals(load_scenario(f))
    ]
    assert found == []


# -- class 2: one verdict for the law ---------------------------------------------------------


@pytest.mark.parametrize("play", [PLAY04, PLAY15])
def test_law_not_applied_is_one_verdict(play):
    _t, view = assessed(*play)
    (law,) = [p for p in view["method"]["parts"] if p["id"] == "law"]
    assert "not assessed" not in law["shown"] and law["shown"].startswith("not applied")
    assert "did not apply the law" in view["law"]["note"]
    assert _point(view, "follow_rules")[0] == "missed"


# -- class 3: a missed point names only what this scenario could have shown -------------------


@pytest.mark.parametrize("play", [PLAY04, PLAY15])
def test_missed_point_names_only_evidence_this_case_allows(play):
    _t, view = assessed(*play)
    _s, p = _point(view, "follow_rules")
    for foreign in ("verify identity", "reasonable adjustment", "follow the procedure"):
        assert foreign not in p["why"]


def test_missed_points_name_nothing_the_scenario_cannot_show_over_sampled_paths():
    from scoring.scorer import compiled

    for sid in ("washing-machine-day45", "phone-screen-refit", "headwear-rule"):
        sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
        could = debrief._could_show(compiled(sc))
        foreign = [
            debrief._words([b])[0]
            for b in ("verify_identity", "reasonable_adjustment", "follow_procedure", "signpost")
            if b not in could
        ]
        for ids in sampled_paths(sc, 12):
            view = debrief.build(sc, assessed_transcript(sc, ids))
            for p in view["marking_points"]["missed"]:
                for w in foreign:
                    assert w not in (p.get("why") or ""), (sid, ids, p)


# -- class 4: the mood words agree with the number and the direction --------------------------


def test_mood_words_agree_with_band_and_direction():
    assert mood_change_word(90, 85) != "more upset"
    for before in range(0, 101, 5):
        for after in range(0, 101, 5):
            word, change = mood_word(after), mood_change_word(before, after)
            if word in ("calm", "pleased"):
                assert change not in ("more upset", "calmer"), (before, after)
            else:
                assert change not in ("happier", "less happy"), (before, after)
    assert BANDS[-1][1] == "pleased"


# -- class 6: the authority point's reason is about authority ---------------------------------


def test_play03_authority_is_not_missed_for_an_unresolved_problem():
    _t, view = assessed(*PLAY03)
    status, p = _point(view, "within_limits")
    assert status != "missed" or "unresolved" not in p["why"]


def test_play04_authority_reason_names_the_needless_referral():
    _t, view = assessed(*PLAY04)
    status, p = _point(view, "within_limits")
    assert status == "missed"
    assert "walked away" not in p["why"] and "within your own authority" in p["why"]


def test_authority_reason_never_the_outcome_over_sampled_paths():
    for sid in ("sar-by-phone", "washing-machine-day45", "phone-screen-refit"):
        sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
        for ids in sampled_paths(sc, 15):
            view = debrief.build(sc, assessed_transcript(sc, ids))
            status, p = _point(view, "within_limits")
            if status == "missed":
                assert "walked away" not in p["why"] and "unresolved" not in p["why"], ids


# -- class 1 (play 13): the generic "Defensive" sentence is true after help as before it ------


def test_play13_defensive_sentence_does_not_say_before_any_help():
    _t, view = assessed(*PLAY13)
    (m,) = [m for m in view["mistakes"] if m["id"] == "defensive" and m["turn"] == 7]
    assert "before any help" not in m["explanation"]
    assert "before dealing with" not in m["explanation"]


# -- observation: the marking points shown are the same list everywhere -----------------------

PLAY11 = review_play("review25ag", 11)


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_play11_every_marking_point_is_listed_met_missed_or_not_assessed(fmt):
    """Review 25ag (observations): 11 left out the escalation and authority points that 06
    lists in the same situation, yet said "every point met"; the points not assessed are
    named as such."""
    from scoring import spec

    _t, view = assessed(*PLAY11)
    out = debrief.render_view(view, fmt).replace("&#39;", "'")
    assert "Not assessed in this conversation" in out
    for mp in spec.grading()["marking_points"]:
        assert mp["label"] in out, mp["id"]
