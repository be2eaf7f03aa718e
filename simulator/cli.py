"""The `countertalk` command.

Each subcommand lives in `simulator/commands/NAME.py` with `add_arguments(parser)` and
`run(args) -> int`, and imports its heavy dependencies (the engine, Textual) inside `run`, so
`countertalk --help` and `countertalk lint` never pay for the UI. Exit codes: 0 ok, 1 findings or
failure, 2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any, NoReturn

from simulator.commands.common import add_app_options

COMMANDS: dict[str, tuple[str, str]] = {
    "play": ("play", "play a scenario in the app, or as plain text with --plain"),
    "lint": ("lint", "check scenario files and report every problem as file:line:column"),
    "score": ("score", "re-score a saved transcript and print its debrief"),
    "paths": ("paths", "analyse a scenario without playing: endings, best and worst paths"),
    "classroom": ("classroom", "play a scenario with a class on a projector, with votes and teams"),
    "serve": ("serve", "serve the app to a web browser (for projector PCs without a terminal)"),
    "web": ("web", "serve learners accessible web pages: conversations, activities, progress"),
    "new": ("new", "write a commented starter scenario (and its tests) to edit"),
    "test": ("test", "run scenario tests (NAME.test.yaml): paths and what they must score"),
    "lsp": ("lsp", "language server for editors (diagnostics, completion, go to definition)"),
    "schema": ("schema", "print the JSON Schema of the scenario format"),
    "graph": ("graph", "draw a scenario as a Mermaid or Graphviz diagram"),
    "list": ("list", "list the pack: conversations and activities, with their marking points"),
    "progress": (
        "progress",
        "a learner's progress map: every course marking point and its evidence",
    ),
    "report": ("report", "list recorded attempts and per-scenario analytics"),
    "export": ("export", "export recorded attempts as xAPI statements, or send them to an LRS"),
    "db": ("db", "check or migrate the results database (SQLite or PostgreSQL)"),
    "lti": (
        "lti",
        "register the college's VLE (LTI 1.3: Moodle, Canvas), rotate keys, send scores",
    ),
    "learners": ("learners", "a one-time code that moves a learner's name to a new browser"),
    "match": ("match", "show how a typed reply would be understood in a state"),
    "i18n": ("i18n", "translations: extract string tables, check them for new and stale strings"),
}

DESCRIPTION = """\
CounterTalk: role-play practice for customer-service learners.

Run with no command to open the scenario picker."""

EPILOG = """\
examples:
  countertalk                                   pick a scenario in the app
  countertalk play faulty-toaster-day12         play one scenario in the app
  countertalk play my.yaml --plain --seed 3     play as plain text (scriptable)
  countertalk lint --strict scenarios/          check a pack of scenarios
  countertalk COMMAND --help                    help on one command"""


class _Parser(argparse.ArgumentParser):
    def error(
        self, message: str
    ) -> NoReturn:  # usage errors: exit 2 with a hint, never a traceback
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n(try '{self.prog} --help')\n")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("countertalk")
    except Exception:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


class _VersionAction(argparse.Action):
    """Looks the version up only when asked (importlib.metadata costs ~50 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        parser.exit(message=f"countertalk {_version()}\n")


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"simulator.commands.{COMMANDS[name][0]}")


_TOP_OPTIONS = ("pack", "learner", "theme")


def _inherit_top_options(args: argparse.Namespace) -> None:
    """An option given before the command applies unless the command was given its own: the
    top level stores them as `top_*`, so a subcommand's own default (None) can't hide
    `countertalk --pack DIR play ID`."""
    for name in _TOP_OPTIONS:
        top = getattr(args, f"top_{name}", None)
        if getattr(args, name, None) is None:
            setattr(args, name, top)


def build_parser(command: str | None) -> argparse.ArgumentParser:
    top = _Parser(
        prog="countertalk",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action=_VersionAction)
    add_app_options(top, prefix="top_")
    top.add_argument(
        "--theme", metavar="NAME", dest="top_theme", help="a Textual theme, or 'high-contrast'"
    )
    top.add_argument(
        "--db",
        dest="global_db",
        metavar="FILE_OR_URL",
        help="the results database for every command: a file or a postgresql:// URL "
        "(default: $COUNTERTALK_DB, else a file in your user data folder)",
    )
    top.add_argument(
        "--lang",
        dest="global_lang",
        metavar="CODE",
        help="the language learners see: en or cy (Cymraeg) (default: $COUNTERTALK_LANG, else en)",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (_mod, help_text) in COMMANDS.items():
        if command is not None and name != command:
            continue  # a command is being run: only its parser is needed (each costs ~0.3 ms)
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name == command:  # import only the command being run
            _load(name).add_arguments(p)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if next((a for a in argv if not a.startswith("-")), None) == "lsp":  # stdout is a protocol
        return _main(argv)
    from simulator.safe_output import sanitised_streams

    with sanitised_streams():  # no raw terminal control from untrusted text, whatever the path
        return _main(argv)


def _main(argv: list[str]) -> int:
    command = next((a for a in argv if not a.startswith("-")), None)
    if command is not None and command not in COMMANDS:
        # Let "countertalk --pack DIR" through; flag values are not commands.
        idx = argv.index(command)
        if idx == 0 or argv[idx - 1] not in ("--pack", "--learner", "--theme", "--db", "--lang"):
            build_parser(None).error(f"unknown command '{command}'{_close(command)}")
        command = next((a for a in argv[idx + 1 :] if a in COMMANDS), None)
    try:
        parser = build_parser(command)
    except Exception as exc:  # a broken command module must not show a traceback
        from simulator.errors import report_unexpected

        return report_unexpected(exc)
    args = parser.parse_args(argv)
    _inherit_top_options(args)
    saved = {k: os.environ.get(k) for k in ("COUNTERTALK_DB", "COUNTERTALK_LANG")}
    if getattr(args, "global_lang", None):  # every string a learner sees, in this language
        from simulator.engine.i18n import UnknownLanguage, parse_lang, set_default

        try:
            lang = parse_lang(args.global_lang)
        except UnknownLanguage as exc:
            parser.error(str(exc))
        set_default(lang)
        os.environ["COUNTERTALK_LANG"] = lang  # and every process it starts (serve, phones)
    if getattr(args, "global_db", None):  # every Store() (and every served app) opens it
        os.environ["COUNTERTALK_DB"] = args.global_db
    try:
        return _run(args)
    finally:  # called in-process (tests, the app's own commands): leave the environment be
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if getattr(args, "global_lang", None):
            from simulator.engine.i18n import set_default

            set_default(None)


def _run(args: Any) -> int:
    try:
        if args.command is None:
            from simulator.commands import play

            return play.run_picker(args)
        return int(_load(args.command).run(args) or 0)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        import errno

        if exc.errno != errno.ENAMETOOLONG:
            from simulator.errors import report_unexpected

            return report_unexpected(exc)
        # Every command takes file names and ids from the user; a name longer than the file
        # system allows is their input, said plainly, not a crash (Python's stat() raises it).
        from simulator.engine.text import plain
        from simulator.errors import fail

        name = plain(os.fsdecode(exc.filename or ""))
        shown = name if len(name) <= 60 else name[:57] + "..."
        return fail(
            f"'{shown}' is too long for a file name ({len(os.fsencode(name))} bytes; "
            "the limit is 255 a name); give a shorter file name or a scenario id",
            2,
        )
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        from simulator.errors import report_unexpected

        return report_unexpected(exc)


def _close(word: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, COMMANDS, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
