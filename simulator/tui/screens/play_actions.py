"""The play screen's actions around a conversation: pick an option with the mouse, open the
debrief, replay or retry from it, start again, go back; and the command palette's entries."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from textual import on
from textual.widgets import Button, OptionList

from ..controller import Play, PlayProblem
from ..widgets.chat import ChatView
from .play_base import PlayBase

if TYPE_CHECKING:
    from ..commands import PaletteCommand


class PlayActions(PlayBase):
    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # every option has an id: n<number>
            self.action_choose(int(event.option.id[1:]))

    @on(Button.Pressed, "#to-debrief")
    def _to_debrief(self) -> None:
        self.action_debrief()

    def action_debrief(self) -> None:
        if not self.check_action("debrief", ()):
            return
        from .debrief import DebriefScreen

        self.app.push_screen(
            DebriefScreen(self._active(), from_picker=self.from_picker), self._after_debrief
        )

    def _after_debrief(self, answer: str | None) -> None:
        if not answer:
            return
        if answer == "picker":
            self.app.pop_screen()
            return
        if answer == "replay":
            self._again(lambda play: play.restart(self.app.options.seed))
        elif answer.startswith("retry:"):
            self._again(lambda play: play.retry_from(int(answer.split(":")[1])))

    def action_restart(self) -> None:
        if not self.check_action("restart", ()):
            return
        seed = self.app.options.seed
        # An unfinished attempt is kept in the records, marked abandoned.
        if self._again(lambda p: p.restart(seed)):
            self.notify("Started again from the beginning.", markup=False)

    def _again(self, how: Callable[[Play], object]) -> bool:
        """Replay, retry or restart: a new attempt, and the conversation drawn afresh."""
        self._attach_store()
        try:
            how(self._active())
        except PlayProblem as exc:
            self.runtime_failed(exc)
            return False
        self._last_change = ""
        self.flow.options_shown = False
        self.transcript_written = None
        self.query_one("#chat", ChatView).clear()
        self._report_store()
        self.show_session()
        return True

    def action_back(self) -> None:
        if self.from_picker:
            self.app.pop_screen()

    def palette_commands(self) -> Iterator[PaletteCommand]:
        for o in self.offered:
            text = o.text if len(o.text) <= 60 else o.text[:59].rsplit(" ", 1)[0] + "…"
            yield (
                f"Say {o.number}: {text}",
                "Make this choice",
                functools.partial(self.action_choose, o.number),
            )
        if self.check_action("toggle_typing", ()):
            yield (
                "Pick numbered replies" if self.typing else "Type replies",
                "Switch how you reply (ctrl+t); remembered for next time",
                self.action_toggle_typing,
            )
        if self.check_action("debrief", ()):
            yield ("Show the debrief", "Your grade and what to practise", self.action_debrief)
        if self.check_action("restart", ()):
            yield ("Start again", "A new attempt from the beginning", self.action_restart)
        if self.from_picker:
            yield ("Back to scenarios", "Return to the scenario picker", self.action_back)
