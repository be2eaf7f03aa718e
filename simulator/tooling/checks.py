"""The one check pipeline: every check a file gets, registered here, in order.

`countertalk lint`, the language server (`countertalk lsp`) and anything else that reports
findings run this, so they cannot disagree: before it existed the pipeline was assembled in the
lint command and the language server reported a subset of it (no scoring checks).

Per file (:data:`FILE_CHECKS`, in order):

    scenario   the engine's lint passes (engine/lint: shape, references, templates, graph,
               typed), and the Scenario built when there is no error
    activity   the activity format's CT5xx rules (activities/lint.py)
    scoring    checks that need the scoring data: ending claims; --strict: blind-strategy layout

Across the files given together (:data:`PACK_CHECKS`):

    ids        scenario ids, and activity ids, are unique
    typed      typed replies: examples two options could be confused by (loads a model; lint
               leaves it out with --quiet)

Adding a rule: a pass in engine/lint (scenarios) or activities/lint.py (activities), its code in
the one table (engine/lint/diagnostics.py) and docs/diagnostics.md; a new *kind* of check is one
entry in the lists here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.activities.lint import CheckResult as ActivityResult
    from simulator.engine.lint.diagnostics import Diagnostic
    from simulator.engine.loader import CheckResult
    from simulator.engine.model import Scenario


@dataclass
class FileCheck:
    """What checking one file's text found."""

    path: str
    raw: bytes
    is_activity: bool
    scenario: CheckResult | None = None  # the scenario linter's result (with the Scenario)
    activity: ActivityResult | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class Options:
    strict: bool = False  # --strict: checks that only warn about layout run too
    ignore: frozenset[str] = frozenset()  # warning codes left out
    typed: bool = True  # the typed-reply check across files (loads a model)
    # folders linted as packs: under --strict, does a pack's wording give the answers away?
    pack_folders: tuple[str, ...] = ()


def _scenario(fc: FileCheck, opts: Options) -> None:
    if fc.is_activity:
        return
    from simulator.engine.loader import check_bytes

    # Built when clean: the scoring checks need the Scenario, and building it here costs less
    # than parsing the file a second time.
    fc.scenario = check_bytes(fc.raw, fc.path, build=True, ignore=opts.ignore)
    fc.diagnostics += fc.scenario.diagnostics


def _activity(fc: FileCheck, opts: Options) -> None:
    if not fc.is_activity:
        return
    from simulator.activities.lint import check_bytes as check_activity

    fc.activity = check_activity(fc.raw, fc.path, build_it=False)
    fc.diagnostics += fc.activity.diagnostics


def _scoring(fc: FileCheck, opts: Options) -> None:
    if fc.scenario is None or fc.scenario.scenario is None:
        return
    from scoring.lint_checks import diagnostics as scoring_checks
    from simulator.engine.loader import silence

    found = scoring_checks(fc.scenario.scenario, strict=opts.strict)
    if found:
        fc.diagnostics += silence(found, fc.raw, opts.ignore)


FILE_CHECKS: tuple[tuple[str, Callable[[FileCheck, Options], None]], ...] = (
    ("scenario", _scenario),
    ("activity", _activity),
    ("scoring", _scoring),
)


def _ids(files: list[FileCheck], opts: Options) -> list[Diagnostic]:
    from simulator.activities import lint as activity_lint
    from simulator.engine.loader import check_pack

    scenarios = [f.scenario for f in files if f.scenario is not None]
    activities = [f.activity for f in files if f.activity is not None]
    ids = {r.scenario_id: r.path for r in scenarios if r.scenario_id}
    return check_pack(scenarios) + activity_lint.check_pack(activities, ids)


def _typed(files: list[FileCheck], opts: Options) -> list[Diagnostic]:
    if not opts.typed:
        return []
    from simulator.matching.lint import typed_reply_warnings

    return list(typed_reply_warnings([f.scenario for f in files if f.scenario is not None]))


def _cues(files: list[FileCheck], opts: Options) -> list[Diagnostic]:
    """--strict, for each folder linted as a pack: the wording-cue audit (CT604)."""
    if not (opts.strict and opts.pack_folders):
        return []
    from scoring.lint_checks import pack_diagnostics
    from simulator.engine.loader import scenario_files, silence

    out: list[Diagnostic] = []
    by_path = {f.path: f for f in files}
    for folder in opts.pack_folders:
        in_folder = [by_path.get(str(p)) for p in scenario_files(folder)]
        pack = [
            f.scenario.scenario
            for f in in_folder
            if f is not None and f.scenario is not None and f.scenario.scenario is not None
        ]
        for path, found in pack_diagnostics(pack, folder).items():
            raw = by_path[path].raw if path in by_path else b""
            out += silence(found, raw, opts.ignore)
    return out


PACK_CHECKS: tuple[tuple[str, Callable[[list[FileCheck], Options], list[Diagnostic]]], ...] = (
    ("ids", _ids),
    ("typed", _typed),
    ("cues", _cues),
)


def check_source(raw: bytes, path: str, opts: Options = Options()) -> FileCheck:
    """Every per-file check on one file's bytes (an editor's buffer, or the file read)."""
    from simulator.activities.files import is_activity_text

    head = raw[:65536].decode("utf-8", "replace")
    fc = FileCheck(path, raw, is_activity_text(head))
    for _name, check in FILE_CHECKS:
        try:
            check(fc, opts)
        except Exception as exc:  # one check that breaks never hides the others' findings
            from simulator.engine.loader import make

            fc.diagnostics.append(
                make(path, 1, 1, "CT900", f"could not be checked ({type(exc).__name__})")
            )
    return fc


def check_path(path: Path, opts: Options = Options()) -> FileCheck:
    """Every per-file check on a file (an activity file's size and reading are the activity
    linter's own: CT501)."""
    from simulator.activities.files import is_activity_file
    from simulator.engine.checked import read_limited

    if is_activity_file(path):
        from simulator.activities.lint import check_file as check_activity

        fc = FileCheck(str(path), b"", True)
        fc.activity = check_activity(path, build_it=False)
        fc.diagnostics += fc.activity.diagnostics
        return fc
    raw, problem = read_limited(str(path))
    if raw is None:
        fc = FileCheck(str(path), b"", False)
        if problem is not None:
            fc.diagnostics.append(problem)
        return fc
    return check_source(raw, str(path), opts)


def check_files(paths: Iterable[Path], opts: Options = Options()) -> list[Diagnostic]:
    """Every check, per file then across the files, in file order then the pack's findings."""
    files = [check_path(p, opts) for p in paths]
    out = [d for f in files for d in f.diagnostics]
    for _name, check in PACK_CHECKS:
        out += check(files, opts)
    return out


# -- loading a file to use it: every command that needs a scenario loads it here ------------------
@dataclass(frozen=True)
class Loaded:
    """A file through the pipeline, for a command that uses what is in it (``test``, ``paths``,
    ``graph``, ``cues``, ``classroom``, ``play``): the scenario when the file is a conversation
    with no error, and the same diagnostics ``lint`` reports for it either way."""

    path: str
    is_activity: bool
    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def load(path: str | Path, opts: Options = Options()) -> Loaded:
    """Every per-file check on ``path``; the scenario when it is a conversation with no error
    (an activity is checked by its own rules and never comes back as a scenario)."""
    fc = check_path(Path(path), opts)
    scenario = fc.scenario.scenario if fc.scenario is not None else None
    if any(d.severity == "error" for d in fc.diagnostics):
        scenario = None
    return Loaded(str(path), fc.is_activity, scenario, tuple(fc.diagnostics))


def checked_bytes(raw: bytes, path: str) -> CheckResult:
    """The scenario's result as the pipeline gives it: what the cache keeps on a miss."""
    from simulator.engine.loader import CheckResult as Result
    from simulator.engine.loader import make

    fc = check_source(raw, path)
    if fc.is_activity:
        return Result(
            path,
            fc.diagnostics
            or [
                make(path, 1, 1, "CT900", "this is an activity, not a conversation; play it by id")
            ],
        )
    result = fc.scenario if fc.scenario is not None else Result(path, [])
    result.diagnostics = sorted(fc.diagnostics)
    if any(d.severity == "error" for d in fc.diagnostics):
        result.scenario = None
    return result


def check_cached(path: str | Path) -> CheckResult:
    """A scenario file checked by this pipeline, from the checked-scenario cache when the file
    and the checker are unchanged (engine/checked.py); a miss is checked here and kept."""
    from simulator.engine.checked import check_file_cached

    return check_file_cached(path, checked_bytes)
