"""The wording-cue audit (`countertalk paths DIR --cues`, scoring/cues.py).

Two fixture packs share their marks (tests/fixtures/cues/generate.py): `tell` plants a tell
(every good option opens "Sorry,", every wrong one "I'm afraid") and `plain` rotates the same
openers so each is the good one exactly once per scenario. The audit must flag every scenario of
the first and none of the second; these tests fail if it stops detecting the tell.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring import cues
from simulator.cli import main
from simulator.engine.loader import load_scenario, scenario_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cues"
TELL, PLAIN = FIXTURES / "tell", FIXTURES / "plain"


def _pack(folder: Path):
    return [load_scenario(f) for f in scenario_files(folder) if f.suffix == ".yaml"]


def test_the_planted_tell_is_found_in_every_scenario_and_named():
    a = cues.audit(_pack(TELL))
    assert len(a.scenarios) == 5
    for s in a.scenarios:
        assert s.decisions == 3
        assert s.accuracy == 1.0 and s.chance == pytest.approx(1 / 3)
        assert s.second == 1.0  # the second reader (conditional logit) finds it too
        assert s.flagged and s.right == ["opening", "details", "remedy"]
        # played through the real session (shuffled), the model passes on wording alone
        assert [p.seed for p in s.played] == list(cues.PLAY_SEEDS)
        assert all(p.grade != "fail" for p in s.played)
    # "I'm", "afraid" and "I'm afraid" have the same counts: the report names one of them
    (afraid,) = [c for c in a.wrong_cues if "afraid" in c.feature or "i'm" in c.feature][:1]
    assert (afraid.options, afraid.good) == (30, 0)
    (sorry,) = [c for c in a.good_cues if "sorry" in c.feature][:1]
    assert (sorry.options, sorry.good) == (15, 15)


def test_the_same_marks_without_the_tell_are_not_flagged():
    a = cues.audit(_pack(PLAIN))
    for s in a.scenarios:
        assert s.accuracy == pytest.approx(s.chance)
        assert s.second == pytest.approx(s.chance)
        assert not s.flagged
        assert all(p.grade == "fail" for p in s.played)
    assert not a.good_cues and not a.wrong_cues  # nothing predicts anything


def test_a_file_is_audited_against_a_pack_without_its_own_earlier_version():
    pack = _pack(TELL)
    one = pack[0]
    a = cues.audit([one], pack, play_it=False)
    assert [s.id for s in a.scenarios] == [one.id]
    # trained on the other four only: 4 scenarios x 3 states x 3 options, + its own 9 once
    assert a.options == 45
    assert a.scenarios[0].flagged


def test_good_means_no_mistakes_and_best_marked():
    sc = load_scenario(TELL / "kettle.yaml")
    ds = cues.decisions(sc)
    assert [d.state for d in ds] == ["opening", "details", "remedy"]
    for d in ds:
        assert sum(d.good) == 1
        (i,) = [i for i, g in enumerate(d.good) if g]
        assert d.texts[i].startswith("Sorry,")


def test_features_see_what_a_learner_sees():
    texts = ["Sorry, that's on us. Shall I fix it?", "I’m afraid not."]
    f = cues.features(texts, "You lost my parcel, fix it")
    assert {"w:i'm", "b:i'm afraid", "start:i'm afraid", "length:least"} <= f[1]
    assert {"question:yes", "sentences:2", "length:most", "start:sorry"} <= f[0]
    assert "pronoun:i" in f[0] and "pronoun:we" in f[0]  # "I" and "us"
    assert "overlap rank:most" in f[0]


def test_command_text_and_json(capsys):
    assert main(["paths", str(TELL), "--cues"]) == 1
    out = capsys.readouterr().out
    assert "cue-tell-kettle" in out and "+67 !" in out and "'i'm afraid'" in out
    # Exit 1 for the plain pack only because of the random-learner odds (below): its wording
    # gives nothing away (no scenario flagged).
    assert main(["paths", str(PLAIN), "--cues", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["flagged"] == [] and len(data["scenarios"]) == 5
    # the exact random-learner odds ride along: one good option of three in three states; the
    # one clean path meets every criterion these toy scenarios offer, so it is a distinction
    # too (the grade follows the marking points, grading.yaml step 4): 1/27 is over the 1% target
    assert {r["random_odds"]["pass_exact"] for r in data["scenarios"]} == {"1/27"}
    assert {r["random_odds"]["distinction_exact"] for r in data["scenarios"]} == {"1/27"}
    assert all(r["random_odds"]["too_high"] for r in data["scenarios"])
    assert data["played"]["pass"] == 0 and data["pooled"]["accuracy"] == 33.3
    assert data["trained_on"] == 4 and data["pack"] == str(PLAIN)


def test_a_single_file_against_a_pack(capsys):
    # exit 1 only for the random-learner odds (1/27 reach a distinction, see above)
    assert main(["paths", str(TELL / "lamp.yaml"), "--cues", "--pack", str(PLAIN)]) == 1
    data_out = capsys.readouterr().out
    # trained on the plain pack, which teaches nothing: the tell is not transferable from it
    assert "cue-tell-lamp" in data_out
    assert "No scenario more than 10 points over chance." in data_out
    assert "! A random learner passes over" in data_out


def test_a_broken_pack_says_which_file_and_does_not_crash(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("id: x\ntitle: [\n", encoding="utf-8")
    assert main(["paths", str(tmp_path), "--cues"]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "Traceback" not in err


def test_the_second_reader_weighs_features_together():
    # "Sorry" is the tell; the logit shares the weight among the features that always come
    # with it, and gives none to a feature every option has
    pack = _pack(TELL)
    reader = cues.Logit([d for sc in pack for d in cues.decisions(sc)])
    assert reader.weights["start:sorry"] > 0.2 and reader.weights["w:afraid"] < -0.2
    assert abs(reader.weights.get("question:no", 0.0)) < 1e-3


def test_a_folder_of_one_scenario_says_it_had_nothing_to_learn_from(tmp_path, capsys):
    (tmp_path / "lamp.yaml").write_bytes((TELL / "lamp.yaml").read_bytes())
    main(["paths", str(tmp_path), "--cues"])
    out = capsys.readouterr().out
    assert "trained on 0 other scenarios: too few to learn a style from" in out


def test_luck_is_the_exact_poisson_binomial_tail():
    # three states where a random pick is right with 1/2: P(all 3 right) = 1/8, P(>= 2) = 1/2
    assert cues.luck([0.5, 0.5, 0.5], 3, readers=1) == pytest.approx(1 / 8)
    assert cues.luck([0.5, 0.5, 0.5], 2, readers=1) == pytest.approx(1 / 2)
    assert cues.luck([0.5, 0.5, 0.5], 2.5, readers=1) == pytest.approx(1 / 8)  # a tie's half
    assert cues.luck([0.5, 0.5, 0.5], 0, readers=1) == pytest.approx(1.0)
    assert cues.luck([0.5, 0.5, 0.5], 3) == pytest.approx(1 / 4)  # two readers: Bonferroni
    # against a simulation of readers that pick blind
    import random

    rng = random.Random(1)
    chances = [1 / 3, 1 / 4, 1 / 2, 1 / 3, 2 / 5] * 3
    hits = sum(sum(rng.random() < p for p in chances) >= 8 for _ in range(20000))
    assert cues.luck(chances, 8, readers=1) == pytest.approx(hits / 20000, abs=0.01)


def test_the_planted_tell_is_no_luck_and_the_plain_pack_is():
    tell = cues.audit(_pack(TELL), play_it=False)
    plain = cues.audit(_pack(PLAIN), play_it=False)
    # 3 states at 1/3 each, all right: 1/27 for one blind reader, 2/27 for the stronger of two
    assert all(s.luck == pytest.approx(2 / 27) for s in tell.scenarios)
    assert tell.pooled_luck is not None and tell.pooled_luck < 1e-6
    assert all(s.luck is not None and s.luck > 0.5 for s in plain.scenarios)


def test_a_reverse_tell_is_flagged_under_chance(tmp_path):
    """A scenario whose wrong options carry the pack's good-sounding words reads far UNDER
    chance (issue 24: headwear-rule at -12, internal-customer-finance at -12 this stop). The
    tell pack's last scenario with its openers swapped: its good options open "I'm afraid" and
    its wrong ones "Sorry,", so the other four teach the readers to pick its wrong options."""
    files = [f for f in scenario_files(TELL) if f.suffix == ".yaml"]
    for f in files[:-1]:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    last = files[-1].read_text(encoding="utf-8")
    swapped = (
        last.replace("Sorry,", "\0").replace("I'm afraid", "Sorry,").replace("\0", "I'm afraid")
    )
    (tmp_path / files[-1].name).write_text(swapped, encoding="utf-8")
    a = cues.audit(_pack(tmp_path), play_it=False)
    rows = {s.id: s for s in a.scenarios}
    odd = load_scenario(tmp_path / files[-1].name).id
    assert rows[odd].reversed and not rows[odd].flagged, rows[odd].margin
    assert not any(s.reversed for k, s in rows.items() if k != odd)
    # and lint --strict names it with its own code
    from scoring.lint_checks import pack_diagnostics

    found = pack_diagnostics(_pack(tmp_path), str(tmp_path))
    codes = {d.code for ds in found.values() for d in ds}
    assert "CT607" in codes


def test_the_plain_pack_has_no_reverse_tell():
    a = cues.audit(_pack(PLAIN), play_it=False)
    assert not any(s.reversed for s in a.scenarios)
