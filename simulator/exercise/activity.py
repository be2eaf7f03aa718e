"""An activity (sort, spot, match, order) behind the :class:`~.kinds.Exercise` protocol.

The marking rules stay in :mod:`simulator.activities.run`; this adds what every exercise has:
the one recording policy (the attempt row is made with the first answer, one short transaction
per answer), resuming from the store by replaying the saved letters with the saved seed, and the
typed read models a front end draws.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.activities.record import transcript as transcript_data
from simulator.activities.record import turn_record
from simulator.activities.run import LETTERS, ActivityRun, Feedback, parse_answer
from simulator.engine.i18n import gettext as tr
from simulator.engine.i18n import translated

from .kinds import ExerciseProblem
from .recording import AttemptFields, Recording
from .views import (
    ACTIVITY,
    AnswerView,
    Confirm,
    Debrief,
    DebriefView,
    Ended,
    Event,
    ExerciseInfo,
    MarkingPoint,
    OptionView,
    Pick,
    PickMany,
    Replayed,
    Say,
    Score,
    Stepped,
    Transcript,
    TranscriptTurn,
    TurnView,
)

if TYPE_CHECKING:
    from simulator.activities.model import Activity
    from simulator.store import AttemptRecord, Store

    from .views import ChatLine

ACTIVITY_MODES = ("activity", "classroom")  # of engine/format.py MODES


def letters_to_picks(letters: str) -> set[int]:
    """The option indices a saved answer names ("-" is an empty "spot" answer)."""
    return {LETTERS.index(c) for c in letters if c in LETTERS}


class ActivityExercise:
    """One learner's (or one class's) run through an activity."""

    kind = ACTIVITY

    def __init__(
        self,
        activity: Activity,
        *,
        learner: str,
        seed: int,
        mode: str = "activity",
        recording: Recording | None = None,
        class_session: str | None = None,
    ) -> None:
        if mode not in ACTIVITY_MODES:
            raise ValueError(f"an activity's mode is one of {ACTIVITY_MODES}")
        self.activity = activity
        self.path = Path(activity.source) if activity.source else Path()
        self.learner, self.mode, self.seed = learner, mode, int(seed)
        self.recording: Recording = recording or Recording(None)
        self.class_session = class_session
        self.run = ActivityRun(activity, self.seed)
        self._last: Feedback | None = None
        self._finished = False
        self.replayed: Replayed | None = None

    @property
    def exercise_id(self) -> str:
        return self.activity.id

    @property
    def content_hash(self) -> str:
        return self.activity.content_hash

    @property
    def ended(self) -> bool:
        return self.run.done

    def _fields(self) -> AttemptFields:
        return AttemptFields(
            exercise_id=self.activity.id,
            content_hash=self.activity.content_hash,
            path=str(self.path.resolve()) if self.activity.source else "",
            learner=self.learner,
            seed=self.seed,
            mode=self.mode,
            class_session=self.class_session,
        )

    # -- starting ---------------------------------------------------------------------------------
    def start(self, seed: int | None = None) -> None:
        if seed is not None:
            self.seed = int(seed)
        self.run = ActivityRun(self.activity, self.seed)
        self._last, self._finished = None, False
        self.recording.expect(self._fields)

    def resume(self, stored: AttemptRecord, records: list[dict[str, Any]]) -> int:
        self.seed = int(stored.seed or 0)
        self.mode = stored.mode if stored.mode in ACTIVITY_MODES else self.mode
        self.run = ActivityRun(self.activity, self.seed)
        self._last, self._finished = None, False
        self.recording.expect(None)
        self.recording.attempt_id = stored.id
        kept = self._replay(list(stored.choices))
        self.replayed = Replayed(
            kept=kept,
            wanted=len(stored.choices),
            misfit=None
            if kept == len(stored.choices)
            else f"your saved answer to question {kept + 1} no longer fits the changed activity",
        )
        if kept < len(stored.choices):
            self.recording.truncate(kept)
        self._finish_if_done()
        return kept

    def _replay(self, answers: list[str]) -> int:
        kept = 0
        for letters in answers:
            q = self.run.current
            if q is None:
                break
            try:
                self._last = self.run.answer(letters_to_picks(letters))
            except ValueError:  # the file changed: the saved answer no longer fits
                break
            kept += 1
        return kept

    def reload(self) -> Replayed:
        raise ExerciseProblem(tr("an activity is not previewed live; open it again instead"))

    def attach_store(self, store: Store | None) -> None:
        """The store opened after the activity began: recorded from its first answer."""
        self.recording.store = store
        if store is not None and self.recording.attempt_id is None and not self.run.feedback:
            self.recording.expect(self._fields)

    def prepare_typing(self) -> None:
        """Answers are letters: nothing to load."""

    def chat(self) -> tuple[ChatLine, ...]:
        return ()

    def debrief_model(self) -> DebriefView:
        raise ExerciseProblem("an activity's result is its debrief (see debrief())")

    # -- the view -------------------------------------------------------------------------------
    def info(self) -> ExerciseInfo:
        from simulator.activities.progress import point_texts

        a = self.activity
        texts = point_texts()
        from simulator.engine.i18n import current

        return ExerciseInfo(
            lang=current(),
            kind=ACTIVITY,
            exercise_id=a.id,
            title=a.title,
            learner=self.learner,
            mode=self.mode,
            seed=self.seed,
            summary=a.summary,
            activity_kind=a.kind,
            intro=a.intro,
            case=a.case,
            level=a.level,
            minutes=a.minutes,
            marking_points=tuple(texts.get(mp, mp) for mp in a.marking_points),
        )

    def view(self) -> TurnView:
        a, q, last = self.activity, self.run.current, self._last
        intro = a.intro + (f"\n\nThe case:\n{a.case}" if a.case else "")
        return TurnView(
            kind=ACTIVITY,
            exercise_id=a.id,
            title=a.title,
            mode=self.mode,
            attempt_id=self.recording.attempt_id,
            number=len(self.run.feedback) + (0 if q is None else 1),
            total=len(self.run.questions),
            line=q.prompt if q is not None else "",
            intro=intro,
            options=(
                tuple(OptionView(i + 1, t, LETTERS[i]) for i, t in enumerate(q.options))
                if q is not None
                else ()
            ),
            multi=q.multi if q is not None else False,
            feedback=last.text if last is not None else None,
            correct=last.correct if last is not None else None,
            last=self._answer_view(last),
            ended=self.run.done,
            outcome="completed" if self.run.done else None,
            saving=self.recording.saving,
            store_problem=self.recording.problem,
        )

    def _answer_view(self, last: Feedback | None) -> AnswerView | None:
        if last is None:
            return None
        q = self.run.questions[last.question - 1]
        picks = sorted(letters_to_picks(last.answer))
        return AnswerView(
            number=picks[0] + 1 if len(picks) == 1 else 0,
            text="; ".join(q.options[i] for i in picks),
        )

    # -- answering ------------------------------------------------------------------------------
    def answer(self, answer: Pick | PickMany | Say | Confirm) -> Event:
        q = self.run.current
        if q is None:
            raise ExerciseProblem(tr("the activity is finished"))
        if isinstance(answer, Pick):
            picks = {answer.number - 1}
        elif isinstance(answer, PickMany):
            picks = {n - 1 for n in answer.numbers}
        elif isinstance(answer, Say):
            parsed = parse_answer(answer.text, len(q.options), q.multi)
            if parsed is None:
                last = LETTERS[len(q.options) - 1]
                raise ExerciseProblem(
                    (
                        tr("Type letters from a to {last} (or numbers 1 to {n}).")
                        if q.multi
                        else tr("Type one letter from a to {last} (or numbers 1 to {n}).")
                    ).format(last=last, n=len(q.options))
                )
            picks = parsed
        else:
            raise ExerciseProblem(tr("an activity has nothing to confirm"))
        try:
            fb = self.run.answer(picks if q.multi else next(iter(picks), -1))
        except ValueError as exc:
            raise ExerciseProblem(str(exc)) from None
        self._last = fb
        rec = turn_record(self.run, fb)
        self.recording.answered(fb.question, str(rec["choice"]), rec)
        self._finish_if_done()
        view = self.view()
        return Ended(view, self.score()) if view.ended else Stepped(view)

    def _finish_if_done(self) -> None:
        if not self.run.done or self._finished:
            return
        self._finished = True
        t = transcript_data(self.run, self.learner, self.mode)
        self.recording.finish(
            ending=None, outcome="completed", final_mood=None, transcript=t, score=t["result"]
        )

    def _rebuild(self, keep: int) -> None:
        answers = [fb.answer or "-" for fb in self.run.feedback[:keep]]
        self.run = ActivityRun(self.activity, self.seed)
        self._last, self._finished = None, False
        self._replay(answers)
        self.recording.truncate(len(self.run.feedback))

    def undo(self) -> None:
        if not self.run.feedback:
            raise ExerciseProblem(tr("there is no answer to take back"))
        if self.run.done:
            raise ExerciseProblem(tr("the activity is finished; start it again instead"))
        self._rebuild(len(self.run.feedback) - 1)

    def retry_from(self, turn: int) -> None:
        if self.run.done:  # a finished attempt is kept: retry is a new attempt
            answers = [fb.answer or "-" for fb in self.run.feedback[: max(0, turn - 1)]]
            self.start()
            self._replay(answers)
            for fb in self.run.feedback:
                rec = turn_record(self.run, fb)
                self.recording.answered(fb.question, str(rec["choice"]), rec)
            return
        self._rebuild(max(0, turn - 1))

    def show_options(self) -> None:
        """An activity always shows its options: nothing to record."""

    def abandon(self) -> None:
        if not self.run.done:
            self.recording.abandon()

    # -- results --------------------------------------------------------------------------------
    def transcript(self) -> Transcript:
        turns = []
        for fb in self.run.feedback:
            q = self.run.questions[fb.question - 1]
            said = "; ".join(q.options[i] for i in sorted(letters_to_picks(fb.answer)))
            turns.append(
                TranscriptTurn(
                    number=fb.question,
                    prompt=q.prompt,
                    said=said,
                    choice=fb.answer or "-",
                    feedback=fb.text,
                    correct=fb.correct,
                )
            )
        return Transcript(
            kind=ACTIVITY,
            exercise_id=self.activity.id,
            title=self.activity.title,
            learner=self.learner,
            mode=self.mode,
            seed=self.seed,
            turns=tuple(turns),
            ended=self.run.done,
            outcome="completed" if self.run.done else None,
        )

    def transcript_json(self) -> str:
        data = transcript_data(self.run, self.learner, self.mode)
        return json.dumps(data, indent=2, ensure_ascii=False)

    def score(self) -> Score:
        from simulator.activities.progress import point_texts

        res = self.run.result()
        texts = point_texts()
        points = tuple(
            MarkingPoint(mp, texts.get(mp, mp), str(status))
            for mp, status in res["course_points"].items()
        )
        return Score(
            grade=str(res["grade"]),
            percent=int(res["percent"]),
            passed=res["grade"] == "pass",
            pass_percent=int(res["pass"]),
            points=int(res["points"]),
            out_of=int(res["out_of"]),
            reason=(
                None
                if res["grade"] == "pass"
                else tr("A pass needs {p}% of it right.").format(p=res["pass"])
            ),
            marking_points=points,
        )

    def debrief(self, fmt: str = "text") -> Debrief:
        """The activity's result as the plain-mode and app screens show it."""
        from html import escape

        score = self.score()
        review = tuple(self.run.to_review())
        verdict = (
            tr("met")
            if score.passed
            else tr("not yet met (needs {p}%)").format(p=score.pass_percent)
        )
        head = tr("Result: {points}/{out_of} right ({percent}%)").format(
            points=score.points, out_of=score.out_of, percent=score.percent
        )
        evidence = tr("Evidence for these marking points — {verdict}:").format(verdict=verdict)
        points = [translated(p.text) for p in score.marking_points]
        to_review = tr("To review:")
        if fmt == "html":
            e = escape
            lines = [f"<h2>{e(head)}</h2>", f"<p>{e(evidence)}</p>", "<ul>"]
            lines += [f"<li>{e(p)}</li>" for p in points] + ["</ul>"]
            if review:
                lines += [f"<p>{e(to_review)}</p>", "<ul>"]
                lines += [f"<li>{e(r)}</li>" for r in review] + ["</ul>"]
        elif fmt == "md":
            lines = [f"## {head}", "", evidence, "", *[f"- {p}" for p in points]]
            if review:
                lines += ["", to_review, "", *[f"- {r}" for r in review]]
        else:
            lines = [head, evidence, *[f"  - {p}" for p in points]]
            if review:
                lines += [to_review, *[f"  - {r}" for r in review]]
        return Debrief(score=score, format=fmt, body="\n".join(lines) + "\n", review=review)
