"""Lint for endings that praise what the learner may not have done.

An ending's `say:` and `debrief:` are shown whatever path reached it, so unconditional text such
as "you listened and apologised before acting" is false on a path that never apologised. Such a
claim belongs inside `{% if 'apologise' in path.shows %}…{% endif %}` (engine/pathctx.py).

The check: find sentences of the ending's unconditional text (outside every `{% if %}`) that
say the learner did something (`CLAIMS`, data below), then ask whether the ending can be reached
without it. Reachability ignores `if:` conditions and lets every rule fire (an over-estimate, so
a warning can be a false alarm on a scenario whose conditions forbid the path; it never misses
one). Called by `countertalk lint`.
"""

from __future__ import annotations

import re
from typing import Any

# behaviour id (or "escalate") -> words that claim it, matched in a sentence that addresses the
# learner ("you ...") or thanks them ("thanks for ...") and is not negated.
CLAIMS: dict[str, tuple[str, ...]] = {
    "hear": ("listened", "listening to", "heard me", "heard her", "heard him", "heard them"),
    "empathise": ("empathised", "empathized", "showed empathy", "understood how"),
    "apologise": ("apologised", "apologized", "said sorry", "your apology"),
    "acknowledge": ("acknowledged",),
    "take_action": ("took ownership", "took action", "owned the problem", "took responsibility"),
    "confirm": (
        "confirmed what",
        "checked she understood",
        "checked he understood",
        "checked they understood",
        "summarised",
    ),
    "follow_up": ("followed up", "arranged a follow-up", "will follow up"),
    "thank": ("thanked",),
    "handover": ("briefed", "handover summary", "handed over with"),
    "explain_rights": ("explained her rights", "explained his rights", "explained their rights"),
    "verify_identity": ("checked her identity", "checked his identity", "verified"),
    "escalate": ("escalated", "passed it to", "passed the case to", "referred it to"),
}
_ADDRESS = re.compile(r"\b(you|your|thanks? (you )?for)\b", re.I)
_NEGATED = re.compile(
    r"\b(not|never|no|without|instead of|could have|should have|would have|if you|had you|"
    r"until|only after|only when|next time|should|need to|aim to|try to)\b|n't\b",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def unconditional_text(source: str) -> str:
    """The literal text of a template that is shown whatever happens (outside every if)."""
    from jinja2 import nodes

    from simulator.engine.sandbox import parse_template

    try:
        tree = parse_template(source)
    except Exception:  # a template that does not parse is lint's error already
        return ""
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.If | nodes.CondExpr | nodes.For):
                parts.append(" ")
                continue
            if isinstance(child, nodes.TemplateData):
                parts.append(child.data)
            else:
                walk(child)

    walk(tree)
    return "".join(parts)


def claims(text: str) -> list[tuple[str, str]]:
    """(behaviour id, the sentence) for every unnegated claim in the text."""
    out = []
    for sentence in _SENTENCE.split(" ".join(text.split())):
        if not _ADDRESS.search(sentence) or _NEGATED.search(sentence):
            continue
        low = sentence.casefold()
        for b, words in CLAIMS.items():
            if any(w in low for w in words):
                out.append((b, sentence))
    return out


def _reachable_without(scenario: Any, behaviour: str) -> set[str]:
    """States reachable from the start using only choices that do not show `behaviour`."""
    rule_targets = [r.goto for r in scenario.rules]
    seen = {scenario.start}
    todo = [scenario.start]
    while todo:
        st = scenario.states[todo.pop()]
        for ch in st.choices:
            gives = ch.escalate is not None if behaviour == "escalate" else behaviour in ch.shows
            if gives:
                continue
            for nxt in (ch.goto, *rule_targets):
                if nxt in scenario.states and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
    return seen


def _label(b: str) -> str:
    if b == "escalate":
        return "escalating"
    from . import spec

    return str(spec.behaviour(b)["label"]).lower()


def check(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """[(YAML path, warning message)] for ending texts that claim a behaviour some path to the
    ending never showed."""
    out = []
    cache: dict[str, set[str]] = {}
    for sid, st in scenario.states.items():
        if st.end is None:
            continue
        texts: list[tuple[Any, Any]] = [("debrief", st.debrief)]
        if isinstance(st.say, list):
            texts += [(("say", i), s) for i, s in enumerate(st.say)]
        else:
            texts.append(("say", st.say))
        for key, source in texts:
            if not source:
                continue
            found: dict[str, list[str]] = {}
            for b, sentence in claims(unconditional_text(source)):
                if b not in cache:
                    cache[b] = _reachable_without(scenario, b)
                if sid in cache[b] and b not in found.setdefault(sentence, []):
                    found[sentence].append(b)
            for sentence, bs in found.items():
                if not bs:
                    continue
                tests = " / ".join(
                    "path.escalated" if b == "escalate" else f"'{b}' in path.shows" for b in bs
                )
                where = ("states", sid) + (key if isinstance(key, tuple) else (key,))
                short = sentence if len(sentence) <= 70 else sentence[:67] + "…"
                out.append(
                    (
                        where,
                        f"ending '{sid}' says \"{short}\" whatever the path, but it can be "
                        f"reached without {', '.join(_label(b) for b in bs)}; put each claim "
                        f"inside {{% if ... %}}…{{% endif %}} ({tests})",
                    )
                )
    return out
