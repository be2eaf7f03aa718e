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
    intercepted_binops = frozenset({"*", "**", "+", "%"})

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
        if operator == "%" and isinstance(left, str):
            _check_format(left, right)
        return super().call_binop(context, operator, left, right)

    # Widths and counts are bounded too: 'x'.center(10**9), '%1000000000s' % 1 and
    # '{:>1000000000}'.format(1) would otherwise build gigabyte strings.
    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja2's signature)
        _check_args(args, kwargs)
        if getattr(__obj, "__name__", None) == "replace" and isinstance(
                getattr(__obj, "__self__", None), str):
            _check_replace(__obj.__self__, args)
        return _check_result(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value):
        fmt = super().wrap_str_format(value)
        if fmt is None:
            return None
        template = value.__self__

        def checked(*args, **kwargs):
            _check_format(template, args)
            return fmt(*args, **kwargs)

        return checked


_FMT_PERCENT = re.compile(r"%[#0 +\-]*(\*|\d*)(?:\.(\*|\d*))?")
_FMT_BRACE = re.compile(r"\{[^{}]*\}")


def _too_big(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and abs(n) > MAX_OUTPUT


def _check_args(args, kwargs) -> None:
    if any(_too_big(a) for a in (*args, *kwargs.values())):
        raise SecurityError(f"a number above {MAX_OUTPUT} is not allowed here")


def _check_result(value):
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_OUTPUT:
        raise SecurityError("text too long")
    return value


def _check_replace(text, args) -> None:
    if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str) and args[0]:
        if len(text) + text.count(args[0]) * len(args[1]) > MAX_OUTPUT:
            raise SecurityError("replaced text too long")


def _check_format(fmt: str, values=()) -> None:
    widths = [g for m in _FMT_PERCENT.finditer(fmt) for g in m.groups() if g]
    widths += [d for m in _FMT_BRACE.finditer(fmt) for d in re.findall(r"\d+", m.group())]
    if any(len(w) > 5 or int(w) > MAX_OUTPUT for w in widths if w != "*"):
        raise SecurityError("format width too large")
    if "*" in widths:
        items = values if isinstance(values, (tuple, list)) else (values,)
        _check_args(items, {})


def _guard_filter(name, func):
    import functools

    @functools.wraps(func)  # keeps jinja's pass_context/pass_eval_context marks
    def guarded(*args, **kwargs):
        _check_args(args[1:] if args and not _too_big(args[0]) else args[2:], kwargs)
        if name == "format" and args:
            value = args[1] if not isinstance(args[0], str) and len(args) > 1 else args[0]
            if isinstance(value, str):
                _check_format(value, args)
        if name == "replace":
            text = next((a for a in args if isinstance(a, str)), None)
            if text is not None:
                rest = list(args[args.index(text) + 1:])
                _check_replace(text, rest)
        return _check_result(func(*args, **kwargs))

    return guarded


ENV = SafeEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
ENV.globals.clear()  # no range/lipsum/dict/cycler/joiner/namespace: a scenario needs none of them
ENV.filters = {name: _guard_filter(name, f) for name, f in ENV.filters.items()}


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


# Work a template can do is bounded by construction, not by a clock: no nested or recursive
# loops, no macros or call blocks (a macro can recurse exponentially), and every loop stops at
# LOOP_LIMIT items. With output and text sizes bounded too, one render is a few ms at worst.
LOOP_LIMIT = 1000
_LOOP_FILTER = "_countertalk_bounded_loop"


def unsafe_constructs(tree) -> list[tuple[int, str]]:
    """(line, message) for each construct a scenario template may not use."""
    problems = []
    for node in tree.find_all((nodes.Macro, nodes.CallBlock)):
        problems.append((node.lineno, "templates cannot define macros or call blocks; write "
                                      "the text out"))
    for node in tree.find_all(nodes.For):
        if node.recursive:
            problems.append((node.lineno, "recursive loops are not allowed in templates"))
        inner = [n for part in (node.body, node.else_) for child in part
                 for n in ([child] if isinstance(child, nodes.For) else [])
                 + list(child.find_all(nodes.For))]
        if inner:
            problems.append((inner[0].lineno, "loops inside loops are not allowed in templates; "
                                              "use one loop"))
    return problems


def _bounded_loop(value):
    from itertools import islice

    items = list(islice(iter(value), LOOP_LIMIT + 1))
    if len(items) > LOOP_LIMIT:
        raise SecurityError(f"a loop over more than {LOOP_LIMIT} items")
    return items


ENV.filters[_LOOP_FILTER] = _bounded_loop


@lru_cache(maxsize=8192)
def compiled(source: str):
    tree = ENV.parse(source)
    problems = unsafe_constructs(tree)
    if problems:
        raise SecurityError(problems[0][1])
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None,
                                 lineno=loop.iter.lineno)
    return ENV.from_string(tree)


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


from .text import plain  # noqa: E402,F401  (re-exported: the plain-text rule)


class RenderError(Exception):
    """A template or condition failed while playing (e.g. adds a number to a word)."""


def render(source: str, context: dict) -> str:
    if not is_template(source):
        return plain(source)
    try:  # generate, not render: a loop that prints without end stops at the limit
        pieces, size = [], 0
        for piece in compiled(source).generate(context):
            pieces.append(piece)
            size += len(piece)
            if size > MAX_OUTPUT:
                break
        out = "".join(pieces)
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError,
            OverflowError, RecursionError, MemoryError) as exc:
        raise RenderError(str(exc) or exc.__class__.__name__) from None
    if len(out) > MAX_OUTPUT:
        out = out[:MAX_OUTPUT] + "…"
    return plain(out)


def evaluate(source: str, context: dict) -> bool:
    try:
        return bool(compiled_condition(source)(**context))
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError,
            OverflowError, RecursionError, MemoryError) as exc:
        raise RenderError(str(exc) or exc.__class__.__name__) from None
