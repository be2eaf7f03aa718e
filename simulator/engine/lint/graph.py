"""Pass 4, the graph of states: an ending exists, every state is reached from the start, an
ending can be reached from every state, and no loop can keep a learner going round for ever.

Runs on whatever edges are valid, even when other passes found errors (a bad goto is simply not
an edge), so an unreachable state is reported in the same run as the error next to it.
"""

from __future__ import annotations

import re
from typing import Any

from .context import At, Context, choices_of

_VISITS = re.compile(r"\bvisits\.([A-Za-z_][\w-]*)")
_MOOD = re.compile(r"\bmood\b")
_TURN = re.compile(r"\bturn\b")


def run(ctx: Context) -> None:
    data = ctx.data
    if not isinstance(data, dict) or not ctx.states:
        return
    states = ctx.states
    endings = {s for s, st in states.items() if isinstance(st, dict) and "end" in st}
    if not endings:
        ctx.report(
            "CT401",
            At(("states",)),
            "no state is an ending; add one with 'end: resolved' (or escalated, unresolved, lost)",
            key=True,
        )
    start = data.get("start")
    if not isinstance(start, str) or start not in states:
        return
    edges: dict[str, set[str]] = {s: set() for s in states}
    rules = data.get("rules")
    if not isinstance(rules, list):
        rules = []
    rule_targets: set[str] = {
        r["goto"] for r in rules if isinstance(r, dict) and isinstance(r.get("goto"), str)
    } & states.keys()
    broken = {s for s, st in states.items() if st is not None and not isinstance(st, dict)}
    for s, st in states.items():
        out = edges[s]
        for _, ch in choices_of(s, st):
            target = ch.get("goto")
            if isinstance(target, (str, int)) and str(target) in states:
                out.add(str(target))
            else:
                broken.add(s)  # its error is reported; "stuck" would only repeat it
        if isinstance(st, dict) and st.get("choices"):
            out |= rule_targets
    reach = {start}
    todo = [start]
    while todo:
        for nxt in edges[todo.pop()]:
            if nxt not in reach:
                reach.add(nxt)
                todo.append(nxt)
    rev: dict[str, set[str]] = {s: set() for s in states}
    for s, outs in edges.items():
        for t in outs:
            rev[t].add(s)
    can_end = set(endings)
    todo = list(endings)
    while todo:
        for prev in rev[todo.pop()]:
            if prev not in can_end:
                can_end.add(prev)
                todo.append(prev)
    for s in states:
        if s not in reach:
            what = "ending" if s in endings else "state"
            ctx.report(
                "CT402",
                At(("states", s)),
                f"{what} '{s}' is not reached by any path from '{start}'; link to it or remove it",
                key=True,
            )
        elif s not in can_end and endings and s not in broken:
            ctx.report(
                "CT403",
                At(("states", s)),
                f"no ending can be reached from state '{s}'; the learner would be stuck — "
                f"add a way out",
                key=True,
            )
    _endless_loops(ctx, states, reach & can_end, rules, broken)


def _endless_loops(
    ctx: Context,
    states: dict[str, Any],
    reach: set[str],
    rules: list[Any],
    broken: set[str],
) -> None:
    """CT404: a loop a learner can be kept in without end.

    A learner who keeps choosing the same options (typing the same line and answering "y",
    say) goes round a cycle of states until the turn cap, with no ending. A cycle is bounded
    when a rule ends it on visits to one of its states (`if: visits.X > 2`), a rule counts
    turns, a choice in it is only on offer for the first visits (`if: visits.X == 0`), or, with
    a rule on mood, every way round it lowers the customer's mood. Conditions on variables are
    taken as possibly true (the warning may then be silenced for a loop that cannot happen).
    Only states reached from the start and able to end are looked at (CT402, CT403 cover the
    rest).
    """
    conds: list[str] = [
        r["if"] for r in rules if isinstance(r, dict) and isinstance(r.get("if"), str)
    ]
    if any(_TURN.search(c) for c in conds):
        return
    bounded = {m for c in conds for m in _VISITS.findall(c)}
    mood_rule = any(_MOOD.search(c) for c in conds)
    nodes = [s for s in states if s in reach and s not in bounded and s not in broken]
    keep = set(nodes)
    edges: dict[str, list[tuple[str, int]]] = {s: [] for s in nodes}
    for s in nodes:
        for _, ch in choices_of(s, states[s]):
            target = ch.get("goto")
            if not isinstance(target, str) or target not in keep:
                continue
            cond = ch.get("if")
            if isinstance(cond, str) and _VISITS.search(cond):
                continue  # on offer only for some visits: not a way round for ever
            mood = ch.get("mood")
            edges[s].append((target, mood if isinstance(mood, int) else 0))
    for comp in _sccs(nodes, edges):
        inner = {s: [(t, m) for t, m in edges[s] if t in comp] for s in comp}
        if not any(inner.values()):
            continue  # one state with no edge to itself: no cycle
        if mood_rule and not _cycle_keeping_mood(comp, inner):
            continue  # every way round lowers the mood until the mood rule ends it
        order = [s for s in states if s in comp]
        shown = " → ".join(order[:5]) + (" → …" if len(order) > 5 else "")
        ctx.report(
            "CT404",
            At(("states", order[0])),
            f"a learner can be kept going round {shown} without end (until the turn cap): "
            f"nothing stops the loop. Add a rule such as '- if: visits.{order[0]} > 2' with "
            f"'goto:' an ending, or make each way round cost mood",
            key=True,
        )


def _sccs(nodes: list[str], edges: dict[str, list[tuple[str, int]]]) -> list[set[str]]:
    """Strongly connected components (Tarjan's, iterative: a long chain cannot overflow)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[set[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on.add(v)
            succ = edges[v]
            if i < len(succ):
                work.append((v, i + 1))
                w = succ[i][0]
                if w not in index:
                    work.append((w, 0))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp = set()
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.add(w)
                    if w == v:
                        break
                out.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return out


def _cycle_keeping_mood(comp: set[str], edges: dict[str, list[tuple[str, int]]]) -> bool:
    """Is there a way round the component that does not lower the mood (total change >= 0)?

    A negative cycle search with each edge weighted -(n + 1) × mood - 1: a cycle's weight is
    negative exactly when its total mood change is >= 0. Queue-based Bellman-Ford (SPFA): only
    states whose distance just fell are relaxed again, and a state relaxed n times lies on (or
    behind) a negative cycle. Plain Bellman-Ford relaxed every edge n times, which took seconds
    on a 2,000-state component."""
    inside = [(s, [(t, m) for t, m in edges[s] if t in comp]) for s in comp]
    if all(m >= 0 for _s, out in inside for _t, m in out):
        return True  # strongly connected, so it has a cycle, and no step lowers the mood
    if all(m < 0 for _s, out in inside for _t, m in out):
        return False  # every way round lowers it
    # A cycle of steps that never lower the mood answers yes in linear time (Tarjan again).
    keeping = {s: [(t, m) for t, m in out if m >= 0] for s, out in inside}
    for sub in _sccs(sorted(comp), keeping):
        if len(sub) > 1 or any(t == s for s in sub for t, _m in keeping[s]):
            return True
    from collections import deque

    n = len(comp)
    out_of = dict(inside)
    dist = dict.fromkeys(comp, 0)
    relaxed = dict.fromkeys(comp, 0)
    queue = deque(comp)
    queued = set(comp)
    while queue:
        s = queue.popleft()
        queued.discard(s)
        for t, m in out_of[s]:
            w = -(n + 1) * m - 1
            if dist[s] + w < dist[t]:
                dist[t] = dist[s] + w
                relaxed[t] += 1
                if relaxed[t] >= n:
                    return True
                if t not in queued:
                    queued.add(t)
                    queue.append(t)
    return False
