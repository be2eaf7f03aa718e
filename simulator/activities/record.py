"""Activity results in the results store, through the same Store interface as conversations.

An activity attempt is an ordinary attempt row: `scenario_id` is the activity id, `mode` is
"activity" (or "classroom" for a class's vote), one `choices` row per question (the letters
given), and at the end a transcript and a score whose
`course_points` say which catalogue marking points it gave evidence for. No new table: the store
interface (and its PostgreSQL twin) stays as it is.
"""

from __future__ import annotations

from .model import Activity
from .run import ActivityRun, Feedback

TRANSCRIPT_FORMAT = "countertalk-activity/1"


def is_activity_transcript(transcript) -> bool:
    """An activity's transcript has the shape of a conversation's (format 1, `scenario` the id,
    `turns` with `choice`), so every reader of transcripts accepts it, plus `activity_format`."""
    return isinstance(transcript, dict) and transcript.get("activity_format") == TRANSCRIPT_FORMAT


def turn_record(run: ActivityRun, fb: Feedback) -> dict:
    q = run.questions[fb.question - 1]
    return {
        "choice": fb.answer or "-",
        "text": q.prompt,
        "answer": [q.options[ord(c) - 97] for c in fb.answer],
        "correct": fb.correct,
        "points": fb.points,
        "out_of": fb.out_of,
    }


def transcript(run: ActivityRun, learner: str, mode: str) -> dict:
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
    """Saves an activity run as it goes; if the store cannot be used it says so once and the
    activity carries on unsaved (as plain mode does for conversations)."""

    def __init__(
        self,
        store,
        activity: Activity,
        *,
        learner: str,
        seed: int,
        mode: str,
        class_session: str | None = None,
        warn=None,
    ):
        self.store, self.learner, self.mode, self.warn = store, learner, mode, warn
        self.attempt_id = None
        if store is None:
            return
        self._try(
            lambda: setattr(
                self,
                "attempt_id",
                store.start_attempt(
                    scenario_id=activity.id,
                    scenario_hash=activity.content_hash,
                    scenario_path=activity.source,
                    learner=learner,
                    seed=seed,
                    mode=mode,
                    class_session=class_session,
                ),
            )
        )

    def _try(self, fn) -> None:
        from simulator.store import StoreError

        try:
            fn()
        except StoreError as exc:
            if self.warn:
                self.warn(f"(Not saving: {exc})")
            self.store = None

    def answered(self, run: ActivityRun, fb: Feedback) -> None:
        if self.store is None or self.attempt_id is None:
            return
        rec = turn_record(run, fb)
        self._try(
            lambda: self.store.record_choice(self.attempt_id, fb.question, rec["choice"], rec)
        )

    def abandoned(self) -> None:
        """Left before the end: kept for the record, never offered for resume."""
        if self.store is None or self.attempt_id is None:
            return
        self._try(lambda: self.store.abandon_attempt(self.attempt_id))

    def finished(self, run: ActivityRun) -> None:
        if self.store is None or self.attempt_id is None:
            return
        t = transcript(run, self.learner, self.mode)
        self._try(
            lambda: self.store.finish_attempt(
                self.attempt_id,
                ending=None,
                outcome="completed",
                final_mood=None,
                transcript=t,
                score=t["result"],
            )
        )
