"""Refit the learned tone reader (simulator/matching/tone.py) on the pack and write its weights.

    .venv/bin/python scripts/fit_tone.py [--check] [PACK]

Trains ONLY on the pack's option texts and `examples:` (labels from each option's mistakes:
tone.RUDE_LABEL_MISTAKES positive, none of the rude-type mistakes negative), never on the typed
sets in tests/typed/. Deterministic: the ridge is chosen by 5-fold cross-validation (folds by
position, no shuffling) from tone.L2_GRID, the model fitted by Newton's method from zero, and
the threshold set from the pack alone (tone.threshold_for). With --check, refit and compare with
the shipped weights instead of writing them (exit 1 when they differ).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    from simulator.matching import tone

    check = "--check" in argv
    args = [a for a in argv if not a.startswith("--")]
    pack = Path(args[0]) if args else ROOT / "scenarios"
    model = tone.refit(pack)
    if model is None:
        print("the word embeddings are unavailable: cannot fit", file=sys.stderr)
        return 2
    if check:
        same = tone.same_weights(model, json.loads(tone.WEIGHTS.read_text(encoding="utf-8")))
        print("shipped weights match a refit" if same else "shipped weights differ from a refit")
        return 0 if same else 1
    tone.WEIGHTS.write_text(json.dumps(model, indent=0) + "\n", encoding="utf-8")
    print(
        f"wrote {tone.WEIGHTS.name}: {model['trained_on']} phrases ({model['positives']} rude-type), "
        f"l2 {model['l2']}, cv auc {model['cv_auc']}, threshold {model['threshold']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
