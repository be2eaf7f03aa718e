"""The one exercise service (simulator/exercise): both kinds through one boundary, one
recording policy, typed immutable views, events, and resuming from the store alone (what a
stateless web worker does)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from simulator.engine.session import Runtime
from simulator.exercise.kinds import ExerciseProblem
from simulator.exercise.service import ExerciseService
from simulator.exercise.views import (
    Confirm,
    Ended,
    NeedsConfirm,
    NotUnderstood,
    Opened,
    Pick,
    PickMany,
    Say,
    Stepped,
    TurnView,
)
from simulator.store import Store

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
TYPED = ROOT / "tests" / "fixtures" / "typed-kettle.yaml"


@pytest.fixture
def db(tmp_path):
    return tmp_path / "ct.db"


@pytest.fixture
def service(db):
    s = ExerciseService(location=db)
    yield s
    s.close()


def attempts(db) -> list:
    with Store(db) as store:
        return store.attempts(finished_only=False)


# -- the boundary ------------------------------------------------------------------------------
def test_views_are_frozen_typed_structs_with_no_session_inside(service):
    ex = service.start(KETTLE, learner="sam", seed=7)
    view = service.view(ex)
    assert isinstance(view, TurnView) and view.kind == "conversation"
    with pytest.raises(AttributeError):
        view.line = "changed"  # type: ignore[misc]
    data = json.loads(msgspec.json.encode(view))  # a web page sends it as it is
    assert data["customer"] == "Priya Shah" and [o["number"] for o in data["options"]] == [1, 2, 3]
    assert data["number"] == 1 and data["mood"] == 40 and data["ended"] is False


def test_a_steps_turn_record_is_a_copy_of_what_the_session_committed():
    from simulator.engine.loader import load_scenario

    s = Runtime(load_scenario(KETTLE)).new_session(seed=1)
    step = s.choose(1)
    step.turn["text"] = "edited after the fact"
    assert s.transcript()["turns"][0]["text"] != "edited after the fact"


def test_events_opened_stepped_ended_reach_listeners(service):
    seen = []
    stop = service.subscribe(seen.append)
    ex = service.start(KETTLE, learner="sam", seed=7)
    service.answer(ex, Pick(1))
    end = service.answer(ex, Pick(1))
    stop()
    service.undo(ex)  # no longer listening
    assert [type(e) for e in seen] == [Opened, Stepped, Ended]
    assert isinstance(end, Ended) and end.view.ended and end.score is not None
    assert end.score.grade in ("pass", "distinction") and end.score.passed


# -- one recording policy ----------------------------------------------------------------------
def test_a_conversation_is_recorded_from_its_first_answer(service, db):
    ex = service.start(KETTLE, learner="sam", seed=7)
    assert attempts(db) == [] and service.view(ex).attempt_id is None
    service.answer(ex, Pick(1))
    (att,) = attempts(db)
    assert att.choices == ["opening.1"] and service.view(ex).attempt_id == att.id


def test_an_activity_is_recorded_from_its_first_answer_too(service, db):
    ex = service.start("sort-controllable-or-not", learner="sam", seed=3)
    view = service.view(ex)
    assert view.kind == "activity" and view.total == 8 and view.options[0].key == "a"
    assert attempts(db) == []  # opening it leaves nothing behind
    service.answer(ex, Say("a"))
    (att,) = attempts(db)
    assert att.mode == "activity" and len(att.choices) == 1 and att.finished_at is None


def test_a_store_that_fails_mid_play_means_carrying_on_unsaved(service, db):
    ex = service.start(KETTLE, learner="sam", seed=7)
    service.answer(ex, Pick(1))
    other = sqlite3.connect(db, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the database
    service.store.RETRIES = 1  # type: ignore[union-attr]
    try:
        end = service.answer(ex, Pick(1))  # no exception: the learner plays on
    finally:
        other.rollback()
        other.close()
    assert isinstance(end, Ended) and end.view.store_problem.startswith("Not saved:")
    assert end.score is not None and not end.view.saving


def test_an_unusable_store_is_said_and_nothing_breaks(tmp_path):
    (tmp_path / "dir.db").mkdir()  # a folder where the database file should be
    service = ExerciseService(location=tmp_path / "dir.db")
    ex = service.start(KETTLE, learner="sam", seed=7)
    assert service.store is None and service.store_problem.startswith("Not saved:")
    assert isinstance(service.answer(ex, Pick(1)), Stepped)


# -- resuming from the store alone -------------------------------------------------------------
def test_resume_in_a_fresh_service_rebuilds_the_same_turn(service, db):
    ex = service.start(KETTLE, learner="sam", seed=7)
    service.answer(ex, Pick(2))
    before = service.view(ex)
    other = ExerciseService(location=db)  # another worker: nothing shared but the database
    again = other.resume(before.attempt_id)
    after = other.view(again)
    assert (after.line, after.options, after.mood, after.number) == (
        before.line,
        before.options,
        before.mood,
        before.number,
    )
    end = other.answer(again, Pick(1))
    other.close()
    while not isinstance(end, Ended):
        end = service.answer(service.resume(before.attempt_id), Pick(1))
    (att,) = attempts(db)
    assert att.finished_at is not None and att.transcript["turns"][0]["choice"] == "opening.2"


def test_resume_in_another_process_gives_the_same_view(service, db):
    ex = service.start(KETTLE, learner="sam", seed=11)
    service.answer(ex, Pick(1))
    here = msgspec.json.encode(service.view(ex))
    code = (
        "import sys, msgspec\n"
        "from simulator.exercise.service import ExerciseService\n"
        "s = ExerciseService(location=sys.argv[1])\n"
        "sys.stdout.write(msgspec.json.encode(s.view(s.resume(int(sys.argv[2])))).decode())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), str(service.view(ex).attempt_id)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    there = json.loads(out)
    assert there == json.loads(here)  # feedback, mood change and the last answer too


def test_an_activity_resumes_at_the_same_question(service, db):
    ex = service.start("order-service-profit-chain", learner="sam", seed=4)
    for _ in range(2):
        q = service.view(ex)
        service.answer(ex, Pick(q.options[0].number))
    other = ExerciseService(location=db)
    again = other.resume(service.view(ex).attempt_id)
    assert other.view(again).line == service.view(ex).line
    assert other.view(again).options == service.view(ex).options
    while not service.view(again).ended:
        other.answer(again, Pick(1))
    other.close()
    (att,) = attempts(db)
    assert att.finished_at is not None and len(att.choices) == service.view(again).total


def test_resume_of_an_unknown_attempt_is_a_clear_problem(service):
    service.store  # noqa: B018 - open it
    with pytest.raises(ExerciseProblem, match="no saved attempt 999"):
        service.resume(999)


def test_unfinished_offers_the_latest_attempt(service):
    ex = service.start(KETTLE, learner="sam", seed=7)
    assert service.unfinished(ex) is None
    service.answer(ex, Pick(1))
    found = service.unfinished(service.load(KETTLE, learner="sam"))
    assert found is not None and found.turns == 1 and not found.changed


# -- typed replies -----------------------------------------------------------------------------
def test_typed_replies_take_ask_and_confirm(service, db):
    ex = service.start(TYPED, learner="sam", seed=1)
    miss = service.answer(ex, Say("what time does the car park close"))
    assert isinstance(miss, NotUnderstood)
    assert miss.view.reaction == "Sorry, love, I don't follow. Can you help me or not?"
    taken = service.answer(ex, Say("so sorry it broke on you, what happened?"))
    assert isinstance(taken, Stepped) and taken.view.number == 2
    (att,) = attempts(db)
    with Store(db) as store:
        (record,) = store.turn_records(att.id)
    assert record["typed"]["text"] == "so sorry it broke on you, what happened?"
    assert record["unmatched"] == [
        {"text": "what time does the car park close", "reason": "no option is close"}
    ]


def test_a_confirmation_from_another_worker_is_recorded_as_typed(service, db):
    ex = service.start(TYPED, learner="sam", seed=1)
    service.answer(ex, Pick(1))  # the attempt exists now
    asked = None
    for line in ("the paper slip", "got the proof?", "receipt maybe"):
        event = service.answer(ex, Say(line))
        if isinstance(event, NeedsConfirm):
            asked = event.view.suggestion
            break
        service.undo(ex) if not isinstance(event, NotUnderstood) else None
    if asked is None:
        pytest.skip("the matcher took every line without asking")
    first = asked.options[0]
    other = ExerciseService(location=db)
    again = other.resume(service.view(ex).attempt_id)
    other.answer(again, Confirm(first.number, said=asked.said, score=asked.scores[0]))
    other.close()
    with Store(db) as store:
        records = store.turn_records(service.view(ex).attempt_id)
    assert records[-1]["typed"] == {
        "text": asked.said,
        "score": asked.scores[0],
        "confirmed": True,
        "via": "match",
    }


def test_typed_words_survive_a_resume_into_the_finished_transcript(service, db):
    ex = service.start(TYPED, learner="sam", seed=1)
    service.answer(ex, Say("so sorry it broke on you, what happened?"))
    aid = service.view(ex).attempt_id
    other = ExerciseService(location=db)
    again = other.resume(aid)
    while not other.view(again).ended:
        other.answer(again, Pick(1))
    other.close()
    t = service.transcript(again)
    assert t.turns[0].typed == "so sorry it broke on you, what happened?"
    (att,) = attempts(db)
    assert att.transcript["turns"][0]["typed"]["text"].startswith("so sorry")


# -- undo, retry, restart, results -------------------------------------------------------------
def test_undo_and_retry_forget_answers_in_the_session_and_the_store(service, db):
    ex = service.start(KETTLE, learner="sam", seed=7)
    service.answer(ex, Pick(2))
    service.answer(ex, Pick(1))
    view = service.undo(ex)
    assert view.number == 2
    assert attempts(db)[0].choices == ["opening.2"]
    view = service.retry_from(ex, 1)
    assert view.number == 1


def test_restart_abandons_the_unfinished_attempt(service, db):
    ex = service.start(KETTLE, learner="sam", seed=7)
    service.answer(ex, Pick(1))
    service.restart(ex, seed=8)
    service.answer(ex, Pick(1))
    old, new = sorted(attempts(db), key=lambda a: a.id)
    assert old.abandoned_at is not None and new.abandoned_at is None and new.seed == 8


def test_activity_spot_takes_many_and_debriefs(service):
    ex = service.start("spot-poor-service", learner="sam", seed=2)
    view = service.view(ex)
    assert view.multi
    end = service.answer(ex, PickMany(tuple(o.number for o in view.options)))
    assert isinstance(end, Ended) and end.view.ended
    d = service.debrief(ex)
    assert d.score.out_of == len(view.options) and "Result:" in d.body
    assert "<h2>" in service.debrief(ex, "html").body
    assert all(mp.status in ("met", "missed") for mp in d.score.marking_points)


def test_conversation_debrief_and_transcript_are_typed(service, tmp_path):
    ex = service.start(KETTLE, learner="sam", seed=7)
    service.answer(ex, Pick(1))
    service.answer(ex, Pick(1))
    d = service.debrief(ex)
    assert d.score.grade in ("pass", "distinction") and d.format == "text" and d.body
    assert service.debrief(ex, "html").body.lstrip().startswith("<")
    with pytest.raises(ExerciseProblem, match="unknown debrief format"):
        service.debrief(ex, "pdf")
    t = service.transcript(ex)
    assert t.ended and [x.choice for x in t.turns][0] == "opening.1"
    out = service.write_transcript(ex, tmp_path / "t.json")
    assert json.loads(out.read_text())["mode"] == "practice"


def test_a_file_with_errors_is_a_problem_naming_where(service, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: x\nstart: a\nstates: {a: {say: hi, choices: []}}\n")
    with pytest.raises(ExerciseProblem) as info:
        service.start(bad, learner="sam")
    assert info.value.diagnostics and "bad.yaml:" in info.value.diagnostics[0]


def test_an_unknown_id_is_a_problem(service):
    with pytest.raises(ExerciseProblem):
        service.start("no-such-exercise", learner="sam")


# -- what the app needs of the service (issue 27: the TUI on the boundary) -----------------------
@pytest.mark.parametrize("target", [KETTLE, "sort-controllable-or-not"])
def test_a_store_opened_after_the_start_still_records_from_the_first_answer(db, target):
    """The app opens the store after its first frame: an exercise loaded with record_later
    opens none, and is recorded from its first answer once the store is attached."""
    service = ExerciseService(location=db)
    ex = service.load(target, learner="sam", seed=3, record_later=True)
    service.begin(ex)
    assert not db.exists() and service.view(ex).saving is False
    assert service.attach_store(ex) is None
    assert attempts(db) == []  # attaching makes no row either
    service.answer(ex, Pick(1))
    (att,) = attempts(db)
    assert att.choices and service.view(ex).attempt_id == att.id
    service.close()


def test_the_chat_is_the_whole_conversation_again_after_a_resume(service, db):
    ex = service.start(KETTLE, learner="sam", seed=7)
    service.answer(ex, Pick(2))
    before = service.chat(ex)
    assert [c.kind for c in before] == ["customer", "learner", "feedback", "mood", "customer"]
    assert before[1].text == "Have you got the receipt?" and before[1].turn == 1
    again = service.resume(service.view(ex).attempt_id)
    assert service.chat(again) == before


def test_a_line_not_understood_and_a_declined_suggestion_are_in_the_chat(service):
    ex = service.start(KETTLE, learner="sam", seed=7, mode="assess")
    service.answer(ex, Say("what time is the bus"))
    missed, reaction = service.chat(ex)[-2:]
    assert missed.kind == "learner" and missed.missed and missed.text == "what time is the bus"
    assert reaction.kind == "customer" and reaction.reaction
    assert not any(c.kind in ("feedback", "mood") for c in service.chat(ex))  # assessment


def test_a_resume_that_no_longer_fits_says_how_far_it_got(service, db):
    with Store(db) as store:
        aid = store.start_attempt(
            scenario_id="kettle-day12",
            scenario_hash="old",
            scenario_path=str(KETTLE),
            learner="sam",
            seed=5,
        )
        store.record_choice(aid, 1, "opening.1", {"choice": "opening.1"})
        store.record_choice(aid, 2, "receipt_first.9", {"choice": "receipt_first.9"})
    ex = service.resume(aid)
    replayed = service.replayed(ex)
    assert replayed is not None and not replayed.complete
    assert (replayed.kept, replayed.wanted) == (1, 2) and "receipt_first.9" in (
        replayed.misfit or ""
    )
    assert [t.choice for t in service.transcript(ex).turns] == ["opening.1"]  # what fits


def test_an_activity_is_a_typed_frozen_model_that_encodes_and_decodes_whole():
    """Activities are on the model machinery scenarios use (msgspec Structs): immutable, and a
    web page or a cache can send one as it is and get the same activity back."""
    import msgspec

    from simulator.activities.files import resolve as resolve_activity
    from simulator.activities.lint import load_activity
    from simulator.activities.model import Activity
    from simulator.activities.run import ActivityRun, Feedback, Question

    for aid in ("spot-poor-service", "sort-controllable-or-not", "match-career-routes"):
        a = load_activity(resolve_activity(aid, None))
        assert isinstance(a, msgspec.Struct)
        with pytest.raises(AttributeError):
            a.title = "changed"  # type: ignore[misc]
        assert msgspec.msgpack.decode(msgspec.msgpack.encode(a), type=Activity) == a
        run = ActivityRun(a, 3)
        q = run.questions[0]
        assert isinstance(q, Question) and isinstance(q, msgspec.Struct)
        fb = run.answer(min(q.right) if not q.multi else set(q.right))
        assert isinstance(fb, Feedback) and fb.correct
        assert msgspec.json.decode(msgspec.json.encode(fb), type=Feedback) == fb


def test_the_debrief_model_is_typed_and_frozen_and_keeps_the_scorers_figures(service):
    """The app's debrief screen draws a DebriefView, not the scorer's dict (issue 27): the
    same figures, read into frozen structs, numbers keeping their type (83, not 83.0)."""
    from scoring.debrief import build
    from simulator.exercise.views import DebriefView

    ex = service.start(KETTLE, learner="sam", seed=7)
    for n in (2, 1, 1):
        service.answer(ex, Pick(n))
    v = service.debrief_model(ex)
    assert isinstance(v, DebriefView)
    raw = build(ex.scenario, ex.attempt.result["transcript"], ex.attempt.result["score"])
    assert (v.grade, v.percent, v.grade_label) == (raw["grade"], raw["percent"], raw["grade_label"])
    assert type(v.percent) is type(raw["percent"]) is int
    assert v.thresholds.pass_ == raw["thresholds"]["pass"]
    assert [m.label for m in v.mistakes] == [m["label"] for m in raw["mistakes"]]
    assert v.mistakes[0].better.text == raw["mistakes"][0]["better"]["text"]
    assert [t.said for t in v.turns] == [t["said"] for t in raw["turns"]]
    assert [p.mood for p in v.mood.points] == [p["mood"] for p in raw["mood"]["points"]]
    assert v.practise.title == raw["practise"]["title"]
    with pytest.raises(AttributeError):
        v.grade = "fail"  # frozen


def test_nothing_the_service_hands_a_front_end_is_untyped():
    """No public method of the service returns Any or a bare dict, and no read model has a
    field typed Any: the boundary front ends see is typed all through."""
    import inspect

    from simulator.exercise import views

    for name, fn in inspect.getmembers(ExerciseService, inspect.isfunction):
        if name.startswith("_"):
            continue
        ret = str(inspect.signature(fn).return_annotation)
        assert "Any" not in ret and "dict" not in ret, f"{name} -> {ret}"
    for name, cls in inspect.getmembers(views, inspect.isclass):
        if issubclass(cls, msgspec.Struct) and cls.__module__ == views.__name__:
            for field, annotation in cls.__annotations__.items():
                assert "Any" not in str(annotation), f"{name}.{field}: {annotation}"
