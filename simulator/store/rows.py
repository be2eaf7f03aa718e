"""How values are written to and read from the store's JSON columns, shared by its parts."""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_dict(text: Any) -> dict[str, Any] | None:
    """A stored JSON object, or None for none or a damaged one."""
    if not isinstance(text, str | bytes):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
