"""A platform's registration (what `countertalk lti register` stores) and its key set.

Moodle and Canvas publish their endpoints at fixed places, so a tutor gives Moodle's site
address (or says Canvas) and the rest is filled in; any other platform gives the four addresses
itself. A platform's key set (JWKS) is fetched with a bounded request (time and size; no
redirect followed), kept for ``JWKS_TTL`` and fetched again at once when a token names a key
the copy does not have (the platform rotated its key).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from simulator.store.lti import PlatformRecord

JWKS_TTL = 3600.0
JWKS_MIN_REFETCH = 10.0  # seconds: a token with an unknown kid does not refetch faster
CANVAS_ISSUER = "https://canvas.instructure.com"


class RegistrationProblem(ValueError):
    """What is wrong with a registration, in words, with what to do."""


def check_url(url: str, what: str, *, allow_http: bool = False) -> str:
    """``url`` if it is an absolute https (or, for testing on one machine, http) address."""
    url = (url or "").strip()
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        parts = None
    schemes = ("https", "http") if allow_http else ("https",)
    if (
        parts is None
        or parts.scheme not in schemes
        or not parts.hostname
        or parts.username
        or any(ch.isspace() or not ch.isprintable() for ch in url)
    ):
        need = "an https:// address" + (" (or http:// on a test machine)" if allow_http else "")
        raise RegistrationProblem(f"{what} must be {need}, not '{url[:80]}'")
    return url


def preset(kind: str, site: str = "") -> dict[str, str]:
    """The issuer and endpoints of a Moodle site or of Canvas (cloud)."""
    if kind == "moodle":
        site = site.rstrip("/")
        return {
            "issuer": site,
            "auth_login_url": f"{site}/mod/lti/auth.php",
            "auth_token_url": f"{site}/mod/lti/token.php",
            "jwks_url": f"{site}/mod/lti/certs.php",
        }
    if kind == "canvas":
        return {
            "issuer": CANVAS_ISSUER,
            "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
            "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
            "jwks_url": "https://sso.canvaslms.com/api/lti/security/jwks",
        }
    raise RegistrationProblem(f"no preset called '{kind}'")


def registration(
    *,
    issuer: str,
    client_id: str,
    deployments: list[str],
    auth_login_url: str,
    auth_token_url: str,
    jwks_url: str,
    name: str = "",
    allow_http: bool = False,
) -> PlatformRecord:
    """A checked registration (every address absolute, a client id and a deployment id)."""
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 200:
        raise RegistrationProblem("give the client id the platform showed (--client-id)")
    deps = [d.strip() for d in deployments if d and d.strip()]
    if not deps:
        raise RegistrationProblem("give at least one deployment id (--deployment-id)")
    issuer = (issuer or "").strip()
    if not issuer or len(issuer) > 300:
        raise RegistrationProblem("give the platform's issuer (--issuer)")
    return PlatformRecord(
        issuer=issuer,
        client_id=client_id,
        name=(name or urllib.parse.urlsplit(issuer).hostname or issuer)[:100],
        auth_login_url=check_url(auth_login_url, "the login address", allow_http=allow_http),
        auth_token_url=check_url(auth_token_url, "the token address", allow_http=allow_http),
        jwks_url=check_url(jwks_url, "the key set address", allow_http=allow_http),
        deployments=tuple(dict.fromkeys(deps)),
        registered_at=time.time(),
    )


class KeySetProblem(Exception):
    """The platform's key set could not be had (``unreachable``), or has no key for the token."""

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


def fetch_jwks(url: str, *, total: float = 10.0) -> dict[str, Any]:
    from simulator.tooling.bounded_http import HttpLimit, request

    try:
        reply = request(url, "GET", {"Accept": "application/json"}, total=total, max_body=256_000)
    except (OSError, HttpLimit) as exc:
        raise KeySetProblem(
            f"the platform's key set could not be fetched ({exc})", unreachable=True
        ) from None
    except Exception as exc:  # noqa: BLE001 - http.client's own errors: a broken reply
        raise KeySetProblem(
            f"the platform's key set could not be read ({exc})", unreachable=True
        ) from None
    if reply.status != 200:
        raise KeySetProblem(
            f"the platform's key set address answered {reply.status}", unreachable=True
        )
    try:
        data = json.loads(reply.body)
    except ValueError:
        raise KeySetProblem("the platform's key set is not JSON", unreachable=True) from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeySetProblem("the platform's key set has no 'keys' list", unreachable=True)
    return data


@dataclass
class _Cached:
    fetched: float
    keys: dict[str, Any]  # kid -> PyJWK


class KeySets:
    """Platforms' key sets by address, fetched when first needed and when a token names a key
    the copy lacks. Thread-safe; ``fetch`` is replaceable for tests."""

    def __init__(self, fetch: Any = fetch_jwks, clock: Any = time.monotonic) -> None:
        self.fetch, self.clock = fetch, clock
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def _load(self, url: str) -> _Cached:
        import jwt

        data = self.fetch(url)
        keys: dict[str, Any] = {}
        for raw in data["keys"]:
            if not isinstance(raw, dict) or raw.get("kty") != "RSA":
                continue
            if raw.get("use", "sig") != "sig" or raw.get("alg", "RS256") != "RS256":
                continue
            try:
                jwk = jwt.PyJWK(raw, algorithm="RS256")
            except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
                continue
            keys[str(raw.get("kid", ""))] = jwk
        return _Cached(self.clock(), keys)

    def key(self, url: str, kid: str) -> Any:
        """The platform's public key named ``kid`` (a PyJWK)."""
        with self._lock:
            cached = self._cache.get(url)
            now = self.clock()
            stale = cached is None or now - cached.fetched > JWKS_TTL
            missing = cached is not None and kid not in cached.keys
            if stale or (
                missing and cached is not None and now - cached.fetched > JWKS_MIN_REFETCH
            ):
                cached = self._cache[url] = self._load(url)
            assert cached is not None
            found = cached.keys.get(kid)
            if found is None and kid == "" and len(cached.keys) == 1:
                found = next(iter(cached.keys.values()))
        if found is None:
            raise KeySetProblem("the token names a key the platform does not publish")
        return found
