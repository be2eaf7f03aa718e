"""The Markdown debrief against golden files (regenerate with UPDATE_GOLDEN=1), and the view
model's promises: why this grade, a better thing to say, text shown safely."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scoring.debrief import build, render
from scoring.scorer import score
from simulator.engine.loader import load_scenario
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "golden" / "debrief"
KETTLE = ROOT / "fixtures" / "kettle.yaml"

PATHS = {
    "kettle-best": ["opening.1", "fault_described.1"],
    "kettle-defensive": ["opening.2", "receipt_first.1", "fault_described.1"],
    "kettle-misstated": ["opening.1", "fault_described.2"],
    "kettle-premature": ["opening.3"],
}


def transcript(ids, **extra):
    sc = load_scenario(KETTLE)
    session = Runtime(sc).new_session(seed=5, learner="sam")
    session.replay(ids)
    t = session.transcript()
    t.update(extra)
    return sc, t


@pytest.mark.parametrize("name", sorted(PATHS))
def test_markdown_debrief_matches_golden(name):
    sc, t = transcript(PATHS[name])
    if name == "kettle-best":
        t["ending_line"] = "Thank you, that's sorted it."
        t["ending_debrief"] = "The customer used her short-term right to reject."
    got = render(sc, t, fmt="md")
    path = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 and review it"
    assert got == path.read_text(encoding="utf-8")


def test_view_model_explains_the_grade_and_offers_a_better_line():
    sc, t = transcript(PATHS["kettle-defensive"])
    d = build(sc, t)
    # A defensive opening, then "Sorry — what's gone wrong with it?": the apology treats her
    # with respect (a pass point), but the defensive line stops a distinction.
    assert d["grade"] == "pass" and d["thresholds"] == {"pass": 60, "distinction": 80}
    assert "A distinction also needs: Adapts their approach" in d["grade_reason"]
    (m,) = d["mistakes"]
    assert (m["id"], m["turn"], m["said"]) == ("defensive", 1, "Have you got the receipt?")
    assert m["better"]["choice"] == "opening.1"
    assert m["better"]["text"].startswith("I'm sorry it's let you down")
    assert m["advice"] and m["explanation"]
    assert [p["mood"] for p in d["mood"]["points"]] == [40, 30, 35, 60]
    heat = next(x for x in d["models"] if x["id"] == "heat")
    assert heat["missing"] == ["Empathise"]
    # the heading names what to practise, with the mistake it comes from
    assert d["practise"]["title"] == "Starting with their problem, not your defence"
    assert d["practise"]["mistake"] == "defensive"
    assert any(p["id"] == "adapt_behaviour" for p in d["marking_points"]["missed"])
    assert [r["feedback"] for r in d["turns"]][0] == (
        "Opening with proof of purchase sounds like suspicion."
    )


def test_misstated_law_names_the_act_and_the_rule():
    sc, t = transcript(PATHS["kettle-misstated"])
    d = build(sc, t)
    (law,) = d["law"]["wrong"]
    assert law["act"] == "Consumer Rights Act 2015" and "30 days" in law["rule"]
    assert law["turns"] == [2]
    assert d["grade"] == "fail"
    assert d["practise"]["why"].startswith("Turn 2 misstated it, and it was never put right")


def test_premature_escalation_shows_what_good_escalation_looks_like():
    sc, t = transcript(PATHS["kettle-premature"])
    d = build(sc, t)
    e = d["escalation"]
    assert (e["verdict"], e["premature"]) == ("unnecessary", True)
    assert any("handover" in g for g in e["good_practice"])
    assert "before you had heard" in e["note"]
    assert "Good escalation" in render(sc, t, fmt="text")


def test_untrusted_text_is_escaped_in_html_and_stripped_in_text():
    sc, t = transcript(PATHS["kettle-best"], learner="<b>x</b>\x1b[31m")
    t["turns"][0]["text"] = "<script>alert(1)</script>\x1b]0;pwned\x07"
    html = render(sc, t, fmt="html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html
    text = render(sc, t, fmt="text")
    assert "\x1b" not in text and "\x07" not in text
    md = render(sc, t, fmt="md")
    assert "\\<script\\>" in md


def test_render_uses_a_given_score_and_rejects_unknown_formats():
    sc, t = transcript(PATHS["kettle-best"])
    s = score(sc, t)
    assert f"{s['percent']}%" in render(sc, t, s, fmt="text")
    with pytest.raises(ValueError):
        render(sc, t, s, fmt="pdf")


def test_debrief_reads_what_was_offered_from_the_transcript_without_replaying(monkeypatch):
    import scoring.debrief as debrief

    sc, t = transcript(PATHS["kettle-defensive"])
    assert len(t["offers"]) == len(t["turns"])
    t["offers"][0]["feedback"] = "Recorded while playing."
    t["offers"][0]["offered"] = [
        {"id": o["id"], "text": "As shown: " + o["id"]} for o in t["offers"][0]["offered"]
    ]

    def no_replay(*_a, **_k):
        raise AssertionError("the debrief replayed a transcript that carries its offers")

    monkeypatch.setattr(debrief, "_replay", no_replay)
    d = build(sc, t)
    assert d["turns"][0]["feedback"] == "Recorded while playing."
    assert d["mistakes"][0]["better"]["text"] == "As shown: opening.1"


def test_a_transcript_written_before_offers_existed_still_scores_and_debriefs():
    sc, t = transcript(PATHS["kettle-defensive"])
    new = build(sc, t)
    del t["offers"]
    old = build(sc, t)
    assert old["turns"] == new["turns"] and old["mistakes"] == new["mistakes"]
    assert old["grade"] == new["grade"] == "pass"  # defensive, then an apology


def test_offers_recorded_against_another_version_of_the_file_are_not_trusted():
    sc, t = transcript(PATHS["kettle-defensive"])
    t["offers"][0]["feedback"] = "Recorded against another file."
    t["scenario_version"] = "0" * 64
    d = build(sc, t)
    assert d["turns"][0]["feedback"] == "Opening with proof of purchase sounds like suspicion."
    t["scenario_version"] = sc.content_hash
    t["offers"][0]["offered"] = [{"id": "somewhere.else", "text": "x"}]  # not what was chosen
    assert build(sc, t)["turns"][0]["feedback"].startswith("Opening with proof")
