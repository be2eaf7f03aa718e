"""The results store: every attempt and every choice a learner makes, what tutors' reports read,
the xAPI outbox and who is signed in to `serve` — behind one interface, on SQLite or PostgreSQL.

    core      the Store: opening, migrating, transactions, attempts; the saved AttemptRecord
    analytics what reports and the progress map read (a part of Store)
    outbox    the xAPI outbox (a part of Store)
    signin    who is signed in to `serve` (a part of Store)
    lti       LTI 1.3 platforms, the tool's keys, once-only logins, links (a part of Store)
    rows      how JSON columns are written and read
    schema    the one list of migrations both databases run
    sqlite    the SQLite back end (the default: a file, no set-up)
    postgres  the PostgreSQL back end (a college serving many learners)
    errors    StoreError and the settings that choose the store (no driver imported)

Only the exercise service (:mod:`simulator.exercise`) writes attempts; reports and exports read.
Headless: no Textual, no Rich; the database drivers are imported only when a store is opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import StoreError

if TYPE_CHECKING:
    from .core import MIGRATIONS, MODES, SCHEMA_VERSION, AttemptRecord, Store

__all__ = ["MIGRATIONS", "MODES", "SCHEMA_VERSION", "AttemptRecord", "Store", "StoreError"]


def __getattr__(name: str) -> Any:
    """The store's classes load on first use (PEP 562), not when a module only needs
    :class:`StoreError` or a setting from :mod:`.errors`: the app's first screen records nothing
    yet, and importing the store's modules (hashing, LTI, sign-in) would delay it."""
    if name in __all__:
        from . import core

        return getattr(core, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
