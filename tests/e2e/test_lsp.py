"""A real LSP session: `countertalk lsp` as a subprocess, JSON-RPC over its stdin and stdout."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.e2e.lsp_client import LspClient

BIN = Path(sys.executable).parent / "countertalk"

BROKEN = """\
id: lsp-case
title: LSP case
topic: complaint
summary: A scenario with mistakes in it.
learner_role: Adviser
customer: {name: Sam, mood: 50}
start: opening
states:
  opening:
    say: "Hello {{ customer.nme }}."
    choices:
      - text: "How can I help?"
        goto: refnded
        shows: [acknowledge]
      - text: "Sorry about that."
        goto: refunded
        shows: [apologise]
  refunded:
    end: resolved
    say: Thanks.
"""


@pytest.fixture
def client(tmp_path):
    c = LspClient([str(BIN), "lsp"], env={**os.environ, "COUNTERTALK_HOME": str(tmp_path)})
    result = c.request(
        "initialize",
        {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": {}},
    )
    caps = result["capabilities"]
    assert caps["completionProvider"] and caps["definitionProvider"]
    assert caps["referencesProvider"] and caps["hoverProvider"] and caps["codeActionProvider"]
    c.notify("initialized", {})
    yield c
    c.close()


def open_doc(client, tmp_path, text, name="case.yaml"):
    uri = (tmp_path / name).as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )
    return uri


def test_broken_file_gets_diagnostics_with_codes_and_ranges(client, tmp_path):
    uri = open_doc(client, tmp_path, BROKEN)
    diags = client.wait_notification("textDocument/publishDiagnostics")
    assert diags["uri"] == uri
    by_code = {d["code"]: d for d in diags["diagnostics"]}
    assert set(by_code) == {"CT101", "CT306"}, diags
    goto = by_code["CT101"]
    line = BROKEN.split("\n")[12]
    assert goto["range"]["start"] == {"line": 12, "character": line.index("refnded")}
    assert goto["range"]["end"] == {"line": 12, "character": line.index("refnded") + 7}
    assert goto["severity"] == 1 and goto["data"] == {"suggestion": "refunded"}
    nme = by_code["CT306"]
    line9 = BROKEN.split("\n")[9]
    assert nme["range"]["start"] == {"line": 9, "character": line9.index("nme")}

    # The quick fix for the did-you-mean replaces exactly the misspelt state.
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": goto["range"],
            "context": {"diagnostics": [goto]},
        },
    )
    (edit,) = actions[0]["edit"]["changes"][uri]
    assert edit == {"range": goto["range"], "newText": "refunded"}

    # Fix both problems: the next (debounced) diagnostics are empty.
    fixed = BROKEN.replace("refnded", "refunded").replace("customer.nme", "customer.name")
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": fixed}],
        },
    )
    again = client.wait_notification(
        "textDocument/publishDiagnostics", where=lambda p: p.get("version") == 2
    )
    assert again["diagnostics"] == []


def test_completion_after_goto_offers_state_ids(client, tmp_path):
    text = BROKEN.replace("        goto: refnded", "        goto: ")
    uri = open_doc(client, tmp_path, text)
    client.wait_notification("textDocument/publishDiagnostics")
    result = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": 12, "character": 14}},
    )
    labels = {i["label"] for i in result["items"]}
    assert labels == {"opening", "refunded"}


def test_completion_of_behaviours_and_choice_keys(client, tmp_path):
    uri = open_doc(client, tmp_path, BROKEN)
    shows = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": 13, "character": 15}},
    )
    assert {"acknowledge", "empathise", "take_action"} <= {i["label"] for i in shows["items"]}
    text = BROKEN.replace(
        "        shows: [acknowledge]\n", "        shows: [acknowledge]\n        \n"
    )
    uri2 = open_doc(client, tmp_path, text, "keys.yaml")
    keys = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri2}, "position": {"line": 14, "character": 8}},
    )
    assert {"feedback", "mistakes", "if", "set"} <= {i["label"] for i in keys["items"]}


def test_definition_and_references_of_a_state(client, tmp_path):
    uri = open_doc(client, tmp_path, BROKEN)
    loc = client.request(
        "textDocument/definition",
        {"textDocument": {"uri": uri}, "position": {"line": 15, "character": 18}},
    )
    assert loc["uri"] == uri
    assert loc["range"]["start"] == {"line": 17, "character": 2}
    refs = client.request(
        "textDocument/references",
        {
            "textDocument": {"uri": uri},
            "position": {"line": 17, "character": 4},
            "context": {"includeDeclaration": False},
        },
    )
    assert [r["range"]["start"]["line"] for r in refs] == [15]


def test_hover_explains_a_behaviour(client, tmp_path):
    uri = open_doc(client, tmp_path, BROKEN)
    hover = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": {"line": 16, "character": 19}},
    )
    assert "Apologise" in hover["contents"]["value"]
    assert "Explanation:" in hover["contents"]["value"]


def test_hostile_text_gets_clean_diagnostics_and_the_server_lives_on(client, tmp_path):
    deep = BROKEN.replace(
        '"Hello {{ customer.nme }}."', '"{{ ' + "(" * 120 + "1" + ")" * 120 + ' }}"'
    )
    uri = open_doc(client, tmp_path, deep, "deep.yaml")
    diags = client.wait_notification(
        "textDocument/publishDiagnostics", where=lambda p: p["uri"] == uri
    )
    assert "CT310" in {d["code"] for d in diags["diagnostics"]}
    tabbed = open_doc(
        client, tmp_path, BROKEN.replace("    say: Thanks.", "\tsay: Thanks."), "tab.yaml"
    )
    diags = client.wait_notification(
        "textDocument/publishDiagnostics", where=lambda p: p["uri"] == tabbed
    )
    (tab,) = diags["diagnostics"]
    assert tab["code"] == "CT002" and tab["range"]["start"] == {"line": 19, "character": 0}
    # still answering
    loc = client.request(
        "textDocument/definition",
        {"textDocument": {"uri": uri}, "position": {"line": 15, "character": 18}},
    )
    assert loc["range"]["start"]["line"] == 17


def test_an_activity_file_gets_the_activity_linter_s_findings(client, tmp_path):
    """Issue 19: the server serves scenario AND activity files. A knowledge check (top-level
    `kind:`) is checked by the activity linter: its codes, not a scenario's missing keys."""
    root = Path(__file__).resolve().parents[2]
    text = (root / "scenarios/activities/sort-controllable-or-not.yaml").read_text()
    broken = text.replace("    group: cannot\n", "    group: canot\n", 1)
    assert broken != text
    uri = open_doc(client, tmp_path, broken, name="sort.yaml")
    diags = client.wait_notification(
        "textDocument/publishDiagnostics", where=lambda p: p["uri"] == uri
    )
    codes = {d["code"] for d in diags["diagnostics"]}
    assert codes and all(c.startswith("CT5") for c in codes), diags
    line = broken.split("\n").index("    group: canot")
    assert any(d["range"]["start"]["line"] == line for d in diags["diagnostics"]), diags
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]},
    )
    again = client.wait_notification(
        "textDocument/publishDiagnostics", where=lambda p: p.get("version") == 2
    )
    assert again["diagnostics"] == []
