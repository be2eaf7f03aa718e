"""Names fixed by the activity format, version 1 (one import, itself import-free: lint and
--help stay cheap)."""

from simulator.engine.format import TOPICS as CONVERSATION_TOPICS

KINDS = ("sort", "spot", "match", "order")
# Conversation topics plus the knowledge areas that only activities cover.
TOPICS = CONVERSATION_TOPICS + (
    "factors",
    "people",
    "purpose-and-values",
    "rules-and-improvement",
    "service-and-brand",
)
LEVELS = (2, 3)
COMMON_KEYS = (
    "format",
    "id",
    "title",
    "kind",
    "topic",
    "level",
    "minutes",
    "summary",
    "intro",
    "marking_points",
    "pass",
)
REQUIRED = ("id", "title", "kind", "topic", "level", "marking_points", "intro")
# kind -> the list key it plays, that list's item keys, and the keys each item must have
KIND_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "sort": {"groups": ("id", "label"), "cards": ("text", "group", "why")},
    "spot": {"case": (), "options": ("text", "correct", "why")},
    "match": {"pairs": ("left", "right", "why")},
    "order": {"steps": ("text", "why")},
}
ITEM_REQUIRED: dict[str, tuple[str, ...]] = {
    "groups": ("id", "label"),
    "cards": ("text", "group"),
    "options": ("text", "correct"),
    "pairs": ("left", "right"),
    "steps": ("text",),
}
# Each kind: (the item list, fewest items, most items) — 3 to 8 minutes of work.
ITEM_LIMITS: dict[str, tuple[str, int, int]] = {
    "sort": ("cards", 4, 16),
    "spot": ("options", 4, 12),
    "match": ("pairs", 3, 8),
    "order": ("steps", 3, 8),
}
MAX_GROUPS = 4
MAX_TEXT = 300  # one card, option, step or explanation
MAX_LONG_TEXT = 2000  # intro, summary, the spot case
DEFAULT_PASS = 70  # percent of items right for the activity's marking points to count as met
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
