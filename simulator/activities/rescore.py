"""Marking a saved activity transcript again (`countertalk score FILE` on an activity's file).

The transcript holds the seed and the letters given for each question; replaying them against
the activity file as it is now gives the result afresh, with every explanation. Nothing else in
the file is trusted: the letters must name options of the question they answer.
"""

from __future__ import annotations

from typing import Any

from .model import Activity
from .record import rules_of
from .run import LETTERS, ActivityRun


class RescoreError(Exception):
    pass


def replay(activity: Activity, transcript: dict[str, Any]) -> ActivityRun:
    seed = transcript.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise RescoreError("the transcript has no seed; it cannot be replayed")
    run = ActivityRun(activity, seed, rules=rules_of(transcript))
    for n, turn in enumerate(transcript.get("turns") or [], 1):
        q = run.current
        if q is None:
            raise RescoreError(f"turn {n}: the activity has only {len(run.questions)} questions")
        letters = str(turn.get("choice") or "") if isinstance(turn, dict) else ""
        letters = "" if letters == "-" else letters
        if not all(c in LETTERS[: len(q.options)] for c in letters) or (
            not q.multi and len(letters) != 1
        ):
            raise RescoreError(f"turn {n}: '{letters[:20]}' is not an answer to question {n}")
        run.answer({LETTERS.index(c) for c in letters})
    return run


def render_text(activity: Activity, run: ActivityRun) -> str:
    from .progress import point_texts

    res = run.result()
    lines = [f"{activity.title} ({activity.kind} activity)", ""]
    for fb in run.feedback:
        q = run.questions[fb.question - 1]
        lines.append(f"{fb.question}. {q.prompt}")
        lines += ["   " + line for line in fb.text.splitlines()]
    state = "complete" if res["complete"] else "unfinished"
    lines += ["", f"Result: {res['points']}/{res['out_of']} right ({res['percent']}%), {state}"]
    texts = point_texts()
    verdict = "met" if res["grade"] == "pass" else f"not yet met (needs {res['pass']}%)"
    lines.append(f"Marking points — {verdict}:")
    lines += [f"  - {texts.get(mp, mp)}" for mp in activity.marking_points]
    return "\n".join(lines) + "\n"
