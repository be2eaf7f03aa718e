"""Mood in words, so it never depends on colour alone."""

from __future__ import annotations

BANDS = ((20, "furious"), (40, "annoyed"), (60, "uneasy"), (80, "calm"), (101, "pleased"))


def mood_word(mood: int) -> str:
    for upper, word in BANDS:
        if mood < upper:
            return word
    return BANDS[-1][1]


def mood_change_word(before: int, after: int) -> str:
    if after > before:
        return "calmer" if after < 60 else "happier"
    if after < before:
        return "more upset"
    return "no change"
