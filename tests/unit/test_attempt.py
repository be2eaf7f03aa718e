"""The attempt service without a terminal: start, autosave, a store that fails, resume, an
atomic choice, and the finished transcript every front end records."""

from __future__ import annotations

import io
import sqlite3
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from simulator.attempt import Attempt, AttemptProblem
from simulator.store import Store

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"

FAILING_RULE = textwrap.dedent(
    """\
    id: failing-rule
    title: A rule that fails on the second choice
    topic: complaint
    summary: s
    learner_role: r
    customer: {name: C, mood: 50}
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
          - text: finish
            goto: z
            feedback: f
      z:
        end: resolved
        say: z
    """
)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "ct.db", timeout=0.05)
    yield s
    s.close()


def attempt(store, path=KETTLE, **kw) -> Attempt:
    kw.setdefault("seed", 7)
    a = Attempt(path, learner="sam", store=store, **kw)
    a.load()
    return a


def test_each_choice_is_autosaved_and_the_finished_transcript_is_recorded(store):
    a = attempt(store)
    a.start()
    a.choose(1)
    assert store.attempt(a.attempt_id).choices == ["opening.1"]
    a.choose(1)
    assert a.ended and a.result["score_problem"] is None
    t = a.result["transcript"]
    assert t["mode"] == "practice" and t["ending_line"] == a.session.line
    assert t["score"]["grade"] in ("pass", "distinction")
    saved = store.attempt(a.attempt_id)
    assert saved.outcome == "resolved" and saved.transcript["ending_line"] == t["ending_line"]
    assert saved.transcript["offers"][0]["offered"][0]["id"] == "opening.1"


def test_a_store_that_fails_mid_play_is_said_once_and_play_carries_on_unsaved(store):
    a = attempt(store)
    a.start()
    a.choose(1)
    other = sqlite3.connect(store.path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the database
    try:
        step = a.choose(1)  # no exception: the learner plays on
    finally:
        other.rollback()
        other.close()
    assert step.ended and a.ended and a.store is None
    assert a.store_problem.startswith("Not saved:") and "busy" in a.store_problem
    assert a.result["transcript"]["ending_line"]  # finished, scored, just not saved
    assert a.result["score"] is not None
    kept = store.attempt(a.attempt_id)
    assert kept.choices == ["opening.1"] and kept.finished_at is None


def test_resume_gives_the_same_state(store):
    first = attempt(store)
    first.start()
    first.choose(2)  # receipt first
    saved = first.unfinished()
    assert saved is not None and saved.choices == ["opening.2"]
    again = attempt(store, seed=123)
    report = again.resume(again.unfinished())
    assert report.complete and again.attempt_id == first.attempt_id and again.seed == 7
    assert again.session.snapshot() == first.session.snapshot()
    assert [o.choice_id for o in again.offered()] == [o.choice_id for o in first.offered()]


def test_a_failing_rule_leaves_the_state_unchanged_and_saves_nothing(store, tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_text(FAILING_RULE, encoding="utf-8")
    a = attempt(store, path)
    a.start()
    a.choose(1)
    before = a.session.snapshot()
    with pytest.raises(AttemptProblem, match=r"rule\.yaml:\d+:\d+: condition failed"):
        a.choose(2)
    assert a.session.snapshot() == before
    assert store.attempt(a.attempt_id).choices == ["a.1"]
    a.choose(3)  # the attempt goes on from where it was
    assert a.ended and store.attempt(a.attempt_id).choices == ["a.1", "a.3"]


def test_undo_forgets_the_last_choice_in_the_session_and_the_store(store):
    a = attempt(store)
    a.start()
    a.choose(2)
    a.choose(1)
    a.undo()
    assert a.choices == ["opening.2"] and a.session.state == "receipt_first"
    assert store.attempt(a.attempt_id).choices == ["opening.2"]


def test_classroom_attempts_carry_mode_and_ending_line(store):
    a = attempt(store, mode="classroom", class_session="lesson-1", team="Red")
    a.start()
    a.choose(1)
    a.choose(1)
    saved = store.attempt(a.attempt_id)
    assert (saved.mode, saved.class_session, saved.team) == ("classroom", "lesson-1", "Red")
    assert saved.transcript["mode"] == "classroom" and saved.transcript["ending_line"]


def test_plain_mode_carries_on_unsaved_when_the_store_breaks_mid_play(tmp_path, monkeypatch):
    """Plain mode drives the same service: a store that breaks is a notice, not 'a bug'."""
    from simulator.plain import play_plain

    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    db = {}

    class Answers(io.StringIO):
        """Answers 1, 1; after the first, another program takes the database."""

        def readline(self, *a):
            line = super().readline(*a)
            if line and "conn" not in db:
                db["conn"] = sqlite3.connect(Store.default_path(), timeout=0)
                db["conn"].execute("BEGIN EXCLUSIVE")
            return line

    monkeypatch.setattr(Store, "RETRIES", 1)  # a real lock, waited for briefly
    monkeypatch.setitem(Store.__init__.__kwdefaults__, "timeout", 0.05)
    args = SimpleNamespace(
        learner="sam",
        assess=False,
        resume=False,
        no_save=False,
        seed=7,
        scenario=str(KETTLE),
        transcript_out=str(tmp_path / "t.json"),
    )
    out = io.StringIO()
    try:
        code = play_plain(KETTLE, args, stdin=Answers("1\n1\n"), stdout=out)
    finally:
        db["conn"].rollback()
        db["conn"].close()
    text = out.getvalue()
    assert code == 0, text
    assert "Not saved:" in text and "not being saved" in text
    assert "The conversation is over: resolved." in text
    assert (tmp_path / "t.json").is_file()


def test_a_choice_can_be_named_by_its_id_and_is_saved_the_same_way(store):
    a = attempt(store)
    a.start()
    step = a.choose_id("opening.2")
    assert step.turn["choice"] == "opening.2" and a.session.state == "receipt_first"
    assert store.attempt(a.attempt_id).choices == ["opening.2"]
    with pytest.raises(AttemptProblem, match="not on offer"):
        a.choose_id("opening.1")  # offered at the start, not now
    assert a.choices == ["opening.2"]


def test_opening_a_scenario_records_nothing_until_the_first_choice(tmp_path):
    """Issue 15 item 3: merely opening a scenario left an unfinished attempt behind ("turn 1",
    "You made 0 choices"). The attempt is recorded with its first choice."""
    from simulator.attempt import Attempt
    from simulator.store import Store

    kettle = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"
    store = Store(tmp_path / "ct.db")
    a = Attempt(kettle, learner="sam", seed=1, store=store)
    a.load()
    a.start()
    assert a.saving and a.attempt_id is None
    assert store.latest_unfinished(learner="sam", scenario_id="kettle-day12") is None
    a.choose(2)
    assert a.attempt_id is not None
    saved = store.latest_unfinished(learner="sam", scenario_id="kettle-day12")
    assert saved is not None and saved.choices == ["opening.2"]


def test_a_store_attached_after_the_start_records_the_attempt_with_its_first_choice(store):
    """The app draws the first screen before it opens the store (opening it costs ~10 ms of
    start-up): attached afterwards, the attempt is saved exactly as if it had been there."""
    a = attempt(None)
    a.start()
    assert not a.saving
    a.attach_store(store)
    assert a.saving and a.attempt_id is None
    a.choose(2)
    saved = store.latest_unfinished(learner="sam", scenario_id="kettle-day12")
    assert saved is not None and saved.id == a.attempt_id and saved.choices == ["opening.2"]
