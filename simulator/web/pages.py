"""The server-rendered pages (interim)."""

from __future__ import annotations

from aiohttp import web


def error_page(request: web.Request, status: int, message: str) -> web.StreamResponse:
    return web.Response(status=status, text=message)


def add_routes(app: web.Application) -> None:
    pass
