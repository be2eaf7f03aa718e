"""Playing a scenario: one transitions.Machine per scenario, one Session model per learner run.

Each choice is a trigger. Its transitions are, in order, one per rule (conditional on that rule)
and last the choice's own `goto`; the choice's `mood` and `set` are applied in `prepare_event`,
which transitions runs before any condition is checked. That gives exactly the order the format
fixes: mood (clamped), set, rules in order, then enter the target (visits + 1) — and a state the
rule diverts from is never entered. A rule's transition marks the diversion in its own `before`
callback (conditions only answer a question), and endings are the machine's final states.

Everything that changes while playing lives in one plain :class:`SessionState` (serialisable to
JSON). A choice is worked out on a copy of it and committed only when every step — effects,
rules, entering the target, the feedback — has succeeded: a template or condition that fails
leaves the session exactly as it was before the choice (as ink does with its state patch).
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from msgspec import structs
from transitions import Machine

from . import pathctx, shuffle, templating
from .model import Choice, Scenario

# Two or more spaces between words on one line (see `debrief` below).
_ONE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")

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
    """What one choice did, for the UI to show.

    ``turn`` is a copy of the §8 turn record the session committed: editing it never changes the
    transcript (what a choice adds to its turn is given to the choice, see ``Session.choose_id``).
    """

    turn: dict[str, Any]  # the §8 turn record (a copy)
    feedback: str | None
    mood_before: int
    mood_after: int
    diverted_by_rule: bool
    ended: bool
    number: int = 0  # the number the option had when it was offered (1..n)


@dataclass
class SessionState:
    """All that changes while a learner plays: plain data, copied whole for each choice.

    ``turns`` are the §8 turn records; ``offers`` holds, per turn, what the learner was offered
    (ids and rendered text) and the feedback the choice earned, so the debrief never replays.
    """

    seed: int = 0
    learner: str = "learner"
    state: str = ""
    mood: int = 50
    turn: int = 0
    vars: dict[str, Any] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)
    turns: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)
    line: str = ""  # what the customer says in the current state (rendered)
    note: str | None = None
    ending: str | None = None
    outcome: str | None = None
    debrief: str | None = None
    diverted: bool = False  # the last choice was diverted by a rule

    def copy(self) -> SessionState:
        """An independent copy (to save, compare or restore)."""
        return SessionState(
            **{
                **self.__dict__,
                "vars": copy.deepcopy(self.vars),
                "visits": dict(self.visits),
                "turns": list(self.turns),
                "offers": list(self.offers),
            }
        )

    def fork(self) -> SessionState:
        """The state a choice is worked out on. Scalars and ``vars`` are its own (``vars`` values
        may be lists or maps from YAML, so those are copied deep); the large, append-or-count
        containers (``visits``, ``turns``, ``offers``) are shared and journalled instead, so a
        choice costs the same at turn 2,000 as at turn 2 (see ``Session._take``)."""
        fork = SessionState(**self.__dict__)
        fork.vars = {
            k: copy.deepcopy(v) if isinstance(v, (dict, list)) else v for k, v in self.vars.items()
        }
        return fork

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionState:
        return cls(**copy.deepcopy(data))


class Runtime:
    """A loaded scenario ready to play: its state machine and compiled-on-demand templates."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.customer = structs.asdict(scenario.customer)
        self.state_ids = tuple(scenario.states)
        self._triggers: dict[str, tuple[str, int, Choice]] = {}
        self._trigger_of: dict[tuple[str, int], str] = {}
        transitions: list[dict[str, Any]] = []
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
                        {
                            "trigger": trig,
                            "source": sid,
                            "dest": rule.goto,
                            "conditions": [cond],
                            "before": [self._mark_diverted],
                        }
                    )
                transitions.append({"trigger": trig, "source": sid, "dest": ch.goto})
        self.machine = Machine(
            model=None,
            states=[
                {"name": sid, "final": st.end is not None} for sid, st in scenario.states.items()
            ],
            transitions=transitions,
            initial=scenario.start,
            auto_transitions=False,
            send_event=True,
            prepare_event=[self._apply_effects],
            after_state_change=[self._entered],
        )

    # -- callbacks (built by our code; nothing from YAML is ever a callback name) -------------
    def _apply_effects(self, event: Any) -> None:
        s: SessionState = event.model.data
        _sid, _i, choice = self._triggers[event.event.name]
        s.diverted = False
        s.mood = max(0, min(100, s.mood + choice.mood))
        if choice.set:
            s.vars.update(copy.deepcopy(choice.set))
        s.turn += 1

    def _rule_condition(self, index: int, source: str) -> Callable[[Any], bool]:
        def condition(event: Any) -> bool:
            session: Session = event.model
            return session._eval(source, ("rules", index, "if"))

        return condition

    @staticmethod
    def _mark_diverted(event: Any) -> None:
        event.model.data.diverted = True

    def _entered(self, event: Any) -> None:
        event.model._enter(event.model.state)

    def new_session(self, *, seed: int = 0, learner: str = "learner") -> Session:
        """A session at the start state; nothing stays attached to the machine if the opening
        line fails to render."""
        session = Session(runtime=self, data=SessionState(seed=seed, learner=learner))
        try:
            session._begin()
        except BaseException:
            session.close()
            raise
        return session

    def restore(self, data: SessionState | dict[str, Any]) -> Session:
        """A session carrying on from a saved :class:`SessionState` (or its dict)."""
        if isinstance(data, dict):
            data = SessionState.from_dict(data)
        if data.state not in self.scenario.states:
            raise SessionError(f"state '{data.state}' is not in this scenario")
        session = Session(runtime=self, data=data.copy())
        if not session.ended:
            self.machine.add_model(session, initial=data.state)
        return session


T = TypeVar("T")


class _Field(Generic[T]):
    """A Session attribute that reads and writes the session's state object."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Session, owner: type | None = None) -> T:
        value: T = getattr(obj.data, self.name)
        return value

    def __set__(self, obj: Session, value: T) -> None:
        setattr(obj.data, self.name, value)


class Session:
    """One learner's run: the machine's model, holding a :class:`SessionState`.

    Not a dataclass on purpose: transitions' ``add_model`` compares models with ``==``, so two
    sessions must never compare equal (identity equality keeps twins distinct).
    """

    seed: _Field[int] = _Field()
    learner: _Field[str] = _Field()
    state: _Field[str] = _Field()  # written by transitions
    mood: _Field[int] = _Field()
    turn: _Field[int] = _Field()
    vars: _Field[dict[str, Any]] = _Field()
    visits: _Field[dict[str, int]] = _Field()
    turns: _Field[list[dict[str, Any]]] = _Field()
    line: _Field[str] = _Field()
    note: _Field[str | None] = _Field()
    ending: _Field[str | None] = _Field()
    outcome: _Field[str | None] = _Field()
    debrief: _Field[str | None] = _Field()
    trigger: Callable[[str], bool]  # added by transitions' add_model

    def __init__(self, runtime: Runtime, data: SessionState):
        self.runtime = runtime
        self.data = data
        self._entered: list[str] = []  # states entered during the choice being made
        # (choice id, Choice, state) being made now: an ending entered by it reads `path`
        self._pending: tuple[str, Choice, str] | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def _begin(self) -> None:
        sc = self.runtime.scenario
        self.mood = sc.customer.mood
        self.vars = copy.deepcopy(dict(sc.vars))
        # Variables that are only ever `set` start as null, so reading them never crashes.
        for st in sc.states.values():
            for ch in st.choices:
                for name in ch.set:
                    self.vars.setdefault(name, None)
        self.visits = dict.fromkeys(self.runtime.state_ids, 0)
        self.runtime.machine.add_model(self, initial=sc.start)
        self._enter(sc.start)
        if self.ended:
            self.close()

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

    def snapshot(self) -> SessionState:
        """A copy of everything that changes while playing (to save, compare or restore)."""
        return self.data.copy()

    def context(self) -> dict[str, Any]:
        return {
            "vars": self.vars,
            "mood": self.mood,
            "turn": self.turn,
            "customer": self.runtime.customer,
            "visits": self.visits,
        }

    def _render(
        self, source: str | None, path: tuple[Any, ...], extra: dict[str, Any] | None = None
    ) -> str | None:
        if source is None:
            return None
        ctx = self.context() if extra is None else {**self.context(), **extra}
        try:  # strip: a folded YAML scalar (`>`) ends with a newline nobody meant to show
            return templating.render(source, ctx).strip()
        except templating.RenderError as exc:
            from .i18n import gettext  # (a learner reads it, in plain mode and on the web)

            raise ScenarioRuntimeError(
                gettext(
                    "{where}: template failed while playing: {problem}; fix the scenario and "
                    "run 'countertalk lint'"
                ).format(where=self.scenario.where(*path), problem=exc)
            ) from None

    def _eval(self, source: str, path: tuple[Any, ...]) -> bool:
        try:
            return bool(templating.evaluate(source, self.context()))
        except templating.RenderError as exc:
            from .i18n import gettext

            raise ScenarioRuntimeError(
                gettext(
                    "{where}: condition failed while playing: {problem}; fix the scenario and "
                    "run 'countertalk lint'"
                ).format(where=self.scenario.where(*path), problem=exc)
            ) from None

    def _enter(self, sid: str) -> None:
        self.visits[sid] = self.visits.get(sid, 0) + 1
        self._entered.append(sid)  # the journal a failed choice is rolled back by
        st = self.scenario.states[sid]
        # An ending's texts may read what happened on the way (`path`; see engine/pathctx.py).
        extra = None if st.end is None else {"path": self._path(sid)}
        say = st.say
        path: tuple[Any, ...] = ("states", sid, "say")
        if isinstance(say, list):
            pick = random.Random(f"{self.seed}:{sid}:{self.visits[sid]}").randrange(len(say))
            say, path = say[pick], path + (pick,)
        self.line = self._render(say, path, extra) or ""
        self.note = self._render(st.note, ("states", sid, "note"))
        if st.end is not None:
            self.ending = sid
            self.outcome = st.end
            debrief = self._render(st.debrief, ("states", sid, "debrief"), extra)
            # An ending's text is sentences joined by conditions on the path: a condition that
            # adds nothing leaves two spaces between its neighbours (review 25f D21).
            self.debrief = None if debrief is None else _ONE_SPACE.sub(" ", debrief)

    @property
    def final_mood(self) -> int:
        """The customer's mood at the end: an ending's own `mood:` where it has one (a broken
        promise found out days later is no "calmer" close; review 25aq class 3), else the last
        turn's. The turns keep the moods they had."""
        st = self.scenario.states.get(self.ending) if self.ending else None
        return st.mood if st is not None and st.mood is not None else self.mood

    def _path(self, ending: str) -> dict[str, Any]:
        """`path` for an ending's texts: the choices made so far and the one being made."""
        taken = [(t["choice"], self.scenario.find_choice(t["choice"])[2]) for t in self.turns]
        visited = [t["state"] for t in self.turns]
        if self._pending is not None:
            taken.append(self._pending[:2])
            visited.append(self._pending[2])
        return pathctx.path_context(taken, list(dict.fromkeys([*visited, ending])))

    # -- playing ---------------------------------------------------------------------------------
    def offered(self) -> list[Offered]:
        """The choices on offer now, numbered 1..n in file order (a false `if` takes no number),
        or in the scenario's shuffled order when it says `shuffle: true`."""
        if self.ended:
            return []
        out: list[Offered] = []
        sid = self.state
        for i, ch in enumerate(self.scenario.states[sid].choices):
            if ch.if_ is not None and not self._eval(ch.if_, ("states", sid, "choices", i, "if")):
                continue
            text = self._render(ch.text, ("states", sid, "choices", i, "text")) or ""
            out.append(Offered(len(out) + 1, i, ch.id or f"{sid}.{i + 1}", text, ch))
        if self.scenario.shuffle:  # `shuffle: true`: order fixed by (seed, state, visit)
            out = shuffle.display_order(out, _index, self.seed, sid, self.visits.get(sid, 0))
            out = [replace(o, number=n) for n, o in enumerate(out, 1)]
        return out

    def choose(self, number: int, extra: Mapping[str, Any] | None = None) -> Step:
        """Make the number-th offered choice (1-based)."""
        offered = self.offered()
        from .i18n import gettext  # (a learner reads it: the web says it as the API's error)

        if self.ended:
            raise SessionError(gettext("the conversation has ended"))
        if not 1 <= number <= len(offered):
            raise SessionError(gettext("choose a number from 1 to {n}").format(n=len(offered)))
        return self._take(offered[number - 1], offered, extra)

    def choose_id(self, choice_id: str, extra: Mapping[str, Any] | None = None) -> Step:
        """Make the choice with this id, if it is on offer now (used to resume and replay).

        ``extra`` holds keys the front end adds to the turn record (a typed reply's words and
        score, the lines not understood before it); they are written with the turn, when the
        choice commits, so the record is never patched afterwards."""
        offered = self.offered()
        for o in offered:
            if o.choice_id == choice_id:
                return self._take(o, offered, extra)
        from .i18n import gettext

        raise SessionError(
            gettext("choice '{choice}' is not on offer in state '{state}'").format(
                choice=choice_id, state=self.state
            )
        )

    def _take(
        self, o: Offered, offered: list[Offered], extra: Mapping[str, Any] | None = None
    ) -> Step:
        """Apply one choice whole or not at all: work on a fork of the state, commit at the end.

        If anything fails (a rule, a template, the feedback), the session's state object is put
        back and the shared containers are rolled back by their journal: the visits counted
        during the choice are uncounted, and turns and offers are cut back to their length."""
        before = self.data
        n_turns, n_offers = len(before.turns), len(before.offers)
        self._entered = []
        self.data = before.fork()
        try:
            step = self._apply(o, offered, before, extra)
        except BaseException:
            self.data = before  # the machine reads the state from here: it is back too
            for sid in self._entered:
                before.visits[sid] -= 1
            del before.turns[n_turns:], before.offers[n_offers:]
            raise
        finally:
            self._entered = []
        if self.ended:
            self.close()
        return step

    def _apply(
        self,
        o: Offered,
        offered: list[Offered],
        before: SessionState,
        extra: Mapping[str, Any] | None,
    ) -> Step:
        sid = before.state
        trig = self.runtime._trigger_of[(sid, o.index)]
        self._pending = (o.choice_id, o.choice, sid)
        try:
            self.trigger(trig)  # added to the model by transitions
        finally:
            self._pending = None
        feedback = self._render(o.choice.feedback, ("states", sid, "choices", o.index, "feedback"))
        record = {
            "state": sid,
            "choice": o.choice_id,
            "text": o.text,
            "customer": before.line,
            "mood": self.mood,
        }
        for key, value in (extra or {}).items():
            if key not in record:  # what the engine recorded is never overwritten
                record[key] = copy.deepcopy(value)
        self.turns.append(record)
        self.data.offers.append(
            {
                "offered": [{"id": x.choice_id, "text": x.text} for x in offered],
                "feedback": feedback,
            }
        )
        return Step(
            turn=copy.deepcopy(record),
            feedback=feedback,
            mood_before=before.mood,
            mood_after=self.mood,
            diverted_by_rule=self.data.diverted,
            ended=self.ended,
            number=o.number,
        )

    def replay(self, choice_ids: Iterable[str]) -> None:
        for cid in choice_ids:
            self.choose_id(cid)

    # -- output ------------------------------------------------------------------------------------
    def transcript(self, score: dict[str, Any] | None = None) -> dict[str, Any]:
        """The §8 transcript. ``offers`` (per turn: the options shown, ids and text, and the
        feedback earned) lets the debrief be drawn without playing the session again."""
        out = {
            "format": TRANSCRIPT_FORMAT,
            "scenario": self.scenario.id,
            "scenario_version": self.scenario.content_hash,
            "seed": self.seed,
            "learner": self.learner,
            "turns": [dict(t) for t in self.turns],
            "offers": copy.deepcopy(self.data.offers),
            "ending": self.ending,
            "outcome": self.outcome,
            "final_mood": self.final_mood,
        }
        from .strings import lang_of

        lang = lang_of(self.scenario)
        if lang != "en":  # played from a language's string table (docs/i18n.md)
            out["lang"] = lang
        if score is not None:
            out["score"] = score
        return out


def load_runtime(path: str | Path) -> Runtime:
    from .loader import load_scenario

    return Runtime(load_scenario(path))
