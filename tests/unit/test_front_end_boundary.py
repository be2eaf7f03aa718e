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
    classroom's team attempts are recorded by simulator/classroom, under the app)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        f"line {n.lineno}: {n.func.attr}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in STORE_WRITES
    ]
    assert calls == []
