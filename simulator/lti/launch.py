"""An LTI 1.3 launch, from the platform's login request to a checked id_token.

The OpenID Connect third-party login (LTI 1.3 Core §5.1, IMS Security Framework §5.1.1):

1. The platform sends the browser to the tool's login address with ``iss``, ``login_hint`` and
   ``target_link_uri`` (and maybe ``client_id``, ``lti_message_hint``, ``lti_deployment_id``).
   :func:`begin_login` finds the registered platform, makes a random ``state`` and ``nonce``,
   keeps them in the store (once-only, 10 minutes) and sends the browser to the platform's
   authorisation address. The state also goes into a cookie of this browser.
2. The platform posts the signed ``id_token`` and the ``state`` back to the launch address.
   :func:`verify_launch` checks, in this order, and **reads no claim before the signature has
   been checked**: the state names an unused login of this tool (so the platform and its
   client id come from our own record, not from the token); the token's header asks for RS256
   and names a key the platform publishes; the signature; then ``iss`` (the registered issuer),
   ``aud`` (our client id; with several audiences, ``azp`` must be ours), ``exp`` and ``iat``
   (a minute's leeway for clocks), the ``nonce`` (the login's), the deployment id (one
   registered), the LTI version and message type. Only then is the login marked used — in the
   store, so a replayed launch is refused by every process.

Refusals are :class:`LaunchRefused`: an HTTP status and a sentence for the page, never a
traceback, and never the token's own text.
"""

from __future__ import annotations

import hmac
import secrets
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from simulator.store.lti import PlatformRecord

from . import claims as C
from .platforms import KeySetProblem, KeySets

LOGIN_MAX_AGE = 600.0  # seconds between the login request and the launch
LEEWAY = 60  # seconds of clock difference allowed on exp and iat
TOKEN_MAX = 64_000  # characters in an id_token (platforms send a few KB)


class LaunchRefused(Exception):
    """The launch cannot go ahead; ``message`` says why and what to do (for the page)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class DeepLinkSettings:
    return_url: str
    data: Any  # opaque (a string, as a rule): sent back as it came
    accept_types: tuple[str, ...]


@dataclass(frozen=True)
class Launch:
    """A checked launch: who, from where, and what it asks for. Every text here came from the
    platform: it is data, shown only escaped."""

    message_type: str
    issuer: str
    client_id: str
    deployment_id: str
    sub: str
    name: str
    roles: tuple[str, ...]
    custom: dict[str, str] = field(default_factory=dict)
    resource_link_id: str | None = None
    lineitem: str | None = None
    ags_scopes: tuple[str, ...] = ()
    deep_link: DeepLinkSettings | None = None
    context_title: str = ""

    @property
    def staff(self) -> bool:
        return any(r in C.STAFF_ROLES for r in self.roles)


@dataclass(frozen=True)
class Login:
    redirect: str  # the platform's authorisation address, with the request
    state: str


def _one(params: dict[str, str], name: str, *, required: bool = True) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise LaunchRefused(400, f"The VLE's login request has no '{name}'.")
        return None
    if len(value) > 2000:
        raise LaunchRefused(400, f"The VLE's login request has a '{name}' that is too long.")
    return value


def begin_login(store: Any, params: dict[str, str], launch_url: str) -> Login:
    """Step 1: remember a new state and nonce and send the browser to the platform."""
    issuer = _one(params, "iss")
    login_hint = _one(params, "login_hint")
    target = _one(params, "target_link_uri")
    client_id = _one(params, "client_id", required=False)
    assert issuer is not None and login_hint is not None and target is not None
    platform = store.platform(issuer, client_id)
    if platform is None:
        raise LaunchRefused(
            403,
            "This VLE is not registered with CounterTalk (or not with that client id). "
            "Ask your administrator to run 'countertalk lti register' (docs/lti.md).",
        )
    deployment = _one(params, "lti_deployment_id", required=False)
    if deployment is not None and deployment not in platform.deployments:
        raise LaunchRefused(
            403,
            "This VLE deployment is not registered with CounterTalk. Ask your administrator "
            "to add its deployment id with 'countertalk lti register'.",
        )
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    store.put_once(
        state,
        "login",
        {"issuer": platform.issuer, "client_id": platform.client_id, "nonce": nonce},
    )
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": launch_url,
        "login_hint": login_hint,
        "state": state,
        "nonce": nonce,
    }
    hint = _one(params, "lti_message_hint", required=False)
    if hint is not None:
        query["lti_message_hint"] = hint
    sep = "&" if urllib.parse.urlsplit(platform.auth_login_url).query else "?"
    return Login(platform.auth_login_url + sep + urllib.parse.urlencode(query), state)


def _text(value: Any, limit: int = 200) -> str:
    return value[:limit] if isinstance(value, str) else ""


def verify_launch(
    store: Any,
    keysets: KeySets,
    id_token: str,
    state: str,
    cookie_state: str | None,
) -> Launch:
    """Step 2: the id_token checked (see the module's docstring), the login used up."""
    import jwt

    if not id_token or not state:
        raise LaunchRefused(400, "The launch came without its id_token or state.")
    if len(id_token) > TOKEN_MAX or len(state) > 200:
        raise LaunchRefused(400, "The launch's id_token is too large.")
    if cookie_state is None:
        raise LaunchRefused(
            403,
            "Your browser did not keep CounterTalk's launch cookie (it may block cookies in "
            "embedded pages). Ask your tutor to set the activity to open in a new window.",
        )
    if not hmac.compare_digest(cookie_state.encode(), state.encode()):
        raise LaunchRefused(
            403, "This launch was started in another browser or tab. Open the activity again."
        )
    login = store.peek_once(state, "login", LOGIN_MAX_AGE)
    if login is None:
        raise LaunchRefused(
            403,
            "This launch has already been used or has expired. Go back to the course page "
            "and open the activity again.",
        )
    platform: PlatformRecord | None = store.platform(
        str(login.get("issuer")), str(login.get("client_id"))
    )
    if platform is None:
        raise LaunchRefused(403, "This VLE is no longer registered with CounterTalk.")

    try:
        header = jwt.get_unverified_header(id_token)  # only to choose the key
    except jwt.DecodeError:
        raise LaunchRefused(400, "The launch's id_token is not a signed token.") from None
    if header.get("alg") != "RS256":
        raise LaunchRefused(403, "The launch's id_token is not signed with RS256.")
    kid = header.get("kid", "")
    if not isinstance(kid, str):
        raise LaunchRefused(400, "The launch's id_token names its key wrongly.")
    try:
        key = keysets.key(platform.jwks_url, kid)
    except KeySetProblem as exc:
        raise LaunchRefused(
            502 if exc.unreachable else 403, f"The launch could not be checked: {exc}."
        ) from None
    try:
        claims = jwt.decode(
            id_token,
            key.key,
            algorithms=["RS256"],
            audience=platform.client_id,
            issuer=platform.issuer,
            leeway=LEEWAY,
            options={"require": ["exp", "iat", "iss", "aud", "nonce"]},
        )
    except jwt.ExpiredSignatureError:
        raise LaunchRefused(
            403, "The launch has expired. Go back to the course page and open the activity again."
        ) from None
    except jwt.InvalidAudienceError:
        raise LaunchRefused(
            403, "The launch was meant for another tool (wrong audience)."
        ) from None
    except jwt.InvalidIssuerError:
        raise LaunchRefused(403, "The launch did not come from the registered VLE.") from None
    except jwt.ImmatureSignatureError:
        raise LaunchRefused(403, "The launch is dated in the future; check the clocks.") from None
    except jwt.MissingRequiredClaimError as exc:
        raise LaunchRefused(403, f"The launch lacks the '{exc.claim}' claim.") from None
    except jwt.InvalidSignatureError:
        raise LaunchRefused(
            403, "The launch's signature is not the VLE's: it was changed on the way."
        ) from None
    except jwt.InvalidTokenError:
        raise LaunchRefused(403, "The launch's id_token could not be verified.") from None

    # From here on the claims are the platform's own.
    aud = claims.get("aud")
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != platform.client_id:
        raise LaunchRefused(403, "The launch was meant for another tool (wrong azp).")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not hmac.compare_digest(
        nonce.encode(), str(login.get("nonce", "")).encode()
    ):
        raise LaunchRefused(403, "The launch's nonce is not the one this login asked for.")
    deployment = claims.get(C.DEPLOYMENT_ID)
    if not isinstance(deployment, str) or deployment not in platform.deployments:
        raise LaunchRefused(
            403,
            "This VLE deployment is not registered with CounterTalk. Ask your administrator "
            "to add its deployment id with 'countertalk lti register'.",
        )
    if claims.get(C.VERSION) != C.LTI_VERSION:
        raise LaunchRefused(400, "The launch is not LTI 1.3.0.")
    message_type = claims.get(C.MESSAGE_TYPE)
    if message_type not in (C.RESOURCE_LINK_REQUEST, C.DEEP_LINKING_REQUEST):
        raise LaunchRefused(400, "CounterTalk does not take that kind of LTI message.")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise LaunchRefused(
            403, "The launch does not say who you are. Open the activity while signed in."
        )
    if store.use_once(state, "login", LOGIN_MAX_AGE) is None:  # two racing launches: one wins
        raise LaunchRefused(
            403,
            "This launch has already been used or has expired. Go back to the course page "
            "and open the activity again.",
        )
    return _launch(claims, platform, message_type, deployment, sub)


def _launch(
    claims: dict[str, Any], platform: PlatformRecord, message_type: str, deployment: str, sub: str
) -> Launch:
    roles = claims.get(C.ROLES)
    custom = claims.get(C.CUSTOM)
    link = claims.get(C.RESOURCE_LINK)
    context = claims.get(C.CONTEXT)
    ags = claims.get(C.AGS_ENDPOINT)
    settings = claims.get(C.DL_SETTINGS)
    name = _text(claims.get("name")) or " ".join(
        x for x in (_text(claims.get("given_name")), _text(claims.get("family_name"))) if x
    )
    lineitem = None
    scopes: tuple[str, ...] = ()
    if isinstance(ags, dict):
        scopes = tuple(s for s in ags.get("scope", ()) if isinstance(s, str))
        if isinstance(ags.get("lineitem"), str) and ags["lineitem"].startswith(("https:", "http:")):
            lineitem = ags["lineitem"]
    deep_link = None
    if message_type == C.DEEP_LINKING_REQUEST:
        if not isinstance(settings, dict) or not isinstance(
            settings.get("deep_link_return_url"), str
        ):
            raise LaunchRefused(400, "The deep-linking request has no return address.")
        accept = settings.get("accept_types")
        deep_link = DeepLinkSettings(
            return_url=settings["deep_link_return_url"],
            data=settings.get("data"),
            accept_types=tuple(a for a in accept if isinstance(a, str))
            if isinstance(accept, list)
            else (),
        )
    elif not isinstance(link, dict) or not isinstance(link.get("id"), str):
        raise LaunchRefused(400, "The launch has no resource link.")
    return Launch(
        message_type=message_type,
        issuer=platform.issuer,
        client_id=platform.client_id,
        deployment_id=deployment,
        sub=sub,
        name=name,
        roles=tuple(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else (),
        custom={str(k): str(v)[:200] for k, v in custom.items() if isinstance(v, str | int)}
        if isinstance(custom, dict)
        else {},
        resource_link_id=str(link["id"]) if isinstance(link, dict) and "id" in link else None,
        lineitem=lineitem,
        ags_scopes=scopes,
        deep_link=deep_link,
        context_title=_text(context.get("title")) if isinstance(context, dict) else "",
    )
