"""Load: 60 phones vote in each of 10 rounds of a real classroom over loopback, with reconnects,
changed minds, double taps and late votes mixed in; no vote is lost or counted twice.

Only correctness is asserted here; the speed figures are in `make bench` (bench_phones.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from gen import big_scenario  # noqa: E402
from phone_crowd import make_app, run_crowd  # noqa: E402


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path / "home"))


async def test_sixty_phones_ten_rounds_nothing_lost_or_doubled(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(big_scenario(200), encoding="utf-8")
    app, link = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        result = await run_crowd(app, link, pilot, phones=60, rounds=10)
    assert result.rounds == 10
    assert result.lost == 0 and result.doubled == 0
    assert result.reconnects == 100
    s = result.statuses
    # every vote was answered: 60 per round, plus 12 changes, 9 double taps and 6 late votes
    assert s == {"accepted": 600, "changed": 120, "duplicate": 90, "closed": 60}, s
    assert result.votes_sent == sum(s.values())
