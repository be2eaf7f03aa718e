"""The meaning harness: tests/typed/meaning.yaml (and, at the very end, meaning_sealed.yaml)
against the pack as it is now.

Items name options by choice id (STATE.N), so the pack's rewording does not move them; an item
whose state or option has gone is reported as stale, never silently dropped. The options on
offer are those of the state with the scenario's starting variables, plus every option the item
names (so a conditional option it is about is always in the running).

Used by tests/unit/test_matching_meaning.py and benchmarks/bench_matching.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
OPEN = HERE / "meaning.yaml"
SEALED = HERE / "meaning_sealed.yaml"


@dataclass(frozen=True)
class Item:
    scenario: str
    state: str
    kind: str
    text: str
    expect: tuple[str, ...]  # empty: no option should be taken
    never: tuple[str, ...]
    offered: tuple


@dataclass
class Set:
    items: list[Item] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    scenarios: dict = field(default_factory=dict)


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def load(pack: Path, path: Path = OPEN) -> Set:
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Offered, Runtime

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = Set()
    for sid, states in data["scenarios"].items():
        f = pack / f"{sid}.yaml"
        if not f.exists():
            out.stale.append(f"{sid}: scenario not in the pack")
            continue
        sc = load_scenario(f)
        out.scenarios[sid] = sc
        session = Runtime(sc).new_session(seed=0)
        for state, items in states.items():
            st = sc.states.get(state)
            if st is None or not st.choices:
                out.stale.append(f"{sid}.{state}: state gone")
                continue
            ids = [ch.id or f"{state}.{i + 1}" for i, ch in enumerate(st.choices)]
            for item in items:
                expect, never = _ids(item.get("expect")), _ids(item.get("not"))
                missing = [c for c in expect + never if c not in ids]
                if missing:
                    out.stale.append(f"{sid}: {', '.join(missing)} gone")
                    continue
                named = set(expect + never)
                offered = []
                for i, ch in enumerate(st.choices):
                    path = ("states", state, "choices", i)
                    if (
                        ids[i] not in named
                        and ch.if_ is not None
                        and not session._eval(ch.if_, path + ("if",))
                    ):
                        continue
                    text = session._render(ch.text, path + ("text",))
                    offered.append(Offered(len(offered) + 1, i, ids[i], text, ch))
                out.items.append(
                    Item(sid, state, item["kind"], item["say"], expect, never, tuple(offered))
                )
        session.close()
    return out


def evaluate(held: Set, matcher_for: Any = None) -> dict[str, Any]:
    """The issue's figures, and the failures behind each, for one matcher factory
    (scenario -> object with .match(text, offered))."""
    from simulator.matching.matcher import ScenarioMatcher

    make = matcher_for or (lambda sc: ScenarioMatcher(sc))
    matchers = {sid: make(sc) for sid, sc in held.scenarios.items()}
    r: dict[str, Any] = {
        "items": len(held.items),
        "with_answer": 0,
        "top1": 0,
        "accepted_right": 0,
        "wrong_accept": [],
        "negation_accepted": [],
        "negations": 0,
        "ack_accepted": [],
        "acks": 0,
        "polite_offered_rude": [],
        "polite": 0,
        "rude_offered_polite": [],
        "rude": 0,
        "top1_miss": [],
    }
    for it in held.items:
        m = matchers[it.scenario].match(it.text, it.offered)
        best = m.best.choice_id if m.best is not None else None
        accepted = best if m.decision == "accept" else None
        offered = {s.choice_id for s in m.suggestions} if m.decision == "confirm" else set()
        if accepted:
            offered.add(accepted)
        note = (it, m.decision, best, sorted(offered))
        if it.expect:
            r["with_answer"] += 1
            if best in it.expect:
                r["top1"] += 1
            else:
                r["top1_miss"].append(note)
        if accepted and accepted not in it.expect:
            r["wrong_accept"].append(note)
        elif accepted:
            r["accepted_right"] += 1
        if it.kind in ("negation", "role"):
            r["negations"] += 1
            if accepted in it.never:
                r["negation_accepted"].append(note)
        if it.kind == "ack":
            r["acks"] += 1
            if accepted:
                r["ack_accepted"].append(note)
        if it.kind == "polite":
            r["polite"] += 1
            if offered & set(it.never):
                r["polite_offered_rude"].append(note)
        if it.kind == "rude":
            r["rude"] += 1
            if offered & set(it.never):
                r["rude_offered_polite"].append(note)
    return r


def summary(r: dict[str, Any]) -> str:
    n = r["with_answer"] or 1
    return (
        f"{r['items']} lines: top-1 {r['top1']}/{r['with_answer']} ({100 * r['top1'] / n:.1f}%), "
        f"accepted right {r['accepted_right']}, wrong accepts {len(r['wrong_accept'])}; "
        f"negations/role reversals accepted as the negated option "
        f"{len(r['negation_accepted'])}/{r['negations']}; bare acknowledgements accepted "
        f"{len(r['ack_accepted'])}/{r['acks']}; polite lines offered a rude option "
        f"{len(r['polite_offered_rude'])}/{r['polite']}; rude lines offered a polite option "
        f"{len(r['rude_offered_polite'])}/{r['rude']}"
    )
