"""List debrief sentences that state something the path never contained (issue 25, review25as
class 1): an ending's debrief, or a chosen option's feedback, naming an amount, a number of
times, or a phrase from the scenario's lines that the path itself never said or showed.

    PYTHONPATH=. python scripts/hunt_unsaid.py [SCENARIO_ID ...] [--paths N]

For each scenario, up to N enumerated paths (tests/replay.py `sampled_paths`) are replayed. What
the path showed is the scenario's summary and persona, every state note on the path (its
variables filled with their starting values), every customer line and every option taken; the
feedback of a turn is checked against what was shown up to that turn only. A sentence is listed
with what it names that was never shown, and the first path that shows it. This is a hunting
tool for a reader: a phrase found only in an option not taken is a lead, not a verdict (a
debrief may rightly name what the learner should have said)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.engine.loader import load_scenario  # noqa: E402
from simulator.engine.session import Runtime  # noqa: E402
from tests.replay import sampled_paths  # noqa: E402

MONEY = re.compile(r"£\s?\d+(?:,\d{3})*(?:\.\d\d)?")
TIMES = re.compile(r"\b(twice|three times|four times|five times|second time|third time)\b", re.I)
WORD = re.compile(r"[a-z][a-z'-]+")
# words too common to make a phrase a fact about this customer
STOP = set(
    """a an the and or but if of to in on at by for with from as is are was were be been it its
    this that these those you your yours she her he his him they them their we our us i me my
    not no so do does did has have had can could will would should may might must just only
    what when who which how there here than then about into out up down over all any more most
    very too also still yet now even one two""".split()
)


def _fold(text: str) -> str:
    return " ".join(str(text).replace("\u2019", "'").split())


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", _fold(text)) if s]


def _bigrams(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    return {
        f"{a} {b}"
        for a, b in zip(words, words[1:], strict=False)
        if a not in STOP and b not in STOP
    }


def _fill(text: str, vars_: dict[str, Any]) -> str:
    return re.sub(
        r"\{\{\s*vars\.(\w+)[^}]*\}\}", lambda m: str(vars_.get(m.group(1), "")), str(text or "")
    )


def _rare_phrases(scn: Any) -> set[str]:
    """The two-word phrases found in exactly one customer line or option text of the file: a
    detail one line brings in (her memory, a £75 voucher), which a sentence may borrow."""
    seen: dict[str, int] = {}
    for st in scn.states.values():
        say = st.say if isinstance(st.say, list) else [st.say]
        for text in [str(s) for s in say if s] + [str(c.text) for c in st.choices]:
            for pair in _bigrams(text):
                seen[pair] = seen.get(pair, 0) + 1
    return {p for p, k in seen.items() if k == 1}


def hunt(sid: str, n: int) -> list[tuple[str, str, list[str], str]]:
    """(where, sentence, names never shown, first path) for scenario `sid`."""
    scn = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
    vars0 = dict(scn.vars or {})
    base = _fold(
        " ".join(
            [scn.summary or "", scn.customer.persona or "", scn.learner_role or "", scn.title or ""]
        )
    )
    borrowed = _rare_phrases(scn)
    found: dict[tuple[str, str], tuple[list[str], str]] = {}
    for ids in sampled_paths(scn, n):
        s = Runtime(scn).new_session(seed=0)
        s.replay(ids)
        t = s.transcript()
        shown = base
        for i, turn in enumerate(t["turns"]):
            note = scn.states[turn["state"]].note
            shown += " " + _fill(note, vars0) + " " + _fold(turn.get("customer") or "")
            shown += " " + _fold(turn.get("text") or "")
            fb = (t.get("offers") or [{}] * (i + 1))[i].get("feedback") or ""
            _check(f"{turn['choice']} feedback", fb, shown, borrowed, ids, found)
        end = t.get("ending")
        if end and s.debrief:
            shown += " " + _fill(scn.states[end].note, vars0) + " " + _fold(s.line or "")
            _check(f"{end} debrief", s.debrief, shown, borrowed, ids, found)
    return [(w, sent, miss, path) for (w, sent), (miss, path) in sorted(found.items())]


def _check(
    where: str,
    text: str,
    shown: str,
    borrowed: set[str],
    ids: list[str],
    found: dict[tuple[str, str], tuple[list[str], str]],
) -> None:
    shown_low = shown.lower()
    shown_pairs = _bigrams(shown)
    for sent in _sentences(text):
        miss = [m for m in MONEY.findall(sent) if m.replace(" ", "") not in shown.replace(" ", "")]
        miss += [m for m in TIMES.findall(sent) if m.lower() not in shown_low]
        miss += sorted((_bigrams(sent) & borrowed) - shown_pairs)
        if miss and (where, sent) not in found:
            found[(where, sent)] = (miss, " ".join(ids))


def main(argv: list[str]) -> int:
    n = 200
    if "--paths" in argv:
        i = argv.index("--paths")
        n = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    ids = argv or sorted(
        p.stem for p in (ROOT / "scenarios").glob("*.yaml") if not p.stem.endswith(".test")
    )
    for sid in ids:
        for where, sent, miss, path in hunt(sid, n):
            print(f"{sid} | {where} | {', '.join(miss)}\n    {sent}\n    path: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
