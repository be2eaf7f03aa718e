"""The held-out learner phrasings (tests/typed/heldout.yaml) against the shipped pack.

Written before and apart from the pack's examples and never tuned against (the settings come
from benchmarks/calibrate_matching.py, on the examples). The issue's targets, as a learner would
feel them: what they type is taken as what they meant, off-topic lines and rude lines are not.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def held():
    spec = importlib.util.spec_from_file_location(
        "heldout", ROOT / "tests" / "typed" / "heldout.py"
    )
    mod = importlib.util.module_from_spec(spec)
    sys.modules["heldout"] = mod
    spec.loader.exec_module(mod)
    return mod, mod.load(ROOT / "scenarios")


def test_the_held_out_set_still_finds_its_options_in_the_pack(held):
    _mod, h = held
    total = len(h.cases) + sum(1 for s in h.stale)
    assert len(h.cases) >= 200
    assert len(h.stale) <= 0.15 * total, h.stale


def test_with_examples_what_learners_type_is_taken_as_what_they_meant(held):
    mod, h = held
    r = mod.evaluate(h, use_examples=True)
    assert r["top1"] >= 0.95, r
    assert r["wrong_accept"] <= 0.01, [(c.text, m.best.choice_id) for c, m in r["wrong_accepts"]]


def test_option_text_alone_still_mostly_right(held):
    mod, h = held
    r = mod.evaluate(h, use_examples=False)
    assert r["top1"] >= 0.85, r
    assert r["wrong_accept"] <= 0.02, r


def test_off_topic_lines_are_not_taken_and_rude_lines_never_rewarded(held):
    mod, h = held
    for use in (True, False):
        r = mod.evaluate(h, use_examples=use)
        assert r["off_topic_accept"] <= 0.05, r
        assert r["rude_rewarded"] == 0, r
