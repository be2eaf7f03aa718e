"""A match activity takes a right-hand answer out of later items once it is placed (issue 30):
one answer can no longer serve every item. Through the exercise service (what every front end
uses), and old saved transcripts still re-score by the rules they were played under."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from simulator.activities.lint import load_activity
from simulator.activities.record import transcript
from simulator.activities.rescore import replay
from simulator.activities.run import LETTERS, ActivityRun
from simulator.exercise.service import ExerciseService
from simulator.exercise.views import Pick

ROOT = Path(__file__).resolve().parents[2]
MATCHES = sorted((ROOT / "scenarios" / "activities").glob("match-*.yaml"))


@pytest.mark.parametrize("path", MATCHES, ids=[p.stem for p in MATCHES])
def test_a_placed_answer_is_not_offered_to_later_items(path):
    service = ExerciseService(save=False)
    ex = service.load(path, learner="sam", mode="activity", seed=3)
    service.begin(ex)
    view = service.view(ex)
    left = Counter(str(item.answer) for item in load_activity(path).items)
    asked = 0
    while not view.ended:
        # what is on offer is every right-hand answer not yet placed (one copy each)
        assert Counter(o.text for o in view.options) == left, asked
        q = ex.run.current  # type: ignore[attr-defined]
        # the same first option every time: under the old rules one answer could serve all
        view = service.answer(ex, Pick(1)).view
        left -= Counter([q.options[next(iter(q.right))]])  # placed (a wrong pick is put right)
        asked += 1
    assert asked == len(load_activity(path).items) > 1


def test_the_same_answer_is_not_accepted_for_every_item():
    path = MATCHES[0]
    activity = load_activity(path)
    run = ActivityRun(activity, 5)
    first_text = run.current.options[0]  # type: ignore[union-attr]
    for _ in run.questions:
        q = run.current
        assert q is not None
        if first_text not in q.options:
            break  # placed, so no longer on offer: it cannot answer this item
        run.answer(q.options.index(first_text))
    else:
        pytest.fail(f"'{first_text}' was accepted for every item")


def test_an_old_transcript_re_scores_by_the_rules_it_was_played_under():
    activity = load_activity(MATCHES[0])
    old = ActivityRun(activity, 7, rules=1)
    for q in old.questions:  # every right answer, by the letters of the full list
        old.answer(next(iter(q.right)))
    saved = transcript(old, "sam", "activity")
    saved["activity_format"] = "countertalk-activity/1"
    again = replay(activity, saved)
    assert again.result() == old.result() and again.result()["percent"] == 100
    new = ActivityRun(activity, 7)
    for q in new.questions:
        new.answer(next(iter(q.right)))
    fresh = transcript(new, "sam", "activity")
    assert fresh["activity_format"] == "countertalk-activity/2"
    assert replay(activity, fresh).result()["percent"] == 100
    assert [t["choice"] for t in fresh["turns"]][-1] == LETTERS[0]  # one option left at the end
