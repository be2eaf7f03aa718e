"""Path analysis: what a scenario allows, found without playing it and without listing paths.

`analyse(scenario)` reports the reachable endings and outcomes, the best and worst paths (choice
ids, percent and grade from the real scorer), whether a distinction is reachable at all, dead
ends and loops.

How (and how exact it is)
-------------------------
A path's score depends on its history only through a small *tally* (the behaviours shown so far
as a bit mask, which models went out of order, escalation flags, laws applied/misstated, caps
triggered; see `scorer.Compiled.advance`) plus the sum of its mistake points — and the final
percentage falls as the mistake points rise. So two paths that reach the same *key* —

    (state, tally, and only what the scenario's conditions can read: mood if a condition reads
     it, the variables conditions read, `turn` if read, `visits` of the states conditions read,
     and the visit counts of the states in the current loop, for the loop bound)

— have the same futures, and the one with fewer mistake points is better on every future. The
analysis builds the graph of reachable keys once (breadth first), orders it topologically and
runs one dynamic programme for the least and the most mistake points per key; the best and worst
endings then follow exactly. Loops are bounded: a path may enter a state at most `max_visits`
times (the learner can loop more, but a longer loop only repeats a choice already weighed).
Within that bound the result is exact: no path that obeys the bound scores above `best` or
below `worst`.

When the exact key graph would be too big — a loop (strongly connected part) of more than
`MAX_EXACT_LOOP` states, or more than `budget` keys — the analysis switches to a beam search and
reports `"exact": false`: per (state, variables conditions read) it keeps the `BEAM_WIDTH` paths
that would score best (or worst) if they ended well now, and each such cell admits at most
width × max_visits paths, which bounds loops. That is a heuristic: a better path may exist, and
an ending the beam never reached is reported as `"reachable": null` (unknown), not false. On a
generated 2,000-state scenario whose back-links make one 1,996-state loop it takes ~0.3 s.

Every reported path is replayed through a real `Session` and re-scored by `scorer.score`: what
`best`/`worst` report is what a learner playing those choices would get (`verified`).
"""

from __future__ import annotations

import functools
import operator
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from msgspec import structs

from simulator.engine import sandbox, templating

from . import scorer
from .scorer import Tally

if TYPE_CHECKING:
    from simulator.engine.model import Outcome, Scalar, Scenario
    from simulator.engine.session import Runtime

Vars = tuple["Scalar", ...]  # variable values, in `Graph.var_names` order
Visits = dict[int, int]  # state index -> times entered (tracked states only)
# A node of the search: (state, mood, vars, turn, visits, tally).
Node = tuple[int, int, Vars, int, Visits, Tally]
# What decides a node's futures (see the module docstring).
Key = tuple[int, Tally, int | None, int | None, Vars, tuple[tuple[int, int], ...]]
Edge = tuple[str, float, Key]  # (choice id, mistake points, next key)
# Per key: (mistake points, tie cost, previous key, choice id) on the best (worst) path.
Step = tuple[float, int, Key | None, str | None]
# An ending row: (ending state, percent, grade, tie cost, the choices that reach it).
EndRow = tuple[int, int, str, int, Callable[[], list[str]]]

DEFAULT_BUDGET = 60_000  # keys before falling back to the approximate search
# The approximate search's own budget. Its cells are (state, variables conditions read): with
# many variables that is exponential (16 booleans: 65,536 cells a state), so past this many
# partial paths or seconds it coarsens to one cell per state (variables ignored from then on)
# and says so; past three times that it stops with what it has found.
BEAM_LABELS = 150_000
BEAM_SECONDS = 4.0


class SearchBudget:
    """Time and paths one approximate search (or several sharing it) may spend."""

    def __init__(self, seconds: float = BEAM_SECONDS, labels: int = BEAM_LABELS) -> None:
        import time

        self._clock = time.monotonic
        self.seconds = seconds
        self.labels = labels
        self.deadline = self._clock() + seconds
        self.cut = False  # the search coarsened or stopped early: its answer is rougher

    def spent(self, made: int) -> bool:
        return made > self.labels or self._clock() > self.deadline

    def exhausted(self, made: int) -> bool:
        return made > 3 * self.labels or self._clock() > self.deadline + 2 * self.seconds


MAX_EXACT_LOOP = 80  # states in one loop (strongly connected part) before going approximate
BEAM_WIDTH = 2


class _Visits(dict[str, int]):
    def __missing__(self, key: str) -> int:
        return 0


class _Opt:
    __slots__ = ("cid", "index", "fx", "goto", "cond", "mood", "sets")

    def __init__(
        self,
        cid: str,
        index: int,
        fx: scorer.ChoiceFx,
        goto: int,
        cond: _Cond | None,
        mood: int,
        sets: tuple[tuple[int, Scalar], ...],
    ) -> None:
        self.cid, self.index, self.fx, self.goto = cid, index, fx, goto
        self.cond, self.mood, self.sets = cond, mood, sets


class _Cond:
    """A parsed `if` with what it reads, evaluated through a cache keyed on exactly that."""

    __slots__ = (
        "source",
        "path",
        "mood",
        "turn",
        "var_idx",
        "all_vars",
        "visit_idx",
        "all_visits",
        "only_mood",
        "memo",
    )

    def __init__(self, source: str, path: tuple[str | int, ...]) -> None:
        self.source, self.path = source, path
        self.only_mood = False
        self.memo: dict[object, bool] = {}
        self.mood = self.turn = self.all_vars = self.all_visits = False
        self.var_idx: tuple[int, ...] = ()
        self.visit_idx: tuple[int, ...] = ()


class Graph:
    """The scenario as integers: states, options, rules, loops, and what conditions read."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.c = scorer.compiled(scenario)
        self.sids = list(scenario.states)
        self.index = {s: i for i, s in enumerate(self.sids)}
        names = list(scenario.vars)
        for st in scenario.states.values():
            for ch in st.choices:
                for k in ch.set:
                    if k not in names:
                        names.append(k)
        self.var_names = names
        vi = {n: i for i, n in enumerate(names)}
        init: dict[str, Scalar] = dict.fromkeys(names)
        init.update(scenario.vars)
        self.init_vars = tuple(init[n] for n in names)
        self.conds: list[_Cond] = []
        self.opts: list[list[_Opt]] = []
        for sid, st in scenario.states.items():
            row: list[_Opt] = []
            for i, ch in enumerate(st.choices):
                cid = scenario.choice_id(sid, i)
                cond = None
                if ch.if_ is not None:
                    cond = self._cond(ch.if_, ("states", sid, "choices", i, "if"))
                sets = tuple((vi[k], v) for k, v in ch.set.items())
                row.append(_Opt(cid, i, self.c.fx[cid], self.index[ch.goto], cond, ch.mood, sets))
            self.opts.append(row)
        self.rules = [
            (self._cond(r.if_, ("rules", i, "if")), self.index[r.goto])
            for i, r in enumerate(scenario.rules)
        ]
        self.ending: list[Outcome | None] = [scenario.states[s].end for s in self.sids]
        self.start = self.index[scenario.start]
        self.customer = structs.asdict(scenario.customer)

        # What any condition reads, for the key.
        self.need_mood = any(c.mood for c in self.conds)
        self.need_turn = any(c.turn for c in self.conds)
        all_vars = any(c.all_vars for c in self.conds)
        self.key_vars = (
            tuple(range(len(names)))
            if all_vars
            else tuple(sorted({i for c in self.conds for i in c.var_idx}))
        )
        self.all_visits = any(c.all_visits for c in self.conds)
        self.read_visits = frozenset(i for c in self.conds for i in c.visit_idx)

        # Structure: successors (choices and, from any state with choices, every rule target).
        rule_targets = {t for _c, t in self.rules}
        self.succ: list[list[int]] = []
        for row in self.opts:
            nxt = {o.goto for o in row}
            if row:
                nxt |= rule_targets
            self.succ.append(sorted(nxt))
        self.scc, self.scc_members = _sccs(self.succ)
        self.cyclic = [
            len(self.scc_members[self.scc[i]]) > 1 or i in self.succ[i]
            for i in range(len(self.sids))
        ]
        if self.all_visits:
            self.tracked = frozenset(range(len(self.sids)))
        else:
            self.tracked = (
                frozenset(i for i, cyc in enumerate(self.cyclic) if cyc) | self.read_visits
            )
        self.largest_loop = max((len(m) for m in self.scc_members if len(m) > 1), default=0)
        self._cache: dict[object, object] = {}
        self._mood_table: dict[str, int] | None = None

    def _cond(self, source: str, path: tuple[str | int, ...]) -> _Cond:
        c = _Cond(source, path)
        try:
            tree = sandbox.parse_condition(source)
            used = sandbox.names_used(tree)
        except Exception:  # the loader has checked it; be safe and read everything
            used = [("vars", None, 0), ("visits", None, 0), ("mood", None, 0), ("turn", None, 0)]
        var_idx: set[int] = set()
        visit_idx: set[int] = set()
        known_vars = {n: i for i, n in enumerate(self._var_names_all())}
        for root, attr, _line in used:
            if root == "mood":
                c.mood = True
            elif root == "turn":
                c.turn = True
            elif root == "vars":
                if attr is None or attr not in known_vars:
                    c.all_vars = True
                else:
                    var_idx.add(known_vars[attr])
            elif root == "visits":
                if attr is None or attr not in self.scenario.states:
                    c.all_visits = True
                else:
                    visit_idx.add(self.index[attr])
        c.var_idx = tuple(sorted(var_idx))
        c.visit_idx = tuple(sorted(visit_idx))
        c.only_mood = not (c.turn or c.all_vars or c.all_visits or var_idx or visit_idx)
        self.conds.append(c)
        return c

    def _var_names_all(self) -> list[str]:
        return self.var_names

    def holds(
        self, cond: _Cond, mood: int, turn: int, vars_: Vars, visits: Visits, problems: set[str]
    ) -> bool:
        """The condition's value, cached on exactly what it reads."""
        key: object
        if cond.only_mood:  # the common case (`mood < 10`, or a constant): one dict look-up
            key = mood
        else:
            key = (
                mood if cond.mood else None,
                turn if cond.turn else None,
                vars_ if cond.all_vars else tuple(vars_[i] for i in cond.var_idx),
                tuple(sorted(visits.items()))
                if cond.all_visits
                else tuple(visits.get(i, 0) for i in cond.visit_idx),
            )
        hit = cond.memo.get(key)
        if hit is None:
            ctx = {
                "vars": dict(zip(self.var_names, vars_)),
                "mood": mood,
                "turn": turn,
                "customer": self.customer,
                "visits": _Visits({self.sids[i]: n for i, n in visits.items()}),
            }
            try:
                hit = templating.evaluate(cond.source, ctx)
            except templating.RenderError as exc:
                problems.add(f"{self.scenario.where(*cond.path)}: condition fails: {exc}")
                hit = False
            cond.memo[key] = hit
        return hit


def _sccs(succ: list[list[int]]) -> tuple[list[int], list[tuple[int, ...]]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    members: list[tuple[int, ...]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on[root] = True
        while work:
            v, pi = work[-1]
            if pi < len(succ[v]):
                work[-1] = (v, pi + 1)
                w = succ[v][pi]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on[w] = True
                    work.append((w, 0))
                elif on[w]:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    group = []
                    while True:
                        w = stack.pop()
                        on[w] = False
                        comp[w] = len(members)
                        group.append(w)
                        if w == v:
                            break
                    members.append(tuple(sorted(group)))
    return comp, members


_GRAPHS: dict[int, tuple[object, Graph]] = {}


def graph(scenario: Scenario) -> Graph:
    return scorer.per_scenario(_GRAPHS, 16, scenario, Graph)


class _Budget(Exception):
    pass


class KeyGraph:
    """The reachable keys from one root: nodes, edges, and a topological order (when acyclic)."""

    def __init__(self, root: Key) -> None:
        self.node: dict[Key, Node] = {}  # key -> (state, mood, vars, turn, visits, tally)
        self.edges: dict[Key, list[Edge]] = {}  # key -> [(cid, penalty, next key)]
        self.stuck: set[int] = set()  # states where no choice was on offer
        self.bounded = 0  # keys whose every choice was cut by the loop bound
        self.problems: set[str] = set()
        self.root = root
        self.exact = True


def _key(
    g: Graph,
    si: int,
    mood: int,
    vars_: Vars,
    turn: int,
    visits: Visits,
    tally: Tally,
    exact: bool,
) -> Key:
    if exact:
        comp = g.scc[si]
        vk = (
            tuple(
                sorted((s, n) for s, n in visits.items() if g.scc[s] == comp or s in g.read_visits)
            )
            if visits
            else ()
        )
        if g.all_visits:
            vk = tuple(sorted(visits.items()))
    elif g.all_visits:
        vk = tuple(sorted(visits.items()))
    else:
        vk = tuple(sorted((s, n) for s, n in visits.items() if s in g.read_visits))
    return (
        si,
        tally,
        mood if g.need_mood else None,
        turn if g.need_turn else None,
        tuple(vars_[i] for i in g.key_vars),
        vk,
    )


def explore(g: Graph, root: Node, *, max_visits: int, budget: int, exact: bool = True) -> KeyGraph:
    """Build the key graph from a root node (state, mood, vars, turn, visits, tally)."""
    rkey = _key(g, *root, exact)
    kg = KeyGraph(rkey)
    kg.exact = exact
    kg.node[rkey] = root
    queue = deque([rkey])
    c = g.c
    advance = c.advance
    opts_of, rules, ending, tracked = g.opts, g.rules, g.ending, g.tracked
    holds = g.holds
    problems = kg.problems
    while queue:
        key = queue.popleft()
        si, mood, vars_, turn, visits, tally = kg.node[key]
        out: list[Edge] = []
        kg.edges[key] = out
        if ending[si] is not None:
            continue
        offered = 0
        for o in opts_of[si]:
            if o.cond is not None and not holds(o.cond, mood, turn, vars_, visits, problems):
                continue
            offered += 1
            m2 = mood + o.mood
            m2 = 0 if m2 < 0 else 100 if m2 > 100 else m2
            v2 = vars_
            if o.sets:
                lst = list(vars_)
                for i, val in o.sets:
                    lst[i] = val
                v2 = tuple(lst)
            t2 = turn + 1
            target = o.goto
            for rc, rt in rules:
                if holds(rc, m2, t2, v2, visits, problems):
                    target = rt
                    break
            vis2 = visits
            if target in tracked:
                n = visits.get(target, 0)
                if n >= max_visits:
                    continue
                vis2 = dict(visits)
                vis2[target] = n + 1
            nt = advance(tally, o.fx)
            nkey = _key(g, target, m2, v2, t2, vis2, nt, exact)
            out.append((o.cid, o.fx.penalty, nkey))
            if nkey not in kg.node:
                kg.node[nkey] = (target, m2, v2, t2, vis2, nt)
                queue.append(nkey)
                if len(kg.node) > budget:
                    raise _Budget
        if not offered:
            kg.stuck.add(si)
        elif not out:
            kg.bounded += 1
    return kg


def _order(kg: KeyGraph) -> tuple[list[Key], dict[Key, int] | None]:
    """Keys in topological order; back edges (only in the approximate graph) are dropped."""
    indeg = dict.fromkeys(kg.edges, 0)
    for out in kg.edges.values():
        for _cid, _p, nk in out:
            indeg[nk] += 1
    ready = [k for k, d in indeg.items() if d == 0]
    order: list[Key] = []
    while ready:
        k = ready.pop()
        order.append(k)
        for _cid, _p, nk in kg.edges[k]:
            indeg[nk] -= 1
            if indeg[nk] == 0:
                ready.append(nk)
    if len(order) == len(kg.edges):
        return order, None
    # Cycles: order by a depth-first search from the root and ignore edges that go back.
    pos: dict[Key, int] = {}
    post: list[Key] = []
    seen = {kg.root}
    stack = [(kg.root, iter(kg.edges[kg.root]))]
    while stack:
        k, it = stack[-1]
        for _cid, _p, nk in it:
            if nk not in seen:
                seen.add(nk)
                stack.append((nk, iter(kg.edges[nk])))
                break
        else:
            stack.pop()
            post.append(k)
    order = post[::-1]
    for i, k in enumerate(order):
        pos[k] = i
    return order, pos


_MOOD_WEIGHT = 10_000  # in the tie cost, one point of mood outweighs any number of turns


def _mood_of(g: Graph) -> dict[str, int]:
    """choice id -> its mood change (cached on the graph)."""
    table = g._mood_table
    if table is None:
        table = {}
        for sid, st in g.scenario.states.items():
            for i, ch in enumerate(st.choices):
                table[ch.id or f"{sid}.{i + 1}"] = ch.mood
        g._mood_table = table
    return table


def _dp(
    kg: KeyGraph,
    order: list[Key],
    pos: dict[Key, int] | None,
    source: Key,
    p0: float = 0.0,
    mood_of: dict[str, int] | None = None,
) -> tuple[dict[Key, Step], dict[Key, Step]]:
    """Least and most mistake points from `source` to every key after it.

    Equal points are broken by a tie cost: for the best path the customer's mood (the path that
    leaves them happier is the better model answer), then fewer turns; for the worst path the
    unhappier customer, then fewer turns."""
    mood_of = mood_of or {}
    # key -> (points, tie cost, previous key, choice id)
    best: dict[Key, Step] = {source: (p0, 0, None, None)}
    worst: dict[Key, Step] = {source: (p0, 0, None, None)}
    started = False
    for k in order:
        if not started:
            if k != source:
                continue
            started = True
        b = best.get(k)
        if b is None:
            continue
        w = worst[k]
        for cid, pen, nk in kg.edges[k]:
            if pos is not None and pos[nk] <= pos[k]:
                continue  # a back edge of a loop (approximate graph only)
            md = mood_of.get(cid, 0) * _MOOD_WEIGHT
            cand: Step = (b[0] + pen, b[1] + 1 - md, k, cid)
            cur = best.get(nk)
            if cur is None or (cand[0], cand[1]) < (cur[0], cur[1]):
                best[nk] = cand
            cand = (w[0] + pen, w[1] + 1 + md, k, cid)
            cur = worst.get(nk)
            if cur is None or (-cand[0], cand[1]) < (-cur[0], cur[1]):
                worst[nk] = cand
    return best, worst


def _path(table: dict[Key, Step], key: Key, source: Key) -> list[str]:
    out: list[str] = []
    while key != source:
        _p, _t, prev, cid = table[key]
        assert prev is not None and cid is not None  # only the source has no previous key
        out.append(cid)
        key = prev
    return out[::-1]


def _root(g: Graph) -> Node:
    start = g.start
    visits = {start: 1} if start in g.tracked else {}
    return (start, g.scenario.customer.mood, g.init_vars, 0, visits, g.c.initial)


class _Label:
    """One partial path in the approximate search (a tree of labels shares its prefixes)."""

    __slots__ = ("si", "mood", "vars", "turn", "tally", "pen", "parent", "cid", "rank", "alive")

    def __init__(
        self,
        si: int,
        mood: int,
        vars_: Vars,
        turn: int,
        tally: Tally,
        pen: float,
        parent: _Label | None,
        cid: str | None,
        rank: tuple[float, ...],
    ) -> None:
        self.si, self.mood, self.vars, self.turn = si, mood, vars_, turn
        self.tally, self.pen, self.parent, self.cid, self.rank = tally, pen, parent, cid, rank
        self.alive = True

    def choices(self) -> list[str]:
        out: list[str] = []
        lab = self
        while lab.parent is not None:
            assert lab.cid is not None  # every label but the root was made by a choice
            out.append(lab.cid)
            lab = lab.parent
        return out[::-1]

    def visits(self, g: Graph) -> Visits:
        if not (g.all_visits or g.read_visits):
            return {}
        counts: Visits = {}
        lab: _Label | None = self
        while lab is not None:
            if g.all_visits or lab.si in g.read_visits:
                counts[lab.si] = counts.get(lab.si, 0) + 1
            lab = lab.parent
        return counts


def _beam(
    g: Graph,
    root: Node,
    *,
    worst: bool,
    width: int,
    max_visits: int,
    problems: set[str],
    stuck: set[int],
    pen0: float = 0.0,
    budget: SearchBudget | None = None,
) -> tuple[list[_Label], int]:
    """Approximate search for the best (or worst) endings: at most `width` partial paths per
    (state, variables conditions read), ranked by the score they would get if they ended well
    now; each such cell admits at most width × (max_visits + 1) paths, which bounds loops."""
    c = g.c
    sign = -1 if worst else 1

    core = c._core

    def rank(
        tally: Tally, pen: float, mood: int, turn: int, outcome: str | None
    ) -> tuple[float, ...]:
        # The score this path would get if it ended well now (caps included), then mood.
        # The percentage is held in the grade's band (scorer.evaluate), so ranking by it ranks
        # by grade first.
        _b, raw, _caps, capg = core(tally, outcome or "resolved")
        lo, hi = c.band(capg or "distinction")
        pct = min(float(hi), max(float(lo), raw - pen))
        return (sign * pct, sign * mood, -turn)

    si0, mood0, vars0, turn0, _vis0, tally0 = root
    start = _Label(si0, mood0, vars0, turn0, tally0, pen0, None, None, (0,))
    # cell: (state,) once coarse, else (state, the variables conditions read)
    cells: dict[tuple[int] | tuple[int, Vars], list[_Label]] = {}
    quota: dict[tuple[int] | tuple[int, Vars], int] = {}
    queue = deque([start])
    found: list[_Label] = []
    made = 1
    opts_of, rules, ending, holds = g.opts, g.rules, g.ending, g.holds
    key_vars = g.key_vars
    limit = width * max_visits
    budget = budget or SearchBudget()
    coarse = False
    pops = 0
    while queue:
        pops += 1
        if pops & 255 == 0:  # the clock is read now and then, not per path
            if not coarse and budget.spent(made):
                coarse = budget.cut = True  # one cell per state from here on
            if coarse and budget.exhausted(made):
                break
        lab = queue.popleft()
        if not lab.alive:
            continue
        if ending[lab.si] is not None:
            found.append(lab)
            continue
        visits = lab.visits(g)
        offered = 0
        for o in opts_of[lab.si]:
            if o.cond is not None and not holds(
                o.cond, lab.mood, lab.turn, lab.vars, visits, problems
            ):
                continue
            offered += 1
            m2 = lab.mood + o.mood
            m2 = 0 if m2 < 0 else 100 if m2 > 100 else m2
            v2 = lab.vars
            if o.sets:
                lst = list(v2)
                for i, val in o.sets:
                    lst[i] = val
                v2 = tuple(lst)
            t2 = lab.turn + 1
            target = o.goto
            for rc, rt in rules:
                if holds(rc, m2, t2, v2, visits, problems):
                    target = rt
                    break
            tally = c.advance(lab.tally, o.fx)
            pen = lab.pen + o.fx.penalty
            cell: tuple[int] | tuple[int, Vars] = (
                (target,) if coarse else (target, tuple(v2[i] for i in key_vars))
            )
            used = quota.get(cell, 0)
            if used >= limit:
                continue
            kept = cells.setdefault(cell, [])
            if any(
                k.tally == tally and k.mood == m2 and (k.pen >= pen if worst else k.pen <= pen)
                for k in kept
            ):
                continue  # an equal path with no fewer (more) mistake points is already here
            r = rank(tally, pen, m2, t2, ending[target])
            if len(kept) >= width:
                low = min(kept, key=lambda k: k.rank)
                if r <= low.rank:
                    continue
                low.alive = False
                kept.remove(low)
            new = _Label(target, m2, v2, t2, tally, pen, lab, o.cid, r)
            kept.append(new)
            quota[cell] = used + 1
            queue.append(new)
            made += 1
        if not offered:
            stuck.add(lab.si)
    return found, made


def _build(g: Graph, root: Node, max_visits: int, budget: int) -> KeyGraph | None:
    """The exact key graph, or None when the scenario's loops are too tangled for it."""
    if g.largest_loop > MAX_EXACT_LOOP:
        return None
    try:
        return explore(g, root, max_visits=max_visits, budget=budget, exact=True)
    except _Budget:
        return None


def _endings_from(
    g: Graph, kg: KeyGraph, best: dict[Key, Step], worst: dict[Key, Step]
) -> list[tuple[Key, int, int, str, int, int, str, int]]:
    """Per ending key: (percent, grade, turns) for the least and the most mistake points."""
    c = g.c
    rows = []
    for key, (pb, tb, _pk, _cid) in best.items():
        si = key[0]
        outcome = g.ending[si]
        if outcome is None:
            continue
        tally = kg.node[key][5]
        bp, bg = c.quick(tally, pb, outcome)
        pw, tw = worst[key][0], worst[key][1]
        wp, wg = c.quick(tally, pw, outcome)
        rows.append((key, si, bp, bg, tb, wp, wg, tw))
    return rows


def _replay(scenario: Scenario, choices: list[str]) -> tuple[dict[str, Any] | None, str | None]:
    """Play the choices through a real Session and score the transcript."""
    from simulator.engine.session import ScenarioRuntimeError, SessionError

    try:
        session = runtime(scenario).new_session(seed=0, learner="paths")
        session.replay(choices)
        transcript = session.transcript()
        session.close()
    except (SessionError, ScenarioRuntimeError) as exc:
        return None, str(exc)
    return scorer.score(scenario, transcript), None


_RUNTIMES: dict[int, tuple[object, Runtime]] = {}


def runtime(scenario: Scenario) -> Runtime:
    """The scenario's Runtime (one machine per scenario, cached like the scorer's tables)."""
    from simulator.engine.session import Runtime

    return scorer.per_scenario(_RUNTIMES, 8, scenario, Runtime)


def _report_path(
    scenario: Scenario,
    g: Graph,
    choices: list[str],
    predicted: tuple[int, str],
    ending_si: int,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "choices": choices,
        "percent": predicted[0],
        "grade": predicted[1],
        "ending": g.sids[ending_si],
        "outcome": g.ending[ending_si],
        "turns": len(choices),
    }
    real, problem = _replay(scenario, choices)
    if real is None:
        out["verified"] = False
        out["problem"] = problem
    else:
        out["verified"] = (real["percent"], real["grade"]) == tuple(predicted)
        out["percent"], out["grade"] = real["percent"], real["grade"]
        out["mistakes"] = [m["id"] for m in real["mistakes"]]
    return out


def _ending_rows_exact(g: Graph, kg: KeyGraph) -> tuple[list[EndRow], list[EndRow]]:
    order, pos = _order(kg)
    best, worst = _dp(kg, order, pos, kg.root, mood_of=_mood_of(g))
    brows: list[EndRow] = []  # (ending state, percent, grade, tie cost, choices thunk)
    wrows: list[EndRow] = []
    for key, si, bp, bg, tb, wp, wg, tw in _endings_from(g, kg, best, worst):
        brows.append((si, bp, bg, tb, functools.partial(_path, best, key, kg.root)))
        wrows.append((si, wp, wg, tw, functools.partial(_path, worst, key, kg.root)))
    return brows, wrows


def _ending_rows_beam(
    g: Graph,
    root: Node,
    max_visits: int,
    problems: set[str],
    stuck: set[int],
    budget: SearchBudget | None = None,
) -> tuple[list[EndRow], list[EndRow], int]:
    rows: dict[bool, list[EndRow]] = {}
    made = 0
    for worst in (False, True):
        found, n = _beam(
            g,
            root,
            worst=worst,
            width=BEAM_WIDTH,
            max_visits=max_visits,
            problems=problems,
            stuck=stuck,
            budget=budget,
        )
        made += n
        out: list[EndRow] = []
        for lab in found:
            pct, grade = g.c.quick(lab.tally, lab.pen, g.ending[lab.si])
            out.append((lab.si, pct, grade, lab.turn, lab.choices))
        rows[worst] = out
    return rows[False], rows[True], made


def analyse(
    scenario: Scenario, *, max_visits: int = 2, budget: int = DEFAULT_BUDGET
) -> dict[str, Any]:
    """The analysis as a JSON-ready dict; see the module docstring for the method."""
    g = graph(scenario)
    root = _root(g)
    kg = _build(g, root, max_visits, budget)
    cut = False
    if kg is not None:
        brows, wrows = _ending_rows_exact(g, kg)
        problems, stuck, explored, exact = kg.problems, kg.stuck, len(kg.node), True
        reached = {k[0] for k in kg.node}
        trapped = _trapped(g, kg)
    else:
        problems, stuck = set(), set()
        search = SearchBudget()
        brows, wrows, explored = _ending_rows_beam(g, root, max_visits, problems, stuck, search)
        exact = False
        cut = search.cut
        reached = None
        trapped = set()

    endings: dict[str, dict[str, Any]] = {}
    for si, sid in enumerate(g.sids):
        if g.ending[si] is not None:
            endings[sid] = {"outcome": g.ending[si], "reachable": False if exact else None}
    for rows, field, better in (
        (brows, "best", operator.gt),
        (wrows, "worst", operator.lt),
    ):
        for si, pct, grade, _turns, _path_of in rows:
            e = endings[g.sids[si]]
            e["reachable"] = True
            if field not in e or better(pct, e[field]):
                e[field], e[f"{field}_grade"] = pct, grade
    outcomes = sorted({e["outcome"] for e in endings.values() if e["reachable"]})

    result: dict[str, Any] = {
        "scenario": scenario.id,
        "states": len(g.sids),
        "choices": sum(len(r) for r in g.opts),
        "max_visits": max_visits,
        "exact": exact,
        "explored": explored,
        "budget_cut": cut,
        "thresholds": dict(g.c.thresholds),
        "endings": endings,
        "outcomes": outcomes,
        "best": None,
        "worst": None,
    }
    if brows:
        b = max(brows, key=lambda r: (r[1], scorer.GRADE_RANK[r[2]], -r[3]))
        result["best"] = _report_path(scenario, g, b[4](), (b[1], b[2]), b[0])
    if wrows:
        w = min(wrows, key=lambda r: (r[1], scorer.GRADE_RANK[r[2]], r[3]))
        result["worst"] = _report_path(scenario, g, w[4](), (w[1], w[2]), w[0])
    best_grade = result["best"]["grade"] if result["best"] else None
    result["distinction_reachable"] = best_grade == "distinction"
    result["pass_reachable"] = best_grade in ("pass", "distinction")
    result["dead_ends"] = _dead_ends(g, reached, stuck, trapped)
    result["loops"] = [
        [g.sids[i] for i in members]
        for members in g.scc_members
        if len(members) > 1 or members[0] in g.succ[members[0]]
    ]
    result["problems"] = sorted(problems)
    return result


def _trapped(g: Graph, kg: KeyGraph) -> set[int]:
    """States reached only on paths from which no ending follows (e.g. a loop whose exit
    condition can never hold), found from the exact key graph."""
    pred: dict[Key, list[Key]] = {}
    for k, out in kg.edges.items():
        for _cid, _p, nk in out:
            pred.setdefault(nk, []).append(k)
    good = {k for k in kg.node if g.ending[k[0]] is not None}
    queue = deque(good)
    while queue:
        k = queue.popleft()
        for pk in pred.get(k, ()):
            if pk not in good:
                good.add(pk)
                queue.append(pk)
    states_ok = {k[0] for k in good}
    return {k[0] for k in kg.node if k[0] not in states_ok}


def _dead_ends(
    g: Graph, reached: set[int] | None, stuck: set[int], trapped: set[int]
) -> list[dict[str, Any]]:
    """States from which no ending can be reached, and states where nothing is on offer."""
    pred: list[list[int]] = [[] for _ in g.sids]
    for i, nxt in enumerate(g.succ):
        for j in nxt:
            pred[j].append(i)
    can_end = [False] * len(g.sids)
    queue = deque(i for i, e in enumerate(g.ending) if e is not None)
    for i in queue:
        can_end[i] = True
    while queue:
        j = queue.popleft()
        for i in pred[j]:
            if not can_end[i]:
                can_end[i] = True
                queue.append(i)
    out = []
    for i, sid in enumerate(g.sids):
        if not can_end[i]:
            out.append(
                {
                    "state": sid,
                    "reachable": None if reached is None else i in reached,
                    "reason": "no ending can be reached from here",
                }
            )
        elif i in trapped:
            out.append(
                {
                    "state": sid,
                    "reachable": True,
                    "reason": "every path that reaches it gets stuck: no ending follows "
                    "(within the loop bound)",
                }
            )
        elif i in stuck:
            out.append(
                {
                    "state": sid,
                    "reachable": True,
                    "reason": "on some path every choice here is hidden by its 'if'",
                }
            )
    return out


# -- for the debrief: the best thing to say at one point of a real transcript -------------------
def _step(
    g: Graph, opt: _Opt, mood: int, turn: int, vars_: Vars, visits: Visits, problems: set[str]
) -> tuple[int, Vars, int]:
    """One choice's effect, as the session applies it: (mood after, variables after, the state
    it leads to once the rules have had their say). Shared by replaying a prefix and by listing
    paths; the two searches keep their own inlined copy, where a call per edge would cost."""
    m2 = max(0, min(100, mood + opt.mood))
    v2 = vars_
    if opt.sets:
        lst = list(vars_)
        for i, val in opt.sets:
            lst[i] = val
        v2 = tuple(lst)
    target = opt.goto
    for rc, rt in g.rules:
        if g.holds(rc, m2, turn + 1, v2, visits, problems):
            target = rt
            break
    return m2, v2, target


def node_after(scenario: Scenario, choice_ids: list[str]) -> Node | None:
    """The analysis node after these choices (None if they are not a playable path)."""
    g = graph(scenario)
    node = _root(g)
    problems: set[str] = set()
    for cid in choice_ids:
        si, mood, vars_, turn, visits, tally = node
        opt = next((o for o in g.opts[si] if o.cid == cid), None)
        if opt is None or (
            opt.cond is not None and not g.holds(opt.cond, mood, turn, vars_, visits, problems)
        ):
            return None
        m2, v2, target = _step(g, opt, mood, turn, vars_, visits, problems)
        vis2 = dict(visits)
        if target in g.tracked:
            vis2[target] = vis2.get(target, 0) + 1
        node = (target, m2, v2, turn + 1, vis2, g.c.advance(tally, opt.fx))
    return node


def best_continuations(
    scenario: Scenario,
    prefix: list[str],
    *,
    max_visits: int = 2,
    budget: int = 50_000,
    seconds: float = 1.5,
) -> dict[str, dict[str, Any]]:
    """For each choice on offer after `prefix`: the best percent and grade a learner could still
    reach by taking it (within the loop bound), and the choices of that best continuation.
    Mistake points already made in `prefix` count, as they would in the real score."""
    g = graph(scenario)
    node = node_after(scenario, prefix)
    if node is None or g.ending[node[0]] is not None:
        return {}
    p0 = sum(g.c.fx[cid].penalty for cid in prefix)
    bound = max(max_visits, max(node[4].values(), default=0) + 1)
    kg = _build(g, node, bound, budget)
    out: dict[str, dict[str, Any]] = {}
    problems: set[str] = set()
    search = SearchBudget(seconds=seconds)  # shared by every option: the debrief waits on it
    if kg is None:  # approximate: a best-first beam from each choice on offer
        for o in g.opts[node[0]]:
            child = node_after(scenario, list(prefix) + [o.cid])
            if child is None or o.cid in out:
                continue
            if g.ending[child[0]] is not None:
                pct, grade = g.c.quick(child[5], p0 + o.fx.penalty, g.ending[child[0]])
                out[o.cid] = {"percent": pct, "grade": grade, "then": []}
                continue
            found, _n = _beam(
                g,
                child,
                worst=False,
                width=BEAM_WIDTH,
                max_visits=bound,
                problems=problems,
                stuck=set(),
                pen0=p0 + o.fx.penalty,
                budget=search,
            )
            scored = [
                (g.c.quick(lab.tally, lab.pen, g.ending[lab.si]), -lab.turn, lab) for lab in found
            ]
            if scored:
                (pct, grade), _t, lab = max(scored, key=lambda x: (x[0][0], x[1]))
                out[o.cid] = {"percent": pct, "grade": grade, "then": lab.choices()}
            else:
                out[o.cid] = {"percent": None, "grade": None, "then": []}
        return out
    order, pos = _order(kg)
    for cid, pen, ckey in kg.edges[kg.root]:
        if cid in out:
            continue
        best, _worst = _dp(kg, order, pos, ckey, p0 + pen, mood_of=_mood_of(g))
        top: tuple[int, int, Key, str] | None = None
        for key, (pts, turns, _pk, _c) in best.items():
            outcome = g.ending[key[0]]
            if outcome is None:
                continue
            pct, grade = g.c.quick(kg.node[key][5], pts, outcome)
            cand = (pct, -turns, key, grade)
            if top is None or cand[:2] > top[:2]:
                top = cand
        if top is None:
            out[cid] = {"percent": None, "grade": None, "then": []}
        else:
            out[cid] = {"percent": top[0], "grade": top[3], "then": _path(best, top[2], ckey)}
    for o in g.opts[node[0]]:  # offered but cut by the bound: still a real option, unknown value
        if o.cid not in out and (
            o.cond is None or g.holds(o.cond, node[1], node[3], node[2], node[4], problems)
        ):
            out[o.cid] = {"percent": None, "grade": None, "then": []}
    return out


def enumerate_paths(
    scenario: Scenario, *, max_visits: int = 2, limit: int | None = None
) -> list[tuple[list[str], str]]:
    """Every path from the start to an ending that enters no looping state more than
    `max_visits` times, as (choice ids, ending state id), depth first in file order; at most
    `limit` of them. Conditions and rules are followed exactly as in `node_after`. Used by the
    property tests to check the debrief's promises on every path of a scenario."""
    g = graph(scenario)
    problems: set[str] = set()
    out: list[tuple[list[str], str]] = []
    stack: list[tuple[Node, list[str]]] = [(_root(g), [])]
    while stack:
        node, ids = stack.pop()
        si, mood, vars_, turn, visits, tally = node
        if g.ending[si] is not None:
            out.append((ids, g.sids[si]))
            if limit is not None and len(out) >= limit:
                break
            continue
        children: list[tuple[Node, list[str]]] = []
        for o in g.opts[si]:
            if o.cond is not None and not g.holds(o.cond, mood, turn, vars_, visits, problems):
                continue
            m2, v2, target = _step(g, o, mood, turn, vars_, visits, problems)
            vis2 = visits
            if target in g.tracked:
                n = visits.get(target, 0)
                if n >= max_visits:
                    continue
                vis2 = dict(visits)
                vis2[target] = n + 1
            children.append(((target, m2, v2, turn + 1, vis2, tally), ids + [o.cid]))
        stack.extend(reversed(children))
    return out
