"""The engine lints against the scorer's marking data without reaching for it (issue 27, item
5): the data is read by scoring/vocabulary.py and handed to the engine as a typed Vocabulary by
the program's root, so the dependency is visible to the import contracts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from simulator.engine import vocabulary
from simulator.engine.loader import check_bytes
from tests.unit.test_lint_rules import BASE

ROOT = Path(__file__).resolve().parents[2]


def test_no_engine_module_names_the_scoring_package():
    found = []
    for f in sorted((ROOT / "simulator" / "engine").rglob("*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scoring"):
                found.append(f"{f.name}:{node.lineno} imports {node.module}")
            if isinstance(node, ast.Import) and any(
                a.name.startswith("scoring") for a in node.names
            ):
                found.append(f"{f.name}:{node.lineno} imports scoring")
            if isinstance(node, ast.Constant) and node.value == "scoring":
                parent_calls = [
                    n
                    for n in ast.walk(tree)
                    if isinstance(n, ast.Call) and node in ast.walk(n) and _looks_up(n)
                ]
                if parent_calls:
                    found.append(f"{f.name}:{node.lineno} looks the scoring package up")
    assert found == []


def _looks_up(call: ast.Call) -> bool:
    name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
    return name in ("files", "find_spec", "import_module")


@pytest.fixture
def own_vocabulary():
    """A vocabulary of the test's own, then the program's again."""
    yield
    import simulator

    simulator._provide()


def test_lint_checks_names_against_the_vocabulary_it_was_given(own_vocabulary):
    def unknown_names() -> list[str]:
        return [
            d.message
            for d in check_bytes(BASE.encode(), "v.yaml").diagnostics
            if "acknowledge" in d.message or "'rude'" in d.message
        ]

    assert unknown_names() == []  # the scorer's catalogue has both
    vocabulary.provide(
        lambda: vocabulary.Vocabulary(
            catalogue={"behaviours": {}, "mistakes": {}}, models=(), laws={}
        )
    )
    assert vocabulary.behaviour_ids() == frozenset()
    assert vocabulary.model_ids() == vocabulary.BUILTIN_MODELS
    assert len(unknown_names()) == 2  # BASE's `shows: [acknowledge]` and `mistakes: [rude]`


def test_without_a_vocabulary_lint_says_what_to_do(own_vocabulary):
    vocabulary.provide(None)
    with pytest.raises(LookupError, match="provide"):
        vocabulary.current()
