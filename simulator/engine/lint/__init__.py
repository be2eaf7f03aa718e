"""Lint: every problem in a scenario file, in passes, each finding with a stable code.

    shape       keys, required keys, kinds of value, ranges (from the format model)
    references  gotos, start, catalogue names, laws, topics, variables, duplicate ids
    templates   templates and conditions parse and use only names that exist
    graph       an ending exists; every state is reachable and can reach an ending
    withdrawals a `corrects:` takes back the whole of a line, not part of it (CT612)

Every pass runs on the raw parsed data, whatever the other passes found, so one run reports
everything. `lint_parsed` is what `countertalk lint`, the loader and the language server share.
"""

from __future__ import annotations

from typing import Any

from .diagnostics import CODES, Diagnostic, did_you_mean, make, silence  # noqa: F401

PASSES = ("shape", "references", "templates", "graph", "typed", "withdrawals")


def vocabulary() -> Any:
    """The shared names lint checks against (behaviours, mistakes, scoring models): below the
    engine, in `engine/vocabulary.py`, so lint never imports the scorer."""
    from .. import vocabulary as v

    return v


def lint_parsed(path: str, parsed: Any) -> list[Diagnostic]:
    """Run every pass over one parsed file; findings sorted by position, each once."""
    from . import graph, references, shape, templates, typed, withdrawals
    from .context import Context

    ctx = Context(path, parsed, vocabulary())
    for check in (
        shape.run,
        references.run,
        templates.run,
        graph.run,
        typed.run,
        withdrawals.run,
    ):
        try:
            check(ctx)
        except RecursionError:  # a pathological value: say so, and keep the other passes' work
            ctx.report("CT005", (1, 1), "values are nested too deep to check; flatten them")
    return sorted(set(ctx.diags), key=lambda d: (d.line, d.column, d.code, d.message))
