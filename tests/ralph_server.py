"""Start Ralph's LRS API with its file-system backend, run by the LRS venv's Python.

Why not `ralph runserver`: it runs uvicorn with `reload=True` (a file watcher that restarts the
server when files under its working folder change), and Ralph 5.1's file-system LRS backend
writes every POST with the "create" operation, which refuses to add to the statements file
once it exists, so only the first POST ever succeeds ("already exists and overwrite is not
allowed"). Here the backend appends instead — the one line below — and uvicorn runs without
the reloader. Everything else is Ralph as released: its API, validation, auth and 409s.

usage: python ralph_server.py HOST PORT DIRECTORY   (RALPH_AUTH_FILE names the users file)
"""

import os
import sys

host, port, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = directory

from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.lrs.fs import FSLRSBackend  # noqa: E402

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

import uvicorn  # noqa: E402

uvicorn.run("ralph.api:app", host=host, port=port, log_level="info")
