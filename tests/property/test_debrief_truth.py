"""Every debrief an attempt can reach is one an examiner would sign (issue 25, review 25b).

For every shipped scenario, enumerated paths (stride-sampled) are played through the real
Session, scored and debriefed, and the debrief is checked against itself and the path. Each
rule is a defect class the review found (tests/calibration/REVIEW.md, "Review 25b"):

- a keep item never names a rule that the change list names, nor a law still misstated;
- a keep item never carries its own negation ("But with no ownership... does not count");
- a behaviour is kept only from a turn that made no mistake and did not upset the customer;
- "An examiner would not pass this" and "fail(s) an assessment on its own" never appear in a
  debrief graded pass or distinction;
- good practice (laws.yaml `practice: true`) is never listed under "The law";
- "none of these was shown" never lists "apologise" when the learner said sorry;
- no course marking point about referring is met without a referral made or a route explained;
- a law stated correctly (none left misstated) never leaves "explains clearly" missed as not
  shown, nor a course point about knowing that law missed.

Review 25d (tests/calibration/REVIEW.md, "Review 25d") added:

- "none of the course's steps was shown" never stands beside a step a model lists as shown;
- the escalation section names the causes the path showed, not every possible one.

Review 25k (branch review25k, review/REVIEW.md) added:

- "misstated" only on a path that stated a law wrongly; conduct contrary to a law (`breached`)
  is said as what was done, and its Act is never "Not used" (D1);
- a mistake a later choice withdrew is never explained as if it stood (D5);
- a met marking point names its evidence ("Shown by: ... at turn N"), and the path showed it
  at that turn (D7).

Audit 25t (branch audit25t, AUDIT.md) added:

- "passed on without a handover summary" only when an escalation stands, not one taken back
  (D2); one referral over consecutive turns is said once (D10b); an Act a mistake on the path
  breaks in conduct is never "Not used" (D9).

Review 25m (branch review25m, review/REVIEW.md) added:

- a slip recovered by later evidence or taken back never labels the escalation as if it stood
  ("Passed the customer away", D2);
- "Dealt with it yourself, rightly" never beside a standing promise beyond authority (D5);
- a suggestion ("Another topic") is never listed as a thing to change (D6);
- every thing to change is named by its practise label, never a raw mistake label (D18).

Review 25f (tests/calibration/REVIEW.md, "Review 25f") added:

- a missed escalation is never said not to count as "escalation done well" (D9);
- "Kept the case" never heads a case the learner passed away with no ownership (D4);
- a law is "Not used" only when a choice offered on this path applied it (D13);
- the change list never says one mistake twice, as itself and as the point it undid (D18);
- a fail never lists a cap as "At most pass", and an all-missed course list never says "gave
  evidence for" (D21);
- a marking point is met only by a behaviour of its own that the path showed (D2, D3: "checks
  who they are dealing with" with nobody verified, "keeps the customer informed" by an apology),
  and never beside a model step said "not shown" that is its only evidence (D8);
- "before you had heard the customer out" only for an escalation marked premature, or one made
  before the customer had said `heard_out_lines` lines with no hearing shown (D14);
- a hand-over to the right role is never explained as one "you could have resolved yourself"
  (D10).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scoring import debrief, spec
from scoring.scorer import practice_acts
from simulator.engine.loader import load_scenario, scenario_files
from simulator.engine.session import Runtime
from tests.replay import first_problems

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")
PATHS = 15  # per scenario, stride-sampled from the bounded enumeration
SORRY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b", re.IGNORECASE)


def spec_mistakes() -> list[dict[str, Any]]:
    from scoring import catalogue

    return list(catalogue.catalogue()["mistakes"].values())


def problems(sc: Any, t: dict[str, Any]) -> list[str]:
    """What in this attempt's debrief an examiner would not sign."""
    v = debrief.build(sc, t)
    text = debrief.render_view(v, "text")
    s = v["score"]
    out = []
    changed = " ".join(c["title"].lower() for c in v["change"])
    for k in v["keep"]:
        rule = k["title"].split(",")[0].lower()
        if k["title"].endswith(("applied correctly",)) and rule in changed:
            out.append(f"keep and change both name {rule!r}")
        if re.search(r"\bBut\b|does not count|not count", k["text"]):
            out.append(f"keep item carries its own negation: {k['text']!r}")
    standing = {w["act"] for w in v["law"]["wrong"] if not w.get("withdrawn")}
    if not v["law"]["corrected"]:
        for k in v["keep"]:
            if k["title"].split(",")[0] in standing:
                out.append(f"keep names a law still misstated: {k['title']!r}")
    rows = {r["turn"]: r for r in v["turns"]}
    moods = [v["mood"]["start"], *[r["mood"] for r in v["turns"]]]
    for k in v["keep"]:
        m = re.match(r"You showed it at turn (\d+)\.", k["text"])
        if m:
            n = int(m.group(1))
            if rows[n]["mistakes"] or moods[n] < moods[n - 1]:
                out.append(f"keep {k['title']!r} from turn {n}, which made a mistake or upset")
    if s["grade"] != "fail":
        for phrase in ("An examiner would not pass this", "an assessment on its own"):
            if phrase in text:
                out.append(f"graded {s['grade']} but says {phrase!r}")
    practice = practice_acts()
    for w in (*v["law"]["right"], *v["law"]["wrong"], *v["law"]["not_applied"]):
        if str(w["id"]).partition(".")[0] in practice:
            out.append(f"good practice listed under the law: {w['id']}")
    said_sorry = any(r["said"] and SORRY.search(r["said"]) for r in v["turns"])
    for mp in v["marking_points"]["missed"]:
        if said_sorry and "none of these" in mp["why"] and '"apologise"' in mp["why"]:
            if "credited" not in mp["why"]:
                out.append(f"says no apology was shown after a sorry: {mp['why']!r}")
    # review 25d D2: "none of the course's steps was shown" beside a step the models list as shown
    if "none of the course's steps was shown" in text:
        for model in v["models"]:
            for st in model["steps"]:
                if st["turn"] is not None:
                    out.append(f"says no step was shown beside {st['label']!r} shown")
    # review 25d D5: the escalation section names what kept the case from being dealt with
    # (the mistakes and turns, or the outcome), never the whole list of possible causes
    if "with no ownership, a vague referral, or the customer" in v["escalation"]["note"]:
        out.append(
            f"escalation note lists causes the path did not show: {v['escalation']['note']!r}"
        )
    # review 25f D9: a missed escalation is not "escalation done" at all
    note = v["escalation"]["note"]
    if v["escalation"]["verdict"] == "missed" and "does not count as escalation" in note:
        out.append(f"a missed escalation said not to count as done well: {note!r}")
    # review 25f D4: a learner who passed the customer away did not keep the case
    if v["escalation"]["verdict_label"].startswith("Kept the case") and "no ownership" in note:
        out.append("'Kept the case' beside a case passed away with no ownership")
    # review 25f D13: "Not used" only for a law a choice offered on this path applied
    offered = {o["id"] for row in t.get("offers") or [] for o in row["offered"]}
    if offered:
        c = debrief.compiled(sc)
        on_offer = {k for cid in offered for k in c.fx[cid].law_right}
        for w in v["law"]["not_applied"]:
            if w["id"] not in on_offer:
                out.append(f"law 'Not used' from a branch the path never reached: {w['id']}")
    # review 25f D18: a mistake and the marking point it undid are one thing to change
    listed = {spec.mistake(m["id"])["label"].lower() for m in v["mistakes"]}
    for ch in v["change"]:
        m = re.match(r"Undone by the mistakes?: (.*)\.$", ch["text"])
        if m and set(m.group(1).split(", ")) <= listed:
            out.append(f"change list says a mistake twice: {ch['title']!r}")
    # review 25f D21: a fail never reads as if the attempt could have passed
    if s["grade"] == "fail" and "At most pass" in text:
        out.append("'At most pass' on a fail")
    # a sentence that names its turn twice (a recovered slip's reason names its own turns)
    if re.search(r"at turns? ([\d, and]+)[.,;] at turns? \1\b", text):
        out.append("a sentence names the same turn twice")
    # a course point's "met needs" names only marking points this scenario assessed
    unassessed = [
        mp["label"].lower()
        for mp in s.get("marking_points") or []
        if mp.get("status") not in ("met", "missed") and mp.get("label")
    ]
    for cp in v["course_points"]["met"] + v["course_points"]["missed"]:
        for label in unassessed:
            if label in (cp.get("needs") or ""):
                out.append(f"'met needs' names a point not assessed here: {label!r}")
    if not v["course_points"]["met"] and "gave evidence for" in text:
        out.append("'gave evidence for' over a course list that is all missed")
    # review 25f D2/D3/D8: a met point shows one of its own behaviours, and the sections agree
    shown = set(s.get("shown") or {})
    not_shown = {st["behaviour"] for m in v["models"] for st in m["steps"] if st["turn"] is None}
    for mp in spec.grading()["marking_points"]:
        if mp["id"] not in {p["id"] for p in v["marking_points"]["met"]}:
            continue
        own = [b for b in mp.get("shown") or [] if ":" not in b]
        # (a slip taken back never meets a point: moderation26.md cases 5-7)
        if own and len(own) == len(mp.get("shown") or []) and not shown & set(own):
            out.append(f"{mp['id']} met with none of {own} shown")
        if len(mp.get("shown") or []) == 1 and own and own[0] in not_shown:
            out.append(f"{mp['id']} met beside '{own[0]}: not shown'")
    # review 25f D14: heard out is judged by the story reached, not the `hear` tag alone
    if s["escalation"]["premature"]:
        lines = int(spec.grading()["escalation"].get("heard_out_lines", 0) or 0)
        hear_at = (s.get("shown") or {}).get("hear")
        early = [
            e["turn"]
            for e in v["escalation"]["escalations"]
            if "Premature escalation" in rows[e["turn"]]["mistakes"]
            or (e["turn"] < lines and (hear_at is None or hear_at > e["turn"]))
        ]
        if not early:
            out.append("'before you had heard the customer out' after the story was told")
    # review 25f D10: the mistake's explanation is true of a hand-over to the right role
    if s["escalation"]["verdict"] == "correct":
        for m in v["mistakes"]:
            listed = debrief.compiled(sc).fx[t["turns"][m["turn"] - 1]["choice"]].listed
            if listed and "could have resolved it yourself" in str(m["explanation"]):
                out.append("a hand-over to the right role called one you could have resolved")
    met = {p["id"] for p in v["course_points"]["met"]}
    esc = s["escalation"]
    if {"referral_methods", "complaint_referral_procedure"} & met:
        if not esc["escalated_to"] and "signpost" not in s.get("shown", {}):
            out.append("a referral course point met with no referral")
    # review 25k D1: "misstated" only when a choice on the path stated a law wrongly (conduct
    # contrary to the law, a `breached` mark, is said as what was done), and an Act the path
    # breached is never "Not used"
    misstated = bool(s["law"]["wrong"]) or any(m["id"] == "misstates_law" for m in s["mistakes"])
    if not misstated and re.search(
        r"(?<!left )\bmisstated\b|misstates the law|told something wrong about their rights",
        text,
        re.I,
    ):
        out.append("says the law was misstated on a path that stated no law wrongly")
    breached = {str(b["id"]).partition(".")[0] for b in s.get("law_breached") or []}
    for w in v["law"]["not_applied"]:
        if str(w["id"]).partition(".")[0] in breached:
            out.append(f"an Act the path breached listed as 'Not used': {w['id']}")
    # audit 25t D2: "passed on" only when an escalation stands (one taken back passed nothing
    # on); D10b: one referral, the same role on consecutive turns, is said once; D9: an Act a
    # mistake on the path breaks in conduct (grading.yaml law.broken_by) is never "Not used"
    if "passed on without a handover summary" in text and not esc["escalated_to"]:
        out.append("'passed on without a handover summary' with nothing passed on")
    said = v["escalation"]["escalations"]
    for a, b in zip(said, said[1:], strict=False):
        if a["role"] == b["role"] and b["turn"] == a["turn"] + 1:
            out.append(f"one referral said twice: turns {a['turn']} and {b['turn']}")
    broken_by = spec.grading()["law"].get("broken_by") or {}
    broken = {broken_by[m["id"]] for m in s["mistakes"] if m["id"] in broken_by}
    for w in v["law"]["not_applied"]:
        if str(w["id"]).partition(".")[0] in broken:
            out.append(f"an Act a mistake on the path broke listed as 'Not used': {w['id']}")
    # review 25k D5: a mistake a later choice withdrew never keeps its uncorrected explanation
    for m in v["mistakes"]:
        if m.get("withdrawn") and m["explanation"] == spec.mistake(m["id"])["explanation"]:
            out.append(f"withdrawn {m['id']} explained as if it stood: {m['explanation'][:60]!r}")
    # review 25k D7: a met point names the evidence the path has, never met by default
    for mp in v["marking_points"]["met"]:
        if not mp.get("shown_by"):
            out.append(f"{mp['id']} met with no evidence named")
        for b, n in re.findall(r'"([^"]+)" at turn (\d+)', mp.get("shown_by") or ""):
            ids = {k for k in s.get("shown") or {} if spec.behaviour(k)["label"].lower() == b}
            if not any((s.get("shown") or {})[k] == int(n) for k in ids):
                out.append(f"{mp['id']} met by {b!r} at turn {n}, which the path did not show")
    # review 25m D2: a slip recovered (or taken back) never labels the escalation as if it stood
    gone = {(r["id"], r["turn"]) for r in s.get("recovered") or []}
    gone |= {(w["id"], w["turn"]) for w in s.get("withdrawn") or []}
    escg = spec.grading()["escalation"]
    for mid, lab in (escg.get("spoiled_labels") or {}).items():
        made = [(m["id"], m["turn"]) for m in s["mistakes"] if m["id"] == mid]
        if made and set(made) <= gone and v["escalation"]["verdict_label"] == lab:
            out.append(f"escalation labelled {lab!r} after the slip was recovered")
    # review 25m D5: "dealt with it yourself, rightly" never beside a standing beyond_remit
    if v["escalation"]["verdict_label"] == escg["verdicts"]["not_needed"]:
        if any(
            m["id"] == "beyond_remit" and (m["id"], m["turn"]) not in gone for m in s["mistakes"]
        ):
            out.append("'dealt with it yourself, rightly' beside a promise beyond authority")
    # review 25m D6: a suggestion ("Another topic") is never a thing to change
    if v["practise"].get("suggestion") and v["change"]:
        out.append(f"things to change beside nothing needing fixing: {v['change'][0]['title']!r}")
    # review 25m D18: every thing to change is named by its practise label
    mistakes = spec_mistakes()
    raw = {str(m["label"]) for m in mistakes} - {str(m["practise"]) for m in mistakes}
    for ch in v["change"]:
        if ch["title"] in raw:
            out.append(f"a raw mistake label as a thing to change: {ch['title']!r}")
    # applied correctly as the law section says it: an act whose conduct stands broken is not
    # (review 26a class 3), so it is no evidence for "explains clearly"
    law_ok = bool(v["law"]["right"]) and not s["law_open"]
    if law_ok:
        for mp in v["marking_points"]["missed"]:
            if mp["id"] == "explain_clearly" and mp["why"].startswith("this attempt"):
                out.append("law stated correctly, yet 'explains clearly' missed as not shown")
        missed = {p["id"] for p in v["course_points"]["missed"]}
        if "legislation_in_practice" in missed:
            out.append("law stated correctly, yet 'Identifies the key laws' missed")
    return out


def _params() -> list[Any]:
    return [pytest.param(f, id=f.stem) for f in SHIPPED]


@pytest.mark.parametrize("path", _params())
def test_every_debrief_is_true_to_its_path(path):
    sc = load_scenario(path)
    found = first_problems(sc, PATHS, problems)
    assert not found, "\n".join(f"{p}\n    e.g. path: {ids}" for p, ids in found.items())


def test_the_check_finds_what_it_looks_for():
    """Not vacuous: a debrief with a keep item that negates itself, a law both kept and
    changed, and a fail-only sentence on a pass is caught."""
    sc = load_scenario(ROOT / "tests" / "fixtures" / "kettle.yaml")
    s = Runtime(sc).new_session(seed=1)
    s.replay(["opening.1", "fault_described.1"])
    t = s.transcript()
    real = debrief.build
    v = real(sc, t)
    act = v["law"]["right"][0]["act"] if v["law"]["right"] else "Consumer Rights Act 2015"

    def forged(*a: Any, **k: Any) -> dict[str, Any]:
        out = real(*a, **k)
        out["keep"] = [
            {"title": f"{act}, applied correctly", "text": "Turn 2."},
            {"title": "Escalating well", "text": "Right role. But it does not count."},
        ]
        out["change"] = [{"title": f"The rule: {act}", "text": "x"}]
        out["mistakes"] = []
        out["score"]["grade"] = "pass"
        out["practise"]["why"] = "Turn 2 would fail an assessment on its own."
        out["practise"]["suggestion"] = True  # review 25m D6
        out["change"].append({"title": "No ownership", "text": "y"})  # review 25m D18
        return out

    debrief.build = forged  # type: ignore[assignment]
    try:
        found = problems(sc, t)
    finally:
        debrief.build = real  # type: ignore[assignment]
    assert any("keep and change both name" in p for p in found)
    assert any("negation" in p for p in found)
    assert any("an assessment on its own" in p for p in found)
    assert any("beside nothing needing fixing" in p for p in found)
    assert any("a raw mistake label" in p for p in found)
