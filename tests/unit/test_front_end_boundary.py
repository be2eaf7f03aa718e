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
