"""The play screen's workflow without a screen: how an attempt begins (new, resumed, started
over), what a typed line is (the options asked for, nothing, or a line to match), what a live
reload says, and the command that resumes. Textual-free, so it is tested without a terminal and
a second front end could reuse it; the screen only draws what these return.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .controller import Play, PlayProblem

if TYPE_CHECKING:
    from simulator.exercise.views import Replayed
    from simulator.store import AttemptRecord

SHOW_OPTIONS = ("?", "options", "help")


def store_first(
    *, resume_attempt: object | None, abandon_attempt: object | None, resume: bool
) -> bool:
    """Resuming or starting over needs the store to begin; a new attempt does not (it is
    recorded with its first choice: ExerciseService.attach_store), so then the store (sqlite) is opened
    after the first playable frame instead of before it."""
    return resume_attempt is not None or abandon_attempt is not None or resume


@dataclass(frozen=True)
class Begun:
    """How an attempt began: ``started``, ``resumed``, ``nothing_to_resume`` (a new one was
    started instead) or ``misfit`` (a saved choice no longer fits: ask what to do)."""

    how: str
    report: Replayed | None = None


def begin(
    play: Play,
    *,
    resume_attempt: AttemptRecord | int | None,
    abandon_attempt: AttemptRecord | int | None,
    resume: bool,
) -> Begun:
    """Start, resume or start over, as the options and the picker asked (PlayProblem if the
    scenario breaks). A resume that no longer fits keeps what does; the learner is then asked
    whether to carry on from there or start over. An attempt is a saved record (the picker's)
    or its id (the resume offer's)."""
    service = play.service
    if abandon_attempt is not None and service.store is not None:
        service.abandon_saved(_id_of(abandon_attempt))
        play.begin()
        return Begun("started")
    if resume_attempt is not None or resume:
        if resume_attempt is not None:
            saved_id: int | None = _id_of(resume_attempt)
        else:
            found = service.unfinished(play.ex)
            saved_id = found.attempt_id if found is not None else None
        if saved_id is None:
            play.begin()
            return Begun("nothing_to_resume")
        report = play.resume(saved_id)
        if report is None or report.complete:
            return Begun("resumed", report)
        return Begun("misfit", report)
    play.begin()
    return Begun("started")


def _id_of(attempt: AttemptRecord | int) -> int:
    return attempt if isinstance(attempt, int) else attempt.id


def plays_typed(play: Play, *, given: str | None, remembered: str | None) -> bool:
    """Typed or picked replies: ``--type``/``--pick`` (or a switch made in the app) decide;
    else an assessment of a scenario written for recall is typed (brief fact 34, as plain mode
    does); else the setting remembered from last time."""
    if given is not None:
        return play.service.plays_typed(play.ex, reply_mode=given)
    if play.service.plays_typed(play.ex, reply_mode=None):
        return True
    return remembered == "type"


def offers_resume(
    *, typing: bool, saving: bool, resume: bool, from_picker: bool, chosen: bool
) -> bool:
    """Typed play opened straight from the command line asks "Resume / New" about an
    unfinished attempt, as the picker does and plain mode's ``--type`` does (issue 26): it must
    never silently leave one behind. Not when --resume (or the picker) already said which."""
    return typing and saving and not resume and not from_picker and not chosen


class TypedFlow:
    """Where typed replies stand: typing or picking, the options on show, a line being
    matched, and how many lines have been dealt with (tests wait on it)."""

    def __init__(self) -> None:
        self.typing = False  # replies typed in the reply box (else picked from the list)
        self.options_shown = False  # typing: the numbered options are on show
        self.understanding = False  # a typed line is being matched
        self.lines_handled = 0  # typed lines dealt with (taken, asked about, or not understood)

    def submitted(self, line: str, *, can_answer: bool) -> str:
        """What a submitted line is: ``ignore``, ``options`` (asked for them) or ``match``."""
        if self.understanding or not can_answer:
            return "ignore"
        if line.strip().lower() in SHOW_OPTIONS:
            self.options_shown = True
            self.lines_handled += 1
            return "options"
        if not line.strip():
            return "ignore"
        self.understanding = True
        return "match"

    def handled(self) -> None:
        self.understanding = False
        self.lines_handled += 1


@dataclass(frozen=True)
class Reloaded:
    """What a live reload came to: the problem (the last good version is still shown), or how
    many choices were replayed."""

    problem: PlayProblem | None
    report: Replayed | None = None

    @property
    def message(self) -> str:
        if self.problem is not None:
            return "The scenario has errors; still showing the last good version."
        r = self.report
        assert r is not None  # a reload without a problem has a report
        if r.complete:
            return f"Reloaded; replayed {r.kept} choice(s)."
        return f"Reloaded; kept {r.kept} of {r.wanted} choice(s): {r.misfit}."

    @property
    def severity(self) -> str:
        if self.problem is not None:
            return "error"
        return "information" if self.report is not None and self.report.complete else "warning"


def reload(play: Play) -> Reloaded:
    try:
        return Reloaded(None, play.reload())
    except PlayProblem as exc:
        return Reloaded(exc)


def resume_command(path: Path, scenario_id: str | None, *, assess: bool, learner: str) -> str:
    """The command that picks this attempt up again, as the learner would type it."""
    from simulator.attempt import default_learner
    from simulator.engine.loader import shipped_pack

    shipped = path.resolve().parent == Path(shipped_pack()).resolve()
    target = scenario_id if scenario_id is not None and shipped else str(path)
    parts = ["countertalk", "play", target, "--resume"]
    if assess:
        parts.append("--assess")
    if learner != default_learner():
        parts += ["--learner", learner]
    return " ".join(shlex.quote(p) for p in parts)
