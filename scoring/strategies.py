"""Blind strategies: what a learner gets without reading the options.

A scenario teaches the job only if pressing 1 every time, or always picking the longest (or
last) answer, or picking at random, does not pass. `play_blind` plays those strategies through
the real `Session` (so `shuffle: true` applies exactly as a learner sees it) and scores each
transcript with the real scorer; `countertalk paths FILE --strategies` prints the table.
`layout_warnings` is the cheap static check behind `lint --strict`: is the best option usually
the longest, or always in the same place?
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

STRATEGIES = ("first", "longest", "last", "random")
DEFAULT_SEEDS = (1, 2, 3)
MAX_TURNS = 60  # a blind strategy can circle a loop for ever; stop and score it unfinished

# lint --strict thresholds (share of the states with a choice to make)
LONGEST_SHARE = 0.6  # the best option is the longest in more than this share of states
SAME_PLACE_SHARE = 0.9  # (unshuffled files) the best option sits in one place this often


@dataclass(frozen=True)
class Run:
    strategy: str
    seed: int
    grade: str
    percent: int
    outcome: str | None
    turns: int


def _pick(strategy: str, offered: list[Any], rng: random.Random) -> Any:
    if strategy == "first":
        return offered[0]
    if strategy == "last":
        return offered[-1]
    if strategy == "longest":  # the first of the longest, as a learner scanning down would
        return max(offered, key=lambda o: len(o.text))
    return rng.choice(offered)


def play(scenario: Any, strategy: str, seed: int, runtime: Any = None) -> dict[str, Any]:
    """The transcript of one blind attempt (unfinished when it loops past MAX_TURNS)."""
    from simulator.engine.session import Runtime

    rt = runtime or Runtime(scenario)
    session = rt.new_session(seed=seed, learner=f"blind-{strategy}")
    rng = random.Random(f"blind:{strategy}:{seed}")
    try:
        while not session.ended and session.turn < MAX_TURNS:
            offered = session.offered()
            if not offered:
                break
            session.choose_id(_pick(strategy, offered, rng).choice_id)
        transcript: dict[str, Any] = session.transcript()
        return transcript
    finally:
        session.close()


def play_blind(
    scenario: Any,
    seeds: tuple[int, ...] = DEFAULT_SEEDS,
    strategies: tuple[str, ...] = STRATEGIES,
) -> list[Run]:
    from simulator.engine.session import Runtime

    from .scorer import score

    rt = Runtime(scenario)
    out = []
    for strategy in strategies:
        for seed in seeds:
            t = play(scenario, strategy, seed, rt)
            s = score(scenario, t)
            out.append(Run(strategy, seed, s["grade"], s["percent"], t["outcome"], len(t["turns"])))
    return out


def summary(runs: list[Run]) -> dict[str, dict[str, int]]:
    """{strategy: {fail, pass, distinction, runs}}"""
    out: dict[str, dict[str, int]] = {}
    for r in runs:
        row = out.setdefault(r.strategy, {"fail": 0, "pass": 0, "distinction": 0, "runs": 0})
        row[r.grade] += 1
        row["runs"] += 1
    return out


def option_rank(c: Any, cid: str) -> tuple[float, int]:
    """How well a choice is marked, for comparing the options of one state: fewer mistake points
    first, then more credited behaviours (bigger is better)."""
    fx = c.fx[cid]
    return (-fx.penalty, len(fx.shows))


def _best_index(scenario: Any, sid: str) -> int | None:
    """The state's clearly best option by its own marks (`option_rank`); None when two options
    tie (no single best to give away)."""
    from .scorer import compiled

    c = compiled(scenario)
    choices = scenario.states[sid].choices
    if len(choices) < 2:
        return None
    ranked = sorted((option_rank(c, scenario.choice_id(sid, i)), i) for i in range(len(choices)))
    (top, i), (second, _j) = ranked[-1], ranked[-2]
    return None if top == second else i


def layout_warnings(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """[(YAML path, message)] when the best option gives itself away by its length or place."""
    states: list[tuple[str, int, int, bool]] = []
    for sid, st in scenario.states.items():
        best = _best_index(scenario, sid)
        if best is not None:
            lengths = [len(ch.text) for ch in st.choices]
            longest = lengths[best] == max(lengths) and lengths.count(max(lengths)) == 1
            states.append((sid, best, len(st.choices), longest))
    if len(states) < 3:
        return []
    out = []
    n = len(states)
    long_best = [s for s in states if s[3]]
    if len(long_best) > LONGEST_SHARE * n:
        examples = ", ".join(s[0] for s in long_best[:3])
        out.append(
            (
                ("states",),
                f"the best option is the longest in {len(long_best)} of {n} states "
                f"(e.g. {examples}): a learner can pass by picking the longest answer; give "
                f"some wrong options the detail and length of a good one",
            )
        )
    if not scenario.shuffle:
        places = Counter(
            "first" if b == 0 else "last" if b == k - 1 else f"#{b + 1}" for _s, b, k, _l in states
        )
        place, count = places.most_common(1)[0]
        if count >= SAME_PLACE_SHARE * n:
            out.append(
                (
                    ("states",),
                    f"the best option is {place} in {count} of {n} states: add 'shuffle: true' "
                    f"at the top level, or vary where the best option sits",
                )
            )
    return out
