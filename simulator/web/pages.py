"""The server-rendered pages: sign-in, the picker, a turn, the debrief, the progress map.

They work with JavaScript off: every action is a form that posts and is answered with a
redirect to the page showing the result (a "Did you mean …?" or a line not understood is shown
straight away, since nothing was taken). The small script in ``static/web.js`` only moves the
focus to the new customer line after each turn, so a screen-reader user hears it first.

Jinja2 autoescapes every value: scenario text and learners' words are only ever text. The one
exception is the debrief, which is the one renderer's HTML (scoring/render.py, itself
autoescaped), placed as it is.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any
from urllib.parse import quote

from aiohttp import web
from markupsafe import Markup

from simulator.engine.i18n import N_, current
from simulator.engine.i18n import gettext as tr

from .api import set_cookie
from .app import COOKIE, Full, learner_of, require_learner, state_of, token_of
from .play import Outcome, Ref, WebProblem, csrf_ok, csrf_token, localised_entry

THEME_COOKIE = "countertalk_theme"
KINDS = {"sort": "sorting", "spot": "spot the problems", "match": "matching", "order": "ordering"}
# The words the picker shows through the catalogue (the template translates them): the kinds
# above, and the topics as `Topic name` (N_ marks them for extraction).
# What web.js writes when it redraws a turn from the JSON API (its t("...") calls).
WEB_JS_WORDS = (
    N_("Question {number} of {total}"),
    N_("Turn {number}"),
    N_("Assessment: feedback comes at the end"),
    N_("Practice"),
    N_("Activity"),
    N_("You answered: {text}"),
    N_("You said: {text}"),
    N_("(understood as: {text})"),
    N_("Your last answer"),
    N_("Right."),
    N_("Not quite."),
    N_("That came across as {how}."),
    N_("rude"),
    N_("blaming"),
    N_("dismissive"),
    N_("The conversation took a turn."),
    N_("{mood} out of 100"),
    N_("{customer}\u2019s mood:"),
    N_("No, none of these"),
    N_("Did you mean\u2026?"),
    N_("You typed: {text}"),
    N_("Yes: {text}"),
    N_("Tick every one that applies, then send"),
    N_("Send my answer"),
    N_("Choose your answer"),
    N_("Choose your reply"),
    N_("Or type your reply in your own words"),
    N_("Send"),
    N_("Answer again from an earlier turn"),
    N_("Turn"),
    N_("Answer again from here"),
    N_("Question {number}"),
    N_("{customer} says"),
    N_("You said:"),
    N_("That wasn\u2019t understood as any of the replies; try other words or choose one."),
)
_PICKER_WORDS = (
    N_("sorting"),
    N_("spot the problems"),
    N_("matching"),
    N_("ordering"),
    N_("Complaint"),
    N_("Data request"),
    N_("Equality"),
    N_("Escalation"),
    N_("Factors"),
    N_("Internal customer"),
    N_("People"),
    N_("Purpose and values"),
    N_("Refund dispute"),
    N_("Rules and improvement"),
    N_("Service and brand"),
    N_("Service recovery"),
    N_("rude"),
    N_("blaming"),
    N_("dismissive"),
)
STATUS_LABELS = {"met": N_("Met"), "missed": N_("Missed"), "not_yet": N_("Not yet")}
STATIC = {"web.css": "text/css", "web.js": "text/javascript"}
_env: Any = None


def environment() -> Any:
    global _env
    if _env is None:
        import jinja2

        _env = jinja2.Environment(
            loader=jinja2.PackageLoader("simulator.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
        )
        # The pages' words in each request's language (simulator/engine/i18n.py, docs/i18n.md).
        from simulator.engine.i18n import gettext, ngettext

        _env.install_gettext_callables(gettext, ngettext, newstyle=True)
        from simulator.engine.i18n import translated

        _env.globals["translated"] = translated  # data texts (marking points) by their English
    return _env


def page(
    request: web.Request, template: str, *, status: int = 200, learner: str | None = None, **kw: Any
) -> web.Response:
    token, _ = token_of(request)
    values = {
        "learner": learner,
        "theme": request.cookies.get(THEME_COOKIE, ""),
        "here": request.path_qs if request.method == "GET" else "/",
        "csrf": csrf_token(token) if token else "",
        "nav": "",
        "page_title": "",
        # <html lang>: the language the page is in, and the one a learner can switch to.
        "html_lang": "cy" if current() == "cy" else "en-GB",
        # web.js's words in this language (a JSON block it reads; nothing for English)
        "web_words": {w: tr(w) for w in WEB_JS_WORDS if tr(w) != w} if current() != "en" else {},
        "other_lang": "en" if current() == "cy" else "cy",
    }
    values.update(kw)
    text = environment().get_template(template).render(**values)
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def error_page(request: web.Request, status: int, message: str) -> web.StreamResponse:
    heading = {
        401: tr("Please sign in"),
        403: tr("That was refused"),
        404: tr("Not found"),
        409: tr("That can’t be done now"),
        429: tr("Slow down a little"),
        503: tr("CounterTalk is full just now"),
    }.get(status, tr("Something went wrong"))
    return page(
        request,
        "error.html.j2",
        status=status,
        heading=heading,
        message=message,
        page_title=heading,
    )


def add_routes(app: web.Application) -> None:
    r = app.router
    r.add_get("/", home)
    r.add_post("/signin", signin)
    r.add_post("/theme", theme)
    r.add_post("/start", start)
    r.add_get("/attempts/{attempt}", turn)
    r.add_post("/attempts/{attempt}/reply", reply)
    r.add_post("/attempts/{attempt}/retry", retry)
    r.add_get("/attempts/{attempt}/debrief", debrief)
    r.add_get("/progress", progress)
    r.add_get("/static/{name}", static)


def see(location: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location)


async def form_of(request: web.Request) -> dict[str, str]:
    """The posted form, its CSRF token checked (this browser's, derived from its cookie)."""
    data = await request.post()
    form = {k: v for k, v in data.items() if isinstance(v, str)}
    token, _ = token_of(request)
    if not csrf_ok(token, form.get("csrf", "")):
        raise WebProblem(403, "This form has expired; go back, reload the page and try again.")
    return form


async def signed_in(request: web.Request) -> str:
    """The learner, or a redirect to the sign-in page."""
    try:
        return await require_learner(request)
    except Full:
        raise
    except WebProblem as exc:
        if exc.status == 401:
            raise see("/") from None
        raise


# -- pages ---------------------------------------------------------------------------------------
async def home(request: web.Request) -> web.Response:
    learner = await learner_of(request)
    st = state_of(request)
    if learner is None:
        return page(
            request,
            "signin.html.j2",
            page_title=tr("Sign in"),
            message="",
            name="",
            class_code=bool(st.config.class_code),
        )
    learner = await signed_in(request)
    exercises, unfinished = await st.run(
        lambda: (list(st.play.entries().values()), st.play.unfinished(learner))
    )
    exercises = [localised_entry(e) for e in exercises]
    conversations = [e for e in exercises if e.kind == "conversation"]
    activities = [e for e in exercises if e.kind != "conversation"]
    groups = [
        {
            "title": tr("Conversations"),
            "intro": tr("Talk a customer through their problem: choose a reply or type your own."),
            "entries": sorted(conversations, key=lambda e: (e.level, e.title)),
        },
        {
            "title": tr("Activities"),
            "intro": tr("Short tasks on the ideas behind good service."),
            "entries": sorted(activities, key=lambda e: (e.level, e.title)),
        },
    ]
    return page(
        request,
        "picker.html.j2",
        learner=learner,
        nav="exercises",
        page_title=tr("Choose an exercise"),
        groups=groups,
        unfinished=unfinished,
        kinds=KINDS,
    )


async def signin(request: web.Request) -> web.Response:
    data = await request.post()
    name, code = str(data.get("name", ""))[:200], str(data.get("code", ""))[:200]
    reclaim = str(data.get("reclaim", ""))[:200]
    st = state_of(request)
    token, _ = token_of(request)
    try:
        learner, token = await st.run(st.play.signin, name, code, token or None, reclaim)
    except WebProblem as exc:
        if exc.status >= 500:
            raise
        return page(
            request,
            "signin.html.j2",
            status=exc.status,
            page_title=tr("Sign in"),
            message=exc.message,
            name=name,
            class_code=bool(st.config.class_code),
            # the one-time code's field open when it is what the learner needs next
            reclaim_open=exc.status == 409 or bool(reclaim.strip()),
        )
    if reclaim.strip():  # the browser that had the name has lost it
        st.names.forget_learner(learner)
    st.names.put(token, learner)  # this browser's name now (it may have had another)
    response = web.Response(status=303, headers={"Location": "/"})
    set_cookie(request, response, token)
    return response


async def theme(request: web.Request) -> web.Response:
    data = await request.post()
    nxt = str(data.get("next", "/"))
    if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
        nxt = "/"
    response = web.Response(status=303, headers={"Location": nxt})
    if request.cookies.get(THEME_COOKIE) == "high-contrast":
        response.del_cookie(THEME_COOKIE, path="/")
    else:
        response.set_cookie(
            THEME_COOKIE, "high-contrast", max_age=365 * 24 * 3600, samesite="Strict", path="/"
        )
    return response


async def start(request: web.Request) -> web.Response:
    learner = await signed_in(request)
    form = await form_of(request)
    mode = form.get("mode", "practice")
    st = state_of(request)
    outcome = await st.run(st.play.start, learner, form.get("exercise", ""), mode, None)
    raise see(f"/attempts/{quote(outcome.ref.text)}")


def _turn_page(request: web.Request, learner: str, o: Outcome, said: str = "") -> web.Response:
    view = o.view
    return page(
        request,
        "turn.html.j2",
        learner=learner,
        page_title=f"{view.title}, turn {view.number}",
        turn=view,
        ref=o.ref.text,
        practice=view.mode != "assess",
        reaction=view.reaction if o.status == "not_understood" else None,
        said=said,
        suggestion=view.suggestion if o.status == "confirm" else None,
        store_problem=view.store_problem,
    )


async def turn(request: web.Request) -> web.Response:
    learner = await signed_in(request)
    ref = Ref.parse(request.match_info["attempt"])
    st = state_of(request)
    outcome = await st.run(st.play.state, learner, ref)
    if outcome.view.ended:
        raise see(f"/attempts/{quote(ref.text)}/debrief")
    return _turn_page(request, learner, outcome)


def _number(value: str | None, what: str) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 6:
        raise WebProblem(400, "{what} must be a number", what=what)
    return int(value)


async def reply(request: web.Request) -> web.Response:
    learner = await signed_in(request)
    ref = Ref.parse(request.match_info["attempt"])
    data = await request.post()
    token, _ = token_of(request)
    if not csrf_ok(token, str(data.get("csrf", ""))):
        raise WebProblem(403, "This form has expired; go back, reload the page and try again.")
    option_text = str(data.get("option", "")) if data.get("option") is not None else None
    confirm = str(data.get("confirm", "")) == "yes"
    text = data.get("text")
    args: dict[str, Any] = {"turn": _number(str(data.get("turn", "")), "turn")}
    if confirm:
        args["confirm"] = option_text not in (None, "none")
        args["option"] = None if option_text in (None, "none") else _number(option_text, "option")
        args["text"] = str(text or "")
    elif "options" in data or (option_text is None and text is None):
        picked = [_number(str(v), "option") for v in data.getall("options", [])]
        args["options"] = tuple(n for n in picked if n is not None)
    elif option_text is not None:
        args["option"] = _number(option_text, "option")
    else:
        args["text"] = str(text)
    st = state_of(request)
    async with st.attempt_lock(ref.text):
        outcome = await st.run(lambda: st.play.reply(learner, ref, **args))
    if outcome.status != "taken":  # nothing was taken: show what the customer made of it
        return _turn_page(request, learner, outcome, said=str(text or ""))
    where = f"/attempts/{quote(outcome.ref.text)}"
    raise see(where + "/debrief" if outcome.view.ended else where)


async def retry(request: web.Request) -> web.Response:
    learner = await signed_in(request)
    ref = Ref.parse(request.match_info["attempt"])
    form = await form_of(request)
    number = _number(form.get("turn"), "turn")
    if number is None:
        raise WebProblem(400, "choose the turn to answer again from")
    st = state_of(request)
    async with st.attempt_lock(ref.text):
        await st.run(st.play.retry, learner, ref, number)
    raise see(f"/attempts/{quote(ref.text)}")


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)


async def debrief(request: web.Request) -> web.Response:
    learner = await signed_in(request)
    ref = Ref.parse(request.match_info["attempt"])
    st = state_of(request)

    def work() -> tuple[Outcome, str]:
        outcome = st.play.state(learner, ref)
        if not outcome.view.ended:
            raise see(f"/attempts/{quote(ref.text)}")
        return outcome, st.play.debrief(learner, ref, "html")

    outcome, body = await st.run(work)
    view = outcome.view
    found = _BODY.search(body)  # a conversation's debrief is a whole document: its body
    heading = None if found else tr("Results: {title}").format(title=view.title)
    return page(
        request,
        "debrief.html.j2",
        learner=learner,
        page_title=tr("Debrief: {title}").format(title=view.title),
        heading=heading,
        score=outcome.score if heading else None,
        body=Markup(found.group(1) if found else body),  # the renderer escaped it
        exercise=view.exercise_id,
        mode=view.mode if view.mode in ("practice", "assess") else "practice",
    )


async def progress(request: web.Request) -> web.Response:
    learner = await signed_in(request)
    st = state_of(request)
    data, entries = await st.run(lambda: (st.play.progress(learner), st.play.entries()))
    return page(
        request,
        "progress.html.j2",
        learner=learner,
        nav="progress",
        page_title=tr("My progress"),
        elements=data["elements"],
        counts=data["counts"],
        next=data["next"],
        labels=STATUS_LABELS,
        titles={k: localised_entry(e).title for k, e in entries.items()},
    )


_static_cache: dict[str, bytes] = {}


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC:
        raise web.HTTPNotFound()
    if name not in _static_cache:
        _static_cache[name] = resources.files("simulator.web").joinpath("static", name).read_bytes()
    response = web.Response(body=_static_cache[name], content_type=STATIC[name])
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


__all__ = ["COOKIE", "add_routes", "error_page"]
