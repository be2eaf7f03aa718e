"""`countertalk graph`: every state drawn, labels escaped for each format, the best path shown."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine.loader import check_bytes, load_scenario, scenario_files
from simulator.tooling import graph

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
GOLDEN = ROOT / "tests" / "golden" / "graph"
SHIPPED = scenario_files(ROOT / "scenarios")
HAS_DOT = shutil.which("dot") is not None

# Scenario text is untrusted: every character that means something to Mermaid, DOT, HTML,
# Textual markup or a terminal, in state ids, lines, choices, roles and conditions.
HOSTILE = r"""
id: hostile
title: "Quote \" and <b>bold</b> \\N %% ; %%{init: {'theme': 'dark'}}%%"
topic: complaint
summary: s
learner_role: r
customer: {name: "Eve [@click=app.quit]"}
vars: {x: 1}
start: "a\"]-->b"
rules:
  - if: "mood < 5 and vars.x > 0"
    goto: "end"
states:
  "a\"]-->b":
    say: "He said \"hi\" <script>alert(1)</script> # ; | } { ] [ `code` \\G \e[31mred\e[0m\nsecond line"
    choices:
      - text: "A|B\"]; click a call evil() %% {{ vars.x }} <br/> & &amp; #quot;"
        goto: "end"
        escalate: "sup\"er|visor<i>"
        feedback: f
      - text: "[bold red]markup[/] \\l \\\\ \"quoted\"\nnew line"
        goto: "end"
        if: "vars.x > 0 and mood < 100"
        feedback: f
  "end":
    end: lost
    say: "}}]) )) ]]"
"""


def hostile():
    result = check_bytes(textwrap.dedent(HOSTILE).encode(), "hostile.yaml")
    assert result.scenario is not None, [str(d) for d in result.diagnostics]
    return result.scenario


def draw(path: Path, *extra: str, capsys) -> str:
    assert main(["graph", str(path), *extra]) == 0
    return capsys.readouterr().out


# -- golden files --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,suffix", [("mermaid", "mmd"), ("dot", "dot")])
def test_golden_output_for_the_kettle(fmt, suffix, capsys):
    out = draw(KETTLE, "--format", fmt, capsys=capsys)
    golden = GOLDEN / f"kettle.{suffix}"
    assert out == golden.read_text(encoding="utf-8"), (
        f"graph output changed; if intended, regenerate with: countertalk graph "
        f"tests/fixtures/kettle.yaml --format {fmt} -o {golden.relative_to(ROOT)}"
    )


# -- structure: a small parser for each format ---------------------------------------------------
MM_NODE = re.compile(
    r'^  (?P<key>\w+)(?P<open>\(\(|\(\[|\{\{|\[/|\[\[|\[|\{)"(?P<label>[^"]*)"'
    r"(?P<close>\)\)|\]\)|\}\}|/\]|\]\]|\]|\})$"
)
MM_EDGE = re.compile(
    r'^  (?P<src>\w+) (?P<arrow>-->|==>|-\.->)(?:\|"(?P<label>[^"|]*)"\|)? '
    r"(?P<dst>\w+)$"
)
MM_OTHER = re.compile(
    r"^(%%.*|flowchart TD|  classDef \w+ [^;\n]+|  class [\w,]+ \w+|"
    r"  linkStyle [\d,]+ [^;\n]+)$"
)
ENTITY = re.compile(r"#(\d+);")


def parse_mermaid(text: str):
    nodes, edges = {}, []
    for line in text.splitlines():
        if m := MM_NODE.match(line):
            nodes[m["key"]] = (m["open"], m["label"])
        elif m := MM_EDGE.match(line):
            edges.append((m["src"], m["arrow"], m["label"], m["dst"]))
        else:
            assert MM_OTHER.match(line), f"unexpected Mermaid line: {line!r}"
    return nodes, edges


def mm_text(label: str) -> str:
    """What a Mermaid label shows: entity codes decoded, <br/> as a newline."""
    return ENTITY.sub(lambda m: chr(int(m[1])), label.replace("<br/>", "\n"))


DOT_STRING = r'"(?:[^"\\]|\\.)*"'
DOT_NODE = re.compile(r"^  (?P<key>\w+) \[(?P<attrs>.*)\];$")
DOT_EDGE = re.compile(r"^  (?P<src>\w+) -> (?P<dst>\w+)(?: \[(?P<attrs>.*)\])?;$")
DOT_ATTR = re.compile(rf"(\w+)=({DOT_STRING}|[\w.#-]+)")


def dot_attrs(text: str) -> dict:
    attrs = {}
    rest = DOT_ATTR.sub(lambda m: attrs.__setitem__(m[1], m[2]) or "", text or "")
    assert set(rest) <= {",", " "}, f"unparsed DOT attributes: {rest!r}"
    return attrs


def dot_unquote(s: str) -> str:
    assert s.startswith('"') and s.endswith('"')
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], s[1:-1])


def parse_dot(text: str):
    lines = text.splitlines()
    assert lines[-1] == "}"
    nodes, edges = {}, []
    for line in lines:
        if m := DOT_EDGE.match(line):
            edges.append((m["src"], m["dst"], dot_attrs(m["attrs"])))
        elif (m := DOT_NODE.match(line)) and m["key"] not in ("graph", "node", "edge"):
            nodes[m["key"]] = dot_attrs(m["attrs"])
    return nodes, edges


def _files():
    return [KETTLE, *SHIPPED]


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_mermaid_has_every_state_and_choice_of_every_shipped_scenario(path, capsys):
    sc = load_scenario(path)
    nodes, edges = parse_mermaid(draw(path, "--no-best", capsys=capsys))
    drawn = {mm_text(label).split("\n")[0] for _open, label in nodes.values()}
    assert set(sc.states) <= drawn
    n_choices = sum(len(st.choices) for st in sc.states.values())
    assert len(edges) == 1 + n_choices + len(sc.rules)
    for src, _arrow, _label, dst in edges:
        assert src in nodes and dst in nodes


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_dot_has_every_state_and_choice_of_every_shipped_scenario(path, capsys):
    sc = load_scenario(path)
    nodes, edges = parse_dot(draw(path, "--format", "dot", "--no-best", capsys=capsys))
    drawn = {dot_unquote(a["label"]).split("\n")[0]: a for a in nodes.values()}
    assert set(sc.states) <= set(drawn)
    for sid, st in sc.states.items():
        if st.end:
            assert drawn[sid]["shape"] == graph.OUTCOME_STYLE[st.end][2]
    assert len(edges) == 1 + sum(len(st.choices) for st in sc.states.values()) + len(sc.rules)


def test_endings_are_shaped_and_coloured_by_outcome():
    g = graph.build(load_scenario(KETTLE))
    nodes, _ = parse_mermaid(graph.to_mermaid(g))
    mm = graph.to_mermaid(g)
    by_state = {
        mm_text(label).split("\n")[0]: (key, open_) for key, (open_, label) in nodes.items()
    }
    for state, outcome in [
        ("refunded", "resolved"),
        ("manager_called", "escalated"),
        ("repair_only", "unresolved"),
        ("walks_out", "lost"),
    ]:
        key, open_ = by_state[state]
        assert open_ == graph.OUTCOME_STYLE[outcome][0]
        assert re.search(rf"^  class (\w+,)*{key}(,\w+)* {outcome}$", mm, re.M)
    assert by_state["opening"][1] == "["


def test_choice_labels_carry_text_behaviours_mistakes_escalation_and_law(capsys):
    _, edges = parse_mermaid(draw(KETTLE, capsys=capsys))
    labels = [mm_text(label) for _s, _a, label, _d in edges if label]
    assert any(
        lbl.startswith(("1 · I'm sorry", "★ 1 · I'm sorry"))
        and "+ acknowledge, apologise, hear" in lbl
        for lbl in labels
    )
    assert any("✗ premature_escalation" in lbl and "↑ supervisor" in lbl for lbl in labels)
    assert any(
        "§ consumer_rights_act_2015 ✗" in lbl and "if: not vars.receipt_asked" in lbl
        for lbl in labels
    )


def test_best_path_from_the_path_analysis_is_highlighted(capsys):
    from scoring.paths import analyse

    sc = load_scenario(KETTLE)
    best = analyse(sc)["best"]["choices"]
    assert best
    g = graph.build(sc, best)
    best_edges = [e for e in g.edges if e.kind == "choice" and e.best]
    assert [e.choice_id for e in best_edges] == list(best)
    mm = draw(KETTLE, capsys=capsys)
    _, edges = parse_mermaid(mm)
    thick = [i for i, (_s, arrow, _l, _d) in enumerate(edges) if arrow == "==>"]
    assert len(thick) == len(best) + 1  # + the arrow into the start state
    assert re.search(rf"^  linkStyle {','.join(map(str, thick))} ", mm, re.M)
    assert all(mm_text(edges[i][2]).startswith("★") for i in thick[1:])
    _, dot_edges = parse_dot(draw(KETTLE, "--format", "dot", capsys=capsys))
    assert sum("penwidth" in attrs for *_sd, attrs in dot_edges) == len(best) + 1
    plain = draw(KETTLE, "--no-best", capsys=capsys)
    assert "==>" not in plain and "★ " not in plain.split("flowchart", 1)[1]


# -- escaping untrusted text ---------------------------------------------------------------------
def test_mermaid_escapes_everything_that_could_break_out_of_a_label():
    sc = hostile()
    mm = graph.to_mermaid(graph.build(sc))
    nodes, edges = parse_mermaid(mm)  # every line still parses: nothing broke out
    labels = [label for _o, label in nodes.values()] + [e[2] for e in edges if e[2]]
    for label in labels:
        bare = ENTITY.sub("", label.replace("<br/>", ""))
        assert not re.search(r'[<>"`|{}\[\];&#%]', bare), label
        assert "\x1b" not in label
    shown = "\n".join(mm_text(lbl) for lbl in labels)
    assert 'a"]-->b' in shown  # the state id, intact, as text
    assert "<script>" in shown  # shown literally, never as HTML
    assert "[bold red]markup[/]" in shown
    assert "red" in shown and "\x1b" not in shown  # terminal colour codes removed
    assert "click a call evil()" in shown  # still text inside a label, not a statement
    header = mm.split("flowchart TD")[0]
    assert all(line.startswith("%%") for line in header.splitlines())
    assert "%%{" not in mm  # no directive smuggled in via the title


def test_dot_escapes_quotes_backslashes_and_newlines():
    sc = hostile()
    dot = graph.to_dot(graph.build(sc))
    nodes, edges = parse_dot(dot)
    assert len(nodes) == len(sc.states) + 1 + len(sc.rules)
    labels = [dot_unquote(a["label"]) for a in nodes.values()] + [
        dot_unquote(a["label"]) for *_sd, a in edges if "label" in a
    ]
    shown = "\n".join(labels)
    assert 'a"]-->b' in shown and "\\l" in shown and "\\\\" in shown
    title = re.search(rf"^  graph \[.*label=({DOT_STRING})\];$", dot, re.M)[1]
    assert dot_unquote(title) == "Quote \" and <b>bold</b> \\N %% ; %%{init: {'theme': 'dark'}}%%"
    for line in dot.splitlines()[2:]:
        assert line.startswith(("  ", "digraph", "}")), line  # no line escaped its string


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed")
def test_svg_of_hostile_text_is_well_formed_and_shows_it_literally(tmp_path, capsys):
    src = tmp_path / "hostile.yaml"
    src.write_text(textwrap.dedent(HOSTILE), encoding="utf-8")
    out = tmp_path / "h.svg"
    assert main(["graph", str(src), "--format", "svg", "-o", str(out)]) == 0
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    texts = "\n".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert 'a"]-->b' in texts and "<script>alert(1)</script>" in texts
    assert not [e for e in root.iter() if e.tag.endswith("script")]


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed")
def test_svg_to_stdout_has_every_state(capsys):
    sc = load_scenario(KETTLE)
    assert main(["graph", str(KETTLE), "--format", "svg"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    texts = {t.text for t in root.iter() if t.tag.endswith("text")}
    assert set(sc.states) <= texts


def test_svg_without_graphviz_says_how_to_install_it(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    out = tmp_path / "k.svg"
    assert main(["graph", str(KETTLE), "--format", "svg", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "apt-get install graphviz" in err and "brew install graphviz" in err
    assert "--format mermaid" in err and "Traceback" not in err
    assert not out.exists()


def test_graph_by_id_from_a_pack_and_to_a_file(tmp_path, capsys):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "k.yaml").write_text(KETTLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "k.mmd"
    assert main(["graph", "kettle-day12", "--pack", str(pack), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (GOLDEN / "kettle.mmd").read_text(encoding="utf-8")


def test_errors_are_one_clear_line(tmp_path, capsys):
    assert main(["graph", "no-such-id", "--pack", str(tmp_path)]) == 2
    assert "no scenario with id 'no-such-id'" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        KETTLE.read_text(encoding="utf-8").replace("goto: refunded", "goto: refundd"), "utf-8"
    )
    assert main(["graph", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "did you mean 'refunded'" in err and "Traceback" not in err


def test_graph_never_imports_the_ui():
    code = (
        "import sys, io, contextlib; from simulator.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['graph', {str(KETTLE)!r}, '--format', 'dot']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
        )
        .stdout.strip()
        .splitlines()
    )
    assert out[-1] == "[]"
