"""The language a learner sees, and the interface's own text in it (gettext catalogues).

Two kinds of text are translated, two ways (docs/i18n.md):

- the program's own words (prompts, headings, the debrief's sentences, marking-point names) go
  through gettext: `_("Your choice")` looks the English up in the compiled catalogue
  `simulator/locale/LANG/LC_MESSAGES/countertalk.mo` (made with Babel from the `.po` a
  translator edits; `scripts/i18n_catalogue.py`). The English is the key, so a string that is
  not (yet) in a catalogue simply stays English.
- a scenario's or activity's text goes through the string table beside its file
  (`engine/strings.py`), by stable id.

The language is `--lang`, else `$COUNTERTALK_LANG`, else English. It is held in a ContextVar so
that a web server can answer each request in its browser's language (Accept-Language) without
one request's language leaking into another's. Reading the catalogue uses only the standard
library: nothing here imports Babel, which is needed to build catalogues, not to read them.
"""

from __future__ import annotations

import gettext as _gettext
import os
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

DOMAIN = "countertalk"
# The languages CounterTalk has a catalogue for, each named in itself (what a picker shows).
LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
# What the debrief says the attempt was played in ("Played in Welsh"): the language's name in
# the language being read is a catalogue string (see `language_name`).
_NAMES_IN_ENGLISH = {"en": "English", "cy": "Welsh"}
ENV = "COUNTERTALK_LANG"

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_lang: ContextVar[str | None] = ContextVar("countertalk_lang", default=None)
_default: list[str] = []


class UnknownLanguage(ValueError):
    """A language CounterTalk has no catalogue for (the message lists the ones it has)."""


def normalise(code: str | None) -> str | None:
    """'cy', 'CY', 'cy_GB.UTF-8', 'cy-GB' -> 'cy'; None for '' or a language we do not have."""
    if not code:
        return None
    base = code.strip().split(".")[0].replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def parse_lang(code: str) -> str:
    """A `--lang` value, checked: UnknownLanguage names the languages there are."""
    found = normalise(code)
    if found is None:
        raise UnknownLanguage(
            f"no language '{code}'; CounterTalk speaks "
            + ", ".join(f"{k} ({v})" for k, v in LANGUAGES.items())
        )
    return found


def set_default(lang: str | None) -> None:
    """The process's language (the CLI's --lang); None goes back to $COUNTERTALK_LANG."""
    _default[:] = [lang] if lang else []


def current() -> str:
    """The language to show now: this request's or task's, else the process's, else
    $COUNTERTALK_LANG, else English."""
    here = _lang.get()
    if here:
        return here
    if _default:
        return _default[0]
    return normalise(os.environ.get(ENV)) or "en"


def use(lang: str) -> Token[str | None]:
    """Show `lang` in this context (a web request) until `reset(token)`."""
    return _lang.set(normalise(lang) or "en")


def reset(token: Token[str | None]) -> None:
    _lang.reset(token)


def negotiate(accept_language: str | None, default: str = "en") -> str:
    """The best language we have for an HTTP Accept-Language header (RFC 9110 §12.5.4):
    highest q first, ties in the order given; `default` (English unless told: the phone page
    falls back to the lesson's language) when nothing we have is asked for."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for n, part in enumerate(accept_language[:1000].split(",")[:50]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if not 0 < q <= 1:
            continue
        lang = normalise(tag) if tag.strip() != "*" else "en"
        if lang is not None:
            ranked.append((-q, n, lang))
    return sorted(ranked)[0][2] if ranked else default


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue for a language (a no-op one for English or when none is found)."""
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str) -> str:
    """`message` in the current language (the English itself when it has no translation)."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; translate it where it is shown."""
    return message


class Said:
    """An English sentence with ``{slots}``, said in the language current when it is *shown*
    (``str()``), not when it was made: a problem made once and read by many — the results store
    that failed as a web process started, in no request's language — reaches each learner in
    theirs. The values are shown the same way (a ``Said`` or an exception holding one is said in
    that language too). scripts/i18n_catalogue.py extracts ``Said``'s first argument."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values

    def __str__(self) -> str:
        text = gettext(self.template)
        return text.format(**{k: str(v) for k, v in self.values.items()}) if self.values else text

    def __repr__(self) -> str:
        return f"Said({self.template!r})"


def language_name(lang: str | None = None) -> str:
    """A language's name in the current language ('Welsh' in English, 'Cymraeg' in Welsh)."""
    code = lang or current()
    names = {"en": N_("English"), "cy": N_("Welsh")}
    return gettext(names.get(code, _NAMES_IN_ENGLISH.get(code, code)))


def translated(text: object) -> str:
    """A text from a data file (scoring/*.yaml: a behaviour's label, a marking point) in the
    current language. Its catalogue msgid is the text with its spaces folded (how
    scripts/i18n_catalogue.py extracts YAML), so a re-wrapped paragraph keeps its translation."""
    if text is None:
        return ""
    s = str(text)
    if current() == "en":
        return s
    folded = " ".join(s.split())
    out = gettext(folded)
    return s if out == folded else out
