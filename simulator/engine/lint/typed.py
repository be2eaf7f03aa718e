"""Pass 5, typed replies: `typing:` and a state's `on_unmatched:` (engine/typed_format.py).

typed_format.py speaks the checker interface lint had before it was split into passes
(error/warn/keys_known/expect_str/check_template); this adapter gives it that interface over the
shared Context, with its own codes.
"""

from __future__ import annotations

from typing import Any

from .context import At, Context, DataPath


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def error(self, where: Any, message: str, *, key: bool = True) -> None:
        self.ctx.report("CT216", where, message, key=key)

    def warn(self, where: Any, message: str, *, key: bool = True) -> None:
        self.ctx.report("CT217", where, message, key=key)

    def keys_known(self, mapping: dict[Any, Any], path: DataPath, known: Any, what: str) -> None:
        self.ctx.keys_known(mapping, tuple(path), tuple(known), what)

    def expect_str(self, value: Any, path: DataPath, what: str, *, required: bool = False) -> bool:
        return self.ctx.expect_str(value, tuple(path), what, required=required)

    def check_template(self, source: Any, path: DataPath) -> None:
        from .templates import template

        template(self.ctx, source, tuple(path))


def run(ctx: Context) -> None:
    if not isinstance(ctx.data, dict):
        return
    from ..typed_format import check_typed_replies

    check_typed_replies(_Checker(ctx), ctx.data, At)
