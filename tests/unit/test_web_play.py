"""The web front end's blocking half without a server: the rebuilt-exercise cache trusts the
store, the learner cap, the CSRF token, attempt references, and the fitted TF-IDF that typed
replies share between loads of one scenario."""

from __future__ import annotations

import pytest

from simulator.exercise.service import ExerciseService
from simulator.web.app import Active, Names
from simulator.web.play import Play, Ref, WebProblem, csrf_ok, csrf_token

SCENARIO = "faulty-toaster-day12"


@pytest.fixture
def two_processes(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    db = tmp_path / "web.db"
    one = Play(ExerciseService(location=db))
    two = Play(ExerciseService(location=db))
    yield one, two
    one.service.close()
    two.service.close()


def test_a_kept_exercise_is_used_only_while_the_store_agrees(two_processes):
    one, two = two_processes
    started = one.start("sam", SCENARIO, "practice", 4)
    first = one.reply("sam", started.ref, option=len(started.view.options))
    ref = first.ref
    assert ref.saved is not None and len(one.rebuilt) == 1
    # the same process carries on with the exercise it kept
    hits = one.rebuilt.hits
    second = one.reply("sam", ref, option=len(first.view.options))
    assert one.rebuilt.hits == hits + 1
    # another process answers the next turn: the first one's kept exercise is now stale
    third = two.reply("sam", ref, option=len(second.view.options), turn=second.view.number)
    misses = one.rebuilt.misses
    shown = one.state("sam", ref)
    assert one.rebuilt.misses == misses + 1, "rebuilt from the store, not the stale copy"
    assert shown.view.number == third.view.number
    assert shown.view.line == third.view.line


def test_someone_elses_attempt_is_not_there_and_references_are_checked(two_processes):
    one, _ = two_processes
    started = one.start("sam", SCENARIO, "practice", 4)
    ref = one.reply("sam", started.ref, option=1).ref
    with pytest.raises(WebProblem) as found:
        one.state("kim", ref)
    assert found.value.status == 404
    for bad in ("../../etc/passwd", "new.practice.1./etc/passwd", "new.other.1.x", "1" * 20):
        with pytest.raises(WebProblem):
            Ref.parse(bad)
    assert Ref.parse("new.assess.12.kettle-day12") == Ref(
        exercise="kettle-day12", mode="assess", seed=12
    )
    with pytest.raises(WebProblem) as found:
        one.start("sam", "/etc/passwd", "practice", None)
    assert found.value.status == 404


def test_the_learner_cap_admits_those_already_in():
    now = [0.0]
    active = Active(2, window=60.0, clock=lambda: now[0])
    assert active.admit("a") and active.admit("b")
    assert not active.admit("c") and active.admit("a")
    now[0] = 61.0  # a and b have gone quiet: room again
    assert active.admit("c")


def test_names_are_forgotten_after_their_time(monkeypatch):
    names = Names(ttl=5.0)
    names.put("t", "sam")
    assert names.get("t") == "sam"
    import simulator.web.app as app

    monkeypatch.setattr(app.time, "monotonic", lambda: 1e12)
    assert names.get("t") is None


def test_the_csrf_token_belongs_to_one_browser():
    assert csrf_ok("browser-a", csrf_token("browser-a"))
    assert not csrf_ok("browser-b", csrf_token("browser-a"))
    assert not csrf_ok("", csrf_token(""))


def test_loads_of_one_scenario_share_its_fitted_tfidf(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))
    from simulator.engine.loader import load_scenario, resolve
    from simulator.matching.matcher import matcher_for

    path = resolve(SCENARIO)
    a, b = load_scenario(path), load_scenario(path)
    assert a is not b
    ma, mb = matcher_for(a), matcher_for(b)
    assert ma is not mb and ma._tfidf is mb._tfidf
    other = load_scenario(resolve("spill-in-aisle"))
    assert matcher_for(other)._tfidf is not ma._tfidf


def test_the_signature_kept_after_an_answer_is_the_stores_without_reading_it(
    two_processes, monkeypatch
):
    """After an answer to an attempt it read, a process works out what the store now says of
    it from the answers it saved (one read a reply, not two): exactly what a read would say,
    so the next request still finds the kept exercise; and a write by another process is
    still noticed."""
    from simulator.web.play import signature

    one, two = two_processes
    started = one.start("sam", SCENARIO, "practice", 4)
    turn = one.reply("sam", started.ref, option=1)
    ref = turn.ref
    assert ref.saved is not None
    reads = []
    real = one.store.attempt
    monkeypatch.setattr(one.store, "attempt", lambda aid: reads.append(aid) or real(aid))
    turn = one.reply("sam", ref, option=1)
    assert reads == [], "no second read after the answer"
    assert not turn.view.ended
    kept_sig = one.rebuilt._kept[ref.saved][0]
    assert kept_sig == signature(real(ref.saved))
    hits = one.rebuilt.hits
    turn = one.reply("sam", ref, option=1, turn=turn.view.number)
    assert one.rebuilt.hits == hits + 1
    # another process answers: the first one's copy is not trusted
    two.reply("sam", ref, option=1, turn=turn.view.number)
    misses = one.rebuilt.misses
    one.state("sam", ref)
    assert one.rebuilt.misses == misses + 1
