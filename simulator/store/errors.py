"""The one error every results-store backend raises, and the settings that choose the store.

Kept apart so both backends (SQLite, PostgreSQL) and the front ends can name them without
importing either database driver.
"""

from __future__ import annotations

import os
import pathlib

HOME_ENV = "COUNTERTALK_HOME"  # folder of the default SQLite file
DB_ENV = "COUNTERTALK_DB"  # a file path or a postgresql:// URL; wins over HOME_ENV
DB_FILENAME = "countertalk.db"


def default_path() -> pathlib.Path:
    """``$COUNTERTALK_HOME/countertalk.db`` if set, else the platform's user data directory
    (created by ``Store()``, not here). Here, not in the store, so that the app can find its
    settings beside the database without importing the store before its first screen."""
    home = os.environ.get(HOME_ENV)
    if home:
        return pathlib.Path(home).expanduser() / DB_FILENAME
    import platformdirs  # lazily: only needed when no path is given

    return pathlib.Path(platformdirs.user_data_dir("countertalk")) / DB_FILENAME


class StoreError(Exception):
    """The results database cannot be used; the message says why and what to do.

    ``path`` is the database file concerned (None for a server database)."""

    def __init__(self, message: object, path: str | os.PathLike[str] | None = None):
        # ``message``: a str, or an engine.i18n.Said (said in the learner's language when shown)
        super().__init__(message)
        self.path = None if path is None else pathlib.Path(path)


def is_url(location: object) -> bool:
    """A PostgreSQL DSN, URL or key=value (never a file path): see :mod:`simulator.dsn`."""
    from simulator.dsn import is_server

    return is_server(location)
