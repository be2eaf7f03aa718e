"""Typed input is untrusted: cap its length, remove control characters, keep it as plain text.

A learner's line is shown back in the chat, stored in transcripts and printed in reports, so it
must never carry terminal control sequences or grow without bound. Markup is not interpreted
here or anywhere it is shown (the UI displays it as Text, not markup).

It is also cleaned *before* the rudeness check and the matching, so a rude line cannot hide
behind look-alikes: NFKC (full-width letters, ligatures), invisible characters removed (soft
hyphen, word joiner, BOM, tag characters, Mongolian vowel separator, combining grapheme
joiner, zero-width spaces, Hangul fillers, every other format character), and Cyrillic and
Greek letters that look like Latin ones, and the dotless ı, folded to the Latin letter. The
cleaned line is what is shown, matched and stored: one text, never two.
"""

from __future__ import annotations

import unicodedata

from simulator.engine.text import plain

MAX_TYPED = 300
"""Characters kept from a typed line: a long reply at a counter is two or three sentences."""


_INVISIBLE = frozenset(
    [0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFFA0]
    + list(range(0x180B, 0x1810))  # Mongolian variation selectors
    + list(range(0xFE00, 0xFE10))  # variation selectors
)
_LOOKALIKES = str.maketrans(
    # Cyrillic
    "аеорсухѕіјԁһӏԛԝвкмнтАВЕКМНОРСТХУЅІЈԌԜ"
    # Greek
    "αβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"
    # dotless i and j, Latin small capitals that pass NFKC
    "ıȷɡ",
    "aeopcyxsijdhlqwbkmhtABEKMHOPCTXYSIJGWabeikvoptuxABEZHIKMNOPTYXijg",
)


def _visible(ch: str) -> bool:
    cp = ord(ch)
    if cp in _INVISIBLE or 0xE0000 <= cp <= 0xE0FFF:  # tags and other ignorables
        return False
    return unicodedata.category(ch) != "Cf"  # format: zero-width, joiners, bidi marks, BOM


def clean_typed(text: str) -> str:
    """NFKC-normalised, invisible characters removed, look-alike letters folded to Latin,
    control characters removed, whitespace collapsed, at most MAX_TYPED characters."""
    text = unicodedata.normalize("NFKC", text[: MAX_TYPED * 4])
    text = "".join(ch for ch in text if _visible(ch)).translate(_LOOKALIKES)
    text = plain(text)
    text = " ".join(text.split())
    return text[:MAX_TYPED].strip()


def as_number(text: str, count: int) -> int | None:
    """A bare option number (ASCII digits only) from 1 to count, else None."""
    t = text.strip().rstrip(".)")
    if t.isascii() and t.isdigit() and len(t) <= 4 and 1 <= int(t) <= count:
        return int(t)
    return None
