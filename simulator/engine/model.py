"""The one model of the scenario format (version 1).

The loader validates parsed YAML against these classes; `countertalk schema` exports their JSON
Schema and lint reads the keys, ranges and allowed values from them (`lint/spec.py`). Keeping all
three on one model means the editor's validation, the linter and the loader cannot disagree about
the shape of a file. Semantic checks that need the whole file (gotos, reachability, catalogue
look-ups, templates) live in the lint passes, which run on the raw data so that they can report
every problem at once even when the shape is wrong.

The classes are msgspec Structs: defining them and validating a file cost microseconds, where
pydantic took about 90 ms of start-up before the first screen of `countertalk play` could be
drawn. They are frozen: nothing changes a scenario once it is loaded. (No `from __future__ import
annotations` here: real annotations spare msgspec evaluating strings when it first meets a class.)
"""

from typing import Annotated, Any, Literal

from msgspec import Meta, Struct, field
from msgspec.structs import replace

from .format import DEFAULT_MODELS, LAW_IDS, OUTCOMES, TOPICS  # noqa: F401

Scalar = bool | int | float | str | None
Outcome = Literal["resolved", "escalated", "unresolved", "lost"]
# "breached": the choice did not state the law, it acted contrary to it (talking past a deaf
# customer to his companion is less favourable treatment, not a misstatement): the debrief says
# "acted contrary to", never "misstated", and the conduct's own mistake (discrimination) caps it.
# "offered": the choice only offered, proposed or asked for what the law does not allow (to
# export the whole customer list, to read data out before a check); nothing left, nothing was
# done at that turn (brief facts 17-19c), so an examiner says "offered ..., which the Act does
# not allow", not "acted contrary to" it. Graded as `breached` (the same caps and marking
# points; its own mistake still grades it); only the words differ (issue 25, truth25bb).
LawVerdict = Literal["right", "wrong", "breached", "offered"]
Template = Annotated[str, Meta(description="Text, optionally a sandboxed Jinja2 template")]
Condition = Annotated[
    str, Meta(description="A sandboxed Jinja2 expression, e.g. `mood < 30 and not vars.asked`")
]


def _doc(text: str) -> Meta:
    return Meta(description=text)


class _Frozen(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Immutable, and a key the format doesn't know is an error (lint says which, and where)."""


class Customer(_Frozen, frozen=True):
    name: Annotated[str, _doc("The customer's name, shown on the customer card")]
    persona: Annotated[str | None, _doc("A short description shown on the card")] = None
    mood: Annotated[
        int, Meta(ge=0, le=100, description="Starting mood: 0 furious .. 100 delighted")
    ] = 50
    internal: Annotated[bool, _doc("True when the 'customer' is a colleague")] = False


class Escalation(_Frozen, frozen=True):
    required: Annotated[bool, _doc("Whether handling this well needs escalation")] = False
    to: Annotated[list[str], _doc("Roles it is right to escalate to")] = field(default_factory=list)
    reason: Annotated[str | None, _doc("Why; shown in the debrief")] = None


class Rule(_Frozen, frozen=True):
    if_: Condition = field(name="if")
    goto: Annotated[str, _doc("The state the session jumps to when the condition is true")]


class Choice(_Frozen, frozen=True):
    text: Annotated[str, _doc("What the learner says")]
    goto: Annotated[str, _doc("The state this choice leads to")]
    id: Annotated[str | None, _doc("Stable id; default STATE.N (N from 1, file order)")] = None
    if_: Annotated[Condition | None, _doc("Offered only when true")] = field(
        default=None, name="if"
    )
    shows: Annotated[list[str], _doc("Behaviours it demonstrates")] = field(default_factory=list)
    mistakes: Annotated[list[str], _doc("Mistakes it makes")] = field(default_factory=list)
    escalate: Annotated[str | None, _doc("Role this choice escalates to")] = None
    law: Annotated[
        dict[str, LawVerdict],
        _doc(
            "Law id -> right (applied correctly), wrong (misstated), breached (the choice's "
            "conduct, not its words, is contrary to that law) or offered (it only offered, "
            "proposed or asked for what that law does not allow; nothing was done yet)"
        ),
    ] = field(default_factory=dict)
    corrects: Annotated[
        list[str],
        _doc(
            "Law ids (act, or ACT.FACT) whose earlier misstatement this choice withdraws (only "
            "such a choice counts as putting the law right), or mistake ids it takes back"
        ),
    ] = field(default_factory=list)
    # Moderation 25, cases 1-2: an action begun at the turn before ("What's the new address?"
    # before the identity check) and stopped by this choice before anything was saved, sent,
    # disclosed or agreed. Only the scenario knows that nothing took effect, so it says so here.
    corrects_before_effect: Annotated[
        list[str],
        _doc(
            "Mistake ids, each also under corrects:, that the previous choice began and this one "
            "stopped before it took effect (nothing saved, sent, disclosed or agreed); once per "
            "attempt such a slip keeps its points but does not stop a distinction"
        ),
    ] = field(default_factory=list)
    mood: Annotated[
        int, Meta(ge=-100, le=100, description="Signed change to the customer's mood")
    ] = 0
    set: Annotated[dict[str, Scalar], _doc("Variables to set")] = field(default_factory=dict)
    feedback: Annotated[Template | None, _doc("Coaching text for this choice")] = None
    explain: Annotated[
        dict[str, str],
        _doc(
            "Mistake id -> what was wrong with this option's own words, printed in the debrief "
            "instead of the catalogue's general explanation (an extension; plain text)"
        ),
    ] = field(default_factory=dict)
    examples: Annotated[
        list[str],
        _doc("Other ways a learner might type this reply (for typed replies); plain text"),
    ] = field(default_factory=list)


class OnUnmatched(_Frozen, frozen=True):
    """What a state does with a typed reply that matches none of its options (an extension)."""

    say: Annotated[
        Template | None, _doc("The customer's reaction to a line they did not understand")
    ] = None
    rude: Annotated[
        str | None,
        _doc(
            "Id of a choice of this state taken when a not-understood line reads as rude, "
            "blaming or dismissive (so such a line is never rewarded)"
        ),
    ] = None


class State(_Frozen, frozen=True):
    say: Annotated[
        Template | list[Template] | None,
        _doc("The customer's line, or a list of variants picked at random (seeded)"),
    ] = None
    note: Annotated[Template | None, _doc("Stage direction shown apart from speech")] = None
    choices: Annotated[list[Choice], _doc("The learner's options")] = field(default_factory=list)
    end: Annotated[Outcome | None, _doc("Makes the state an ending with this outcome")] = None
    debrief: Annotated[Template | None, _doc("Debrief text when the session ends here")] = None
    # An ending's own mood (review 25aq class 3): an ending found later ("You told me it was
    # sorted ... I'm making a formal complaint") does not leave the customer at the last turn's
    # "calmer" mood; the debrief's mood ends where the ending does.
    mood: Annotated[
        Annotated[int, Meta(ge=0, le=100)] | None,
        _doc("An ending only: the customer's mood (0..100) as this ending finds them"),
    ] = None
    on_unmatched: Annotated[
        OnUnmatched | None, _doc("Typed replies: what a line that matches no option does here")
    ] = None


# Finite and bounded: an infinite or huge weight would overflow the score at the end of a session.
# (msgspec refuses inf and nan for a float with bounds.)
Weight = Annotated[float, Meta(ge=0, le=100)]
Percent = Annotated[int, Meta(ge=0, le=100)]
Fraction = Annotated[float, Meta(ge=0, le=1)]


class ScoringOverrides(_Frozen, frozen=True):
    """Per-scenario overrides of the scorer's weights and grade thresholds (an extension)."""

    weights: Annotated[dict[str, Weight], _doc("Model id -> weight")] = field(default_factory=dict)
    pass_: Annotated[Percent | None, _doc("Pass threshold %")] = field(default=None, name="pass")
    distinction: Annotated[Percent | None, _doc("Distinction threshold %")] = None


class TypingOptions(_Frozen, frozen=True):
    """Typed replies (an extension): when a typed line is taken, confirmed or not understood."""

    threshold: Annotated[
        Fraction | None, _doc("Score at or above which the best option is taken")
    ] = None
    margin: Annotated[
        Fraction | None, _doc("Lead over the runner-up needed to take it without asking")
    ] = None
    floor: Annotated[Fraction | None, _doc("Score below which a line is not understood at all")] = (
        None
    )


Positions = dict[tuple[str | int, ...], tuple[int, int]]


class Scenario(_Frozen, frozen=True, dict=True, kw_only=True):
    """A whole scenario file. `dict=True` gives each instance a `__dict__` beside its frozen
    fields: the loader records there where the file came from and where each value stood
    (`attach`), which is not part of the file and so not part of the format."""

    format: Literal[1] = 1
    id: Annotated[
        str, Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Lowercase letters, digits, '-'")
    ]
    title: str
    topic: Annotated[str, _doc("complaint, refund-dispute, data-request, escalation, ...")]
    level: Literal[2, 3] | None = None
    summary: str
    learner_role: str
    customer: Customer
    vars: dict[str, Scalar] = field(default_factory=dict)
    escalation: Escalation = field(default_factory=Escalation)
    models: list[str] | None = None
    start: str
    rules: list[Rule] = field(default_factory=list)
    states: dict[str, State]
    version: Annotated[str | None, _doc("Optional tutor's version label")] = None
    scoring: ScoringOverrides | None = None
    typing: Annotated[
        TypingOptions | bool | None,
        _doc(
            "Typed replies: true, or {threshold, margin, floor} to tune matching; "
            "declares the file written for typing (lint then asks for examples)"
        ),
    ] = None
    shuffle: Annotated[
        bool,
        _doc("Show each state's options in an order fixed by the attempt's seed and the state"),
    ] = False

    # -- filled by the loader, not part of the file ------------------------------------------
    def attach(self, source: str, positions: Positions, raw: bytes) -> None:
        """Record where this scenario was loaded from, and the file's bytes (the loader calls
        this once). Their sha256 is worked out when first asked for (`content_hash`): that is
        when an attempt is first saved, after the first screen, not before it."""
        self.__dict__.update(_source=source, _positions=positions, _raw=raw)

    def replaced(self, **changes: Any) -> "Scenario":
        """A copy with some fields changed (tests: the same file, shuffled), keeping its source."""
        out = replace(self, **changes)
        out.__dict__.update({k: v for k, v in self.__dict__.items() if k != "_choice_index"})
        return out

    # -- conveniences used by the engine, scorer and UI -------------------------------------
    @property
    def source(self) -> str:
        """The file this scenario was loaded from ('' when built in memory)."""
        return str(self.__dict__.get("_source", ""))

    @property
    def content_hash(self) -> str:
        """sha256 of the file's bytes: stamps attempts so results survive later edits."""
        known = self.__dict__.get("_content_hash")
        if known is None:
            raw = self.__dict__.get("_raw")
            if raw is None:
                return ""
            import hashlib

            known = self.__dict__["_content_hash"] = hashlib.sha256(raw).hexdigest()
        return str(known)

    @property
    def applied_models(self) -> tuple[str, ...]:
        return tuple(self.models) if self.models is not None else DEFAULT_MODELS

    def choice_id(self, state: str, index: int) -> str:
        """The id of the index-th (0-based) choice of a state: explicit, else STATE.N."""
        choice = self.states[state].choices[index]
        return choice.id or f"{state}.{index + 1}"

    def find_choice(self, choice_id: str) -> tuple[str, int, Choice]:
        """(state id, 0-based index, Choice) for a choice id. KeyError if unknown."""
        index: dict[str, tuple[str, int, Choice]] | None = self.__dict__.get("_choice_index")
        if index is None:
            index = {}
            for sid, st in self.states.items():
                for i, ch in enumerate(st.choices):
                    index[ch.id or f"{sid}.{i + 1}"] = (sid, i, ch)
            self.__dict__["_choice_index"] = index
        return index[choice_id]

    def position(self, *path: str | int) -> tuple[int, int]:
        """(line, column), 1-based, of the YAML value at a path such as
        ("states", "opening", "choices", 0, "text"); the nearest enclosing node if unknown."""
        positions: Positions = self.__dict__.get("_positions") or {}
        p = tuple(path)
        while p:
            if p in positions:
                return positions[p]
            p = p[:-1]
        return positions.get((), (1, 1))

    def where(self, *path: str | int) -> str:
        """'file:line:column' for a path, for error messages."""
        line, col = self.position(*path)
        return f"{self.source or '<scenario>'}:{line}:{col}"
