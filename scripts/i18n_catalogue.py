"""Build the interface's gettext catalogues with Babel (docs/i18n.md).

    python scripts/i18n_catalogue.py extract   # simulator/locale/countertalk.pot
    python scripts/i18n_catalogue.py update    # merge the .pot into each LANG's countertalk.po
    python scripts/i18n_catalogue.py compile   # each .po -> countertalk.mo (committed, shipped)
    python scripts/i18n_catalogue.py check     # exit 1 when a .mo is not the compile of its .po

Where the strings come from:
- Python: `_()`, `gettext()`, `ngettext()`, `pgettext()`, `N_()` and `tr()` calls in simulator/
  and scoring/;
- Jinja2 templates (the debrief, the web page): `_()` and `{% trans %}`;
- the marking data in scoring/*.yaml and scoring/models/*.yaml: every text under a key a learner
  reads (a behaviour's label, a mistake's explanation, a marking point, a law's rule...), with its
  spaces folded (`simulator.engine.i18n.translated` looks them up the same way).

Babel is a development dependency: the compiled `.mo` files are committed and shipped as package
data, and reading them needs only the standard library.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "simulator" / "locale"
DOMAIN = "countertalk"
POT = LOCALE / f"{DOMAIN}.pot"

KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "N_": None,
    "tr": None,
    # the web's problems: WebProblem(status, "English sentence with {slots}", **values)
    "WebProblem": (2,),
    # a problem said in the language current when it is shown: Said("English with {slots}", ...)
    "Said": None,
}
METHODS = [
    ("**/__snapshots__/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.j2", "jinja2"),
    ("**/templates/**.html", "jinja2"),
]
OPTIONS = {"**/templates/**": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}

# Keys of the marking data whose text a learner reads in a debrief or the progress map.
YAML_TEXT_KEYS = {
    "label",
    "explanation",
    "explanation_withdrawn",
    "explanation_stopped",
    "explanation_right_role",
    "explanation_escalated",
    "advice",
    "name",
    "summary",
    "description",
    "text",
    "title",
    "rule",
    "breach",
    "breach_rule",
    "offer",
    "reason_offered",
    "rule_offered",
    "reason",
    "reason_turns",
    "reason_turns_many",
    "reason_turns_again",
    "act",
    "spoiled_label",
    "beyond_remit_label",
    "practise",
    "needs",
}
YAML_TEXT_LISTS = {"good_practice"}
YAML_TEXT_MAPS = {"advice_by_topic", "grades", "verdicts", "spoiled_labels"}


def _yaml_texts(value: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if str(k) in YAML_TEXT_MAPS and isinstance(v, dict):
                yield from (" ".join(x.split()) for x in v.values() if isinstance(x, str))
            else:
                yield from _yaml_texts(v, str(k))
    elif isinstance(value, list):
        for v in value:
            if key in YAML_TEXT_LISTS and isinstance(v, str):
                yield " ".join(v.split())
            else:
                yield from _yaml_texts(v, key)
    elif isinstance(value, str) and key in YAML_TEXT_KEYS and value.strip():
        yield " ".join(value.split())


def extract() -> Any:
    import yaml
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    catalog = Catalog(project="CounterTalk", domain=DOMAIN, charset="utf-8")
    for folder in ("simulator", "scoring"):
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, METHODS, OPTIONS, KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            catalog.add(
                message,
                None,
                [(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    data_files = sorted((ROOT / "scoring").glob("*.yaml")) + sorted(
        (ROOT / "scoring" / "models").glob("*.yaml")
    )
    for path in data_files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()
        for text in _yaml_texts(data):
            catalog.add(text, None, [(rel, 0)])
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, omit_header=False, sort_output=True)
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(buf.getvalue())
    print(f"wrote {POT.relative_to(ROOT)} ({len(catalog)} messages)")
    return catalog


def languages() -> list[str]:
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir())


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> None:
    from babel.messages.pofile import read_po, write_po

    with open(POT, "rb") as fh:
        template = read_po(fh)
    for lang in languages():
        path = po_path(lang)
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        buf = io.BytesIO()
        write_po(buf, catalog, width=100, ignore_obsolete=True, sort_output=True)
        path.write_bytes(buf.getvalue())
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"updated {path.relative_to(ROOT)}: {len(catalog)} messages, {missing} untranslated")


def fill(lang: str) -> None:
    """Write the translations kept as data (scripts/cy_interface.py for cy) into the .po."""
    from babel.messages.pofile import read_po, write_po

    sys.path.insert(0, str(ROOT / "scripts"))
    module = __import__(f"{lang}_interface")
    table: dict[str, str] = getattr(module, lang.upper())
    path = po_path(lang)
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    plurals: dict[str, str] = getattr(module, f"{lang.upper()}_PLURALS", {})
    n = 0
    for m in catalog:
        # a message with a context is keyed "CONTEXT\x04MSGID" (gettext's own joining)
        key = f"{m.context}\x04{m.id}" if m.context and isinstance(m.id, str) else m.id
        if m.id and isinstance(key, str) and key in table:
            m.string = table[key]
            m.flags.discard("fuzzy")
            n += 1
        elif m.id and isinstance(m.id, tuple) and m.id[0] in plurals:
            m.string = tuple(plurals[m.id[0]] for _ in range(catalog.num_plurals))
            m.flags.discard("fuzzy")
            n += 1
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, ignore_obsolete=True, sort_output=True)
    path.write_bytes(buf.getvalue())
    print(f"filled {n} of {len(catalog)} messages in {path.relative_to(ROOT)}")


def _compiled(lang: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path(lang), "rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compile_all() -> None:
    for lang in languages():
        mo = po_path(lang).with_suffix(".mo")
        mo.write_bytes(_compiled(lang))
        print(f"compiled {mo.relative_to(ROOT)}")


def check() -> int:
    bad = [
        lang
        for lang in languages()
        if not po_path(lang).with_suffix(".mo").is_file()
        or po_path(lang).with_suffix(".mo").read_bytes() != _compiled(lang)
    ]
    for lang in bad:
        print(f"{po_path(lang).with_suffix('.mo')} is not the compile of its .po: run compile")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    action = argv[0] if argv else ""
    if action == "extract":
        extract()
    elif action == "update":
        update()
    elif action == "compile":
        compile_all()
    elif action == "check":
        return check()
    elif action == "fill":
        fill(argv[1] if len(argv) > 1 else "cy")
    elif action == "all":
        extract()
        update()
        for lang in languages():
            if (ROOT / "scripts" / f"{lang}_interface.py").is_file():
                fill(lang)
        compile_all()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
