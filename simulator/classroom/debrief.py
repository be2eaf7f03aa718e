"""The class debrief: every team's path beside the best one, grades, and what to talk about.

Built from a finished ClassRoom as plain data, then written as Markdown or HTML for the class
notes through the same renderer and templates as the learner's debrief (`scoring/render.py`,
`scoring/templates/class_notes.*.j2`). Scenario text stays data: Markdown output escapes the
characters Markdown would act on, HTML output is autoescaped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoring.render import md_escape, render
from simulator.engine.i18n import N_, current, translated
from simulator.engine.i18n import gettext as _
from simulator.engine.text import plain

from . import grading
from .room import ClassRoom, Decision

# Discussion prompts for the mistakes a class can make, in our own words (the course's common
# misconceptions: authority limits, vague referrals, the law named loosely, service confused
# with selling, data protection seen as someone else's job).
# The prompts are English here and in the class's language where the debrief is built (N_:
# for the catalogue).
MISTAKE_PROMPTS: dict[str, str] = {
    "premature_escalation": N_(
        "Passing the customer to a manager can feel like the safe move. What could the "
        "adviser have sorted out first, and what should a handover summary contain?"
    ),
    "beyond_remit": N_(
        "Where was the edge of the adviser's authority here? What could be agreed on the "
        "spot, and what needed someone else's sign-off?"
    ),
    "over_promising": N_(
        "What was promised that the adviser could not guarantee? How do you reassure a "
        "customer without committing the business to something it may not do?"
    ),
    "vague_referral": N_(
        '"Someone will get back to you" leaves the customer guessing. Which role should '
        "the case go to, and when will the customer hear back?"
    ),
    "misstates_law": N_(
        "Which Act applied, and what does it really give the customer? Name the law and "
        'the right, rather than saying "that\'s the law".'
    ),
    "defensive": N_(
        "How does a customer hear a demand for proof as the first reply? How could the "
        "same information be asked for without sounding suspicious?"
    ),
    "blaming_customer": N_(
        "What did hinting that it was the customer's fault do to the conversation? How do"
        " you find out what happened without accusing anyone?"
    ),
    "rude": N_(
        "Look at the mood after that reply. What would a calm, respectful version of the "
        "same message have sounded like?"
    ),
    "interrupting": N_(
        "What did the adviser miss by not letting the customer finish? What does active "
        "listening look and sound like at the counter?"
    ),
    "no_ownership": N_(
        "After that reply, who owned the problem? Which words tell a customer that you "
        "are taking responsibility for sorting it?"
    ),
    "data_breach": N_(
        "Data protection is every adviser's job, not only the compliance team's. What "
        "should have been checked before anything was shared?"
    ),
    "discrimination": N_(
        "Which protected characteristic was involved? What alternative or adjustment "
        "could have been offered, at no charge to the customer?"
    ),
    "sales_push": N_(
        "Was this conversation about selling or about solving the problem? Service covers"
        " the whole customer journey, not only the sale."
    ),
    "jargon": N_(
        "Would the customer understand the words used? Say the same thing in plain English."
    ),
}

GENERAL_PROMPTS: tuple[str, ...] = (
    N_(
        "Which parts of the adviser's answers came from the organisation's own policy, "
        "and which from the law? Why does the difference matter to the customer?"
    ),
    N_(
        "Does saying sorry admit that the business was at fault? What is an apology for "
        "in a complaint?"
    ),
    N_(
        "If this had been face to face, what would the adviser's tone and body language "
        "have needed to say at the hardest moment?"
    ),
)
INTERNAL_PROMPT = N_(
    "Colleagues in other teams are customers too. Would the same reply have been "
    "acceptable to someone outside the organisation?"
)


@dataclass
class PathStep:
    turn: int
    text: str
    votes: dict[int, int] = field(default_factory=dict)
    number: int | None = None
    tied: list[int] = field(default_factory=list)
    mood_after: int | None = None
    mistakes: list[str] = field(default_factory=list)  # labels
    shows: list[str] = field(default_factory=list)  # labels
    phone_votes: dict[int, int] = field(default_factory=dict)  # the phones' part of `votes`

    @property
    def hand_votes(self) -> dict[int, int]:
        return {n: c - self.phone_votes.get(n, 0) for n, c in self.votes.items()}


@dataclass
class TeamResult:
    name: str
    steps: list[PathStep]
    ending: str | None
    outcome: str | None
    final_mood: int
    percent: int | None
    grade: str | None


@dataclass
class MistakeNote:
    id: str
    label: str
    explanation: str
    advice: str
    made_by: list[str]  # "Red (turn 2)"
    better: list[str]  # what could have been said instead, from the options on offer then


@dataclass
class ClassDebrief:
    title: str
    scenario_id: str
    class_session: str
    team_mode: bool
    date: str
    teams: list[TeamResult]
    best: list[str] | None  # the best path's choice texts
    best_percent: int | None
    best_grade: str | None
    mistakes: list[MistakeNote]
    prompts: list[str]
    phones: bool = False  # phones voted: say how the room voted, phones and hands apart

    @property
    def rows(self) -> int:
        return max([len(t.steps) for t in self.teams] + [len(self.best or [])])


def build(
    room: ClassRoom, phone_votes: Callable[[str, int], dict[int, int]] | None = None
) -> ClassDebrief:
    """`phone_votes(team, turn)` gives the phones' part of each decision's votes (--phones)."""
    scenario = room.scenario
    teams = []
    for run in room.runs:
        s = run.session
        steps = [
            PathStep(
                turn=d.turn,
                text=plain(d.text),
                votes=d.votes,
                number=d.number,
                tied=d.tied,
                mood_after=d.chosen.mood_after,
                mistakes=[lab for _, lab in d.chosen.mistakes],
                shows=[lab for _, lab in d.chosen.shows],
                phone_votes=phone_votes(d.team, d.turn) if phone_votes else {},
            )
            for d in run.decisions
        ]
        score = run.score
        teams.append(
            TeamResult(
                run.name,
                steps,
                s.ending,
                s.outcome,
                s.mood,
                score.percent if score else None,
                score.grade if score else None,
            )
        )
    best = grading.best_path(scenario)
    best_texts = _best_texts(room, best["choices"]) if best and best.get("choices") else None
    mistakes = _mistake_notes(room)
    prompts = [MISTAKE_PROMPTS[m.id] for m in mistakes if m.id in MISTAKE_PROMPTS]
    if scenario.customer.internal or scenario.topic == "internal-customer":
        prompts.append(INTERNAL_PROMPT)
    prompts.extend(GENERAL_PROMPTS)
    prompts = [_(p) for p in prompts]  # in the class's language
    return ClassDebrief(
        title=plain(scenario.title),
        scenario_id=scenario.id,
        class_session=room.class_session,
        team_mode=room.team_mode,
        # (English month names only in English: other languages get the date in numbers)
        date=time.strftime("%d %B %Y, %H:%M" if current() == "en" else "%d.%m.%Y, %H:%M"),
        teams=teams,
        best=best_texts,
        best_percent=best.get("percent") if best else None,
        best_grade=best.get("grade") if best else None,
        mistakes=mistakes,
        prompts=prompts,
        phones=phone_votes is not None,
    )


def _best_texts(room: ClassRoom, choice_ids: list[str]) -> list[str]:
    """The best path as the class would have heard it (rendered on a scratch session)."""
    session = room.runtime.new_session(seed=room.seed, learner="best")
    texts = []
    try:
        for cid in choice_ids:
            match = next((o for o in session.offered() if o.choice_id == cid), None)
            if match is None:  # not playable from here with this seed: fall back to the raw text
                texts.append(plain(room.scenario.find_choice(cid)[2].text))
                continue
            texts.append(plain(match.text))
            session.choose_id(cid)
    except Exception:
        texts = [plain(room.scenario.find_choice(c)[2].text) for c in choice_ids]
    finally:
        session.close()
    return texts


def _mistake_notes(room: ClassRoom) -> list[MistakeNote]:
    notes: dict[str, MistakeNote] = {}
    for run in room.runs:
        for d in run.decisions:
            chosen = d.chosen
            for mid, lab in chosen.mistakes:
                entry = grading.catalogue_entry("mistakes", mid)
                # the mistake's advice for this scenario's topic when the catalogue has one
                advice = (entry.get("advice_by_topic") or {}).get(room.scenario.topic)
                advice = " ".join(str(advice or entry["advice"]).split())
                note = notes.setdefault(
                    mid,
                    MistakeNote(
                        mid,
                        translated(lab),
                        translated(entry["explanation"]),
                        translated(advice),
                        [],
                        [],
                    ),
                )
                turn = _("turn {n}").format(n=d.turn)
                who = f"{run.name} ({turn})" if room.team_mode else turn
                note.made_by.append(who)
                for alt in _better_options(d):
                    if alt not in note.better:
                        note.better.append(alt)
    return list(notes.values())


def _better_options(d: Decision) -> list[str]:
    clean = [p for p in d.previews if not p.mistakes and p.number != d.number]
    clean.sort(key=lambda p: (len(p.shows), p.mood_change), reverse=True)
    return [plain(p.text) for p in clean[:1]]


# -- writing the class notes ---------------------------------------------------------------
# Through the one debrief renderer (scoring/render.py, templates in scoring/templates/): the same
# escapers as the learner's debrief, so scenario text is data in every file we write.

md = md_escape  # scenario text as literal Markdown (kept for callers of the old name)


def _grade(t: TeamResult) -> str:
    if t.grade is None:
        return _("not graded")
    grade = _(t.grade)  # pass, distinction, fail: the catalogue's words for the grades
    return f"{grade} ({t.percent}%)" if t.percent is not None else grade


def _split(db: ClassDebrief, s: PathStep) -> str:
    """ " (phones 1:3 2:1; hands 1:2)": the two kinds of vote apart, when phones voted."""
    if not db.phones:
        return ""
    phones = " ".join(f"{n}:{c}" for n, c in s.phone_votes.items()) or _("none")
    hands = " ".join(f"{n}:{c}" for n, c in s.hand_votes.items() if c) or _("none")
    return " (" + _("phones {phones}; hands {hands}").format(phones=phones, hands=hands) + ")"


# The projector's class debrief (tui/classroom/debrief_screen.py) draws the same words as the
# class notes: their public names, for a front end.
grade_text = _grade
vote_split = _split


def view(db: ClassDebrief) -> dict[str, Any]:
    """What the class-notes templates draw: the debrief laid out as rows and cells of text."""
    heads = [t.name for t in db.teams] + ([_("Best path")] if db.best is not None else [])
    rows = []
    for i in range(db.rows):
        cells = []
        for t in db.teams:
            s = t.steps[i] if i < len(t.steps) else None
            if s is None:
                cells.append({"text": "", "mistakes": "", "votes": ""})
                continue
            tally = ", ".join(f"{n}: {c}" for n, c in s.votes.items())
            cells.append(
                {
                    "text": s.text,
                    "mistakes": ", ".join(translated(m) for m in s.mistakes),
                    "votes": _("Votes {tally}").format(tally=tally) + _split(db, s)
                    if db.phones
                    else "",
                }
            )
        if db.best is not None:
            text = db.best[i] if i < len(db.best) else ""
            cells.append({"text": text, "mistakes": "", "votes": ""})
        rows.append({"turn": i + 1, "cells": cells})
    best_grade = None
    if db.best is not None:
        pct = f" ({db.best_percent}%)" if db.best_percent is not None else ""
        best_grade = f"{_(db.best_grade) if db.best_grade else ''}{pct}"
    votes = []  # the class's votes (whole class), or how the room voted (teams, with phones)
    if not db.team_mode and db.teams:
        for s in db.teams[0].steps:
            counts = ", ".join(_("option {n}: {c}").format(n=n, c=c) for n, c in s.votes.items())
            votes.append(
                {
                    "team": None,
                    "turn": s.turn,
                    "number": s.number,
                    "tied": bool(s.tied),
                    "counts": counts + _split(db, s),
                }
            )
    elif db.phones:
        for t in db.teams:
            for s in t.steps:
                counts = ", ".join(
                    _("option {n}: {c}").format(n=n, c=c) for n, c in s.votes.items()
                )
                votes.append(
                    {
                        "team": t.name,
                        "turn": s.turn,
                        "number": s.number,
                        "tied": False,
                        "counts": counts + _split(db, s),
                    }
                )
    return {
        "title": db.title,
        "scenario_id": db.scenario_id,
        "class_session": db.class_session,
        "date": db.date,
        "teams": [
            {
                "name": t.name,
                "outcome": _(t.outcome) if t.outcome else _("not finished"),
                "final_mood": t.final_mood,
                "grade": _grade(t),
            }
            for t in db.teams
        ],
        "best": db.best,
        "best_grade": best_grade,
        "heads": heads,
        "rows": rows,
        "votes": votes,
        "votes_title": _("The class's votes") if not db.team_mode else _("How the room voted"),
        "mistakes": [
            {
                "label": m.label,
                "made_by": ", ".join(m.made_by),
                "explanation": m.explanation,
                "advice": m.advice,
                "better": m.better,
            }
            for m in db.mistakes
        ],
        "prompts": db.prompts,
    }


def to_markdown(db: ClassDebrief) -> str:
    return render("class_notes.md.j2", "md", v=view(db))


def to_html(db: ClassDebrief) -> str:
    return render("class_notes.html.j2", "html", v=view(db))


def save(db: ClassDebrief, folder: str | Path, fmt: str = "md") -> Path:
    """Write the class notes as `class-notes-SCENARIO-SESSION.md|html` in `folder`; its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"class-notes-{db.scenario_id}-{db.class_session}.{fmt}"
    text = to_html(db) if fmt == "html" else to_markdown(db)
    path.write_text(text, encoding="utf-8")
    return path
