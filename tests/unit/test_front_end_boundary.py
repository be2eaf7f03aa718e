"""Front ends talk to the exercise service through its public, typed read models: no private
attribute of another object, no session, scenario or store (issue 27). Plain mode is the proof
that a front end needs nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Front ends already on the boundary. A new one (web/) joins this list.
ON_THE_BOUNDARY = sorted((ROOT / "simulator" / "plain").glob("*.py")) + [
    # web/: the pages and the API are; play.py and app.py also sign in and list a learner's
    # attempts and progress through the store, as serve does (docs/web.md)
    ROOT / "simulator" / "web" / "api.py",
    ROOT / "simulator" / "web" / "pages.py",
]
# The app's conversation and activity play (issue 27): the screens, their workflow and the
# adapter they share. The picker and progress map read the store (lists, grades), the classroom
# has its own lesson model (simulator/classroom), and preload.py checks the file ahead for the
# service (an opaque hand-over), so those are not here.
TUI = ROOT / "simulator" / "tui"
TUI_PLAY = [
    TUI / "controller.py",
    TUI / "play_flow.py",
    TUI / "messages.py",
    *sorted((TUI / "screens").glob("play*.py")),
    TUI / "screens" / "activity.py",
    TUI / "screens" / "debrief.py",
    TUI / "screens" / "did_you_mean.py",
    TUI / "widgets" / "choice_list.py",
    TUI / "widgets" / "chat.py",
    TUI / "widgets" / "coach.py",
]
# Names a TUI play module may import only for type annotations (under TYPE_CHECKING): the
# picker's saved attempt and the activity the command line loaded, handed through unchanged.
TYPES_ONLY = {"simulator.store": {"AttemptRecord"}, "simulator.activities.model": {"Activity"}}
# The command that resumes names a shipped scenario by its id (play_flow.resume_command).
TUI_ALLOWED = {"simulator.engine.loader": {"shipped_pack"}}
# What a front end may import from below it: the service and its views, and text helpers.
ALLOWED = (
    "simulator.exercise.service",
    "simulator.exercise.views",
    "simulator.exercise.kinds",
    "simulator.engine.text",
    "simulator.engine.templating",
    "simulator.engine.mood",
    "simulator.engine.i18n",  # the learner's language and the catalogue's words (a text helper)
    "simulator.matching.clean",  # clean_typed: a typed line as it is stored, to echo it
    "simulator.errors",
    "simulator.attempt",  # default_learner only (checked below)
    "simulator.activities.files",  # telling an activity file from a scenario, by its head
    "simulator.activities.run",  # LETTERS and parse_answer: how answers are typed
)


def _private_uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = node.value
            if node.attr.startswith("__") or (isinstance(owner, ast.Name) and owner.id == "self"):
                continue
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


@pytest.mark.parametrize("path", ON_THE_BOUNDARY, ids=lambda p: p.name)
def test_a_front_end_uses_no_private_attribute_of_another_object(path):
    assert _private_uses(ast.parse(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", ON_THE_BOUNDARY, ids=lambda p: p.name)
def test_a_front_end_imports_only_the_service_and_text_helpers(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mod = node.module
            if mod.startswith(("simulator.", "scoring")) and not mod.startswith("simulator.plain"):
                assert mod in ALLOWED, f"{path.name}:{node.lineno} imports {mod}"
                names = {a.name for a in node.names}
                if mod == "simulator.attempt":
                    assert names == {"default_learner"}, names
                assert not any(n.startswith("_") for n in names), names


def test_the_checker_finds_a_private_call():
    assert _private_uses(ast.parse("attempt._session().turns")) == ["line 1: ._session"]


def test_every_module_is_in_a_layer_of_the_import_contract():
    """lint-imports checks only the modules named in its layers: one left out (as serving,
    store_* and errors once were) could import anything."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    named = [m.strip() for layer in contract["layers"] for m in layer.replace("|", ":").split(":")]
    left_out = []
    for base in ("simulator", "scoring"):
        for f in sorted((ROOT / base).rglob("*.py")):
            parts = f.relative_to(ROOT).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if module == "simulator":
                continue
            if not any(module == n or module.startswith(n + ".") for n in named):
                left_out.append(module)
    assert left_out == []


def _type_checking_imports(tree: ast.AST) -> set[int]:
    """The line numbers of imports inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for inner in node.body:
                for sub in ast.walk(inner):
                    if isinstance(sub, ast.ImportFrom):
                        lines.add(sub.lineno)
    return lines


@pytest.mark.parametrize("path", TUI_PLAY, ids=lambda p: p.name)
def test_the_app_plays_through_the_service_alone(path):
    """The app's play screens import the service, its views and text helpers, and nothing that
    plays or records an exercise by itself (no Attempt, no session, no store writes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _private_uses(tree) == []
    typing_only = _type_checking_imports(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mod = node.module
            if not mod.startswith(("simulator.", "scoring")) or mod.startswith("simulator.tui"):
                continue
            names = {a.name for a in node.names}
            where = f"{path.name}:{node.lineno} imports {mod} {sorted(names)}"
            if mod in TYPES_ONLY and node.lineno in typing_only:
                assert names <= TYPES_ONLY[mod], where
            elif mod in TUI_ALLOWED:
                assert names <= TUI_ALLOWED[mod], where
            else:
                assert mod in ALLOWED, where
                if mod == "simulator.attempt":
                    assert names == {"default_learner"}, where


STORE_WRITES = (
    "start_attempt",
    "record_choice",
    "finish_attempt",
    "abandon_attempt",
    "truncate_choices",
)


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "simulator" / "tui").rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT / "simulator" / "tui")),
)
def test_the_app_writes_the_store_only_through_the_service(path):
    """No module of the app records an attempt itself: the exercise service does (the
    classroom's team runs too: simulator/classroom plays them through the service)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        f"line {n.lineno}: {n.func.attr}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in STORE_WRITES
    ]
    assert calls == []


# -- issue 27's done-when, as tests over every module --------------------------------------------
# The front ends: each is a package (or a module) of its own. A name starting with "_" is private
# to the package it is in; a front end that used one from another package would break whenever
# that package changed inside.
FRONT_ENDS = (
    "simulator/tui",
    "simulator/web",
    "simulator/plain",
    "simulator/classroom/web",
    "simulator/serving",
    "simulator/lti",
    "simulator/commands",
    "simulator/lsp",
    "simulator/cli.py",
    "simulator/__main__.py",
)


def _front_end_files() -> list[tuple[str, Path]]:
    out = []
    for front in FRONT_ENDS:
        p = ROOT / front
        own = front.removesuffix(".py").replace("/", ".")
        out += [(own, f) for f in ([p] if p.suffix == ".py" else sorted(p.rglob("*.py")))]
    return out


def _private_imports(tree: ast.AST, module: str, own: str) -> list[str]:
    """`_`-prefixed names this module takes from outside its own package ``own``: imported by
    name (``from x import _y``) or reached through an imported module or class (``x._y``)."""
    package = module.split(".")
    found, imported = [], {}

    def outside(target: str) -> bool:
        return not (target == own or target.startswith(own + "."))

    def private(name: str) -> bool:
        return name.startswith("_") and not name.startswith("__")

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package this module is in
                up = package[: len(package) - node.level]
                base = ".".join(up + ([node.module] if node.module else []))
            if not outside(base):
                continue
            for a in node.names:
                if private(a.name):
                    found.append(f"line {node.lineno}: from {base} import {a.name}")
                imported[a.asname or a.name] = f"{base}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if outside(a.name):
                    imported[a.asname or a.name.split(".")[0]] = a.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported
            and private(node.attr)
        ):
            found.append(f"line {node.lineno}: {imported[node.value.id]}.{node.attr}")
    return found


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize(
    "own, path", _front_end_files(), ids=lambda x: x if isinstance(x, str) else x.name
)
def test_no_front_end_takes_a_private_name_from_another_package(own, path):
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # A package's __init__ resolves relative imports from itself: give it one more part.
    found = _private_imports(tree, package + ".x", own)
    assert found == [], f"{path.relative_to(ROOT)}: {found}"


def test_the_private_name_checker_finds_both_ways_in():
    src = (
        "from simulator.classroom import debrief as d\n"
        "from simulator.store.core import _rows\n"
        "from .text import _mine\n"
        "d._grade(1)\n"
    )
    found = _private_imports(ast.parse(src), "simulator.tui.screens.x", "simulator.tui")
    assert found == [
        "line 2: from simulator.store.core import _rows",
        "line 4: simulator.classroom.debrief._grade",
    ]


def test_every_module_named_in_the_import_contract_exists():
    """A layer naming a module that was moved or renamed checks nothing for it."""
    import importlib.util
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        names = [m.strip() for layer in contract.get("layers", []) for m in layer.split(":")]
        names += contract.get("source_modules", [])
        for name in names:
            for part in name.split("|"):
                assert importlib.util.find_spec(part.strip()) is not None, part


ATTEMPT_WRITERS = {"simulator.store", "simulator.exercise"}


@pytest.mark.parametrize(
    "path",
    [*sorted((ROOT / "simulator").rglob("*.py")), *sorted((ROOT / "scoring").rglob("*.py"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_attempts_are_written_only_by_the_store_through_the_exercise_service(path):
    """Issue 27: the store is written only by the store package, through the exercise service
    (its one recording policy, simulator/exercise/recording.py). No other module — a front end,
    the classroom, the attempt service — starts, records, truncates, finishes or abandons an
    attempt itself."""
    module = _module_of(path)
    if any(module == w or module.startswith(w + ".") for w in ATTEMPT_WRITERS):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        f"line {n.lineno}: {n.func.attr}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in STORE_WRITES
    ]
    assert calls == []


def test_the_play_screen_stays_small():
    """The workflow lives in the service and tui/controller.py, not in the screen (issue 27:
    it was 813 lines)."""
    lines = (TUI / "screens" / "play.py").read_text(encoding="utf-8").count("\n")
    assert lines < 400, lines
