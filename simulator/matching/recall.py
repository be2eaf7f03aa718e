"""Assessment by recall: when a scenario plays typed without being asked to.

Brief fact 34 (a premise of this project): recall is stronger evidence than recognition, so in
assessment mode a scenario written for typing (every choice has `examples:`) reads what the
learner would say rather than offering a list; `--pick` opts out, and `?` still shows the
options. Needing them does not cap the grade: the fact calls it evidence an assessor would
weigh, not a rule of the standard, so the debrief names the turns where the options were shown
and leaves the weighing to the assessor (docs/typed-replies.md).
"""

from __future__ import annotations

from typing import Any


def written_for_recall(scenario: Any) -> bool:
    """Every choice of every state has at least one example."""
    choices = [ch for st in scenario.states.values() for ch in st.choices]
    return bool(choices) and all(ch.examples for ch in choices)


def plays_typed(scenario: Any, *, assess: bool, reply_mode: str | None) -> bool:
    """`--type` / `--pick` decide when given; otherwise assessment of a scenario written for
    recall is typed, and everything else is picked."""
    if reply_mode is not None:
        return reply_mode == "type"
    return assess and written_for_recall(scenario)


def plays_typed_info(info: Any, *, assess: bool, reply_mode: str | None) -> bool:
    """:func:`plays_typed` for a front end that sees only the exercise service's
    ``ExerciseInfo`` (its ``written_for_recall``)."""
    if reply_mode is not None:
        return reply_mode == "type"
    return assess and bool(getattr(info, "written_for_recall", False))
