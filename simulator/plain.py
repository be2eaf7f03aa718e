"""Plain-text play (§7 of the format): numbered choices, one number per line on standard input.

Used by scripts, tests, screen readers and anyone without a capable terminal. A thin front end
over :class:`simulator.attempt.Attempt`: every choice is autosaved to the results store (a store
that fails is said once and play goes on unsaved), so an interrupted session can be resumed with
--resume.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from simulator.engine.mood import mood_change_word, mood_word
from simulator.engine.templating import plain
from simulator.errors import fail

if TYPE_CHECKING:
    from simulator.attempt import Attempt
    from simulator.engine.model import Scenario
    from simulator.engine.session import Session


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
    """Play one attempt as text; every rule of the attempt lives in :mod:`simulator.attempt`."""
    from simulator.attempt import Attempt, AttemptProblem, default_learner, open_store

    stdin = stdin or sys.stdin
    out = _Out(stdout or sys.stdout)
    learner = plain(args.learner or default_learner()).strip() or "learner"
    if args.resume and args.no_save:
        return fail("--resume needs the results store; remove --no-save", 2)
    attempt = Attempt(
        path, learner=learner, mode="assess" if args.assess else "practice", seed=args.seed
    )
    try:
        attempt.load()
    except AttemptProblem as exc:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
        return fail(
            f"{path} has {len(exc.diagnostics)} error(s); fix them (see above) and run "
            f"'countertalk lint {path}'"
        )
    scenario = attempt._scenario()  # loaded just above
    from simulator.matching.recall import plays_typed

    typing = plays_typed(
        scenario, assess=bool(args.assess), reply_mode=getattr(args, "reply_mode", None)
    )
    args.reply_mode = "type" if typing else "pick"  # assessment by recall (brief fact 34)
    if not args.no_save:
        attempt.store, problem = open_store()
        if problem:
            out(
                f"(Not saved: {problem.rstrip('.')}. "
                f"You can still play; this attempt is not being saved.)"
            )

    try:
        resume = args.resume
        if args.reply_mode == "type" and not resume and not args.no_save:
            from simulator.plain_typed import ask_resume

            resume = ask_resume(out, stdin, attempt)  # like the picker: Resume / New
        replayed = _begin(out, attempt, resume=resume)
        _header(out, scenario, attempt, learner, args)
        if replayed:
            out(f"Resuming at turn {replayed + 1}. So far:")
            for i, t in enumerate(attempt._session().turns, 1):
                out(f"  {i}. {_name(scenario)}: {t['customer']}")
                out(f"     You: {t['text']}")
            out()
        typed = None
        if getattr(args, "reply_mode", None) == "type":
            from simulator.plain_typed import TypedPrompt

            typed = TypedPrompt(out, stdin, attempt, scenario)
        while not attempt.ended:
            session = attempt._session()  # started by _begin
            _show_state(out, scenario, session)
            if typed is not None:
                step = typed.ask()
                number = None if step is None else 0
            else:
                offered = attempt.offered()
                for o in offered:
                    out(f"  {o.number}. {o.text}")
                number = _ask(out, stdin, len(offered))
            if number is None:
                out.flush()
                saved_note = (
                    f" Your progress is saved: continue with 'countertalk play "
                    f"{args.scenario} --plain --resume"
                    f"{' --learner ' + learner if args.learner else ''}'."
                    if attempt.saving
                    else ""
                )
                _write_transcript(args, attempt)
                return fail(
                    f"input ended before the conversation reached an ending "
                    f"(turn {session.turn + 1}, state '{session.state}').{saved_note}"
                )
            if typed is None:
                step = attempt.choose(number)
            if attempt.mode == "practice" and step.feedback:
                out(f"   Coach: {step.feedback}")
            if step.mood_after != step.mood_before:
                out(
                    f"   ({_name(scenario)} is {mood_change_word(step.mood_before, step.mood_after)}:"
                    f" mood {step.mood_after}/100, {mood_word(step.mood_after)})"
                )
            _store_notice(out, attempt)
            out()
    except AttemptProblem as exc:
        out.flush()
        return fail(f"{exc}")

    # The ending.
    session = attempt._session()
    if session.note:
        out(f"({session.note})")
    out(f"{_name(scenario)}: {session.line}")
    out()
    out(f"--- The conversation is over: {session.outcome} ---")
    result = attempt.result
    assert result is not None  # set when the conversation ends
    if result["score"] is not None:
        from scoring.debrief import render

        out(render(scenario, result["transcript"], result["score"], fmt="text"))
    else:
        out(f"(No debrief: {result['score_problem']}.)")
    _store_notice(out, attempt)
    return _write_transcript(args, attempt)


def _begin(out: _Out, attempt: Attempt, *, resume: bool) -> int:
    """Start a new attempt, or continue the last unfinished one; returns the turns replayed."""
    if resume:
        if attempt.store is None:
            out("(Your saved attempts cannot be read; starting a new attempt.)")
        else:
            saved = attempt.unfinished()
            if saved is None:
                out(
                    f"(No unfinished attempt at '{attempt._scenario().id}' for {attempt.learner}; "
                    f"starting a new one.)"
                )
            else:
                if saved.scenario_hash != attempt._scenario().content_hash:
                    out(
                        "(The scenario file has changed since this attempt began; "
                        "replaying your choices as far as they still fit.)"
                    )
                report = attempt.resume(saved)
                if not report.complete:
                    out(
                        f"(Your saved choice at turn {report.kept + 1} no longer fits the changed "
                        f"scenario; continuing from turn {report.kept + 1}.)"
                    )
                    attempt.keep_what_fits(report)
                return report.kept
    attempt.start()
    return 0


def _store_notice(out: _Out, attempt: Attempt) -> None:
    """A store that failed is said once; the learner carries on unsaved."""
    if attempt.store_problem:
        out(
            f"({attempt.store_problem.rstrip('.')}. "
            f"You can carry on; this attempt is not being saved.)"
        )
        attempt.store_problem = None


def _write_transcript(args: argparse.Namespace, attempt: Attempt) -> int:
    if not args.transcript_out:
        return 0
    from simulator.attempt import AttemptProblem

    try:
        attempt.write_transcript(args.transcript_out, unfinished=True)
    except AttemptProblem as exc:
        return fail(str(exc))
    return 0


def _name(scenario: Scenario) -> str:
    return plain(scenario.customer.name)


def _header(
    out: _Out,
    scenario: Scenario,
    attempt: Attempt,
    learner: str,
    args: argparse.Namespace | None = None,
) -> None:
    c = scenario.customer
    mood, mode = attempt._session().mood, attempt.mode
    out(f"== {plain(scenario.title)} ==")
    out(f"You are: {plain(scenario.learner_role)}")
    persona = f" ({plain(c.persona)})" if c.persona else ""
    out(f"Customer: {_name(scenario)}{persona}; mood {mood}/100, {mood_word(mood)}")
    out(
        f"Learner: {learner} | {'assessment' if mode == 'assess' else 'practice'} mode"
        f" | seed {attempt.seed}"
    )
    saved = "; progress is saved" if attempt.saving else ""
    if getattr(args, "reply_mode", None) == "type":
        out(
            "Type what you would say and press Enter; a number picks an option, '?' shows them "
            f"(Ctrl-D stops{saved})."
        )
    else:
        out(f"Type the number of what you say and press Enter (Ctrl-D stops{saved}).")
    out()


def _show_state(out: _Out, scenario: Scenario, session: Session) -> None:
    if session.note:
        out(f"({session.note})")
    out(f"{_name(scenario)}: {session.line}")


def _ask(out: _Out, stdin: TextIO, n: int) -> int | None:
    while True:
        out.stream.write(f"Your choice (1-{n}): ")
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
        shown = plain(answer)[:20] or "an empty line"
        out(
            f"'{shown}' is not one of the choices; enter a number from 1 to {n}."
            if answer
            else f"Please enter a number from 1 to {n}."
        )
