"""Sandboxed Jinja2 for scenario text and conditions, and the plain-text rule for output.

Scenario files are untrusted. Templates run in an ImmutableSandboxedEnvironment (no attribute
tricks, no calls into Python, no mutation of the live `vars`/`visits` dicts), with StrictUndefined
so a misspelt name fails loudly, and with `*`/`**`/range bounded so a template cannot build a
gigabyte string. Strings without `{{`, `{%` or `{#` are plain text and are never compiled.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

SCOPE_NAMES = ("vars", "mood", "turn", "customer", "visits")
MAX_OUTPUT = 10_000  # characters a single rendered template may produce


class SafeEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large")
            if isinstance(left, (int, float)) and abs(left) > 10**6:
                raise SecurityError("base too large")
        if operator == "*":
            for a, b in ((left, right), (right, left)):
                if isinstance(a, (str, list, tuple)) and isinstance(b, int):
                    if len(a) * b > MAX_OUTPUT:
                        raise SecurityError("repeated text too long")
        if operator == "+" and isinstance(left, (str, list)) and isinstance(right, (str, list)):
            if len(left) + len(right) > MAX_OUTPUT:
                raise SecurityError("joined text too long")
        return super().call_binop(context, operator, left, right)


ENV = SafeEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
ENV.globals.clear()  # no range/lipsum/dict/cycler/joiner/namespace: a scenario needs none of them


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


@lru_cache(maxsize=8192)
def compiled(source: str):
    return ENV.from_string(source)


@lru_cache(maxsize=4096)
def compiled_condition(source: str):
    return ENV.compile_expression(source, undefined_to_none=False)


def parse_template(source: str) -> nodes.Template:
    """Parse without compiling (lint). Raises jinja2.TemplateSyntaxError."""
    return _parse_template(source)


@lru_cache(maxsize=16384)
def _parse_template(source: str):
    return ENV.parse(source)


@lru_cache(maxsize=16384)
def parse_condition(source: str) -> nodes.Expr:
    """Parse an `if` expression without compiling it. Raises jinja2.TemplateSyntaxError."""
    from jinja2.exceptions import TemplateSyntaxError
    from jinja2.parser import Parser

    parser = Parser(ENV, source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        tok = parser.stream.current
        raise TemplateSyntaxError(f"unexpected '{tok.value}' after the expression", tok.lineno)
    return expr


def names_used(tree) -> list[tuple[str, str | None, int]]:
    """Every use of a scope name in a parsed template or expression, as (root, attribute, line).

    `vars.x` and `vars['x']` give ("vars", "x", line); bare `mood` gives ("mood", None, line).
    Names bound inside the template (`{% set %}`, loop targets, macro parameters) are skipped.
    One walk of the tree; results are cached per tree because packs repeat templates.
    """
    return list(_names_used(tree))


_NAME_CACHE: dict[int, tuple] = {}


def _names_used(tree) -> tuple:
    key = id(tree)
    hit = _NAME_CACHE.get(key)
    if hit is not None and hit[0] is tree:
        return hit[1]
    bound: set[str] = set()
    found: list[tuple[str, str | None, int]] = []
    stack = [tree]
    Name, Getattr, Getitem, Const = nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Const
    while stack:
        node = stack.pop()
        if type(node) is Name:
            if node.ctx == "load":
                found.append((node.name, None, node.lineno))
            else:
                bound.add(node.name)
            continue
        if type(node) in (Getattr, Getitem) and type(node.node) is Name and node.node.ctx == "load":
            attr = None
            if type(node) is Getattr:
                attr = node.attr
            else:
                if type(node.arg) is Const and isinstance(node.arg.value, str):
                    attr = node.arg.value
                stack.append(node.arg)
            found.append((node.node.name, attr, node.lineno))
            continue
        stack.extend(node.iter_child_nodes())
    result = tuple(f for f in found if f[0] not in bound)
    if len(_NAME_CACHE) > 20000:
        _NAME_CACHE.clear()
    _NAME_CACHE[key] = (tree, result)
    return result


# Plain-text rule: terminal control sequences are removed, everything else shown literally.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC
    r"|\x1b[@-Z\\-_]?"  # other ESC
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)


def plain(text: str) -> str:
    """Strip terminal control sequences and bidi overrides; keep newlines and tabs."""
    if text.isprintable():
        return text
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


class RenderError(Exception):
    """A template or condition failed while playing (e.g. adds a number to a word)."""


def render(source: str, context: dict) -> str:
    if not is_template(source):
        return plain(source)
    try:
        out = compiled(source).render(context)
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError,
            OverflowError, RecursionError) as exc:
        raise RenderError(str(exc) or exc.__class__.__name__) from None
    if len(out) > MAX_OUTPUT:
        out = out[:MAX_OUTPUT] + "…"
    return plain(out)


def evaluate(source: str, context: dict) -> bool:
    try:
        return bool(compiled_condition(source)(**context))
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError,
            OverflowError, RecursionError) as exc:
        raise RenderError(str(exc) or exc.__class__.__name__) from None
