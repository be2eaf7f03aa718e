"""Pass 1, shape: keys, required keys, kinds of value, ranges and lengths.

Which keys exist, which are required and what range a number has come from the format model
(`spec.py`); this pass adds the messages a tutor can act on, each at the value's line.
"""

from __future__ import annotations

import re
from typing import Any

from .context import (
    MAX_EXAMPLE_TEXT,
    MAX_VAR_TEXT,
    At,
    Context,
    DataPath,
    is_int,
    is_scalar,
    kind,
)
from .diagnostics import closest, did_you_mean

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def run(ctx: Context) -> None:
    for kpath, line, col, first in ctx.p.duplicates:
        if len(kpath) == 2 and kpath[0] == "states":
            ctx.report(
                "CT109",
                (line, col),
                f"duplicate state id '{kpath[-1]}' (first defined at line {first}); rename one",
            )
        else:
            ctx.report(
                "CT214",
                (line, col),
                f"duplicate key '{kpath[-1]}' (first at line {first}); keep one",
            )
    data = ctx.data
    if not isinstance(data, dict):
        ctx.report(
            "CT203",
            At(()),
            "a scenario file must be a mapping with keys such as id, title, start and states",
        )
        return
    root = ctx.spec.root
    ctx.keys_known(data, (), root.keys, "top-level")
    for req in root.required:
        if req not in data:
            ctx.report("CT202", At(()), f"missing required key '{req}' at the top level; add it")
    fmt = data.get("format", 1)
    if fmt not in root.choices["format"]:
        ctx.report("CT210", At(("format",)), f"unknown format {fmt!r}; only format 1 exists")
    sid = data.get("id")
    if "id" in data and ctx.expect_str(sid, ("id",), "id", required=True) and isinstance(sid, str):
        if not _ID.fullmatch(sid):
            slug = re.sub(r"[^a-z0-9]+", "-", sid.lower()).strip("-") or "my-scenario"
            ctx.report(
                "CT205",
                At(("id",)),
                f"id '{sid}' must use only lowercase letters, digits and '-' (e.g. '{slug}')",
                suggestion=slug,
            )
    for key in ("title", "topic", "summary", "learner_role"):
        if key in data:
            ctx.expect_str(data[key], (key,), key, required=True)
    if "level" in data and data["level"] is not None and data["level"] not in root.choices["level"]:
        levels = " or ".join(map(str, root.choices["level"]))
        ctx.report("CT210", At(("level",)), f"level must be {levels}, not {data['level']!r}")
    _customer(ctx, data.get("customer"))
    if "vars" in data and ctx.expect_mapping(data.get("vars") or {}, ("vars",), "vars") is not None:
        for name, value in ctx.vars.items():
            _variable(ctx, name, value, ("vars", name), f"variable '{name}'")
    _escalation(ctx, data.get("escalation"))
    models = data.get("models")
    if models is not None and not isinstance(models, list):
        ctx.report(
            "CT203", At(("models",)), f"models must be a list, e.g. [{', '.join(ctx.model_ids)}]"
        )
    if "scoring" in data:
        _scoring(ctx, data.get("scoring"))
    if "shuffle" in data and not isinstance(data["shuffle"], bool):
        ctx.report(
            "CT203", At(("shuffle",)), f"shuffle must be true or false, not {data['shuffle']!r}"
        )
    if "start" in data:
        start = data.get("start")
        if start is not None and not isinstance(start, str):
            ctx.report("CT203", At(("start",)), "start must be the id of a state (text)")
        else:
            ctx.expect_str(start, ("start",), "start", required=True)
    _rules(ctx, data.get("rules"))
    states = data.get("states")
    if "states" in data and not isinstance(states, dict):
        ctx.report("CT203", At(("states",)), "states must be a mapping of state id to state")
    elif isinstance(states, dict):
        if not states:
            ctx.report(
                "CT202",
                At(("states",)),
                "states is empty; add at least a start state and an ending",
            )
        for st_id, st in states.items():
            _state(ctx, st_id, st)


def _variable(ctx: Context, name: Any, value: Any, path: DataPath, what: str) -> None:
    if not is_scalar(value):
        ctx.report("CT203", At(path), f"{what} must be a single value (text, number, true/false)")
    elif isinstance(value, float) and not value == value or value in (float("inf"), -float("inf")):
        ctx.report("CT204", At(path), f"{what} must be a finite number, not {value!r}")
    elif isinstance(value, str) and len(value) > MAX_VAR_TEXT:
        ctx.report(
            "CT211",
            At(path),
            f"{what} holds {len(value)} characters; variables are limited to {MAX_VAR_TEXT}",
        )


def _customer(ctx: Context, cust: Any) -> None:
    if cust is None or ctx.expect_mapping(cust, ("customer",), "customer") is None:
        return
    sec = ctx.spec.customer
    ctx.keys_known(cust, ("customer",), sec.keys, "customer")
    if "name" not in cust:
        ctx.report("CT202", At(("customer",)), "customer has no 'name'; add one")
    else:
        ctx.expect_str(cust["name"], ("customer", "name"), "customer name", required=True)
    if cust.get("persona") is not None:
        ctx.expect_str(cust["persona"], ("customer", "persona"), "persona")
    if "mood" in cust:
        lo, hi = sec.ranges["mood"]
        mood = cust.get("mood")
        if not is_int(mood) or not lo <= mood <= hi:
            ctx.report(
                "CT204",
                At(("customer", "mood")),
                f"customer mood must be a whole number from {lo} (furious) to {hi} "
                f"(delighted), not {mood!r}",
            )
    if not isinstance(cust.get("internal", False), bool):
        ctx.report("CT203", At(("customer", "internal")), "internal must be true or false")


def _escalation(ctx: Context, esc: Any) -> None:
    if esc is None or ctx.expect_mapping(esc, ("escalation",), "escalation") is None:
        return
    ctx.keys_known(esc, ("escalation",), ctx.spec.escalation.keys, "escalation")
    if not isinstance(esc.get("required", False), bool):
        ctx.report("CT203", At(("escalation", "required")), "required must be true or false")
    to = esc.get("to", [])
    if not isinstance(to, list) or not all(isinstance(r, str) for r in to):
        ctx.report(
            "CT203", At(("escalation", "to")), "to must be a list of role names, e.g. [supervisor]"
        )
    elif esc.get("required") is True and not to:
        ctx.report(
            "CT213",
            At(("escalation",)),
            "escalation is required but 'to' lists no role; name who it is right to escalate to",
        )
    if esc.get("reason") is not None:
        ctx.expect_str(esc["reason"], ("escalation", "reason"), "reason")


def _scoring(ctx: Context, sc: Any) -> None:
    if ctx.expect_mapping(sc, ("scoring",), "scoring") is None:
        return
    sec = ctx.spec.scoring
    ctx.keys_known(sc, ("scoring",), sec.keys, "scoring")
    weights = sc.get("weights", {})
    if not isinstance(weights, dict):
        ctx.report("CT203", At(("scoring", "weights")), "weights must map model ids to numbers")
    else:
        lo, hi = sec.item_ranges["weights"]
        for m, w in weights.items():
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not lo <= w <= hi:
                ctx.report(
                    "CT204",
                    At(("scoring", "weights", m)),
                    f"a weight must be a number from {lo:g} to {hi:g}, not {w!r}",
                )
    for k in ("pass", "distinction"):
        v = sc.get(k)
        lo, hi = sec.ranges[k]
        if v is not None and (not is_int(v) or not lo <= v <= hi):
            ctx.report("CT204", At(("scoring", k)), f"{k} must be a percentage {lo}..{hi}")
    p, d = sc.get("pass"), sc.get("distinction")
    if is_int(p) and is_int(d) and p > d:
        ctx.report(
            "CT212", At(("scoring",)), "the pass threshold is above the distinction threshold"
        )


def _rules(ctx: Context, rules: Any) -> None:
    if rules is None:
        return
    if not isinstance(rules, list):
        ctx.report("CT203", At(("rules",)), "rules must be a list of {if, goto}")
        return
    sec = ctx.spec.rule
    for i, rule in enumerate(rules):
        rp = ("rules", i)
        if ctx.expect_mapping(rule, rp, "a rule") is None:
            continue
        ctx.keys_known(rule, rp, sec.keys, "rule")
        if "if" not in rule:
            ctx.report("CT202", At(rp), "rule has no 'if'; add a condition")
        if rule.get("goto") is None:
            ctx.report("CT202", At(rp), "rule has no 'goto'; name the state it leads to")


def _state(ctx: Context, st_id: Any, st: Any) -> None:
    sp = ("states", st_id)
    if st is None:
        st = {}
    if ctx.expect_mapping(st, sp, f"state '{st_id}'") is None:
        return
    sec = ctx.spec.state
    ctx.keys_known(st, sp, sec.keys, "state")
    end = st.get("end")
    is_end = "end" in st
    outcomes = sec.choices["end"]
    if is_end and end not in outcomes:
        ctx.report(
            "CT209",
            At(sp + ("end",)),
            f"unknown outcome {end!r}{did_you_mean(end, outcomes)}; use one of {', '.join(outcomes)}",
            suggestion=closest(end, outcomes),
        )
    choices = st.get("choices")
    if is_end and choices:
        ctx.report(
            "CT207",
            At(sp + ("choices",)),
            f"state '{st_id}' is an ending (end: {end}) but has choices; remove them or remove 'end'",
            key=True,
        )
    if not is_end and "mood" in st:
        ctx.report(
            "CT210",
            At(sp + ("mood",)),
            f"state '{st_id}' has a mood but is not an ending; a state's own mood is an "
            "ending's (a choice's mood: changes the mood on the way)",
            key=True,
        )
    if not is_end:
        if choices is None or choices == []:
            ctx.report(
                "CT208",
                At(sp),
                f"state '{st_id}' has no choices and is not an ending; add choices or "
                f"'end: {'|'.join(outcomes)}'",
                key=True,
            )
        if "say" not in st:
            ctx.report(
                "CT202",
                At(sp),
                f"state '{st_id}' has no 'say'; write the customer's line",
                key=True,
            )
    say = st.get("say")
    if isinstance(say, list):
        if not say:
            ctx.report("CT206", At(sp + ("say",)), "say is an empty list; give at least one line")
        for i, v in enumerate(say):
            ctx.expect_str(v, sp + ("say", i), "a say variant", required=True)
    elif say is not None:
        ctx.expect_str(say, sp + ("say",), "say", required=True)
    for key in ("note", "debrief"):
        if st.get(key) is not None:
            ctx.expect_str(st[key], sp + (key,), key)
    if choices is None or choices == []:
        return
    if not isinstance(choices, list):
        ctx.report("CT203", At(sp + ("choices",)), "choices must be a list")
        return
    for i, ch in enumerate(choices):
        _choice(ctx, sp + ("choices", i), ch)


def _choice(ctx: Context, cp: DataPath, ch: Any) -> None:
    if ctx.expect_mapping(ch, cp, "a choice") is None:
        return
    sec = ctx.spec.choice
    ctx.keys_known(ch, cp, sec.keys, "choice")
    if ch.get("id") is not None and not isinstance(ch.get("id"), str):
        ctx.report("CT203", At(cp + ("id",)), "a choice id must be text")
    if "text" not in ch:
        ctx.report("CT202", At(cp), "choice has no 'text'; write what the learner says")
    else:
        ctx.expect_str(ch["text"], cp + ("text",), "text", required=True)
    if ch.get("goto") is None:
        ctx.report("CT202", At(cp), "choice has no 'goto'; name the state it leads to")
    if "if" in ch and ch["if"] is not None and not isinstance(ch["if"], (str, bool)):
        ctx.report(
            "CT203",
            At(cp + ("if",)),
            "a condition must be an expression such as 'mood < 30' or 'not vars.asked'",
        )
    for key in ("shows", "mistakes", "corrects", "corrects_before_effect"):
        items = ch.get(key)
        if isinstance(items, str):
            ctx.report("CT203", At(cp + (key,)), f"{key} must be a list, e.g. [{items}]")
        elif items is not None and not isinstance(items, list):
            ctx.report("CT203", At(cp + (key,)), f"{key} must be a list")
    explain = ch.get("explain")
    if explain is not None and not isinstance(explain, dict):
        ctx.report(
            "CT203",
            At(cp + ("explain",)),
            'explain maps a mistake id to text, e.g. {vague_referral: "..."}',
        )
    esc = ch.get("escalate")
    if esc is not None and not (isinstance(esc, str) and esc.strip()):
        ctx.report("CT203", At(cp + ("escalate",)), "escalate must name a role, e.g. supervisor")
    law = ch.get("law")
    verdicts = sec.item_choices["law"]
    if law is not None:
        if not isinstance(law, dict):
            ctx.report(
                "CT203",
                At(cp + ("law",)),
                "law must map a law id to right, wrong, breached or offered, e.g. {consumer_rights_act_2015: right}",
            )
        else:
            for lid, verdict in law.items():
                if verdict not in verdicts:
                    ctx.report(
                        "CT210",
                        At(cp + ("law", lid)),
                        f"law verdict must be {' or '.join(verdicts)}, not {verdict!r}",
                    )
                elif verdict in ("breached", "offered") and not ch.get("mistakes"):
                    # conduct contrary to the law (or an offer of it) is a mistake of conduct
                    # (discrimination, oversharing): without one the breach would be graded
                    # as nothing (review 25k D1; issue 25, truth25bb for `offered`)
                    ctx.report(
                        "CT210",
                        At(cp + ("law", lid)),
                        f"a {verdict!r} law mark needs the conduct's mistake on the same choice, "
                        "e.g. mistakes: [discrimination]",
                    )
    mood = ch.get("mood")
    lo, hi = sec.ranges["mood"]
    if mood is not None and (not is_int(mood) or not lo <= mood <= hi):
        ctx.report(
            "CT204",
            At(cp + ("mood",)),
            f"mood change must be a whole number from {lo} to +{hi}, not {mood!r}",
        )
    sets = ch.get("set")
    if sets is not None:
        if not isinstance(sets, dict):
            ctx.report(
                "CT203", At(cp + ("set",)), "set must map variables to values, e.g. {asked: true}"
            )
        else:
            for name, value in sets.items():
                where = cp + ("set", name)
                if not is_scalar(value):
                    ctx.report("CT203", At(where), f"'{name}' must be set to a single value")
                elif isinstance(value, str) and len(value) > MAX_VAR_TEXT:
                    ctx.report(
                        "CT211",
                        At(where),
                        f"'{name}' is set to {len(value)} characters; variables are limited "
                        f"to {MAX_VAR_TEXT}",
                    )
                elif (
                    name in ctx.declared_types
                    and value is not None
                    and ctx.declared_types[name] not in (None, kind(value))
                ):
                    ctx.report(
                        "CT309",
                        At(where),
                        f"'{name}' is declared as {ctx.declared_types[name]} but set to "
                        f"{kind(value)} here; conditions that compare it may fail while playing "
                        f"— keep one kind of value",
                    )
    _examples(ctx, ch.get("examples"), cp + ("examples",))
    fb = ch.get("feedback")
    if fb is not None:
        ctx.expect_str(fb, cp + ("feedback",), "feedback")
    if not ch.get("shows") and not ch.get("mistakes") and not ch.get("feedback"):
        ctx.report(
            "CT215",
            At(cp),
            "choice has neither shows, mistakes nor feedback; the debrief cannot explain it — "
            "add at least feedback",
        )


def _examples(ctx: Context, examples: Any, path: DataPath) -> None:
    """`examples:` are other ways a learner might type a choice (plain text, never templates)."""
    if examples is None:
        return
    if not isinstance(examples, list):
        ctx.report("CT203", At(path), "examples must be a list of short phrases")
        return
    for i, ex in enumerate(examples):
        if not isinstance(ex, str) or not ex.strip():
            ctx.report("CT206", At(path + (i,)), "each example must be a non-empty phrase")
        elif len(ex) > MAX_EXAMPLE_TEXT:
            ctx.report(
                "CT211",
                At(path + (i,)),
                f"example is {len(ex)} characters; keep it under {MAX_EXAMPLE_TEXT}",
            )
