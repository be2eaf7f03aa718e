"""Choose the matcher's settings on the pack's own examples, never on the held-out test set.

Leave-one-out: each example is taken out of its choice and typed back at its state, so it plays
the part of a learner's phrasing the matcher has not seen. Off-topic lines for calibration are
listed here, apart from tests/typed/heldout.yaml's. Prints, for each embedding weight, the
settings (threshold, margin, floor) with the most confident accepts whose wrong accepts and
off-topic accepts stay under the targets' halves, so the held-out figures have headroom.

    .venv/bin/python benchmarks/calibrate_matching.py [PACK]
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV_OFF_TOPIC = [
    "what's the wifi password",
    "can you pass the salt",
    "i think it's going to snow",
    "my favourite band is on tour",
    "where did i park the car",
    "is this the queue for the post office",
    "happy birthday!",
    "how do i get to the motorway",
    "what's two plus two",
    "qwerty uiop",
    "the dog ate my homework",
    "i'm just browsing thanks",
    "do you like cricket",
    "is it lunchtime yet",
    "what's on telly tonight",
    "my train was cancelled this morning",
    "hmm",
    "can i borrow a pen",
    "the sky is blue",
    "see you at the gym",
]


def leave_one_out(pack: Path):
    """(scenario, offered, typed, right choice id) for every example in the pack."""
    from simulator.engine.loader import load_scenario, scenario_files
    from simulator.engine.session import Offered
    from simulator.matching.lint import _exclusive

    for f in scenario_files(pack):
        sc = load_scenario(f)
        for sid, st in sc.states.items():
            offered = tuple(
                Offered(i + 1, i, ch.id or f"{sid}.{i + 1}", ch.text, ch)
                for i, ch in enumerate(st.choices)
            )
            for o in offered:
                # Options whose conditions exclude each other are never on offer together.
                rivals = tuple(r for r in offered if not _exclusive(o.choice.if_, r.choice.if_))
                for k, ex in enumerate(o.choice.examples):
                    yield sc, rivals, o.choice_id, k, ex


def collect(pack: Path, weight: float):
    from simulator.matching import matcher as M

    M.EMBED_WEIGHT = weight
    rows, off = [], []
    matchers: dict = {}
    for sc, offered, cid, k, ex in leave_one_out(pack):
        m = matchers.get(sc.id)
        if m is None:
            m = matchers[sc.id] = M.ScenarioMatcher(sc)
        saved = m._examples[cid]
        m._examples[cid] = saved[:k] + saved[k + 1 :]
        ranking = m.rank(ex, offered)
        m._examples[cid] = saved
        rows.append(
            (
                ranking[0].score,
                ranking[1].score if len(ranking) > 1 else 0.0,
                ranking[0].choice_id == cid,
            )
        )
    for m in matchers.values():
        for st_id, st in m.scenario.states.items():
            if not st.choices:
                continue
            from simulator.engine.session import Offered

            offered = tuple(
                Offered(i + 1, i, ch.id or f"{st_id}.{i + 1}", ch.text, ch)
                for i, ch in enumerate(st.choices)
            )
            for line in DEV_OFF_TOPIC:
                r = m.rank(line, offered)
                off.append(r[0].score)
    return np.array(rows, dtype=np.float64), np.array(off)


def main() -> int:
    pack = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "scenarios"
    for weight in (0.0, 0.3, 0.4, 0.5, 0.6, 1.0):
        rows, off = collect(pack, weight)
        best, runner, right = rows[:, 0], rows[:, 1], rows[:, 2].astype(bool)
        n = len(rows)
        print(f"embed weight {weight}: {n} examples, top-1 {right.mean():.3f}", end="; ")
        choice = None
        for threshold, margin, floor in itertools.product(
            np.arange(0.2, 0.7, 0.02), np.arange(0.0, 0.2, 0.02), np.arange(0.1, 0.4, 0.02)
        ):
            if floor > threshold:
                continue
            acc = (best >= threshold) & (best - runner >= margin)
            wrong = (acc & ~right).sum() / n
            off_acc = (off >= threshold).mean()
            if wrong <= 0.005 and off_acc <= 0.02:
                reject_right = ((best < floor) & right).sum() / n
                key = (acc.mean() - reject_right, -threshold)
                if choice is None or key > choice[0]:
                    choice = (
                        key,
                        threshold,
                        margin,
                        floor,
                        acc.mean(),
                        wrong,
                        off_acc,
                        reject_right,
                    )
        if choice is None:
            print("no setting meets the targets")
            continue
        _, t, mg, fl, acc, wrong, off_acc, rr = choice
        print(
            f"threshold {t:.2f} margin {mg:.2f} floor {fl:.2f}: accept {acc:.3f}, "
            f"wrong {wrong:.4f}, off-topic {off_acc:.3f}, right-but-rejected {rr:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
