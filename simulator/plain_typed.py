"""Plain mode's typed replies (`play --plain --type`): free text in, the same confirm and
fallback steps as the app, as plain lines a screen reader or a script can follow.

    You say: so sorry about that, what happened?
       (Understood as 1: I'm sorry it's let you down. What happened?)
    You say: erm the thing
    Priya Shah: Sorry, I'm not sure what you mean.
       (Options, practice mode: 1. ... 2. ...)
    You say: receipt?
    Did you mean: "Have you got the receipt?" (Enter or y: yes; n: no)

Practice mode shows the numbered options after a line that was not understood; assessment
mode keeps them hidden until the learner types '?'.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.text import plain
from simulator.matching.clean import clean_typed
from simulator.matching.replies import ASK, NOT_UNDERSTOOD, PICK, ROUTED

SHOW_OPTIONS = ("?", "options", "help")
YES = ("", "y", "yes", "yeah", "yep", "ok")
NO = ("n", "no", "nope", "esc")


class TypedPrompt:
    def __init__(self, out: Any, stdin: Any, attempt: Any, scenario: Any) -> None:
        self.out = out
        self.stdin = stdin
        self.attempt = attempt  # simulator.attempt.Attempt: it takes, saves and finishes
        self.name = plain(scenario.customer.name)
        self._echo = not getattr(stdin, "isatty", lambda: False)()

    def _read(self, prompt: str) -> str | None:
        self.out.stream.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.out()
            return None
        if self._echo:  # piped answers: echo them (cleaned, as stored) like a transcript
            self.out(clean_typed(line))
        return str(line)

    def _options(self) -> None:
        self.attempt.typed.options_shown()  # the debrief names the turns they were shown
        for o in self.attempt.offered():
            self.out(f"  {o.number}. {o.text}")

    def ask(self) -> Any:
        """Read lines until one is taken; the session's Step, or None at end of input."""
        pending = None
        while True:
            line, pending = (
                (pending, None) if pending is not None else (self._read("You say: "), None)
            )
            if line is None:
                return None
            if line.strip().lower() in SHOW_OPTIONS:
                self._options()
                continue
            reply = self.attempt.understand(line)
            if reply.kind == PICK:  # taken like a typed reply, so the turn keeps its misses
                return self.attempt.choose_typed(reply)
            if reply.kind == ASK:
                step = self._confirm(reply)
                if isinstance(step, str):  # end of input, or a new line instead of y/n
                    if step == "\x04":
                        return None
                    pending = step
                    continue
                if step is not None:
                    return step
                continue
            if reply.kind == NOT_UNDERSTOOD:
                if not reply.text:
                    self.out("   (Type what you would say, a number, or '?' for the options.)")
                    continue
                self.out(f"{self.name}: {reply.reaction}")
                if reply.mistake == "rude":
                    how = reply.match.reason.removeprefix("reads as ") if reply.match else "rude"
                    self.out(
                        f"   (That came across as {how}: it cost {self.name}'s goodwill and is "
                        "noted as a mistake.)"
                    )
                if self.attempt.mode == "practice":
                    self.out("   (Not understood. You could say:)")
                    self._options()
                else:
                    self.out("   (Not understood. Try again, or type '?' to see the options.)")
                continue
            o = reply.option
            if reply.kind == ROUTED:
                how = reply.match.reason.removeprefix("reads as ") if reply.match else "rude"
                self.out(f"   (That came across as {how}.)")
            else:
                self.out(f"   (Understood as {o.number}: {o.text})")
            return self.attempt.choose_typed(reply)

    def _confirm(self, reply: Any) -> Any:
        """The taken Step; None after "no"; or a str: a new line typed instead, or EOF."""
        options = reply.suggestions
        if len(options) == 1:
            question = f'Did you mean: "{options[0].text}"? (Enter or y: yes; n: no) '
        else:
            listed = " or ".join(f'{i}) "{o.text}"' for i, o in enumerate(options, 1))
            question = f"Did you mean: {listed}? (Enter or 1: the first; 2: the second; n: no) "
        answer = self._read(question)
        if answer is None:
            return "\x04"  # end of input
        a = answer.strip().lower()
        if a in YES or a == "1":
            return self.attempt.choose_typed(reply, options[0], confirmed=True)
        if a == "2" and len(options) > 1:
            return self.attempt.choose_typed(reply, options[1], confirmed=True)
        if a in NO:
            self.attempt.typed.declined(reply)
            self.out("   (Then say it another way, or pick a number:)")
            self._options()
            return None
        # Neither yes nor no: they said something else instead; treat it as a new reply.
        self.attempt.typed.declined(reply)
        return answer


def ask_resume(out: Any, stdin: Any, attempt: Any) -> bool:
    """An unfinished attempt at this scenario exists: resume it, or start a new one? Asked as
    the picker asks, before typed play starts, so `play X --type` never silently abandons it.
    False (a new attempt) when there is none, at end of input, or on "n"."""
    saved = attempt.unfinished()
    if saved is None or not saved.choices:
        return False
    made = len(saved.choices)
    out(
        f"You have an unfinished attempt at this scenario: {made} choice"
        f"{'s' if made != 1 else ''} made. Resume from turn {made + 1}, or start a new attempt "
        "(the old one stays in your records)?"
    )
    while True:
        out.stream.write("Resume? (Enter or r: resume; n: new) ")
        out.flush()
        line = stdin.readline()
        if not line:
            out()
            return False
        answer = line.strip().lower()
        if not getattr(stdin, "isatty", lambda: False)():
            out(clean_typed(answer)[:20])
        if answer in ("", "r", "resume", "y", "yes"):
            return True
        if answer in ("n", "new", "no"):
            return False
        out("Please answer r (resume) or n (new attempt).")
