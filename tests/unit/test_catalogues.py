"""The interface's gettext catalogues (issue 32): shipped compiled, current, and faithful to their
placeholders; the language chosen by --lang, $COUNTERTALK_LANG or Accept-Language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.engine import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "simulator/locale/cy/LC_MESSAGES/countertalk.po"
_PLACEHOLDERS = re.compile(r"%\([a-z_]+\)s|\{[a-z_]*\}|%%")


def _catalog():
    from babel.messages.pofile import read_po

    with open(PO, "rb") as fh:
        return read_po(fh, locale="cy")


def test_the_compiled_catalogue_is_the_compile_of_the_po():
    proc = subprocess.run(
        [sys.executable, "scripts/i18n_catalogue.py", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_translation_keeps_its_placeholders():
    bad = []
    for m in _catalog():
        if m.id and isinstance(m.id, str) and m.string:
            if sorted(_PLACEHOLDERS.findall(m.id)) != sorted(_PLACEHOLDERS.findall(m.string)):
                bad.append(m.id)
    assert not bad, bad


def test_the_catalogue_is_found_by_the_installed_package_and_read_without_babel():
    code = (
        "import sys; from simulator.engine import i18n; i18n.set_default('cy');"
        "print(i18n.gettext('Your choice (1-{n}): '));"
        "print('babel' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd="/", timeout=60
    )
    assert proc.stdout.splitlines() == ["Eich dewis (1-{n}): ", "False"], proc.stderr


def test_english_is_the_fallback_for_a_string_with_no_translation():
    i18n.set_default("cy")
    try:
        assert i18n.gettext("a string nobody has translated") == "a string nobody has translated"
        assert i18n.gettext("Two things to keep:") == "Dau beth i'w cadw:"
    finally:
        i18n.set_default(None)


@pytest.mark.parametrize(
    "header,lang",
    [
        ("cy-GB,cy;q=0.9,en;q=0.8", "cy"),
        ("en-GB,en;q=0.9,cy;q=0.8", "en"),
        ("fr-FR, cy;q=0.5", "cy"),
        ("cy;q=0, en", "en"),
        ("", "en"),
        (None, "en"),
        ("*", "en"),
        ("de, fr;q=0.7", "en"),
        ("cy;q=abc", "en"),
    ],
)
def test_accept_language_negotiation(header, lang):
    assert i18n.negotiate(header) == lang


def test_lang_from_the_environment_and_the_option(monkeypatch):
    monkeypatch.setenv("COUNTERTALK_LANG", "cy_GB.UTF-8")
    assert i18n.current() == "cy"
    monkeypatch.setenv("COUNTERTALK_LANG", "xx")
    assert i18n.current() == "en"
    token = i18n.use("cy")
    try:
        assert i18n.current() == "cy"
    finally:
        i18n.reset(token)
    with pytest.raises(i18n.UnknownLanguage, match="cy"):
        i18n.parse_lang("klingon")


def test_an_unknown_lang_is_a_usage_error():
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", "--lang", "xx", "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2 and "no language 'xx'" in proc.stderr
    assert "Traceback" not in proc.stderr
