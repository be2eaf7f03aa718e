"""`countertalk serve`: the app in a web browser, for projector PCs with a browser but no terminal.

textual-serve runs one copy of the chosen command per browser connection (the picker by
default, or the classroom with `--classroom`) and relays its screen over a websocket. It has no
authentication, so it listens on loopback unless told otherwise, and says so loudly when it is.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def add_arguments(p: argparse.ArgumentParser) -> None:
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
        "they typed (e.g. behind a proxy)",
    )
    p.add_argument("--pack", metavar="DIR", help="scenario folder (default: the shipped pack)")
    p.add_argument("--theme", metavar="NAME", help="a Textual theme for the served app")
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
  countertalk serve --classroom faulty-toaster-day12 --teams "Red,Blue"
  countertalk serve --host 0.0.0.0 --port 8080       reachable from the room (no password!)"""


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(args) -> str:
    """The shell command textual-serve runs for each browser (quoted: paths may have spaces)."""
    argv = [sys.executable, "-m", "simulator"]
    if args.classroom:
        argv += ["classroom", args.classroom]
        if args.pack:
            argv += ["--pack", args.pack]
        if args.teams:
            argv += ["--teams", args.teams]
        if args.timer is not None:
            argv += ["--timer", str(args.timer)]
        if args.seed is not None:
            argv += ["--seed", str(args.seed)]
        if args.no_save:
            argv.append("--no-save")
        if args.theme:
            argv += ["--theme", args.theme]
    else:
        if args.pack:
            argv += ["--pack", args.pack]
        if args.theme:
            argv += ["--theme", args.theme]
    return shlex.join(argv)


def make_server(args, command: str):
    from textual_serve.server import Server

    class CounterTalkServer(Server):
        """Builds the page's websocket and static URLs from the address the browser used, so a
        server listening on every interface (0.0.0.0) still hands out URLs that work."""

        fixed_url = args.public_url

        async def handle_index(self, request):
            if not self.fixed_url:
                self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

    title = "CounterTalk classroom" if args.classroom else "CounterTalk"
    return CounterTalkServer(
        command, host=args.host, port=args.port, title=title, public_url=args.public_url
    )


def run(args) -> int:
    from simulator.errors import fail

    if not 1 <= args.port <= 65535:
        return fail("--port takes a number from 1 to 65535", 2)
    if args.classroom:
        from simulator.engine.loader import resolve

        try:  # an absolute path: each app process must find it whatever its directory
            args.classroom = str(resolve(args.classroom, args.pack).resolve())
        except FileNotFoundError as exc:
            return fail(str(exc), 2)
    elif args.teams or args.timer is not None or args.seed is not None:
        return fail("--teams, --timer and --seed go with --classroom FILE_OR_ID", 2)
    if not is_loopback(args.host):
        print(
            f"WARNING: listening on {args.host}: anyone who can reach this computer on port "
            f"{args.port} can use CounterTalk through it. It has no password or login. Use it "
            f"only on a network you trust, and stop it (Ctrl+C) after the lesson.",
            file=sys.stderr,
        )
    command = app_command(args)
    server = make_server(args, command)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this computer's
        return fail(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; try another --port"
        )
    return 0
