"""Scenario text and conditions: rendering with bounds, and the plain-text rule for output.

Strings without `{{`, `{%` or `{#` are plain text and are never compiled. A text whose only
template parts are `{{ vars.NAME }}`, `{{ customer.NAME }}`, `{{ visits.STATE }}`, `{{ mood }}`
or `{{ turn }}` (most scenario lines) is filled in here, giving exactly what Jinja2 would;
anything else, and any value that is missing or not plain text, a number or a truth value, goes
to the sandboxed Jinja2 environment in `sandbox.py`, imported then. So a scenario whose opening lines need no more than
that reaches its first screen without importing Jinja2 at all.
"""

from __future__ import annotations

import gc
import re
import threading
import time
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from .text import plain as plain  # re-exported: the plain-text rule

SCOPE_NAMES = ("vars", "mood", "turn", "customer", "visits")
MAX_OUTPUT = 10_000  # characters a single rendered template may produce
RENDER_SECONDS = 0.5  # one template's CPU-time budget (its thread's), checked at every guarded step

# The deadline of the render in progress (per thread: the app renders in a worker too).
_budget = threading.local()


def _gc_not_counted(phase: str, info: dict[str, Any]) -> None:
    """A garbage collection that runs during a render is the process's work, not the
    template's: its thread CPU time moves the deadline on. A full collection of a big heap (a
    test worker holding thousands of sessions) took longer than the whole budget and failed a
    template that renders in microseconds; a template's own work is still counted in full."""
    if getattr(_budget, "deadline", None) is None:
        _budget.gc_from = None
    elif phase == "start":
        _budget.gc_from = time.thread_time()
    elif getattr(_budget, "gc_from", None) is not None:
        _budget.deadline += time.thread_time() - _budget.gc_from
        _budget.gc_from = None


gc.callbacks.append(_gc_not_counted)


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


# {{ vars.NAME }} / {{ customer.NAME }} / {{ visits.STATE }} (group 1, 2) or {{ mood }} /
# {{ turn }} (group 3).
_PLACEHOLDER = re.compile(
    r"\{\{[ \t]*(?:(vars|customer|visits)\.([A-Za-z_][A-Za-z0-9_]*)|(mood|turn))[ \t]*\}\}"
)
_NEWLINES = re.compile(r"\r\n|\r|\n")
_SHOWN = (str, int, float, bool, type(None))
_MAPS = (dict, MappingProxyType)  # lint's starting visits are a read-only view


class _NotSimple(Exception):
    """The fast path cannot give Jinja2's answer for this text: Jinja2 renders it."""


def _fill(match: re.Match[str], context: dict[str, Any]) -> str:
    scope, name, bare = match.groups()
    if bare is not None:
        value = context.get(bare, _NotSimple)
    else:
        holder: Any = context.get(scope)
        # Jinja2 looks an attribute up before a key: `vars.items` is the dict's method there.
        if type(holder) not in _MAPS or name not in holder or hasattr(holder, name):
            raise _NotSimple
        value = holder[name]
    if value is _NotSimple or not isinstance(value, _SHOWN):
        raise _NotSimple  # missing (Jinja2 says so) or not text, a number or true/false
    return str(value)


def _fast(source: str, context: dict[str, Any]) -> str | None:
    """The text as Jinja2 would render it, when its only template parts are placeholders."""
    rest = _PLACEHOLDER.sub("", source)
    if "{" in rest or "}" in rest:
        return None  # a block, comment, expression or stray brace: Jinja2's job
    lines = _NEWLINES.split(source)  # as Jinja2's lexer: newlines as \n, the last one dropped
    if lines[-1] == "":
        del lines[-1]
    try:
        return _PLACEHOLDER.sub(lambda m: _fill(m, context), "\n".join(lines))
    except _NotSimple:
        return None


def placeholder_uses(source: str) -> list[tuple[str, str | None, int]] | None:
    """The names a text reads, as (root, attribute, line), when its only template parts are
    placeholders; None otherwise. What the sandbox's `names_used` finds in Jinja2's parse of
    the same text, without parsing it: lint asks this of every line of a scenario."""
    rest = _PLACEHOLDER.sub("", source)
    if "{" in rest or "}" in rest:
        return None
    uses: list[tuple[str, str | None, int]] = []
    for match in _PLACEHOLDER.finditer(source):
        scope, name, bare = match.groups()
        line = 1 + len(_NEWLINES.findall(source, 0, match.start()))
        uses.append((bare, None, line) if bare is not None else (scope, name, line))
    return uses


class RenderError(Exception):
    """A template or condition failed while playing (e.g. adds a number to a word)."""


def _message(exc: BaseException) -> str:
    text = plain(str(exc)) if str(exc) else exc.__class__.__name__
    return text[:300]


def render(source: str, context: dict[str, Any]) -> str:
    if not is_template(source):
        return plain(source)
    out = _fast(source, context)
    if out is not None:
        return plain(out[:MAX_OUTPUT] + "…" if len(out) > MAX_OUTPUT else out)
    from .sandbox import _tick, compiled

    # The budget bounds running the template, not compiling it: compiling is cached per source
    # and bounded by the loader's size limits, and counting it let a first render of a long
    # ending on a busy test worker go over the limit.
    try:
        template = compiled(source)
    except Exception as exc:  # untrusted input: any failure is the template's, said plainly
        raise RenderError(_message(exc)) from None
    _budget.deadline = time.thread_time() + RENDER_SECONDS
    try:  # generate, not render: a loop that prints without end stops at the limit
        pieces: list[str] = []
        size = 0
        for piece in template.generate(context):
            _tick()
            pieces.append(piece)
            size += len(piece)
            if size > MAX_OUTPUT:
                break
        out = "".join(pieces)
    except Exception as exc:  # untrusted input: any failure is the template's, said plainly
        raise RenderError(_message(exc)) from None
    finally:
        _budget.deadline = None
    if len(out) > MAX_OUTPUT:
        out = out[:MAX_OUTPUT] + "…"
    return plain(out)


def evaluate(source: str, context: dict[str, Any]) -> bool:
    from .sandbox import compiled_condition

    try:  # compiled outside the budget, as in render()
        condition = compiled_condition(source)
    except Exception as exc:  # untrusted input: any failure is the condition's
        raise RenderError(_message(exc)) from None
    _budget.deadline = time.thread_time() + RENDER_SECONDS
    try:
        return bool(condition(**context))
    except Exception as exc:  # untrusted input: any failure is the condition's
        raise RenderError(_message(exc)) from None
    finally:
        _budget.deadline = None


def compile_ahead(scenario: Any) -> int:
    """Compile every template and condition of a scenario that Jinja2 would render (not the
    plain texts and placeholder-only lines `render` fills itself), so the first learner to
    reach each one does not wait for it: a long-running server does this when it warms up
    (the pack's conversations: 162 templates and 58 conditions, ~165 ms of CPU otherwise paid
    by the requests that first meet them, a few milliseconds each on a busy machine). Returns
    how many were compiled now or already; one that fails is left for `render` to report."""
    from .sandbox import compiled, compiled_condition

    templates: set[str] = set()
    conditions: set[str] = set()

    def walk(value: Any, name: str) -> None:
        if isinstance(value, str):
            if name == "if_":
                conditions.add(value)
            elif is_template(value) and placeholder_uses(value) is None:
                templates.add(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, name)
        elif isinstance(value, (dict, MappingProxyType)):
            for item in value.values():
                walk(item, name)
        else:
            for field in getattr(value, "__struct_fields__", ()):  # the model's structs
                walk(getattr(value, field), field)

    walk(scenario, "")
    jobs: list[tuple[Callable[[str], object], str]] = [(compiled, t) for t in sorted(templates)]
    jobs += [(compiled_condition, c) for c in sorted(conditions)]
    done = 0
    for compile_it, source in jobs:
        try:
            compile_it(source)
        except Exception:  # noqa: BLE001 - said by render/evaluate when it is used
            continue
        done += 1
    return done
