"""Exact odds for a blind learner: the chance that choosing uniformly at random passes.

`play_blind`'s `random` strategy samples a few runs; this computes the probability exactly, as a
fraction, over every path of the scenario. A learner who picks uniformly among the options on
offer reaches each path with the product of 1/(options offered) along it, so the shown order —
and so `shuffle: true` — makes no difference: every option is equally likely wherever it sits.

How
---
The scorer grades a whole transcript, but only through (the tally of `scorer.Compiled.advance`,
the outcome): `Compiled.grade` (the grade follows the marking points and the caps; the mistake
points move only the percentage, inside the grade's band). And what can happen next depends
only on the state, the turn (for the turn limit), and what the scenario's conditions read — the
mood if a condition reads it, the variables conditions read, the visit counts of the states
conditions read (`paths.Graph` finds these). So runs are propagated forward turn by turn as a
distribution over

    (state, mood if read, variables read, visits read, tally)  -> probability

merging runs that agree on all of it, which is exact. As `strategies.play` does, a run stops
after `strategies.MAX_TURNS` choices, or when nothing is on offer, and is then scored as
unfinished (no outcome).

The result is a `Fraction` (exact); `pass` counts a pass or better, `distinction` a distinction.
If a scenario's distribution grows past `MAX_NODES` runs in one turn the computation stops with
`OddsTooLarge` rather than sample.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.engine.model import Scenario

    from .scorer import Tally

MAX_NODES = 200_000  # distinct runs in one turn before giving up (no scenario comes near)

# lint --strict: a random learner should not pass more often than this, nor reach a distinction
PASS_ODDS = Fraction(5, 100)
DISTINCTION_ODDS = Fraction(1, 100)


class OddsTooLarge(Exception):
    """The exact distribution grew past MAX_NODES runs in one turn."""


@dataclass(frozen=True)
class Odds:
    scenario: str
    pass_: Fraction  # a pass or a distinction
    distinction: Fraction
    unfinished: Fraction  # stopped by the turn limit or with nothing on offer
    max_turns: int
    largest_turn: int  # the most distinct runs held at one turn (how big the computation got)

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "pass": float(self.pass_),
            "distinction": float(self.distinction),
            "unfinished": float(self.unfinished),
            "pass_exact": str(self.pass_),
            "distinction_exact": str(self.distinction),
            "max_turns": self.max_turns,
            "largest_turn": self.largest_turn,
        }

    @property
    def too_high(self) -> bool:
        return self.pass_ > PASS_ODDS or self.distinction > DISTINCTION_ODDS


def random_odds(scenario: Scenario, max_turns: int | None = None) -> Odds:
    """The exact chance that a learner choosing uniformly at random passes (see the module
    docstring). Raises OddsTooLarge past MAX_NODES distinct runs in one turn."""
    from . import paths
    from .strategies import MAX_TURNS

    limit = MAX_TURNS if max_turns is None else max_turns
    g = paths.graph(scenario)
    c = g.c
    problems: set[str] = set()
    keep_vars = set(g.key_vars)
    read_visits = None if g.all_visits else g.read_visits

    def project(vars_: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(v if i in keep_vars else None for i, v in enumerate(vars_))

    def entered(visits: tuple[tuple[int, int], ...], si: int) -> tuple[tuple[int, int], ...]:
        if read_visits is not None and si not in read_visits:
            return visits
        d = dict(visits)
        d[si] = d.get(si, 0) + 1
        return tuple(sorted(d.items()))

    # A run is (place, tally, mistake points), place and tally as small integers: a place is
    # (state, mood if read, variables read, visits read), interned in `places`; tallies in
    # `tallies`. Small keys keep the hashing, which is most of the work, cheap.
    places: list[tuple[int, int, tuple[Any, ...], tuple[tuple[int, int], ...]]] = []
    place_id: dict[tuple[int, int, tuple[Any, ...], tuple[tuple[int, int], ...]], int] = {}
    tallies: list[Tally] = []
    tally_id: dict[Tally, int] = {}

    def intern_place(pl: tuple[int, int, tuple[Any, ...], tuple[tuple[int, int], ...]]) -> int:
        i = place_id.get(pl)
        if i is None:
            i = place_id[pl] = len(places)
            places.append(pl)
        return i

    def intern_tally(t: Tally) -> int:
        i = tally_id.get(t)
        if i is None:
            i = tally_id[t] = len(tallies)
            tallies.append(t)
        return i

    # What is on offer at a place and where each option leads (the turn matters only if a
    # condition reads it); a tally's successor per choice; a final grade per (tally, points).
    Move = tuple[int, int]  # (choice index in g.opts row, next place)
    moves: dict[tuple[int, int | None], list[Move]] = {}
    advanced: dict[tuple[int, str], int] = {}
    graded: dict[tuple[int, str | None], str] = {}

    def options(pid: int, turn: int) -> list[Move]:
        key = (pid, turn if g.need_turn else None)
        hit = moves.get(key)
        if hit is None:
            si, mood, vars_, visits = places[pid]
            vis = dict(visits)
            hit = []
            for oi, o in enumerate(g.opts[si]):
                if o.cond is not None and not g.holds(o.cond, mood, turn, vars_, vis, problems):
                    continue
                m2 = max(0, min(100, mood + o.mood)) if g.need_mood else mood
                v2 = vars_
                if o.sets:
                    lst = list(vars_)
                    for i, val in o.sets:
                        lst[i] = val
                    v2 = project(tuple(lst))
                target = o.goto
                for rc, rt in g.rules:
                    if g.holds(rc, m2, turn + 1, v2, vis, problems):
                        target = rt
                        break
                nxt_place = intern_place((target, m2, v2, entered(visits, target)))
                hit.append((oi, nxt_place))
            moves[key] = hit
        return hit

    def grade_of(tid: int, outcome: str | None) -> str:
        k = (tid, outcome)
        hit = graded.get(k)
        if hit is None:
            hit = graded[k] = c.grade(tallies[tid], outcome)
        return hit

    mood0 = scenario.customer.mood if g.need_mood else 0
    start = intern_place((g.start, mood0, project(g.init_vars), entered((), g.start)))
    # Exact arithmetic without Fraction's cost: a turn's probabilities are integers over one
    # common denominator, which the next turn multiplies by the lcm of the option counts met.
    layer: dict[tuple[int, int], int] = {(start, intern_tally(c.initial)): 1}
    denom = 1
    passed = distinction = unfinished = total = Fraction(0)
    largest = 1
    for turn in range(limit + 1):
        live: list[tuple[int, int, int, list[Move]]] = []
        n_pass = n_dist = n_unfinished = n_done = 0
        for (pid, tid), p in layer.items():
            si = places[pid][0]
            outcome = g.ending[si]
            offered = [] if outcome is not None else options(pid, turn)
            if outcome is not None or not offered or turn == limit:
                # an ending; or stopped (nothing on offer, or the turn limit): scored
                # unfinished, as strategies.play scores it
                grade = grade_of(tid, outcome)
                n_done += p
                n_pass += p if grade != "fail" else 0
                n_dist += p if grade == "distinction" else 0
                n_unfinished += p if outcome is None else 0
                continue
            live.append((pid, tid, p, offered))
        passed += Fraction(n_pass, denom)
        distinction += Fraction(n_dist, denom)
        unfinished += Fraction(n_unfinished, denom)
        total += Fraction(n_done, denom)
        if not live:
            layer = {}
            break
        lcm = 1
        for *_r, offered in live:
            lcm = math.lcm(lcm, len(offered))
        denom *= lcm
        nxt: dict[tuple[int, int], int] = {}
        for pid, tid, p, offered in live:
            share = p * (lcm // len(offered))
            row = g.opts[places[pid][0]]
            for oi, nxt_place in offered:
                ak = (tid, row[oi].cid)
                t2 = advanced.get(ak)
                if t2 is None:
                    t2 = advanced[ak] = intern_tally(c.advance(tallies[tid], row[oi].fx))
                child = (nxt_place, t2)
                nxt[child] = nxt.get(child, 0) + share
        if len(nxt) > MAX_NODES:
            raise OddsTooLarge(
                f"{scenario.id}: more than {MAX_NODES} distinct runs at turn {turn + 1}"
            )
        largest = max(largest, len(nxt))
        layer = nxt
    assert not layer and total == 1, total  # every run is accounted for
    return Odds(scenario.id, passed, distinction, unfinished, limit, largest)


def percent(x: Fraction) -> str:
    """A probability as a tutor reads it: '0%', '<0.01%', '3.2%'."""
    if x == 0:
        return "0%"
    v = 100 * float(x)
    if v < 0.01:
        return "<0.01%"
    return f"{v:.2f}%" if v < 1 else f"{v:.1f}%"


def runs_of(odds: Odds) -> Iterator[tuple[str, Fraction]]:
    yield "pass or better", odds.pass_
    yield "distinction", odds.distinction
