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
mode keeps them hidden until the learner types '?'. What a line means is the exercise
service's business (:mod:`simulator.exercise`); this only reads lines and prints events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.engine.i18n import gettext as _
from simulator.engine.text import plain
from simulator.exercise.views import Confirm, NeedsConfirm, NotUnderstood, Say
from simulator.matching.clean import clean_typed

if TYPE_CHECKING:
    from simulator.exercise.kinds import Exercise
    from simulator.exercise.service import ExerciseService
    from simulator.exercise.views import Event, SuggestionView

SHOW_OPTIONS = ("?", "options", "help")
# English and Welsh answers to "Did you mean …?" (ie / iawn / do: yes; na / naddo: no).
YES = ("", "y", "yes", "yeah", "yep", "ok", "ie", "iawn", "do")
NO = ("n", "no", "nope", "esc", "na", "naddo")
EOF_MARK = "\x04"


class TypedPrompt:
    def __init__(self, out: Any, stdin: Any, service: ExerciseService, ex: Exercise) -> None:
        self.out = out
        self.stdin = stdin
        self.service, self.ex = service, ex  # the service takes, saves and finishes
        info = service.info(ex)
        self.name = plain(info.customer)
        self.practice = info.mode == "practice"
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
        self.service.show_options(self.ex)  # the debrief names the turns they were shown
        for o in self.service.view(self.ex).options:
            self.out(f"  {o.number}. {o.text}")

    def ask(self) -> Event | None:
        """Read lines until one is taken; the event it led to, or None at end of input."""
        pending = None
        while True:
            line, pending = (
                (pending, None) if pending is not None else (self._read(_("You say: ")), None)
            )
            if line is None:
                return None
            if line.strip().lower() in SHOW_OPTIONS:
                self._options()
                continue
            event = self.service.answer(self.ex, Say(line))
            if isinstance(event, NeedsConfirm):
                assert event.view.suggestion is not None  # NeedsConfirm always carries one
                step = self._confirm(event.view.suggestion)
                if isinstance(step, str):  # end of input, or a new line instead of y/n
                    if step == EOF_MARK:
                        return None
                    pending = step
                    continue
                if step is not None:
                    return step
                continue
            if isinstance(event, NotUnderstood):
                if not event.said:
                    self.out(
                        "   ("
                        + _("Type what you would say, a number, or '?' for the options.")
                        + ")"
                    )
                    continue
                self.out(f"{self.name}: {event.view.reaction}")
                if event.came_across:
                    self.out(
                        "   ("
                        + _(
                            "That came across as {how}: it cost {name}'s goodwill and is noted "
                            "as a mistake."
                        ).format(how=_(event.came_across or ""), name=self.name)
                        + ")"
                    )
                if self.practice:
                    self.out("   (" + _("Not understood. You could say:") + ")")
                    self._options()
                else:
                    self.out(
                        "   ("
                        + _("Not understood. Try again, or type '?' to see the options.")
                        + ")"
                    )
                continue
            last = event.view.last
            if last is not None and last.via == "rude":
                self.out(
                    "   ("
                    + _("That came across as {how}.").format(how=_(last.came_across or ""))
                    + ")"
                )
            elif last is not None and last.via == "match":
                self.out(
                    "   ("
                    + _("Understood as {number}: {text}").format(number=last.number, text=last.text)
                    + ")"
                )
            return event

    def _confirm(self, suggestion: SuggestionView) -> Event | str | None:
        """The event the confirmed option led to; None after "no"; or a str: a new line typed
        instead, or EOF_MARK at end of input."""
        options = suggestion.options
        if len(options) == 1:
            question = _('Did you mean: "{text}"? (Enter or y: yes; n: no) ').format(
                text=options[0].text
            )
        else:
            listed = _(" or ").join(f'{i}) "{o.text}"' for i, o in enumerate(options, 1))
            question = _(
                "Did you mean: {listed}? (Enter or 1: the first; 2: the second; n: no) "
            ).format(listed=listed)
        answer = self._read(question)
        if answer is None:
            return EOF_MARK  # end of input
        a = answer.strip().lower()
        if a in YES or a == "1":
            return self.service.answer(self.ex, Confirm(options[0].number))
        if a == "2" and len(options) > 1:
            return self.service.answer(self.ex, Confirm(options[1].number))
        if a in NO:
            self.service.answer(self.ex, Confirm(None))
            self.out("   (" + _("Then say it another way, or pick a number:") + ")")
            self._options()
            return None
        # Neither yes nor no: they said something else instead; treat it as a new reply.
        self.service.answer(self.ex, Confirm(None))
        return answer


def ask_resume(out: Any, stdin: Any, service: ExerciseService, ex: Exercise) -> bool:
    """An unfinished attempt at this scenario exists: resume it, or start a new one? Asked as
    the picker asks, before typed play starts, so `play X --type` never silently abandons it.
    False (a new attempt) when there is none, at end of input, or on "n"."""
    saved = service.unfinished(ex)
    if saved is None or not saved.turns:
        return False
    made = saved.turns
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
