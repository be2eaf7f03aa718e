"""Reading a transcript someone hands us (`countertalk score FILE`): untrusted JSON, checked.

A transcript file may come from anywhere — a learner's email, a shared drive — so before the
scorer sees it, it is read with limits: size, nesting, numbers that JSON allows but Python would
choke on (Infinity, NaN, 5,000-digit integers), and a shape checked against a msgspec Struct
(§8 of the format; other keys are kept). Every problem is one clear message naming the file and,
where JSON gives one, the line and column.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

from msgspec import Meta, Struct, ValidationError, convert

MAX_BYTES = 4 * 1024 * 1024  # a 2,000-turn transcript is well under 1 MB
MAX_DEPTH = 32  # the format nests about 5 deep
MAX_TURNS = 10_000
_ID = r"^[a-z0-9][a-z0-9-]{0,127}$"


class TranscriptError(Exception):
    """What is wrong with a transcript file, ready to print."""


Name = Annotated[str, Meta(max_length=200)] | None  # a state, choice, learner or ending
Line = Annotated[str, Meta(max_length=20_000)] | None  # what was said
Mood = Annotated[int, Meta(ge=0, le=100)] | None


class _Turn(Struct, kw_only=True):  # other keys are allowed (and kept in the data)
    state: Name = None
    choice: Name = None
    text: Line = None
    customer: Line = None
    mood: Mood = None


class _Transcript(Struct, kw_only=True):
    format: Annotated[int, Meta(ge=1, le=1)] | None = None
    scenario: Annotated[str, Meta(pattern=_ID, description="a scenario id, never a path")]
    seed: Annotated[int, Meta(ge=-(2**63), le=2**63 - 1)] | None = None
    learner: Name = None
    turns: Annotated[list[_Turn], Meta(max_length=MAX_TURNS)] = []
    ending: Name = None
    outcome: Annotated[str, Meta(max_length=40)] | None = None
    final_mood: Mood = None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a transcript can hold")


def _depth_ok(text: str) -> bool:
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """JSON may spell a lone surrogate (`"\\ud800"`), which no file, terminal or database can
    hold: drop them from every string (the depth is already bounded)."""
    if isinstance(value, str):
        return _SURROGATE.sub("", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"{line}:{pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def read(path: str | Path) -> dict[str, Any]:
    """The transcript at `path` as a dict the scorer can trust; TranscriptError otherwise."""
    from simulator.engine.text import plain

    name = str(path)
    from simulator.engine.safe_read import ReadRefused, read_regular

    try:  # regular files only: a FIFO would wait for ever, /dev/zero never end
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise TranscriptError(f"no such transcript file: {name}") from None
    except ReadRefused as exc:
        if exc.size is not None:
            raise TranscriptError(
                f"{name}: over {MAX_BYTES // 1048576} MB, far larger than any transcript; "
                "give the file written by 'countertalk play --transcript-out'"
            ) from None
        raise TranscriptError(f"{name} {exc}; give a transcript .json file") from None
    except OSError as exc:
        raise TranscriptError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TranscriptError(f"{name}: not a text file; give a transcript .json file") from None
    if not _depth_ok(text):
        raise TranscriptError(
            f"{name}: values are nested more than {MAX_DEPTH} deep; this is not a transcript"
        )
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise TranscriptError(
            f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}; "
            "give the file written by 'countertalk play --transcript-out'"
        ) from None
    except (ValueError, RecursionError) as exc:  # Infinity/NaN, a 5,000-digit number
        what = plain(str(exc)).split(":")[0][:120]
        m = re.search(r"(Infinity|-Infinity|NaN|\d{1000,})", text)
        where = f":{_where(text, m.start())}" if m else ""
        raise TranscriptError(
            f"{name}{where}: {what}; a transcript holds ordinary numbers"
        ) from None
    if not isinstance(data, dict):
        raise TranscriptError(
            f'{name}: not a transcript (no "scenario" id); give the file written by '
            "'countertalk play --transcript-out'"
        )
    data = dict(_without_surrogates(data))  # still a dict: only strings change
    try:
        convert(data, _Transcript)
    except ValidationError as exc:
        message, _, where = str(exc).partition(" - at `$")
        loc = re.sub(r"\[(\d+)\]", r".\1", where.rstrip("`")).lstrip(".") or "the top level"
        raise TranscriptError(
            f"{name}: {plain(loc)}: {plain(message)}; this is not a transcript CounterTalk wrote"
        ) from None
    # Text that will be printed: no lone surrogates or control sequences.
    for key in ("learner", "scenario", "ending", "outcome"):
        if isinstance(data.get(key), str):
            data[key] = plain(data[key])
    return data
