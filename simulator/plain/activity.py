"""Plain-mode play of an activity: text out, letters (or numbers) in, one answer per line.

For scripts, screen readers and any terminal. Every answer gets its explanation at once; the
result and the marking points it gave evidence for come at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from typing import TextIO

from simulator.engine.text import plain

from .model import Activity
from .record import Recorder, transcript
from .run import LETTERS, ActivityRun, parse_answer

__all__ = ["KIND_HELP", "parse_answer", "play_plain"]

KIND_HELP = {
    "sort": "Put each card in its group: type the group's letter (or number).",
    "spot": "Type the letters (or numbers) of every option that applies, e.g. 'a c d'.",
    "match": "For each item, type the letter (or number) of what it goes with.",
    "order": "Build the sequence: type the letter (or number) of what comes next.",
}


def play_plain(
    activity: Activity,
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout

    def out(text: str = "") -> None:
        stdout.write(text + "\n")
        stdout.flush()

    learner = plain(args.learner or _user()).strip() or "learner"
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    store = None
    if not getattr(args, "no_save", False):
        from simulator.store import Store, StoreError

        try:
            store = Store()
        except StoreError as exc:
            out(f"(Not saving: {exc})")
    run = ActivityRun(activity, seed)
    rec = Recorder(store, activity, learner=learner, seed=seed, mode="activity", warn=out)
    out(f"== {activity.title} ==")
    out(f"A {activity.kind} activity, about {activity.minutes} minutes | level {activity.level}")
    out(f"Learner: {learner} | seed {seed}{' | saving your result' if rec.store else ''}")
    out()
    out(_wrap(activity.intro))
    if activity.case:
        out()
        out("The case:")
        out(_wrap(activity.case, "  "))
    out()
    out(KIND_HELP[activity.kind])
    total = len(run.questions)
    while not run.done:
        q = run.current
        assert q is not None
        out()
        label = f"[{q.number}/{total}] " if total > 1 else ""
        out(f"{label}{q.prompt}")
        for i, opt in enumerate(q.options):
            out(f"  {LETTERS[i]}) {opt}")
        while True:
            stdout.write("> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                out()
                out("(Stopped before the end: nothing more to read.)")
                if store is not None:
                    store.close()
                return 1
            picks = parse_answer(line, len(q.options), q.multi)
            if picks is not None:
                break
            last = LETTERS[len(q.options) - 1]
            want = "letters" if q.multi else "one letter"
            out(f"Type {want} from a to {last} (or numbers 1 to {len(q.options)}).")
        fb = run.answer(picks)
        rec.answered(run, fb)
        out(fb.text)
    rec.finished(run)
    res = run.result()
    out()
    out(f"== Result: {res['points']}/{res['out_of']} right ({res['percent']}%) ==")
    review = run.to_review()
    if review:
        out("To review:")
        for line in review:
            out(textwrap.fill(line, 78, initial_indent="  - ", subsequent_indent="    "))
    from .progress import point_texts

    texts = point_texts()
    verdict = "met" if res["grade"] == "pass" else f"not yet met (needs {res['pass']}%)"
    out(f"Evidence for these marking points — {verdict}:")
    for mp in activity.marking_points:
        out(f"  - {texts.get(mp, mp)}")
    if store is not None:
        store.close()
    if getattr(args, "transcript_out", None):
        data = transcript(run, learner, "activity")
        try:
            with open(args.transcript_out, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, ensure_ascii=False)
        except OSError as exc:
            out(f"(Could not write {args.transcript_out}: {exc.strerror})")
            return 1
    return 0


def _user() -> str:
    """The default learner name, as `countertalk play` has it (the login name)."""
    import getpass

    try:
        return getpass.getuser() or "learner"
    except Exception:
        return "learner"


def _wrap(text: str, indent: str = "") -> str:
    return "\n\n".join(
        textwrap.fill(p, 78, initial_indent=indent, subsequent_indent=indent)
        for p in text.split("\n\n")
    )
