"""The play screen's typed replies: the reply box, matching off the UI thread, "Did you mean
…?", and switching between typing and picking. A part of :class:`.play.PlayScreen`, kept in its own module so the screen stays small; what a line *is* is decided in
:mod:`..play_flow` and :mod:`simulator.matching`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import Input

from simulator.engine.i18n import gettext as tr

from ..controller import PlayProblem
from ..messages import ReplyFailed, ReplyUnderstood
from ..widgets.choice_list import ChoiceList
from .play_base import PlayBase

if TYPE_CHECKING:
    from simulator.exercise.views import OptionView, SuggestionView


class PlayTyping(PlayBase):
    @on(Input.Submitted, "#reply")
    def _typed(self, event: Input.Submitted) -> None:
        line = event.value
        event.input.clear()
        can_answer = self.ready and self.play is not None and not self._active().ended
        what = self.flow.submitted(line, can_answer=can_answer)
        if what == "options":
            self._active().show_options()  # the debrief names these turns (fact 34)
            self.show_session()
        elif what == "match":
            event.input.border_subtitle = tr("understanding…")
            self._attach_store()  # a line faster than the store's thread is still saved
            self._understand(line)

    @work(thread=True, exclusive=True, group="understand")
    def _understand(self, line: str) -> None:
        """Send the line off the UI thread: the first may wait for the language model to load.
        Picking is held back meanwhile (check_action), so one answer is taken at a time."""
        from simulator.exercise.views import Say

        try:
            event = self._active().answer(Say(line))
        except PlayProblem as exc:
            self.post_message(ReplyFailed(exc))
            return
        self.post_message(ReplyUnderstood(event))

    def _line_handled(self) -> None:
        self.flow.handled()
        box = self._reply_box()
        if box is not None:
            box.border_subtitle = ""

    def on_reply_failed(self, message: ReplyFailed) -> None:
        self._line_handled()
        self.runtime_failed(message.problem)

    def on_reply_understood(self, message: ReplyUnderstood) -> None:
        from simulator.exercise.views import NeedsConfirm, NotUnderstood

        event = message.event
        self._line_handled()
        if isinstance(event, NeedsConfirm):
            suggestion = event.view.suggestion
            assert suggestion is not None  # NeedsConfirm always carries one
            from .did_you_mean import DidYouMean

            self.app.push_screen(
                DidYouMean(suggestion.said, suggestion.options),
                lambda option, suggestion=suggestion: self._confirmed(suggestion, option),
            )
        elif isinstance(event, NotUnderstood):
            if event.said and not self._active().assess:
                self.flow.options_shown = True  # practice: show what they could have said
            elif event.said:
                self.notify(
                    "Not understood. Try saying it another way, or type ? to see the options.",
                    markup=False,
                )
            self.show_session()
        else:  # taken: a number, confidently understood, or a rude line the scenario routes
            self.answered(event.view)

    def _confirmed(self, suggestion: SuggestionView, option: OptionView | None) -> None:
        from simulator.exercise.views import Confirm

        if option is None:  # "no": nothing is taken; show the numbered options
            try:
                self._active().answer(Confirm(None, said=suggestion.said))
            except PlayProblem as exc:
                self.runtime_failed(exc)
                return
            self.flow.options_shown = True
            self.show_session()
            return
        self._take(Confirm(option.number, said=suggestion.said))

    def action_options_cursor(self, step: int) -> None:
        """↑/↓ while the reply box has the keys: move through the options on show, so a list
        scrolled for want of room (80x24 with the box under it) can still be read to the end
        from the keyboard. (With the list focused, its own ↑/↓ do this first.)"""
        choices = self.query_one(ChoiceList)
        if not choices.display or not choices.option_count:
            return
        if step < 0:
            choices.action_cursor_up()
        else:
            choices.action_cursor_down()

    def action_toggle_typing(self) -> None:
        if not self.check_action("toggle_typing", ()):
            return
        self.flow.typing = not self.flow.typing
        self.flow.options_shown = False
        from ..settings import save_reply_mode

        mode = "type" if self.typing else "pick"
        self.app.options.reply_mode = mode
        saved = save_reply_mode(mode, self.app.options.store_path)
        self.notify(
            (
                "Type your replies; a number still picks."
                if self.typing
                else "Pick numbered replies."
            )
            + ("" if saved else " (Could not remember this for next time.)"),
            markup=False,
        )
        self.show_session()
        if self.typing:
            self._warm_up()
