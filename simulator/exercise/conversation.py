"""A conversation behind the :class:`~.kinds.Exercise` protocol: the attempt service
(:mod:`simulator.attempt`) seen through typed read models.

The session, the scenario and the scorer's dictionaries stay in here; a front end gets a
:class:`~.views.TurnView`, a :class:`~.views.Transcript`, a :class:`~.views.Score` and a
:class:`~.views.Debrief`. Typed replies go through the one matcher (:mod:`simulator.matching`)
and what a typed turn adds to its record is written when the choice commits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.attempt import Attempt, AttemptProblem, ReplayReport
from simulator.engine.i18n import gettext as tr
from simulator.engine.mood import mood_change_word
from simulator.matching.recall import written_for_recall

from .views import (
    CONVERSATION,
    AnswerView,
    ChatLine,
    Confirm,
    Debrief,
    DebriefView,
    Ended,
    Event,
    ExerciseInfo,
    MarkingPoint,
    NeedsConfirm,
    NotUnderstood,
    OptionView,
    Pick,
    PickMany,
    Replayed,
    Say,
    Score,
    Stepped,
    SuggestionView,
    Transcript,
    TranscriptTurn,
    TurnView,
    debrief_view,
)

if TYPE_CHECKING:
    from simulator.engine.model import Scenario
    from simulator.engine.session import Session, Step
    from simulator.matching.replies import Reply
    from simulator.store import AttemptRecord

    from .recording import Recording


class ChattingAttempt(Attempt):
    """An attempt that also keeps its conversation as :class:`~.views.ChatLine` rows, through
    the attempt's hooks: they run for every step, replayed ones too, so after a resume, an undo
    or a reload the history is the whole conversation again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chat: list[ChatLine] = []

    def on_open(self) -> None:
        s = self.require_session()
        self.chat = []
        if s.note:
            self.chat.append(ChatLine(kind="note", text=s.note))
        self.chat.append(ChatLine(kind="customer", text=s.line, mood=s.mood))
        if s.ended:
            self._ending()

    def on_step(self, step: Step) -> None:
        from simulator.engine.mood import mood_word

        s = self.require_session()
        turn = len(s.turns)
        typed = step.turn.get("typed")
        typed = typed if isinstance(typed, dict) else None
        self.chat.append(
            ChatLine(
                kind="learner",
                text=str(step.turn.get("text", "")),
                turn=turn,
                typed=str(typed["text"]) if typed and "text" in typed else None,
                confirmed=bool(typed.get("confirmed")) if typed else False,
            )
        )
        if not self.assess:
            if step.feedback:
                self.chat.append(ChatLine(kind="feedback", text=step.feedback, turn=turn))
            self.chat.append(
                ChatLine(
                    kind="mood",
                    text=f"{mood_change_word(step.mood_before, step.mood_after)}"
                    + tr(" — now {word}").format(word=mood_word(step.mood_after)),
                    before=step.mood_before,
                    after=step.mood_after,
                )
            )
        if step.diverted_by_rule:
            self.chat.append(ChatLine(kind="system", text=tr("The conversation took a turn.")))
        if s.note:
            self.chat.append(ChatLine(kind="note", text=s.note))
        self.chat.append(ChatLine(kind="customer", text=s.line, mood=s.mood))
        if s.ended:
            self._ending()

    def _ending(self) -> None:
        s = self.require_session()
        self.chat.append(ChatLine(kind="ending", text=s.outcome or "", debrief=s.debrief))

    def missed(self, said: str, reaction: str | None = None, rude: bool = False) -> None:
        """A typed line that was not taken: the learner's words, the customer's reaction, and a
        word when it still counted as rude (matching/replies.py)."""
        if said:
            self.chat.append(ChatLine(kind="learner", text=said, missed=True))
        if reaction:
            self.chat.append(ChatLine(kind="customer", text=reaction, reaction=True))
        if rude:
            self.chat.append(
                ChatLine(
                    kind="system",
                    text="That came across as rude: it cost the customer's goodwill and is "
                    "noted as a mistake.",
                )
            )


class Conversation:
    """A scenario played as a conversation (practice, assessment or a classroom team's)."""

    kind = CONVERSATION

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt
        self.replayed: Replayed | None = None  # how the last resume or reload went
        self._reply: Reply | None = None  # a typed line waiting for "Did you mean …?"
        self._reaction: str | None = None  # the customer's reply to a line not understood
        # How a rude line came across, for the turn it was taken at (not in the record).
        self._came_across: tuple[int, str] | None = None
        # Something happened that the store may not have (a line not understood, a rude
        # line's mood, "Did you mean …?", the options shown): a copy that has seen any of it
        # since it was built is never caught up (see catch_up) but rebuilt from the store.
        self._unsaved = False

    # -- what the protocol reads ---------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self.attempt.path or Path()

    @property
    def learner(self) -> str:
        return self.attempt.learner

    @property
    def mode(self) -> str:
        return self.attempt.mode

    @property
    def seed(self) -> int:
        return self.attempt.seed

    @property
    def recording(self) -> Recording:
        return self.attempt.recording

    @property
    def scenario(self) -> Scenario:
        if self.attempt.scenario is None:
            raise AttemptProblem("the scenario has not been loaded")
        return self.attempt.scenario

    @property
    def session(self) -> Session:
        if self.attempt.session is None:
            raise AttemptProblem("the attempt has not started")
        return self.attempt.session

    @property
    def exercise_id(self) -> str:
        return self.scenario.id

    @property
    def content_hash(self) -> str:
        return self.scenario.content_hash

    @property
    def ended(self) -> bool:
        return self.attempt.ended

    # -- starting ---------------------------------------------------------------------------------
    def _fresh(self) -> None:
        self._reply, self._reaction, self._came_across = None, None, None
        self._unsaved = False

    def start(self, seed: int | None = None) -> None:
        self._fresh()
        if seed is not None:
            self.attempt.seed = int(seed)
        self.attempt.start()

    def resume(self, stored: AttemptRecord, records: list[dict[str, Any]]) -> int:
        self._fresh()
        report: ReplayReport = self.attempt.resume(stored, records=records)
        self.replayed = Replayed(kept=report.kept, wanted=report.wanted, misfit=report.misfit)
        if not report.complete:
            self.attempt.keep_what_fits(report)
        return report.kept

    def catch_up(self, stored: AttemptRecord, records: list[dict[str, Any]]) -> bool:
        """Bring this copy up to the store's attempt by taking the answers saved after the ones
        it has (another process took them), as a resume would replay them but without starting
        again: a web process that kept the exercise from two requests ago takes one answer
        instead of rebuilding the session and replaying them all.

        A copy just started and not yet answered here becomes the stored attempt (its first
        answer was taken by another process). Only a copy that is exactly the store's first
        answers is caught up: the same attempt (or a new one with its seed and mode) and file,
        nothing unsaved since it was built, not ended; and only an attempt still going. False
        (the copy may then be half-way: throw it away and resume) otherwise."""
        a, s = self.attempt, self.attempt.session
        have = len(s.turns) if s is not None else -1
        new = a.attempt_id is None and have == 0 and a.recording.pending is not None
        if (
            s is None
            or self._unsaved
            or s.ended
            or a.result is not None
            or (a.attempt_id != stored.id and not new)
            or a.learner != stored.learner
            or a.seed != stored.seed
            or a.mode != stored.mode
            or self.scenario.content_hash != stored.scenario_hash
            or stored.finished_at is not None
            or stored.abandoned_at is not None
            or len(stored.choices) < have
            or len(records) != len(stored.choices)
            or list(stored.choices[:have]) != [str(t["choice"]) for t in s.turns]
        ):
            return False
        from simulator.engine.session import ScenarioRuntimeError, SessionError

        self._fresh()
        if new:  # what a resume does: the row exists; answers are saved to it from now on
            a.recording.expect(None)
            a.attempt_id = stored.id
        for cid, extra in zip(stored.choices[have:], records[have:]):
            if s.ended:
                return False
            try:
                step = s.choose_id(cid, extra)
            except (SessionError, ScenarioRuntimeError):
                return False
            a.last_step = step
            a.feedback.append(step.feedback)
            a.on_step(step)
        return not s.ended

    def reload(self) -> Replayed:
        """Read the file again (a live preview) and replay what still fits; ExerciseProblem
        with the diagnostics when it now has errors (the last good version stays)."""
        self._fresh()
        report = self.attempt.reload()
        self.replayed = Replayed(kept=report.kept, wanted=report.wanted, misfit=report.misfit)
        return self.replayed

    def attach_store(self, store: Any) -> None:
        """The store opened after the conversation began (the app opens it after its first
        frame): recorded from the first answer as if it had been there from the start."""
        self.attempt.attach_store(store)

    def prepare_typing(self) -> None:
        """Load the language model and embed the examples (slow: off a UI thread)."""
        if self.attempt.session is not None:
            self.attempt.typed.prepare()

    def chat(self) -> tuple[ChatLine, ...]:
        attempt = self.attempt
        return tuple(attempt.chat) if isinstance(attempt, ChattingAttempt) else ()

    # -- the view -------------------------------------------------------------------------------
    def info(self) -> ExerciseInfo:
        sc, a = self.scenario, self.attempt
        from simulator.engine.i18n import current

        return ExerciseInfo(
            lang=current(),
            kind=CONVERSATION,
            exercise_id=sc.id,
            title=sc.title,
            learner=a.learner,
            mode=a.mode,
            seed=a.seed,
            summary=sc.summary,
            role=sc.learner_role,
            customer=sc.customer.name,
            persona=sc.customer.persona or None,
            colleague=bool(sc.customer.internal),
            written_for_recall=written_for_recall(sc),
        )

    def view(self) -> TurnView:
        a, s, sc = self.attempt, self.session, self.scenario
        last = a.last_step
        practice = not a.assess
        reply = self._reply
        suggestion = None
        if reply is not None:
            opts = reply.suggestions
            suggestion = SuggestionView(
                said=reply.text,
                options=tuple(OptionView(o.number, o.text, str(o.number)) for o in opts),
                scores=tuple(_score_of(reply, o.choice_id) for o in opts),
            )
        return TurnView(
            kind=CONVERSATION,
            exercise_id=sc.id,
            title=sc.title,
            mode=a.mode,
            attempt_id=a.attempt_id,
            number=len(s.turns) + (0 if s.ended else 1),
            customer=sc.customer.name,
            line=s.line,
            note=s.note,
            intro=sc.summary,
            options=tuple(OptionView(o.number, o.text, str(o.number)) for o in a.offered()),
            feedback=last.feedback if last is not None and practice else None,
            mood=s.mood,
            mood_before=last.mood_before if last is not None else None,
            mood_change=(
                mood_change_word(last.mood_before, last.mood_after) if last is not None else None
            ),
            diverted=last.diverted_by_rule if last is not None else False,
            reaction=self._reaction,
            last=self._answer_view(last),
            suggestion=suggestion,
            ended=s.ended,
            outcome=s.outcome,
            saving=a.saving,
            store_problem=a.store_problem,
        )

    def _answer_view(self, step: Step | None) -> AnswerView | None:
        """How the last answer was taken, from its Step (its turn record says if it was typed)."""
        if step is None:
            return None
        typed = step.turn.get("typed")
        typed = typed if isinstance(typed, dict) else None
        came = self._came_across
        return AnswerView(
            number=step.number,
            text=str(step.turn.get("text", "")),
            typed=str(typed["text"]) if typed and "text" in typed else None,
            via=str(typed.get("via")) if typed else None,
            confirmed=bool(typed.get("confirmed")) if typed else False,
            came_across=came[1] if came and came[0] == len(self.session.turns) else None,
        )

    # -- answering ------------------------------------------------------------------------------
    def answer(self, answer: Pick | PickMany | Say | Confirm) -> Event:
        self._reaction = None
        if isinstance(answer, Pick):
            self._reply = None
            return self._stepped(self.attempt.choose(answer.number))
        if isinstance(answer, Say):
            return self._say(answer.text)
        if isinstance(answer, Confirm):
            return self._confirm(answer)
        raise AttemptProblem(tr("a conversation takes one option at a time"))

    def _stepped(self, step: Step, came_across: str | None = None) -> Event:
        """The event a taken answer led to (``step`` is the attempt's ``last_step`` now)."""
        if came_across:
            self._came_across = (len(self.session.turns), came_across)
        view = self.view()
        if view.ended:
            return Ended(view, self.score())
        return Stepped(view)

    def _say(self, text: str) -> Event:
        from simulator.matching.replies import ASK, NOT_UNDERSTOOD, PICK, ROUTED

        self._reply = None
        reply = self.attempt.understand(text)
        if reply.kind == PICK:
            return self._stepped(self.attempt.choose_typed(reply))
        if reply.kind == ASK:
            self._reply, self._unsaved = reply, True
            return NeedsConfirm(self.view())
        if reply.kind == NOT_UNDERSTOOD:
            self._reaction, self._unsaved = reply.reaction, True
            came = None
            if reply.mistake == "rude":
                came = reply.match.reason.removeprefix("reads as ") if reply.match else "rude"
            if isinstance(self.attempt, ChattingAttempt):
                self.attempt.missed(reply.text, reply.reaction, rude=reply.mistake == "rude")
            return NotUnderstood(self.view(), reply.text, came)
        came_across = None
        if reply.kind == ROUTED:
            came_across = reply.match.reason.removeprefix("reads as ") if reply.match else "rude"
        return self._stepped(self.attempt.choose_typed(reply), came_across)

    def _confirm(self, answer: Confirm) -> Event:
        reply, self._reply = self._reply, None
        if answer.number is None:  # "no": nothing is taken; the line counts as not understood
            self._unsaved = True
            if reply is not None:
                self.attempt.typed.declined(reply)
                if isinstance(self.attempt, ChattingAttempt):
                    self.attempt.missed(reply.text)
            return NotUnderstood(self.view(), reply.text if reply is not None else answer.said)
        if reply is not None:
            option = next((o for o in reply.suggestions if o.number == answer.number), None)
            if option is None:
                raise AttemptProblem(tr("option {n} was not suggested").format(n=answer.number))
            return self._stepped(self.attempt.choose_typed(reply, option, confirmed=True))
        # Asked in another process (a web worker): the suggestion came back with the answer.
        offered = {o.number: o for o in self.attempt.offered()}
        if answer.number not in offered:
            raise AttemptProblem(tr("choose a number from 1 to {n}").format(n=len(offered)))
        extra: dict[str, Any] = {}
        if answer.said:
            extra["typed"] = {
                "text": answer.said,
                "score": None if answer.score is None else round(answer.score, 3),
                "confirmed": True,
                "via": "match",
            }
        return self._stepped(self.attempt.choose_id(offered[answer.number].choice_id, extra))

    def show_options(self) -> None:
        """The learner asked to see the options while typing: the turn taken here records it
        (the debrief names those turns; brief fact 34)."""
        self._unsaved = True
        self.attempt.typed.options_shown()

    def undo(self) -> None:
        self._fresh()
        self.attempt.undo()

    def retry_from(self, turn: int) -> None:
        self._fresh()
        self.attempt.retry_from(turn)

    def abandon(self) -> None:
        self.attempt.abandon()

    # -- results --------------------------------------------------------------------------------
    def _transcript_data(self) -> dict[str, Any]:
        result = self.attempt.result
        if result is not None:
            data: dict[str, Any] = result["transcript"]
            return data
        return self.session.transcript()

    def transcript(self) -> Transcript:
        data = self._transcript_data()
        offers = data.get("offers") or []
        turns = []
        for n, t in enumerate(data.get("turns") or [], 1):
            typed = t.get("typed") if isinstance(t.get("typed"), dict) else None
            fb = offers[n - 1].get("feedback") if n - 1 < len(offers) else None
            turns.append(
                TranscriptTurn(
                    number=n,
                    prompt=str(t.get("customer", "")),
                    said=str(t.get("text", "")),
                    choice=str(t.get("choice", "")),
                    typed=str(typed["text"]) if typed else None,
                    confirmed=bool(typed.get("confirmed")) if typed else None,
                    feedback=fb if isinstance(fb, str) else None,
                    mood=t.get("mood") if isinstance(t.get("mood"), int) else None,
                )
            )
        s = self.session
        return Transcript(
            kind=CONVERSATION,
            exercise_id=self.scenario.id,
            title=self.scenario.title,
            learner=self.learner,
            mode=self.mode,
            seed=self.seed,
            turns=tuple(turns),
            ended=s.ended,
            outcome=s.outcome,
            ending_line=s.line if s.ended else None,
            final_mood=s.final_mood,
        )

    def transcript_json(self) -> str:
        data = self._transcript_data()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def _score_data(self) -> tuple[dict[str, Any] | None, str | None]:
        result = self.attempt.result
        if result is not None:
            return result["score"], result["score_problem"]
        return self.attempt.score_now()

    def score(self) -> Score | None:
        data, problem = self._score_data()
        if data is None:
            return None if problem is None else _no_score(problem)
        return score_view(data)

    def debrief_model(self) -> DebriefView:
        """The debrief's typed view model (scoring.debrief.build, read into
        :class:`~.views.DebriefView`) for a screen that draws it in sections; raises what
        building it raised (the attempt is saved regardless)."""
        from scoring.debrief import build

        data, _problem = self._score_data()
        return debrief_view(build(self.scenario, self._transcript_data(), data))

    def debrief(self, fmt: str = "text") -> Debrief:
        from scoring.debrief import render

        data, problem = self._score_data()
        if data is None:
            raise AttemptProblem(
                tr("no debrief: {problem}").format(
                    problem=problem or tr("the attempt cannot be scored")
                )
            )
        body = render(self.scenario, self._transcript_data(), data, fmt=fmt)
        return Debrief(score=score_view(data), format=fmt, body=body)


def _score_of(reply: Reply, choice_id: str) -> float | None:
    if reply.match is None:
        return None
    for r in reply.match.ranking:
        if r.choice_id == choice_id:
            return round(float(r.score), 3)
    return None


def _no_score(problem: str) -> Score:
    return Score(grade=None, percent=None, passed=False, problem=problem)


def score_view(data: dict[str, Any]) -> Score:
    """A conversation's score dictionary (scoring.scorer) as the typed read model."""
    mistakes = []
    for m in data.get("mistakes") or []:
        mid = m.get("id") if isinstance(m, dict) else m
        if mid is not None:
            mistakes.append(str(mid))
    points = tuple(
        MarkingPoint(str(p.get("id")), str(p.get("label") or p.get("id")), str(p.get("status")))
        for p in data.get("marking_points") or []
        if isinstance(p, dict)
    )
    grade = data.get("grade")
    percent = data.get("percent")
    return Score(
        grade=str(grade) if grade is not None else None,
        percent=int(percent) if isinstance(percent, int | float) else None,
        passed=grade in ("pass", "distinction"),
        reason=str(data["grade_reason"]) if data.get("grade_reason") else None,
        mistakes=tuple(mistakes),
        marking_points=points,
    )
