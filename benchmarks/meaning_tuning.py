"""Typed-reply meaning: the tuning report over every meaning set that is tuning data now.

    .venv/bin/python benchmarks/meaning_tuning.py [-v] [PACK]

Runs tests/typed/meaning.py's `evaluate` (the shipped matcher) over meaning.yaml (open) and
meaning_sealed.yaml to meaning_sealed18.yaml (TUNING below), and prints each set's figures
(top-1, accepts, negations accepted as what they negate, bare acknowledgements accepted, polite
lines offered a rude option, rude lines offered a polite one) and the total. With -v, also each
failure (top-1 misses, wrong accepts, the three never-failures). With --time, also one match's
median and 95th percentile over every line of these sets (warm matchers; each line as typed for
the first time: its embedding, character vector, clauses and refusal-free part not cached), as
bench_matching.py measures the held-out paraphrases; these lines are longer and refuse more.
With --probe, also a synthetic negation probe over the whole pack (see `probe`).

Every set here has been measured once already and is tuning data (the one runs:
tests/typed/sealed4-result.txt to sealed18-result.txt). A new held-out set must be written, and
committed, before any tuning on it, and is NOT listed here until its one run.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TUNING = (
    "meaning.yaml",
    "meaning_sealed.yaml",
    "meaning_sealed2.yaml",
    "meaning_sealed3.yaml",
    "meaning_sealed4.yaml",
    "meaning_sealed5.yaml",
    "meaning_sealed6.yaml",
    "meaning_sealed7.yaml",
    "meaning_sealed8.yaml",
    "meaning_sealed9.yaml",
    "meaning_sealed10.yaml",
    "meaning_sealed11.yaml",
    "meaning_sealed12.yaml",
    "meaning_sealed13.yaml",
    "meaning_sealed14.yaml",
    "meaning_sealed15.yaml",
    "meaning_sealed16.yaml",
    "meaning_sealed17.yaml",
    "meaning_sealed18.yaml",
)
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


_COMMITS = re.compile(r"^(i'll|ill|i will|we'll|well|we will|let me|i can|we can)\s+", re.I)
PROBES = (
    "i wont {act}, {other}",
    "im not going to {act}, but {other}",
    "{other}, i wont {act} though",
    "i cant {act}, {other}",
)


def probe(pack: Path) -> tuple[int, int, int, list[str]]:
    """Refuse what an option's own example commits to, then say another option's example: "i
    wont <act of option A>, <example of option B>", in four wordings, for every English
    scenario's states (options whose text needs variables left out). Option A must never be
    taken. Returns (lines, A taken, B ranked first, the lines where A was taken). Synthetic and
    built from the examples, so no measure of accuracy; a check that a rule does not let
    refusals through in states no tuning set uses."""
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Offered
    from simulator.matching.matcher import ScenarioMatcher

    lines = taken = other_first = 0
    bad: list[str] = []
    for f in sorted(pack.glob("*.yaml")):
        try:
            sc = load_scenario(f)
        except Exception:  # noqa: BLE001 - a pack file that does not load is not probed
            continue
        m = ScenarioMatcher(sc)
        if not m.english:
            continue
        for sid, st in sc.states.items():
            offered = [
                Offered(i + 1, i, ch.id or f"{sid}.{i + 1}", ch.text, ch)
                for i, ch in enumerate(st.choices)
                if "{{" not in ch.text
            ]
            if len(offered) < 2:
                continue
            for o in offered:
                for ex in o.choice.examples[:4]:
                    head = _COMMITS.match(ex.strip())
                    if not head:
                        continue
                    act = ex.strip()[head.end() :]
                    for b in offered:
                        if b is o or not b.choice.examples:
                            continue
                        for tpl in PROBES:
                            line = tpl.format(act=act, other=b.choice.examples[0])
                            r = m.match(line, offered)
                            lines += 1
                            best = r.best.choice_id if r.best else None
                            if r.decision == "accept" and best == o.choice_id:
                                taken += 1
                                bad.append(f"{f.stem}.{sid}: {line!r} taken as {best}")
                            other_first += best == b.choice_id
    return lines, taken, other_first, bad


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    timed = "--time" in argv
    probing = "--probe" in argv
    args = [a for a in argv if a not in ("-v", "--time", "--probe")]
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
    if probing:
        n_lines, taken, first, bad = probe(pack)
        print(
            f"negation probe: {n_lines} lines, the refused option taken {taken}, "
            f"the other option ranked first {first}"
        )
        for b in bad if verbose else ():
            print(f"    {b}")
    if timed:
        med, p95, n_lines = latency(mod, pack)
        print(
            f"match latency: median {med * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms over {n_lines} lines"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
