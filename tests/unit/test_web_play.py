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
    # another process answers the next turn: the first one's kept exercise is now behind
    third = two.reply("sam", ref, option=len(second.view.options), turn=second.view.number)
    hits, caught = one.rebuilt.hits, one.rebuilt.caught_up
    shown = one.state("sam", ref)
    assert one.rebuilt.hits == hits, "the copy as it was is not trusted"
    assert one.rebuilt.caught_up == caught + 1, "it is caught up with the store's answer"
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
    # another process answers: the first one's copy is not trusted as it was
    two.reply("sam", ref, option=1, turn=turn.view.number)
    hits = one.rebuilt.hits
    one.state("sam", ref)
    assert one.rebuilt.hits == hits


@pytest.fixture
def rebuilding(tmp_path, two_processes):
    """A third process that keeps nothing: every request rebuilt from the store (the truth a
    kept or caught-up copy must agree with)."""
    play = Play(ExerciseService(location=tmp_path / "web.db"), cache=0)
    yield play
    play.service.close()


def test_alternating_processes_catch_up_to_exactly_what_a_rebuild_gives(two_processes, rebuilding):
    """A learner alternating between two processes: each finds the copy it kept two requests
    ago one answer behind and takes that answer, instead of rebuilding; every turn it shows is
    the one a rebuild from the store shows, typed answers' words included, and no answer is
    lost."""
    one, two = two_processes
    started = one.start("sam", SCENARIO, "practice", 4)
    out = two.reply("sam", started.ref, option=2)
    ref, taken = out.ref, 1
    assert ref.saved is not None
    for n in range(40):
        if out.view.ended:
            break
        play = (one, two)[n % 2]
        shown = play.state("sam", ref)
        assert shown.view == rebuilding.state("sam", ref).view
        option = shown.view.options[-1]
        if n % 3 == 0:  # typed: its words are in the record the other process catches up with
            out = play.reply("sam", ref, text=option.text, turn=shown.view.number)
            if out.status == "confirm" and out.view.suggestion is not None:
                pick = out.view.suggestion.options[0].number
                out = play.reply("sam", ref, text=option.text, option=pick, confirm=True)
            if out.status != "taken":
                out = play.reply("sam", ref, option=option.number)
        else:
            out = play.reply("sam", ref, option=option.number, turn=shown.view.number)
        assert out.status == "taken"
        taken += 1
    assert out.view.ended
    assert one.rebuilt.caught_up + two.rebuilt.caught_up >= taken - 3
    assert len(one.store.attempt(ref.saved).choices) == taken
    assert one.debrief("sam", ref, "text") == rebuilding.debrief("sam", ref, "text")


def test_a_copy_with_something_unsaved_is_rebuilt_not_caught_up(two_processes, rebuilding):
    """A rude line not understood lowers the customer's mood in the process that heard it,
    with nothing saved yet: after another process answers, that copy is rebuilt from the store
    (whose mood is the other process's), not caught up with the lowered mood."""
    one, two = two_processes
    started = one.start("sam", SCENARIO, "practice", 4)
    ref = one.reply("sam", started.ref, option=2).ref
    rude = one.reply("sam", ref, text="shut up you idiot")
    assert rude.status == "not_understood"
    assert rude.view.mood is not None and rude.view.mood < one.state("sam", ref).view.mood + 1
    assert not two.reply("sam", ref, option=2).view.ended
    misses, caught = one.rebuilt.misses, one.rebuilt.caught_up
    shown = one.state("sam", ref)
    assert (one.rebuilt.misses, one.rebuilt.caught_up) == (misses + 1, caught)
    assert shown.view == rebuilding.state("sam", ref).view


def test_a_copy_whose_answers_the_store_no_longer_has_is_rebuilt(two_processes, rebuilding):
    """The store forgot the copy's answers (another process took them back) and another
    process answered differently: the kept copy's answers are not the first of the store's, so
    it is rebuilt."""
    one, two = two_processes
    started = one.start("sam", SCENARIO, "practice", 4)
    first = one.reply("sam", started.ref, option=2)
    ref = first.ref
    one.reply("sam", ref, option=len(first.view.options))
    two.store.truncate_choices(ref.saved, 0)
    view = two.state("sam", ref).view
    assert view.number == 1
    for _ in range(3):  # more answers than the copy has, but not the same first ones
        view = two.reply("sam", ref, option=len(view.options)).view
    assert not view.ended
    misses = one.rebuilt.misses
    shown = one.state("sam", ref)
    assert one.rebuilt.misses == misses + 1
    assert shown.view == rebuilding.state("sam", ref).view


def test_the_process_that_started_an_attempt_takes_up_its_copy_after_another_answered(
    two_processes, rebuilding
):
    """The start went to one process and the first answer to the other: the first one's
    just-started copy becomes the saved attempt, caught up with that answer (not rebuilt), and
    its next answer is saved to that attempt — no second attempt, no answer lost."""
    one, two = two_processes
    started = one.start("sam", SCENARIO, "practice", 4)
    first = two.reply("sam", started.ref, option=2)
    ref = first.ref
    assert ref.saved is not None
    misses, caught = one.rebuilt.misses, one.rebuilt.caught_up
    second = one.reply("sam", ref, option=2, turn=first.view.number)
    assert (one.rebuilt.misses, one.rebuilt.caught_up) == (misses, caught + 1)
    assert second.ref == ref and second.view.attempt_id == ref.saved
    assert second.view == rebuilding.state("sam", ref).view
    assert [a.id for a in one.store.attempts(learner="sam", finished_only=False)] == [ref.saved]
    assert len(one.store.attempt(ref.saved).choices) == 2
    # someone else's attempt with the same exercise, mode and seed is not taken for it
    other = one.start("kim", SCENARIO, "practice", 4)
    theirs = two.reply("kim", other.ref, option=2).ref
    mine = one.start("sam", SCENARIO, "practice", 5)
    assert one.state("kim", theirs).view == rebuilding.state("kim", theirs).view
    assert one._fresh, "sam's own new copy is still there for sam"
    assert mine.ref.saved is None


def test_warming_fits_every_conversation_so_no_learner_waits_for_it(two_processes, monkeypatch):
    """A process warms each conversation's typed-reply matcher at start: the first typed reply
    in a conversation fits nothing (the fit is tens of milliseconds a learner would wait)."""
    from collections import OrderedDict

    import simulator.matching.matcher as matcher

    monkeypatch.setattr(matcher, "_fitted", OrderedDict())
    monkeypatch.setattr(matcher, "_cache", OrderedDict())
    fits = []
    real = matcher.CharTfidf
    monkeypatch.setattr(matcher, "CharTfidf", lambda corpus: fits.append(1) or real(corpus))
    one, _ = two_processes
    conversations = [e for e in one.entries().values() if e.kind == "conversation"]
    assert one.warm_conversations() == len(conversations) >= 2
    assert len(fits) == len(conversations)
    started = one.start("sam", SCENARIO, "practice", 4)
    out = one.reply("sam", started.ref, text=started.view.options[1].text)
    assert out.status in ("taken", "confirm")
    assert len(fits) == len(conversations), "the typed reply fitted nothing"


def test_the_service_warms_and_catches_up_conversations_only(two_processes):
    one, _ = two_processes
    service = one.service
    assert service.warm(SCENARIO) is True
    assert service.warm("sort-controllable-or-not") is False  # an activity: nothing to fit
    started = one.start("sam", SCENARIO, "practice", 4)
    ref = one.reply("sam", started.ref, option=2).ref
    assert ref.saved is not None
    stored = one.store.attempt_and_records(ref.saved)
    activity = service.start("sort-controllable-or-not", learner="sam")
    assert service.catch_up(activity, stored) is False
    other = service.start(SCENARIO, learner="sam", seed=5)  # another seed: not this attempt
    assert service.catch_up(other, stored) is False


@pytest.mark.parametrize("turn", [1, 2])
def test_answers_after_a_retry_go_to_the_new_attempt_in_either_process(two_processes, turn):
    """A retry from a turn is a new attempt: the reference it gives back names it, so the next
    answer (here or in the other process) is taken in the retried conversation, not checked
    against the old attempt's turn (which said "choose a number from 1 to N")."""
    one, two = two_processes
    out = one.start("sam", SCENARIO, "practice", 4)
    for _ in range(2):
        out = one.reply("sam", out.ref, option=len(out.view.options))
    old = out.ref
    assert old.saved is not None and out.view.number == 3 and not out.view.ended
    retried = one.retry("sam", old, turn)
    assert retried.view.number == turn
    assert retried.ref != old
    if turn > 1:  # the replayed answers are saved at once, under a new id
        assert retried.ref.saved is not None and retried.ref.saved != old.saved
    for play in (one, two):
        nxt = play.reply("sam", retried.ref, option=len(retried.view.options))
        assert nxt.status == "taken" and nxt.view.number == retried.view.number + 1
        retried = nxt
    # the old attempt is as it was
    assert one.state("sam", old).view.number == 3


class _WarmingPlay:
    """A process's blocking half that only warms: it leaves a cycle of garbage behind and keeps
    objects for the process's life, as the model and the checked scenarios are kept."""

    def __init__(self) -> None:
        import weakref

        self.garbage: list[weakref.ref[object]] = []
        self.kept: list[object] = []
        self.on_ended: list[object] = []
        self._weakref = weakref

    class Thing:
        me: object = None

    class store:  # noqa: N801 - the results store, as the score sender asks it
        @staticmethod
        def ags_outboxes() -> list[object]:
            return []

    def entries(self) -> dict[str, object]:
        return {}

    def warm(self) -> None:
        cycle = self.Thing()
        cycle.me = cycle  # freed only by a collection
        self.garbage.append(self._weakref.ref(cycle))
        self.kept = [self.Thing() for _ in range(3)]

    class service:  # noqa: N801 - stands in for the attribute make_app's cleanup closes
        @staticmethod
        def close() -> None:
            pass


async def test_the_server_freezes_what_warming_made_so_full_collections_skip_it(tmp_path):
    """Once warm, the process's long-lived objects (model, scenarios, modules) are frozen, so a
    full collection during the replies no longer walks them (hundreds of milliseconds with a
    class playing, every request waiting); what warming left as garbage is collected first."""
    import gc

    from aiohttp import web

    from simulator.web.app import STATE, WebConfig, make_app

    fake = _WarmingPlay()
    app = make_app(WebConfig(db=str(tmp_path / "web.db")), play=fake)  # type: ignore[arg-type]
    runner = web.AppRunner(app)
    frozen_before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    # another web test in this worker may have started a server already (its threshold stays
    # set for the process): measure from the interpreter's own full-collection threshold
    gc.set_threshold(thresholds[0], thresholds[1], 10)
    await runner.setup()  # the startup hooks: warming begins in the pool
    try:
        warming = app[STATE].warming
        assert warming is not None
        await warming
        assert fake.garbage[0]() is None, "warming's garbage was collected, not frozen for good"
        assert gc.get_freeze_count() > frozen_before
        tracked = {id(o) for o in gc.get_objects()}
        assert not any(id(k) in tracked for k in fake.kept), "what warming kept is frozen"
        # full collections (each walks every learner's kept exercise) are made rarer
        assert gc.get_threshold()[2] >= 10 * 10
        assert gc.get_threshold()[:2] == thresholds[:2], "the young generations as before"
    finally:
        await runner.cleanup()
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _jinja_compiles_in_a_playthrough(play: Play, monkeypatch, learner: str) -> int:
    """How many templates or conditions Jinja2 compiled while ``learner`` played the scenario
    through (always the last option, the same path each time)."""
    from simulator.engine import sandbox

    made = []
    real_string, real_expression = sandbox.ENV.from_string, sandbox.ENV.compile_expression
    monkeypatch.setattr(
        sandbox.ENV, "from_string", lambda *a, **k: made.append(1) or real_string(*a, **k)
    )
    monkeypatch.setattr(
        sandbox.ENV,
        "compile_expression",
        lambda *a, **k: made.append(1) or real_expression(*a, **k),
    )
    started = play.start(learner, SCENARIO, "practice", 4)
    ref, view = started.ref, started.view
    for _ in range(40):
        out = play.reply(learner, ref, option=len(view.options), turn=view.number)
        ref, view = out.ref, out.view
        if view.ended:
            break
    assert view.ended
    monkeypatch.setattr(sandbox.ENV, "from_string", real_string)
    monkeypatch.setattr(sandbox.ENV, "compile_expression", real_expression)
    return len(made)


def test_warming_compiles_the_templates_so_no_reply_waits_for_jinja2(two_processes, monkeypatch):
    """A server's warm-up compiles each conversation's templates and conditions: a learner's
    reply then never compiles one (a few milliseconds each on a busy machine)."""
    from simulator.engine import sandbox

    one, _ = two_processes
    sandbox.compiled.cache_clear()
    sandbox.compiled_condition.cache_clear()
    assert _jinja_compiles_in_a_playthrough(one, monkeypatch, "sam") > 0, "the path needs Jinja2"
    sandbox.compiled.cache_clear()
    sandbox.compiled_condition.cache_clear()
    assert one.service.warm(SCENARIO) is True
    assert _jinja_compiles_in_a_playthrough(one, monkeypatch, "kim") == 0
