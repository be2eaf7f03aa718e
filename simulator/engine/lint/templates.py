"""Pass 3, templates and conditions: each parses, uses only names that exist, and uses nothing
that could only fail (or misbehave) while a learner is playing.

Parsing is cached per text (packs repeat templates). Jinja2's parser recurses, so deeply nested
brackets are refused as a finding at their line instead of crashing the run.
"""

from __future__ import annotations

from typing import Any

from jinja2 import TemplateSyntaxError

from ..sandbox import (
    names_used,
    parse_condition,
    parse_template,
    unsafe_constructs,
)
from ..templating import SCOPE_NAMES, is_template, placeholder_uses
from .context import At, Context, DataPath, choices_of
from .diagnostics import closest, did_you_mean


def run(ctx: Context) -> None:
    data = ctx.data
    if not isinstance(data, dict):
        return
    rules = data.get("rules")
    if isinstance(rules, list):
        for i, rule in enumerate(rules):
            if isinstance(rule, dict) and "if" in rule:
                condition(ctx, rule["if"], ("rules", i, "if"))
    for st_id, st in ctx.states.items():
        if not isinstance(st, dict):
            continue
        sp = ("states", st_id)
        say = st.get("say")
        if isinstance(say, list):
            for i, v in enumerate(say):
                template(ctx, v, sp + ("say", i))
        else:
            template(ctx, say, sp + ("say",))
        template(ctx, st.get("note"), sp + ("note",))
        template(ctx, st.get("debrief"), sp + ("debrief",))
        for cp, ch in choices_of(st_id, st):
            template(ctx, ch.get("text"), cp + ("text",))
            template(ctx, ch.get("feedback"), cp + ("feedback",))
            if ch.get("if") is not None:
                condition(ctx, ch["if"], cp + ("if",))


def template(ctx: Context, source: Any, path: DataPath) -> None:
    if source is None or not isinstance(source, str) or not is_template(source):
        return
    uses = placeholder_uses(source)
    if uses is not None:  # most lines: only {{ vars.NAME }} and the like, nothing to parse
        _report_names(ctx, uses, path)
        return
    try:
        tree = parse_template(source)
    except TemplateSyntaxError as exc:
        ctx.report(
            "CT301",
            ctx.at_line(path, exc.lineno),
            f"template does not parse: {exc.message}; check the {{{{ }}}} and {{% %}} pairs",
        )
        return
    except RecursionError:
        _too_deep(ctx, path)
        return
    names(ctx, tree, path)
    if not _bounded(tree):
        trial(ctx, source, path)


# Nodes whose output is at most the sum of their parts and whose time is linear in the text: a
# template built only of these can neither take its time budget nor outgrow its output bound
# (values come from the file, so a long value is as long there), so a trial render would find
# nothing. Anything else (loops, calls, filters, `*`, `**`, `%`, `set`, macros) is tried.
_LINEAR_NODES = frozenset(
    {
        "Template", "Output", "TemplateData", "Name", "Getattr", "Getitem", "Const", "If",
        "Compare", "Operand", "And", "Or", "Not", "Neg", "Pos", "Add", "Sub", "Div", "FloorDiv",
        "CondExpr", "Concat", "Test", "List", "Tuple", "Slice",
    }
)  # fmt: skip


def _bounded(tree: Any) -> bool:
    from jinja2 import nodes

    if type(tree).__name__ not in _LINEAR_NODES:
        return False
    return all(type(n).__name__ in _LINEAR_NODES for n in tree.find_all(nodes.Node))


def trial(ctx: Context, source: str, path: DataPath, *, condition: bool = False) -> None:
    """Render the template once, with the scenario's starting values, on the budget it has when
    played (issue 31, item 9): a template bomb (text or numbers that double and double, loops
    without end) is refused here, with its line, not mid-session. Other failures depend on what
    the learner chose and stay play's to say (they are not errors of the file)."""
    from jinja2.exceptions import SecurityError

    from ..templating import MAX_OUTPUT, RENDER_SECONDS, RenderError, evaluate, render

    try:
        (evaluate if condition else render)(source, _start_context(ctx))
    except RenderError as exc:
        cause = exc.__context__
        if isinstance(cause, SecurityError) and _RESOURCE.search(str(cause)):
            ctx.report(
                "CT311",
                At(path),
                f"this {'condition' if condition else 'template'} would be stopped when played "
                f"({cause}): a template may take "
                f"{RENDER_SECONDS} s and make {MAX_OUTPUT:,} characters; make it simpler",
            )


_RESOURCE = __import__("re").compile(
    r"too long|too large|took longer|loop over more than|a number above"
)


def _start_context(ctx: Context) -> dict[str, Any]:
    """What templates see on the first turn: starting variables, mood and the customer."""
    data = ctx.data if isinstance(ctx.data, dict) else {}
    variables = data.get("vars")
    customer = data.get("customer")
    scalars = (str, int, float, bool)

    def scalar_items(mapping: Any) -> dict[str, Any]:
        if not isinstance(mapping, dict):
            return {}
        return {k: v for k, v in mapping.items() if isinstance(k, str) and isinstance(v, scalars)}

    vars_, cust = scalar_items(variables), scalar_items(customer)
    mood = cust.get("mood", 50)
    return {
        "vars": vars_,
        "mood": mood if isinstance(mood, int) and not isinstance(mood, bool) else 50,
        "turn": 0,
        "customer": cust,
        "visits": _no_visits(ctx),
    }


_VISITS: dict[int, tuple[object, Any]] = {}


def _no_visits(ctx: Context) -> Any:
    """Every state id -> 0, built once per lint run (a trial render per template rebuilt it, a
    2,000-entry dict thousands of times); read-only, so no template can change it for the next."""
    from types import MappingProxyType

    found = _VISITS.get(id(ctx))
    if found is not None and found[0] is ctx:
        return found[1]
    if len(_VISITS) > 8:
        _VISITS.clear()
    visits = MappingProxyType(dict.fromkeys(ctx.state_ids, 0))
    _VISITS[id(ctx)] = (ctx, visits)
    return visits


def condition(ctx: Context, source: Any, path: DataPath) -> None:
    if isinstance(source, bool):
        return
    if not isinstance(source, str):
        return  # shape reports a condition that is not text
    if not source.strip():
        ctx.report(
            "CT302",
            At(path),
            "a condition must be an expression such as 'mood < 30' or 'not vars.asked'",
        )
        return
    try:
        tree = parse_condition(source)
    except TemplateSyntaxError as exc:
        ctx.report(
            "CT302",
            At(path),
            f"condition does not parse: {exc.message}; write an expression such as "
            f"'mood < 30 and not vars.asked'",
        )
        return
    except RecursionError:
        _too_deep(ctx, path)
        return
    names(ctx, tree, path)
    if not _bounded(tree):
        trial(ctx, source, path, condition=True)


def _too_deep(ctx: Context, path: DataPath) -> None:
    ctx.report(
        "CT310",
        At(path),
        "brackets are nested too deep for a template or condition; split it into simpler parts",
    )


def names(ctx: Context, tree: Any, path: DataPath) -> None:
    # Things that could only fail when played: say so now, not to a learner mid-session.
    for line, message in unsafe_constructs(tree):
        ctx.report("CT308", ctx.at_line(path, line), message)
    _report_names(ctx, names_used(tree), path)


def _report_names(ctx: Context, uses: Any, path: DataPath) -> None:
    for root, attr, line in uses:
        where = ctx.at_line(path, line)
        if root == "path" and _ending_text(ctx, path):
            path_keys = _path_keys()
            if attr is not None and attr not in path_keys:  # engine/pathctx.py
                ctx.report(
                    "CT303",
                    where,
                    f"'path.{attr}' is not known{did_you_mean(attr, path_keys)}; "
                    f"use {', '.join(path_keys)}",
                    suggestion=closest(attr, path_keys),
                    subject=attr,
                )
        elif root not in SCOPE_NAMES:
            ctx.report(
                "CT303",
                where,
                f"unknown name '{root}'{did_you_mean(root, SCOPE_NAMES)}; "
                f"templates can use {', '.join(SCOPE_NAMES)}"
                + ("; 'path' only in an ending's say and debrief" if root == "path" else ""),
                suggestion=closest(root, SCOPE_NAMES),
                subject=root,
            )
        elif attr is None:
            continue
        elif root == "vars" and attr not in ctx.known_vars:
            ctx.report(
                "CT304",
                where,
                f"undefined variable 'vars.{attr}'{did_you_mean(attr, ctx.known_vars)}; "
                f"declare it under vars:",
                suggestion=closest(attr, ctx.known_vars),
                subject=attr,
            )
        elif root == "visits" and attr not in ctx.state_ids:
            ctx.report(
                "CT305",
                where,
                f"'visits.{attr}' names no state{did_you_mean(attr, ctx.state_ids)}",
                suggestion=closest(attr, ctx.state_ids),
                subject=attr,
            )
        elif root == "customer" and attr not in ctx.customer_keys:
            ctx.report(
                "CT306",
                where,
                f"'customer.{attr}' is not a customer field"
                f"{did_you_mean(attr, ctx.customer_keys)}; use "
                f"{', '.join(ctx.spec.customer.keys)}",
                suggestion=closest(attr, ctx.customer_keys),
                subject=attr,
            )
        elif root in ("mood", "turn"):
            ctx.report("CT307", where, f"'{root}' is a number and has no '{attr}'")


def _ending_text(ctx: Context, path: DataPath) -> bool:
    """An ending's say/debrief: the texts that may read `path`."""
    if len(path) < 3 or path[0] != "states" or path[2] not in ("say", "debrief"):
        return False
    st = ctx.states.get(path[1])
    return isinstance(st, dict) and st.get("end") is not None


def _path_keys() -> tuple[str, ...]:
    """The names an ending's text may read under `path`. Imported only when a template uses
    `path`: engine/pathctx.py imports the model, which lint otherwise never needs."""
    from ..pathctx import PATH_KEYS

    return tuple(PATH_KEYS)
