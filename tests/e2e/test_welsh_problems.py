"""Issue 32: the problems the engine, the attempt and the store report reach a Welsh learner in
Welsh — in plain mode (a store that cannot be used, a saved attempt whose file has gone), and
from the attempt itself (a retry in assessment, a conversation that now ends sooner) — and an
English learner in the same English as before."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.engine import i18n
from tests.e2e.test_welsh_plain import ROOT, english_in


def plain(lang: str, target: Path | str, home: Path, stdin: str, *extra: str):
    env = dict(os.environ, COUNTERTALK_HOME=str(home), NO_COLOR="1")
    env.pop("COUNTERTALK_LANG", None)
    env.pop("COUNTERTALK_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "simulator", "--lang", lang, "play", str(target), "--plain"]
        + ["--learner", "Siôn", *extra],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_a_store_that_cannot_be_used_is_said_in_welsh_in_plain_mode(tmp_path):
    home = tmp_path / "home"
    (home / "countertalk.db").mkdir(parents=True)  # the database's path is a folder
    cy = plain("cy", "spill-in-aisle", home, "1\n", "--seed", "3")
    first = cy.stdout.splitlines()[0].replace(str(home), "HOME")
    assert first.startswith("(Heb ei gadw: Ffolder yw llwybr cronfa ddata'r canlyniadau"), first
    assert english_in(first) == [], first
    en = plain("en", "spill-in-aisle", home, "1\n", "--seed", "3")
    first = en.stdout.splitlines()[0].replace(str(home), "HOME")
    assert first == (
        "(Not saved: The results database path HOME/countertalk.db is a folder, not a file. "
        "Move the folder aside or set COUNTERTALK_HOME to another folder. You can still play; "
        "this attempt is not being saved.)"
    )


def test_a_saved_attempt_whose_file_has_gone_is_said_in_welsh_on_resume(tmp_path):
    """The attempt was saved from one copy of the scenario; that copy has gone, and --resume
    from another copy finds the attempt (the same scenario id) but not its file."""
    home, a, b = tmp_path / "home", tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        (d / "locales" / "cy").mkdir(parents=True)
        shutil.copy(ROOT / "scenarios/locales/cy/spill-in-aisle.yaml", d / "locales" / "cy")
    shutil.copy(ROOT / "scenarios/spill-in-aisle.yaml", a)
    first = plain("cy", a / "spill-in-aisle.yaml", home, "1\n", "--seed", "3")
    assert first.returncode == 1 and "--resume" in first.stderr  # saved, input ended
    shutil.move(a / "spill-in-aisle.yaml", b / "spill-in-aisle.yaml")
    cy = plain("cy", b / "spill-in-aisle.yaml", home, "", "--resume")
    assert cy.returncode == 1
    said = cy.stderr.strip().replace(str(a / "spill-in-aisle.yaml"), "FILE")
    assert said == (
        "countertalk: nid yw ffeil ymgais 1 (FILE) yno mwyach; dechreuwch ymgais newydd"
    ), cy.stderr
    assert english_in(said) == []
    en = plain("en", b / "spill-in-aisle.yaml", home, "", "--resume")
    said = en.stderr.strip().replace(str(a / "spill-in-aisle.yaml"), "FILE")
    assert said == (
        "countertalk: attempt 1's file (FILE) is not there any more; start a new attempt"
    )


@pytest.fixture
def welsh():
    token = i18n.use("cy")
    yield
    i18n.reset(token)


def _attempt(tmp_path, mode: str):
    from simulator.attempt import Attempt

    a = Attempt(
        ROOT / "scenarios/spill-in-aisle.yaml",
        learner="Siôn",
        mode=mode,
        seed=3,
        store=None,
    )
    a.load()
    a.start()
    return a


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "cy",
            "yn y modd ymarfer yn unig y cewch roi cynnig arall arni o dro penodol; dim ond "
            "unwaith y caiff ymgais asesu ei chwarae",
        ),
        ("en", "retrying from a turn is for practice mode; assessment attempts are played once"),
    ],
)
def test_a_retry_in_assessment_is_refused_in_the_learners_language(tmp_path, lang, said):
    from simulator.attempt import AttemptProblem

    token = i18n.use(lang)
    try:
        a = _attempt(tmp_path, "assess")
        a.choose(1)
        with pytest.raises(AttemptProblem) as exc:
            a.retry_from(1)
        assert str(exc.value) == said
        with pytest.raises(AttemptProblem) as exc:
            a.choose(99)
        assert str(exc.value).startswith(
            "dewiswch rif o 1 i " if lang == "cy" else "choose a number from 1 to "
        )
    finally:
        i18n.reset(token)
    assert lang == "en" or english_in(said) == []


def test_a_store_problem_is_said_in_the_language_current_when_shown(welsh):
    """A store that failed before any learner's language was known (a web process starting)
    is said in each reader's language when it is read."""
    from simulator.exercise.service import ExerciseService

    service = ExerciseService(location=str(ROOT))  # a folder: the store cannot be opened
    token = i18n.use("en")
    try:
        assert service.store is None
        assert service.store_problem is not None
        assert service.store_problem.startswith("Not saved: The results database path ")
    finally:
        i18n.reset(token)
    said = service.store_problem.replace(str(ROOT), "ROOT")  # now in Welsh (the fixture)
    assert said.startswith("Heb ei gadw: Ffolder yw llwybr cronfa ddata'r canlyniadau ROOT")
    assert english_in(said) == [], said


def test_resume_without_a_store_is_refused_in_welsh(tmp_path):
    cy = plain("cy", "spill-in-aisle", tmp_path, "", "--resume", "--no-save")
    assert cy.returncode == 2
    assert (
        cy.stderr == "countertalk: mae angen storfa'r canlyniadau ar --resume; tynnwch --no-save\n"
    )
    assert english_in(cy.stderr.replace("--no-save", "").replace("--resume", "")) == []
    en = plain("en", "spill-in-aisle", tmp_path, "", "--resume", "--no-save")
    assert en.stderr == "countertalk: --resume needs the results store; remove --no-save\n"
