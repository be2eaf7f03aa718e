"""Authoring checks that need the scoring data or the path analysis, run by `countertalk lint`.

They live here, not in the engine's loader, because the engine never imports scoring: the
loader checks the format; these check what an assessment built on the file would say.
- every run: an ending's unconditional text claims a behaviour some path never showed
  (`ending_claims`); a choice lists a behaviour its own mistake contradicts (catalogue
  `contradicts`), which the scorer will not credit;
- `--strict` only: the best option is usually the longest or always in one place
  (`strategies.layout_warnings`), which a learner can exploit without reading.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.loader import Diagnostic  # noqa: F401  (the type returned)


def diagnostics(scenario: Any, *, strict: bool) -> list[Diagnostic]:
    """Warnings with their codes (docs/diagnostics.md): CT601 ending-claim, CT602
    contradicted-behaviour, CT603 guessable-layout (--strict only)."""
    from simulator.engine.loader import make

    from . import ending_claims

    found = [("CT601", w, m) for w, m in ending_claims.check(scenario)]
    found += [("CT602", w, m) for w, m in contradictions(scenario)]
    if strict:
        from . import strategies

        found += [("CT603", w, m) for w, m in strategies.layout_warnings(scenario)]
    out = []
    for code, where, message in found:
        line, col = scenario.position(*where)
        out.append(make(scenario.source, line, col, code, message))
    return sorted(out)


def contradictions(scenario: Any) -> list[tuple[tuple[Any, ...], str]]:
    """A choice that shows a behaviour its own mistake rules out (a line that misstates the law
    is not "take action"): the scorer drops the behaviour, so the file should not claim it."""
    from . import catalogue

    rules = {
        m: set(e.get("contradicts") or []) for m, e in catalogue.catalogue()["mistakes"].items()
    }
    out = []
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            for m in ch.mistakes:
                clash = [b for b in ch.shows if b in rules.get(m, ())]
                if clash:
                    out.append(
                        (
                            ("states", sid, "choices", i, "shows"),
                            f"choice {scenario.choice_id(sid, i)} shows {', '.join(clash)} but "
                            f"its mistake {m} contradicts it, so it is not credited; remove it "
                            f"from shows (see 'contradicts' in scoring/catalogue.yaml)",
                        )
                    )
    return out
