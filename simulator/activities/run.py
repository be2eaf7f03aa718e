"""Playing an activity, whatever the front end: a list of questions, an answer to each, and a
marked result with the explanation for every item.

Every kind becomes the same shape — a question with lettered options and one answer (or, for
*spot*, a set of picks) — so the app, plain mode and the classroom share one set of rules. Option
order is fixed by the seed, so the same seed and the same answers give the same result.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from msgspec import Struct

from simulator.engine.i18n import gettext as tr

from .model import Activity

LETTERS = "abcdefghijklmnop"


class Question(Struct, frozen=True):
    number: int  # from 1
    prompt: str
    options: tuple[str, ...]  # shown lettered a, b, c ...
    right: frozenset[int]  # indices of the right option(s)
    multi: bool = False  # spot: pick every option that applies
    why: tuple[str, ...] = ()  # per option for spot; one explanation otherwise


class Feedback(Struct, frozen=True):
    question: int
    correct: bool
    points: int
    out_of: int
    text: str  # the explanation, as the learner sees it
    answer: str  # the letters given


@dataclass
class ActivityRun:
    activity: Activity
    seed: int = 0
    questions: list[Question] = field(init=False)
    feedback: list[Feedback] = field(default_factory=list)
    # Rules 1 (transcripts saved before issue 30) offered every right-hand answer to every match
    # item; rules 2 takes an answer already placed out of later items. Only re-scoring an old
    # transcript asks for rules 1, so its letters name the options they named then.
    rules: int = 2

    def __post_init__(self) -> None:
        self.questions = build_questions(self.activity, self.seed, self.rules)

    @property
    def current(self) -> Question | None:
        n = len(self.feedback)
        return self.questions[n] if n < len(self.questions) else None

    @property
    def done(self) -> bool:
        return self.current is None

    def answer(self, picks: set[int] | int) -> Feedback:
        q = self.current
        if q is None:
            raise ValueError("the activity is finished")
        chosen = {picks} if isinstance(picks, int) else set(picks)
        if any(not 0 <= i < len(q.options) for i in chosen):
            raise ValueError(f"choose from {LETTERS[0]} to {LETTERS[len(q.options) - 1]}")
        if not q.multi and len(chosen) != 1:
            raise ValueError("choose one option")
        fb = mark(q, chosen)
        self.feedback.append(fb)
        return fb

    def result(self) -> dict[str, Any]:
        return result_of(self.activity, self.feedback)

    def to_review(self) -> list[str]:
        """One line per question answered wrongly: the item and what was right (for the end)."""
        out = []
        for fb in self.feedback:
            if fb.correct:
                continue
            q = self.questions[fb.question - 1]
            right = "; ".join(q.options[i] for i in sorted(q.right))
            if q.multi:
                out.append(tr("The ones that apply: {right}").format(right=right))
            else:
                out.append(f"{q.prompt} → {right}")
        return out


def _rng(activity: Activity, seed: int, salt: str) -> random.Random:
    return random.Random(f"{seed}|{activity.id}|{salt}")


def build_questions(a: Activity, seed: int, rules: int = 2) -> list[Question]:
    if a.kind == "sort":
        labels = tuple(g.label for g in a.groups)
        ids = [g.id for g in a.groups]
        cards = list(a.items)
        _rng(a, seed, "cards").shuffle(cards)
        return [
            Question(
                n,
                c.text,
                labels,
                frozenset({ids.index(str(c.answer))}),
                why=(
                    _explain(
                        c.why,
                        tr("It belongs in: {group}.").format(
                            group=labels[ids.index(str(c.answer))]
                        ),
                    ),
                ),
            )
            for n, c in enumerate(cards, 1)
        ]
    if a.kind == "spot":
        opts = list(a.items)
        _rng(a, seed, "options").shuffle(opts)
        return [
            Question(
                1,
                tr("Pick every one that applies."),
                tuple(o.text for o in opts),
                frozenset(i for i, o in enumerate(opts) if o.answer is True),
                multi=True,
                why=tuple(o.why for o in opts),
            )
        ]
    if a.kind == "match":
        # Like order: each item's right answer is placed once it is answered (a wrong pick is
        # put right), so later items no longer offer it and one answer cannot serve them all.
        rights = [str(p.answer) for p in a.items]
        _rng(a, seed, "rights").shuffle(rights)
        lefts = list(a.items)
        _rng(a, seed, "lefts").shuffle(lefts)
        out, left = [], list(rights)
        for n, p in enumerate(lefts, 1):
            offered = rights if rules < 2 else left
            out.append(
                Question(
                    n,
                    p.text,
                    tuple(offered),
                    frozenset({offered.index(str(p.answer))}),
                    why=(_explain(p.why, tr("It goes with: {answer}.").format(answer=p.answer)),),
                )
            )
            if rules >= 2:
                left = list(left)
                left.remove(str(p.answer))  # one of them, if two items share an answer
        return out
    # order: at step k the learner picks from the steps not yet placed; a wrong pick is put
    # right before the next step, so one slip never spoils the rest.
    steps = list(a.items)
    out = []
    for k, step in enumerate(steps):
        rest = steps[k:]
        _rng(a, seed, f"step{k}").shuffle(rest)
        out.append(
            Question(
                k + 1,
                tr("What comes {nth}?").format(nth=_ordinal(k + 1))
                if k
                else tr("What comes first?"),
                tuple(s.text for s in rest),
                frozenset({rest.index(step)}),
                why=(
                    _explain(step.why, tr("Step {n} is: {text}.").format(n=k + 1, text=step.text)),
                ),
            )
        )
    return out


def _explain(why: str, fallback: str) -> str:
    return why or fallback


def _ordinal(n: int) -> str:
    return {1: tr("first"), 2: tr("second"), 3: tr("third")}.get(n, tr("{n}th").format(n=n))


def mark(q: Question, chosen: set[int]) -> Feedback:
    letters = "".join(sorted(LETTERS[i] for i in chosen))
    if q.multi:
        points = sum((i in chosen) == (i in q.right) for i in range(len(q.options)))
        lines = []
        for i, opt in enumerate(q.options):
            picked, applies = i in chosen, i in q.right
            mark_ = "✓" if picked == applies else "✗"
            verdict = tr("applies") if applies else tr("does not apply")
            lines.append(f"{mark_} {LETTERS[i]}) {opt} — {verdict}. {q.why[i]}".rstrip())
        return Feedback(
            q.number, points == len(q.options), points, len(q.options), "\n".join(lines), letters
        )
    right = next(iter(q.right))
    ok = right in chosen
    head = (
        tr("Right.")
        if ok
        else tr("Not quite — the answer is {letter}) {option}.").format(
            letter=LETTERS[right], option=q.options[right]
        )
    )
    return Feedback(q.number, ok, int(ok), 1, f"{head} {q.why[0]}".strip(), letters)


def result_of(a: Activity, feedback: list[Feedback]) -> dict[str, Any]:
    points = sum(f.points for f in feedback)
    out_of = sum(f.out_of for f in feedback) or 1
    percent = round(100 * points / out_of)
    complete = len(feedback) == len(build_questions(a, 0))  # as many questions, whatever the rules
    met = complete and percent >= a.pass_percent
    status = "met" if met else "missed"
    return {
        "percent": percent,
        "grade": "pass" if met else "fail",
        "points": points,
        "out_of": out_of,
        "pass": a.pass_percent,
        "complete": complete,
        "course_points": {mp: status for mp in a.marking_points},
    }


def parse_answer(line: str, n_options: int, multi: bool) -> set[int] | None:
    """Letters or numbers (1-based) separated by spaces or commas; None when not valid."""
    tokens = line.replace(",", " ").split()
    if not tokens and multi:
        return set()
    picks: set[int] = set()
    for tok in tokens:
        tok = tok.strip().lower()
        if tok.isdigit():
            i = int(tok) - 1
        elif len(tok) == 1 and tok in LETTERS:
            i = LETTERS.index(tok)
        elif multi and tok.isalpha() and all(c in LETTERS for c in tok):
            picks.update(LETTERS.index(c) for c in tok)
            continue
        else:
            return None
        if not 0 <= i < n_options:
            return None
        picks.add(i)
    if not multi and len(picks) != 1:
        return None
    return picks
