"""The play screen's live preview (--watch): the file watched on a timer (:mod:`..watch`), a
save posted as a FileChanged message, the reload done by :func:`..play_flow.reload` and drawn
here; and the command that resumes an attempt."""

from __future__ import annotations

from .. import play_flow
from ..messages import FileChanged
from ..widgets.chat import ChatView
from .play_base import PlayBase


class PlayWatch(PlayBase):
    def start_watching(self) -> None:
        """--watch: look at the file's time on a timer (see ..watch)."""
        if self.app.options.watch and self._watch_timer is None:
            self._watch_timer = self.set_interval(
                self.app.watch_interval, self.check_file, name="watch"
            )

    def check_file(self) -> None:
        if self.watcher.changed():
            self.post_message(FileChanged())

    def on_file_changed(self, _message: FileChanged) -> None:
        self.reload_scenario()

    def reload_scenario(self) -> None:
        panel = self._diagnostics()
        if self.play is None:
            # Never loaded: try a full start.
            self.play = None
            panel.clear_problem()
            self.ready = False
            self.start()
            return
        reloaded = play_flow.reload(self._active())
        if reloaded.problem is not None:
            panel.show_problem(str(reloaded.problem), reloaded.problem.diagnostics)
            self.notify(reloaded.message, severity="error", markup=False)
            return
        panel.clear_problem()
        self._last_change = ""  # a mood change word belongs to a choice, not to a reload
        self._show_scenario()
        self.query_one("#chat", ChatView).clear()
        self.show_session()
        self.notify(reloaded.message, severity=reloaded.severity, markup=False)  # type: ignore[arg-type]

    def resume_command(self) -> str:
        """The command that picks this attempt up again, as the learner would type it."""
        info = self._active().info if self.play is not None else None
        return play_flow.resume_command(
            self.path,
            info.exercise_id if info is not None else None,
            assess=self.app.options.assess,
            learner=self.app.learner,
        )
