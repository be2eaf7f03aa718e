"""Work counted, not timed: the fixes behind the speed figures in benchmarks/ stay fixed.

Each test counts what a slow path would do (calls into PyYAML's Python resolver, collections run
during a lint) so it fails the same way on a busy machine and a quiet one.
"""

from __future__ import annotations

import gc
import random
import sys
import threading
from pathlib import Path

import yaml

from simulator.engine import yamlpos

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from gen import big_scenario  # noqa: E402


def _tags(node: yaml.Node, out: list[tuple[str, str, object]]) -> list[tuple[str, str, object]]:
    value = node.value if isinstance(node, yaml.ScalarNode) else None
    out.append((type(node).__name__, node.tag, value))
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _tags(item, out)
    elif isinstance(node, yaml.MappingNode):
        for key, item in node.value:
            _tags(key, out)
            _tags(item, out)
    return out


def _compose(text: str, loader: type) -> object:
    try:
        return _tags(yaml.compose(text, Loader=loader), [])
    except yaml.YAMLError as exc:
        return type(exc).__name__


SCALARS = [
    "", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "y", "n", "Y", "N", "true",
    "False", "1", "-1", "+1.5", "1e3", ".inf", "-.Inf", ".nan", "NaN", "0x1F", "0o17", "0b101",
    "1_000", "12:30", "2024-01-01", "2024-01-01 10:00:00", "<<", "=", "text", "note", "turn",
    "feedback", "off-script", "none of that", "Tuesday", "0800 123 456", "£20", "-", "nope",
]  # fmt: skip


def test_the_loader_resolves_every_tag_as_pyyaml_does():
    rng = random.Random(29)
    docs = [big_scenario(20)]
    docs += [f"a: {w}\nb: [{w}, '{w}']\n" for w in SCALARS if w != "-"]
    docs += [f"{w}: 1\n" for w in SCALARS if w not in ("", "-", "~", "<<")]
    for _ in range(500):
        word = "".join(rng.choice("yYnNtTfFoO0123456789+-._~:eExXbB <=aZ") for _ in range(6))
        docs.append(f"k: [{word.strip()}]\n")
    for text in docs:
        assert _compose(text, yamlpos._Loader) == _compose(text, yamlpos._BaseLoader), text


def test_composing_a_scenario_rarely_asks_pyyamls_python_resolver(monkeypatch):
    """libyaml asks the loader for every node's tag; PyYAML's answer is Python that tries its
    patterns each time (~10,000 calls for a 200-state file). Plain text needs no pattern, and a
    key such as `text:` is resolved once."""
    calls = []
    real = yaml.resolver.BaseResolver.resolve

    def counting(self, kind, value, implicit):
        calls.append(value)
        return real(self, kind, value, implicit)

    monkeypatch.setattr(yaml.resolver.BaseResolver, "resolve", counting)
    monkeypatch.setattr(yamlpos._Loader, "_plain", {})
    root = yaml.compose(big_scenario(200), Loader=yamlpos._Loader)
    nodes = len(_tags(root, []))
    assert nodes > 9000
    assert len(calls) < 100, f"{len(calls)} calls into PyYAML's resolver for {nodes} nodes"


def test_the_remembered_tags_stay_bounded(monkeypatch):
    monkeypatch.setattr(yamlpos._Loader, "_plain", {})
    many = "".join(f"- {n}\n- n{n}\n- {'t' * 200}{n}\n" for n in range(6000))
    yaml.compose(many, Loader=yamlpos._Loader)
    assert len(yamlpos._Loader._plain) <= yamlpos._Loader._PLAIN_MAX
    assert all(len(k) <= yamlpos._Loader._PLAIN_LONGEST for k in yamlpos._Loader._plain)


def test_the_language_server_lints_with_the_collector_paused(monkeypatch):
    from simulator.lsp import server

    seen = []
    monkeypatch.setattr(server, "diagnostics_for", lambda source, path: seen.append(gc.isenabled()))
    assert gc.isenabled()
    server._checked("x: 1\n", "a.yaml")
    assert seen == [False] and gc.isenabled()


def test_the_collector_resumes_only_after_the_last_of_two_overlapping_lints(monkeypatch):
    from simulator.lsp import server

    first_in, release = threading.Event(), threading.Event()
    seen = []

    def slow(source, path):
        first_in.set()
        release.wait(5)
        seen.append(gc.isenabled())

    monkeypatch.setattr(server, "diagnostics_for", slow)
    t = threading.Thread(target=server._checked, args=("a", "a.yaml"))
    t.start()
    first_in.wait(5)
    monkeypatch.setattr(server, "diagnostics_for", lambda s, p: seen.append(gc.isenabled()))
    server._checked("b", "b.yaml")  # ends while the first is still running
    assert seen == [False] and not gc.isenabled()
    release.set()
    t.join(5)
    assert seen == [False, False] and gc.isenabled()


def test_a_failing_lint_still_resumes_the_collector(monkeypatch):
    from simulator.lsp import server

    def broken(source, path):
        raise ValueError("boom")

    monkeypatch.setattr(server, "diagnostics_for", broken)
    try:
        server._checked("x", "a.yaml")
    except ValueError:
        pass
    assert gc.isenabled()
