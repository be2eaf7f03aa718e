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


# -- claims in the text an attempt was actually shown ---------------------------------------------
# The lint above reads a template; the property test (tests/property/test_ending_claims.py)
# reads what one attempt was shown — the ending's `say` and `debrief` rendered for that path —
# and checks each claim against the attempt. A claim is a regex over one sentence, and the fact
# about the attempt that makes it true. Negative claims ("without any follow-up") are checked
# the other way round. The facts: `Facts` below, built from the transcript and its score.


class Facts:
    """What one attempt did, as the claims read it (from its transcript and score)."""

    def __init__(self, scenario: Any, transcript: dict[str, Any], score: dict[str, Any]) -> None:
        from .scorer import compiled

        fx = compiled(scenario).fx
        # behaviours credited on the path (a choice's own mistakes can withdraw one)
        self.shows = {b for t in transcript.get("turns") or [] for b in fx[t["choice"]].shows}
        self.mistakes = {m["id"] for m in score.get("mistakes") or []}
        esc = score.get("escalation") or {}
        self.escalated = bool(esc.get("escalated_to"))
        self.premature = bool(esc.get("premature"))
        self.handover = bool(esc.get("handover"))
        self.law_wrong = bool((score.get("law") or {}).get("wrong"))
        self.law_open = bool(score.get("law_open"))
        self.outcome = transcript.get("outcome")


def _has(b: str) -> Any:
    return lambda f: b in f.shows


# (claim id, sentence pattern, true of the attempt when, what the claim says). Patterns are
# matched case-insensitively against one sentence at a time; a sentence that matches a
# pattern makes that claim whatever else it says, so patterns are written narrowly.
RENDERED_CLAIMS: tuple[tuple[str, str, Any, str], ...] = (
    (
        "heard_out_before_escalating",
        r"\bheard (him|her|them|me|the customer|[A-Z]\w+) out before (escalat|passing|handing)",
        lambda f: f.escalated and not f.premature and "hear" in f.shows,
        "heard the customer out before escalating",
    ),
    (
        "heard_out",
        r"\b(you|you'd|you had) (heard|listened to) (him|her|them|me|the whole story)\b",
        _has("hear"),
        "heard the customer out",
    ),
    (
        "escalated",
        r"\byou (escalated|referred (it|the case|him|her|them)|passed (it|the case) (on )?to)\b",
        lambda f: f.escalated,
        "escalated",
    ),
    (
        "named_referral",
        r"\breferred to a named\b|\bwith a reference and a (time|timescale)\b",
        lambda f: f.escalated and f.handover and "vague_referral" not in f.mistakes,
        "referred to a named role with a reference and a time",
    ),
    (
        "law_put_right",
        r"\b(put (it|that|this|the law|things) right|corrected (yourself|it|that|the mistake))\b"
        r"|\bknows\b[^.]*\b(claim|rights?|entitled|refund|repair|replacement)\b",
        lambda f: not f.law_open,
        "put the law right (no misstatement left standing)",
    ),
    (
        "followed_up",
        r"\b(followed (it )?up|rang (him|her|them|me) back|called (him|her|them|me) back|"
        r"as (you )?promised|the follow-up call)\b",
        _has("follow_up"),
        "followed up",
    ),
    (
        "apologised",
        r"\byou (apologised|apologized|said sorry)\b",
        _has("apologise"),
        "apologised",
    ),
    (
        "empathised",
        r"\byou (empathised|empathized|showed empathy)\b",
        _has("empathise"),
        "empathised",
    ),
    (
        "within_authority",
        r"\b(inside|within) (your|the adviser's|an adviser's) (own )?(authority|limit|remit)\b",
        lambda f: "beyond_remit" not in f.mistakes,
        "stayed within authority",
    ),
    (
        "data_kept_safe",
        r"\bless data\b|\bminimum (of )?data\b|\bkept the risk down\b|\bsent (it )?securely\b",
        lambda f: not {"oversharing", "data_breach"} & f.mistakes,
        "shared the minimum data, securely",
    ),
    (
        "no_mistakes",
        r"\b(without a (single )?(slip|mistake)|right first time|no mistakes)\b",
        lambda f: not f.mistakes,
        "made no mistakes",
    ),
    (
        "checked_identity",
        r"\byou (checked|verified) (who|it was|her identity|his identity|their identity)\b",
        _has("verify_identity"),
        "checked identity",
    ),
)

# Negative claims: true of the attempt when the fact does NOT hold.
RENDERED_DENIALS: tuple[tuple[str, str, Any, str], ...] = (
    (
        "no_follow_up",
        r"\bwithout\b[^.]*\b(follow-up|follow up|call back|callback)\b",
        _has("follow_up"),
        "did not follow up",
    ),
    (
        "not_heard_out",
        r"\bbefore you had heard (him|her|them|the customer) out\b",
        lambda f: not f.premature,
        "escalated before hearing the customer out",
    ),
)


def false_claims(text: str, facts: Facts) -> list[tuple[str, str, str]]:
    """[(claim id, what it says, the sentence)] for every claim in `text` that is false of the
    attempt `facts` describes."""
    out = []
    for sentence in _SENTENCE.split(" ".join(str(text).split())):
        for cid, pattern, holds, says in RENDERED_CLAIMS:
            if re.search(pattern, sentence, re.I) and not _denied(sentence) and not holds(facts):
                out.append((cid, says, sentence))
        for cid, pattern, fails, says in RENDERED_DENIALS:
            if re.search(pattern, sentence, re.I) and fails(facts):
                out.append((cid, says, sentence))
    return out


_DENY = re.compile(
    r"\b(not|never|no one|nobody|could have|should have|would have|if you|had you|next time|"
    r"instead of|rather than)\b|n't\b",
    re.I,
)


def _denied(sentence: str) -> bool:
    """A sentence that says the learner did NOT do something, or says it conditionally."""
    return bool(_DENY.search(sentence))
