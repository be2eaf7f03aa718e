"""Every shipped scenario: loads, lints strictly, can be won and lost, and always ends.

These are the conversations a learner meets first, so the pack is held to the issue's bar: at
least 12 states and 3 endings, every ending reachable, a distinction on the best path and a fail
on the worst (by the real path analysis), and random seeded play always reaching an ending.

And it must not be gameable (issue 13): options are shuffled, the best option is not
systematically the longest, so a learner who does not read — always the first option shown,
always the longest, always the last, or at random — reaches no distinction and passes rarely.
Every law mark names the brief's fact (`ACT.FACT` in the file, `# brief fact N` beside it); no
ending's unconditional text praises what the path may not have shown; and every choice carries
3-5 other ways a learner might type it (`examples:`), for typed replies.

The pack is discovered, not listed: every `*.yaml` in scenarios/ is held to all of this.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from scoring import ending_claims, scorer, strategies
from scoring.paths import analyse
from simulator.engine.loader import check_file, check_pack, scenario_files, shipped_pack
from simulator.engine.session import Runtime
from tests.unit.test_lint_rules import CHANCE_DEBT

PACK = shipped_pack()
FILES = scenario_files(PACK)
TOPICS = {
    "complaint",
    "refund-dispute",
    "data-request",
    "escalation",
    "equality",
    "internal-customer",
    "service-recovery",
}


def test_the_pack_is_a_real_pack():
    assert len(FILES) >= 12, [f.name for f in FILES]
    results = [check_file(f) for f in FILES]
    assert check_pack(results) == []  # unique ids
    scenarios = [r.scenario for r in results]
    assert {s.topic for s in scenarios} >= TOPICS
    assert {s.level for s in scenarios} == {2, 3}


@pytest.fixture(scope="module", params=FILES, ids=[f.stem for f in FILES])
def shipped(request):
    path: Path = request.param
    result = check_file(path)
    return path, result, analyse(result.scenario) if result.scenario else None


# Loops a learner can be kept in (CT404, issue 26), found when the check landed and left for
# the pack's authors to bound (a `visits.X > n` rule to an ending): file stem -> the state the
# finding is reported on. A stale entry fails too, so the list only shrinks.
KNOWN_ENDLESS_LOOPS: dict[str, list[str]] = {}  # every loop in the pack now ends (CT404)


def test_lints_strictly_and_is_named_for_its_id(shipped):
    path, result, _ = shipped
    loops = [d for d in result.diagnostics if d.code == "CT404"]
    known = KNOWN_ENDLESS_LOOPS.get(path.stem, [])
    assert [d.message.split(" round ")[1].split(" ")[0] for d in loops] == known
    # CT605 (passable by chance) only for the files listed, with why, in test_lint_rules.
    chance = path.name in CHANCE_DEBT
    assert [
        str(d)
        for d in result.diagnostics
        if d.code != "CT404" and not (chance and d.code == "CT605")
    ] == []
    assert path.stem == result.scenario.id


def test_has_real_branches(shipped):
    _, result, _ = shipped
    sc = result.scenario
    endings = [s for s in sc.states.values() if s.end]
    assert len(sc.states) >= 12 and len(endings) >= 3
    assert len({s.end for s in endings}) >= 2
    choosing = [s for s in sc.states.values() if s.choices]
    assert sum(len(s.choices) >= 2 for s in choosing) >= 0.75 * len(choosing)


def test_can_be_won_and_lost_and_every_ending_is_reachable(shipped):
    _, _, analysis = shipped
    assert analysis["best"]["grade"] == "distinction", analysis["best"]
    assert analysis["worst"]["grade"] == "fail", analysis["worst"]
    unreachable = [e for e, row in analysis["endings"].items() if not row["reachable"]]
    assert unreachable == []
    assert analysis["dead_ends"] == []


def test_every_law_mark_names_the_fact_it_rests_on(shipped):
    path, _, _ = shipped
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        if re.match(r"\s*law:", line):
            context = " ".join(lines[max(0, n - 3) : n + 1])
            assert re.search(r"#.*brief.*\bfacts? \d+[a-z]?\b", context, re.I), (
                f"{path.name}:{n + 1}: a law mark needs a '# brief fact N' comment above it"
            )


@cache
def _law_facts() -> dict[str, set[str]]:
    laws = yaml.safe_load((Path(scorer.__file__).parent / "laws.yaml").read_text("utf-8"))
    return {act: set((body or {}).get("facts") or {}) for act, body in laws.items()}


def test_every_law_mark_names_a_fact_id(shipped):
    """`law: {ACT.FACT: right|wrong}`: the debrief can then name the rule, not the whole Act."""
    _, result, _ = shipped
    facts = _law_facts()
    for sid, st in result.scenario.states.items():
        for i, ch in enumerate(st.choices):
            for key in ch.law:
                act, _, fact = key.partition(".")
                where = f"{result.scenario.id}: {ch.id or f'{sid}.{i + 1}'} law {key!r}"
                assert fact, f"{where} names an Act, not one of its facts"
                assert fact in facts.get(act, set()), f"{where} is not in scoring/laws.yaml"


def test_options_are_shuffled(shipped):
    _, result, _ = shipped
    assert result.scenario.shuffle is True


def test_every_choice_has_three_to_five_typed_examples(shipped):
    _, result, _ = shipped
    for sid, st in result.scenario.states.items():
        for i, ch in enumerate(st.choices):
            cid = ch.id or f"{sid}.{i + 1}"
            assert 3 <= len(ch.examples) <= 5, f"{result.scenario.id}: {cid} {ch.examples}"
            text = " ".join(ch.text.split()).casefold()
            for ex in ch.examples:
                assert ex.strip() and "{" not in ex, f"{cid}: {ex!r}"
                assert " ".join(ex.split()).casefold() != text, f"{cid} copies its own text"


def test_no_ending_claims_a_behaviour_the_path_may_lack(shipped):
    _, result, _ = shipped
    assert ending_claims.check(result.scenario) == []


def test_the_best_option_is_not_usually_the_longest(shipped):
    """Where a state has a clean option (no mistake), the longest option is the best one in at
    most 60% of those states: length must not give the answer away."""
    _, result, _ = shipped
    top_is_longest = states = 0
    for st in result.scenario.states.values():
        clean = [c for c in st.choices if not c.mistakes]
        if len(st.choices) < 2 or not clean:
            continue
        states += 1
        top = max(clean, key=lambda c: (len(c.shows), c.mood))
        top_is_longest += max(st.choices, key=lambda c: len(c.text)) is top
    assert top_is_longest <= 0.6 * states, (top_is_longest, states)


def test_most_states_offer_two_reasonable_options_that_differ_in_quality(shipped):
    """At least half the choosing states offer two or more options a learner could reasonably
    pick (none rude, discriminatory or a data breach) that are not equally good."""
    _, result, _ = shipped
    blatant = {"rude", "discrimination", "data_breach"}
    choosing = [st for st in result.scenario.states.values() if st.choices]
    good = 0
    for st in choosing:
        plausible = [c for c in st.choices if not blatant & set(c.mistakes)]
        quality = {(bool(c.mistakes), len(c.shows)) for c in plausible}
        good += len(plausible) >= 2 and len(quality) >= 2
    assert good >= 0.5 * len(choosing), (good, len(choosing))


SEEDS = (1, 2, 3)


def test_blind_strategies_never_reach_a_distinction_and_rarely_pass():
    """Always first, always longest, always last and random, seeds 1-3, over the whole pack:
    played through the real session (shuffled as a learner sees it) and scored by the real
    scorer (`scoring.strategies`, the machinery behind `countertalk paths --strategies`)."""
    grades: Counter = Counter()
    distinctions = []
    for f in FILES:
        scenario = check_file(f).scenario
        for run in strategies.play_blind(scenario, seeds=SEEDS):
            grades[run.grade] += 1
            if run.grade == "distinction":
                distinctions.append(f"{f.stem} {run.strategy} seed {run.seed}")
    runs = sum(grades.values())
    assert runs == len(FILES) * len(strategies.STRATEGIES) * len(SEEDS)
    assert distinctions == []
    assert grades["pass"] <= 0.10 * runs, grades


def test_seeded_random_walks_always_reach_an_ending(shipped):
    _, result, _ = shipped
    runtime = Runtime(result.scenario)
    for seed in range(25):
        rng = random.Random(seed)
        session = runtime.new_session(seed=seed)
        for _ in range(200):
            if session.ended:
                break
            session.choose(rng.randint(1, len(session.offered())))
        assert session.ended, f"seed {seed} still at {session.state} after 200 turns"
        assert session.outcome in ("resolved", "escalated", "unresolved", "lost")


def test_the_pack_together_uses_every_feature_of_the_format():
    text = "\n".join(f.read_text(encoding="utf-8") for f in FILES)
    for feature in (
        "format:",
        "level:",
        "persona:",
        "internal: true",
        "vars:",
        "escalation:",
        "required: true",
        "reason:",
        "models:",
        "rules:",
        "note:",
        "if:",
        "set:",
        "mood:",
        "escalate:",
        "law:",
        "debrief:",
        "visits.",
        "{{ vars.",
        "{{ customer.",
        "end: resolved",
        "end: escalated",
        "end: unresolved",
        "end: lost",
    ):
        assert feature in text, feature
    scenarios = [check_file(f).scenario for f in FILES]
    assert any(isinstance(st.say, list) for sc in scenarios for st in sc.states.values())
    assert any(ch.id for sc in scenarios for st in sc.states.values() for ch in st.choices)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("id: kettle-day12\ntitle: T\n", "kettle-day12"),
        ("title: T\nid: 'quoted-id'  # a comment\n", "quoted-id"),
        # not plain: the header is read as YAML (as before; a file that is one flow mapping
        # has no header lines, so no id: lint and the picker say so)
        ("{id: flow-style, title: T}\n", None),
        ("idle: true\nid: after-idle\n", "after-idle"),
        ("id: !!str tagged\n", "tagged"),
        ("title: no id here\n", None),
        ("id: [not, text]\n", None),
    ],
)
def test_an_id_is_read_off_its_line_or_else_from_yaml(tmp_path, text, expected):
    from simulator.engine.pack import peek_id, read_header

    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    assert peek_id(path) == expected == read_header(path).id


def test_an_id_after_a_byte_order_mark_is_found(tmp_path):
    from simulator.engine.pack import peek_id

    path = tmp_path / "s.yaml"
    path.write_text('\ufeffid: "bom-first"\ntitle: T\n', encoding="utf-8")
    assert peek_id(path) == "bom-first"
