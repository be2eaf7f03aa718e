"""Issue 25 (truth25bc): every debrief sentence true of the path, fixed in the scenario data.

1. laptop-month7 promise_broken.1 ("I shouldn't have promised that ... I'll help you show the
   fault") takes back the goodwill-override promise of refund_promised.2 in words and keeps to
   what the adviser can offer, so it withdraws `over_promising` and `beyond_remit` as the pack's
   other withdrawals do (`corrects:` naming the mistake id; docs/scenario-format.md,
   *Corrections*) and the debrief says it was taken back. promise_broken.2 admits it but puts
   nothing right ("out of my hands"): the debrief's "took back and put right" would be false of
   it, so it stays untagged and the promise is explained as broken.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scoring import debrief
from scoring.scorer import score
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]


def _play(sid: str, ids: list[str]) -> tuple[Any, dict[str, Any], dict[str, Any], str]:
    """The scenario, its assessed transcript, the score and the debrief text (one line)."""
    sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
    s = Runtime(sc).new_session(seed=0)
    s.replay(ids)
    t = s.transcript()
    t["mode"] = "assess"
    text = " ".join(debrief.render_view(debrief.build(sc, t), "text").split())
    return sc, t, score(sc, t), text


BROKEN = ["opening.3", "refund_promised.2"]


def test_laptop_promise_taken_back_in_words_is_withdrawn_and_said_so() -> None:
    _sc, _t, s, text = _play("laptop-month7", [*BROKEN, "promise_broken.1", "evidence_stage.1"])
    withdrawn = {(w["id"], w["turn"], w["at"]) for w in s["withdrawn"]}
    assert ("over_promising", 2, 3) in withdrawn
    assert ("beyond_remit", 2, 3) in withdrawn
    assert "you took back at turn 3, so nothing beyond it stood" in text
    assert "undone by the mistake: over-promising" not in text
    assert "undone by the mistake: beyond remit" not in text


def test_laptop_promise_admitted_but_not_put_right_is_not_withdrawn() -> None:
    _sc, _t, s, text = _play("laptop-month7", [*BROKEN, "promise_broken.2"])
    assert not {w["id"] for w in s["withdrawn"]} & {"over_promising", "beyond_remit"}
    assert "which turns one complaint into two when it does not happen" in text
    assert "took back and put right" not in text
