"""Issue 31, item 6: the language server reads only what it should, and stays responsive.

A client may name files it never opened: only regular files inside the workspace are read (no
FIFO, no /dev/zero, nothing outside), documents over the size limit are not linted, completion
on a long line is linear, and a large lint runs off the server's loop."""

from __future__ import annotations

import os
import time

import pytest

from tests.e2e.test_lsp import BROKEN, client, open_doc  # noqa: F401 - client: a fixture


def definition(c, uri, line=12, character=16):
    return c.request(
        "textDocument/definition",
        {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        timeout=15,
    )


def test_unopened_files_outside_the_workspace_are_never_read(client, tmp_path):  # noqa: F811
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text(BROKEN.replace("goto: refnded", "goto: refunded"))
    assert definition(client, secret.as_uri()) is None
    # the same file inside the workspace is read (so the refusal above is the boundary)
    inside = tmp_path / "inside.yaml"
    inside.write_text(secret.read_text())
    got = definition(client, inside.as_uri())
    assert got is not None and got["range"]["start"]["line"] == 17
    # a link inside the workspace to the outside file is outside too
    link = tmp_path / "link.yaml"
    link.symlink_to(secret)
    assert definition(client, link.as_uri()) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifos_and_devices_in_the_workspace_are_not_read(client, tmp_path):  # noqa: F811
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    start = time.monotonic()
    for uri in (fifo.as_uri(), zero.as_uri()):
        assert definition(client, uri) is None
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        assert (
            client.request(
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}},
                timeout=15,
            )
            is None
        )
    assert time.monotonic() - start < 10
    # and the server is alive and well
    uri = open_doc(client, tmp_path, BROKEN)
    assert definition(client, uri, line=15) is not None


def test_an_oversized_document_gets_one_finding_not_a_lint(client, tmp_path):  # noqa: F811
    big = BROKEN + "# " + "x" * (4 * 1024 * 1024) + "\n"
    start = time.monotonic()
    uri = open_doc(client, tmp_path, big, name="big.yaml")
    diags = client.wait_notification(
        "textDocument/publishDiagnostics", where=lambda p: p["uri"] == uri
    )["diagnostics"]
    assert [d["code"] for d in diags] == ["CT003"]
    items = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": 12, "character": 14}},
    )
    assert items["items"] == []
    assert time.monotonic() - start < 20


def test_completion_on_a_long_line_is_linear(client, tmp_path):  # noqa: F811
    text = "states:\n  s" + " " * 400_000 + "x\n  t:\n    goto: \n"
    uri = open_doc(client, tmp_path, text, name="long.yaml")
    start = time.monotonic()
    items = client.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 10}},
    )
    assert time.monotonic() - start < 5
    assert [i["label"] for i in items["items"]] == ["t"]


def test_the_loop_answers_while_a_large_file_is_linted(client, tmp_path):  # noqa: F811
    states = "".join(
        f"  s{i}:\n    say: 'line {i}'\n    choices:\n"
        f"      - {{text: 'go {i}', goto: s{i + 1}, feedback: ok}}\n"
        for i in range(6000)
    )
    text = (
        BROKEN.replace("states:\n", "states:\n" + states) + "  s6000:\n    end: lost\n    say: x\n"
    )
    big = open_doc(client, tmp_path, text, name="large.yaml")
    small = open_doc(client, tmp_path, BROKEN, name="small.yaml")
    start = time.monotonic()
    got = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": small}, "position": {"line": 13, "character": 17}},
    )
    answered = time.monotonic() - start
    assert got is not None and answered < 3, answered
    diags = client.wait_notification(
        "textDocument/publishDiagnostics", where=lambda p: p["uri"] == big, timeout=120
    )
    assert diags["diagnostics"]
