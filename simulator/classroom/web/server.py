"""The phone server: one aiohttp app inside the classroom process, on the projector's own loop.

Every handler is short and never blocks (the page is read from the package once; state is in
memory), so running on Textual's asyncio loop costs the projector nothing and needs no locks:
the hub is only ever touched from this one loop. The projector hears about ballots through the
hub's listeners, and phones hear about the class through a websocket (or by polling
`/api/state` when a websocket cannot stay up on the college Wi-Fi).

Defences, because the room's network is not trusted: loopback unless the tutor asks for a LAN
address; the join code on every call, with wrong codes drawing on per-address and server-wide
budgets that never hold up a phone already in, ballots per address per round capped, slow and
half-open connections closed and connections capped below the file limit (defences.py);
token-bucket limits per address and per phone; small bodies only; the Host header must be an
IP address or this machine's name (no DNS rebinding) and a browser's Origin must be this
server; a strict Content-Security-Policy; no access log, so phones' addresses are not kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import socket
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import WSMsgType, web

from simulator.engine import i18n
from simulator.engine.i18n import N_
from simulator.engine.i18n import gettext as _
from simulator.webguard import is_loopback, parse_ip, split_host

from ..phones import PhoneHub
from .defences import BallotGuard, ConnectionGuard, JoinGuard, file_limit, parse_body
from .limits import Buckets, Limits

DEFAULT_PORT = 8765
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STATIC = {
    "/": ("index.html", "text/html"),
    "/phone.js": ("phone.js", "text/javascript"),
    "/phone.css": ("phone.css", "text/css"),
}


class PhoneServerError(Exception):
    """The server cannot start as asked; the message says what to do instead."""


@dataclass(frozen=True)
class Address:
    """Where the server listens, and the address phones are told to open."""

    host: str  # as bound
    port: int
    shown_host: str  # as phones reach it (the LAN address when bound to 0.0.0.0)

    @property
    def url(self) -> str:
        host = f"[{self.shown_host}]" if ":" in self.shown_host else self.shown_host
        return f"http://{host}:{self.port}/"

    def join_url(self, code: str) -> str:
        return f"{self.url}?code={code}"

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent: UDP connect only)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.254.254.254", 1))
        ip = str(s.getsockname()[0])
        if not ipaddress.ip_address(ip).is_loopback:
            return ip
    return None


def bind(host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> tuple[socket.socket, Address]:
    """Open the listening socket now, so a busy port is a clear error before the screen starts."""
    if not 0 <= port <= 65535:
        raise PhoneServerError(f"--port takes a number from 1 to 65535 (got {port})")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise PhoneServerError(
            f"--host {host!r} is not an address of this computer; "
            "use 127.0.0.1, or 0.0.0.0 for every network it is on"
        ) from None
    family, _, _, _, sockaddr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(sockaddr)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise PhoneServerError(
                f"port {port} is already in use on {host}; choose another with --port"
            ) from None
        raise PhoneServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = bound_host
    if bound_host in ("0.0.0.0", "::"):
        shown = lan_address() or "127.0.0.1"
    return sock, Address(bound_host, bound_port, shown)


def _page(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def _host_ok(host_header: str, names: set[str]) -> bool:
    """An IP literal or one of this machine's names: a rebinding attacker's domain is neither.
    (Names and addresses are read as the web guard reads them: simulator/webguard.py.)"""
    parsed = split_host(host_header)
    if parsed is None:
        return False
    host = parsed[0]
    return host in names or is_loopback(host) or parse_ip(host) is not None


class PhoneServer:
    def __init__(
        self, hub: PhoneHub, sock: socket.socket, address: Address, limits: Limits | None = None
    ) -> None:
        self.hub = hub
        self.sock = sock
        self.address = address
        self.limits = limits or Limits()
        self.requests = Buckets(self.limits.per_address_rate, self.limits.per_address_burst)
        self.votes = Buckets(self.limits.per_device_rate, self.limits.per_device_burst)
        lim = self.limits
        self.guard = JoinGuard(
            global_rate=lim.wrong_codes_server_rate,
            global_burst=lim.wrong_codes_server_burst,
            address_rate=lim.wrong_codes / lim.wrong_code_window,
            address_burst=lim.wrong_codes,
        )
        self.ballots = BallotGuard(lim.ballots_per_address)
        self.connections: ConnectionGuard | None = None
        self._server: asyncio.AbstractServer | None = None
        self._code = hub.code
        self.sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()
        self._per_address: dict[str, int] = {}
        self._sock_device: dict[int, str] = {}
        self._pages = {path: (_page(name), ctype) for path, (name, ctype) in STATIC.items()}
        self._names = {"localhost", socket.gethostname().lower(), f"{socket.gethostname()}.local"}
        self._runner: web.AppRunner | None = None
        self._broadcast_pending = False
        hub.on_state(self._state_changed)

    # -- starting and stopping -------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(
            client_max_size=self.limits.max_body, middlewares=[self._guard_middleware]
        )
        app.router.add_get("/", self._static)
        app.router.add_get("/phone.js", self._static)
        app.router.add_get("/phone.css", self._static)
        app.router.add_get("/api/state", self._state)
        app.router.add_post("/api/vote", self._vote)
        app.router.add_get("/api/ws", self._ws)
        return app

    async def start(self) -> None:
        from .defences import quiet_loop

        quiet_loop()  # a hostile client's failures never draw a traceback over the projector
        self._runner = web.AppRunner(
            self.make_app(),
            access_log=None,
            handle_signals=False,
            shutdown_timeout=0.5,
            keepalive_timeout=10,
        )
        await self._runner.setup()
        # Served through the connection guard (a cap below the open-file limit, slow and
        # half-open connections closed) rather than web.SockSite.
        factory = self._runner.server
        assert factory is not None  # set by setup()
        self.connections = ConnectionGuard(
            factory,
            cap=self.limits.max_connections or file_limit(),
            request_timeout=self.limits.request_timeout,
        )
        self._server = await asyncio.get_running_loop().create_server(
            self.connections, sock=self.sock
        )

    async def stop(self) -> None:
        """Close every phone's websocket (a phone that does not answer is not waited for)."""
        closing = [ws.close() for ws in list(self.sockets)]
        if closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*closing, return_exceptions=True), 2.0)
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- every request ---------------------------------------------------------------------------
    @web.middleware
    async def _guard_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        # Every answer in the phone's language (issue 32): ?lang=, else its Accept-Language,
        # else the lesson's (the projector's --lang); for this request only.
        token = i18n.use(phone_language(request))
        try:
            return await self._guarded(request, handler)
        finally:
            i18n.reset(token)

    async def _guarded(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not _host_ok(request.host, self._names):
            return _error(421, _("This address is not served here."))
        address = request.remote or "?"
        if not self.requests.take(address):
            return _error(429, _("Too many requests: wait a moment."), retry=2)
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"http://{request.host}":
            return _error(403, _("Requests from other sites are refused."))
        try:
            response = await handler(request)
        except web.HTTPRequestEntityTooLarge:
            return _error(413, _("That request is too large."))
        except web.HTTPException as exc:
            return _error(exc.status, _(exc.reason))
        if isinstance(response, web.Response):
            response.headers.update(_SECURITY_HEADERS)
        return response

    def _code_problem(
        self, request: web.Request, code: object, device: object = None
    ) -> web.Response | None:
        address = request.remote or "?"
        if self.hub.code != self._code:  # the tutor rotated the code: every phone shows it again
            self._code = self.hub.code
            self.guard.rotate()
        wait = self.guard.wait(address, device)
        if wait:
            return _error(429, _("Too many wrong codes: wait a moment."), retry=int(wait) + 1)
        if self.hub.check_code(code):
            self.guard.passed(device)
        else:
            self.guard.failed(address)
            response = _json(
                {
                    "status": "invalid",
                    "error": _("That join code is not right: check the projector."),
                },
                403,
            )
            response.headers.update(_SECURITY_HEADERS)
            return response
        return None

    # -- the page --------------------------------------------------------------------------------
    async def _static(self, request: web.Request) -> web.Response:
        body, ctype = self._pages[request.path]
        if request.path == "/":  # the page in the phone's language (see phone_language)
            from .words import localised_page

            body = localised_page(body, i18n.current())
        return web.Response(
            body=body,
            content_type=ctype,
            charset="utf-8",
            headers={
                "Cache-Control": "no-cache",
                "Content-Security-Policy": _csp(request.host),
            },
        )

    # -- the API ---------------------------------------------------------------------------------
    async def _state(self, request: web.Request) -> web.Response:
        device = request.query.get("device")
        problem = self._code_problem(request, request.query.get("code"), device)
        if problem:
            return problem
        if device is not None and not self.hub.valid_device(device):
            return _error(400, _("This phone's id is not valid: reload the page."))
        if device:
            self.hub.touch(device)
        return _json(self.hub.state(device))

    async def _vote(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _json({"status": "invalid", "message": _("Send the vote as JSON.")}, 415)
        body = parse_body(await request.read())  # any malformed body is a 400, never a 500
        if body is None:
            return _json({"status": "invalid", "message": _("That vote could not be read.")}, 400)
        device = body.get("device")
        problem = self._code_problem(request, body.get("code"), device)
        if problem:
            return problem
        if isinstance(device, str) and not self.votes.take(device):
            return _error(429, _("Too many votes from this phone: wait a moment."), retry=1)
        if (
            self.hub.phase == "vote"
            and body.get("round") == self.hub.round
            and self.hub.valid_device(device)
            and not self.ballots.allow(self.hub.round, request.remote or "?", str(device))
        ):
            self.hub.warn(self.ballots.warning(self.hub.round))
            return _error(429, _("Too many phones have voted from this network address."), retry=5)
        answer = self.hub.vote(device, body.get("round"), body.get("option"), body.get("team"))
        out = answer.as_json()
        out["sequence"] = answer.sequence
        return _json(out, 400 if answer.status == "invalid" else 200)

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        device = request.query.get("device", "")
        problem = self._code_problem(request, request.query.get("code"), device)
        if problem:
            return problem
        if not self.hub.valid_device(device):
            return _error(400, _("This phone's id is not valid: reload the page."))
        address = request.remote or "?"
        if (
            len(self.sockets) >= self.limits.max_sockets
            or self._per_address.get(address, 0) >= self.limits.max_sockets_per_address
        ):
            return _error(503, _("Too many phones connected: the page will poll instead."))
        ws = web.WebSocketResponse(heartbeat=20, max_msg_size=256, compress=False, timeout=1.0)
        await ws.prepare(request)
        self.sockets.add(ws)
        self._sock_device[id(ws)] = device
        self._per_address[address] = self._per_address.get(address, 0) + 1
        self.hub.connect(device)
        try:
            await ws.send_str(json.dumps(self.hub.state(device)))
            async for msg in ws:  # the page only says "ping"; anything else is ignored
                if msg.type == WSMsgType.TEXT:
                    self.hub.touch(device)
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self.hub.disconnect(device)
            self._sock_device.pop(id(ws), None)
            left = self._per_address.get(address, 1) - 1
            if left > 0:
                self._per_address[address] = left
            else:
                self._per_address.pop(address, None)
        return ws

    # -- telling every phone -----------------------------------------------------------------------
    def _state_changed(self) -> None:
        """Coalesce a burst of changes into one broadcast on the next turn of the loop."""
        if self._broadcast_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet (the hub is being set up): phones get the state when they connect
        self._broadcast_pending = True
        loop.create_task(self._broadcast())

    async def _broadcast(self) -> None:
        self._broadcast_pending = False
        sends = []
        for ws in list(self.sockets):
            if ws.closed:
                continue
            device = self._sock_device.get(id(ws))
            sends.append(ws.send_str(json.dumps(self.hub.state(device))))
        if sends:
            await asyncio.gather(*sends, return_exceptions=True)


_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _csp(host: str) -> str:
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self' ws://{host}; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


# The HTTP reasons aiohttp may give (as error messages, in the phone's language).
_REASONS = (N_("Not Found"), N_("Method Not Allowed"), N_("Bad Request"))


def phone_language(request: web.Request) -> str:
    """The language to answer a phone in: `?lang=`, else the best of its Accept-Language that we
    have, else the lesson's (the projector's --lang, the process's language)."""
    return i18n.normalise(request.query.get("lang", "")[:16]) or i18n.negotiate(
        request.headers.get("Accept-Language"), default=i18n.current()
    )


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(data),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _error(status: int, message: str, retry: int | None = None) -> web.Response:
    response = _json({"error": message}, status)
    response.headers.update(_SECURITY_HEADERS)
    if retry is not None:
        response.headers["Retry-After"] = str(retry)
    return response


@dataclass
class PhoneLink:
    """What the classroom app needs for phones: the hub it drives and the server it starts."""

    hub: PhoneHub
    server: PhoneServer


def open_phones(
    hub: PhoneHub,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    limits: Limits | None = None,
) -> PhoneLink:
    """Bind now (a clear error if the port is taken); the app starts serving on its own loop."""
    sock, address = bind(host, port)
    return PhoneLink(hub, PhoneServer(hub, sock, address, limits))
