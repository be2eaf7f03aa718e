"""The sandboxed Jinja2 environment scenario templates and conditions run in.

Scenario files are untrusted. Templates run in an ImmutableSandboxedEnvironment (no attribute
tricks, no calls into Python, no mutation of the live `vars`/`visits` dicts), with StrictUndefined
so a misspelt name fails loudly, and with `*`/`**`/range bounded so a template cannot build a
gigabyte string. Lint parses with it too (`parse_template`, `parse_condition`, `names_used`).

Importing Jinja2 and building this environment costs about 25 ms, so `templating` imports this
module only when a text needs more than its fast path (`{{ vars.NAME }}` and the like).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from jinja2 import StrictUndefined, nodes
from jinja2.environment import Template, TemplateExpression
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .templating import MAX_OUTPUT, RENDER_SECONDS, SCOPE_NAMES, _budget, is_template  # noqa: F401

T = TypeVar("T")
# A scope name used by a template: (root, attribute or None, line).
NameUse = tuple[str, str | None, int]
# A construct a template may not use: (line, message).
Problem = tuple[int, str]

MAX_INT_BITS = 4096  # about 1,200 digits: far beyond any mood, count or price


def _tick() -> None:
    """Called at every guarded operation: a render past its time budget stops cleanly."""
    deadline = getattr(_budget, "deadline", None)
    if deadline is not None and time.thread_time() > deadline:
        raise SecurityError(f"the template took longer than {RENDER_SECONDS} s")


def _check_value(value: T) -> T:
    """Bound what one step may produce: text and sequences by length, integers by size."""
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_OUTPUT:
        raise SecurityError("text too long")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError("number too large")
    return value


class SafeEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
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
            if isinstance(left, int) and isinstance(right, int):  # squaring a huge number
                if left.bit_length() + right.bit_length() > MAX_INT_BITS + 64:
                    raise SecurityError("number too large")
        seqs = (str, list, tuple)
        if operator == "+" and isinstance(left, seqs) and isinstance(right, seqs):
            if len(left) + len(right) > MAX_OUTPUT:
                raise SecurityError("joined text too long")
        if operator == "%" and isinstance(left, str):
            _check_format(left, right)
        return _check_value(super().call_binop(context, operator, left, right))

    # Widths and counts are bounded too: 'x'.center(10**9), '%1000000000s' % 1 and
    # '{:>1000000000}'.format(1) would otherwise build gigabyte strings.
    def call(  # noqa: N805 (jinja2's signature)
        __self, __context: Context, __obj: Any, *args: Any, **kwargs: Any
    ) -> Any:
        _tick()
        _check_args(args, kwargs)
        if getattr(__obj, "__name__", None) == "replace" and isinstance(
            getattr(__obj, "__self__", None), str
        ):
            _check_replace(__obj.__self__, args)
        return _check_result(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        fmt = super().wrap_str_format(value)
        if fmt is None:
            return None
        template = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(template, args)
            return fmt(*args, **kwargs)

        return checked


_FMT_PERCENT = re.compile(r"%[#0 +\-]*(\*|\d*)(?:\.(\*|\d*))?")
_FMT_BRACE = re.compile(r"\{[^{}]*\}")


def _too_big(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and abs(n) > MAX_OUTPUT


def _check_args(args: Sequence[object], kwargs: Mapping[str, object]) -> None:
    if any(_too_big(a) for a in (*args, *kwargs.values())):
        raise SecurityError(f"a number above {MAX_OUTPUT} is not allowed here")


def _check_result(value: T) -> T:
    return _check_value(value)


def _check_replace(text: str, args: Sequence[object]) -> None:
    if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str) and args[0]:
        if len(text) + text.count(args[0]) * len(args[1]) > MAX_OUTPUT:
            raise SecurityError("replaced text too long")


def _check_format(fmt: str, values: object = ()) -> None:
    widths = [g for m in _FMT_PERCENT.finditer(fmt) for g in m.groups() if g]
    widths += [d for m in _FMT_BRACE.finditer(fmt) for d in re.findall(r"\d+", m.group())]
    if any(len(w) > 5 or int(w) > MAX_OUTPUT for w in widths if w != "*"):
        raise SecurityError("format width too large")
    if "*" in widths:
        items = values if isinstance(values, (tuple, list)) else (values,)
        _check_args(items, {})


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    import functools

    @functools.wraps(func)  # keeps jinja's pass_context/pass_eval_context marks
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_args(args[1:] if args and not _too_big(args[0]) else args[2:], kwargs)
        if name == "format" and args:
            value = args[1] if not isinstance(args[0], str) and len(args) > 1 else args[0]
            if isinstance(value, str):
                _check_format(value, args)
        if name == "replace":
            text = next((a for a in args if isinstance(a, str)), None)
            if text is not None:
                rest = list(args[args.index(text) + 1 :])
                _check_replace(text, rest)
        return _check_result(func(*args, **kwargs))

    return guarded


def _finalize(value: object) -> object:
    """What `{{ … }}` may print: text, numbers, truth values and lists of them. A method or
    other object (`{{ customer.name.upper }}`) would print Python's inner workings, with an
    address in memory: refuse it instead."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)) and all(
        v is None or isinstance(v, (str, int, float, bool)) for v in value
    ):
        return value
    raise SecurityError("only text and numbers can be shown (did you mean a value, not a method?)")


ENV = SafeEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False, finalize=_finalize
)
ENV.globals.clear()  # no range/lipsum/dict/cycler/joiner/namespace: a scenario needs none of them
ENV.filters = {name: _guard_filter(name, f) for name, f in ENV.filters.items()}


# Work a template can do is bounded by construction, not by a clock: no nested or recursive
# loops, no macros or call blocks (a macro can recurse exponentially), and every loop stops at
# LOOP_LIMIT items. With output and text sizes bounded too, one render is a few ms at worst.
LOOP_LIMIT = 1000
_LOOP_FILTER = "_countertalk_bounded_loop"


def unsafe_constructs(tree: nodes.Node) -> list[Problem]:
    """(line, message) for each construct a scenario template may not use: macros and call
    blocks, nested or recursive loops, include/import/extends, and private `._attributes`."""
    return list(_facts(tree)[1])


def _bounded_loop(value: Iterable[T]) -> list[T]:
    from itertools import islice

    _tick()
    items = list(islice(iter(value), LOOP_LIMIT + 1))
    if len(items) > LOOP_LIMIT:
        raise SecurityError(f"a loop over more than {LOOP_LIMIT} items")
    return items


ENV.filters[_LOOP_FILTER] = _bounded_loop
_VALUE_FILTER = "_countertalk_bounded_value"


def _bounded_value(value: T) -> T:
    _tick()
    return _check_value(value)


ENV.filters[_VALUE_FILTER] = _bounded_value


@lru_cache(maxsize=8192)
def compiled(source: str) -> Template:
    tree = ENV.parse(source)
    problems = unsafe_constructs(tree)
    if problems:
        raise SecurityError(problems[0][1])
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(
            loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.iter.lineno
        )
    # `~` (joining) cannot be intercepted like `+`, so every `{% set %}` is bounded instead:
    # doubling a value by setting it to itself joined to itself stops at MAX_OUTPUT.
    for assign in tree.find_all(nodes.Assign):
        assign.node = nodes.Filter(
            assign.node, _VALUE_FILTER, [], [], None, None, lineno=assign.node.lineno
        )
    return ENV.from_string(tree)


@lru_cache(maxsize=4096)
def compiled_condition(source: str) -> TemplateExpression:
    return ENV.compile_expression(source, undefined_to_none=False)


def parse_template(source: str) -> nodes.Template:
    """Parse without compiling (lint). Raises jinja2.TemplateSyntaxError."""
    return _parse_template(source)


@lru_cache(maxsize=16384)
def _parse_template(source: str) -> nodes.Template:
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


def names_used(tree: nodes.Node) -> list[NameUse]:
    """Every use of a scope name in a parsed template or expression, as (root, attribute, line).

    `vars.x` and `vars['x']` give ("vars", "x", line); bare `mood` gives ("mood", None, line).
    Names bound inside the template (`{% set %}`, loop targets) are skipped.
    """
    return list(_facts(tree)[0])


_FACTS_CACHE: dict[int, tuple[nodes.Node, tuple[tuple[NameUse, ...], tuple[Problem, ...]]]] = {}
_FORBIDDEN_FILES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def _facts(tree: nodes.Node) -> tuple[tuple[NameUse, ...], tuple[Problem, ...]]:
    """One walk of a parsed template: (names used, forbidden constructs). Cached per tree:
    lint asks both questions of every template, and packs repeat templates."""
    key = id(tree)
    hit = _FACTS_CACHE.get(key)
    if hit is not None and hit[0] is tree:
        return hit[1]
    bound: set[str] = set()
    found: list[NameUse] = []
    problems: list[Problem] = []
    # (node, loops enclosing it). Any: the walk dispatches on `type(node)` (fast, but mypy
    # cannot narrow through it), then reads that node class's fields.
    stack: list[tuple[Any, int]] = [(tree, 0)]
    Name, Getattr, Getitem, Const, For = (
        nodes.Name,
        nodes.Getattr,
        nodes.Getitem,
        nodes.Const,
        nodes.For,
    )
    while stack:
        node, loops = stack.pop()
        kind = type(node)
        if kind is Name:
            if node.ctx == "load":
                found.append((node.name, None, node.lineno))
            else:
                bound.add(node.name)
            continue
        if kind is Getattr and node.attr.startswith("_"):
            problems.append(
                (
                    node.lineno,
                    f"'{node.attr}' is not allowed in a template (names "
                    f"starting with _ are private)",
                )
            )
        if kind in (Getattr, Getitem) and type(node.node) is Name and node.node.ctx == "load":
            attr = None
            if kind is Getattr:
                attr = node.attr
            else:
                if type(node.arg) is Const and isinstance(node.arg.value, str):
                    attr = node.arg.value
                stack.append((node.arg, loops))
            found.append((node.node.name, attr, node.lineno))
            continue
        if kind is For:
            if node.recursive:
                problems.append((node.lineno, "recursive loops are not allowed in templates"))
            if loops:
                problems.append(
                    (node.lineno, "loops inside loops are not allowed in templates; use one loop")
                )
            for part in (node.target, node.iter, node.test):
                if part is not None:
                    stack.append((part, loops))
            for child in (*node.body, *node.else_):
                stack.append((child, loops + 1))
            continue
        if kind in (nodes.Macro, nodes.CallBlock):
            problems.append(
                (node.lineno, "templates cannot define macros or call blocks; write the text out")
            )
        elif isinstance(node, _FORBIDDEN_FILES):
            problems.append(
                (
                    node.lineno,
                    "templates cannot include, import or extend other files; write the text out",
                )
            )
        stack.extend((child, loops) for child in node.iter_child_nodes())
    one_per_line: dict[tuple[int, str], tuple[int, str]] = {}
    for line, message in sorted(problems):  # e.g. `''.__class__.__mro__`: say it once
        one_per_line.setdefault((line, message.split(" ", 1)[1]), (line, message))
    result = (tuple(f for f in found if f[0] not in bound), tuple(one_per_line.values()))
    if len(_FACTS_CACHE) > 20000:
        _FACTS_CACHE.clear()
    _FACTS_CACHE[key] = (tree, result)
    return result
