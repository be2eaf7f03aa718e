"""The play screen's view of an attempt: the attempt service plus the conversation as events.

Everything about starting, resuming, saving, scoring and finishing lives in
:mod:`simulator.attempt`; this front end only turns what happens into :class:`Event` rows for the
chat view. Kept free of Textual so it can be read and tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.attempt import MODES, Attempt, AttemptProblem, ReplayReport, load, new_seed
from simulator.engine.i18n import gettext as tr

if TYPE_CHECKING:
    from simulator.engine.session import Step
    from simulator.matching.replies import Reply

PlayProblem = AttemptProblem  # the name the screens use

__all__ = ["MODES", "Event", "Play", "PlayProblem", "ReplayReport", "load", "new_seed"]


@dataclass
class Event:
    """One thing for the conversation view: who said what."""

    kind: str  # "customer" | "note" | "learner" | "feedback" | "mood" | "ending" | "system"
    text: str
    extra: dict[str, Any] = field(default_factory=dict)


class Play(Attempt):
    """An attempt whose conversation is also kept as a list of :class:`Event` for the chat."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.events: list[Event] = []

    def load(self) -> None:
        """As the attempt service loads, but taking the scenario the app began checking in a
        thread at start-up (see :mod:`.preload`) when it is ready and the file is unchanged."""
        from simulator.engine.session import Runtime

        from . import preload

        loaded = preload.take(self._path())
        if loaded is None:
            super().load()
            return
        self.scenario, _ = loaded
        self.runtime = Runtime(self.scenario)

    def on_open(self) -> None:
        s = self.require_session()  # the hooks run only with a session
        self.events = []
        if s.note:
            self.events.append(Event("note", s.note))
        self.events.append(Event("customer", s.line, {"mood": s.mood}))
        if s.ended:
            self._ending_events()

    def on_step(self, step: Step) -> None:
        s = self.require_session()  # the hooks run only with a session
        extra: dict[str, Any] = {"turn": len(s.turns)}
        typed = step.turn.get("typed")
        if typed:  # a typed reply: the chat shows their words with the option understood
            extra.update(typed=typed["text"], confirmed=typed["confirmed"])
        self.events.append(Event("learner", step.turn["text"], extra))
        if not self.assess:
            if step.feedback:
                self.events.append(Event("feedback", step.feedback, {"turn": len(s.turns)}))
            from simulator.engine.mood import mood_change_word, mood_word

            self.events.append(
                Event(
                    "mood",
                    tr("{change} — now {word}").format(
                        change=mood_change_word(step.mood_before, step.mood_after),
                        word=mood_word(step.mood_after),
                    ),
                    {"before": step.mood_before, "after": step.mood_after},
                )
            )
        if step.diverted_by_rule:
            self.events.append(Event("system", tr("The conversation took a turn.")))
        if s.note:
            self.events.append(Event("note", s.note))
        self.events.append(Event("customer", s.line, {"mood": s.mood}))
        if s.ended:
            self._ending_events()

    # -- typed replies: what the chat shows when nothing is taken ---------------------------------
    def not_understood(self, reply: Reply) -> None:
        """Show the typed line and the customer's reaction; nothing is taken."""
        if reply.text:
            self.events.append(Event("learner", reply.text, {"typed": True, "missed": True}))
        if reply.reaction:
            self.events.append(Event("customer", reply.reaction, {"reaction": True}))
        if reply.mistake == "rude":  # it fitted no option, but it still counts (replies.py)
            self.events.append(
                Event(
                    "system",
                    "That came across as rude: it cost the customer's goodwill and is noted "
                    "as a mistake.",
                )
            )

    def declined(self, reply: Reply) -> None:
        """The learner said no to "Did you mean …?"."""
        self.typed.declined(reply)
        if reply.text:
            self.events.append(Event("learner", reply.text, {"typed": True, "missed": True}))

    def _ending_events(self) -> None:
        s = self.require_session()  # the hooks run only with a session
        self.events.append(Event("ending", s.outcome or "", {"debrief": s.debrief}))
