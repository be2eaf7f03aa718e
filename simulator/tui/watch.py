"""--watch: notice that the scenario file was saved, by polling its modification time.

Cheap, and works on every platform and editor (one that replaces the file rather than writing
it in place included). Kept apart from the screen, as toolong keeps its file watching: the
screen asks :meth:`FileWatcher.changed` on a timer and reloads when it says so.
"""

from __future__ import annotations

import os
from pathlib import Path


class FileWatcher:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.mtime: int | None = None

    def remember(self) -> None:
        """The file as it is now is the one shown."""
        try:
            self.mtime = os.stat(self.path).st_mtime_ns
        except OSError:
            self.mtime = None

    def changed(self) -> bool:
        """True once per save: the file's time differs from the one remembered."""
        try:
            mtime = os.stat(self.path).st_mtime_ns
        except OSError:
            return False  # an editor may replace the file; look again next tick
        if mtime == self.mtime:
            return False
        self.mtime = mtime
        return True
