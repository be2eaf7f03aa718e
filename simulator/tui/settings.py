"""The app's remembered preferences (for now: typing or picking replies), beside the results
database in a small JSON file. Read after the first frame; a broken or missing file means the
defaults, never an error."""

from __future__ import annotations

from pathlib import Path

REPLY_MODES = ("pick", "type")


def settings_path(store_path: Path | None = None) -> Path:
    from simulator.store.errors import default_path  # not the store: read before its import

    return (store_path or default_path()).parent / "settings.json"


def load(store_path: Path | None = None) -> dict[str, object]:
    try:
        text = settings_path(store_path).read_text(encoding="utf-8")
    except OSError:
        return {}
    import json  # only when there is a settings file: not before the first screen otherwise

    try:
        data = json.loads(text)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def reply_mode(store_path: Path | None = None) -> str:
    mode = load(store_path).get("reply")
    return mode if isinstance(mode, str) and mode in REPLY_MODES else "pick"


def save_reply_mode(mode: str, store_path: Path | None = None) -> bool:
    """Remember the reply mode; False when it could not be written (the choice still applies)."""
    if mode not in REPLY_MODES:
        raise ValueError(mode)
    import json

    path = settings_path(store_path)
    data = load(store_path)
    data["reply"] = mode
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError:
        return False
    return True
