"""The app's handle on one exercise: the exercise service (:mod:`simulator.exercise.service`)
and the conversation it is playing, with the chat's rows drawn from the service's read models.

Everything about starting, resuming, answering, saving, scoring and finishing lives in the
service; this front end keeps which exercise it is on (a resume or a replay may give it a new
one) and turns the service's :class:`~simulator.exercise.views.ChatLine` rows into the chat's
:class:`Event` rows. Kept free of Textual so it can be read and tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.exercise.service import MODES, ExerciseProblem

if TYPE_CHECKING:
    from simulator.exercise.kinds import Exercise
    from simulator.exercise.service import ExerciseService
    from simulator.exercise.views import (
        Answer,
        ChatLine,
        ExerciseInfo,
        Replayed,
        Score,
        Transcript,
        TurnView,
    )
    from simulator.exercise.views import Event as ServiceEvent

PlayProblem = ExerciseProblem  # the name the screens use

__all__ = ["MODES", "Event", "Play", "PlayProblem", "event_of"]


@dataclass
class Event:
    """One thing for the conversation view: who said what."""

    kind: str  # "customer" | "note" | "learner" | "feedback" | "mood" | "ending" | "system"
    text: str
    extra: dict[str, Any] = field(default_factory=dict)


def event_of(line: ChatLine) -> Event:
    """The chat's row for one of the service's chat lines (what each kind draws with)."""
    extra: dict[str, Any] = {}
    if line.kind == "customer":
        extra = {"reaction": True} if line.reaction else {"mood": line.mood}
    elif line.kind == "learner":
        if line.missed:
            extra = {"typed": True, "missed": True}
        else:
            extra = {"turn": line.turn}
            if line.typed is not None:  # their words, with the option understood
                extra.update(typed=line.typed, confirmed=line.confirmed)
    elif line.kind == "feedback":
        extra = {"turn": line.turn}
    elif line.kind == "mood":
        extra = {"before": line.before, "after": line.after}
    elif line.kind == "ending":
        extra = {"debrief": line.debrief}
    return Event(line.kind, line.text, extra)


class Play:
    """One conversation in the app, driven through the exercise service.

    ``view`` is the service's :class:`TurnView` as of the last call (kept, so drawing does not
    render the options again); every call that changes the exercise refreshes it.
    """

    def __init__(self, service: ExerciseService, ex: Exercise) -> None:
        self.service = service
        self.ex = ex
        self.view: TurnView | None = None
        self._chat: tuple[ChatLine, ...] = ()
        self._events: list[Event] = []
        self._said: str | None = None  # the store problem already said

    def take_store_problem(self) -> str | None:
        """A store failure to say (once: saving has stopped, play goes on)."""
        problem = self.current().store_problem
        if problem and problem != self._said:
            self._said = problem
            return problem
        return None

    # -- what the screens read ------------------------------------------------------------------
    def refresh(self) -> TurnView:
        self.view = self.service.view(self.ex)
        return self.view

    def current(self) -> TurnView:
        return self.view if self.view is not None else self.refresh()

    @property
    def info(self) -> ExerciseInfo:
        return self.service.info(self.ex)

    @property
    def events(self) -> list[Event]:
        chat = self.service.chat(self.ex)
        if chat != self._chat:
            same = 0
            while same < min(len(chat), len(self._chat)) and chat[same] == self._chat[same]:
                same += 1
            self._events = self._events[:same] + [event_of(c) for c in chat[same:]]
            self._chat = chat
        return self._events

    @property
    def mode(self) -> str:
        return self.ex.mode

    @property
    def assess(self) -> bool:
        return self.ex.mode == "assess"

    @property
    def seed(self) -> int:
        return self.ex.seed

    @property
    def ended(self) -> bool:
        return self.ex.ended

    @property
    def attempt_id(self) -> int | None:
        return self.current().attempt_id

    @property
    def saving(self) -> bool:
        return self.current().saving

    @property
    def turns(self) -> int:
        """Answers taken so far."""
        view = self.current()
        return view.number - (0 if view.ended else 1)

    def transcript(self) -> Transcript:
        return self.service.transcript(self.ex)

    @property
    def choices(self) -> list[str]:
        """The ids of the options taken so far, in order."""
        return [t.choice for t in self.transcript().turns]

    @property
    def feedback(self) -> list[str | None]:
        """The feedback on each answer (assessment mode keeps it for the debrief)."""
        return [t.feedback for t in self.transcript().turns]

    def score(self) -> Score | None:
        return self.service.score(self.ex)

    # -- what the screens do ----------------------------------------------------------------------
    def begin(self) -> TurnView:
        self.view = self.service.begin(self.ex)
        return self.view

    def resume(self, attempt_id: int) -> Replayed | None:
        """Carry on a saved attempt (the service rebuilds it from the store): how it replayed."""
        self.ex = self.service.resume(attempt_id)
        self.refresh()
        return self.service.replayed(self.ex)

    def answer(self, answer: Answer) -> ServiceEvent:
        event = self.service.answer(self.ex, answer)
        self.view = event.view
        return event

    def show_options(self) -> None:
        self.view = self.service.show_options(self.ex)

    def restart(self, seed: int | None = None) -> None:
        """A new attempt from the beginning (an unfinished one is kept, marked abandoned)."""
        self.view = self.service.restart(self.ex, seed)

    def retry_from(self, turn: int) -> None:
        self.view = self.service.retry_from(self.ex, turn)

    def reload(self) -> Replayed:
        report = self.service.reload(self.ex)
        self.refresh()
        return report

    def attach_store(self) -> str | None:
        """Give the conversation the store opened after the first frame; the problem to say."""
        problem = self.service.attach_store(self.ex)
        self.refresh()
        return problem

    def prepare_typing(self) -> None:
        self.service.prepare_typing(self.ex)
