"""What an ending's text may read about the attempt that reached it: the `path` name.

Why: a fixed ending text praises what the learner may not have done ("you listened and
apologised" beside a fail). An ending's `say:` and `debrief:` can instead test the path, e.g.
`{% if 'apologise' in path.shows %}You apologised early.{% endif %}`. Only endings get `path`
(lint says so elsewhere), because only there is the whole path known.

Names (documented in docs/scenario-format.md):
    path.shows      behaviour ids shown on the way, first-shown order, each once
    path.mistakes   mistake ids made, first-made order, each once
    path.visited    state ids entered, in the order first entered (the ending included)
    path.escalated  roles escalated to, in order (empty when never escalated)
    path.choices    the choice ids taken, in order
    path.turns      the number of choices taken
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .model import Choice

PATH_KEYS = ("shows", "mistakes", "visited", "escalated", "choices", "turns")


def path_context(taken: Iterable[tuple[str, Choice]], visited: Iterable[str]) -> dict[str, Any]:
    """`taken`: (choice id, Choice) pairs in the order chosen; `visited`: state ids in the order
    first entered."""
    taken = list(taken)
    shows: dict[str, None] = {}
    mistakes: dict[str, None] = {}
    escalated: list[str] = []
    for _cid, ch in taken:
        shows.update(dict.fromkeys(ch.shows))
        mistakes.update(dict.fromkeys(ch.mistakes))
        if ch.escalate is not None:
            escalated.append(ch.escalate)
    return {
        "shows": list(shows),
        "mistakes": list(mistakes),
        "visited": list(visited),
        "escalated": escalated,
        "choices": [cid for cid, _ch in taken],
        "turns": len(taken),
    }
