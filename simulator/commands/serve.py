"""`countertalk serve`: the app in a web browser, for projector PCs and college labs.

textual-serve runs one copy of the chosen command per browser connection (the picker by default,
or the classroom with `--classroom`) and relays its screen over a websocket. The picker asks each
browser for a learner name first and records that browser's attempts under it (see
simulator/serving/server.py). There are no passwords, so it listens on loopback unless told
otherwise, and says so loudly when it is not.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from simulator.webguard import is_loopback  # noqa: F401  (re-exported for callers)


def add_arguments(p: argparse.ArgumentParser) -> None:
    # SUPPRESS: options also given before the command (countertalk --pack DIR serve) survive
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach this server, if it is not the one "
        "they typed (e.g. https://countertalk.college.example behind a proxy)",
    )
    p.add_argument(
        "--allow-host",
        metavar="NAME",
        action="append",
        default=[],
        help="another host name browsers may use to reach this server (repeatable)",
    )
    p.add_argument(
        "--pack",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="scenario folder (default: the shipped pack)",
    )
    p.add_argument(
        "--theme",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="a Textual theme for the served app",
    )
    p.add_argument(
        "--max-apps",
        type=int,
        default=40,
        metavar="N",
        help="app processes at once for the whole server (default: 40; each takes ~40 MB); "
        "a browser beyond it is asked to wait",
    )
    from simulator.commands.web import add_patience_arguments

    add_patience_arguments(p)
    who = p.add_argument_group("who is playing (default: each browser is asked for a name)")
    who.add_argument(
        "--learner",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="record every browser under this one name instead of asking (one shared screen)",
    )
    who.add_argument(
        "--class-code",
        metavar="CODE",
        help="learners must type this code with their name (tell it to the class)",
    )
    what = p.add_argument_group("what to serve (default: the scenario picker)")
    what.add_argument(
        "--classroom",
        metavar="FILE_OR_ID",
        help="serve classroom mode for this scenario instead of the picker",
    )
    what.add_argument("--teams", metavar='"RED,BLUE,…"', help="(classroom) team names")
    what.add_argument("--timer", type=int, metavar="SECONDS", help="(classroom) a countdown")
    what.add_argument("--seed", type=int, metavar="N", help="(classroom) seed")
    what.add_argument(
        "--no-save", action="store_true", help="(classroom) do not record the class session"
    )
    p.epilog = """\
examples:
  countertalk serve                                  the picker on http://127.0.0.1:8000
  countertalk serve --host 0.0.0.0 --class-code owl7 a lab: names + a class code (no passwords!)
  countertalk --db postgresql://ct@db/countertalk serve --host 0.0.0.0
  countertalk serve --classroom faulty-toaster-day12 --teams "Red,Blue"
  countertalk serve --host 127.0.0.1 --public-url https://countertalk.college.example
                                                     behind the college's proxy / SSO"""


def _opt(args: argparse.Namespace, name: str) -> Any:
    return getattr(args, name, None)


def app_argv(args: argparse.Namespace) -> list[str]:
    """The command textual-serve runs for each browser (the server adds ``--learner NAME``)."""
    # -I (isolated): the folder serve was started from is not on the app's import path, so an
    # argparse.py or json.py left there is never run; PYTHON* variables are ignored too.
    argv = [sys.executable, "-I", "-m", "simulator"]
    pack, theme = _opt(args, "pack"), _opt(args, "theme")
    if args.classroom:
        argv += ["classroom", args.classroom]
        if pack:
            argv += ["--pack", pack]
        if args.teams:
            argv += ["--teams", args.teams]
        if args.timer is not None:
            argv += ["--timer", str(args.timer)]
        if args.seed is not None:
            argv += ["--seed", str(args.seed)]
        if args.no_save:
            argv.append("--no-save")
        if theme:
            argv += ["--theme", theme]
    else:
        if pack:
            argv += ["--pack", pack]
        if theme:
            argv += ["--theme", theme]
    return argv


def app_command(args: argparse.Namespace) -> str:
    """The shell command for one browser (quoted: paths may have spaces)."""
    import shlex

    argv = app_argv(args)
    if not args.classroom and _opt(args, "learner"):
        argv += ["--learner", args.learner]
    return shlex.join(argv)


def make_server(args: argparse.Namespace, command: str) -> Any:
    from simulator.commands.web import patience_of
    from simulator.serving.server import make_server as build

    learner = _opt(args, "learner")
    return build(
        app_argv(args),
        host=args.host,
        port=args.port,
        title="CounterTalk classroom" if args.classroom else "CounterTalk",
        public_url=args.public_url,
        learner=None if args.classroom else learner,
        ask_names=not args.classroom and not learner,
        class_code=args.class_code,
        allow_hosts=tuple(args.allow_host or ()),
        max_apps=args.max_apps,
        patience=patience_of(args),
    )


def run(args: argparse.Namespace) -> int:
    from simulator.errors import fail
    from simulator.serving.names import learner_name

    if not 1 <= args.port <= 65535:
        return fail("--port takes a number from 1 to 65535", 2)
    if not 1 <= args.max_apps <= 10_000:
        return fail("--max-apps takes a number from 1 to 10000", 2)
    from simulator.commands.web import patience_problem

    if patience_problem(args):
        return fail(patience_problem(args), 2)
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        return fail("--public-url takes an http:// or https:// address", 2)
    learner = _opt(args, "learner")
    if learner is not None:
        name, problem = learner_name(learner)
        if name is None:
            return fail(f"--learner: {problem[0].lower()}{problem[1:]}", 2)
        args.learner = name
    if args.classroom:
        from simulator.engine.loader import resolve

        try:  # an absolute path: each app process must find it whatever its directory
            args.classroom = str(resolve(args.classroom, _opt(args, "pack")).resolve())
        except FileNotFoundError as exc:
            return fail(str(exc), 2)
        if args.class_code:
            return fail("--class-code is for the picker; classroom mode has one shared screen", 2)
    elif args.teams or args.timer is not None or args.seed is not None:
        return fail("--teams, --timer and --seed go with --classroom FILE_OR_ID", 2)
    if not is_loopback(args.host):
        print(
            f"WARNING: listening on {args.host}: anyone who can reach this computer on port "
            f"{args.port} can use CounterTalk through it. It has no password or login: learners "
            f"only type a name{' and the class code' if args.class_code else ''}. Use it only "
            f"on a network you trust (or behind the college's proxy/SSO), and stop it (Ctrl+C) "
            f"after the lesson.",
            file=sys.stderr,
        )
    if learner and not args.classroom:
        print(
            f"Every browser will play as '{args.learner}' and see that learner's attempts.",
            file=sys.stderr,
        )
    if not args.classroom or not args.no_save:
        from simulator.store import Store, StoreError

        try:  # an unreachable database is said now, not in each learner's browser
            Store().close()
        except StoreError as exc:
            return fail(str(exc))
    server = make_server(args, app_command(args))
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this computer's
        return fail(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; try another --port"
        )
    return 0
