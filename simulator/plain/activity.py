"""Plain-mode play of an activity: text out, letters (or numbers) in, one answer per line.

For scripts, screen readers and any terminal. Every answer gets its explanation at once; the
result and the marking points it gave evidence for come at the end. A front end of the exercise
service, as plain conversations are: it reads lines and prints the service's views.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import TextIO

from simulator.activities.run import LETTERS, parse_answer
from simulator.engine.i18n import N_, language_name, translated
from simulator.engine.i18n import gettext as tr
from simulator.engine.text import plain

__all__ = ["KIND_HELP", "parse_answer", "play_plain"]

KIND_HELP = {
    "sort": N_("Put each card in its group: type the group's letter (or number)."),
    "spot": N_("Type the letters (or numbers) of every option that applies, e.g. 'a c d'."),
    "match": N_("For each item, type the letter (or number) of what it goes with."),
    "order": N_("Build the sequence: type the letter (or number) of what comes next."),
}


def play_plain(
    path: Path,
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    from simulator.attempt import default_learner
    from simulator.errors import fail
    from simulator.exercise.service import ExerciseProblem, ExerciseService, not_saving
    from simulator.exercise.views import PickMany

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout

    def out(text: str = "") -> None:
        stdout.write(text + "\n")
        stdout.flush()

    learner = plain(args.learner or default_learner()).strip() or "learner"
    service = ExerciseService(save=not getattr(args, "no_save", False))
    try:
        ex = service.load(path, learner=learner, mode="activity", seed=args.seed)
    except ExerciseProblem as exc:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
        return fail(
            tr("{path} has errors; fix them (see 'countertalk lint {path}') and try again").format(
                path=path
            )
        )
    if getattr(args, "resume", False) or getattr(args, "assess", False):
        print(
            "(" + tr("activities have no --resume or --assess; playing it through") + ")",
            file=sys.stderr,
        )
    if service.store_problem:
        out(f"({not_saving(service.store_problem)})")
    view = service.begin(ex)
    info = service.info(ex)
    # Sentences, no decoration or seed: read aloud by a screen reader (issue 30).
    out(f"{info.title.rstrip('.')}.")
    kinds = {
        "sort": tr("A sorting activity, about {minutes} minutes, level {level}."),
        "spot": tr("A spot-the-problems activity, about {minutes} minutes, level {level}."),
        "match": tr("A matching activity, about {minutes} minutes, level {level}."),
        "order": tr("An ordering activity, about {minutes} minutes, level {level}."),
    }
    if info.lang == "en":  # English names the kind by its id, as it always has
        out(f"A {info.activity_kind} activity, about {info.minutes} minutes, level {info.level}.")
    else:
        kind_line = kinds.get(info.activity_kind or "sort", kinds["sort"])
        out(kind_line.format(minutes=info.minutes, level=info.level))
    out(
        (
            tr("Learner {learner}, and your result is saved.")
            if view.saving
            else tr("Learner {learner}.")
        ).format(learner=learner)
    )
    if info.lang != "en":
        out(tr("Played in {language}.").format(language=language_name(info.lang)))
    out()
    out(_wrap(info.intro))
    if info.case:
        out()
        out(tr("The case:"))
        out(_wrap(info.case, "  "))
    out()
    out(tr(KIND_HELP[info.activity_kind or "sort"]))
    while not view.ended:
        out()
        label = (
            tr("{n} of {total}. ").format(n=view.number, total=view.total)
            if (view.total or 0) > 1
            else ""
        )
        out(f"{label}{view.line}")
        for o in view.options:
            out(f"  {o.key}) {o.text}")
        while True:
            stdout.write("> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                out()
                out("(" + tr("Stopped before the end: nothing more to read.") + ")")
                service.close()
                return 1
            picks = parse_answer(line, len(view.options), view.multi)
            if picks is not None:
                break
            last = LETTERS[len(view.options) - 1]
            out(
                (
                    tr("Type letters from a to {last} (or numbers 1 to {n}).")
                    if view.multi
                    else tr("Type one letter from a to {last} (or numbers 1 to {n}).")
                ).format(last=last, n=len(view.options))
            )
        view = service.answer(ex, PickMany(tuple(sorted(i + 1 for i in picks)))).view
        if view.store_problem:
            out(f"({not_saving(view.store_problem)})")
        out(view.feedback or "")
    debrief = service.debrief(ex)
    score = debrief.score
    out()
    out(
        tr("Result: {points} of {out_of} right, {percent}%.").format(
            points=score.points, out_of=score.out_of, percent=score.percent
        )
    )
    if debrief.review:
        out(tr("To review:"))
        for line in debrief.review:
            out(textwrap.fill(line, 78, initial_indent="  - ", subsequent_indent="    "))
    verdict = (
        tr("met") if score.passed else tr("not yet met (needs {p}%)").format(p=score.pass_percent)
    )
    out(tr("Evidence for these marking points — {verdict}:").format(verdict=verdict))
    for text in info.marking_points:
        out(f"  - {translated(text)}")
    service.close()
    if getattr(args, "transcript_out", None):
        try:
            with open(args.transcript_out, "w", encoding="utf-8") as fh:
                fh.write(service.transcript_json(ex))
        except OSError as exc:
            out(f"(Could not write {args.transcript_out}: {exc.strerror})")
            return 1
    return 0


def _wrap(text: str, indent: str = "") -> str:
    return "\n\n".join(
        textwrap.fill(p, 78, initial_indent=indent, subsequent_indent=indent)
        for p in text.split("\n\n")
    )
