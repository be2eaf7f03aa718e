"""Learner names typed at `serve`'s sign-in: one learner per person, whatever the keyboard did.

Why (issue 31, item 3): "Ѕam" (Cyrillic Ѕ), "Sаm" (Cyrillic а), "Ｓam" (full width), "sam" and
"Sam" followed by U+3164 (an invisible Hangul filler) were five learners a tutor's report could
not tell apart. So a name is

1. normalised with NFKC (full-width and compatibility forms become plain letters),
2. stripped of invisible characters (format characters, fillers, variation selectors),
3. refused when its letters come from more than one script (Latin with a Cyrillic letter), or
   when every letter of a non-Latin name is a look-alike of a Latin one (an all-Cyrillic "Ѕаm"),
4. then compared case-insensitively by the store (``casefold``).

A real Cyrillic, Greek, Arabic or Chinese name in its own script is accepted as it is.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 40
_ALLOWED = re.compile(r"[\w][\w .'’-]*")
# Invisible code points that are not format characters (category Cf) but draw nothing.
_INVISIBLE = frozenset(
    "\u115f\u1160\u3164\uffa0\u180b\u180c\u180d\u180e\u180f\u034f\u17b4\u17b5\u2800"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
# Letters of other scripts that read as Latin ones (the commonest of Unicode's confusables).
LOOKALIKES = frozenset(
    "АВЕЅІЈКМНОРСТХУаеорсухіјѕԁһӏԛԝ"  # Cyrillic
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαιοκνρτυχ"  # Greek
)


def _script(ch: str) -> str:
    """The script of a letter, from its Unicode name ("LATIN SMALL LETTER A" -> "LATIN")."""
    name = unicodedata.name(ch, "")
    word = name.split(" ", 1)[0]
    if word in ("CJK", "HIRAGANA", "KATAKANA"):
        return "CJK"  # Japanese mixes these in one name
    return word or "UNKNOWN"


def learner_name(text: str) -> tuple[str | None, str]:
    """(the name to record, "") or (None, why it was refused, in the learner's words)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") and ch not in _INVISIBLE
    )
    name = " ".join(text.split())
    if not 1 <= len(name) <= NAME_MAX or not _ALLOWED.fullmatch(name):
        return None, (
            "Type your name: 1 to 40 letters, digits, spaces, dots, dashes or apostrophes."
        )
    letters = [ch for ch in name if ch.isalpha()]
    scripts = {_script(ch) for ch in letters}
    if len(scripts) > 1:
        return None, (
            "Type your name in one alphabet: it mixes letters from different alphabets "
            "(check your keyboard language)."
        )
    if scripts and scripts != {"LATIN"} and all(ch in LOOKALIKES for ch in letters):
        return None, (
            "Type your name with your usual keyboard: those letters look like English ones "
            "but are not."
        )
    return name, ""


def name_key(name: str) -> str:
    """How names are compared: what the store keys them by (case and spacing do not count)."""
    return " ".join(name.split()).casefold()
