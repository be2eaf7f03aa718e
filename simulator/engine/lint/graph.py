"""Pass 4, the graph of states: an ending exists, every state is reached from the start, and
an ending can be reached from every state.

Runs on whatever edges are valid, even when other passes found errors (a bad goto is simply not
an edge), so an unreachable state is reported in the same run as the error next to it.
"""

from __future__ import annotations

from .context import At, Context, choices_of


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
