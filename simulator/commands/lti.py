"""`countertalk lti`: register the college's VLE (Moodle, Canvas, any LTI 1.3 platform) with
`countertalk web`, rotate the tool's key, and send the scores still waiting (docs/lti.md).

`register --url URL` with nothing else prints what to paste into the VLE; with the VLE's
details (its client id and deployment id, and `--moodle SITE`, `--canvas` or the four
addresses) it stores them in the results store, where every `countertalk web` process finds
them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXAMPLES = """\
examples:
  countertalk lti register --url https://countertalk.college.ac.uk
  countertalk lti register --url https://countertalk.college.ac.uk \\
      --moodle https://moodle.college.ac.uk --client-id AbC123xYz --deployment-id 4
  countertalk lti register --url https://countertalk.college.ac.uk \\
      --canvas --client-id 10000000000042 --deployment-id 61:8865aa0
  countertalk lti platforms
  countertalk lti rotate-key
  countertalk lti send"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    reg = sub.add_parser(
        "register",
        help="print what to paste into the VLE; with its details, store them",
        description="Without the VLE's details: print the tool's addresses to paste into the "
        "VLE. With them: store the VLE in the results store.",
    )
    reg.add_argument(
        "--url",
        required=True,
        metavar="URL",
        help="the address learners reach `countertalk web` at (its --public-url)",
    )
    kind = reg.add_mutually_exclusive_group()
    kind.add_argument("--moodle", metavar="SITE", help="the Moodle site's address")
    kind.add_argument("--canvas", action="store_true", help="Canvas (Instructure's cloud)")
    reg.add_argument("--issuer", metavar="ISS", help="the platform's issuer (other platforms)")
    reg.add_argument("--login-url", metavar="URL", help="its OIDC authentication request URL")
    reg.add_argument("--token-url", metavar="URL", help="its OAuth 2 access token URL")
    reg.add_argument("--jwks-url", metavar="URL", help="its public key set (JWKS) URL")
    reg.add_argument("--client-id", metavar="ID", help="the client id the VLE gave the tool")
    reg.add_argument(
        "--deployment-id",
        metavar="ID",
        action="append",
        default=[],
        help="a deployment id the VLE gave the tool (repeatable)",
    )
    reg.add_argument("--name", metavar="NAME", help="a name for the VLE in messages")
    reg.add_argument(
        "--allow-http",
        action="store_true",
        help="accept http:// addresses (a test machine only; VLEs need https)",
    )
    sub.add_parser("platforms", help="list the registered VLEs and the scores waiting")
    rm = sub.add_parser("remove", help="forget a registered VLE")
    rm.add_argument("--issuer", required=True, metavar="ISS")
    rm.add_argument("--client-id", required=True, metavar="ID")
    sub.add_parser(
        "rotate-key",
        help="make a new signing key (the old one stays published for 7 days, then goes)",
    )
    sub.add_parser("send", help="post the scores still waiting to their VLEs now")
    p.epilog = EXAMPLES
    p.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    from simulator.errors import fail
    from simulator.store import Store, StoreError

    try:
        store = Store()
    except StoreError as exc:
        return fail(str(exc))
    try:
        return int(ACTIONS[args.action](store, args))
    except StoreError as exc:
        return fail(str(exc))
    finally:
        store.close()


def _tool_urls(url: str) -> dict[str, str]:
    base = url.rstrip("/")
    return {
        "tool": base,
        "login": base + "/lti/login",
        "launch": base + "/lti/launch",
        "deep_link": base + "/lti/launch",
        "jwks": base + "/lti/jwks",
    }


def _print_tool_side(url: str) -> None:
    u = _tool_urls(url)
    print(
        f"""CounterTalk as an LTI 1.3 tool at {u["tool"]}

Moodle (Site administration > Plugins > Activity modules > External tool > Manage tools >
"configure a tool manually"):
  Tool name                      CounterTalk
  Tool URL                       {u["launch"]}
  LTI version                    LTI 1.3
  Public key type                Keyset URL
  Public keyset                  {u["jwks"]}
  Initiate login URL             {u["login"]}
  Redirection URI(s)             {u["launch"]}
  Supports Deep Linking          yes
  Content Selection URL          {u["deep_link"]}
  Services > IMS LTI Assignment and Grade Services:  "Use this service for grade sync only"
  Privacy > Share launcher's name with tool:  Always
  Default launch container       New window
Then open the tool's "View configuration details" and run this command again, adding
  --moodle SITE --client-id CLIENT_ID --deployment-id DEPLOYMENT_ID

Canvas (Admin > Developer Keys > + Developer Key > + LTI Key, "Manual entry"):
  Title                          CounterTalk
  Redirect URIs                  {u["launch"]}
  Target Link URI                {u["launch"]}
  OpenID Connect Initiation Url  {u["login"]}
  JWK Method                     Public JWK URL: {u["jwks"]}
  LTI Advantage Services         "Can create and update submission results for assignments
                                 associated with the tool" (the score scope)
  Placements                     Assignment Selection, Link Selection (message type
                                 LtiDeepLinkingRequest, URL {u["deep_link"]})
Switch the key ON, copy its Client ID, install it (Settings > Apps > + App > By Client ID),
copy the Deployment ID from the app's menu, and run this command again, adding
  --canvas --client-id CLIENT_ID --deployment-id DEPLOYMENT_ID

Another LTI 1.3 platform: the same addresses, then this command with --issuer, --login-url,
--token-url, --jwks-url, --client-id and --deployment-id."""
    )


def _register(store: Any, args: argparse.Namespace) -> int:
    from simulator.errors import fail
    from simulator.lti.platforms import RegistrationProblem, check_url, preset, registration

    try:
        check_url(args.url, "--url", allow_http=args.allow_http)
    except RegistrationProblem as exc:
        return fail(f"{exc} (the address learners use; give --allow-http on a test machine)", 2)
    has_details = any((args.moodle, args.canvas, args.issuer, args.client_id, args.deployment_id))
    if not has_details:
        _print_tool_side(args.url)
        return 0
    try:
        if args.moodle:
            found = preset("moodle", check_url(args.moodle, "--moodle", allow_http=args.allow_http))
        elif args.canvas:
            found = preset("canvas")
        else:
            missing = [
                flag
                for flag, value in (
                    ("--issuer", args.issuer),
                    ("--login-url", args.login_url),
                    ("--token-url", args.token_url),
                    ("--jwks-url", args.jwks_url),
                )
                if not value
            ]
            if missing:
                return fail(
                    f"give {', '.join(missing)} (or --moodle SITE, or --canvas); "
                    "see 'countertalk lti register --help'",
                    2,
                )
            found = {
                "issuer": args.issuer,
                "auth_login_url": args.login_url,
                "auth_token_url": args.token_url,
                "jwks_url": args.jwks_url,
            }
        platform = registration(
            client_id=args.client_id or "",
            deployments=args.deployment_id,
            name=args.name or "",
            allow_http=args.allow_http,
            **found,
        )
    except RegistrationProblem as exc:
        return fail(str(exc), 2)
    store.save_platform(platform)
    from simulator.lti.keys import ToolKeys

    kid = ToolKeys(store).current().kid
    print(f"Registered {platform.name}: issuer {platform.issuer}, client id {platform.client_id},")
    print(
        f"deployment{'s' if len(platform.deployments) > 1 else ''} "
        f"{', '.join(platform.deployments)}. The tool signs with key {kid}."
    )
    print(
        f"Learners can now open CounterTalk activities from it; tutors add one with the VLE's "
        f"'select content' button (deep linking). Serve with: countertalk web --public-url "
        f"{args.url.rstrip('/')}"
    )
    return 0


def _platforms(store: Any, args: argparse.Namespace) -> int:
    from simulator.store.lti import ags_outbox

    found = store.platforms()
    if not found:
        print("No VLE is registered yet: see 'countertalk lti register --help'.")
        return 0
    for p in found:
        waiting, sent = store.outbox_counts(ags_outbox(p.issuer, p.client_id))
        print(
            f"{p.name}: issuer {p.issuer}, client id {p.client_id}, deployments "
            f"{', '.join(p.deployments)}; scores sent {sent}, waiting {waiting}"
        )
    return 0


def _remove(store: Any, args: argparse.Namespace) -> int:
    from simulator.errors import fail

    if not store.remove_platform(args.issuer, args.client_id):
        return fail(
            "no VLE is registered with that issuer and client id ('countertalk lti platforms')"
        )
    print("Removed.")
    return 0


def _rotate(store: Any, args: argparse.Namespace) -> int:
    from simulator.lti.keys import KEEP_RETIRED, ToolKeys

    key = ToolKeys(store).rotate()
    print(
        f"New signing key {key.kid}. The old key stays in the published key set for "
        f"{int(KEEP_RETIRED // 86400)} days (VLEs cache key sets), then goes."
    )
    return 0


def _send(store: Any, args: argparse.Namespace) -> int:
    from simulator.lti.grades import send_scores
    from simulator.lti.keys import ToolKeys

    report = send_scores(store, ToolKeys(store))
    print(
        f"scores sent: {report.sent}, already there: {report.already}, "
        f"refused: {report.refused}, waiting: {report.waiting}"
    )
    for problem in report.problems:
        print(f"countertalk: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


ACTIONS = {
    "register": _register,
    "platforms": _platforms,
    "remove": _remove,
    "rotate-key": _rotate,
    "send": _send,
}
