"""The tool's own RSA keys: what it signs its deep-linking replies and its AGS token requests
with, and the key set (JWKS) platforms fetch to check them.

The keys live in the results store (``lti_keys``), so every `countertalk web` process signs with
the same key and publishes the same set. Rotation (`countertalk lti rotate-key`): a new key signs
from then on; the old one stays in the published set for ``KEEP_RETIRED`` (platforms cache key
sets, and a token signed a moment before the rotation must still check), then goes.
The private keys are as secret as the store itself: keep the database's credentials close.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

KEEP_RETIRED = 7 * 24 * 3600.0  # a retired key stays published this long
RELOAD = 30.0  # seconds a process trusts its copy of the key list (another may have rotated)
ALG = "RS256"


@dataclass(frozen=True)
class ToolKey:
    kid: str
    private: Any  # cryptography's RSAPrivateKey
    created_at: float
    retired_at: float | None


def new_private_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def public_jwk(private: Any, kid: str) -> dict[str, Any]:
    """The public half as a JWK, with the ``kid``, ``alg`` and ``use`` platforms match on."""
    from jwt.algorithms import RSAAlgorithm

    jwk: dict[str, Any] = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    jwk.update({"kid": kid, "alg": ALG, "use": "sig"})
    return jwk


def public_pem(private: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    return str(
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def _kid(pem: str) -> str:
    digest = hashlib.sha256(pem.encode("ascii") + uuid.uuid4().bytes).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode("ascii").rstrip("=")


class ToolKeys:
    """The tool's keys, read from ``store`` (a key is made the first time one is needed)."""

    def __init__(self, store: Any, clock: Any = time.time) -> None:
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._keys: list[ToolKey] = []
        self._loaded = -1e18
        self._parsed: dict[str, Any] = {}

    def rotate(self) -> ToolKey:
        """A new signing key; the others retire (published a while longer, then dropped)."""
        pem = new_private_pem()
        kid = _kid(pem)
        self.store.add_tool_key(kid, pem, retire_others=True)
        self.store.drop_retired_keys(self.clock() - KEEP_RETIRED)
        self._loaded = -1e18
        return self.current()

    def all(self) -> list[ToolKey]:
        """Every published key, newest first (reloaded from the store every ``RELOAD`` s)."""
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        with self._lock:
            if self.clock() - self._loaded > RELOAD:
                rows = self.store.tool_keys()
                keys = []
                for kid, pem, created, retired in rows:
                    if retired is not None and retired < self.clock() - KEEP_RETIRED:
                        continue
                    private = self._parsed.get(kid)
                    if private is None:
                        private = load_pem_private_key(pem.encode("ascii"), password=None)
                        self._parsed[kid] = private
                    keys.append(ToolKey(kid, private, created, retired))
                self._keys, self._loaded = keys, self.clock()
            return list(self._keys)

    def current(self) -> ToolKey:
        """The key that signs now (made, and stored, if there is none)."""
        for key in self.all():
            if key.retired_at is None:
                return key
        pem = new_private_pem()
        self.store.add_tool_key(_kid(pem), pem, retire_others=True)
        self._loaded = -1e18
        return next(k for k in self.all() if k.retired_at is None)

    def jwks(self) -> dict[str, Any]:
        """The published key set: the signing key and the recently retired ones."""
        self.current()
        return {"keys": [public_jwk(k.private, k.kid) for k in self.all()]}

    def sign(self, claims: dict[str, Any]) -> str:
        import jwt

        key = self.current()
        return jwt.encode(claims, key.private, algorithm=ALG, headers={"kid": key.kid})
