"""The one model of the scenario format (version 1).

The loader validates parsed YAML against these classes; `countertalk schema` exports their JSON
Schema. Keeping both on one model means the editor's validation and the linter cannot disagree
about the shape of a file. Semantic checks that need the whole file (gotos, reachability,
catalogue look-ups, templates) live in the linter (`loader.py`), which runs on the raw data so that it can
report every problem at once even when the shape is wrong.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .format import DEFAULT_MODELS, LAW_IDS, OUTCOMES, TOPICS  # noqa: F401

Scalar = bool | int | float | str | None
Outcome = Literal["resolved", "escalated", "unresolved", "lost"]
LawVerdict = Literal["right", "wrong"]
Template = Annotated[str, Field(description="Text, optionally a sandboxed Jinja2 template")]
Condition = Annotated[
    str, Field(description="A sandboxed Jinja2 expression, e.g. `mood < 30 and not vars.asked`")
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Customer(_Frozen):
    name: str = Field(description="The customer's name, shown on the customer card")
    persona: str | None = Field(None, description="A short description shown on the card")
    mood: int = Field(50, ge=0, le=100, description="Starting mood: 0 furious .. 100 delighted")
    internal: bool = Field(False, description="True when the 'customer' is a colleague")


class Escalation(_Frozen):
    required: bool = Field(False, description="Whether handling this well needs escalation")
    to: list[str] = Field(default_factory=list, description="Roles it is right to escalate to")
    reason: str | None = Field(None, description="Why; shown in the debrief")


class Rule(_Frozen):
    if_: Condition = Field(alias="if")
    goto: str = Field(description="The state the session jumps to when the condition is true")


class Choice(_Frozen):
    text: Template = Field(description="What the learner says")
    goto: str = Field(description="The state this choice leads to")
    id: str | None = Field(None, description="Stable id; default STATE.N (N from 1, file order)")
    if_: Condition | None = Field(None, alias="if", description="Offered only when true")
    shows: list[str] = Field(default_factory=list, description="Behaviours it demonstrates")
    mistakes: list[str] = Field(default_factory=list, description="Mistakes it makes")
    escalate: str | None = Field(None, description="Role this choice escalates to")
    law: dict[str, LawVerdict] = Field(
        default_factory=dict, description="Law id -> right (applied correctly) or wrong"
    )
    mood: int = Field(0, ge=-100, le=100, description="Signed change to the customer's mood")
    set: dict[str, Scalar] = Field(default_factory=dict, description="Variables to set")
    feedback: Template | None = Field(None, description="Coaching text for this choice")
    examples: list[str] = Field(
        default_factory=list,
        description="Other ways a learner might type this reply (for typed replies); plain text",
    )


class OnUnmatched(_Frozen):
    """What a state does with a typed reply that matches none of its options (an extension)."""

    say: Template | None = Field(
        None, description="The customer's reaction to a line they did not understand"
    )
    rude: str | None = Field(
        None,
        description="Id of a choice of this state taken when a not-understood line reads as rude, "
        "blaming or dismissive (so such a line is never rewarded)",
    )


class State(_Frozen):
    say: Template | list[Template] | None = Field(
        None, description="The customer's line, or a list of variants picked at random (seeded)"
    )
    note: Template | None = Field(None, description="Stage direction shown apart from speech")
    choices: list[Choice] = Field(default_factory=list, description="The learner's options")
    end: Outcome | None = Field(None, description="Makes the state an ending with this outcome")
    debrief: Template | None = Field(None, description="Debrief text when the session ends here")
    on_unmatched: OnUnmatched | None = Field(
        None, description="Typed replies: what a line that matches no option does here"
    )


# Finite and bounded: an infinite or huge weight would overflow the score at the end of a session.
Weight = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class ScoringOverrides(_Frozen):
    """Per-scenario overrides of the scorer's weights and grade thresholds (an extension)."""

    weights: dict[str, Weight] = Field(default_factory=dict, description="Model id -> weight")
    pass_: int | None = Field(None, alias="pass", ge=0, le=100, description="Pass threshold %")
    distinction: int | None = Field(None, ge=0, le=100, description="Distinction threshold %")


class TypingOptions(_Frozen):
    """Typed replies (an extension): when a typed line is taken, confirmed or not understood."""

    threshold: float | None = Field(
        None, ge=0, le=1, description="Score at or above which the best option is taken"
    )
    margin: float | None = Field(
        None, ge=0, le=1, description="Lead over the runner-up needed to take it without asking"
    )
    floor: float | None = Field(
        None, ge=0, le=1, description="Score below which a line is not understood at all"
    )


class Scenario(_Frozen):
    format: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Lowercase letters, digits, '-'")
    title: str
    topic: str = Field(description="complaint, refund-dispute, data-request, escalation, ...")
    level: Literal[2, 3] | None = None
    summary: str
    learner_role: str
    customer: Customer
    vars: dict[str, Scalar] = Field(default_factory=dict)
    # pydantic's Field overloads cannot tell which factory shape (no argument, or the data) a
    # model class is, so mypy infers Never; the class is a valid no-argument factory.
    escalation: Escalation = Field(default_factory=Escalation)  # type: ignore[arg-type]
    models: list[str] | None = None
    start: str
    rules: list[Rule] = Field(default_factory=list)
    states: dict[str, State]
    version: str | None = Field(None, description="Optional tutor's version label")
    scoring: ScoringOverrides | None = None
    typing: TypingOptions | bool | None = Field(
        None,
        description="Typed replies: true, or {threshold, margin, floor} to tune matching; "
        "declares the file written for typing (lint then asks for examples)",
    )
    shuffle: bool = Field(
        False,
        description="Show each state's options in an order fixed by the attempt's seed and the state",
    )

    # Filled by the loader, not part of the file.
    _source: str = PrivateAttr("")
    _positions: dict[tuple[str | int, ...], tuple[int, int]] = PrivateAttr(default_factory=dict)
    _content_hash: str = PrivateAttr("")
    _choice_index: dict[str, tuple[str, int, Choice]] = PrivateAttr(default_factory=dict)

    # -- conveniences used by the engine, scorer and UI -------------------------------------
    @property
    def source(self) -> str:
        """The file this scenario was loaded from ('' when built in memory)."""
        return self._source

    @property
    def content_hash(self) -> str:
        """sha256 of the file's bytes: stamps attempts so results survive later edits."""
        return self._content_hash

    @property
    def applied_models(self) -> tuple[str, ...]:
        return tuple(self.models) if self.models is not None else DEFAULT_MODELS

    def choice_id(self, state: str, index: int) -> str:
        """The id of the index-th (0-based) choice of a state: explicit, else STATE.N."""
        choice = self.states[state].choices[index]
        return choice.id or f"{state}.{index + 1}"

    def find_choice(self, choice_id: str) -> tuple[str, int, Choice]:
        """(state id, 0-based index, Choice) for a choice id. KeyError if unknown."""
        if not self._choice_index:
            index = {}
            for sid, st in self.states.items():
                for i, ch in enumerate(st.choices):
                    index[ch.id or f"{sid}.{i + 1}"] = (sid, i, ch)
            self._choice_index = index
        return self._choice_index[choice_id]

    def position(self, *path: str | int) -> tuple[int, int]:
        """(line, column), 1-based, of the YAML value at a path such as
        ("states", "opening", "choices", 0, "text"); the nearest enclosing node if unknown."""
        p = tuple(path)
        while p:
            if p in self._positions:
                return self._positions[p]
            p = p[:-1]
        return self._positions.get((), (1, 1))

    def where(self, *path: str | int) -> str:
        """'file:line:column' for a path, for error messages."""
        line, col = self.position(*path)
        return f"{self._source or '<scenario>'}:{line}:{col}"
