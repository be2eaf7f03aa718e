"""What a learner sees when the app itself fails: a sentence, not a traceback.

Textual's default for an unhandled exception is to quit and print a rich traceback (with local
variables) over the terminal, and a caller that ignores `App.return_code` then exits 0. A learner
can do nothing with a traceback, and a crash that exits 0 hides the failure from scripts and CI.
So the apps route every unhandled exception here: the details go to a log file beside the
results database (where a tutor or a bug report can find them), the screen shows one sentence
saying what happened, that the attempt is saved (every choice is autosaved as it is made), and
where the log is; the return code is 1.
"""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path
from typing import TypeVar

from textual.app import App

EXIT_CODE = 1
ReturnType = TypeVar("ReturnType")


def log_folder(store_path: Path | None = None) -> Path:
    """The `logs` folder beside the results database ($COUNTERTALK_HOME or the user data folder);
    the system's temporary folder when that cannot be written."""
    from simulator.store_errors import default_path

    try:
        base = (store_path or default_path()).parent / "logs"
        base.mkdir(parents=True, exist_ok=True)
        return base
    except (OSError, ValueError):
        import tempfile

        return Path(tempfile.gettempdir())


def write_log(
    error: BaseException, store_path: Path | None = None, *, append_to: Path | None = None
) -> Path | None:
    """Write the exception and its traceback to a new file (or add it to ``append_to``, the
    log of an earlier failure in the same run); its path, or None if nothing could be written
    (the message then says so instead of naming a file)."""
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    if append_to is not None:
        try:
            with open(append_to, "a", encoding="utf-8") as f:
                f.write("\n" + details)
            return append_to
        except OSError:
            pass
    import tempfile

    stamp = time.strftime("%Y%m%d-%H%M%S")
    for folder in (log_folder(store_path), Path(tempfile.gettempdir())):
        for n in range(100):
            path = folder / f"countertalk-crash-{stamp}-{os.getpid()}-{n}.log"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            except FileExistsError:
                continue
            except OSError:
                break
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(details)
            return path
    return None


def message(log: Path | None) -> str:
    """The sentence the learner reads after the app has closed."""
    where = (
        f"The details are in {log} (send that file to your tutor)."
        if log is not None
        else "The details could not be written to a log file."
    )
    return (
        "CounterTalk stopped because of a problem in the program, not anything you did. "
        "Every choice you made was saved as you made it: open the same exercise again "
        f"(or add --resume) to carry on. {where}"
    )


class ReportsCrashes(App[ReturnType]):
    """Mixin for the apps: an unhandled exception is logged, explained in a sentence, and
    exits with code 1 (Textual's own handling still records it for `run_test`)."""

    crash_log: Path | None = None

    def crash_store_path(self) -> Path | None:
        """Where the results database lives for this app (None: the default)."""
        return None

    def _handle_exception(self, error: Exception) -> None:
        super()._handle_exception(error)
        self.crash_log = write_log(error, self.crash_store_path(), append_to=self.crash_log)
        from rich.text import Text

        # Textual queued a traceback to print at exit; print our sentence instead.
        self._exit_renderables[:] = [Text(message(self.crash_log))]
        self._return_code = EXIT_CODE
