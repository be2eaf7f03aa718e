"""Scenario tests: `NAME.test.yaml` beside `NAME.yaml` says what a path must give.

    tests:
      - name: ideal path is a distinction
        path: [opening.1, reason.1, verify.1]   # choice ids, or numbers as offered (1 = first)
        seed: 0                                  # optional (picks `say` variants)
        expect:
          ending: logged            # the ending state
          outcome: resolved         # resolved | escalated | unresolved | lost
          grade: distinction        # fail | pass | distinction
          percent: [80, 100]        # inclusive range (or one number)
          mistakes: [rude]          # each made at least once
          no_mistakes: [rude]       # none made
          met: [take_ownership]     # marking points met (scoring/grading.yaml)

Each test plays the path through the engine (the same session the app uses) and scores it with
the scorer, so a test fails exactly when a learner taking that path would see something else.
A failure names the step where the path first went wrong: the choice that was not on offer,
the first step after which the expected ending could no longer be reached, or the step that
made an unexpected mistake.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.engine.pack import scenario_for as scenario_for  # re-exported
from simulator.engine.pack import test_file_for as test_file_for

EXPECT_KEYS = ("ending", "outcome", "grade", "percent", "mistakes", "no_mistakes", "met")
CASE_KEYS = ("name", "path", "seed", "expect")
GRADES = ("fail", "pass", "distinction")


@dataclass
class Outcome:
    """One test's result: `failures` empty when it passed."""

    file: str
    name: str
    line: int
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures


def find(targets: list[str]) -> tuple[list[Path], list[str]]:
    """(test files, targets that hold none)."""
    from simulator.engine.pack import test_files

    found: list[Path] = []
    empty: list[str] = []
    for t in targets:
        files = test_files(t)
        if not files:
            empty.append(t)
        found.extend(f for f in files if f not in found)
    return found, empty


def run_file(test_file: Path) -> list[Outcome]:
    """Run every test in one file. Problems with the file itself are failures at their line."""
    from simulator.engine import yamlpos

    from .checks import load

    tf = str(test_file)
    try:
        parsed = yamlpos.parse_bytes(test_file.read_bytes())
    except OSError as exc:
        return [Outcome(tf, "(file)", 1, [f"cannot read: {exc.strerror or exc}"])]
    except yamlpos.YamlProblem as exc:
        return [Outcome(tf, "(file)", exc.line, [f"{tf}:{exc.line}:{exc.column}: {exc.message}"])]
    data = parsed.data
    cases = data.get("tests") if isinstance(data, dict) else None
    if not isinstance(cases, list) or not cases:
        return [Outcome(tf, "(file)", 1, [f"{tf}:1:1: write 'tests:' as a list of tests"])]
    scenario_path = scenario_for(test_file)
    loaded = load(scenario_path)  # the one check pipeline: what lint reports for the file
    if loaded.scenario is None:
        if loaded.is_activity and not loaded.errors:
            why = f"{scenario_path} is an activity; tests are written for conversations"
            return [Outcome(tf, "(scenario)", 1, [why])]
        errors = [str(d) for d in loaded.errors][:5] or [f"no scenario file {scenario_path}"]
        return [Outcome(tf, "(scenario)", 1, [f"the scenario has errors: {e}" for e in errors])]
    return [_run_case(tf, parsed, i, case, loaded.scenario) for i, case in enumerate(cases)]


def _run_case(tf: str, parsed: Any, i: int, case: Any, scenario: Any) -> Outcome:
    line = parsed.value_at(("tests", i))[0]
    name = case.get("name") if isinstance(case, dict) else None
    out = Outcome(tf, str(name) if name else f"test {i + 1}", line)
    started = time.perf_counter()
    problems = _check_case(case, parsed, i, tf)
    if problems:
        out.failures = problems
    else:
        out.failures = _play(case, scenario)
    out.seconds = time.perf_counter() - started
    return out


def _check_case(case: Any, parsed: Any, i: int, tf: str) -> list[str]:
    def at(*path: Any, key: bool = False) -> str:
        full = ("tests", i, *path)
        line, col = parsed.where(full) if key else parsed.value_at(full)
        return f"{tf}:{line}:{col}"

    if not isinstance(case, dict):
        return [f"{at()}: a test is a mapping with name, path and expect"]
    problems = [
        f"{at(k, key=True)}: unknown key '{k}'; a test has {', '.join(CASE_KEYS)}"
        for k in case
        if k not in CASE_KEYS
    ]
    path = case.get("path")
    if not isinstance(path, list) or not all(
        isinstance(s, (str, int)) and not isinstance(s, bool) for s in path
    ):
        problems.append(f"{at('path')}: path must be a list of choice ids or numbers")
    seed = case.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        problems.append(f"{at('seed')}: seed must be a whole number from 0")
    expect = case.get("expect")
    if not isinstance(expect, dict) or not expect:
        problems.append(f"{at('expect')}: expect must say what the path gives, e.g. {{ending: X}}")
        return problems
    for k, v in expect.items():
        if k not in EXPECT_KEYS:
            problems.append(
                f"{at('expect', k, key=True)}: unknown expectation '{k}'; use {', '.join(EXPECT_KEYS)}"
            )
        elif k in ("mistakes", "no_mistakes", "met") and not (
            isinstance(v, list) and all(isinstance(x, str) for x in v)
        ):
            problems.append(f"{at('expect', k)}: {k} must be a list of ids")
        elif k == "grade" and v not in GRADES:
            problems.append(f"{at('expect', k)}: grade must be one of {', '.join(GRADES)}")
        elif k == "percent" and _range(v) is None:
            problems.append(f"{at('expect', k)}: percent must be a number or [low, high]")
    return problems


def _range(v: Any) -> tuple[float, float] | None:
    def num(x: Any) -> bool:
        return isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x <= 100

    if num(v):
        return (v, v)
    if isinstance(v, list) and len(v) == 2 and all(map(num, v)) and v[0] <= v[1]:
        return (v[0], v[1])
    return None


def _step_label(n: int, step: Any, text: str | None = None) -> str:
    shown = f' "{text}"' if text else ""
    return f"step {n} ({step}{shown})"


def _play(case: dict[str, Any], scenario: Any) -> list[str]:
    from simulator.engine.session import Runtime, ScenarioRuntimeError, SessionError

    expect = case["expect"]
    session = Runtime(scenario).new_session(seed=case.get("seed", 0), learner="test")
    # (step number, as written, choice id, text, state after it)
    taken: list[tuple[int, object, str, str, str]] = []
    for n, step in enumerate(case["path"], 1):
        if session.ended:
            return [
                f"{_step_label(n, step)}: the conversation already ended at '{session.ending}' "
                f"after step {n - 1}; remove the rest of the path or change an earlier step"
            ]
        offered = session.offered()
        pick = None
        if isinstance(step, int):
            pick = offered[step - 1] if 1 <= step <= len(offered) else None
        else:
            pick = next((o for o in offered if o.choice_id == step), None)
        if pick is None:
            on_offer = ", ".join(f"{o.number}={o.choice_id}" for o in offered) or "nothing"
            return [
                f"{_step_label(n, step)}: not on offer in state '{session.state}' "
                f"(on offer: {on_offer}); the path diverged here"
            ]
        try:
            session.choose(pick.number)
        except (SessionError, ScenarioRuntimeError) as exc:
            return [f"{_step_label(n, step)}: {exc}"]
        taken.append((n, step, pick.choice_id, pick.text, session.state))

    failures: list[str] = []
    if not session.ended:
        failures.append(
            f"the path stops in state '{session.state}' after step {len(taken)}, before an "
            f"ending; add the choices that finish the conversation"
        )
    for key in ("ending", "outcome"):
        want = expect.get(key)
        got = session.ending if key == "ending" else session.outcome
        if want is not None and want != got:
            if got is None:
                failures.append(f"expected {key} '{want}', but the path reached no ending")
            else:
                where = _divergence(scenario, taken, key, want)
                failures.append(f"expected {key} '{want}', got '{got}'; {where}")
    needs_score = any(k in expect for k in ("grade", "percent", "mistakes", "no_mistakes", "met"))
    if not needs_score:
        return failures
    from scoring.scorer import ScoringError, score

    transcript = session.transcript()
    try:
        s = score(scenario, transcript)
    except ScoringError as exc:
        return [*failures, f"could not score the path: {exc}"]
    made: dict[str, int] = {}
    for m in s["mistakes"]:
        made.setdefault(m["id"], m["turn"])
    if "grade" in expect and s["grade"] != expect["grade"]:
        failures.append(
            f"expected grade {expect['grade']}, got {s['grade']} ({s['percent']}%: "
            f"{s.get('grade_reason', '')}){_first_mistake(taken, made)}"
        )
    if "percent" in expect:
        lo, hi = _range(expect["percent"]) or (0, 100)
        if not lo <= s["percent"] <= hi:
            failures.append(
                f"expected percent in {lo:g}..{hi:g}, got {s['percent']}"
                f"{_first_mistake(taken, made)}"
            )
    for m in expect.get("mistakes", []):
        if m not in made:
            failures.append(
                f"expected mistake '{m}' somewhere on the path; none of the steps made it"
            )
    for m in expect.get("no_mistakes", []):
        if m in made:
            n = made[m]
            _, step, cid, text, _ = taken[n - 1]
            failures.append(
                f"expected no '{m}' mistake; {_step_label(n, step if step == cid else cid, text)} "
                f"made it — the path diverged here"
            )
    if expect.get("met"):
        from scoring.debrief import build

        view = build(scenario, transcript, s)
        met = {p["id"] for p in view["marking_points"]["met"]}
        for mp in expect["met"]:
            if mp not in met:
                why = next(
                    (p.get("why") for p in view["marking_points"]["missed"] if p["id"] == mp),
                    None,
                )
                failures.append(
                    f"expected marking point '{mp}' met; it was not" + (f" ({why})" if why else "")
                )
    return failures


def _first_mistake(taken: list[Any], made: dict[str, int]) -> str:
    if not made:
        return ""
    m, n = min(made.items(), key=lambda kv: kv[1])
    _, _step, cid, text, _ = taken[n - 1]
    return f"; the first mistake ('{m}') was at {_step_label(n, cid, text)}"


def _divergence(scenario: Any, taken: list[Any], key: str, want: Any) -> str:
    """The first step after which `want` (an ending id or an outcome) could not be reached."""
    targets = {
        sid
        for sid, st in scenario.states.items()
        if st.end is not None and (sid == want if key == "ending" else st.end == want)
    }
    if not targets:
        return f"no ending {'is called' if key == 'ending' else 'has outcome'} '{want}'"
    rule_targets = {r.goto for r in scenario.rules}
    rev: dict[str, set[str]] = {s: set() for s in scenario.states}
    for sid, st in scenario.states.items():
        outs = {c.goto for c in st.choices} | (rule_targets if st.choices else set())
        for t in outs:
            rev.setdefault(t, set()).add(sid)
    can = set(targets)
    todo = list(targets)
    while todo:
        for prev in rev.get(todo.pop(), ()):
            if prev not in can:
                can.add(prev)
                todo.append(prev)
    if scenario.start not in can:
        return f"'{want}' cannot be reached from the start at all"
    for n, _step, cid, text, now in taken:
        _sid, _i, ch = scenario.find_choice(cid)
        if now not in can:
            if now != ch.goto:
                return (
                    f"the path diverged at {_step_label(n, cid, text)}: a rule sent the "
                    f"conversation to '{now}' instead of '{ch.goto}', from where '{want}' "
                    f"can no longer be reached"
                )
            return (
                f"the path diverged at {_step_label(n, cid, text)}: from '{now}', "
                f"'{want}' can no longer be reached"
            )
    return "every step still allowed it"


# -- reports ------------------------------------------------------------------------------------
def junit_xml(outcomes: list[Outcome]) -> bytes:
    """JUnit XML (one testsuite per test file), as CI servers read it."""
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name="countertalk test")
    by_file: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_file.setdefault(o.file, []).append(o)
    total = failed = 0
    for file, items in by_file.items():
        fails = sum(not o.passed for o in items)
        total += len(items)
        failed += fails
        suite = ET.SubElement(
            root,
            "testsuite",
            name=file,
            tests=str(len(items)),
            failures=str(fails),
            errors="0",
            time=f"{sum(o.seconds for o in items):.3f}",
        )
        for o in items:
            tc = ET.SubElement(
                suite,
                "testcase",
                name=_xml_safe(o.name),
                classname=Path(file).name.split(".test.")[0],
                file=file,
                line=str(o.line),
                time=f"{o.seconds:.3f}",
            )
            if not o.passed:
                f = ET.SubElement(tc, "failure", message=_xml_safe(o.failures[0]))
                f.text = _xml_safe("\n".join(o.failures))
    root.set("tests", str(total))
    root.set("failures", str(failed))
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _xml_safe(text: str) -> str:
    import re

    return re.sub(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "?", text)


# -- starter tests ------------------------------------------------------------------------------
def starter(scenario: Any, *, grades: bool = True) -> str:
    """A first NAME.test.yaml for a scenario: its best and worst paths, as `paths` finds them.
    With `grades=False` the tests expect only what follows from the file itself (endings,
    outcomes, mistakes), not what the grading rules make of them."""
    import json

    from scoring import paths

    analysis = paths.analyse(scenario)
    lines = [
        f"# Tests for {scenario.id}: run them with 'countertalk test {scenario.id}.test.yaml'.",
        "# A path lists choice ids (STATE.N by default) or numbers as offered (1 = first).",
        "# expect: ending, outcome, grade, percent [low, high], mistakes, no_mistakes, met.",
        "tests:",
    ]
    for label, p in (("best", analysis.get("best")), ("worst", analysis.get("worst"))):
        if not p:
            continue
        expect = {"ending": p["ending"], "outcome": p["outcome"]}
        if label == "best":
            if grades:
                expect["grade"] = p["grade"]
            made = sorted({m["id"] if isinstance(m, dict) else m for m in p.get("mistakes", [])})
            every = sorted(
                {m for st in scenario.states.values() for c in st.choices for m in c.mistakes}
            )
            clean = [m for m in every if m not in made]
            if clean:
                expect["no_mistakes"] = clean
        else:
            made = sorted({m["id"] if isinstance(m, dict) else m for m in p.get("mistakes", [])})
            if made:
                expect["mistakes"] = made
        if grades:
            name = f"the {label} path ends {p['outcome']}"
        elif label == "best":
            name = f"a clean path reaches {p['ending']} ({p['outcome']})"
        else:
            name = f"a poor path reaches {p['ending']} ({p['outcome']}) and makes its mistakes"
        lines += [
            f"  - name: {json.dumps(name)}",
            f"    path: {json.dumps(p['choices'])}",
            f"    expect: {json.dumps(expect)}",
        ]
    if len(lines) == 4:
        lines.append("  []  # no path reaches an ending yet; add tests when one does")
    return "\n".join(lines) + "\n"
