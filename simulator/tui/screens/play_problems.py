"""The play screen's problems: a scenario that cannot be played, a template that fails while
playing, a saved choice that no longer fits, a store that stopped saving, and what is written
at the end (--transcript-out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..controller import PlayProblem
from ..widgets.chat import ChatView
from .play_base import PlayBase

if TYPE_CHECKING:
    from simulator.exercise.views import Replayed


class PlayProblems(PlayBase):
    def load_failed(self, exc: PlayProblem) -> None:
        if self.app.options.watch:
            self._diagnostics().show_problem(str(exc), exc.diagnostics)
            self.watcher.remember()
            self.start_watching()
            return
        from .dialogs import ProblemScreen

        self.app.push_screen(
            ProblemScreen(
                "This scenario cannot be played",
                str(exc),
                exc.diagnostics,
                close_label="Back" if self.from_picker else "Quit",
            ),
            self._after_problem,
        )

    def _after_problem(self, answer: str | None) -> None:
        if answer == "quit" or not self.from_picker:
            self.app.exit(1, return_code=1)
        else:
            self.app.pop_screen()

    def runtime_failed(self, exc: PlayProblem) -> None:
        from .dialogs import ProblemScreen

        self.app.push_screen(
            ProblemScreen(
                "A template in the scenario failed",
                str(exc),
                ["Your progress so far is saved; fix the scenario and resume with --resume."]
                if self.play and self._active().attempt_id
                else [],
                close_label="Back" if self.from_picker else "Quit",
            ),
            self._after_problem,
        )

    def ask_misfit(self, report: Replayed) -> None:
        from .dialogs import MisfitDialog

        def answered(answer: str | None) -> None:
            try:
                if answer != "keep":  # kept already: what fits is where the attempt stands
                    self._active().restart()
            except PlayProblem as exc:
                self.runtime_failed(exc)
                return
            self.query_one("#chat", ChatView).clear()
            self.show_session()

        self.app.push_screen(
            MisfitDialog(report.misfit or "a saved choice no longer fits", report.kept), answered
        )

    def _report_store(self) -> None:
        problem = self._active().take_store_problem()
        if problem:
            self.app.store_failed_message(problem)

    def finished(self) -> None:
        """At an ending: write --transcript-out once, and report any saving problem."""
        self._report_store()
        play = self._active()
        out = self.app.options.transcript_out
        if out and play.ended and self.transcript_written is None:
            try:
                self.transcript_written = play.service.write_transcript(play.ex, out)
                self.notify(f"Transcript written to {self.transcript_written}", markup=False)
            except PlayProblem as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=15)
        score = play.score() if play.ended else None
        if score is not None and score.problem:
            self.notify(score.problem, severity="warning", markup=False, timeout=15)
