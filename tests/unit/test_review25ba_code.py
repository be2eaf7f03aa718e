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
    """The check can fail: the play-08 line as it was (rude and defensive, only the defensive
    slip taken back) is CT610."""
    from scoring.lint_checks import half_taken_back

    src = (ROOT / "scenarios" / "abusive-customer.yaml").read_text("utf-8")
    line = "Don't shout at me, mate; I didn't miss your appointment. Tell me what happened with it."
    i = src.index(line)
    j = src.index("mistakes: [defensive]", i)
    broken = src[:j] + "mistakes: [rude, defensive]" + src[j + len("mistakes: [defensive]") :]
    p = tmp_path / "abusive-customer.yaml"
    p.write_text(broken, "utf-8")
    found = half_taken_back(load_scenario(p))
    assert len(found) == 1
    assert "mirrored.1" in found[0][1] and "opening.3" in found[0][1] and "rude" in found[0][1]
