"""`countertalk web`: the learner's conversations and activities as accessible web pages.

One asynchronous process serves many learners (the attempts live in the results store, so
several processes sharing a PostgreSQL database can serve the same learners). Learners sign in
with a name, as with `serve`; there are no passwords, so it listens on loopback unless told
otherwise, and says so loudly when it is not. The work is in simulator/web/.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.classroom.web.listen import Patience


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    p.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach this server, if it is not the one they typed "
        "(e.g. https://countertalk.college.example behind a proxy; cookies are then Secure)",
    )
    p.add_argument(
        "--allow-host",
        metavar="NAME",
        action="append",
        default=[],
        help="another host name browsers may use to reach this server (repeatable)",
    )
    p.add_argument(
        "--class-code",
        metavar="CODE",
        help="learners must type this code with their name (tell it to the class)",
    )
    p.add_argument(
        "--max-learners",
        type=int,
        default=400,
        metavar="N",
        help="learners active at once (in the last 5 minutes) before newcomers are asked to "
        "try again in a minute (default: 400)",
    )
    p.add_argument(
        "--address-limit",
        type=float,
        default=60.0,
        metavar="N",
        help="requests a second from one address (default: 60; 0: no limit). Behind a proxy "
        "every learner has the proxy's address: raise it, or 0",
    )
    add_patience_arguments(p)
    p.add_argument(
        "--pack",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="scenario folder (default: the shipped pack)",
    )
    p.epilog = """\
examples:
  countertalk web                                   learners' pages on http://127.0.0.1:8080
  countertalk web --host 0.0.0.0 --class-code owl7  a lab: names + a class code (no passwords!)
  countertalk --db postgresql://ct@db/countertalk web --port 8081   a second process
  countertalk web --public-url https://countertalk.college.example  behind the college's proxy"""


def add_patience_arguments(p: argparse.ArgumentParser) -> None:
    """Slow clients (issue 31): shared with `serve`."""
    p.add_argument(
        "--request-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="a connection that has not sent a whole request within this many seconds is "
        "closed, however slowly its bytes arrive (default: 10)",
    )
    p.add_argument(
        "--max-connections",
        type=int,
        default=None,
        metavar="N",
        help="connections open at once; when full, the oldest unfinished request makes room "
        "(default: a little below this process's open-file limit)",
    )


def patience_problem(args: argparse.Namespace) -> str:
    if not 0.5 <= args.request_timeout <= 3600:
        return "--request-timeout takes a number of seconds from 0.5 to 3600"
    if args.max_connections is not None and args.max_connections < 16:
        return "--max-connections takes a number of 16 or more"
    return ""


def patience_of(args: argparse.Namespace) -> Patience:
    from simulator.classroom.web.listen import Patience

    return Patience(request_timeout=args.request_timeout, max_connections=args.max_connections)


def run(args: argparse.Namespace) -> int:
    from simulator.errors import fail
    from simulator.webguard import is_loopback

    if not 1 <= args.port <= 65535:
        return fail("--port takes a number from 1 to 65535", 2)
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        return fail("--public-url takes an http:// or https:// address", 2)
    if args.address_limit < 0:
        return fail("--address-limit takes a number of 0 or more", 2)
    if args.max_learners < 1:
        return fail("--max-learners takes a number of 1 or more", 2)
    if patience_problem(args):
        return fail(patience_problem(args), 2)
    pack = getattr(args, "pack", None)
    if pack and not __import__("os").path.isdir(pack):
        return fail(f"no such pack folder: {pack}", 2)
    from simulator.store import Store, StoreError

    try:  # an unreachable database is said now, not in each learner's browser
        Store().close()
    except StoreError as exc:
        return fail(str(exc))
    if not is_loopback(args.host):
        print(
            f"WARNING: listening on {args.host}: anyone who can reach this computer on port "
            f"{args.port} can use CounterTalk through it. It has no password: learners only "
            f"type a name{' and the class code' if args.class_code else ''}. Use it only on a "
            "network you trust (or behind the college's proxy/SSO).",
            file=sys.stderr,
        )
    from simulator.classroom.web.listen import run_guarded
    from simulator.web.app import WebConfig, make_app

    config = WebConfig(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        allow_hosts=tuple(args.allow_host or ()),
        class_code=args.class_code,
        max_learners=args.max_learners,
        per_address_rate=args.address_limit,
        per_address_burst=max(400.0, args.address_limit * 5),
        secure_cookie=bool(args.public_url and args.public_url.startswith("https:")),
        pack=pack,
    )
    where = args.public_url or f"http://{args.host}:{args.port}"
    try:
        # through the connection guard: slow and half-open clients are timed out and capped
        run_guarded(
            make_app(config),
            host=args.host,
            port=args.port,
            patience=patience_of(args),
            ready=lambda: print(f"CounterTalk web is on {where} (Ctrl+C stops it)", flush=True),
        )
    except OSError as exc:
        return fail(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; try another --port"
        )
    return 0
