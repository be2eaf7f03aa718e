"""Review 25ba (tests/calibration/reviews/review25ba.md), the scoring-code side: the debrief
sentences an examiner flagged on plays 03, 05 and 08, replayed on the very path the examiner
graded (tests/calibration/review25ba.yaml), and each class checked over the whole pack (lint),
so a fix is of the class, not of the one play.

- Class 2 (play 08): one turn-1 line marked both rude and defensive; the defensive slip was
  "taken back at turn 2" while the rude one failed the attempt and undid the respect point. A
  line's mistakes are taken back together or not at all (lint CT610), and "Don't shout at me,
  mate; I didn't miss your appointment" is defensive mirroring, not rude: no insult, swearing or
  contempt (brief §6 premise 9 names mirroring aggression as its own wrong move).
- Class 5 (play 05): offering the courier every customer's contact details was also marked
  `beyond_remit`, so the debrief said "only another role could agree: that part needed
  referring". No role can approve an unlawful disclosure (brief 19b): lint CT611 refuses
  `beyond_remit` beside a data mistake. Class 4's second half: an escalation line that names a
  fault never scores 100%.
- Class 1's code side (play 03): a missed course point behind several marking points says which
  of them were shown and which were not, not only "Missed".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.engine.loader import load_scenario, scenario_files
from tests.replay import printed, review_play

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")


def _printed(n: int) -> str:
    scenario, seed, ids = review_play("review25ba", n)
    return printed(scenario, seed, ids)[1]


# -- class 2: one slip on one line counts once ---------------------------------------------------


def test_play08_the_mirrored_line_is_taken_back_in_every_section():
    """Play 08: "Grade: Fail, 59% … you were rude to the customer (turn 1)" beside "taken back
    at turn 2" for the same line; "Greets and treats the customer with respect … undone by the
    mistake: rude" beside apologies, thanks and "That's okay, honestly" at turns 2-8."""
    out = _printed(8)
    assert "Grade: Pass" in out
    assert not re.search(r"\brude\b", out, re.IGNORECASE)
    assert "Met, a pass point: Greets and treats the customer with respect." in out
    assert "taken back at turn 2" in out
    assert "Missed: Carries out the core duties" not in out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_no_line_is_taken_back_in_part(path):
    """Lint CT610 finds nothing in the pack: no `corrects:` takes back some of a line's mistakes
    while leaving one that fails the attempt standing."""
    from scoring.lint_checks import half_taken_back

    assert half_taken_back(load_scenario(path)) == []


def test_lint_finds_a_line_taken_back_in_part(tmp_path):
    """The check can fail: the play-08 line as it shipped until moderation26.md case 1 (rude and
    defensive, only the defensive slip taken back at mirrored.1) is CT610, and `lint` says so."""
    from scoring.lint_checks import diagnostics, half_taken_back

    src = (ROOT / "scenarios" / "abusive-customer.yaml").read_text(encoding="utf-8")
    line3 = (
        "        mistakes: [defensive]\n        mood: -10\n        feedback: >\n          Matching"
    )
    assert src.count(line3) == 1
    old = src.replace(line3, line3.replace("[defensive]", "[rude, defensive]"))
    path = tmp_path / "abusive-customer.yaml"
    path.write_text(old, encoding="utf-8")
    sc = load_scenario(path)
    found = half_taken_back(sc)
    assert len(found) == 1
    assert "mirrored.1" in found[0][1] and "opening.3" in found[0][1] and "rude" in found[0][1]
    assert any("CT610" in str(d) for d in diagnostics(sc, strict=False))


# -- class 5: an unlawful disclosure is not a matter of authority --------------------------------


def test_play05_the_disclosure_is_not_called_beyond_authority():
    """Play 05: "You agreed something outside your authority (a payment, a policy exception)"
    and "only another role could agree: that part needed referring" for offering the courier
    every customer's contact details, which no role can approve (brief 19b)."""
    out = _printed(5)
    assert "needed referring" not in out
    assert "outside your authority" not in out
    assert "Beyond remit" not in out
    assert "agreed something beyond your authority" not in out
    # the disclosure itself is still named, and still fails
    assert "Shares more data than needed, or insecurely" in out
    assert "Grade: Fail" in out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_no_disclosure_is_marked_beyond_authority(path):
    """Lint CT611 finds nothing in the pack."""
    from scoring.lint_checks import unlawful_beyond_remit

    assert unlawful_beyond_remit(load_scenario(path)) == []


def test_lint_finds_a_disclosure_marked_beyond_authority(tmp_path):
    """The check can fail: play 05's option as it was (`beyond_remit` beside `oversharing`)."""
    from scoring.lint_checks import unlawful_beyond_remit

    src = (ROOT / "scenarios" / "courier-lost-cot.yaml").read_text("utf-8")
    i = src.index("complaints list with everyone's contact details")
    j = src.index("mistakes: [oversharing]", i)
    broken = src[:j] + "mistakes: [beyond_remit, oversharing]" + src[j + 23 :]
    p = tmp_path / "courier-lost-cot.yaml"
    p.write_text(broken, "utf-8")
    found = unlawful_beyond_remit(load_scenario(p))
    assert len(found) == 1
    assert "improvement.3" in found[0][1] and "oversharing" in found[0][1]


# -- class 4, second half: a fault named in the escalation line is not full marks ----------------


def _beyond_remit_kept_paths() -> list[tuple[str, list[str], dict]]:
    """(scenario, path, debrief view) of every calibration case (each review's blind plays and
    cases.yaml) that takes an option marked `beyond_remit`, whose escalation line says the case
    was kept but something beyond authority was agreed."""
    import yaml

    from scoring import debrief
    from tests.replay import assessed_transcript

    out = []
    loaded: dict[str, object] = {}
    for f in sorted((ROOT / "tests" / "calibration").glob("*.yaml")):
        for case in yaml.safe_load(f.read_text("utf-8")).get("cases") or []:
            name, ids = case.get("scenario"), list(case.get("path") or [])
            src = ROOT / "scenarios" / f"{name}.yaml"
            if not ids or not src.exists():
                continue
            sc = loaded.setdefault(name, load_scenario(src))
            marked = set()
            for sid, st in sc.states.items():  # type: ignore[attr-defined]
                for k, ch in enumerate(st.choices):
                    if "beyond_remit" in ch.mistakes:
                        marked.add(sc.choice_id(sid, k))  # type: ignore[attr-defined]
            if not marked & set(ids):
                continue
            try:
                view = debrief.build(sc, assessed_transcript(sc, ids, int(case.get("seed") or 0)))
            except Exception:  # a case whose path the scenario no longer has
                continue
            if "beyond your authority" in str(view["escalation"].get("verdict_label") or ""):
                out.append((name, ids, view))
    return out


def test_an_escalation_line_that_names_a_fault_is_not_full_marks():
    """Play 05: "Escalation: Kept the case, but agreed something beyond your authority, 100%".
    Knowing where your own authority stops is the first step of good escalation (brief fact 27):
    the line that says it was crossed scores below full marks, wherever it is printed."""
    found = _beyond_remit_kept_paths()
    assert found, "no sampled path keeps a case with a promise beyond authority standing"
    for name, ids, view in found:
        pct = view["escalation"].get("percent")
        assert pct is not None and pct < 100, (name, ids, pct)


# -- class 1, the code side: a course point missed through one of several marking points ---------


def _course_line(out: str, start: str) -> str:
    m = re.search(re.escape(start) + r".*?(?= (?:Met|Missed|Not yet shown): |Practise next)", out)
    assert m, start
    return m.group(0)


def test_a_partly_met_core_duties_line_says_what_was_shown():
    """Play 03: "Missed: Carries out the core duties of the role — greeting customers and handling
    their queries" followed a single missed pass point, with greeting and treating him with respect
    met. Play 03 now meets it (its checking question counts, truth25be), so play 13 (relative-asks,
    the same course point half met) holds the class: the line says which part was shown."""
    out = _printed(13)
    line = _course_line(out, "Missed: Carries out the core duties of the role")
    assert "shown: greets and treats the customer with respect" in line
    assert "not shown: finds out what the customer needs and expects" in line


def test_a_course_point_missed_in_full_names_no_part_as_shown():
    """Play 05's "Missed: Knows the limits of their role" rests on no marking point met: it says
    nothing was partly shown."""
    out = _printed(5)
    line = _course_line(out, "Missed: Links procedures such as complaint handling")
    assert "shown:" not in line.lower().replace("not shown:", "")
