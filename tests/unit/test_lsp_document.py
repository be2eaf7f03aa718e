"""The language server's reading of a scenario's text, which works while the YAML is broken."""

from __future__ import annotations

from simulator.lsp import document as doc
from simulator.lsp.server import completions_at, hover_text

TEXT = """\
id: x
start: opening
states:
  opening:
    say: "Hi"
    choices:
      - text: "Hello"
        goto: done
        if: "visits.done < 1"
      - {text: "Bye", goto:
  done:
    end: resolved
""".split("\n")


def test_state_definitions_and_references_survive_broken_yaml():
    defs = doc.state_definitions(TEXT)
    assert list(defs) == ["opening", "done"]
    assert (defs["done"].line, defs["done"].start) == (10, 2)
    refs = doc.state_references(TEXT, "done")
    assert [(r.line, TEXT[r.line][r.start : r.end]) for r in refs] == [(7, "done"), (8, "done")]
    assert [r.line for r in doc.state_references(TEXT, "opening")] == [1]


def test_key_path_and_section_from_indentation():
    assert doc.section_of(doc.key_path(TEXT, 7, 8)) == "choice"
    assert doc.section_of(doc.key_path(TEXT, 4, 4)) == "state"
    assert doc.section_of(doc.key_path(TEXT, 1, 0)) == "root"


def test_completion_in_flow_style_and_block_style():
    lines = list(TEXT)
    lines[9] += " "  # the cursor after "goto: " (added here: editors strip trailing spaces)
    source = "\n".join(lines)
    line = lines[9]
    labels = {i.label for i in completions_at(source, 9, len(line))}
    assert labels == {"opening", "done"}
    shows = "\n".join(TEXT[:8] + ["        shows: [acknowledge, "] + TEXT[8:])
    labels = {i.label for i in completions_at(shows, 8, len("        shows: [acknowledge, "))}
    assert "empathise" in labels and "opening" not in labels


def test_hover_knows_catalogue_entries_and_codes():
    assert "Explanation:" in hover_text("empathise")
    assert "unknown-goto" in hover_text("CT101")
    assert hover_text("opening") is None
