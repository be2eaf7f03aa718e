"""The web server behind `countertalk serve`: a learner name per browser, then the app.

textual-serve runs one copy of the app per websocket and relays its screen. On top of it:

* **A learner per browser.** The first visit shows a form asking for a name (and the class
  code, when the tutor set one with ``--class-code``). The name is claimed in the results store
  for that browser: the browser keeps a random token in a cookie (HttpOnly, SameSite=Strict) and
  the store keeps only the token's SHA-256. Each app process is started with ``--learner NAME``,
  so attempts are recorded under that name and the picker shows (and offers to resume) only
  that learner's attempts. Another browser typing the same name is refused. This is not a
  password: it stops learners mixing up each other's results, not a determined impostor.
* **Only this server's page may open the app**: Host and Origin are checked (see guard.py).
* **The page names nothing from the request** and loads only local files: the websocket
  address is worked out in the browser from its own address bar (or ``--public-url``), the
  font is the one textual-serve ships, and nothing comes from the internet.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import logging
import os
import secrets
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.serving.caps import AppSlots, NameCaps, code_guard
from simulator.serving.names import learner_name, name_key
from simulator.webguard import HostPolicy

if TYPE_CHECKING:
    from simulator.classroom.web.listen import Patience

log = logging.getLogger("countertalk.serve")

COOKIE = "countertalk_browser"
TEMPLATES = Path(__file__).with_name("templates")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


SERVED_BY = "COUNTERTALK_SERVED_BY"  # the server's pid, which each app watches (tui/served.py)


def _app_command(argv: list[str]) -> str:
    """The shell line textual-serve runs for one browser. `exec`: the app replaces the shell, so
    it is the server's own child and notices when the server is gone (the app's `watch_server`):
    Textual's web driver stops reading at the end of its input without quitting, so an app
    whose server was stopped or killed would otherwise sleep on forever, holding its database
    connection."""
    return "exec " + shlex.join(argv)


def make_server(
    command: list[str],
    *,
    host: str,
    port: int,
    title: str,
    public_url: str | None,
    learner: str | None,
    ask_names: bool,
    class_code: str | None,
    allow_hosts: tuple[str, ...] = (),
    max_apps: int = 40,
    patience: Patience | None = None,
) -> Any:
    """The aiohttp server; ``command`` is the app's argv, to which ``--learner NAME`` is added."""
    os.environ[SERVED_BY] = str(os.getpid())  # every app started from here inherits it
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    policy = HostPolicy(host, port, public_url, allow_hosts)

    class CounterTalkServer(Server):
        def __init__(self) -> None:
            super().__init__(
                _app_command(command),
                host=host,
                port=port,
                title=title,
                public_url=public_url,
                templates_path=TEMPLATES,
            )
            self.store: Any = None
            self.codes = code_guard()  # class-code guessing (issue 31, item 3)
            self.names = NameCaps()
            self.apps = AppSlots(per_server=max_apps)

        # -- set-up ---------------------------------------------------------------------------
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_post("/signin", self.handle_signin)
            app.middlewares.append(self.guard)
            return app

        async def on_startup(self, app: web.Application) -> None:
            where = public_url or f"http://{host if ':' not in host else f'[{host}]'}:{port}"
            print(f"CounterTalk is being served on {where} (Ctrl+C stops it)", flush=True)
            if ask_names:
                await asyncio.get_running_loop().run_in_executor(None, self._open_store)

        async def on_shutdown(self, app: web.Application) -> None:
            if self.store is not None:
                self.store.close()

        def _open_store(self) -> None:
            from simulator.store import Store, StoreError

            try:
                self.store = Store(pool_size=8)
            except StoreError as exc:  # names are still asked for; nothing is remembered
                log.warning("learner names will not be remembered: %s", exc)
                self.store = None

        def initialize_logging(self) -> None:
            logging.basicConfig(level="WARNING", format="%(message)s")

        def serve(self, debug: bool = False) -> None:
            """textual-serve's serve(), listening through the connection guard (issue 31):
            slow and half-open connections are timed out and the connections capped."""
            from simulator.classroom.web.listen import Patience, run_guarded

            self.debug = debug
            self.initialize_logging()
            run_guarded(self._make_app(), host=host, port=port, patience=patience or Patience())

        # -- every request ---------------------------------------------------------------------
        @web.middleware
        async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
            if not policy.allows(request.headers.get("Host")):
                raise web.HTTPMisdirectedRequest(
                    text="This CounterTalk server does not answer to that address. "
                    "(Tutor: start it with --public-url or --allow-host NAME.)\n"
                )
            if request.method == "POST" or request.path == "/ws":
                if not policy.origin_allowed(
                    request.headers.get("Origin"), request.scheme, request.host
                ):
                    raise web.HTTPForbidden(
                        text="Only CounterTalk's own page may do that (wrong Origin).\n"
                    )
            response: web.StreamResponse = await handler(request)
            response.headers.setdefault("X-Frame-Options", "DENY")
            # same-origin, not no-referrer: with no-referrer a browser posts the sign-in form
            # with "Origin: null", which the Origin check must refuse
            response.headers.setdefault("Referrer-Policy", "same-origin")
            return response

        # -- who is this browser? --------------------------------------------------------------
        async def learner_of(self, request: web.Request) -> str | None:
            if learner is not None:
                return learner
            token = request.cookies.get(COOKIE, "")
            if not token or len(token) > 200:
                return None
            digest = token_hash(token)
            if self.store is None:
                return self._memory.get(digest)
            from simulator.store import StoreError

            try:
                return await asyncio.get_running_loop().run_in_executor(
                    None, self.store.learner_for_token, digest
                )
            except StoreError as exc:
                log.warning("%s", exc)
                return self._memory.get(digest)

        _memory: dict[str, str] = {}  # names when the store cannot be used

        async def claim(self, name: str, digest: str) -> bool:
            if self.store is not None:
                from simulator.store import StoreError

                try:
                    return await asyncio.get_running_loop().run_in_executor(
                        None, self.store.claim_learner, name, digest, class_code
                    )
                except StoreError as exc:
                    log.warning("%s", exc)
            owner = next((d for d, n in self._memory.items() if n == name), None)
            if owner not in (None, digest):
                return False
            self._memory[digest] = name
            return True

        # -- pages -----------------------------------------------------------------------------
        def page(self, template: str, **values: str) -> web.Response:
            import re

            text = (TEMPLATES / template).read_text(encoding="utf-8")
            # one pass: a value that itself contains {{…}} is never expanded
            text = re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), ""), text)
            return web.Response(
                text=text,
                content_type="text/html",
                headers={
                    "Cache-Control": "no-store",
                    "Content-Security-Policy": "default-src 'self'; "
                    "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                    "connect-src 'self' ws: wss:; img-src 'self' data:; font-src 'self'; "
                    "frame-ancestors 'none'",
                },
            )

        def signin_page(self, message: str = "", name: str = "") -> web.Response:
            code_field = (
                '<label for="code">Class code (from your tutor)</label>'
                '<input id="code" name="code" autocomplete="off" required maxlength="64">'
                if class_code
                else ""
            )
            return self.page(
                "signin.html",
                title=html.escape(title),
                message=f'<p class="error" role="alert">{html.escape(message)}</p>'
                if message
                else "",
                name=html.escape(name, quote=True),
                code_field=code_field,
            )

        async def handle_index(self, request: web.Request) -> web.Response:
            who = await self.learner_of(request) if ask_names or learner else None
            if ask_names and who is None:
                return self.signin_page()
            ws = ""
            if public_url:
                base = public_url.rstrip("/")
                ws = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
                ws += "/ws"
            font_size = request.query.get("fontsize", "16")
            return self.page(
                "app_index.html",
                title=html.escape(title),
                learner=html.escape(who or ""),
                signed_in=html.escape(f"Signed in as {who}" if who else title),
                websocket_url=html.escape(ws, quote=True),
                font_size=font_size if font_size.isdigit() and len(font_size) <= 2 else "16",
            )

        async def handle_signin(self, request: web.Request) -> web.Response:
            if not ask_names:
                raise web.HTTPNotFound()
            form = await request.post()
            typed = str(form.get("name", ""))[:200]
            address = request.remote or "?"
            token = request.cookies.get(COOKIE, "")
            if not token or len(token) > 200:
                token = secrets.token_urlsafe(32)
            digest = token_hash(token)
            if class_code:
                wait = self.codes.wait(address, digest)
                if wait:
                    response = self.signin_page(
                        f"Too many wrong class codes from here: wait {int(wait) + 1} seconds, "
                        "then try again.",
                        typed,
                    )
                    response.set_status(429)
                    response.headers["Retry-After"] = str(int(wait) + 1)
                    return response
                if not hmac.compare_digest(
                    str(form.get("code", "")).strip().encode(), class_code.encode()
                ):
                    self.codes.failed(address)
                    return self.signin_page("That class code is not right; ask your tutor.", typed)
                self.codes.passed(digest)
            name, problem = learner_name(typed)
            if name is None:
                return self.signin_page(problem, typed)
            problem = self.names.problem(digest, address, name_key(name))
            if problem:
                response = self.signin_page(problem, typed)
                response.set_status(429)
                return response
            if not await self.claim(name, digest):
                return self.signin_page(
                    f"The name '{name}' is already in use on another browser. Add your "
                    f"surname or a number, or ask your tutor.",
                    typed,
                )
            self.names.took(digest, address, name_key(name))
            response = web.Response(status=303, headers={"Location": "/"})
            response.set_cookie(
                COOKIE,
                token,
                max_age=365 * 24 * 3600,
                httponly=True,
                samesite="Strict",
                secure=bool(public_url and public_url.startswith("https:")),
                path="/",
            )
            return response

        # -- the app ---------------------------------------------------------------------------
        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            who = await self.learner_of(request) if ask_names or learner else None
            if ask_names and who is None:
                raise web.HTTPForbidden(text="Sign in with your name first.\n")
            argv = list(command) + (["--learner", who] if who else [])
            # one learner (or, with one shared learner, one address) may run a few apps; the
            # server a bounded number: each is a process of its own
            slot = f"learner:{name_key(who)}" if ask_names and who else f"at:{request.remote}"
            full = self.apps.take(slot)
            if full:
                raise web.HTTPServiceUnavailable(text=full + "\n", headers={"Retry-After": "30"})
            try:
                return await self._run_app(request, _app_command(argv))
            finally:
                self.apps.give_back(slot)

        async def _run_app(self, request: web.Request, cmd: str) -> web.WebSocketResponse:
            """textual-serve's handler, with this connection's own command line."""

            def to_int(value: str, default: int) -> int:
                return int(value) if value.isdigit() and len(value) <= 4 else default

            websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
            width = max(20, min(to_int(request.query.get("width", "80"), 80), 500))
            height = max(10, min(to_int(request.query.get("height", "24"), 24), 300))
            app_service: Any = None
            try:
                await websocket.prepare(request)
                app_service = AppService(
                    cmd,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,  # type: ignore[arg-type]
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # a bad message from a browser: close that one only
                log.warning("websocket closed: %s", error)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

    return CounterTalkServer()
