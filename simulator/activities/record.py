"""Activity results in the results store, through the same Store interface as conversations.

An activity attempt is an ordinary attempt row: `scenario_id` is the activity id, `mode` is
"activity" (or "classroom" for a class's vote), one `choices` row per question (the letters
given), and at the end a transcript and a score whose
`course_points` say which catalogue marking points it gave evidence for. No new table: the store
interface (and its PostgreSQL twin) stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeGuard

from .model import Activity
from .run import ActivityRun, Feedback

if TYPE_CHECKING:
    from simulator.store import Store

TRANSCRIPT_FORMAT = "countertalk-activity/2"
# /1: saved before a match activity took placed answers out of later items (run.ActivityRun.rules);
# still read, and re-scored by the rules it was played under.
FORMATS = {"countertalk-activity/1": 1, TRANSCRIPT_FORMAT: 2}


def rules_of(transcript: dict[str, Any]) -> int:
    """The rules a saved activity transcript was played under (1 or 2)."""
    return FORMATS.get(str(transcript.get("activity_format")), 2)


def is_activity_transcript(transcript: object) -> TypeGuard[dict[str, Any]]:
    """An activity's transcript has the shape of a conversation's (format 1, `scenario` the id,
    `turns` with `choice`), so every reader of transcripts accepts it, plus `activity_format`."""
    return isinstance(transcript, dict) and transcript.get("activity_format") in FORMATS


def turn_record(run: ActivityRun, fb: Feedback) -> dict[str, Any]:
    q = run.questions[fb.question - 1]
    return {
        "choice": fb.answer or "-",
        "text": q.prompt,
        "answer": [q.options[ord(c) - 97] for c in fb.answer],
        "correct": fb.correct,
        "points": fb.points,
        "out_of": fb.out_of,
    }


def transcript(run: ActivityRun, learner: str, mode: str) -> dict[str, Any]:
    a = run.activity
    return {
        "format": 1,
        "activity_format": TRANSCRIPT_FORMAT,
        "scenario": a.id,
        "activity": a.id,
        "kind": a.kind,
        "title": a.title,
        "activity_hash": a.content_hash,
        "learner": learner,
        "mode": mode,
        "seed": run.seed,
        "turns": [turn_record(run, fb) for fb in run.feedback],
        "result": run.result(),
    }


class Recorder:
    """Saves an activity run as it goes, by the one recording policy
    (:mod:`simulator.exercise.recording`): the attempt is made with the first answer, each answer
    is one short transaction, and if the store cannot be used it says so once (``warn``) and
    the activity carries on unsaved. The exercise service's ``ActivityExercise`` records the
    same way; this remains for the app's activity screen and tests that drive an ActivityRun."""

    def __init__(
        self,
        store: Store | None,
        activity: Activity,
        *,
        learner: str,
        seed: int,
        mode: str,
        class_session: str | None = None,
        warn: Callable[[str], object] | None = None,
    ) -> None:
        from pathlib import Path

        from simulator.exercise.recording import AttemptFields, Recording

        self.learner, self.mode, self.warn = learner, mode, warn
        self.recording = Recording(store)
        fields = AttemptFields(
            exercise_id=activity.id,
            content_hash=activity.content_hash,
            path=str(Path(activity.source).resolve()) if activity.source else "",
            learner=learner,
            seed=seed,
            mode=mode,
            class_session=class_session,
        )
        self.recording.expect(lambda: fields)

    @property
    def store(self) -> Store | None:
        return self.recording.store

    @property
    def attempt_id(self) -> int | None:
        return self.recording.attempt_id

    def _said(self) -> None:
        problem = self.recording.take_problem()
        if problem and self.warn:
            self.warn(f"({problem.replace('Not saved:', 'Not saving:', 1)})")

    def answered(self, run: ActivityRun, fb: Feedback) -> None:
        rec = turn_record(run, fb)
        self.recording.answered(fb.question, str(rec["choice"]), rec)
        self._said()

    def abandoned(self) -> None:
        """Left before the end: kept for the record, never offered for resume."""
        self.recording.abandon()
        self._said()

    def finished(self, run: ActivityRun) -> None:
        t = transcript(run, self.learner, self.mode)
        self.recording.finish(
            ending=None, outcome="completed", final_mood=None, transcript=t, score=t["result"]
        )
        self._said()
