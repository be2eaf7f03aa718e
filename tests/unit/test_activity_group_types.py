"""Issue 31, item 10: a sort card's `group`, or a group's `id`, given as a list or a map is a
clear finding at its file:line:column, not "unexpected TypeError ... This is a bug"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "fuzz_corpus"


@pytest.mark.parametrize(
    ("name", "where", "words"),
    [
        ("activity-group-list.yaml", ":21:12: error:", "card 1's group must be one group's id"),
        ("activity-group-map.yaml", ":21:12: error:", "card 1's group must be one group's id"),
        ("activity-group-id-map.yaml", ":15:9: error:", "a group id is lower-case letters"),
    ],
)
@pytest.mark.parametrize("command", ["lint", "play"])
def test_a_list_or_map_as_a_group_is_a_finding_at_its_place(name, where, words, command):
    f = CORPUS / name
    argv = [sys.executable, "-m", "simulator", command, str(f)]
    if command == "play":
        argv += ["--plain", "--no-save"]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=60, input="")
    shown = p.stdout + p.stderr
    assert p.returncode != 0
    assert "bug" not in shown and "TypeError" not in shown, shown
    assert f"{f}{where}" in shown and words in shown, shown
