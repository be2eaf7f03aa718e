"""The class debrief: every team's path beside the best one, grades, and what to talk about.

Built from a finished ClassRoom as plain data, then written as Markdown or HTML for the class
notes. Scenario text stays data: Markdown output escapes the characters Markdown would act on,
HTML output escapes everything through `html.escape`.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from simulator.engine.templating import plain

from . import grading
from .room import ClassRoom

# Discussion prompts for the mistakes a class can make, in our own words (the course's common
# misconceptions: authority limits, vague referrals, the law named loosely, service confused
# with selling, data protection seen as someone else's job).
MISTAKE_PROMPTS: dict[str, str] = {
    "premature_escalation": "Passing the customer to a manager can feel like the safe move. What "
    "could the adviser have sorted out first, and what should a handover summary contain?",
    "beyond_remit": "Where was the edge of the adviser's authority here? What could be agreed on "
    "the spot, and what needed someone else's sign-off?",
    "over_promising": "What was promised that the adviser could not guarantee? How do you "
    "reassure a customer without committing the business to something it may not do?",
    "vague_referral": '"Someone will get back to you" leaves the customer guessing. Which role '
    "should the case go to, and when will the customer hear back?",
    "misstates_law": "Which Act applied, and what does it really give the customer? Name the "
    'law and the right, rather than saying "that\'s the law".',
    "defensive": "How does a customer hear a demand for proof as the first reply? How could the "
    "same information be asked for without sounding suspicious?",
    "blaming_customer": "What did hinting that it was the customer's fault do to the "
    "conversation? How do you find out what happened without accusing anyone?",
    "rude": "Look at the mood after that reply. What would a calm, respectful version of the same "
    "message have sounded like?",
    "interrupting": "What did the adviser miss by not letting the customer finish? What does "
    "active listening look and sound like at the counter?",
    "no_ownership": "After that reply, who owned the problem? Which words tell a customer that "
    "you are taking responsibility for sorting it?",
    "data_breach": "Data protection is every adviser's job, not only the compliance team's. What "
    "should have been checked before anything was shared?",
    "discrimination": "Which protected characteristic was involved? What alternative or "
    "adjustment could have been offered, at no charge to the customer?",
    "sales_push": "Was this conversation about selling or about solving the problem? Service "
    "covers the whole customer journey, not only the sale.",
    "jargon": "Would the customer understand the words used? Say the same thing in plain English.",
}

GENERAL_PROMPTS: tuple[str, ...] = (
    "Which parts of the adviser's answers came from the organisation's own policy, and which "
    "from the law? Why does the difference matter to the customer?",
    "Does saying sorry admit that the business was at fault? What is an apology for in a "
    "complaint?",
    "If this had been face to face, what would the adviser's tone and body language have "
    "needed to say at the hardest moment?",
)
INTERNAL_PROMPT = (
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


def build(room: ClassRoom, phone_votes=None) -> ClassDebrief:
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
                score.get("percent") if score else None,
                score.get("grade") if score else None,
            )
        )
    best = grading.best_path(scenario)
    best_texts = _best_texts(room, best["choices"]) if best and best.get("choices") else None
    mistakes = _mistake_notes(room)
    prompts = [MISTAKE_PROMPTS[m.id] for m in mistakes if m.id in MISTAKE_PROMPTS]
    if scenario.customer.internal or scenario.topic == "internal-customer":
        prompts.append(INTERNAL_PROMPT)
    prompts.extend(GENERAL_PROMPTS)
    return ClassDebrief(
        title=plain(scenario.title),
        scenario_id=scenario.id,
        class_session=room.class_session,
        team_mode=room.team_mode,
        date=time.strftime("%d %B %Y, %H:%M"),
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
                note = notes.setdefault(
                    mid, MistakeNote(mid, lab, entry["explanation"], entry["advice"], [], [])
                )
                who = f"{run.name} (turn {d.turn})" if room.team_mode else f"turn {d.turn}"
                note.made_by.append(who)
                for alt in _better_options(d):
                    if alt not in note.better:
                        note.better.append(alt)
    return list(notes.values())


def _better_options(d) -> list[str]:
    clean = [p for p in d.previews if not p.mistakes and p.number != d.number]
    clean.sort(key=lambda p: (len(p.shows), p.mood_change), reverse=True)
    return [plain(p.text) for p in clean[:1]]


# -- writing the class notes ---------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: object) -> str:
    """Scenario text as literal Markdown: every character Markdown would act on is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", plain(str(text)).replace("\n", " "))


def _grade(t: TeamResult) -> str:
    if t.grade is None:
        return "not graded"
    return f"{t.grade} ({t.percent}%)" if t.percent is not None else t.grade


def to_markdown(db: ClassDebrief) -> str:
    out = [
        f"# Class notes: {md(db.title)}",
        "",
        f"Scenario `{db.scenario_id}` · class session `{db.class_session}` · {md(db.date)}",
        "",
    ]
    out += ["## Results", ""]
    out += ["| Team | Ending | Final mood | Grade |", "| --- | --- | --- | --- |"]
    for t in db.teams:
        out.append(
            f"| {md(t.name)} | {md(t.outcome or 'not finished')} | {t.final_mood} "
            f"| {md(_grade(t))} |"
        )
    if db.best is not None:
        out.append(
            f"| Best path | | | {md(db.best_grade or '')}"
            f"{f' ({db.best_percent}%)' if db.best_percent is not None else ''} |"
        )
    out += ["", "## Paths side by side", ""]
    heads = [md(t.name) for t in db.teams] + (["Best path"] if db.best is not None else [])
    out += ["| Turn | " + " | ".join(heads) + " |", "| --- " * (len(heads) + 1) + "|"]
    for i in range(db.rows):
        cells = []
        for t in db.teams:
            if i < len(t.steps):
                s = t.steps[i]
                extra = f" ⚠ {md(', '.join(s.mistakes))}" if s.mistakes else ""
                cells.append(f"{md(s.text)}{extra}")
            else:
                cells.append("")
        if db.best is not None:
            cells.append(md(db.best[i]) if i < len(db.best) else "")
        out.append(f"| {i + 1} | " + " | ".join(cells) + " |")
    if not db.team_mode and db.teams:
        out += ["", "## The class's votes", ""]
        for s in db.teams[0].steps:
            votes = ", ".join(f"option {n}: {c}" for n, c in s.votes.items())
            tie = " (tie broken by the tutor)" if s.tied else ""
            out.append(f"- Turn {s.turn}: option {s.number} chosen{tie}; {votes}{_split(db, s)}")
    elif db.phones:
        out += ["", "## How the room voted", ""]
        for t in db.teams:
            for s in t.steps:
                votes = ", ".join(f"option {n}: {c}" for n, c in s.votes.items())
                out.append(
                    f"- {md(t.name)}, turn {s.turn}: option {s.number} chosen; "
                    f"{votes}{_split(db, s)}"
                )
    out += ["", "## Mistakes to talk about", ""]
    if not db.mistakes:
        out.append("No mistakes from the catalogue were made.")
    for m in db.mistakes:
        out.append(f"### {md(m.label)}")
        out.append("")
        out.append(f"Made by: {md(', '.join(m.made_by))}.")
        if m.explanation:
            out.append(f"Why it matters: {md(m.explanation)}")
        if m.advice:
            out.append(f"What to do instead: {md(m.advice)}")
        for b in m.better:
            out.append(f"A better reply on offer: “{md(b)}”")
        out.append("")
    out += ["## Discussion prompts", ""]
    out += [f"{n}. {md(p)}" for n, p in enumerate(db.prompts, 1)]
    return "\n".join(out) + "\n"


def _split(db: ClassDebrief, s: PathStep) -> str:
    """ " (phones 1:3 2:1; hands 1:2)": the two kinds of vote apart, when phones voted."""
    if not db.phones:
        return ""
    phones = " ".join(f"{n}:{c}" for n, c in s.phone_votes.items()) or "none"
    hands = " ".join(f"{n}:{c}" for n, c in s.hand_votes.items() if c) or "none"
    return f" (phones {phones}; hands {hands})"


def to_html(db: ClassDebrief) -> str:
    e = lambda s: html.escape(plain(str(s)))  # noqa: E731 - a short local helper reads best
    heads = [t.name for t in db.teams] + (["Best path"] if db.best is not None else [])
    rows = []
    for i in range(db.rows):
        cells = []
        for t in db.teams:
            s = t.steps[i] if i < len(t.steps) else None
            if s is None:
                cells.append("<td></td>")
            else:
                warn = (
                    f'<div class="mistake">⚠ {e(", ".join(s.mistakes))}</div>' if s.mistakes else ""
                )
                votes = ""
                if db.phones:
                    tally = ", ".join(f"{n}: {c}" for n, c in s.votes.items())
                    votes = f'<div class="votes">Votes {e(tally)}{e(_split(db, s))}</div>'
                cells.append(f"<td>{e(s.text)}{votes}{warn}</td>")
        if db.best is not None:
            cells.append(f"<td>{e(db.best[i]) if i < len(db.best) else ''}</td>")
        rows.append(f"<tr><th>{i + 1}</th>{''.join(cells)}</tr>")
    results = "".join(
        f"<tr><td>{e(t.name)}</td><td>{e(t.outcome or 'not finished')}</td>"
        f"<td>{t.final_mood}</td><td>{e(_grade(t))}</td></tr>"
        for t in db.teams
    )
    mistakes = (
        "".join(
            f"<section><h3>{e(m.label)}</h3><p>Made by: {e(', '.join(m.made_by))}.</p>"
            + (f"<p>Why it matters: {e(m.explanation)}</p>" if m.explanation else "")
            + (f"<p>What to do instead: {e(m.advice)}</p>" if m.advice else "")
            + "".join(f"<p>A better reply on offer: “{e(b)}”</p>" for b in m.better)
            + "</section>"
            for m in db.mistakes
        )
        or "<p>No mistakes from the catalogue were made.</p>"
    )
    prompts = "".join(f"<li>{e(p)}</li>" for p in db.prompts)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Class notes: {e(db.title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #111; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}
th, td {{ border: 1px solid #999; padding: .4rem .6rem; vertical-align: top; text-align: left; }}
.mistake {{ color: #a00; font-weight: bold; }}
</style></head><body>
<h1>Class notes: {e(db.title)}</h1>
<p>Scenario <code>{e(db.scenario_id)}</code> · class session <code>{e(db.class_session)}</code>
 · {e(db.date)}</p>
<h2>Results</h2>
<table><tr><th>Team</th><th>Ending</th><th>Final mood</th><th>Grade</th></tr>{results}</table>
<h2>Paths side by side</h2>
<table><tr><th>Turn</th>{"".join(f"<th>{e(h)}</th>" for h in heads)}</tr>{"".join(rows)}</table>
<h2>Mistakes to talk about</h2>{mistakes}
<h2>Discussion prompts</h2><ol>{prompts}</ol>
</body></html>
"""


def save(db: ClassDebrief, folder: str | Path, fmt: str = "md") -> Path:
    """Write the class notes as `class-notes-SCENARIO-SESSION.md|html` in `folder`; its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"class-notes-{db.scenario_id}-{db.class_session}.{fmt}"
    text = to_html(db) if fmt == "html" else to_markdown(db)
    path.write_text(text, encoding="utf-8")
    return path
