"""Scenario marks true of the path (issue 25; truth26e, from review 26a).

internal-customer-finance: the data-minimisation fact is "applied correctly" at the send only
when the minimum is what goes. Review 26a play 12 sent the whole log, names and all, by the
restricted folder (updated.1's words), and that turn carried `data_minimisation: right`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
LAW = "data_protection_act_2018.data_minimisation"
FULL_LOG = ["opening.1", "purpose.2", "format_agreed.1", "deadline_agreed.1"]
MINIMUM = ["opening.1", "purpose.1", "format_agreed.1", "deadline_agreed.1"]


@pytest.fixture(scope="module")
def finance():
    return load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml")


def _send_options(scenario, before: list[str]) -> dict[str, object]:
    """The secure-route options on offer at `updated` after `before`, by their words."""
    s = Runtime(scenario).new_session(seed=1712)
    s.replay(before)
    assert s.state == "updated"
    state = scenario.states["updated"]
    out = {}
    for i, ch in enumerate(state.choices):
        if ch.if_ is not None and not s._eval(ch.if_, ("states", "updated", "choices", i, "if")):
            continue
        if "SharePoint" in ch.text or "password-protected" in ch.text:
            out[ch.text] = ch
    return out


def test_whole_log_sent_securely_is_not_minimisation_applied(finance):
    offered = _send_options(finance, FULL_LOG)
    assert len(offered) == 2
    for ch in offered.values():
        assert LAW not in ch.law, ch.text


def test_minimum_sent_securely_is_minimisation_applied(finance):
    offered = _send_options(finance, MINIMUM)
    assert len(offered) == 2
    for ch in offered.values():
        assert ch.law.get(LAW) == "right", ch.text
