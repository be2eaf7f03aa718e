"""The reply to a deep-linking request: the exercise a tutor chose, as an LTI resource link.

The reply is a JWT signed with the tool's current key (LTI Deep Linking 2.0 §4.2): ``iss`` our
client id, ``aud`` the platform's issuer, the request's ``data`` echoed back, and one
``ltiResourceLink`` content item whose custom parameters name the exercise and the mode — the
platform sends them back in every launch of the activity. The item asks for a gradebook column
(``lineItem``, out of 100) so that the score can be posted with AGS, and to open in a new
window (cookies in an embedded page are blocked by many browsers).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from . import claims as C
from .keys import ToolKeys

REPLY_LIFETIME = 300  # seconds the reply is good for


def resource_item(
    *, launch_url: str, exercise: str, title: str, mode: str, text: str = ""
) -> dict[str, Any]:
    label = title if mode == "practice" else f"{title} (assessed)"
    item: dict[str, Any] = {
        "type": "ltiResourceLink",
        "title": label,
        "url": launch_url,
        "custom": {"exercise": exercise, "mode": mode},
        "lineItem": {"scoreMaximum": 100, "label": label, "resourceId": exercise, "tag": mode},
        "window": {"targetName": "countertalk"},
    }
    if text:
        item["text"] = text
    return item


def reply_token(
    keys: ToolKeys,
    *,
    client_id: str,
    issuer: str,
    deployment_id: str,
    data: Any,
    items: list[dict[str, Any]],
    message: str = "",
    now: float | None = None,
) -> str:
    now = time.time() if now is None else now
    body: dict[str, Any] = {
        "iss": client_id,
        "aud": issuer,
        "iat": int(now),
        "exp": int(now) + REPLY_LIFETIME,
        "nonce": secrets.token_urlsafe(16),
        C.MESSAGE_TYPE: C.DEEP_LINKING_RESPONSE,
        C.VERSION: C.LTI_VERSION,
        C.DEPLOYMENT_ID: deployment_id,
        C.DL_CONTENT_ITEMS: items,
    }
    if data is not None:
        body[C.DL_DATA] = data
    if message:
        body[C.DL_MSG] = message
    return keys.sign(body)
