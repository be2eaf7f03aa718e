"""Plain-text play of a conversation: numbered choices, one number per line on standard input.

A thin front end over the exercise service (:mod:`simulator.exercise.service`): every choice is
autosaved to the results store (a store that fails is said once and play goes on unsaved), so an
interrupted session can be resumed with --resume. It sees only the service's typed views.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from simulator.engine.i18n import gettext as _
from simulator.engine.i18n import language_name
from simulator.engine.mood import mood_word
from simulator.engine.templating import plain
from simulator.errors import fail

if TYPE_CHECKING:
    from simulator.exercise.kinds import Exercise
    from simulator.exercise.service import ExerciseService
    from simulator.exercise.views import Event, ExerciseInfo, TurnView


class _Out:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, text: str = "") -> None:
        self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


def play_plain(
    path: Path,
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Play one attempt as text; every rule of the attempt lives in the exercise service."""
    from simulator.attempt import default_learner
    from simulator.exercise.service import ExerciseProblem, ExerciseService
    from simulator.exercise.views import Ended, Pick

    stdin = stdin or sys.stdin
    out = _Out(stdout or sys.stdout)
    learner = plain(args.learner or default_learner()).strip() or "learner"
    if args.resume and args.no_save:
        return fail(_("--resume needs the results store; remove --no-save"), 2)
    service = ExerciseService(save=not args.no_save)
    try:
        ex = service.load(
            path, learner=learner, mode="assess" if args.assess else "practice", seed=args.seed
        )
    except ExerciseProblem as exc:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
        return fail(
            _(
                "{path} has {n} error(s); fix them (see above) and run 'countertalk lint {path}'"
            ).format(path=path, n=len(exc.diagnostics))
        )
    if service.store_problem:
        out(
            "("
            + _("{problem}. You can still play; this attempt is not being saved.").format(
                problem=service.store_problem.rstrip(".")
            )
            + ")"
        )

    # Assessment by recall (brief fact 34): a scenario written for typing plays typed in
    # assessment unless --pick was given.
    typing = service.plays_typed(ex, reply_mode=getattr(args, "reply_mode", None))
    args.reply_mode = "type" if typing else "pick"
    try:
        resume = args.resume
        if typing and not resume and not args.no_save:
            from .typed import ask_resume

            resume = ask_resume(out, stdin, service, ex)  # like the picker: Resume / New
        ex, replayed = _begin(out, service, ex, resume=resume)
        info = service.info(ex)
        _header(out, info, service.view(ex), args)
        if replayed:
            out(_("Resuming at turn {n}. So far:").format(n=replayed + 1))
            for t in service.transcript(ex).turns:
                out(f"  {t.number}. {plain(info.customer)}: {t.prompt}")
                out("     " + _("You: {said}").format(said=t.said))
            out()
        typed = None
        if getattr(args, "reply_mode", None) == "type":
            from .typed import TypedPrompt

            typed = TypedPrompt(out, stdin, service, ex)
        view = service.view(ex)
        event: Event | None = None
        while not view.ended:
            _show_state(out, view)
            if typed is not None:
                event = typed.ask()
            else:
                for o in view.options:
                    out(f"  {o.number}. {o.text}")
                number = _ask(out, stdin, len(view.options))
                event = None if number is None else service.answer(ex, Pick(number))
            if event is None:
                out.flush()
                command = (
                    f"countertalk play {args.scenario} --plain --resume"
                    f"{' --learner ' + learner if args.learner else ''}"
                )
                saved_note = (
                    " "
                    + _("Your progress is saved: continue with '{command}'.").format(
                        command=command
                    )
                    if view.saving
                    else ""
                )
                _write_transcript(args, service, ex)
                return fail(
                    _("input ended before the conversation reached an ending (turn {n}).").format(
                        n=view.number
                    )
                    + saved_note
                )
            view = event.view
            if view.feedback:  # practice mode only: assessment keeps it for the debrief
                out("   " + _("Coach: {feedback}").format(feedback=view.feedback))
            if view.mood_before is not None and view.mood != view.mood_before:
                out(
                    "   "
                    + _("{customer} is {change}: mood {mood} out of 100, {word}.").format(
                        customer=plain(info.customer),
                        change=view.mood_change,
                        mood=view.mood,
                        word=mood_word(view.mood or 0),
                    )
                )
            _store_notice(out, view)
            out()
        ended = event if isinstance(event, Ended) else None
    except ExerciseProblem as exc:
        out.flush()
        return fail(f"{exc}")

    # The ending.
    if view.note:
        out(f"({view.note})")
    out(f"{plain(info.customer)}: {view.line}")
    out()
    out(_("The conversation is over: {outcome}.").format(outcome=_outcome(view.outcome)))
    out()
    score = ended.score if ended is not None else service.score(ex)
    if score is not None and score.problem is None:
        out(service.debrief(ex).body.rstrip())
    else:
        problem = score.problem if score else _("the attempt cannot be scored")
        out("(" + _("No debrief: {problem}.").format(problem=problem) + ")")
    _store_notice(out, service.view(ex))
    out()
    out(
        _("To replay this conversation with the same customer lines: {command}").format(
            command=f"countertalk play {args.scenario} --plain --seed {info.seed}"
        )
    )
    return _write_transcript(args, service, ex)


def _outcome(outcome: str | None) -> str:
    """An ending's outcome in the learner's words (the outcome ids are the format's)."""
    words = {
        "resolved": _("resolved"),
        "escalated": _("escalated"),
        "unresolved": _("unresolved"),
        "lost": _("lost"),
    }
    return words.get(outcome or "", outcome or "")


def _sentence(text: str) -> str:
    """Text ending in a full stop, so a screen reader pauses after it."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?" else text + "."


def _begin(
    out: _Out, service: ExerciseService, ex: Exercise, *, resume: bool
) -> tuple[Exercise, int]:
    """Start a new attempt, or continue the last unfinished one; (the exercise, turns replayed)."""
    if resume:
        if service.store is None:
            out("(" + _("Your saved attempts cannot be read; starting a new attempt.") + ")")
        else:
            saved = service.unfinished(ex)
            if saved is None:
                out(
                    "("
                    + _(
                        "No unfinished attempt at '{exercise}' for {learner}; starting a new one."
                    ).format(
                        exercise=service.info(ex).exercise_id, learner=service.info(ex).learner
                    )
                    + ")"
                )
            else:
                if saved.changed:
                    out(
                        "("
                        + _(
                            "The scenario file has changed since this attempt began; "
                            "replaying your choices as far as they still fit."
                        )
                        + ")"
                    )
                ex = service.resume(saved.attempt_id)
                kept = len(service.transcript(ex).turns)
                if kept < saved.turns:
                    out(
                        "("
                        + _(
                            "Your saved choice at turn {n} no longer fits the changed "
                            "scenario; continuing from turn {n}."
                        ).format(n=kept + 1)
                        + ")"
                    )
                return ex, kept
    service.begin(ex)
    return ex, 0


def _store_notice(out: _Out, view: TurnView) -> None:
    """A store that failed is said once; the learner carries on unsaved."""
    if view.store_problem:
        out(
            "("
            + _("{problem}. You can carry on; this attempt is not being saved.").format(
                problem=view.store_problem.rstrip(".")
            )
            + ")"
        )


def _write_transcript(args: argparse.Namespace, service: ExerciseService, ex: Exercise) -> int:
    if not args.transcript_out:
        return 0
    from simulator.exercise.service import ExerciseProblem

    try:
        service.write_transcript(ex, args.transcript_out)
    except ExerciseProblem as exc:
        return fail(str(exc))
    return 0


def _header(
    out: _Out,
    info: ExerciseInfo,
    view: TurnView,
    args: argparse.Namespace | None = None,
) -> None:
    # Sentences, no decoration: this is what a screen reader reads aloud (issue 30). The seed is
    # said once, at the end, where it is useful (to replay the conversation).
    mood = view.mood or 0
    out(f"{_sentence(plain(info.title))}")
    out(_("Your role: {role}").format(role=_sentence(plain(info.role))))
    persona = f" ({plain(info.persona)})" if info.persona else ""
    out(
        _("The customer is {customer}{persona}. Their mood is {mood} out of 100: {word}.").format(
            customer=plain(info.customer), persona=persona, mood=mood, word=mood_word(mood)
        )
    )
    out(
        (
            _("Learner {learner}, assessment mode.")
            if info.mode == "assess"
            else _("Learner {learner}, practice mode.")
        ).format(learner=info.learner)
    )
    if info.lang != "en":  # say which language the attempt is played in
        out(_("Played in {language}.").format(language=language_name(info.lang)))
    saved = _("; progress is saved") if view.saving else ""
    if getattr(args, "reply_mode", None) == "type":
        out(
            _(
                "Type what you would say and press Enter; a number picks an option, '?' shows "
                "them (Ctrl-D stops{saved})."
            ).format(saved=saved)
        )
    else:
        out(
            _("Type the number of what you say and press Enter (Ctrl-D stops{saved}).").format(
                saved=saved
            )
        )
    out()


def _show_state(out: _Out, view: TurnView) -> None:
    if view.note:
        out(f"({view.note})")
    out(f"{plain(view.customer)}: {view.line}")


def _ask(out: _Out, stdin: TextIO, n: int) -> int | None:
    while True:
        out.stream.write(_("Your choice (1-{n}): ").format(n=n))
        out.flush()
        line = stdin.readline()
        if not line:
            out()
            return None
        answer = line.strip()
        if not getattr(stdin, "isatty", lambda: False)():
            out(plain(answer)[:20])  # echo piped answers so the output reads as a transcript
        # ASCII digits only: '²'.isdigit() is true but int('²') fails, and int() refuses
        # numbers over 4,300 digits.
        if answer.isascii() and answer.isdigit() and len(answer) <= 9 and 1 <= int(answer) <= n:
            return int(answer)
        shown = plain(answer)[:20]
        out(
            _("'{shown}' is not one of the choices; enter a number from 1 to {n}.").format(
                shown=shown, n=n
            )
            if answer
            else _("Please enter a number from 1 to {n}.").format(n=n)
        )
