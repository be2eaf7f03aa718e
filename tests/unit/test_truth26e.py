"""Scenario marks true of the path (issue 25; truth26e, from review 26a).

internal-customer-finance: the data-minimisation fact ("only the personal data a purpose needs,
and only by a secure route") was marked `right` on the secure-route sends (updated.1, updated.2)
whatever the extract held. Review 26a play 12 sent the whole log, names and all, by the
restricted folder, and that turn counted as the fact applied correctly. A mark cannot depend on
a variable, and the same words send the minimum on other paths, so the sends carry no
minimisation mark; the minimum is credited where it is chosen (purpose.1, or the take-back).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]
LAW = "data_protection_act_2018.data_minimisation"
FULL_LOG = ["opening.1", "purpose.2", "format_agreed.1", "deadline_agreed.1"]  # review 26a play 12


@pytest.fixture(scope="module")
def finance():
    return load_scenario(ROOT / "scenarios" / "internal-customer-finance.yaml")


def _choice(scenario, cid: str):
    state, n = cid.rsplit(".", 1)
    return scenario.states[state].choices[int(n) - 1]


@pytest.mark.parametrize("send", ["updated.1", "updated.2"])
def test_whole_log_sent_securely_is_not_minimisation_applied(finance, send):
    s = Runtime(finance).new_session(seed=1712)
    s.replay(FULL_LOG)
    assert s.context()["vars"]["full_list"] is True
    assert LAW not in _choice(finance, send).law
    # the minimum is still credited, where it is chosen
    assert _choice(finance, "purpose.1").law.get(LAW) == "right"
