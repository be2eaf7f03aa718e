"""Scores back to the VLE's gradebook (LTI Assignment and Grade Services 2.0), through the
store's outbox.

When an attempt launched from a VLE ends, :func:`queue_score` puts its score in the outbox
(``xapi_outbox`` under the platform's key, one row per attempt: queued once, so sent once).
:func:`send_scores` then posts everything waiting: it asks the platform's token address for an
access token (OAuth 2 client credentials, the tool's signed JWT as the client assertion, the
AGS score scope), and posts each score to its line item's ``/scores``. A score the platform
accepts is marked sent in the same breath; a platform that is down, or slow, keeps the rest
queued for the next try (the web server tries every minute and when it starts).

Two `countertalk web` processes never post the same platform's scores at once: each takes a
lease in the store first. Exactly once: a score whose reply was lost is posted again with the same ``timestamp``; AGS
tells platforms to ignore a score not newer than the one they hold (answering 409 or 200), so
the gradebook still has it once. The score is the attempt's percentage out of 100; the comment
is the grade band and the reason, in the course's words.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import secrets
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.store.lti import PlatformRecord, ags_outbox

from . import claims as C
from .keys import ToolKeys

log = logging.getLogger("countertalk.lti")

BATCH = 50
# seconds one process may hold a platform's scores while posting them (a batch of 50 at 15 s
# each at worst); a process that died holding them is overtaken after this
LEASE = 15.0 * (BATCH + 1)
# A score answered with one of these can never be taken as it is (no such line item, a score
# the platform cannot read). 401, 403 and 5xx are about the VLE or its settings, not the score:
# those keep every score waiting.
REFUSED_FOR_GOOD = (400, 404, 410, 422)
ASSERTION_LIFETIME = 300


@dataclass
class ScoreReport:
    sent: int = 0
    already: int = 0  # the platform held it already (a reply lost last time)
    refused: int = 0  # refused for good (e.g. its gradebook column is gone): not sent again
    waiting: int = 0
    problems: list[str] = field(default_factory=list)


def iso(t: float) -> str:
    return (
        _dt.datetime.fromtimestamp(t, _dt.UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def comment_for(grade: str | None, reason: str | None) -> str:
    """The gradebook comment: the grade band and why, as plain text."""
    if not grade:
        return reason or ""
    return f"{grade}: {reason}" if reason else grade


def queue_score(
    store: Any,
    *,
    learner: str,
    exercise: str,
    mode: str | None,
    attempt_id: int,
    percent: int | None,
    grade: str | None,
    reason: str | None,
    finished_at: float | None = None,
) -> bool:
    """Queue the score of a finished attempt for the VLE the learner launched it from; False
    when it was not launched from one (or has no score, or the link has no gradebook column)."""
    if percent is None:
        return False
    link = store.link_for(learner, exercise, mode)
    if link is None or not link.lineitem:
        return False
    score = {
        "userId": link.sub,
        "scoreGiven": max(0, min(100, int(percent))),
        "scoreMaximum": 100,
        "comment": comment_for(grade, reason)[:1000],
        "timestamp": iso(time.time() if finished_at is None else finished_at),
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
    }
    store.queue_statements(
        ags_outbox(link.issuer, link.client_id),
        [(f"score:{attempt_id}", attempt_id, {"lineitem": link.lineitem, "score": score})],
    )
    return True


def scores_url(lineitem: str) -> str:
    """The line item's score address: ``/scores`` added to its path (before any query)."""
    parts = urllib.parse.urlsplit(lineitem)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


Http = Callable[..., Any]  # bounded_http.request's shape


def _http() -> Http:
    from simulator.tooling.bounded_http import request

    return request


class PlatformDown(Exception):
    """The platform could not be reached or would not take the score now."""


def access_token(platform: PlatformRecord, keys: ToolKeys, http: Http) -> str:
    """An AGS access token (client credentials with the tool's signed assertion)."""
    now = int(time.time())
    assertion = keys.sign(
        {
            "iss": platform.client_id,
            "sub": platform.client_id,
            "aud": platform.auth_token_url,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME,
            "jti": secrets.token_urlsafe(16),
        }
    )
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": C.AGS_SCORE_SCOPE,
        }
    ).encode("ascii")
    try:
        reply = http(
            platform.auth_token_url,
            "POST",
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            form,
            total=15.0,
        )
    except Exception as exc:  # noqa: BLE001 - unreachable, timed out, a broken reply
        raise PlatformDown(f"its token address could not be reached ({exc})") from None
    if reply.status != 200:
        raise PlatformDown(f"its token address answered {reply.status}")
    try:
        token = json.loads(reply.body).get("access_token")
    except (ValueError, AttributeError):
        token = None
    if not isinstance(token, str) or not token:
        raise PlatformDown("its token address gave no access token")
    return token


def send_scores(store: Any, keys: ToolKeys, http: Http | None = None) -> ScoreReport:
    """Post every waiting score to its platform; what is not accepted waits for the next try."""
    http = http or _http()
    report = ScoreReport()
    platforms = {ags_outbox(p.issuer, p.client_id): p for p in store.platforms()}
    for box in store.ags_outboxes():
        platform = platforms.get(box)
        if platform is None:
            report.problems.append(f"scores wait for a platform no longer registered ({box[8:]})")
            continue
        lease = "ags-send " + box
        if not store.take_lease(lease, LEASE):  # another process is sending these now
            continue
        try:
            report.sent, report.already = _send_box(store, keys, http, box, platform, report)
        except PlatformDown as exc:
            report.problems.append(f"{platform.name}: {exc}; the scores wait for the next try")
        finally:
            store.drop_lease(lease)
    report.waiting = sum(store.outbox_counts(box)[0] for box in store.ags_outboxes())
    return report


def _send_box(
    store: Any, keys: ToolKeys, http: Http, box: str, platform: PlatformRecord, report: ScoreReport
) -> tuple[int, int]:
    pending = store.pending_statements(box, limit=BATCH)
    if not pending:
        return report.sent, report.already
    token = access_token(platform, keys, http)
    for sid, body in pending:
        lineitem, score = body.get("lineitem"), body.get("score")
        if not isinstance(lineitem, str) or not isinstance(score, dict):
            continue
        try:
            reply = http(
                scores_url(lineitem),
                "POST",
                {
                    "Content-Type": C.SCORE_MEDIA_TYPE,
                    "Authorization": f"Bearer {token}",
                    "Accept": "application/json",
                },
                json.dumps(score).encode("utf-8"),
                total=15.0,
            )
        except Exception as exc:  # noqa: BLE001
            raise PlatformDown(f"it could not be reached ({exc})") from None
        if reply.status in (200, 201, 202, 204):
            store.mark_sent(box, [sid])
            report.sent += 1
        elif reply.status == 409:  # it holds this score (or a newer one) already
            store.mark_sent(box, [sid])
            report.already += 1
        elif reply.status in REFUSED_FOR_GOOD:
            # this score can never be taken (its gradebook column was deleted, say): said, and
            # put aside, so that it does not hold back every later score for this VLE
            store.mark_sent(box, [sid])
            report.refused += 1
            report.problems.append(
                f"{platform.name} refused the score of attempt {sid.removeprefix('score:')} "
                f"({reply.status}: its gradebook column may have been deleted); it will not be "
                "sent again"
            )
        else:  # down, overloaded, or not allowed (a setting in the VLE): all of them wait
            raise PlatformDown(f"it answered {reply.status} to a score")
    return report.sent, report.already
