"""Playing a scenario: one transitions.Machine per scenario, one Session model per learner run.

Each choice is a trigger. Its transitions are, in order, one per rule (conditional on that rule)
and last the choice's own `goto`; the choice's `mood` and `set` are applied in `prepare_event`,
which transitions runs before any condition is checked. That gives exactly the order the format
fixes: mood (clamped), set, rules in order, then enter the target (visits + 1) — and a state the
rule diverts from is never entered.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from transitions import Machine

from . import pathctx, shuffle, templating
from .model import Choice, Scenario

TRANSCRIPT_FORMAT = 1


class SessionError(Exception):
    """The learner asked for something the session cannot do (e.g. a choice not offered)."""


class ScenarioRuntimeError(Exception):
    """A template or condition failed while playing; names file:line:column."""


@dataclass(frozen=True)
class Offered:
    number: int  # 1..n among the choices offered now
    index: int  # 0-based position in the state's choices (file order)
    choice_id: str
    text: str  # rendered, plain
    choice: Choice


def _index(o: Offered) -> int:
    return o.index


@dataclass(frozen=True)
class Step:
    """What one choice did, for the UI to show."""

    turn: dict  # the §8 turn record
    feedback: str | None
    mood_before: int
    mood_after: int
    diverted_by_rule: bool
    ended: bool


class Runtime:
    """A loaded scenario ready to play: its state machine and compiled-on-demand templates."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.customer = scenario.customer.model_dump()
        self.state_ids = tuple(scenario.states)
        self._triggers: dict[str, tuple[str, int, Choice]] = {}
        self._trigger_of: dict[tuple[str, int], str] = {}
        transitions = []
        rule_conds = [self._rule_condition(i, r.if_) for i, r in enumerate(scenario.rules)]
        n = 0
        for sid, st in scenario.states.items():
            for i, ch in enumerate(st.choices):
                trig = f"t{n}"
                n += 1
                self._triggers[trig] = (sid, i, ch)
                self._trigger_of[(sid, i)] = trig
                for rule, cond in zip(scenario.rules, rule_conds):
                    transitions.append(
                        {"trigger": trig, "source": sid, "dest": rule.goto, "conditions": [cond]}
                    )
                transitions.append({"trigger": trig, "source": sid, "dest": ch.goto})
        self.machine = Machine(
            model=None,
            states=list(self.state_ids),
            transitions=transitions,
            initial=scenario.start,
            auto_transitions=False,
            send_event=True,
            prepare_event=[self._apply_effects],
            after_state_change=[self._entered],
        )

    # -- callbacks (built by our code; nothing from YAML is ever a callback name) -------------
    def _apply_effects(self, event) -> None:
        session: Session = event.model
        _sid, _i, choice = self._triggers[event.event.name]
        session._diverted = False
        session.mood = max(0, min(100, session.mood + choice.mood))
        if choice.set:
            session.vars.update(choice.set)
        session.turn += 1

    def _rule_condition(self, index: int, source: str):
        def condition(event) -> bool:
            session: Session = event.model
            fired = session._eval(source, ("rules", index, "if"))
            if fired:
                session._diverted = True
            return fired

        return condition

    def _entered(self, event) -> None:
        event.model._enter(event.model.state)

    def new_session(self, *, seed: int = 0, learner: str = "learner") -> Session:
        session = Session(runtime=self, seed=seed, learner=learner)
        session._begin()
        return session


@dataclass(eq=False)  # transitions' add_model compares with ==: twins must stay distinct
class Session:
    runtime: Runtime
    seed: int = 0
    learner: str = "learner"
    state: str = ""
    mood: int = 50
    turn: int = 0
    vars: dict = field(default_factory=dict)
    visits: dict = field(default_factory=dict)
    turns: list = field(default_factory=list)
    line: str = ""  # what the customer says in the current state (rendered)
    note: str | None = None
    ending: str | None = None
    outcome: str | None = None
    debrief: str | None = None
    _diverted: bool = False
    _taken: list = field(default_factory=list)  # (choice id, Choice) in order: `path` at endings
    _order: list = field(default_factory=list)  # state ids in the order first entered

    # -- lifecycle ------------------------------------------------------------------------------
    def _begin(self) -> None:
        sc = self.runtime.scenario
        self.mood = sc.customer.mood
        self.vars = dict(sc.vars)
        # Variables that are only ever `set` start as null, so reading them never crashes.
        for st in sc.states.values():
            for ch in st.choices:
                for name in ch.set:
                    self.vars.setdefault(name, None)
        self.visits = dict.fromkeys(self.runtime.state_ids, 0)
        self.runtime.machine.add_model(self, initial=sc.start)
        self._enter(sc.start)

    def close(self) -> None:
        """Detach from the scenario's machine (the machine outlives sessions)."""
        if self in self.runtime.machine.models:
            self.runtime.machine.remove_model(self)

    @property
    def scenario(self) -> Scenario:
        return self.runtime.scenario

    @property
    def ended(self) -> bool:
        return self.ending is not None

    def context(self) -> dict[str, Any]:
        return {
            "vars": self.vars,
            "mood": self.mood,
            "turn": self.turn,
            "customer": self.runtime.customer,
            "visits": self.visits,
        }

    def _render(self, source: str | None, path: tuple, extra: dict | None = None) -> str | None:
        if source is None:
            return None
        ctx = self.context() if extra is None else {**self.context(), **extra}
        try:  # strip: a folded YAML scalar (`>`) ends with a newline nobody meant to show
            return templating.render(source, ctx).strip()
        except templating.RenderError as exc:
            raise ScenarioRuntimeError(
                f"{self.scenario.where(*path)}: template failed while "
                f"playing: {exc}; fix the scenario and run "
                f"'countertalk lint'"
            ) from None

    def _eval(self, source: str, path: tuple) -> bool:
        try:
            return templating.evaluate(source, self.context())
        except templating.RenderError as exc:
            raise ScenarioRuntimeError(
                f"{self.scenario.where(*path)}: condition failed while "
                f"playing: {exc}; fix the scenario and run "
                f"'countertalk lint'"
            ) from None

    def _enter(self, sid: str) -> None:
        self.visits[sid] = self.visits.get(sid, 0) + 1
        if self.visits[sid] == 1:
            self._order.append(sid)
        st = self.scenario.states[sid]
        # An ending's texts may read what happened on the way (`path`; see engine/pathctx.py).
        extra = None if st.end is None else {"path": pathctx.path_context(self._taken, self._order)}
        say, path = st.say, ("states", sid, "say")
        if isinstance(say, list):
            pick = random.Random(f"{self.seed}:{sid}:{self.visits[sid]}").randrange(len(say))
            say, path = say[pick], path + (pick,)
        self.line = self._render(say, path, extra) or ""
        self.note = self._render(st.note, ("states", sid, "note"))
        if st.end is not None:
            self.ending = sid
            self.outcome = st.end
            self.debrief = self._render(st.debrief, ("states", sid, "debrief"), extra)
            self.close()

    # -- playing ---------------------------------------------------------------------------------
    def offered(self) -> list[Offered]:
        """The choices on offer now, numbered 1..n in file order (a false `if` takes no number),
        or in the scenario's shuffled order when it says `shuffle: true`."""
        if self.ended:
            return []
        out = []
        sid = self.state
        for i, ch in enumerate(self.scenario.states[sid].choices):
            if ch.if_ is not None and not self._eval(ch.if_, ("states", sid, "choices", i, "if")):
                continue
            text = self._render(ch.text, ("states", sid, "choices", i, "text"))
            out.append(Offered(len(out) + 1, i, ch.id or f"{sid}.{i + 1}", text, ch))
        if self.scenario.shuffle:  # `shuffle: true`: order fixed by (seed, state, visit)
            out = shuffle.display_order(out, _index, self.seed, sid, self.visits.get(sid, 0))
            out = [replace(o, number=n) for n, o in enumerate(out, 1)]
        return out

    def choose(self, number: int) -> Step:
        """Make the number-th offered choice (1-based)."""
        offered = self.offered()
        if self.ended:
            raise SessionError("the conversation has ended")
        if not 1 <= number <= len(offered):
            raise SessionError(f"choose a number from 1 to {len(offered)}")
        return self._take(offered[number - 1])

    def choose_id(self, choice_id: str) -> Step:
        """Make the choice with this id, if it is on offer now (used to resume and replay)."""
        for o in self.offered():
            if o.choice_id == choice_id:
                return self._take(o)
        raise SessionError(f"choice '{choice_id}' is not on offer in state '{self.state}'")

    def _take(self, o: Offered) -> Step:
        sid = self.state
        said_by_customer = self.line
        mood_before = self.mood
        trig = self.runtime._trigger_of[(sid, o.index)]
        self._taken.append((o.choice_id, o.choice))
        self.trigger(trig)  # added to the model by transitions
        feedback = self._render(o.choice.feedback, ("states", sid, "choices", o.index, "feedback"))
        record = {
            "state": sid,
            "choice": o.choice_id,
            "text": o.text,
            "customer": said_by_customer,
            "mood": self.mood,
        }
        self.turns.append(record)
        return Step(
            turn=record,
            feedback=feedback,
            mood_before=mood_before,
            mood_after=self.mood,
            diverted_by_rule=self._diverted,
            ended=self.ended,
        )

    def replay(self, choice_ids) -> None:
        for cid in choice_ids:
            self.choose_id(cid)

    # -- output ------------------------------------------------------------------------------------
    def transcript(self, score: dict | None = None) -> dict:
        out = {
            "format": TRANSCRIPT_FORMAT,
            "scenario": self.scenario.id,
            "scenario_version": self.scenario.content_hash,
            "seed": self.seed,
            "learner": self.learner,
            "turns": [dict(t) for t in self.turns],
            "ending": self.ending,
            "outcome": self.outcome,
            "final_mood": self.mood,
        }
        if score is not None:
            out["score"] = score
        return out


def load_runtime(path) -> Runtime:
    from .loader import load_scenario

    return Runtime(load_scenario(path))
