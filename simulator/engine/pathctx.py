"""What an ending's text may read about the attempt that reached it: the `path` name.

Why: a fixed ending text praises what the learner may not have done ("you listened and
apologised" beside a fail). An ending's `say:` and `debrief:` can instead test the path, e.g.
`{% if 'apologise' in path.shows %}You apologised early.{% endif %}`. Only endings get `path`
(lint says so elsewhere), because only there is the whole path known.

Names (documented in docs/scenario-format.md):
    path.shows      behaviour ids shown on the way, first-shown order, each once
    path.mistakes   mistake ids made, first-made order, each once
    path.visited    state ids entered, in the order first entered (the ending included)
    path.escalated  roles escalated to, in order (empty when never escalated); an escalation
                    the learner withdrew is not one ("I'll take it to my supervisor" ->
                    "Actually, I can sort this myself": nothing was passed on), as the scorer
                    and the debrief's escalation section say (issue 25)
    path.choices    the choice ids taken, in order
    path.turns      the number of choices taken
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import vocabulary
from .model import Choice

PATH_KEYS = ("shows", "mistakes", "visited", "escalated", "choices", "turns")


def path_context(taken: Iterable[tuple[str, Choice]], visited: Iterable[str]) -> dict[str, Any]:
    """`taken`: (choice id, Choice) pairs in the order chosen; `visited`: state ids in the order
    first entered."""
    taken = list(taken)
    return {
        "shows": list(dict.fromkeys(b for _cid, ch in taken for b in ch.shows)),
        "mistakes": list(dict.fromkeys(m for _cid, ch in taken for m in ch.mistakes)),
        "visited": list(visited),
        "escalated": escalated([ch for _cid, ch in taken]),
        "choices": [cid for cid, _ch in taken],
        "turns": len(taken),
    }


def escalated(choices: Iterable[Choice]) -> list[str]:
    """The roles escalated to, in order, less any escalation the learner withdrew: a later
    choice whose `corrects:` takes back a mistake of passing the case on (the vocabulary's
    `escalation_withdrawn_by`) that an escalating choice made and that still stands, and that
    neither escalates nor briefs anyone itself, withdraws every escalation so far (the scorer's
    rule, `Compiled.escalation_withdrawn`: "I'll brief Dan myself" puts the hand-over right and
    the escalation stands)."""
    by = vocabulary.escalation_withdrawn_by()
    roles: list[str] = []
    standing: set[str] = set()  # mistakes made and not taken back
    slips: set[str] = set()  # the escalating choices' mistakes of passing the case on
    for ch in choices:
        back = {str(m) for m in ch.corrects} & standing
        if roles and back & slips and ch.escalate is None and "handover" not in ch.shows:
            roles, slips = [], set()
        standing -= back
        standing |= set(ch.mistakes)
        if ch.escalate is not None:
            roles.append(ch.escalate)
            slips |= set(ch.mistakes) & by
    return roles
