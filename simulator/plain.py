"""Plain-text play (§7 of the format): numbered choices, one number per line on standard input.

Used by scripts, tests, screen readers and anyone without a capable terminal. Every choice is
autosaved to the results store, so an interrupted session can be resumed with --resume.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from simulator.engine.mood import mood_change_word, mood_word
from simulator.engine.templating import plain
from simulator.errors import fail


class _Out:
    def __init__(self, stream):
        self.stream = stream

    def __call__(self, text: str = "") -> None:
        self.stream.write(text + "\n")

    def flush(self):
        self.stream.flush()


def play_plain(path: Path, args, stdin=None, stdout=None) -> int:
    from simulator.engine.loader import check_file
    from simulator.engine.session import Runtime, ScenarioRuntimeError, SessionError

    stdin = stdin or sys.stdin
    out = _Out(stdout or sys.stdout)
    result = check_file(path)
    if result.scenario is None:
        for d in result.errors:
            print(d, file=sys.stderr)
        return fail(
            f"{path} has {len(result.errors)} error(s); fix them (see above) and run "
            f"'countertalk lint {path}'"
        )
    scenario = result.scenario
    from simulator.commands.play import default_learner

    learner = plain(args.learner or default_learner()).strip() or "learner"
    mode = "assess" if args.assess else "practice"

    store = attempt_id = None
    prior: list[str] = []
    seed = args.seed
    if not args.no_save:
        from simulator.store import Store, StoreError

        try:
            store = Store()
            if args.resume:
                saved = store.latest_unfinished(learner=learner, scenario_id=scenario.id)
                if saved is None:
                    out(
                        f"(No unfinished attempt at '{scenario.id}' for {learner}; starting a new one.)"
                    )
                else:
                    attempt_id, prior, seed = saved.id, list(saved.choices), saved.seed
                    if saved.scenario_hash != scenario.content_hash:
                        out(
                            "(The scenario file has changed since this attempt began; "
                            "replaying your choices as far as they still fit.)"
                        )
        except StoreError as exc:
            return fail(f"{exc}\n(To play without saving, add --no-save.)")
    elif args.resume:
        return fail("--resume needs the results store; remove --no-save", 2)
    if seed is None:
        seed = random.randrange(1_000_000)

    runtime = Runtime(scenario)
    try:
        session = runtime.new_session(seed=seed, learner=learner)
        replayed = 0
        for cid in prior:
            try:
                session.choose_id(cid)
                replayed += 1
            except SessionError:
                out(
                    f"(Your saved choice at turn {replayed + 1} no longer fits the changed "
                    f"scenario; continuing from turn {replayed + 1}.)"
                )
                store.truncate_choices(attempt_id, replayed)
                break
        if store is not None and attempt_id is None:
            attempt_id = store.start_attempt(
                scenario_id=scenario.id,
                scenario_hash=scenario.content_hash,
                scenario_path=str(Path(path).resolve()),
                learner=learner,
                seed=seed,
                mode=mode,
            )
        _header(out, scenario, session, mode, seed, learner, args)
        if replayed:
            out(f"Resuming at turn {replayed + 1}. So far:")
            for i, t in enumerate(session.turns, 1):
                out(f"  {i}. {_name(scenario)}: {t['customer']}")
                out(f"     You: {t['text']}")
            out()
        typed = None
        if getattr(args, "reply_mode", None) == "type":
            from simulator.plain_typed import TypedPrompt

            typed = TypedPrompt(out, stdin, session, scenario, mode)
        while not session.ended:
            _show_state(out, scenario, session)
            if typed is not None:
                step = typed.ask()
                number = None if step is None else 0
            else:
                offered = session.offered()
                for o in offered:
                    out(f"  {o.number}. {o.text}")
                number = _ask(out, stdin, len(offered))
            if number is None:
                out.flush()
                saved_note = (
                    f" Your progress is saved: continue with 'countertalk play "
                    f"{args.scenario} --plain --resume"
                    f"{' --learner ' + learner if args.learner else ''}'."
                    if store
                    else ""
                )
                _write_transcript(args, session, None)
                return fail(
                    f"input ended before the conversation reached an ending "
                    f"(turn {session.turn + 1}, state '{session.state}').{saved_note}"
                )
            if typed is None:
                step = session.choose(number)
            if store is not None:
                store.record_choice(attempt_id, len(session.turns), step.turn["choice"], step.turn)
            if mode == "practice" and step.feedback:
                out(f"   Coach: {step.feedback}")
            if step.mood_after != step.mood_before:
                out(
                    f"   ({_name(scenario)} is {mood_change_word(step.mood_before, step.mood_after)}:"
                    f" mood {step.mood_after}/100, {mood_word(step.mood_after)})"
                )
            out()
    except ScenarioRuntimeError as exc:
        out.flush()
        return fail(f"{exc}" + (" Your progress so far is saved." if store else ""))

    # The ending.
    if session.note:
        out(f"({session.note})")
    out(f"{_name(scenario)}: {session.line}")
    out()
    out(f"--- The conversation is over: {session.outcome} ---")
    transcript = session.transcript()
    transcript["ending_line"] = session.line
    transcript["ending_debrief"] = session.debrief
    transcript["mode"] = mode
    score, debrief_text = _score(scenario, transcript)
    if score is not None:
        transcript["score"] = score
    out(debrief_text)
    if store is not None:
        store.finish_attempt(
            attempt_id,
            ending=session.ending,
            outcome=session.outcome,
            final_mood=session.mood,
            transcript=transcript,
            score=score,
        )
    return _write_transcript(args, session, transcript)


def _score(scenario, transcript):
    from scoring.debrief import render
    from scoring.scorer import score

    result = score(scenario, transcript)
    return result, render(scenario, transcript, result, fmt="text")


def _write_transcript(args, session, transcript) -> int:
    if not args.transcript_out:
        return 0
    if transcript is None:  # unfinished: keep what the learner did
        transcript = session.transcript()
    try:
        Path(args.transcript_out).write_text(
            json.dumps(transcript, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as exc:
        return fail(f"cannot write the transcript to {args.transcript_out}: {exc.strerror or exc}")
    return 0


def _name(scenario) -> str:
    return plain(scenario.customer.name)


def _header(out, scenario, session, mode, seed, learner, args=None):
    c = scenario.customer
    out(f"== {plain(scenario.title)} ==")
    out(f"You are: {plain(scenario.learner_role)}")
    persona = f" ({plain(c.persona)})" if c.persona else ""
    out(f"Customer: {_name(scenario)}{persona}; mood {session.mood}/100, {mood_word(session.mood)}")
    out(
        f"Learner: {learner} | {'assessment' if mode == 'assess' else 'practice'} mode | seed {seed}"
    )
    if getattr(args, "reply_mode", None) == "type":
        out(
            "Type what you would say and press Enter; a number picks an option, '?' shows them "
            "(Ctrl-D stops; progress is saved)."
        )
    else:
        out("Type the number of what you say and press Enter (Ctrl-D stops; progress is saved).")
    out()


def _show_state(out, scenario, session):
    if session.note:
        out(f"({session.note})")
    out(f"{_name(scenario)}: {session.line}")


def _ask(out, stdin, n: int) -> int | None:
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
