"""The aiohttp application behind `countertalk web`: the guard, the JSON API and the pages.

Every request passes the same guard, the phone server's defences (simulator/webguard.py reads
Host and Origin for both):

* **Host** must be one of this server's names (no DNS rebinding); **Origin**, when a browser
  sends one, must be this server's page. A form post must also carry the browser's CSRF token
  (derived from its HttpOnly cookie, see :func:`.play.csrf_token`).
* **Limits**: bodies are capped (413), token buckets per address and per learner (429), and a
  cap on learners active at once, so a full server says "try again in a minute" (503 with
  Retry-After) instead of slowing every learner down.
* **Errors** are one JSON object ``{"error": "..."}`` (or a page saying it), never a traceback.
* **Headers**: a strict Content-Security-Policy (only this server's own files; no inline script
  or style), no framing, no caching of learners' pages.

Nothing a learner did is held here between requests: the blocking work (:class:`.play.Play`)
runs in a thread pool and rebuilds each exercise from the store. The only memory is what
may be lost without harm: the limits' counters and a lock per attempt (two clicks of the same
browser at once are taken one after the other, so neither is lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from simulator.classroom.web.limits import Buckets
from simulator.engine.i18n import N_
from simulator.engine.i18n import gettext as tr
from simulator.webguard import HostPolicy

from .play import Play, WebProblem

log = logging.getLogger("countertalk.web")

T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

COOKIE = "countertalk_web"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: with no-referrer a browser posts forms with "Origin: null"
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class WebConfig:
    """How one `countertalk web` process is set up."""

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None
    allow_hosts: tuple[str, ...] = ()
    class_code: str | None = None
    max_learners: int = 400  # learners active at once (seen within ``active_window``)
    active_window: float = 300.0
    retry_after: int = 60  # seconds a learner is asked to wait when the server is full
    threads: int = 8  # the pool that runs store, scoring and typed-reply work
    cache: int = 500  # rebuilt exercises kept (checked against the store on every use)
    max_body: int = 16 * 1024
    per_address_rate: float = (
        60.0  # requests a second from one address (a class behind NAT; 0: off)
    )
    per_address_burst: float = 400.0
    per_learner_rate: float = 5.0
    per_learner_burst: float = 30.0
    secure_cookie: bool = False
    pack: str | None = None
    db: str | None = None  # None: $COUNTERTALK_DB / the default store


class Active:
    """The learners seen within a window: a new learner beyond ``limit`` is turned away."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[str, float] = {}

    def admit(self, learner: str) -> bool:
        now = self.clock()
        if learner in self._seen:
            self._seen[learner] = now
            return True
        if len(self._seen) >= self.limit:
            cutoff = now - self.window
            self._seen = {k: t for k, t in self._seen.items() if t >= cutoff}
            if len(self._seen) >= self.limit:
                return False
        self._seen[learner] = now
        return True

    def __len__(self) -> int:
        return len(self._seen)


class Names:
    """Who holds a token, remembered for a few seconds: a learner's every request would
    otherwise be one more store read. Only a sign-in changes what a token names (and a
    tutor freeing a name, which a few seconds later is seen here too)."""

    def __init__(self, ttl: float = 10.0, size: int = 5000) -> None:
        self.ttl, self.size = ttl, size
        self._known: dict[str, tuple[float, str]] = {}

    def get(self, token: str) -> str | None:
        found = self._known.get(token)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, token: str, learner: str) -> None:
        if len(self._known) >= self.size:
            self._known.clear()
        self._known[token] = (time.monotonic() + self.ttl, learner)

    def forget(self, token: str) -> None:
        self._known.pop(token, None)

    def forget_learner(self, learner: str) -> None:
        """Every token remembered for ``learner`` (the name moved to a new browser)."""
        self._known = {t: v for t, v in self._known.items() if v[1] != learner}


@dataclass
class State:
    """What one process holds: shared, stateless services and harmless counters."""

    config: WebConfig
    play: Play
    policy: HostPolicy
    pool: ThreadPoolExecutor
    active: Active
    per_address: Buckets
    per_learner: Buckets
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    names: Names = field(default_factory=Names)
    warming: asyncio.Future[None] | None = None
    # Paths another site's page may post to (the LTI login and launch: a VLE's form posts
    # there; what they carry is checked by its signature, not by its Origin).
    cross_site: set[str] = field(default_factory=set)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Blocking work (store, scoring, the typed-reply model) in the thread pool."""
        # In this request's context: its language (a ContextVar) goes with the work.
        ctx = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self.pool, ctx.run, fn, *args)

    @contextlib.asynccontextmanager
    async def attempt_lock(self, key: str) -> Any:
        """One request at a time per attempt in this process (the other waits its turn)."""
        lock = self.locks.get(key)
        if lock is None:
            lock = self.locks[key] = asyncio.Lock()
        try:
            async with lock:
                yield
        finally:
            if not lock.locked() and not getattr(lock, "_waiters", None):
                self.locks.pop(key, None)


STATE: web.AppKey[State] = web.AppKey("countertalk_web_state", State)


def state_of(request: web.Request) -> State:
    return request.app[STATE]


# -- errors --------------------------------------------------------------------------------------
def is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str, retry_after: int | None = None) -> web.Response:
    response = web.json_response({"error": message}, status=status)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    response.headers.update(SECURITY_HEADERS)
    return response


# What each HTTP error the framework raises is called, in words for the learner.
REASONS = {
    400: N_("That request could not be read."),
    404: N_("There is no such page."),
    405: N_("That is not something this address does."),
    413: N_("That request is too large."),
}


# -- who is asking -------------------------------------------------------------------------------
def token_of(request: web.Request) -> tuple[str, bool]:
    """(token, by_cookie): the Bearer token, else the cookie's."""
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth[7:].strip(), False
    return request.cookies.get(COOKIE, ""), True


async def learner_of(request: web.Request) -> str | None:
    st = state_of(request)
    token, _ = token_of(request)
    if not token:
        return None
    known = st.names.get(token)
    if known is not None:
        return known
    learner = await st.run(st.play.learner_for, token)
    if learner is not None:
        st.names.put(token, learner)
    return learner


async def require_learner(request: web.Request) -> str:
    """The signed-in learner, admitted under the cap and the per-learner limit."""
    learner = await learner_of(request)
    if learner is None:
        raise WebProblem(401, "Sign in with your name first.")
    st = state_of(request)
    if not st.active.admit(learner):
        raise Full()
    if not st.per_learner.take(learner):
        raise WebProblem(429, "Too many requests: wait a moment and try again.")
    return learner


class Full(WebProblem):
    def __init__(self) -> None:
        super().__init__(
            503, N_("CounterTalk is full just now: try again in a minute (your work is saved).")
        )


# -- the guard -----------------------------------------------------------------------------------
def make_guard(render_error: Callable[[web.Request, int, str], web.StreamResponse]) -> Any:
    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        began = time.perf_counter()
        st = state_of(request)
        api = is_api(request)

        def error(status: int, message: str) -> web.StreamResponse:
            # In the request's language (the language middleware runs outside this guard): the
            # catalogue's words for the English sentence, or the sentence as it is.
            message = tr(message)
            retry = st.config.retry_after if status == 503 else (2 if status == 429 else None)
            if api:
                return json_error(status, message, retry)
            response = render_error(request, status, message)
            if retry is not None:
                response.headers["Retry-After"] = str(retry)
            return response

        if not st.policy.allows(request.headers.get("Host")):
            return error(
                421,
                N_(
                    "This CounterTalk server does not answer to that address. "
                    "(Tutor: start it with --public-url or --allow-host NAME.)"
                ),
            )
        if st.config.per_address_rate > 0 and not st.per_address.take(request.remote or "?"):
            return error(429, N_("Too many requests: wait a moment and try again."))
        origin = request.headers.get("Origin")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            _token, by_cookie = token_of(request)
            if (
                origin is not None
                and request.path not in st.cross_site
                and not st.policy.origin_allowed(origin, request.scheme, request.host)
            ):
                return error(403, N_("Only CounterTalk's own page may do that (wrong Origin)."))
            if api and by_cookie and origin is None and request.cookies.get(COOKIE):
                # a browser's cookie without its Origin: not from this page
                return error(403, N_("Only CounterTalk's own page may do that (no Origin)."))
        try:
            response = await handler(request)
        except WebProblem as exc:
            return error(exc.status, exc.said())
        except web.HTTPRedirection:
            raise
        except web.HTTPException as exc:
            if exc.status >= 400:
                return error(exc.status, REASONS.get(exc.status, exc.reason))
            raise
        except (asyncio.CancelledError, KeyboardInterrupt):
            raise
        except ConnectionResetError:
            # the client left mid-request, or the connection guard closed a slow one: no one
            # to answer, and not a fault to log (a thousand slow clients would fill the log)
            return error(400, N_("The connection was lost before the request was whole."))
        except Exception:  # never a traceback to the browser; the log has it
            transport = request.transport
            if transport is None or transport.is_closing():  # as above: aiohttp's
                # RuntimeError("Connection closed.") when the body is read after it went
                return error(400, N_("The connection was lost before the request was whole."))
            log.exception("request %s %s failed", request.method, request.path)
            return error(500, N_("Something went wrong on the server; try again."))
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        # how long this server took over it (the load test tells it from the network's share)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - began) * 1000:.1f}"
        return response

    return guard


# -- the application -----------------------------------------------------------------------------
LANG_COOKIE = "countertalk_lang"


@web.middleware
async def language(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Each request in its learner's language: `?lang=cy` (remembered in a cookie), else the
    cookie, else the browser's Accept-Language; English when none names a language we have."""
    from simulator.engine import i18n

    asked = i18n.normalise(request.query.get("lang", "")[:16])
    lang = asked or i18n.normalise(request.cookies.get(LANG_COOKIE, "")[:16])
    lang = lang or i18n.negotiate(request.headers.get("Accept-Language"))
    token = i18n.use(lang)
    try:
        response = await handler(request)
    finally:
        i18n.reset(token)
    if asked and isinstance(response, web.Response):
        response.set_cookie(
            LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Strict", path="/", httponly=True
        )
    response.headers.setdefault("Content-Language", lang)
    return response


def make_app(config: WebConfig, play: Play | None = None) -> web.Application:
    """The application; ``play`` None: one over the default (or ``config.db``) store."""
    from simulator.engine.checked import keep_in_memory
    from simulator.exercise.service import ExerciseService

    from . import api, lti, pages

    if play is None:
        from simulator.exercise.recording import STORE_FAILURES
        from simulator.store import Store

        try:  # a connection per worker thread (PostgreSQL's pool), not the default four
            store: Store | None = Store(config.db, pool_size=config.threads)
        except STORE_FAILURES:
            store = None  # said by the service when first used (503 to each request)
        service = (
            ExerciseService(store=store, pack=config.pack)
            if store is not None
            else ExerciseService(location=config.db, pack=config.pack)
        )
        play = Play(
            service,
            pack=config.pack,
            class_code=config.class_code,
            cache=config.cache,
        )
    app = web.Application(
        client_max_size=config.max_body,
        middlewares=[language, make_guard(pages.error_page)],
    )
    state = State(
        config=config,
        play=play,
        policy=HostPolicy(config.host, config.port, config.public_url, config.allow_hosts),
        pool=ThreadPoolExecutor(max_workers=config.threads, thread_name_prefix="countertalk-web"),
        active=Active(config.max_learners, config.active_window),
        per_address=Buckets(config.per_address_rate, config.per_address_burst),
        per_learner=Buckets(config.per_learner_rate, config.per_learner_burst),
    )
    app[STATE] = state
    api.add_routes(app)
    pages.add_routes(app)
    lti.add_routes(app)

    async def startup(app: web.Application) -> None:
        # One copy of each scenario in memory, however many learners play it.
        keep_in_memory()
        # The store and the pack's list first (a request needs them); the typed-reply model
        # loads once, in the pool, while the first learners sign in.
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(state.pool, lambda: (play.store, play.entries()))
        state.warming = loop.run_in_executor(state.pool, warm_then_freeze, play)

    async def cleanup(app: web.Application) -> None:
        if state.warming is not None:
            with contextlib.suppress(Exception):
                await state.warming
        state.pool.shutdown(wait=True)
        play.service.close()
        keep_in_memory(0)

    app.on_startup.append(startup)
    app.on_cleanup.append(cleanup)
    return app


# A full collection at most once per this many middle-generation ones (CPython's default: 10).
FULL_COLLECTION_EVERY = 100


def warm_then_freeze(play: Play) -> None:
    """Warm the process (`Play.warm`), then move what warming made out of the garbage
    collector's sight: a full collection first (what warming left as garbage is freed), then
    ``gc.freeze()``. The model, the checked scenarios, their matchers and the imported modules
    live as long as the process, yet every full collection walked them all again: with 150
    learners playing, the two full collections of the replies took 693 ms between them (447 ms
    the longest, every request in the process waiting for it) where the frozen process's took
    159 ms (measured with gc.callbacks over benchmarks/profile_web_replies.py --sqlite --one).
    A learner's objects are never frozen: only what exists when warming ends (a request in
    flight then keeps its few objects for good, which is all it costs).

    Then full collections are made rarer (`FULL_COLLECTION_EVERY`). What stays is the
    learners' own: each kept exercise is ~1,250 tracked objects (its state machine's
    transitions, conditions and callbacks), 300 learners ~380,000, and the default (a full
    collection every 10 middle-generation ones, once the heap has grown by a quarter) made 5
    of them in 1,230 replies, 200-310 ms each with every request waiting (1.0 s in all); with
    one every 100 there were none, and the same peak memory (272 MB; both measured as above,
    300 learners). Short-lived garbage is still collected by the young generations as before;
    an evicted exercise's cycles wait longer for the full collection that frees them."""
    import gc

    play.warm()
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def json_body(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        raise WebProblem(400, "The body must be a JSON object.") from None
    if not isinstance(data, dict):
        raise WebProblem(400, "The body must be a JSON object.")
    return data
