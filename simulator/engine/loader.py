"""Load scenario files: bytes -> positioned YAML -> lint passes -> immutable Scenario.

`check_file` returns every problem in a file at once, each pinned to file:line:column with a
stable code and what to do (the passes live in `engine/lint/`). A Scenario is only built when
there is no error. Finding files and ids in a pack is `engine/pack.py`; the names are
re-exported here for the callers that load and resolve together.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import yamlpos
from .checked import CheckResult, ScenarioError, read_limited  # noqa: F401  (re-exported)
from .lint.diagnostics import Diagnostic, did_you_mean, make, silence  # noqa: F401
from .pack import (  # noqa: F401  (re-exported)
    AmbiguousIdError,
    resolve,
    scenario_files,
    shipped_pack,
)

if TYPE_CHECKING:
    from .model import Scenario

__all__ = [
    "AmbiguousIdError",
    "CheckResult",
    "Diagnostic",
    "ScenarioError",
    "check_bytes",
    "check_file",
    "check_pack",
    "did_you_mean",
    "load_scenario",
    "make",
    "read_limited",
    "resolve",
    "scenario_files",
    "shipped_pack",
    "silence",
]


def check_bytes(
    raw: bytes, path: str = "<scenario>", *, build: bool = True, ignore: Iterable[str] = ()
) -> CheckResult:
    """Parse, lint and (when there is no error and `build`) build the Scenario. `ignore` holds
    warning codes to leave out (as do `# countertalk: ignore CODE` comments in the file)."""
    from .lint import lint_parsed

    result = CheckResult(path=path)
    try:
        parsed = yamlpos.parse_bytes(raw)
    except yamlpos.YamlProblem as exc:
        result.diagnostics.append(make(path, exc.line, exc.column, exc.code, exc.message))
        return result
    except RecursionError:  # pragma: no cover - yamlpos bounds nesting before this can happen
        result.diagnostics.append(make(path, 1, 1, "CT005", "values are nested too deep"))
        return result
    result.diagnostics = silence(lint_parsed(path, parsed), raw, ignore)
    data = parsed.data
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        result.scenario_id = data["id"]
        result.id_position = parsed.value_at(("id",))
    if result.errors or not build:
        return result
    result.scenario = _build(parsed, raw, path, result)
    return result


def _build(parsed: Any, raw: bytes, path: str, result: CheckResult) -> Scenario | None:
    import msgspec

    from .model import Scenario

    try:
        scenario = msgspec.convert(parsed.data, Scenario)
    except msgspec.ValidationError as exc:
        # The passes should catch everything first; this is the safety net, still pinned (to
        # the nearest value msgspec's path names: it writes a mapping's key as `[...]`).
        message, _, where = str(exc).partition(" - at `$")
        loc = _msgspec_path(where.rstrip("`"))
        line, col = parsed.value_at(loc)
        shown = ".".join(map(str, loc)) or "the top level"
        result.diagnostics.append(make(path, line, col, "CT900", f"{shown}: {message}"))
        return None
    positions = dict(parsed.values)
    positions.update(parsed.keys)
    scenario.attach(path, positions, raw)
    return scenario


def _msgspec_path(text: str) -> tuple[str | int, ...]:
    """`.states[...].choices[0].mood` -> ("states",): the known prefix of a msgspec path."""
    import re

    loc: list[str | int] = []
    for name, index, unknown in re.findall(r"\.(\w+)|\[(\d+)\]|(\[\.\.\.\])", text):
        if unknown:
            break
        loc.append(int(index) if index else name)
    return tuple(loc)


def check_file(
    path: str | os.PathLike[str], *, build: bool = True, ignore: Iterable[str] = ()
) -> CheckResult:
    spath = str(path)
    raw, problem = read_limited(spath)
    if raw is None:
        return CheckResult(spath, [problem] if problem else [])
    return check_bytes(raw, spath, build=build, ignore=ignore)


def load_scenario(path: str | os.PathLike[str]) -> Any:
    """Load one file; raise ScenarioError with every diagnostic if it has an error."""
    result = check_file(path)
    if result.scenario is None:
        raise ScenarioError(result.diagnostics)
    return result.scenario


def check_pack(results: list[CheckResult]) -> list[Diagnostic]:
    """Pack-wide rules: scenario ids are unique (the finding names both files)."""
    seen: dict[str, CheckResult] = {}
    out = []
    for r in results:
        if not r.scenario_id:
            continue
        if r.scenario_id in seen:
            first = seen[r.scenario_id]
            out.append(
                make(
                    r.path,
                    *r.id_position,
                    "CT111",
                    f"duplicate scenario id '{r.scenario_id}' (also in "
                    f"{first.path}:{first.id_position[0]}); ids must be unique in a pack",
                )
            )
        else:
            seen[r.scenario_id] = r
    return out
