"""Mood in words, so it never depends on colour alone."""

from __future__ import annotations

from .i18n import N_, gettext

# The words are catalogue strings (N_ marks them), shown in the learner's language.
BANDS = (
    (20, N_("furious")),
    (40, N_("annoyed")),
    (60, N_("uneasy")),
    (80, N_("calm")),
    (101, N_("pleased")),
)


def mood_band(mood: int) -> str:
    """The mood's band as a fixed English key ("furious" .. "pleased"), whatever the language
    shown: for styling and logic, never for display (that is `mood_word`)."""
    for upper, word in BANDS:
        if mood < upper:
            return word
    return BANDS[-1][1]


def mood_word(mood: int) -> str:
    for upper, word in BANDS:
        if mood < upper:
            return gettext(word)
    return gettext(BANDS[-1][1])


def mood_change_word(before: int, after: int) -> str:
    """The direction in words that agree with the band it ends in (review 25ag class 4: "Mood
    85, pleased, more upset"): a fall that stays calm or pleased is "less happy", a fall into
    uneasy or below "more upset", as a rise is "calmer" below calm and "happier" from it."""
    if after > before:
        return gettext("calmer") if after < 60 else gettext("happier")
    if after < before:
        return gettext("more upset") if after < 60 else gettext("less happy")
    return gettext("no change")
