"""`shuffle: true`: the displayed order of a state's options is a function of (seed, state,
visit); ids, transcripts and scores do not change; files without the key keep file order."""

from __future__ import annotations

from pathlib import Path

from scoring.scorer import score
from simulator.engine.loader import check_bytes, load_scenario
from simulator.engine.session import Runtime
from simulator.engine.shuffle import display_order, permutation

KETTLE = Path(__file__).resolve().parents[1] / "fixtures" / "kettle.yaml"


def shuffled_kettle():
    text = KETTLE.read_text(encoding="utf-8").replace("start: ", "shuffle: true\nstart: ", 1)
    result = check_bytes(text.encode(), "kettle.yaml")
    assert result.scenario is not None and result.scenario.shuffle
    return result.scenario


def ids(session):
    return [o.choice_id for o in session.offered()]


def test_without_the_key_file_order_is_kept_exactly():
    sc = load_scenario(KETTLE)
    assert not sc.shuffle
    for seed in range(20):
        s = Runtime(sc).new_session(seed=seed)
        assert ids(s) == ["opening.1", "opening.2", "opening.3"]
        assert [o.number for o in s.offered()] == [1, 2, 3]


def test_order_depends_on_seed_and_is_fixed_for_a_seed():
    sc = shuffled_kettle()
    rt = Runtime(sc)
    orders = {tuple(ids(rt.new_session(seed=seed))) for seed in range(30)}
    assert len(orders) > 1  # the best answer is not always first
    assert {o[0] for o in orders} == {"opening.1", "opening.2", "opening.3"}
    for seed in (0, 7, 123456789):
        assert ids(rt.new_session(seed=seed)) == ids(Runtime(sc).new_session(seed=seed))
    for o in orders:
        assert sorted(o) == ["opening.1", "opening.2", "opening.3"]


def test_numbers_follow_the_displayed_order_and_transcripts_record_ids():
    sc = shuffled_kettle()
    seed = next(s for s in range(50) if ids(Runtime(sc).new_session(seed=s))[0] != "opening.1")
    s = Runtime(sc).new_session(seed=seed)
    offered = s.offered()
    assert [o.number for o in offered] == [1, 2, 3]
    step = s.choose(1)
    assert step.turn["choice"] == offered[0].choice_id != "opening.1"
    assert s.transcript()["turns"][0]["choice"] == offered[0].choice_id


def test_resume_and_replay_show_the_same_order_and_score_the_same():
    sc = shuffled_kettle()
    for seed in range(10):
        a = Runtime(sc).new_session(seed=seed)
        seen = [ids(a)]
        a.choose(1)
        while not a.ended:
            seen.append(ids(a))
            a.choose(len(a.offered()))
        b = Runtime(sc).new_session(seed=seed)
        replayed = []
        for t in a.transcript()["turns"]:
            replayed.append(ids(b))
            b.choose_id(t["choice"])
        assert replayed == seen
        assert score(sc, a.transcript()) == score(sc, b.transcript())
        plain = load_scenario(KETTLE)
        c = Runtime(plain).new_session(seed=seed)
        c.replay([t["choice"] for t in a.transcript()["turns"]])
        assert score(plain, c.transcript())["percent"] == score(sc, a.transcript())["percent"]


def test_permutation_is_pure_and_keeps_relative_order_under_if():
    assert permutation(5, 3, "s", 1) == permutation(5, 3, "s", 1)
    assert sorted(permutation(5, 3, "s", 1)) == list(range(5))
    full = display_order([0, 1, 2, 3, 4], int, 9, "s", 1)
    part = display_order([0, 2, 4], int, 9, "s", 1)
    assert part == [x for x in full if x in (0, 2, 4)]
    assert display_order([3], int, 9, "s", 1) == [3]
