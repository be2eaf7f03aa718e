"""The CounterTalk app: a picker, a play screen and a debrief, over one results store.

`countertalk play X` opens straight on the play screen, its first frame the playable one when
the scenario loads quickly (cached: a few ms), else its title over "Loading the scenario…"; the
first-playable figure is measured by benchmarks/bench_tui.py (docs/architecture.md says how).

`AppOptions` carries what the command line said; screens read it from `app.options`. The store
is opened once, on first need (after the first frame); a store that cannot be used is reported
once, and the learner plays on unsaved.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from .commands import CounterTalkCommands
from .crash import ReportsCrashes
from .themes import THEMES

if TYPE_CHECKING:
    from simulator.activities.model import Activity
    from simulator.exercise.service import ExerciseService
    from simulator.store import AttemptRecord, Store

    from .commands import PaletteCommand


@dataclass
class AppOptions:
    learner: str
    pack: Path | None  # None: the shipped pack (see CounterTalkApp.pack_dir)
    path: Path | None = None  # open this scenario directly (countertalk play)
    theme: str | None = None
    seed: int | None = None
    assess: bool = False
    resume: bool = False
    transcript_out: str | None = None
    no_save: bool = False
    watch: bool = False
    store_path: Path | None = None  # tests: a store elsewhere than $COUNTERTALK_HOME
    reply_mode: str | None = None  # "type" | "pick"; None: the remembered setting (else pick)
    activity: Activity | None = None  # open this knowledge check directly (play ACTIVITY)
    classroom: bool = False  # the activity is played by a class, by vote


class CounterTalkApp(ReportsCrashes[int]):
    CSS_PATH = "app.tcss"
    TITLE = "CounterTalk"
    COMMANDS = App.COMMANDS | {CounterTalkCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f2", "toggle_contrast", "Contrast", id="app.contrast", show=False),
    ]
    watch_interval = 0.5

    def __init__(self, options: AppOptions) -> None:
        super().__init__()
        self.options = options
        self.learner = options.learner
        self._service: ExerciseService | None = None
        self._store_opened = False
        self._store_lock = threading.Lock()  # a thread and the UI may both ask
        self._store_said = False  # a store that cannot be used is said once
        self.store_problem: str | None = None
        if options.path is not None:
            from . import preload

            preload.start(options.path)
        for theme in THEMES:
            self.register_theme(theme)
        if options.theme:
            self.theme = options.theme

    def crash_store_path(self) -> Path | None:
        return self.options.store_path

    def get_default_screen(self) -> Screen[Any]:
        """`countertalk play FILE` opens straight onto the play screen (Textual's documented way
        to start on a screen of one's own): no blank default screen under it to build, lay out
        and draw before the first playable frame."""
        if self.options.path is not None and self.options.activity is None:
            from .screens.play import PlayScreen

            screen = PlayScreen(self.options.path)
            screen.start()  # load the scenario in its thread while the screen is being built
            return screen
        return super().get_default_screen()

    resume_gc_after_first_frame = False  # set by the launcher, which paused the collector

    def on_mount(self) -> None:
        from .served import watch_server

        if self.resume_gc_after_first_frame:
            import gc

            self.call_after_refresh(gc.enable)  # paused by launch.py until this first frame
        watch_server(self)
        if self.options.path is not None and self.options.activity is None:
            return  # the play screen is the default screen (above)
        if self.options.path is not None:
            self._open_play(self.options.path)
        else:
            from .screens.picker import PickerScreen

            self.push_screen(PickerScreen())

    def _open_play(self, path: Path) -> None:
        if self.options.activity is not None:
            from .screens.activity import ActivityScreen

            self.push_screen(
                ActivityScreen(
                    self.options.activity,
                    classroom=self.options.classroom,
                    seed=self.options.seed,
                )
            )
            return
        from .screens.play import PlayScreen

        screen = PlayScreen(path)
        screen.start()  # load the scenario in its thread while the screen is being built
        self.push_screen(screen)

    @property
    def pack_dir(self) -> Path:
        """The scenario folder the picker shows: --pack, else the shipped pack."""
        if self.options.pack is None:
            from simulator.engine.loader import shipped_pack

            self.options.pack = shipped_pack()
        return self.options.pack

    # -- the exercise service and its results store ---------------------------------------------
    @property
    def exercises(self) -> ExerciseService:
        """The one exercise service every screen plays through (made on first use; it opens
        the store only when asked, after the first frame)."""
        if self._service is None:
            with self._store_lock:
                if self._service is None:
                    from simulator.exercise.service import ExerciseService

                    self._service = ExerciseService(
                        location=self.options.store_path,
                        save=not self.options.no_save,
                        pack=self.options.pack,
                    )
        return self._service

    def get_store(self) -> Store | None:
        """The results store, for reading (the picker, the progress map), or None (--no-save,
        or it cannot be used: said once). Only the exercise service writes to it."""
        self.prepare_store()
        problem = self.exercises.store_problem
        if problem and not self._store_said:
            self._store_said = True
            self.store_failed_message(problem.removeprefix("Not saved: "))
        return self.exercises.store

    def prepare_store(self) -> None:
        """Open the store without touching the UI (safe in the loading thread)."""
        if self.options.no_save or self._store_opened:
            return
        service = self.exercises
        with self._store_lock:
            if self._store_opened:
                return
            _ = service.store  # opens it (a store that cannot be used is said by get_store)
            self._store_opened = True

    def store_failed(self, exc: Exception) -> None:
        """Reading the store failed (the picker): said; play goes on, unsaved if need be."""
        self.store_failed_message(f"{exc}")

    def store_failed_message(self, message: str) -> None:
        self.store_problem = message
        self.notify(
            f"{message}\nYou can still play; this attempt is not being saved.",
            title="Your results cannot be saved",
            severity="error",
            timeout=20,
            markup=False,
        )

    # -- quitting -------------------------------------------------------------------------------
    resume_hint: str | None = None  # printed by the launcher after the app has closed

    async def action_quit(self) -> None:
        """Quit at once, unless a conversation is under way: then confirm, and say how to resume."""
        from .screens.dialogs import QuitDialog
        from .screens.play import PlayScreen

        screen = self.screen
        if isinstance(screen, QuitDialog):
            self.exit()
            return
        play = screen.play if isinstance(screen, PlayScreen) and screen.ready else None
        if play is None or play.ended or not play.turns or not isinstance(screen, PlayScreen):
            self.exit()
            return
        hint = screen.resume_command() if play.attempt_id else None

        def answered(answer: str | None) -> None:
            if answer == "quit":
                self.resume_hint = hint
                self.exit()

        self.push_screen(QuitDialog(play.turns, hint), answered)

    # -- navigation -----------------------------------------------------------------------------
    def open_scenario(
        self,
        path: Path,
        *,
        resume_attempt: AttemptRecord | None = None,
        abandon_attempt: AttemptRecord | None = None,
    ) -> None:
        from .screens.play import PlayScreen

        self.push_screen(
            PlayScreen(
                path,
                resume_attempt=resume_attempt,
                abandon_attempt=abandon_attempt,
                from_picker=True,
            )
        )

    def open_activity(self, path: Path) -> None:
        from simulator.activities.lint import check_file

        from .screens.activity import ActivityScreen

        result = check_file(path)
        if result.activity is None:
            first = next(iter(result.errors), None)
            self.notify(
                f"{first}" if first else f"{path} cannot be opened",
                title="This activity has errors",
                severity="error",
                markup=False,
            )
            return
        self.push_screen(ActivityScreen(result.activity, seed=self.options.seed))

    def open_entry(self, path: Path, kind: str) -> None:
        """A picker or progress-map entry: a conversation or an activity."""
        if kind == "conversation":
            self.open_scenario(path)
        else:
            self.open_activity(path)

    def open_progress(self) -> None:
        from .screens.progress import ProgressScreen

        self.push_screen(ProgressScreen())

    def action_toggle_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == "high-contrast" else "high-contrast"

    def app_commands(self) -> Iterator[PaletteCommand]:
        yield (
            "High-contrast theme (on/off)",
            "Black and white with bright accents (F2)",
            self.action_toggle_contrast,
        )
        yield ("Quit CounterTalk", "Your progress is saved after every choice", self.exit)

    def on_unmount(self) -> None:
        if self._service is not None:
            self._service.close()
