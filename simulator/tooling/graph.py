"""Draw a scenario as a graph: Mermaid (no binary needed), Graphviz DOT, or SVG through `dot`.

States are boxes labelled with their id and the start of the customer's line; endings are shaped
and coloured by outcome; each choice is an arrow labelled with its number, shortened text,
behaviours (+), mistakes (✗), escalation (↑) and law marks (§); rules are dashed arrows from a
diamond; the best path (from `scoring.paths`) is drawn thick and starred.

Scenario text is untrusted: it may hold quotes, brackets, `#`, `;`, HTML-ish tags, newlines or
markup. Each writer escapes it for its own syntax (Mermaid entity codes, DOT string escapes), and
our own line breaks are the only ones that reach the output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.engine.model import Scenario

OUTCOME_STYLE = {
    # outcome: (mermaid open, mermaid close, dot shape, fill, stroke)
    "resolved": ("([", "])", "ellipse", "#c8e6c9", "#2e7d32"),
    "escalated": ("{{", "}}", "hexagon", "#bbdefb", "#1565c0"),
    "unresolved": ("[/", "/]", "parallelogram", "#ffe0b2", "#ef6c00"),
    "lost": ("[[", "]]", "doubleoctagon", "#ffcdd2", "#c62828"),
}
BEST_COLOUR = "#6a1b9a"
TEXT_WIDTH = 38  # characters of a choice's text kept in its label
LINE_WIDTH = 44  # characters of a customer's line kept in a state's label


@dataclass
class Node:
    key: str  # a safe identifier for the writers (s0, s1, ...)
    state: str
    outcome: str | None
    line: str  # the customer's (first) line, shortened
    best: bool = False


@dataclass
class Edge:
    src: str
    dst: str
    kind: str  # "start" | "choice" | "rule"
    label: list[str] = field(default_factory=list)  # lines of scenario text (unescaped)
    choice_id: str | None = None
    best: bool = False


@dataclass
class Graph:
    scenario_id: str
    title: str
    nodes: list[Node]
    edges: list[Edge]
    rules: list[tuple[str, str]]  # (key, condition) of each rule's diamond


def clean(text: str | None) -> str:
    """Untrusted text made one plain line: terminal controls and control characters gone,
    whitespace collapsed."""
    from simulator.engine.templating import plain

    text = plain(text or "")
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in text)
    return " ".join(text.split())


_EXPR = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)


def readable(text: str | None) -> str:
    """A template made readable in a small label: {{ vars.days }} -> ‹days›, tags dropped."""
    text = text or ""
    if "{" not in text:
        return text
    text = _EXPR.sub(lambda m: "‹" + re.sub(r"^vars\.", "", m.group(1)) + "›", text)
    return _TAG.sub("", text)


def shorten(text: str | None, width: int) -> str:
    text = clean(text)
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-") + "…"


def best_path(scenario: Scenario) -> tuple[list[str], str | None]:
    """The best path's choice ids and ending, from the analysis `countertalk paths` prints."""
    from scoring.paths import analyse

    best = analyse(scenario).get("best") or {}
    return list(best.get("choices") or ()), best.get("ending")


def build(
    scenario: Scenario, best: list[str] | tuple[str, ...] = (), best_ending: str | None = None
) -> Graph:
    """The drawing's nodes and edges. `best`: choice ids of the best path (drawn thick);
    `best_ending`: where it ends (else the last best choice's goto)."""
    best_set = set(best)
    keys = {sid: f"s{i}" for i, sid in enumerate(scenario.states)}
    best_states = set()
    last_goto = None
    for cid in best:
        try:
            sid, _i, ch = scenario.find_choice(cid)
        except KeyError:
            continue
        best_states.add(sid)
        last_goto = ch.goto
    if best_states:
        best_states.add(scenario.start)
        end = best_ending if best_ending in scenario.states else last_goto
        if end:
            best_states.add(end)
    nodes = []
    for sid, st in scenario.states.items():
        if isinstance(st.say, list):  # variants: the first stands for them all
            say = st.say[0] if st.say else None
        else:
            say = st.say
        nodes.append(
            Node(keys[sid], sid, st.end, shorten(readable(say), LINE_WIDTH), sid in best_states)
        )
    edges = [Edge("start0", keys[scenario.start], "start", best=bool(best_states))]
    for sid, st in scenario.states.items():
        for i, ch in enumerate(st.choices):
            cid = scenario.choice_id(sid, i)
            on_best = cid in best_set
            number = cid if ch.id else str(i + 1)
            label = [
                ("★ " if on_best else "")
                + shorten(number, 16)
                + " · "
                + shorten(readable(ch.text), TEXT_WIDTH)
            ]
            if ch.if_:
                label.append("if: " + shorten(ch.if_, TEXT_WIDTH))
            if ch.shows:
                label.append("+ " + ", ".join(ch.shows))
            if ch.mistakes:
                label.append("✗ " + ", ".join(ch.mistakes))
            if ch.escalate:
                label.append("↑ " + shorten(ch.escalate, TEXT_WIDTH))
            label += [
                f"§ {law} {'✓' if verdict == 'right' else '✗'}" for law, verdict in ch.law.items()
            ]
            # Every line is escaped by the writer, catalogue ids included.
            edges.append(
                Edge(keys[sid], keys[ch.goto], "choice", label=label, choice_id=cid, best=on_best)
            )
    rules = []
    for i, rule in enumerate(scenario.rules):
        key = f"r{i}"
        rules.append((key, shorten(rule.if_, TEXT_WIDTH)))
        edges.append(Edge(key, keys[rule.goto], "rule", label=["after any choice"]))
    return Graph(scenario.id, clean(scenario.title), nodes, edges, rules)


# -- Mermaid ------------------------------------------------------------------------------------
_MERMAID_SAFE = re.compile(r"[\w .,!?'/:()+\-·★✗✓↑§…‹›“”‘’—–£€]", re.UNICODE)


def mermaid_escape(text: str) -> str:
    """Text for inside a Mermaid "quoted" label: anything that could end the string, start an
    entity, or read as HTML/markdown becomes a numeric entity code (#60; for '<')."""
    return "".join(ch if _MERMAID_SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in text)


def to_mermaid(graph: Graph) -> str:
    # Mermaid reads %%{...}%% directives even inside comments: keep %, { and } out of them.
    title = re.sub(r"[%{}]", " ", graph.title)
    out = [
        f"%% countertalk graph: {graph.scenario_id} — {title}",
        "%% ★ and thick arrows: the best path. Endings: ([resolved]) {{escalated}} "
        "[/unresolved/] [[lost]].",
        "flowchart TD",
    ]
    out.append('  start0(("start"))')
    for n in graph.nodes:
        label = mermaid_escape(n.state)
        if n.outcome:
            label += "<br/>" + mermaid_escape(f"({n.outcome})")
        if n.line:
            label += "<br/>" + mermaid_escape(f"“{n.line}”")
        open_, close = OUTCOME_STYLE[n.outcome][:2] if n.outcome else ("[", "]")
        out.append(f'  {n.key}{open_}"{label}"{close}')
    for key, cond in graph.rules:
        out.append(f'  {key}{{"{mermaid_escape("rule: if " + cond)}"}}')
    best_links = []
    for i, e in enumerate(graph.edges):
        if e.kind == "rule":
            arrow = "-.->"
        elif e.best:
            arrow = "==>"
            best_links.append(i)
        else:
            arrow = "-->"
        if e.label:
            text = "<br/>".join(mermaid_escape(line) for line in e.label)
            out.append(f'  {e.src} {arrow}|"{text}"| {e.dst}')
        else:
            out.append(f"  {e.src} {arrow} {e.dst}")
    out.append("  classDef start fill:#eeeeee,stroke:#616161")
    out.append("  classDef rule fill:#fff9c4,stroke:#f9a825")
    for outcome, (_o, _c, _shape, fill, stroke) in OUTCOME_STYLE.items():
        out.append(f"  classDef {outcome} fill:{fill},stroke:{stroke},stroke-width:2px")
    out.append(f"  classDef best stroke:{BEST_COLOUR},stroke-width:3px")
    out.append("  class start0 start")
    if graph.rules:
        out.append("  class " + ",".join(k for k, _ in graph.rules) + " rule")
    for outcome in OUTCOME_STYLE:
        keys = [n.key for n in graph.nodes if n.outcome == outcome]
        if keys:
            out.append(f"  class {','.join(keys)} {outcome}")
    best_nodes = [n.key for n in graph.nodes if n.best]
    if best_nodes:
        out.append(f"  class {','.join(best_nodes)} best")
    if best_links:
        out.append(
            f"  linkStyle {','.join(map(str, best_links))} stroke:{BEST_COLOUR},stroke-width:4px"
        )
    return "\n".join(out) + "\n"


# -- Graphviz DOT -------------------------------------------------------------------------------
def dot_escape(text: str) -> str:
    """Text for inside a DOT "quoted" string: backslashes (which start DOT's own \\n, \\N, \\G
    escapes) and quotes are escaped; `clean` has already removed newlines."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_label(lines: list[str]) -> str:
    return "\\n".join(dot_escape(line) for line in lines)


def to_dot(graph: Graph) -> str:
    out = [
        f"// countertalk graph: {graph.scenario_id}",
        "// ★ and thick arrows: the best path; endings are shaped and coloured by outcome.",
        f'digraph "{dot_escape(graph.scenario_id)}" {{',
        f'  graph [rankdir=TB, labelloc=t, fontname="Helvetica", '
        f'label="{dot_escape(graph.title)}"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", '
        'fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  start0 [shape=circle, label="start", fillcolor="#eeeeee", fontsize=9];',
    ]
    for n in graph.nodes:
        lines = (
            [n.state]
            + ([f"({n.outcome})"] if n.outcome else [])
            + ([f"“{n.line}”"] if n.line else [])
        )
        attrs = [f'label="{_dot_label(lines)}"']
        if n.outcome:
            _o, _c, shape, fill, stroke = OUTCOME_STYLE[n.outcome]
            attrs += [
                f"shape={shape}",
                'style="filled"',
                f'fillcolor="{fill}"',
                f'color="{stroke}"',
            ]
        if n.best:
            attrs += [f'color="{BEST_COLOUR}"', "penwidth=2.5"]
        out.append(f"  {n.key} [{', '.join(attrs)}];")
    for key, cond in graph.rules:
        out.append(
            f'  {key} [shape=diamond, style="filled", fillcolor="#fff9c4", '
            f'label="{_dot_label(["rule: if " + cond])}"];'
        )
    for e in graph.edges:
        attrs = []
        if e.label:
            attrs.append(f'label="{_dot_label(e.label)}"')
        if e.kind == "rule":
            attrs.append("style=dashed")
        if e.best:
            attrs += [f'color="{BEST_COLOUR}"', "penwidth=3"]
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        out.append(f"  {e.src} -> {e.dst}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


class GraphvizMissing(Exception):
    """`dot` is not installed."""


def to_svg(dot_source: str, *, timeout: float = 60) -> bytes:
    """Run Graphviz `dot -Tsvg`. Raises GraphvizMissing, or RuntimeError with dot's message."""
    import shutil
    import subprocess

    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing()
    proc = subprocess.run(
        [exe, "-Tsvg"],
        input=dot_source.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            proc.stderr.decode("utf-8", "replace").strip()
            or f"dot exited with status {proc.returncode}"
        )
    return proc.stdout
