"""Typed replies in Welsh (issue 32): top-1 on the held-out Welsh phrasings.

    .venv/bin/python benchmarks/bench_welsh_matching.py

The embedding model is English-only, so a scenario played from a Welsh string table is matched
by the character n-gram score alone, against the Welsh option texts and the table's Welsh
`examples:`. tests/typed/welsh_heldout.yaml was written before any tuning and is never tuned on.
Target: top-1 >= 85% with the examples; wrong accepts 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from tests.typed.welsh import evaluate

    for label, use in (("with Welsh examples", True), ("option texts alone", False)):
        r = evaluate(use_examples=use)
        dec = ", ".join(f"{k} {v}" for k, v in sorted(r.decisions.items()))
        print(
            f"Welsh typed replies, {label}: top-1 {r.top1}/{r.total} = {r.accuracy:.1%}; "
            f"{dec}; wrong accepts {r.wrong_accepts}"
            + (f"; stale items {len(r.stale)}" if r.stale else "")
        )
        for said, want, got in r.misses:
            print(f"  missed: {said!r}: wanted {want}, ranked {got} first")
    return 0


if __name__ == "__main__":
    sys.exit(main())
