"""An app served in a browser (`countertalk serve`) leaves when its server is gone.

textual-serve runs one app process per browser and talks to it over pipes. Textual's web driver
stops reading when its input ends but does not quit, so an app whose server was stopped or
killed slept on for ever, holding its database connection (at a college, a PostgreSQL pool
slot per learner per server restart). The server runs each app as its own child (`exec`, see
`serving/server.py`) and names itself in COUNTERTALK_SERVED_BY; a new parent means it is gone.
"""

from __future__ import annotations

import os
from typing import Any

from textual.app import App

SERVED_BY = "COUNTERTALK_SERVED_BY"
CHECK_SECONDS = 1.0


def watch_server(app: App[Any]) -> None:
    """Exit `app` once the server that started it has gone (a no-op when not served)."""
    served_by = os.environ.get(SERVED_BY, "")
    if not served_by.isdigit():
        return
    server = int(served_by)

    def check() -> None:
        if os.getppid() != server:
            app.exit()

    check()
    app.set_interval(CHECK_SECONDS, check, name="watch-server")
