"""Start `countertalk web`'s application on loopback for a test (a real server, real HTTP)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
from aiohttp import web

from simulator.web.app import WebConfig, make_app
from tests.services import free_port


@contextlib.asynccontextmanager
async def running(db: str, **config: Any) -> AsyncIterator[str]:
    """The base URL of a web server over the store at ``db`` (a file or a postgresql:// URL)."""
    port = free_port()
    cfg = replace(WebConfig(port=port, db=db), **config)
    app = make_app(cfg)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def signin(http: aiohttp.ClientSession, name: str, **extra: Any) -> str:
    async with http.post("/api/signin", json={"name": name, **extra}) as r:
        assert r.status == 200, await r.text()
        data = await r.json()
    assert data["learner"] == name
    return str(data["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
