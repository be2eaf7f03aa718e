"""Which text the language server may look at: open documents, and files inside the workspace.

Why (issue 31, item 6): pygls reads any ``file://`` URI a client names from disk when it was
never opened (didSave, definition, hover on any path), so a client could make the server quote a
file's keys, hang on a FIFO or read ``/dev/zero`` to 6.6 GB. Here a document the editor has
opened is used as the editor sent it; anything else is read only when it is a regular file
inside a workspace folder, through the bounded reader; and no text over the scenario size limit
is looked at at all (a 3.3 MB document once blocked the server for 37 s).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import unquote

from pygls.uris import to_fs_path

from simulator.engine.format import MAX_BYTES

MAX_DOCUMENT = MAX_BYTES  # characters: what lint would refuse anyway


def document_text(workspace: Any, uri: str) -> str | None:
    """The text of ``uri``, or None when it is not to be read (see the module docstring)."""
    opened = workspace.text_documents.get(unquote(uri))
    if opened is not None:
        text = str(opened.source)  # what the editor sent: no disk read
        return text if len(text) <= MAX_DOCUMENT else None
    path = to_fs_path(uri)
    if not path or not inside_workspace(workspace, path):
        return None
    from simulator.engine.safe_read import read_regular

    try:
        raw = read_regular(path, MAX_DOCUMENT)
    except OSError:
        return None
    return raw.decode("utf-8", "replace")


def too_large(workspace: Any, uri: str) -> bool:
    opened = workspace.text_documents.get(unquote(uri))
    return opened is not None and len(opened.source) > MAX_DOCUMENT


def inside_workspace(workspace: Any, path: str) -> bool:
    """``path`` (links resolved) is within the root or one of the workspace folders."""
    roots = [workspace.root_path] if workspace.root_path else []
    roots += [to_fs_path(f.uri) for f in workspace.folders.values()]
    real = os.path.realpath(path)
    for root in roots:
        if not root:
            continue
        top = os.path.realpath(root)
        try:
            if os.path.commonpath([real, top]) == top:
                return True
        except ValueError:  # different drives (Windows)
            continue
    return False
