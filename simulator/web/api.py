"""The JSON API (docs/web.md): what the page's script, the tests and the load test call.

Each handler reads and checks its input, runs one :class:`.play.Play` operation in the thread
pool and sends its plain-data answer. Errors are ``{"error": "..."}`` with a status (the guard
in :mod:`.app` makes sure nothing else, and never a traceback, reaches a browser).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .app import COOKIE, json_body, require_learner, state_of, token_of
from .play import Ref, WebProblem, outcome_json


def add_routes(app: web.Application) -> None:
    r = app.router
    r.add_post("/api/signin", signin)
    r.add_get("/api/exercises", exercises)
    r.add_get("/api/attempts", attempts)
    r.add_post("/api/attempts", start)
    r.add_get("/api/attempts/{attempt}", show)
    r.add_post("/api/attempts/{attempt}/replies", reply)
    r.add_post("/api/attempts/{attempt}/retry", retry)
    r.add_get("/api/progress", progress)


def set_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Strict",
        secure=state_of(request).config.secure_cookie,
        path="/",
    )


async def body(request: web.Request) -> dict[str, Any]:
    return json_body(await request.read())


def _int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise WebProblem(400, "'{key}' must be a whole number", key=key)
    return value


def _str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise WebProblem(400, "'{key}' must be text", key=key)
    return value


async def signin(request: web.Request) -> web.Response:
    data = await body(request)
    st = state_of(request)
    name, code = _str(data, "name") or "", _str(data, "code") or ""
    reclaim = _str(data, "reclaim") or ""  # a tutor's one-time code (learners reclaim NAME)
    token, _ = token_of(request)
    learner, token = await st.run(st.play.signin, name, code, token or None, reclaim)
    if reclaim.strip():  # the browser that had the name has lost it
        st.names.forget_learner(learner)
    st.names.put(token, learner)  # this browser's name now (it may have had another)
    response = web.json_response({"learner": learner, "token": token})
    set_cookie(request, response, token)
    return response


async def exercises(request: web.Request) -> web.Response:
    await require_learner(request)
    st = state_of(request)
    return web.json_response(await st.run(st.play.exercises))


async def attempts(request: web.Request) -> web.Response:
    """The learner's unfinished attempts (to offer resuming), newest first."""
    learner = await require_learner(request)
    st = state_of(request)
    return web.json_response(await st.run(st.play.unfinished, learner))


async def start(request: web.Request) -> web.Response:
    learner = await require_learner(request)
    data = await body(request)
    exercise = _str(data, "exercise")
    if not exercise:
        raise WebProblem(400, "say which 'exercise' to start (an id from /api/exercises)")
    mode = _str(data, "mode") or "practice"
    st = state_of(request)
    outcome = await st.run(st.play.start, learner, exercise, mode, _int(data, "seed"))
    return web.json_response(outcome_json(outcome, with_status=False), status=201)


async def show(request: web.Request) -> web.Response:
    learner = await require_learner(request)
    ref = Ref.parse(request.match_info["attempt"])
    st = state_of(request)
    outcome = await st.run(st.play.state, learner, ref)
    return web.json_response(outcome_json(outcome, with_status=False))


def reply_args(data: dict[str, Any]) -> dict[str, Any]:
    """The reply's fields, checked: option, options (an activity's "spot"), text, confirm,
    turn (the turn it answers; a stale one is refused with 409)."""
    options = data.get("options")
    if options is not None:
        if not isinstance(options, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in options
        ):
            raise WebProblem(400, "'options' must be a list of whole numbers")
        if len(options) > 26:
            raise WebProblem(400, "'options' has too many numbers")
    confirm = data.get("confirm")
    if confirm is not None and not isinstance(confirm, bool):
        raise WebProblem(400, "'confirm' must be true or false")
    return {
        "option": _int(data, "option"),
        "options": tuple(options) if options is not None else None,
        "text": _str(data, "text"),
        "confirm": confirm,
        "turn": _int(data, "turn"),
    }


async def reply(request: web.Request) -> web.Response:
    learner = await require_learner(request)
    ref = Ref.parse(request.match_info["attempt"])
    args = reply_args(await body(request))
    st = state_of(request)
    async with st.attempt_lock(ref.text):
        outcome = await st.run(lambda: st.play.reply(learner, ref, **args))
    return web.json_response(outcome_json(outcome, with_status=True))


async def retry(request: web.Request) -> web.Response:
    learner = await require_learner(request)
    ref = Ref.parse(request.match_info["attempt"])
    turn = _int(await body(request), "turn")
    if turn is None:
        raise WebProblem(400, "say which 'turn' to answer again from")
    st = state_of(request)
    async with st.attempt_lock(ref.text):
        outcome = await st.run(st.play.retry, learner, ref, turn)
    return web.json_response(outcome_json(outcome, with_status=False))


async def progress(request: web.Request) -> web.Response:
    learner = await require_learner(request)
    st = state_of(request)
    return web.json_response({"learner": learner, **await st.run(st.play.progress, learner)})
