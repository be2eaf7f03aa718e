"""`countertalk web` as an LTI 1.3 tool: the login, launch, key set and deep-linking routes, and
the task that posts scores to the VLEs (docs/lti.md). The rules are in :mod:`simulator.lti`.

    GET|POST /lti/login      the VLE's login request: a state cookie, then off to the VLE
    POST     /lti/launch     the VLE's signed id_token: checked, then the learner is in
    GET      /lti/jwks       the tool's public keys (the VLE checks our signatures with them)
    POST     /lti/deep-link  the tutor's choice of exercise, signed back to the VLE

Cookies. The VLE posts the launch from its own site, so the state cookie set at login must be
sent on a cross-site POST: it is ``SameSite=None; Secure`` when the server is reached over
https (``--public-url https://…``), and ``SameSite=Lax`` over plain http, where it only works
when the VLE is on the same site (a test machine). The learner's own cookie stays
``SameSite=Strict``: the launch answers with a page of this site that moves on to the exercise,
so the learner's next request is same-site. Browsers that block cookies in embedded pages cannot
keep it inside the VLE's frame, so activities open in a new window (the deep-linking reply asks
for one).

Claims are data: the learner's name, the course's title and every other text from the VLE are
inserted by Jinja2 with autoescaping, never as markup.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from simulator.lti import claims as C
from simulator.lti.deeplink import reply_token, resource_item
from simulator.lti.grades import ScoreReport, queue_score, send_scores
from simulator.lti.keys import ToolKeys
from simulator.lti.launch import Launch, LaunchRefused, begin_login, verify_launch
from simulator.lti.platforms import KeySets
from simulator.serving.server import token_hash
from simulator.store.lti import LinkRecord
from simulator.webguard import clean_name

from .app import STATE, State, state_of
from .play import API_MODES, Outcome, Ref

log = logging.getLogger("countertalk.web.lti")

STATE_COOKIE = "countertalk_lti_state"
DEEP_LINK_MAX_AGE = 3600.0  # seconds a tutor has to choose an exercise
SEND_EVERY = 60.0  # seconds between tries at the scores still waiting
LTI_JS = b"""// CounterTalk's LTI pages: post the signed reply back to the VLE, or go on to the exercise
// (the button and the link are there for a browser without JavaScript).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosubmit]");
  if (form) form.submit();
  const next = document.querySelector("a[data-follow]");
  if (next) window.location.replace(next.href);
});
"""


@dataclass
class LtiState:
    """What the LTI routes share in a process: the keys (read from the store), the platforms'
    key sets, and the score sender's wake-up call."""

    keys: ToolKeys | None = None
    keysets: KeySets = field(default_factory=KeySets)
    wake: asyncio.Event | None = None
    sender: asyncio.Task[None] | None = None
    last_report: ScoreReport | None = None
    loop: asyncio.AbstractEventLoop | None = None


LTI: web.AppKey[LtiState] = web.AppKey("countertalk_lti", LtiState)


def tool_keys(st: State, lt: LtiState) -> ToolKeys:
    if lt.keys is None:
        lt.keys = ToolKeys(st.play.store)
    return lt.keys


def base_url(request: web.Request) -> str:
    public = state_of(request).config.public_url
    if public:
        return public.rstrip("/")
    return f"{request.scheme}://{request.host}"


def add_routes(app: web.Application) -> None:
    st = app[STATE]
    lt = app[LTI] = LtiState()
    r = app.router
    r.add_get("/lti/login", login)
    r.add_post("/lti/login", login)
    r.add_post("/lti/launch", launch)
    r.add_get("/lti/jwks", jwks)
    r.add_post("/lti/deep-link", deep_link)
    r.add_get("/lti/static/lti.js", script)
    st.cross_site.update({"/lti/login", "/lti/launch"})

    def ended(learner: str, outcome: Outcome) -> None:
        """An attempt ended (in a worker thread): its score waits for the VLE, if any."""
        view, score = outcome.view, outcome.score
        if score is None or outcome.ref.saved is None:
            return
        try:
            queued = queue_score(
                st.play.store,
                learner=learner,
                exercise=view.exercise_id,
                mode=view.mode if view.mode in API_MODES else None,
                attempt_id=outcome.ref.saved,
                percent=score.percent,
                grade=score.grade,
                reason=score.reason,
            )
        except Exception:  # noqa: BLE001 - the learner's answer is saved whatever happens here
            log.exception("could not queue the score of attempt %s", outcome.ref.saved)
            return
        if queued and lt.wake is not None and lt.loop is not None:
            lt.loop.call_soon_threadsafe(lt.wake.set)

    st.play.on_ended.append(ended)
    app.on_response_prepare.append(_frame_headers)
    app.on_startup.append(_start_sender)
    app.on_cleanup.append(_stop_sender)


# -- the score sender ------------------------------------------------------------------------------
async def _start_sender(app: web.Application) -> None:
    lt = app[LTI]
    lt.loop = asyncio.get_running_loop()
    lt.wake = asyncio.Event()
    lt.wake.set()  # scores left waiting by an earlier run go first
    lt.sender = asyncio.create_task(_send_loop(app))


async def _stop_sender(app: web.Application) -> None:
    lt = app[LTI]
    if lt.sender is not None:
        lt.sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await lt.sender


async def _send_loop(app: web.Application) -> None:
    st, lt = app[STATE], app[LTI]
    assert lt.wake is not None
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(lt.wake.wait(), timeout=SEND_EVERY)
        lt.wake.clear()
        try:
            store = await st.run(lambda: st.play.store)
            if not await st.run(store.ags_outboxes):
                continue
            report = await st.run(send_scores, store, tool_keys(st, lt))
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - tried again in a minute
            log.exception("sending scores to the VLEs failed")
            continue
        lt.last_report = report
        for problem in report.problems:
            log.warning("LTI scores: %s", problem)


# -- pages -----------------------------------------------------------------------------------------
def _page(request: web.Request, template: str, *, status: int = 200, **kw: Any) -> web.Response:
    from .pages import page

    return page(request, template, status=status, **kw)


def refused(request: web.Request, exc: LaunchRefused) -> web.Response:
    # for the administrator setting up a VLE: the reason, never the token or the learner
    log.info("LTI %s refused (%s): %s", request.path, exc.status, exc.message)
    return _page(
        request,
        "lti_refused.html.j2",
        status=exc.status,
        page_title="This activity could not be opened",
        message=exc.message,
    )


async def _params(request: web.Request) -> dict[str, str]:
    if request.method == "POST":
        data = await request.post()
        return {k: v for k, v in data.items() if isinstance(v, str)}
    return dict(request.query)


async def login(request: web.Request) -> web.StreamResponse:
    st = state_of(request)
    params = await _params(request)
    launch_url = base_url(request) + "/lti/launch"
    try:
        found = await st.run(begin_login, st.play.store, params, launch_url)
    except LaunchRefused as exc:
        return refused(request, exc)
    response = web.Response(status=302, headers={"Location": found.redirect})
    if st.config.secure_cookie:
        # SameSite=None: the VLE posts the launch from its own site. Partitioned (CHIPS): a
        # browser that blocks third-party cookies still keeps this one inside the VLE's frame,
        # kept apart per top-level site, which is all the launch needs. Written by hand:
        # Python 3.11's cookie module does not know "Partitioned". The state is URL-safe.
        response.headers.add(
            "Set-Cookie",
            f"{STATE_COOKIE}={found.state}; Max-Age=600; Path=/lti/; HttpOnly; Secure; "
            "SameSite=None; Partitioned",
        )
    else:  # plain http: only a VLE on the same site gets it back (a test machine)
        response.set_cookie(
            STATE_COOKIE, found.state, max_age=600, httponly=True, samesite="Lax", path="/lti/"
        )
    return response


async def launch(request: web.Request) -> web.StreamResponse:
    st = state_of(request)
    lt = request.app[LTI]
    form = await _params(request)
    try:
        checked = await st.run(
            verify_launch,
            st.play.store,
            lt.keysets,
            form.get("id_token", ""),
            form.get("state", ""),
            request.cookies.get(STATE_COOKIE),
        )
        if checked.message_type == C.DEEP_LINKING_REQUEST:
            response = await _deep_link_page(request, checked)
        else:
            response = await _open_for_learner(request, checked)
    except LaunchRefused as exc:
        response = refused(request, exc)
    if st.config.secure_cookie:  # a partitioned cookie is only cleared by a partitioned one
        response.headers.add(
            "Set-Cookie",
            f"{STATE_COOKIE}=; Max-Age=0; Path=/lti/; HttpOnly; Secure; SameSite=None; Partitioned",
        )
    else:
        response.del_cookie(STATE_COOKIE, path="/lti/")
    return response


async def _open_for_learner(request: web.Request, launch: Launch) -> web.Response:
    """The learner is signed in as the VLE said, and sent to the linked exercise."""
    from .api import set_cookie

    st = state_of(request)
    play = st.play
    token = secrets.token_urlsafe(32)
    wanted = learner_name(launch.name)
    exercise = launch.custom.get("exercise", "")
    mode = launch.custom.get("mode", "practice")
    if mode not in API_MODES:
        mode = "practice"

    def work() -> tuple[str, str, str]:
        import time

        learner = play.store.lti_learner(launch.issuer, launch.sub, wanted, token_hash(token))
        entry = play.entries().get(exercise)
        if entry is None:  # a link made before the pack changed (or with no exercise at all)
            return learner, "/", ""
        if launch.lineitem:
            play.store.save_link(
                LinkRecord(
                    learner=learner,
                    exercise=entry.id,
                    mode=mode,
                    issuer=launch.issuer,
                    client_id=launch.client_id,
                    sub=launch.sub,
                    lineitem=launch.lineitem,
                    launched_at=time.time(),
                )
            )
        for a in play.unfinished(learner):
            if a["exercise"] == entry.id and a["mode"] == mode:
                return learner, f"/attempts/{a['attempt']}", entry.title
        outcome = play.start(learner, entry.id, mode, None)
        return learner, f"/attempts/{urllib.parse.quote(outcome.ref.text)}", entry.title

    learner, where, title = await st.run(work)
    st.names.put(token, learner)
    response = _page(
        request,
        "lti_open.html.j2",
        learner=learner,
        page_title=title or "Exercises",
        where=where,
        title=title,
        course=launch.context_title,
        missing=not title,
    )
    set_cookie(request, response, token)
    return response


def learner_name(given: str) -> str:
    """The name the VLE gave, made fit to record: markup-like parts and characters a learner
    name may not have are dropped (it is shown escaped either way); "Learner" if nothing is
    left."""
    text = re.sub(r"<[^>]*>", " ", given)
    text = re.sub(r"[^\w .'’-]", " ", text)
    text = " ".join(text.split()).lstrip(".'’- ")[:40].strip()
    return clean_name(text) or "Learner"


async def _deep_link_page(request: web.Request, launch: Launch) -> web.Response:
    """The tutor's picker: which exercise the VLE's activity opens, practice or assessed."""
    st = state_of(request)
    settings = launch.deep_link
    assert settings is not None
    if not launch.staff:
        raise LaunchRefused(403, "Only a tutor can choose what this activity opens.")
    if settings.accept_types and "ltiResourceLink" not in settings.accept_types:
        raise LaunchRefused(400, "The VLE does not accept an LTI link here.")
    _return_origin(settings.return_url)
    key = secrets.token_urlsafe(32)
    record = {
        "issuer": launch.issuer,
        "client_id": launch.client_id,
        "deployment_id": launch.deployment_id,
        "return_url": settings.return_url,
        "data": settings.data,
    }

    def remember() -> dict[str, Any]:
        st.play.store.put_once(key, "deeplink", record)
        return st.play.entries()

    entries = await st.run(remember)
    conversations = sorted(
        (e for e in entries.values() if e.kind == "conversation"), key=lambda e: (e.level, e.title)
    )
    activities = sorted(
        (e for e in entries.values() if e.kind != "conversation"), key=lambda e: (e.level, e.title)
    )
    response = _page(
        request,
        "lti_deep_link.html.j2",
        page_title="Choose what this activity opens",
        request_key=key,
        groups=[("Conversations", conversations), ("Activities", activities)],
        course=launch.context_title,
    )
    response.headers["X-CT-Frame-Origin"] = _return_origin(settings.return_url)
    return response


def _return_origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if (
        parts.scheme not in ("https", "http")
        or not re.fullmatch(r"[a-z0-9.-]+|[0-9a-f:.]+", host)
        or parts.username
    ):
        raise LaunchRefused(400, "The VLE's deep-linking return address is not a web address.")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{f'[{host}]' if ':' in host else host}{port}"


async def deep_link(request: web.Request) -> web.Response:
    """The tutor's choice, signed and posted back to the VLE (by the page's form)."""
    st = state_of(request)
    lt = request.app[LTI]
    data = await request.post()
    key = str(data.get("request", ""))[:100]
    exercise = str(data.get("exercise", ""))[:120]
    mode = str(data.get("mode", "practice"))
    try:
        if mode not in API_MODES:
            raise LaunchRefused(400, "Choose practice or assessed.")
        entry = await st.run(lambda: st.play.entries().get(exercise))
        if entry is None:
            raise LaunchRefused(400, "Choose one of the exercises listed.")
        if entry.kind != "conversation":
            mode = "practice"  # an activity has one way of being taken
        record = await st.run(st.play.store.use_once, key, "deeplink", DEEP_LINK_MAX_AGE)
        if record is None:
            raise LaunchRefused(
                403,
                "This choice was already sent, or took too long. Add the activity again from "
                "the VLE.",
            )
        return_url = str(record["return_url"])
        origin = _return_origin(return_url)
        item = resource_item(
            launch_url=base_url(request) + "/lti/launch",
            exercise=entry.id,
            title=entry.title,
            mode=mode,
            text="A CounterTalk exercise: " + entry.title,
        )
        token = await st.run(
            lambda: reply_token(
                tool_keys(st, lt),
                client_id=str(record["client_id"]),
                issuer=str(record["issuer"]),
                deployment_id=str(record["deployment_id"]),
                data=record.get("data"),
                items=[item],
                message=f"Added: {entry.title}",
            )
        )
    except LaunchRefused as exc:
        return refused(request, exc)
    response = _page(
        request,
        "lti_return.html.j2",
        page_title="Sending your choice to the VLE",
        action=return_url,
        jwt=token,
        title=entry.title,
    )
    response.headers["X-CT-Frame-Origin"] = origin
    response.headers["X-CT-Form-Origin"] = origin
    return response


async def jwks(request: web.Request) -> web.Response:
    st = state_of(request)
    lt = request.app[LTI]
    keyset = await st.run(lambda: tool_keys(st, lt).jwks())
    response = web.json_response(keyset)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


async def script(request: web.Request) -> web.Response:
    response = web.Response(body=LTI_JS, content_type="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


async def _frame_headers(request: web.Request, response: web.StreamResponse) -> None:
    """The deep-linking pages open inside the VLE's frame and post to the VLE: for those two
    pages (marked by the handler), framing by the VLE's origin and a form to it are allowed."""
    frame = response.headers.pop("X-CT-Frame-Origin", None)
    form_to = response.headers.pop("X-CT-Form-Origin", None)
    if frame is None:
        return
    from .app import CSP

    csp = CSP.replace("frame-ancestors 'none'", f"frame-ancestors 'self' {frame}")
    if form_to is not None:
        csp = csp.replace("form-action 'self'", f"form-action 'self' {form_to}")
    response.headers["Content-Security-Policy"] = csp
    response.headers.pop("X-Frame-Options", None)


__all__ = ["LTI", "add_routes", "base_url", "Ref"]
