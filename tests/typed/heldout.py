"""The held-out harness: turn tests/typed/heldout.yaml into cases against a pack as it is now.

Each item of the file names its option by state, signature (shows, !mistakes, ^escalate) and the
option's text when the phrasing was written (`anchor`). Pack texts get rewritten, so an option is
re-found by signature first and, when several options share it, by the anchor's closeness to
their texts. Items whose state or option has gone are reported as stale, not silently dropped.

Used by tests/unit/test_matching_heldout.py and benchmarks/bench_matching.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).parent
HELDOUT = HERE / "heldout.yaml"


@dataclass(frozen=True)
class Case:
    scenario: str
    state: str
    choice_id: str | None  # None for an off-topic or rude line (no right answer)
    text: str
    offered: tuple  # Offered objects: the options on offer in that state


@dataclass
class HeldOut:
    cases: list[Case] = field(default_factory=list)  # phrasings with a right answer
    off_topic: list[Case] = field(default_factory=list)
    rude: list[Case] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    refound: list[str] = field(default_factory=list)  # found by overlap, not an exact signature
    scenarios: dict = field(default_factory=dict)  # id -> Scenario


def _signature(choice) -> str:
    parts = sorted(choice.shows) + ["!" + m for m in sorted(choice.mistakes)]
    if choice.escalate:
        parts.append("^" + choice.escalate)
    return " ".join(parts)


def _offered(session, scenario, state: str, target_index: int | None) -> tuple:
    """Options of `state` offered with the scenario's starting variables (the target always)."""
    from simulator.engine.session import Offered

    out = []
    for i, ch in enumerate(scenario.states[state].choices):
        path = ("states", state, "choices", i)
        if i != target_index and ch.if_ is not None and not session._eval(ch.if_, path + ("if",)):
            continue
        text = session._render(ch.text, path + ("text",))
        out.append(Offered(len(out) + 1, i, ch.id or f"{state}.{i + 1}", text, ch))
    return tuple(out)


def load(pack: Path, path: Path = HELDOUT) -> HeldOut:
    from simulator.engine.loader import load_scenario, scenario_files
    from simulator.engine.session import Runtime
    from simulator.matching.charsim import CharTfidf, cosine

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_id = {}
    for f in scenario_files(pack):
        sc = load_scenario(f)
        by_id[sc.id] = sc
    out = HeldOut(scenarios=by_id)
    for sid, states in data["scenarios"].items():
        sc = by_id.get(sid)
        if sc is None:
            out.stale.append(f"{sid}: scenario not in the pack")
            continue
        session = Runtime(sc).new_session(seed=0)
        for state, items in states.items():
            st = sc.states.get(state)
            if st is None or not st.choices:
                out.stale.append(f"{sid}.{state}: state gone")
                continue
            used: set[int] = set()
            for item in items:
                same = [
                    i
                    for i, ch in enumerate(st.choices)
                    if _signature(ch) == item["sig"] and i not in used
                ]
                tf = CharTfidf([ch.text for ch in st.choices] + [item["anchor"]])
                anchor = tf.vector(item["anchor"])

                def close(i: int) -> float:
                    return cosine(anchor, tf.vector(st.choices[i].text))

                if not same:
                    # The pack may have re-marked the option (a mistake added or renamed): take
                    # the unused option whose marks overlap most and whose text is closest.
                    want = set(item["sig"].split())
                    scored = []
                    for i, ch in enumerate(st.choices):
                        if i in used:
                            continue
                        have = set(_signature(ch).split())
                        overlap = len(want & have) / len(want | have) if want | have else 1.0
                        scored.append((overlap + close(i), overlap, i))
                    scored.sort(reverse=True)
                    if not scored or (scored[0][1] == 0 and scored[0][0] < 0.3):
                        out.stale.append(f"{sid}.{state}: no option like '{item['sig']}'")
                        continue
                    same = [scored[0][2]]
                    out.refound.append(
                        f"{sid}.{state}: '{item['sig']}' re-found by its marks and text"
                    )
                if len(same) > 1:
                    same.sort(key=lambda i: -close(i))
                index = same[0]
                used.add(index)
                offered = _offered(session, sc, state, index)
                cid = st.choices[index].id or f"{state}.{index + 1}"
                for text in item["say"]:
                    out.cases.append(Case(sid, state, cid, text, offered))
            offered_now = _offered(session, sc, state, None)
            if offered_now:
                for text in data.get("off_topic", []):
                    out.off_topic.append(Case(sid, state, None, text, offered_now))
                for text in data.get("rude", []):
                    out.rude.append(Case(sid, state, None, text, offered_now))
        session.close()
    return out


def evaluate(held: HeldOut, *, use_examples: bool = True, matcher_cls=None) -> dict:
    """Top-1 accuracy, accept/wrong-accept rates, off-topic and rude acceptance, as fractions."""
    from simulator.matching.matcher import RUDE_SAFE_MISTAKES, ScenarioMatcher

    matcher_cls = matcher_cls or ScenarioMatcher
    matchers = {
        sid: matcher_cls(sc, use_examples=use_examples) for sid, sc in held.scenarios.items()
    }
    n = len(held.cases)
    top1 = accepted = wrong = confirmed = confirm_right = 0
    misses = []
    for c in held.cases:
        m = matchers[c.scenario].match(c.text, c.offered)
        right = m.best is not None and m.best.choice_id == c.choice_id
        top1 += right
        if m.decision == "accept":
            accepted += 1
            wrong += not right
            if not right:
                misses.append((c, m))
        elif m.decision == "confirm":
            confirmed += 1
            confirm_right += any(r.choice_id == c.choice_id for r in m.suggestions)
    off_acc = sum(
        matchers[c.scenario].match(c.text, c.offered).decision == "accept" for c in held.off_topic
    )
    rude_rewarded = 0
    for c in held.rude:
        m = matchers[c.scenario].match(c.text, c.offered)
        if m.decision == "accept" and not RUDE_SAFE_MISTAKES.intersection(
            m.best.offered.choice.mistakes
        ):
            rude_rewarded += 1
    return {
        "cases": n,
        "top1": top1 / n if n else 0.0,
        "accept": accepted / n if n else 0.0,
        "wrong_accept": wrong / n if n else 0.0,
        "confirm": confirmed / n if n else 0.0,
        "confirm_offers_right": confirm_right / confirmed if confirmed else 1.0,
        "off_topic_cases": len(held.off_topic),
        "off_topic_accept": off_acc / len(held.off_topic) if held.off_topic else 0.0,
        "rude_cases": len(held.rude),
        "rude_rewarded": rude_rewarded / len(held.rude) if held.rude else 0.0,
        "wrong_accepts": misses,
    }
