"""Authoring checks that need the scoring data or the path analysis, run by `countertalk lint`.

They live here, not in the engine's loader, because the engine never imports scoring: the
loader checks the format; these check what an assessment built on the file would say.
- every run: an ending's unconditional text claims a behaviour some path never showed
  (`ending_claims`);
- `--strict` only: the best option is usually the longest or always in one place
  (`strategies.layout_warnings`), which a learner can exploit without reading.
"""

from __future__ import annotations

from simulator.engine.loader import Diagnostic


def diagnostics(scenario, *, strict: bool) -> list[Diagnostic]:
    from . import ending_claims

    found = list(ending_claims.check(scenario))
    if strict:
        from . import strategies

        found += strategies.layout_warnings(scenario)
    out = []
    for where, message in found:
        line, col = scenario.position(*where)
        out.append(Diagnostic(scenario.source, line, col, "warning", message))
    return sorted(out)
