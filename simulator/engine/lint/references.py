"""Pass 2, references: every name that must name something does — states, catalogue entries
(behaviours, mistakes, scoring models), laws, topics, variables — and ids are not reused.

A did-you-mean carries its replacement as the finding's `suggestion`, which the language server
offers as a quick fix.
"""

from __future__ import annotations

from typing import Any

from ..format import TOPICS
from .context import At, Context, DataPath, choices_of
from .diagnostics import closest, did_you_mean, fmt_list


def run(ctx: Context) -> None:
    data = ctx.data
    if not isinstance(data, dict):
        return
    topic = data.get("topic")
    if isinstance(topic, str) and topic.strip() and topic not in TOPICS:
        ctx.report(
            "CT107",
            At(("topic",)),
            f"unknown topic '{topic}'{did_you_mean(topic, TOPICS)}; known: {fmt_list(TOPICS)}",
            suggestion=closest(topic, TOPICS),
        )
    start = data.get("start")
    if isinstance(start, str) and start.strip() and ctx.state_ids and start not in ctx.state_ids:
        ctx.report(
            "CT102",
            At(("start",)),
            f"start names no state '{start}'{did_you_mean(start, ctx.state_ids)}",
            suggestion=closest(start, ctx.state_ids),
        )
    models = data.get("models")
    if isinstance(models, list):
        for i, m in enumerate(models):
            if m not in ctx.model_ids:
                ctx.report(
                    "CT106",
                    At(("models", i)),
                    f"unknown scoring model {m!r}{did_you_mean(m, ctx.model_ids)}; known: "
                    f"{fmt_list(ctx.model_ids)}",
                    suggestion=closest(m, ctx.model_ids),
                )
    scoring = data.get("scoring")
    weights = scoring.get("weights") if isinstance(scoring, dict) else None
    if isinstance(weights, dict):
        for m in weights:
            if m not in ctx.model_ids:
                ctx.report(
                    "CT106",
                    At(("scoring", "weights", m)),
                    f"unknown scoring model '{m}'{did_you_mean(m, ctx.model_ids)}",
                    key=True,
                    suggestion=closest(m, ctx.model_ids),
                )
    for name, where in ctx.set_vars.items():
        if name not in ctx.vars:
            ctx.report(
                "CT108",
                At(where),
                f"variable '{name}' is set but not declared under vars:"
                f"{did_you_mean(name, ctx.vars)}; declare it with a starting value",
                key=True,
            )
    rules = data.get("rules")
    if isinstance(rules, list):
        for i, rule in enumerate(rules):
            if isinstance(rule, dict):
                goto(ctx, rule.get("goto"), ("rules", i))
    seen_ids: dict[str, DataPath] = {}
    for st_id, st in ctx.states.items():
        for cp, ch in choices_of(st_id, st):
            _choice(ctx, st_id, cp, ch, seen_ids)


def goto(ctx: Context, target: Any, path: DataPath) -> None:
    if target is None:
        return  # shape reports the missing goto
    target = str(target)
    if ctx.state_ids and target not in ctx.state_ids:
        ctx.report(
            "CT101",
            At(path + ("goto",)),
            f"goto names no state '{target}'{did_you_mean(target, ctx.state_ids)}",
            suggestion=closest(target, ctx.state_ids),
        )


def _choice(
    ctx: Context, st_id: Any, cp: DataPath, ch: dict[str, Any], seen_ids: dict[str, DataPath]
) -> None:
    i = cp[-1]
    cid = str(ch["id"]) if ch.get("id") is not None else f"{st_id}.{i + 1}"
    where = cp + ("id",) if "id" in ch else cp
    if cid in seen_ids:
        line = ctx.p.where(seen_ids[cid])[0]
        ctx.report(
            "CT110",
            At(where),
            f"duplicate choice id '{cid}' (also used at line {line}); give one a different id",
            key=True,
        )
    else:
        seen_ids[cid] = where
    goto(ctx, ch.get("goto"), cp)
    for key, catalogue, what, code in (
        ("shows", ctx.behaviours, "behaviour", "CT103"),
        ("mistakes", ctx.mistakes, "mistake", "CT104"),
        ("corrects_before_effect", ctx.mistakes, "mistake", "CT104"),
    ):
        items = ch.get(key)
        if not isinstance(items, list):
            continue
        for j, item in enumerate(items):
            if not isinstance(item, str) or item not in catalogue:
                ctx.report(
                    code,
                    At(cp + (key, j)),
                    f"unknown {what} {item!r}{did_you_mean(item, catalogue)}; see "
                    f"scoring/catalogue.yaml",
                    suggestion=closest(item, catalogue),
                )
    law = ch.get("law")
    if isinstance(law, dict):
        facts = _law_facts(ctx)
        for lid in law:
            problem = _law_key_problem(lid, facts)
            if problem:
                message, suggestion = problem
                ctx.report("CT105", At(cp + ("law", lid)), message, key=True, suggestion=suggestion)
    explain = ch.get("explain")
    if isinstance(explain, dict):
        listed = ch.get("mistakes")
        made: list[Any] = listed if isinstance(listed, list) else []
        for mid, said in explain.items():
            if mid not in made:
                ctx.report(
                    "CT112",
                    At(cp + ("explain", mid)),
                    f"explain names {mid!r}, a mistake this choice does not make; explain only "
                    f"the mistakes under its 'mistakes:' ({', '.join(map(str, made)) or 'none'})",
                    key=True,
                )
            elif not isinstance(said, str) or not said.strip():
                ctx.report(
                    "CT203",
                    At(cp + ("explain", mid)),
                    "an explanation must be text: what was wrong with this option's words",
                )
    corrects = ch.get("corrects")
    if isinstance(corrects, list):
        facts = _law_facts(ctx)
        for j, lid in enumerate(corrects):
            if isinstance(lid, str) and lid in ctx.mistakes:
                continue  # a mistake withdrawn (an over-promise taken back, say)
            problem = _law_key_problem(lid, facts)
            if problem:
                message, suggestion = problem
                ctx.report("CT105", At(cp + ("corrects", j)), message, suggestion=suggestion)


def _law_facts(ctx: Context) -> dict[str, tuple[str, ...]]:
    """{act id: fact ids}: what a `law:` mark may name, an act id or ACT_ID.FACT_ID (the data
    is scoring/laws.yaml, read by the vocabulary)."""
    return dict(ctx.vocabulary.law_facts())


def _law_key_problem(key: Any, facts: dict[str, tuple[str, ...]]) -> tuple[str, str | None] | None:
    """(message, replacement) when `key` is not an act id or ACT_ID.FACT_ID; else None."""
    act, _, fact = str(key).partition(".")
    if act not in facts:
        close = closest(act, facts)
        return (
            f"unknown law id '{act}'{did_you_mean(act, facts)}; known: {', '.join(facts)}",
            (close + str(key)[len(act) :]) if close else None,
        )
    if fact and fact not in facts[act]:
        known = facts[act]
        close = closest(fact, known)
        return (
            f"unknown fact '{fact}' of {act}{did_you_mean(fact, known)}; known: "
            f"{fmt_list(known)} (see scoring/laws.yaml)",
            f"{act}.{close}" if close else None,
        )
    return None
