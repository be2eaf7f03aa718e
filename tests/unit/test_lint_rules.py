"""One broken file per lint rule (§2 of the format), asserting the message and the line it names.

Each case is the small base scenario below with one change. The line the diagnostic must name is
marked in the case's YAML with `#<-`.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simulator.engine.lint.diagnostics import CODES
from simulator.engine.loader import check_bytes, check_file

BASE = """\
id: base
title: Base scenario
topic: complaint
summary: A small scenario to break on purpose.
learner_role: Adviser
customer: {name: Sam, mood: 50}
vars: {asked: false}
start: opening
states:
  opening:
    say: "Hello {{ customer.name }} here."
    choices:
      - text: "How can I help?"
        goto: middle
        shows: [acknowledge]
      - text: "What?"
        goto: done
        mistakes: [rude]
  middle:
    say: "It broke."
    choices:
      - text: "Sorry to hear that."
        goto: done
        feedback: Good.
  done:
    end: resolved
    say: "Thanks."
"""


def lint(text: str):
    return check_bytes(textwrap.dedent(text).encode(), "case.yaml")


def marked_line(text: str) -> int:
    for n, line in enumerate(textwrap.dedent(text).splitlines(), 1):
        if "#<-" in line:
            return n
    raise AssertionError("case has no #<- marker")


def replace(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


CASES = [
    # (case id, yaml, the code of the finding; its severity is the code's)
    (
        "unknown top-level key",
        replace("title: Base scenario", "titel: Base scenario #<-"),
        "CT201",
    ),
    (
        "unknown state key",
        replace('    say: "It broke."', '    sey: "It broke." #<-'),
        "CT201",
    ),
    (
        "unknown choice key",
        replace("        feedback: Good.", "        feedbak: Good. #<-"),
        "CT201",
    ),
    (
        "missing required top-level key",
        replace("learner_role: Adviser\n", "").replace("id: base", "id: base #<-"),
        "CT202",
    ),
    (
        "choice missing goto",
        replace("        goto: middle\n", "").replace(
            '      - text: "How can I help?"', '      - text: "How can I help?" #<-'
        ),
        "CT202",
    ),
    (
        "choice missing text",
        replace('      - text: "What?"\n        goto: done', "      - goto: done #<-"),
        "CT202",
    ),
    (
        "goto names no state",
        replace("        goto: middle", "        goto: midle #<-"),
        "CT101",
    ),
    (
        "start names no state",
        replace("start: opening", "start: openin #<-"),
        "CT102",
    ),
    (
        "rule target names no state",
        replace("states:", "rules:\n  - if: mood < 5\n    goto: walkout #<-\nstates:"),
        "CT101",
    ),
    (
        "non-ending without choices",
        replace(
            '  middle:\n    say: "It broke."\n    choices:\n      - text: "Sorry to hear that."\n'
            "        goto: done\n        feedback: Good.\n",
            '  middle: #<-\n    say: "It broke."\n',
        ),
        "CT208",
    ),
    (
        "ending with choices",
        replace(
            '    end: resolved\n    say: "Thanks."',
            '    end: resolved\n    say: "Thanks."\n    choices: #<-\n      - text: again\n'
            "        goto: opening\n        feedback: x",
        ),
        "CT207",
    ),
    (
        "customer mood out of range",
        replace("customer: {name: Sam, mood: 50}", "customer: {name: Sam, mood: 150} #<-"),
        "CT204",
    ),
    (
        "choice mood out of range",
        replace("        feedback: Good.", "        feedback: Good.\n        mood: 300 #<-"),
        "CT204",
    ),
    (
        "unknown behaviour",
        replace("        shows: [acknowledge]", "        shows: [acknowlege] #<-"),
        "CT103",
    ),
    (
        "unknown mistake",
        replace("        mistakes: [rude]", "        mistakes: [rood] #<-"),
        "CT104",
    ),
    (
        "unknown law id",
        replace(
            "        shows: [acknowledge]",
            "        shows: [acknowledge]\n        law: {consumer_rights_act: right} #<-",
        ),
        "CT105",
    ),
    (
        "unknown law fact",
        replace(
            "        shows: [acknowledge]",
            "        shows: [acknowledge]\n"
            "        law: {consumer_rights_act_2015.short_term_rejection: wrong} #<-",
        ),
        "CT105",
    ),
    (
        "law fact of an unknown act",
        replace(
            "        shows: [acknowledge]",
            "        shows: [acknowledge]\n        law: {data_protection_act.third_party: right} #<-",
        ),
        "CT105",
    ),
    (
        "bad law verdict",
        replace(
            "        shows: [acknowledge]",
            "        shows: [acknowledge]\n        law: {equality_act_2010: yes} #<-",
        ),
        "CT210",
    ),
    (
        "unknown outcome",
        replace("    end: resolved", "    end: resolve #<-"),
        "CT209",
    ),
    (
        "template does not parse",
        replace('    say: "It broke."', '    say: "It {{ broke." #<-'),
        "CT301",
    ),
    (
        "condition does not parse",
        replace("        feedback: Good.", "        feedback: Good.\n        if: mood <<< 3 #<-"),
        "CT302",
    ),
    (
        "template names undefined variable",
        replace('    say: "It broke."', '    say: "It broke {{ vars.aksed }}." #<-'),
        "CT304",
    ),
    (
        "condition names undefined variable",
        replace("        feedback: Good.", "        feedback: Good.\n        if: not vars.nme #<-"),
        "CT304",
    ),
    (
        "template names unknown root",
        replace('    say: "It broke."', '    say: "It broke {{ moood }}." #<-'),
        "CT303",
    ),
    (
        "visits of unknown state",
        replace(
            "        feedback: Good.", "        feedback: Good.\n        if: visits.midle > 1 #<-"
        ),
        "CT305",
    ),
    (
        "customer unknown field",
        replace('    say: "It broke."', '    say: "It broke {{ customer.nam }}." #<-'),
        "CT306",
    ),
    (
        "duplicate state id",
        replace("  done:\n", "  middle: #<-\n    say: x\n    end: lost\n  done:\n"),
        "CT109",
    ),
    (
        "duplicate choice id",
        replace(
            "        goto: done\n        mistakes: [rude]",
            "        goto: done\n        mistakes: [rude]\n        id: opening.1 #<-",
        ),
        "CT110",
    ),
    (
        "duplicate key",
        replace("topic: complaint", "topic: complaint\ntopic: equality #<-"),
        "CT214",
    ),
    (
        "yaml syntax",
        replace("learner_role: Adviser", "learner_role: [Adviser").replace(
            "customer:", "customer: #<-"
        ),
        "CT001",
    ),
    (
        "unknown scoring model",
        replace("start: opening", "start: opening\nmodels: [heet] #<-"),
        "CT106",
    ),
    (
        "bad id",
        replace("id: base", "id: Base Scenario #<-"),
        "CT205",
    ),
    (
        "loops inside loops",
        replace(
            '    say: "It broke."',
            '    say: "{% for a in customer.name %}{% for b in customer.name %}'
            '{% endfor %}{% endfor %}" #<-',
        ),
        "CT308",
    ),
    (
        "macros",
        replace('    say: "It broke."', '    say: "{% macro m() %}x{% endmacro %}{{ m() }}" #<-'),
        "CT308",
    ),
    (
        "variable text too long",
        replace("vars: {asked: false}", "vars: {asked: false, blob: " + "x" * 1001 + "} #<-"),
        "CT211",
    ),
    # warnings
    (
        "set changes a variable's kind",
        replace(
            "        feedback: Good.", "        feedback: Good.\n        set: {asked: lots} #<-"
        ),
        "CT309",
    ),
    (
        "unreachable state",
        replace(
            "  done:\n",
            "  orphan: #<-\n    say: x\n    choices:\n"
            "      - text: y\n        goto: done\n"
            "        feedback: z\n  done:\n",
        ),
        "CT402",
    ),
    (
        "unreachable ending",
        replace("  done:\n", "  lonely: #<-\n    end: lost\n    say: x\n  done:\n"),
        "CT402",
    ),
    (
        "no ending reachable",
        replace("        goto: middle", "        goto: loop\n").replace(
            "  done:\n",
            "  loop: #<-\n    say: again\n    choices:\n      - text: more\n"
            "        goto: loop\n        feedback: x\n  done:\n",
        ),
        "CT403",
    ),
    (
        "choice explains nothing",
        replace(
            '      - text: "Sorry to hear that."\n        goto: done\n        feedback: Good.',
            '      - text: "Sorry to hear that." #<-\n        goto: done',
        ),
        "CT215",
    ),
    (
        "unknown topic",
        replace("topic: complaint", "topic: complaints #<-"),
        "CT107",
    ),
    (
        "set of undeclared variable",
        replace(
            "        feedback: Good.", "        feedback: Good.\n        set: {askd: true} #<-"
        ),
        "CT108",
    ),
]


LOOP = BASE.replace(
    """        goto: done
        feedback: Good.""",
    """        goto: done
        feedback: Good.
      - text: "Let me start again."
        goto: opening
        feedback: Round again.""",
)


def test_a_loop_a_learner_can_be_kept_in_is_a_warning():
    (d,) = [d for d in lint(LOOP).diagnostics if d.code == "CT404"]
    assert d.severity == "warning" and d.name == "endless-loop"
    assert "opening → middle" in d.message and d.line == LOOP.splitlines().index("  opening:") + 1


@pytest.mark.parametrize(
    "bound",
    [
        "rules:\n  - if: visits.middle > 2\n    goto: done\n",
        "rules:\n  - if: turn > 20\n    goto: done\n",
    ],
    ids=["a visits rule", "a turn rule"],
)
def test_a_loop_bounded_by_a_rule_is_fine(bound):
    text = LOOP.replace("states:\n", bound + "states:\n")
    assert [d for d in lint(text).diagnostics if d.code == "CT404"] == []


def test_a_loop_that_always_costs_mood_ends_by_the_mood_rule():
    text = LOOP.replace(
        "        feedback: Round again.", "        feedback: Round again.\n        mood: -5"
    )
    costly = text.replace("states:\n", "rules:\n  - if: mood < 10\n    goto: done\nstates:\n")
    assert [d for d in lint(costly).diagnostics if d.code == "CT404"] == []
    assert [d for d in lint(text).diagnostics if d.code == "CT404"]  # no mood rule: no end


def test_a_choice_offered_only_on_the_first_visit_does_not_loop():
    text = LOOP.replace(
        '      - text: "Let me start again."',
        '      - text: "Let me start again."\n        if: visits.middle == 1',
    )
    assert [d for d in lint(text).diagnostics if d.code == "CT404"] == []


def test_base_is_clean():
    result = lint(BASE)
    assert result.diagnostics == []
    assert result.scenario is not None and result.scenario.id == "base"


@pytest.mark.parametrize("text,code", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(text, code):
    result = lint(text)
    hits = [d for d in result.diagnostics if d.code == code and d.line == marked_line(text)]
    assert hits, f"expected {code} at the #<- line, got: {[str(d) for d in result.diagnostics]}"
    d = hits[0]
    assert d.severity == CODES[code][1] and d.name == CODES[code][0]
    assert d.column >= 1
    assert code in str(d) and CODES[code][0] in str(d)
    if d.severity == "error":
        assert result.scenario is None, "a file with an error must never be playable"
    else:
        assert result.errors == [] and result.scenario is not None


def test_every_problem_at_once():
    text = (
        BASE.replace("        goto: middle", "        goto: midle")
        .replace("    end: resolved", "    end: resolve")
        .replace('    say: "It broke."', '    say: "{{ vars.nme }}"')
    )
    found = {d.code for d in lint(text).errors}
    assert {"CT101", "CT209", "CT304"} <= found


def test_multiline_template_error_points_into_block():
    text = BASE.replace(
        '    say: "It broke."',
        "    say: |\n      First line is fine.\n      Second {{ vars.nope }} line.",
    )
    d = next(d for d in lint(text).errors if d.code == "CT304")
    assert d.line == text.splitlines().index("      Second {{ vars.nope }} line.") + 1


def test_wrong_shape_still_checks_the_rest():
    text = BASE.replace("customer: {name: Sam, mood: 50}", "customer: Sam").replace(
        "        goto: middle", "        goto: midle"
    )
    found = [(d.code, d.line) for d in lint(text).errors]
    assert ("CT203", 6) in found  # customer: Sam
    assert ("CT101", 14) in found  # the goto is still checked


def test_format_other_than_one_is_an_error():
    assert [d.code for d in lint("format: 2\n" + BASE).errors] == ["CT210"]


def test_missing_file_is_a_clean_error(tmp_path):
    result = check_file(tmp_path / "nope.yaml")
    assert [d.code for d in result.errors] == ["CT004"]


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args], capture_output=True, text=True, cwd=cwd
    )


def test_cli_exit_codes_and_format(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(BASE)
    warn = tmp_path / "warn.yaml"
    warn.write_text(
        BASE.replace("id: base", "id: warned").replace("topic: complaint", "topic: complaints")
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.replace("id: base", "id: broken").replace("goto: middle", "goto: midle"))
    assert _cli("lint", str(good)).returncode == 0
    r = _cli("lint", str(warn))
    assert r.returncode == 0 and f"{warn}:3:8: warning: unknown topic" in r.stdout
    assert _cli("lint", "--strict", str(warn)).returncode == 1
    r = _cli("lint", str(bad))
    assert r.returncode == 1
    assert f"{bad}:14:15: error: goto names no state 'midle' (did you mean 'middle'?)" in r.stdout
    assert "Traceback" not in r.stderr
    assert _cli("lint", str(tmp_path / "missing.yaml")).returncode == 2


def test_cli_duplicate_scenario_ids_in_a_pack(tmp_path):
    (tmp_path / "a.yaml").write_text(BASE)
    (tmp_path / "b.yaml").write_text(BASE)
    r = _cli("lint", str(tmp_path))
    assert r.returncode == 1
    assert f"{tmp_path / 'b.yaml'}:1:5: error: duplicate scenario id 'base' (also in " in r.stdout


# Files whose options still give the best answer away by its place or length (`lint --strict`,
# scoring/strategies.py). The pack's rewrite (issue 13) removes names from this list as it fixes
# them; the kettle fixture is a deliberately small version-1 file (file order, no shuffle).
LAYOUT_DEBT = {
    # The shipped pack was rebalanced (issue 13): no shipped file gives its best option away.
    "kettle.yaml",
}
# (the kettle is also small enough to pass by chance: CT605)
LAYOUT_WORDS = ("the best option is", "a learner choosing at random passes")
# Shipped files a learner choosing at random passes more than 5% of the time (CT605, exact
# odds). Since issue 25's grading rules (the grade follows the marking points, not the
# percentage; a behavioural slip outweighed by later evidence recovers a pass; a discrimination
# slip withdrawn while the customer is still served stops only a distinction), random walks
# pass more often. Narrowing the evidence that outweighs "not my department" to a briefed
# hand-over brought courier-lost-cot, internal-customer-finance, late-delivery-recovery and
# phone-screen-refit back under 5%. The five left over 5% are under it since wrong twins there
# fail by the brief (issue 24's odds work): abusive-customer 5.1% -> 3.4%, app-update-damage
# 6.8% -> 3.4%, reasonable-adjustment 5.4% -> 3.6% (facts 28b, 27 and 22),
# long-running-complaint 5.8% -> 3.4% (closing the complaint on the bank's side, facts 27/28)
# and spill-in-aisle 5.5% -> 3.1% (the open accident book, fact 19b; "ring us", fact 27). A
# file that drifts over the limit fails this test until its states are made more decisive.
CHANCE_DEBT: set[str] = set()
CHANCE_WORDS = ("[CT605 passable-by-chance]",)
# Shipped scenarios whose wording still gives the good options away (CT604, `lint --strict` on the
# pack folder, scoring/cues.py). A file that drifts over the margin fails this test until its
# wording is fixed or it is listed here.
CUE_DEBT: set[str] = set()  # empty since the third rewrite: every file within the margin
CUE_WORDS = ("the wording gives the answers away",)


# Loops a learner can be kept in (CT404, issue 26) when the check landed: the pack's authors bound
# them with a `visits.X > n` rule; the list only shrinks (see KNOWN_ENDLESS_LOOPS in test_pack).
LOOP_DEBT: set[str] = set()  # the pack's loops now each end (a `visits.X > 2` rule)


def test_shipped_pack_and_fixture_lint_strictly():
    root = Path(__file__).resolve().parents[2]
    r = _cli("lint", "--strict", str(root / "scenarios"), str(root / "tests/fixtures/kettle.yaml"))
    lines = [x for x in r.stdout.splitlines() if x.strip()]
    loops = {Path(x.split(":", 1)[0]).name for x in lines if "[CT404 endless-loop]" in x}
    assert loops == LOOP_DEBT, sorted(loops ^ LOOP_DEBT)
    lines = [x for x in lines if "[CT404 endless-loop]" not in x]
    layout, cues, chance = set(), set(), set()
    for line in lines:
        name = Path(line.split(":", 1)[0]).name
        if name in CHANCE_DEBT and any(w in line for w in CHANCE_WORDS):
            chance.add(name)
        elif any(w in line for w in CUE_WORDS):
            assert name in CUE_DEBT and "[CT604 wording-cues]" in line, line
            cues.add(name)
        else:
            assert name in LAYOUT_DEBT and any(w in line for w in LAYOUT_WORDS), line
            layout.add(name)
    if not lines:
        assert r.returncode == 0, r.stdout + r.stderr
    # A file fixed since the lists were written must leave them, so the lists only shrink.
    assert layout == LAYOUT_DEBT, sorted(LAYOUT_DEBT - layout)
    assert cues == CUE_DEBT, sorted(CUE_DEBT - cues)
    assert chance == CHANCE_DEBT, sorted(CHANCE_DEBT - chance)


WITHDRAWN = """\
id: withdrawn
title: A withdrawal
topic: complaint
summary: A misstatement, then words that take it back.
learner_role: Adviser
customer: {name: Sam, mood: 50}
start: opening
states:
  opening:
    say: "It broke after ten days."
    choices:
      - text: "You'll need a repair first."
        goto: middle
        mistakes: [misstates_law]
        law: {consumer_rights_act_2015.short_term_reject: wrong}
      - text: "You can have a full refund."
        goto: done
        shows: [take_action]
        law: {consumer_rights_act_2015.short_term_reject: right}
  middle:
    say: "A repair? Inside 30 days?"
    choices:
      - text: "Sorry, I was wrong: inside 30 days you can reject it for a full refund."
        goto: done
        law: {consumer_rights_act_2015.short_term_reject: right}
      - text: "Sorry, I was wrong, but it still goes for repair first."
        goto: done
        mistakes: [misstates_law]
        law: {consumer_rights_act_2015.short_term_reject: wrong}
  done:
    end: resolved
    say: "Thanks."
"""


def test_a_withdrawal_without_corrects_is_a_warning():
    """Review 25b D2: an option whose words withdraw a law error ("I was wrong") and state the
    same law right, with no `corrects:`, is CT606 (the scorer would keep the misstatement
    standing). A "sorry, I was wrong, but..." option that is itself wrong is a distractor."""
    from scoring.lint_checks import unflagged_withdrawals

    sc = lint(WITHDRAWN).scenario
    assert sc is not None
    found = unflagged_withdrawals(sc)
    assert [w for w, _m in found] == [("states", "middle", "choices", 0, "text")]
    assert "'I was wrong'" in found[0][1] and "corrects:" in found[0][1]
    fixed = WITHDRAWN.replace(
        'inside 30 days you can reject it for a full refund."\n',
        'inside 30 days you can reject it for a full refund."\n'
        "        corrects: [consumer_rights_act_2015.short_term_reject]\n",
    )
    sc = lint(fixed).scenario
    assert sc is not None and unflagged_withdrawals(sc) == []
    assert CODES["CT606"][0] == "unflagged-withdrawal"


def test_no_shipped_withdrawal_lacks_corrects():
    from scoring.lint_checks import unflagged_withdrawals
    from simulator.engine.loader import load_scenario, scenario_files

    root = Path(__file__).resolve().parents[2] / "scenarios"
    found = [
        (f.name, m)
        for f in scenario_files(root)
        for _w, m in unflagged_withdrawals(load_scenario(f))
    ]
    assert found == []
