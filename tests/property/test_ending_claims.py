"""Every ending an attempt can reach says only what that attempt did (issue 25 §1).

For every shipped scenario: every enumerated path (each looping state entered at most once,
stride-sampled to PATHS) plus shuffled random walks are played through the real Session, the
ending's `say` and `debrief` are rendered for that path, and each claim sentence in them
(scoring/ending_claims.py RENDERED_CLAIMS: hearing out, escalating, hearing out before
escalating, a named referral, the law put right, following up, apologising, staying within
authority, keeping data minimal, a refund put through, no mistakes, checking identity; and denials such as "without
any follow-up") is checked against the attempt. Two sections of one debrief must not contradict:
the law section's "put it right" needs no misstatement left standing; an ending that says the
customer was heard out before the escalation must agree with the escalation section.

Run against the shipped pack. Scenarios whose endings still make false claims on main are
listed in PENDING with what the test found there (the pack rewrite, pack1/pack2/pack3, fixes
them): a strict xfail while the file is unchanged; once the rewrite lands it must pass.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from scoring.ending_claims import Facts, false_claims
from scoring.paths import enumerate_paths
from scoring.scorer import score
from scoring.strategies import play
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.session import Runtime, ScenarioRuntimeError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 150  # per scenario, stride-sampled from the bounded enumeration
WALKS = 25  # shuffled random walks per scenario

# scenario id -> (start of the scenario file's sha256 on main at 6b6e8c3, what the test found
# there). While the file is unchanged the scenario is expected to fail (strict xfail); once the
# pack rewrite changes it, it must pass.
PENDING: dict[str, tuple[str, str]] = {
    "compensation-beyond-authority": (
        "22c6b18838dd",
        "resolved_well says 'you heard Gareth out before escalating' after an escalation before "
        "hearing him (opening.2), and 'settled what was within your authority' after agreeing "
        "£250 (opening.4)",
    ),
    "internal-customer-finance": (
        "ea86133c25f2",
        "resolved_end says 'Less data, and protection, kept the risk down' after the whole log "
        "or an unprotected attachment was sent (oversharing)",
    ),
    "late-delivery-recovery": (
        "f985a42a21b8",
        "recovered_well says 'a concrete plan inside your authority' after a £75 voucher "
        "(money_question.3, beyond remit)",
    ),
    "washing-machine-day45": (
        "534825bc2e83",
        "repair_booked_basic says the call ended 'without … any follow-up' on paths that made "
        "the follow-up call (callback)",
    ),
}


def _sample(items: list[Any], n: int) -> list[Any]:
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    """Every false claim and contradiction in what this attempt was shown at its ending."""
    s = score(sc, t)
    facts = Facts(sc, t, s)
    out = []
    for where in ("ending_line", "ending_debrief"):
        for cid, says, sentence in false_claims(t.get(where) or "", facts):
            out.append(f"{t['ending']} ({where}) claims '{says}' [{cid}]: {sentence}")
    # the debrief's law section says "put it right" exactly when `law_corrected` says so
    if s["law_corrected"]["corrected"] and s["law_open"]:
        out.append(f"{t['ending']}: the law section says put right, a misstatement stands")
    return out


def attempts(sc: Any) -> list[dict[str, Any]]:
    out = []
    runs = [
        (sc, ids) for ids, _e in _sample(enumerate_paths(sc, max_visits=1, limit=100_000), PATHS)
    ]
    shuffled = sc.replaced(shuffle=True)
    rng = random.Random(sc.id)
    for _ in range(WALKS):
        seed = rng.randrange(10**6)
        for attempt in range(3):  # the same walk again if a template timed out (see _replay)
            try:
                t = play(shuffled, "random", seed)
                break
            except ScenarioRuntimeError as exc:
                if "took longer than" not in str(exc) or attempt == 2:
                    raise
        if t.get("ending"):
            runs.append((shuffled, [x["choice"] for x in t["turns"]]))
    for scenario, ids in runs:
        s = _replay(scenario, ids)
        t = s.transcript()
        # what the learner was shown at the ending, rendered for this path (as attempt.py saves)
        t["ending_line"], t["ending_debrief"] = s.line, s.debrief
        out.append(t)
    return out


def _replay(scenario: Any, ids: list[str], tries: int = 3) -> Any:
    """The session after `ids`. The engine stops a template that takes over 0.5 s; on a loaded
    machine an ordinary ending can hit that, so a timeout is retried (anything else is not)."""
    for attempt in range(tries):
        s = Runtime(scenario).new_session(seed=0)
        try:
            s.replay(ids)
            return s
        except ScenarioRuntimeError as exc:
            if "took longer than" not in str(exc) or attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def _params() -> list[Any]:
    out = []
    for f in SHIPPED:
        sid = f.stem
        marks = []
        if sid in PENDING and load_scenario(f).content_hash.startswith(PENDING[sid][0]):
            marks.append(pytest.mark.xfail(reason=PENDING[sid][1], strict=True))
        out.append(pytest.param(f, id=sid, marks=marks))
    return out


@pytest.mark.parametrize("path", _params())
def test_every_ending_says_only_what_the_attempt_did(path):
    sc = load_scenario(path)
    found: dict[str, list[str]] = {}
    for t in attempts(sc):
        for p in problems(sc, t):
            found.setdefault(p, []).append(" ".join(x["choice"] for x in t["turns"]))
    assert not found, "\n".join(f"{p}\n    e.g. path: {paths[0]}" for p, paths in found.items())


def test_the_check_finds_a_false_claim():
    """Not vacuous: an ending that praises a follow-up and a hearing-out the path never had."""
    sc = load_scenario(ROOT / "tests" / "fixtures" / "kettle.yaml")
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.3"])  # "I'll get my manager": escalates before hearing anything
    t = s.transcript()
    t["ending_debrief"] = (
        "You heard her out before escalating. You followed it up the next day. "
        "You stayed within your authority."
    )
    found = problems(sc, t)
    assert any("heard the customer out before escalating" in p for p in found)
    assert any("followed up" in p for p in found)
    assert not any("within authority" in p for p in found)
