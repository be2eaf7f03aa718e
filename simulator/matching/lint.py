"""Lint for typed replies that needs the matcher: examples two options could be confused by.

Leave-one-out: each example is taken out of its choice and matched against the options of its
state, as a learner's line would be. An example that would be taken as *another* option, or that
reads as another option by at least the policy's margin, means the two options' examples
overlap: a learner who types something like it may be taken for, or offered, the wrong option.
(Near ties are left alone: "Did you mean …?" offers both.) Run by `countertalk lint` (it loads the language model, so the loader does not).
"""

from __future__ import annotations

import re
from typing import Any

from simulator.engine.loader import Diagnostic
from simulator.engine.session import Offered
from simulator.engine.typed_format import typing_enabled


def confusable_examples(scenario: Any) -> list[Diagnostic]:
    """Warnings, one per example that reads as another option of its state."""
    from .matcher import ScenarioMatcher

    if not _writes_for_typing(scenario):
        return []
    matcher = ScenarioMatcher(scenario)
    out = []
    for sid, st in scenario.states.items():
        if len(st.choices) < 2:
            continue
        # Every choice of the state competes (conditions are not evaluated here: an example
        # that collides with an option offered only sometimes is still worth rewording).
        offered = tuple(
            Offered(i + 1, i, ch.id or f"{sid}.{i + 1}", ch.text, ch)
            for i, ch in enumerate(st.choices)
        )
        for o in offered:
            saved = matcher._examples.get(o.choice_id, ())
            # Options whose conditions exclude each other (`if: X` / `if: not X`) are never on
            # offer together, so their examples cannot be confused.
            rivals = tuple(r for r in offered if not _exclusive(o.choice.if_, r.choice.if_))
            for k, example in enumerate(o.choice.examples):
                matcher._examples[o.choice_id] = saved[:k] + saved[k + 1 :]
                match = matcher.match(example, rivals)
                matcher._examples[o.choice_id] = saved
                best = match.best
                if best is None or best.choice_id == o.choice_id or match.decision == "reject":
                    continue
                own = next(r.score for r in match.ranking if r.choice_id == o.choice_id)
                if match.decision != "accept" and best.score - own < matcher.policy.margin:
                    continue  # a near tie: "Did you mean …?" offers both, the learner picks
                line, col = scenario.position("states", sid, "choices", o.index, "examples", k)
                out.append(
                    Diagnostic(
                        scenario.source,
                        line,
                        col,
                        "warning",
                        f"example {example!r} of {o.choice_id} reads more like {best.choice_id} "
                        f"({best.score:.2f} against {own:.2f}; the app would "
                        f"{'take' if match.decision == 'accept' else 'suggest'} {best.choice_id}); "
                        f"reword one of the two options' examples so they differ, or check with "
                        f"'countertalk match {scenario.source} --state {sid} \"...\"'",
                    )
                )
    return out


def _exclusive(a: str | None, b: str | None) -> bool:
    """True when one condition is plainly the negation of the other (`X` and `not X`)."""
    if a is None or b is None:
        return False

    def norm(c: str) -> str:
        c = " ".join(c.split())
        while c.startswith("(") and c.endswith(")"):
            c = c[1:-1].strip()
        return c

    a, b = norm(a), norm(b)
    if a == norm(f"not {b}") or b == norm(f"not {a}") or a == f"not ({b})" or b == f"not ({a})":
        return True
    # `visits.x == 0` and `visits.x > 0`: one name compared with numbers, no number satisfying both.
    ca, cb = _COMPARISON.fullmatch(a), _COMPARISON.fullmatch(b)
    if not ca or not cb or ca["name"] != cb["name"]:
        return False
    tests = {
        "==": lambda x, n: x == n,
        "!=": lambda x, n: x != n,
        "<": lambda x, n: x < n,
        "<=": lambda x, n: x <= n,
        ">": lambda x, n: x > n,
        ">=": lambda x, n: x >= n,
    }
    na, nb = float(ca["num"]), float(cb["num"])
    probes = {na, nb, na - 1, na + 1, nb - 1, nb + 1, na - 0.5, nb + 0.5, -1e9, 1e9}
    return not any(tests[ca["op"]](x, na) and tests[cb["op"]](x, nb) for x in probes)


_COMPARISON = re.compile(
    r"(?P<name>[A-Za-z_][\w.]*)\s*(?P<op>==|!=|<=|>=|<|>)\s*(?P<num>-?\d+(?:\.\d+)?)"
)


def _writes_for_typing(scenario: Any) -> bool:
    return typing_enabled(
        {
            "typing": scenario.typing,
            "states": {
                sid: {"choices": [{"examples": ch.examples} for ch in st.choices]}
                for sid, st in scenario.states.items()
            },
        }
    )


def typed_reply_warnings(results: Any) -> list[Diagnostic]:
    """For `countertalk lint`: confusable examples in every error-free file written for typing."""
    from pathlib import Path

    from simulator.engine.loader import check_file

    out: list[Diagnostic] = []
    for r in results:
        if r.errors:
            continue
        try:
            raw = Path(r.path).read_bytes()
        except OSError:
            continue
        if b"examples:" not in raw and b"typing:" not in raw:
            continue  # cheap: most files are not written for typing; skip the model
        built = check_file(r.path)
        if built.scenario is not None:
            out.extend(confusable_examples(built.scenario))
    return out
