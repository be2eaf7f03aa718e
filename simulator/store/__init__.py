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

from .core import MIGRATIONS, MODES, SCHEMA_VERSION, AttemptRecord, Store, StoreError

__all__ = ["MIGRATIONS", "MODES", "SCHEMA_VERSION", "AttemptRecord", "Store", "StoreError"]
