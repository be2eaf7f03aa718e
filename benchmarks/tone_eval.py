"""The learned tone reader (simulator/matching/tone.py) against rude.py's lexicon, on every typed set.

    .venv/bin/python benchmarks/tone_eval.py [--sweep]

The reader is trained on the pack's option texts and examples only, so all eleven typed sets
are held out for it. Per set: rude lines read rude (recall) and polite / paraphrase / negation /
role / ack lines read rude (false alarms), for (a) rude.py alone, (b) the learned reader alone,
(c) either, and (c') either, with the reader gated as the matcher gates it (not on a polite
line, an acknowledgement, two words or fewer). Then the rude lines each sealed set's one run
offered or took as a polite option (tests/typed/sealed*-result.txt: each a shape the lexicon
did not know then), and every option text of the pack that a polite option says. --sweep
also prints the reader's trade-off at other thresholds.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main(argv: list[str]) -> int:
    import meaning_tuning as mt
    import numpy as np

    from simulator.matching import meaning, tone
    from simulator.matching.clean import clean_typed
    from simulator.matching.rude import rude_kind

    mod = mt._harness()
    pack = ROOT / "scenarios"
    model = tone.shipped()
    assert model is not None
    th = float(model["threshold"])

    def gated(t: str) -> bool:
        return not (
            meaning.polite(t) or meaning.bare_acknowledgement(t) or meaning.word_count(t) <= 2
        )

    print(f"threshold {th}  (a) rude.py  (b) learned  (c) either  (c') either, reader gated")
    tot = np.zeros(10, dtype=int)
    all_lines: list[tuple[str, str, float]] = []
    for name in mt.TUNING:
        s = mod.load(pack, ROOT / "tests" / "typed" / name)
        lines = [(it.kind, clean_typed(it.text)) for it in s.items]
        p = [tone.rude_probability(t) or 0.0 for _, t in lines]
        row = np.zeros(10, dtype=int)
        for (kind, t), pp in zip(lines, p):
            all_lines.append((kind, t, pp))
            a, b = bool(rude_kind(t)), pp >= th
            c2 = a or (b and gated(t))
            off = 0 if kind == "rude" else 5
            row[off : off + 5] += [1, a, b, a or b, c2]
        tot += row
        print(
            f"{name:22} rude {row[0]:3}: {row[1]:3} {row[2]:3} {row[3]:3} {row[4]:3}   "
            f"other {row[5]:4}: {row[6]:3} {row[7]:3} {row[8]:3} {row[9]:3}"
        )
    print(
        f"{'all':22} rude {tot[0]:3}: {tot[1]:3} {tot[2]:3} {tot[3]:3} {tot[4]:3}   "
        f"other {tot[5]:4}: {tot[6]:3} {tot[7]:3} {tot[8]:3} {tot[9]:3}"
    )
    hard: list[str] = []
    for f in sorted((ROOT / "tests" / "typed").glob("sealed*-result.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            m = re.search(r"\[(rude_offered_polite|wrong_accept)\] \S+ rude: '(.*)' -> ", line)
            if m and clean_typed(m.group(2)) not in hard:
                hard.append(clean_typed(m.group(2)))
    hp = [tone.rude_probability(t) or 0.0 for t in hard]
    print(
        f"rude lines a sealed run offered or took as polite: {len(hard)}; the learned reader "
        f"reads {sum(p >= th for p in hp)} rude at the shipped threshold"
    )
    texts, y, own = tone.training_set(pack)
    polite_texts = [t for t, yy, o in zip(texts, y, own) if o and yy == 0]
    print(
        f"polite option texts of the pack: {len(polite_texts)}; read rude by rude.py "
        f"{sum(bool(rude_kind(t)) for t in polite_texts)}, by the learned reader "
        f"{sum((tone.rude_probability(t) or 0) >= th for t in polite_texts)}"
    )
    if "--sweep" in argv:
        other = [pp for k, t, pp in all_lines if k != "rude" and not rude_kind(t) and gated(t)]
        for t2 in (0.5, 0.7, 0.8, 0.9, 0.95, th):
            print(
                f"  threshold {t2:.3f}: sealed-run rude lines caught {sum(p >= t2 for p in hp)}/"
                f"{len(hp)}, new false alarms (gated, not rude.py's) {sum(p >= t2 for p in other)}"
                f"/{len(other)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
