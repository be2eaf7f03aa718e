"""Blind strategies: what a learner gets by not reading (placeholder until the analysis lands)."""

from __future__ import annotations


def layout_warnings(scenario) -> list[tuple[tuple, str]]:
    return []
