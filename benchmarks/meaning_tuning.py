"""Typed-reply meaning: the tuning report over every meaning set that is tuning data now.

    .venv/bin/python benchmarks/meaning_tuning.py [-v] [PACK]

Runs tests/typed/meaning.py's `evaluate` (the shipped matcher) over meaning.yaml (open),
meaning_sealed.yaml, meaning_sealed2.yaml and meaning_sealed3.yaml, and prints each set's figures
(top-1, accepts, negations accepted as what they negate, bare acknowledgements accepted, polite
lines offered a rude option, rude lines offered a polite one) and the total. With -v, also each
failure (top-1 misses, wrong accepts, the three never-failures). With --time, also one match's
median and 95th percentile over every line of these sets (warm matchers; each line as typed for
the first time: its embedding, character vector, clauses and refusal-free part not cached), as
bench_matching.py measures the held-out paraphrases; these lines are longer and refuse more.

Every set here has been measured once already and is tuning data; a held-out set still sealed
(meaning_sealed4.yaml, if present) is deliberately NOT read here: it is run once, by the lead.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TUNING = ("meaning.yaml", "meaning_sealed.yaml", "meaning_sealed2.yaml", "meaning_sealed3.yaml")
FAILURES = (
    "top1_miss",
    "wrong_accept",
    "negation_accepted",
    "ack_accepted",
    "polite_offered_rude",
    "rude_offered_polite",
)


def _harness():
    spec = importlib.util.spec_from_file_location(
        "meaning_set", ROOT / "tests" / "typed" / "meaning.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["meaning_set"] = mod
    spec.loader.exec_module(mod)
    return mod


def _note(n) -> str:
    it, decision, best, offered = n
    return (
        f"{it.scenario}.{it.state} {it.kind}: {it.text!r} -> {decision} {best} {offered} "
        f"(expect {it.expect}, not {it.never})"
    )


def latency(mod, pack: Path) -> tuple[float, float, int]:
    """Median and p95 seconds of one match over the tuning lines, each typed for the first time."""
    import statistics
    import time

    import numpy as np

    from simulator.matching import embedder
    from simulator.matching.clean import clean_typed
    from simulator.matching.matcher import matcher_for

    lat = []
    for name in TUNING:
        held = mod.load(pack, mod.HERE / name)
        for sc in held.scenarios.values():
            matcher_for(sc).prepare()
        for it in held.items:  # warm: the options' own vectors and clauses, as in a session
            matcher_for(held.scenarios[it.scenario]).match(it.text, it.offered)
        for it in held.items:
            m = matcher_for(held.scenarios[it.scenario])
            text = clean_typed(it.text)
            m._char.pop(text, None)
            m._clauses.pop(text, None)
            embedder._cache.pop(text, None)
            kept = m._kept(text) if hasattr(m, "_kept") else None
            m._clauses.pop(text, None)
            if kept:
                m._char.pop(kept, None)
                embedder._cache.pop(kept, None)
            start = time.perf_counter()
            m.match(it.text, it.offered)
            lat.append(time.perf_counter() - start)
    return statistics.median(lat), float(np.percentile(lat, 95)), len(lat)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    timed = "--time" in argv
    args = [a for a in argv if a not in ("-v", "--time")]
    pack = Path(args[0]) if args else ROOT / "scenarios"
    mod = _harness()
    total = {"top1": 0, "with_answer": 0, "neg": 0, "ack": 0, "polite": 0, "rude": 0, "wrong": 0}
    for name in TUNING:
        held = mod.load(pack, mod.HERE / name)
        r = mod.evaluate(held)
        print(f"{name:<22} {mod.summary(r)}" + (f" STALE {held.stale}" if held.stale else ""))
        total["top1"] += r["top1"]
        total["with_answer"] += r["with_answer"]
        total["neg"] += len(r["negation_accepted"])
        total["ack"] += len(r["ack_accepted"])
        total["polite"] += len(r["polite_offered_rude"])
        total["rude"] += len(r["rude_offered_polite"])
        total["wrong"] += len(r["wrong_accept"])
        if verbose:
            for key in FAILURES:
                for n in r[key]:
                    print(f"    [{key}] {_note(n)}")
    n = total["with_answer"] or 1
    print(
        f"{'all tuning sets':<22} top-1 {total['top1']}/{total['with_answer']} "
        f"({100 * total['top1'] / n:.1f}%), wrong accepts {total['wrong']}, negations accepted "
        f"{total['neg']}, acks accepted {total['ack']}, polite offered rude {total['polite']}, "
        f"rude offered polite {total['rude']}"
    )
    if timed:
        med, p95, n_lines = latency(mod, pack)
        print(
            f"match latency: median {med * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms over {n_lines} lines"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
