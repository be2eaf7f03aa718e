"""`countertalk new NAME`: write a commented starter scenario that passes `lint --strict`."""

from __future__ import annotations

import argparse
import pathlib


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "name",
        metavar="NAME",
        help="the scenario's name; its id and file name are NAME made lowercase "
        "with '-' (e.g. 'Faulty toaster' -> faulty-toaster.yaml)",
    )
    p.add_argument(
        "--topic",
        metavar="T",
        default="complaint",
        help="complaint (default), refund-dispute, data-request, escalation, "
        "equality, internal-customer or service-recovery",
    )
    p.add_argument(
        "--dir",
        metavar="DIR",
        default=".",
        help="folder to write into (default: the current folder)",
    )
    p.add_argument(
        "--level", type=int, choices=(2, 3), default=2, help="qualification level (default: 2)"
    )
    p.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    p.add_argument(
        "--lang",
        action="append",
        metavar="CODE",
        help="also write a string table for this language (repeatable; default: cy, the "
        "languages CounterTalk ships; 'none' for no table)",
    )


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from simulator.engine.format import TOPICS
    from simulator.errors import fail
    from simulator.tooling import scaffold

    scenario_id = scaffold.slugify(args.name)
    if not scenario_id:
        return fail(
            f"cannot make an id from {args.name!r}; use letters or digits, e.g. "
            f"'countertalk new faulty-toaster'",
            2,
        )
    topic = args.topic.strip()
    if not topic:
        return fail("--topic is empty; give one of " + ", ".join(TOPICS), 2)
    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        return fail(f"{folder} is a file, not a folder; give --dir a folder", 2)
    target = folder / f"{scenario_id}.yaml"
    if target.exists() and not args.force:
        return fail(
            f"{target} already exists; choose another NAME, or add --force to overwrite it", 1
        )

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return fail(f"cannot create the folder {folder}: {exc.strerror or exc}")
    schema = scaffold.find_schema(folder)
    schema_ref = scaffold.schema_reference(folder, schema) if schema else scaffold.SCHEMA_FILENAME
    text = scaffold.render(
        scenario_id=scenario_id,
        title=scaffold.title_from(args.name, scenario_id),
        topic=topic,
        level=args.level,
        schema_ref=schema_ref,
        schema_found=schema is not None,
        file_hint=str(target),
    )
    try:
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        return fail(f"cannot write {target}: {exc.strerror or exc}")
    print(f"wrote {target}")
    _write_starter_test(target, args.force)
    _write_tables(target, getattr(args, "lang", None))
    if topic not in TOPICS:
        from simulator.engine.loader import did_you_mean

        print(
            f"note: '{topic}' is not a known topic{did_you_mean(topic, TOPICS)}, so lint will "
            f"warn about it; known: {', '.join(TOPICS)}",
            file=sys.stderr,
        )
    if schema is None:
        print(
            f"tip: run 'countertalk schema -o {folder / scaffold.SCHEMA_FILENAME}' so your "
            f"editor checks the file as you type",
            file=sys.stderr,
        )
    print(
        f"next: countertalk lint --strict {target}   then   countertalk play {target} --plain"
        f"   and   countertalk test {target}",
        file=sys.stderr,
    )
    return 0


def _write_starter_test(target: pathlib.Path, force: bool) -> None:
    """NAME.test.yaml beside the scenario: its best and worst paths and what they give now, so
    a later edit that changes them shows up in `countertalk test`."""
    import sys

    from simulator.engine.loader import ScenarioError, load_scenario
    from simulator.tooling import scenario_tests

    test_file = scenario_tests.test_file_for(target)
    if test_file.exists() and not force:
        print(f"kept {test_file} (it already exists)", file=sys.stderr)
        return
    try:
        text = scenario_tests.starter(load_scenario(target))
    except ScenarioError:  # e.g. an unknown --topic made a file that needs fixing first
        return
    try:
        with open(test_file, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        print(f"cannot write {test_file}: {exc.strerror or exc}", file=sys.stderr)
        return
    print(f"wrote {test_file}")


def _write_tables(target: pathlib.Path, langs: list[str] | None) -> None:
    """A string table per language beside the new scenario (locales/LANG/NAME.yaml, every
    string untranslated), so a translator can start at once and `countertalk i18n check`
    follows the scenario from its first edit (docs/i18n.md)."""
    import sys

    from simulator.engine.i18n import LANGUAGES, UnknownLanguage, parse_lang
    from simulator.tooling import translations

    if langs and any(x.strip().lower() == "none" for x in langs):
        return
    try:
        codes = [parse_lang(x) for x in langs] if langs else list(LANGUAGES)
    except UnknownLanguage as exc:
        print(f"no string table written: {exc}", file=sys.stderr)
        return
    for lang in codes:
        if lang == "en":
            continue
        path, text, problem = translations.extract(target, lang)
        if problem or text is None:
            continue  # a starter with errors (an unknown --topic) gets its table from extract
        try:
            translations.write_table(path, text)
        except OSError as exc:
            print(f"cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
            continue
        print(f"wrote {path}")
