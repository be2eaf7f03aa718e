"""`countertalk i18n extract|check`: the string tables translators work in (docs/i18n.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = """\
examples:
  countertalk i18n extract --lang cy scenarios/spill-in-aisle.yaml   write or update its table
  countertalk i18n check --lang cy                                   new, stale and missing strings
  countertalk i18n check --lang cy scenarios/ --format json"""
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text in (
        ("extract", "write or update each file's table: new strings added, English refreshed"),
        ("check", "new, stale and missing strings per language (exit 1 when there are any)"),
    ):
        a = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:])
        a.add_argument(
            "targets",
            nargs="*",
            metavar="FILE_OR_DIR",
            help="scenario or activity files, or pack folders (default: the shipped pack)",
        )
        a.add_argument(
            "--lang",
            action="append",
            metavar="CODE",
            help="a language (e.g. cy); repeat for several (default: every language there is)",
        )
        if name == "check":
            a.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from simulator.engine.i18n import LANGUAGES, UnknownLanguage, parse_lang
    from simulator.errors import fail
    from simulator.tooling import translations as tr

    try:
        langs = [parse_lang(x) for x in args.lang] if args.lang else list(LANGUAGES)
    except UnknownLanguage as exc:
        return fail(str(exc), 2)
    langs = [x for x in langs if x != "en"]
    if not langs:
        return fail("English is the language the files are written in; give --lang cy", 2)
    files = tr.files_of(args.targets, getattr(args, "pack", None))
    missing = [f for f in files if not f.is_file()]
    if missing:
        return fail(f"no such file: {missing[0]}", 2)
    if args.action == "extract":
        return _extract(files, langs)
    return _check(files, langs, getattr(args, "format", "text"))


def _extract(files: list[Path], langs: list[str]) -> int:
    from simulator.tooling import translations as tr

    status = 0
    for f in files:
        for lang in langs:
            path, text, problem = tr.extract(f, lang)
            if problem:
                print(f"{f}: {problem}", file=sys.stderr)
                status = 1
            elif text is not None:
                tr.write_table(path, text)
                print(f"wrote {path}")
            else:
                print(f"{path} is up to date")
    return status


def _check(files: list[Path], langs: list[str], fmt: str) -> int:
    import json

    from simulator.engine.strings import table_path
    from simulator.tooling import translations as tr

    found = []
    tables = 0
    untranslated: dict[str, int] = {}
    for lang in langs:
        for f in files:
            if not table_path(f, lang).is_file():
                untranslated[lang] = untranslated.get(lang, 0) + 1
                continue
            tables += 1
            found += tr.check(f, lang)
    if fmt == "json":
        print(json.dumps([d.as_json() for d in found], indent=2))
    else:
        for d in found:
            print(d)
        counts = tr.summary_counts(found)
        said = ", ".join(f"{n} {k}" for k, n in counts.items()) or "no problems"
        print(f"{tables} table(s) checked: {said}.", file=sys.stderr)
        for lang, n in untranslated.items():
            print(f"{n} file(s) have no {lang} table (they play in English).", file=sys.stderr)
    return 1 if found else 0
