"""The play screen's workflow without a terminal (simulator/tui/play_flow.py, watch.py): how an
attempt begins, what a typed line is, what a reload says, and noticing a saved file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.exercise.service import ExerciseService
from simulator.exercise.views import Pick
from simulator.store import Store
from simulator.tui import play_flow
from simulator.tui.controller import Play
from simulator.tui.watch import FileWatcher

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "ct.db")
    yield s
    s.close()


def play(store=None, path=KETTLE) -> Play:
    service = ExerciseService(store) if store is not None else ExerciseService(save=False)
    return Play(service, service.load(path, learner="sam", seed=7))


def test_a_new_attempt_begins_and_needs_no_store_first():
    assert not play_flow.store_first(resume_attempt=None, abandon_attempt=None, resume=False)
    assert play_flow.store_first(resume_attempt=None, abandon_attempt=None, resume=True)
    p = play()
    begun = play_flow.begin(p, resume_attempt=None, abandon_attempt=None, resume=False)
    assert begun.how == "started" and p.view is not None and p.events[-1].kind == "customer"


def test_resume_with_nothing_saved_starts_a_new_one(store):
    p = play(store)
    begun = play_flow.begin(p, resume_attempt=None, abandon_attempt=None, resume=True)
    assert begun.how == "nothing_to_resume" and p.view is not None


def test_resume_picks_up_the_saved_choices(store):
    first = play(store)
    first.begin()
    first.answer(Pick(2))
    p = play(store)
    begun = play_flow.begin(p, resume_attempt=None, abandon_attempt=None, resume=True)
    assert begun.how == "resumed" and begun.report.kept == 1 and p.choices == ["opening.2"]
    assert [e.text for e in p.events][1] == "Have you got the receipt?"  # the chat replayed


def test_typed_lines_options_blank_and_busy():
    flow = play_flow.TypedFlow()
    assert flow.submitted("?", can_answer=True) == "options" and flow.options_shown
    assert flow.lines_handled == 1
    assert flow.submitted("   ", can_answer=True) == "ignore"
    assert flow.submitted("hello", can_answer=False) == "ignore"
    assert flow.submitted("hello", can_answer=True) == "match" and flow.understanding
    assert flow.submitted("again", can_answer=True) == "ignore"  # one line at a time
    flow.handled()
    assert not flow.understanding and flow.lines_handled == 2


def test_a_reload_of_a_broken_file_keeps_the_last_good_version(tmp_path):
    path = tmp_path / "k.yaml"
    path.write_text(KETTLE.read_text(encoding="utf-8"), encoding="utf-8")
    p = play(path=path)
    p.begin()
    p.answer(Pick(1))
    ok = play_flow.reload(p)
    assert ok.problem is None and ok.severity == "information"
    assert ok.message == "Reloaded; replayed 1 choice(s)."
    path.write_text("id: k\nstates: [\n", encoding="utf-8")
    bad = play_flow.reload(p)
    assert bad.problem is not None and bad.severity == "error"
    assert p.choices == ["opening.1"]


def test_the_watcher_says_changed_once_per_save(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("a", encoding="utf-8")
    w = FileWatcher(f)
    w.remember()
    assert not w.changed()
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    assert w.changed() and not w.changed()
    f.unlink()
    assert not w.changed()  # a file being replaced is looked at again next tick


def test_resume_command_names_the_file_and_learner(tmp_path):
    cmd = play_flow.resume_command(tmp_path / "my file.yaml", "x", assess=True, learner="zed q")
    assert cmd.startswith("countertalk play ") and "'" in cmd and "--assess" in cmd
    assert cmd.endswith("--learner 'zed q'")
