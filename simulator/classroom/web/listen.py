"""Listening through the connection guard: what `countertalk web` and `countertalk serve` run
instead of ``aiohttp.web.run_app``.

``run_app`` listens with a plain ``TCPSite``: no cap on connections and no limit on how long a
request may take to arrive, so a thousand slow clients hold a thousand files and tasks
(connections.py). :class:`GuardedSite` is a ``TCPSite`` whose listening socket hands each
connection to a :class:`~.connections.ConnectionGuard`; :func:`run_guarded` is ``run_app``'s
loop around it (Ctrl+C and SIGTERM stop it cleanly, the application's cleanup runs).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from .connections import ConnectionGuard, file_limit, quiet_loop


@dataclass(frozen=True)
class Patience:
    """How long a server waits for clients, and how many it holds at once."""

    request_timeout: float = 10.0  # seconds from a request's first byte to its last
    keepalive_timeout: float = 15.0  # seconds an idle kept-alive connection stays open
    max_connections: int | None = None  # None: below the open-file limit


class GuardedSite(web.TCPSite):
    """A TCP site whose connections pass through a :class:`ConnectionGuard` first."""

    def __init__(
        self, runner: web.BaseRunner, host: str | None, port: int, patience: Patience
    ) -> None:
        super().__init__(runner, host, port)
        self.patience = patience
        self.guard: ConnectionGuard | None = None

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with its runner
        server = self._runner.server
        assert server is not None  # set by runner.setup()
        self.guard = ConnectionGuard(
            server,
            cap=self.patience.max_connections or file_limit(),
            request_timeout=self.patience.request_timeout,
        )
        self._server = await asyncio.get_running_loop().create_server(
            self.guard, self._host, self._port, backlog=self._backlog
        )
        sockets = self._server.sockets
        self._bound_port = sockets[0].getsockname()[1] if sockets else self._port


async def start_guarded(
    app: web.Application, host: str, port: int, patience: Patience, handle_signals: bool = False
) -> tuple[web.AppRunner, GuardedSite]:
    """The runner (call its ``cleanup()``) and the listening site, for tests and run_guarded."""
    runner = web.AppRunner(
        app,
        handle_signals=handle_signals,
        access_log=None,  # no access log: learners' addresses are not kept
        keepalive_timeout=patience.keepalive_timeout,
        shutdown_timeout=2.0,
    )
    await runner.setup()
    site = GuardedSite(runner, host, port, patience)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner, site


def run_guarded(
    app: web.Application | Awaitable[web.Application],
    *,
    host: str,
    port: int,
    patience: Patience,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Serve ``app`` until Ctrl+C or SIGTERM. OSError (the port taken) reaches the caller."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    async def main() -> None:
        quiet_loop()  # a hostile client's failures are counted, not printed
        application = app if isinstance(app, web.Application) else await app
        runner, _site = await start_guarded(application, host, port, patience, True)
        try:
            ready()
            while True:
                await asyncio.sleep(3600)
        finally:
            await runner.cleanup()

    task = loop.create_task(main())
    try:
        # AppRunner's signal handlers raise GracefulExit: the task is then cancelled below
        loop.run_until_complete(task)
    except (web.GracefulExit, KeyboardInterrupt):
        pass
    finally:
        try:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, web.GracefulExit):
                    loop.run_until_complete(task)
            rest = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for t in rest:
                t.cancel()
            if rest:
                loop.run_until_complete(asyncio.gather(*rest, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()
