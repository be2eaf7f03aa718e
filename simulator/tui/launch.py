"""Entry points the CLI calls: `run_play(args, path)` and `run_picker(args)`.

This module is imported only when the app is wanted; Textual is imported inside the functions.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.activities.model import Activity

    from .app import CounterTalkApp


def _learner(args: argparse.Namespace) -> str:
    from simulator.attempt import default_learner

    name = getattr(args, "learner", None)
    return name.strip() if name and name.strip() else default_learner()


def _pack(args: argparse.Namespace) -> Path | None:
    """--pack, or None: the shipped pack, looked up by the app when the picker needs it (finding
    it imports the loader, which would otherwise delay the first frame of `countertalk play`)."""
    if getattr(args, "pack", None):
        return Path(args.pack)
    return None


def _check_theme(name: str | None) -> str | None:
    """An unknown theme is a usage error, said before the screen changes."""
    if not name:
        return None
    from .themes import theme_names

    known = theme_names()
    if name in known:
        return None
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown theme '{name}'{hint}; choose one of: {', '.join(known)}"


def build_app(args: argparse.Namespace, path: Path | None) -> CounterTalkApp:
    from .app import AppOptions, CounterTalkApp

    opts = AppOptions(
        learner=_learner(args),
        pack=_pack(args),
        path=path,
        theme=getattr(args, "theme", None),
        seed=getattr(args, "seed", None),
        assess=bool(getattr(args, "assess", False)),
        resume=bool(getattr(args, "resume", False)),
        transcript_out=getattr(args, "transcript_out", None),
        no_save=bool(getattr(args, "no_save", False)),
        watch=bool(getattr(args, "watch", False)),
        reply_mode=getattr(args, "reply_mode", None),
    )
    return CounterTalkApp(opts)


def _built_without_gc_pauses(args: argparse.Namespace, path: Path | None) -> CounterTalkApp:
    """Start checking the scenario and build the app (importing Textual) with the garbage
    collector paused, then freeze what the imports made: modules, classes and styles that live
    as long as the process. Otherwise the collector walks those tens of thousands of objects
    again and again on the way to the first playable frame (~5 ms during the imports and ~17 ms
    of CPU after them, measured). The app turns the collector back on after its first frame."""
    import gc

    gc.disable()
    try:
        if path is not None:  # check the scenario while Textual loads (see preload.py)
            from . import preload

            preload.start(path, elsewhere=True)
        app = build_app(args, path)
    except BaseException:
        gc.enable()
        raise
    gc.freeze()  # what exists now is never collected, and no longer traversed
    # Still paused while Textual starts and draws the first frame: the app resumes the collector
    # once that frame is on the screen (CounterTalkApp.on_mount). Starting, mounting the screen and
    # drawing made ~50 young collections and 4 of the middle generation (~10-15 ms, counted with
    # gc.callbacks up to the first playable frame of `play kettle.yaml`).
    app.resume_gc_after_first_frame = True
    return app


def _cannot_start(args: argparse.Namespace, what: str) -> int | None:
    """The exit code after saying why the app can't start (an unknown theme, no terminal),
    or None when it can."""
    from simulator.errors import fail

    problem = _check_theme(getattr(args, "theme", None))
    if problem:
        return fail(problem, 2)
    if "TEXTUAL_DRIVER" not in os.environ and not (sys.stdout.isatty() and sys.stdin.isatty()):
        return fail(
            f"the app needs a terminal; use 'countertalk play {what} --plain' for scripts and "
            "pipes",
            2,
        )
    return None


def _run(args: argparse.Namespace, path: Path | None) -> int:
    refused = _cannot_start(args, "FILE")
    if refused is not None:
        return refused
    app = _built_without_gc_pauses(args, path)
    code = app.run()
    if app.resume_hint:
        from simulator.engine.text import plain

        print(f"Your attempt is saved. To carry on: {plain(app.resume_hint)}")
    return _exit_code(app, code)


def _exit_code(app: CounterTalkApp, code: int | None) -> int:
    """The process's exit code: the app's own when it failed (a crash is 1, never 0)."""
    rc = app.return_code
    if rc:
        return rc
    return int(code or 0)


def run_play(args: argparse.Namespace, path: str | Path) -> int:
    return _run(args, Path(path))


def run_activity_app(
    args: argparse.Namespace, activity: Activity, *, classroom: bool = False
) -> int:
    """`countertalk play ACTIVITY` (or `classroom ACTIVITY`): the activity screen directly."""
    refused = _cannot_start(args, "ID")
    if refused is not None:
        return refused
    app = build_app(args, Path(activity.source))
    app.options.activity = activity
    app.options.classroom = classroom
    return _exit_code(app, app.run())


def run_picker(args: argparse.Namespace) -> int:
    return _run(args, None)
