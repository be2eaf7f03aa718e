"""The JSON Schema of the activity format (docs/activity.schema.json), for editor completion.

Built from the same names the linter checks (format.py), so the two cannot drift apart; the
linter is still the authority (it also checks groups, duplicates and catalogue ids).
"""

from __future__ import annotations

from . import format as F


def _items(key: str, kind: str) -> dict:
    props: dict = {k: {"type": "string", "maxLength": F.MAX_TEXT} for k in F.KIND_KEYS[kind][key]}
    if "correct" in props:
        props["correct"] = {"type": "boolean"}
    if key == "groups":
        props["id"] = {"type": "string", "pattern": F.ID_PATTERN}
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": props,
            "required": list(F.ITEM_REQUIRED[key]),
            "additionalProperties": False,
        },
    }


def activity_schema() -> dict:
    common = {
        "format": {"const": 1},
        "id": {"type": "string", "pattern": F.ID_PATTERN},
        "title": {"type": "string", "maxLength": F.MAX_TEXT},
        "kind": {"enum": list(F.KINDS)},
        "topic": {"enum": list(F.TOPICS)},
        "level": {"enum": list(F.LEVELS)},
        "minutes": {"type": "integer", "minimum": 1, "maximum": 15},
        "pass": {"type": "integer", "minimum": 1, "maximum": 100},
        "summary": {"type": "string", "maxLength": F.MAX_LONG_TEXT},
        "intro": {"type": "string", "maxLength": F.MAX_LONG_TEXT},
        "marking_points": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    }
    variants = []
    for kind, keys in F.KIND_KEYS.items():
        props = dict(common, kind={"const": kind})
        for key in keys:
            props[key] = (
                {"type": "string", "maxLength": F.MAX_LONG_TEXT}
                if key == "case"
                else _items(key, kind)
            )
        variants.append(
            {
                "if": {"properties": {"kind": {"const": kind}}},
                "then": {
                    "properties": props,
                    "required": list(F.REQUIRED) + list(keys),
                    "additionalProperties": False,
                },
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:countertalk:activity-format:1",
        "title": "CounterTalk activity (knowledge check)",
        "type": "object",
        "required": list(F.REQUIRED),
        "properties": common,
        "allOf": variants,
    }
