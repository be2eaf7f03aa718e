"""Scenario files are untrusted: they cannot run code, read files, exhaust the machine, or drive
the learner's terminal.

Each case asserts what a user would notice: lint refuses the file naming line:column, or playing
stops with one clear error naming file:line:column, or the text is shown literally — and never
anything from inside the program, a file's contents, or a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.engine.loader import check_bytes, check_file
from simulator.engine.session import Runtime, ScenarioRuntimeError

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
KETTLE_TEXT = KETTLE.read_text(encoding="utf-8")
SAY_LINE = (
    "    say: \"I bought this kettle {{ vars.days_since_purchase }} days ago and it's "
    'stopped working."'
)
assert SAY_LINE in KETTLE_TEXT
SAY_LINENO = KETTLE_TEXT.splitlines().index(SAY_LINE) + 1
CLI = [str(Path(sys.executable).with_name("countertalk"))]
# What a leak would look like: Python objects' reprs, a file's contents, a traceback.
LEAKS = (
    "<class",
    "<function",
    "<module",
    "<built-in",
    "root:x:0",
    "Traceback",
    "TemplateReference",
    "object at 0x",
)


def _with_say(template: str) -> bytes:
    quoted = "'" + template.replace("'", "''") + "'"
    return KETTLE_TEXT.replace(SAY_LINE, f"    say: {quoted}").encode("utf-8")


def _first_line(template: str):
    """Lint, then (if lint passes) start a session: (lint errors, line or exception)."""
    result = check_bytes(_with_say(template), "evil.yaml")
    if result.errors:
        return result.errors, None
    session = Runtime(result.scenario).new_session(seed=1)
    return [], session


def _no_leak(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text


# -- templates ------------------------------------------------------------------------------------
LINT_REFUSES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ vars.__class__ }}",
    "{{ self }}",
    "{{ self._TemplateReference__context }}",
    "{{ range(10**9) }}",
    "{{ lipsum(1000) }}",
    "{{ config }}",
    "{{ vars.update({'a': 1}) }}",
    "{{ visits.clear() }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% from '/etc/passwd' import x %}",
    "{% extends '/etc/passwd' %}",
    "{% debug %}",
]


@pytest.mark.parametrize("template", LINT_REFUSES)
def test_lint_refuses_templates_that_reach_outside_the_sandbox(template):
    errors, _ = _first_line(template)
    assert errors, f"lint accepted {template!r}"
    assert all(e.line == SAY_LINENO and e.column >= 1 for e in errors), [str(e) for e in errors]
    for e in errors:
        assert str(e).startswith(f"evil.yaml:{SAY_LINENO}:")
        # the message may quote the template, but nothing from inside the program
        assert "<class" not in str(e) and "object at 0x" not in str(e)


# Things lint cannot decide without running them (values are only known at play time): playing
# stops with one error naming the file, the say line and what went wrong, and nothing leaks.
RUNTIME_REFUSES = [
    "{{ 'x' * 10**9 }}",
    "{{ [0] * 10**9 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ 10 ** 10 ** 10 }}",
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'|indent(10**9) }}",
    "{{ 'ab'.ljust(10**9) }}",
    "{{ 'x'.zfill(10**9) }}",
    "{{ '%1000000000s'|format(1) }}",
    "{{ '%1000000000s' % 1 }}",
    "{{ '%*s' % (10**9, 'x') }}",
    "{{ '{0:>1000000000}'.format(1) }}",
    "{{ '{:{w}}'.format(1, w=10**9) }}",
    "{{ ('x' * 9999)|replace('x', 'x' * 9999) }}",
    "{{ ('x' * 9999).replace('x', 'x' * 9999) }}",
    "{{ vars|attr('__class__') }}",
    "{{ customer.name|attr('__class__') }}",
    "{% set v = vars %}{{ v.update({'days_since_purchase': 1}) }}",
    "{% set v = vars %}{{ v.pop('days_since_purchase') }}",
    "{{ [].pop() }}",
    "{{ '{0.__class__}'.format(vars) }}",
]


# Of those, the ones that break play's budget with any values at all: lint renders each
# template once on that budget and refuses them first (issue 31, item 9: CT311).
LINT_BOMBS = set(RUNTIME_REFUSES[:15])  # costs; the rest are refused for what they reach


@pytest.mark.parametrize("template", RUNTIME_REFUSES)
def test_playing_stops_cleanly_on_templates_lint_cannot_judge(template):
    result = check_bytes(_with_say(template), "evil.yaml")
    if template in LINT_BOMBS:
        assert [(e.code, e.line) for e in result.errors] == [("CT311", SAY_LINENO)]
        assert "would be stopped when played" in result.errors[0].message
        return
    assert not result.errors, [str(e) for e in result.errors]
    with pytest.raises(ScenarioRuntimeError) as info:
        Runtime(result.scenario).new_session(seed=1)
    message = str(info.value)
    assert message.startswith(f"evil.yaml:{SAY_LINENO}:"), message
    assert "\n" not in message
    _no_leak(message)


def test_a_template_cannot_change_the_variables():
    """Reaching `vars` through a bound name and calling its methods leaves them unchanged."""
    result = check_bytes(
        _with_say("{% set v = vars %}{{ v.update({'receipt_asked': 1}) }}"), "evil.yaml"
    )
    runtime = Runtime(result.scenario)
    with pytest.raises(ScenarioRuntimeError):
        runtime.new_session(seed=1)
    fresh = Runtime(check_file(KETTLE).scenario).new_session(seed=1)
    assert fresh.vars == {"days_since_purchase": 12, "receipt_asked": False}
    assert result.scenario.vars == {"days_since_purchase": 12, "receipt_asked": False}


def test_looping_over_vars_shows_only_names_and_changes_nothing():
    errors, session = _first_line("{% for i in vars %}[{{ i }}]{% endfor %}")
    assert errors == []
    assert session.line == "[days_since_purchase][receipt_asked]"
    assert session.vars == {"days_since_purchase": 12, "receipt_asked": False}


def test_nested_loops_are_refused_by_lint_and_long_loops_while_playing():
    errors, _ = _first_line(
        "{% for i in 'x' * 9999 %}{% for j in 'x' * 9999 %}ab{% endfor %}{% endfor %}"
    )
    assert [e.message for e in errors] == [
        "loops inside loops are not allowed in templates; use one loop"
    ]
    from simulator.engine import templating

    with pytest.raises(templating.RenderError, match="more than 1000 items"):
        templating.render("{% for i in 'x' * 9999 %}ab{% endfor %}", {})
    assert templating.render("{% for c in 'abc' %}{{ c }}-{% endfor %}", {}) == "a-b-c-"


def test_nested_silent_loops_cannot_hang_a_session():
    code = (
        "from simulator.engine import templating\n"
        "src = \"{% for a in 'x'*9999 %}{% for b in 'x'*9999 %}{% for c in 'x'*9999 %}"
        '{% endfor %}{% endfor %}{% endfor %}done"\n'
        "try:\n"
        "    templating.render(src, {'vars': {}, 'mood': 50, 'turn': 0, 'customer': {},"
        " 'visits': {}})\n"
        "except templating.RenderError as exc:\n"
        "    print('refused:', exc)\n"
        "else:\n"
        "    print('rendered')\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, timeout=5, capture_output=True, text=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail("rendering three nested silent loops did not finish in 5 s")
    # It ended by itself, cleanly: a refusal or a bounded render, never a crash.
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.startswith(("refused:", "rendered")), proc.stdout
    assert "Traceback" not in proc.stderr


def test_conditions_are_sandboxed_too():
    text = KETTLE_TEXT.replace("  - if: mood < 10", "  - if: \"''.__class__.__mro__\"")
    result = check_bytes(text.encode(), "evil.yaml")
    line = text.splitlines().index("  - if: \"''.__class__.__mro__\"") + 1
    assert [e.line for e in result.errors] == [line]


# -- YAML -----------------------------------------------------------------------------------------
TITLE = "title: Faulty kettle, 12 days after purchase"
TITLE_LINENO = KETTLE_TEXT.splitlines().index(TITLE) + 1


def _with_title(value: str) -> bytes:
    return KETTLE_TEXT.replace(TITLE, f"title: {value}").encode("utf-8")


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['echo PWNED']",
        "!!python/object/new:os.system ['echo PWNED']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/tuple [1, 2]",
        "!!binary aGk=",
        "!!set {a, b}",
        "!custom thing",
    ],
)
def test_yaml_tags_that_build_objects_are_refused(value):
    result = check_bytes(_with_title(value), "evil.yaml")
    assert result.scenario is None
    [err] = result.errors
    assert (err.line, err.column) == (TITLE_LINENO, 8)
    assert "tag" in err.message and "not allowed" in err.message


def test_a_python_tag_runs_nothing_through_the_real_cli(tmp_path):
    marker = tmp_path / "pwned"
    f = tmp_path / "evil.yaml"
    f.write_bytes(_with_title(f"!!python/object/apply:os.system ['touch {marker}']"))
    env = {**os.environ, "COUNTERTALK_HOME": str(tmp_path)}
    proc = subprocess.run(
        CLI + ["lint", str(f)], capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.returncode == 1
    assert f"{f}:{TITLE_LINENO}:8: error:" in proc.stdout and "Traceback" not in proc.stderr
    proc = subprocess.run(
        CLI + ["play", str(f), "--plain", "--no-save"],
        input="1\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 1
    assert f"{f}:{TITLE_LINENO}:8: error:" in proc.stderr
    assert "Your choice" not in proc.stdout
    assert not marker.exists()


def _bomb(levels: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


def test_billion_laughs_is_refused_with_a_clear_error():
    result = check_bytes(_bomb(), "bomb.yaml")
    assert result.scenario is None
    assert len(result.errors) == 1
    err = result.errors[0]
    assert "alias" in err.message
    assert 1 <= err.line <= 9 and err.column >= 1


def test_billion_laughs_inside_a_real_scenario_is_refused():
    bomb = _bomb().decode().replace("\n", "\n  ").rstrip()
    text = KETTLE_TEXT.replace("vars:\n", "vars:\n  " + bomb + "\n", 1)
    result = check_bytes(text.encode(), "bomb.yaml")
    assert result.scenario is None
    assert any("alias" in e.message for e in result.errors)


def test_a_10_mb_file_is_refused_with_its_size(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_bytes(KETTLE_TEXT.encode() + b"# " + b"x" * (10 * 1024 * 1024) + b"\n")
    result = check_file(f)
    assert result.scenario is None
    [err] = result.errors
    assert (err.line, err.column) == (1, 1)
    assert "10.0 MB" in err.message and "limit" in err.message
    # the same from bytes already in memory
    [err2] = check_bytes(f.read_bytes(), str(f)).errors
    assert "MB" in err2.message


DEEP = {
    "flow": lambda: "x: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "flow-maps": lambda: "x: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n",
    "compact-seq": lambda: "- " * 100_000 + "a\n",
    "compact-seq-under-key": lambda: "states:\n  " + "- " * 100_000 + "a\n",
    "block": lambda: "".join("  " * i + "k:\n" for i in range(1200)) + "  " * 1200 + "v\n",
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_nesting_is_a_clean_error_not_a_crash(name, tmp_path):
    """Run in a subprocess: a C-level stack overflow would kill the interpreter (SIGSEGV)."""
    f = tmp_path / f"{name}.yaml"
    f.write_text(DEEP[name]())
    proc = subprocess.run(
        CLI + ["lint", str(f)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COUNTERTALK_HOME": str(tmp_path)},
    )
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-500:])
    assert re.search(rf"^{re.escape(str(f))}:\d+:\d+: error: .*nested", proc.stdout, re.M), (
        proc.stdout[:500]
    )
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stdout + proc.stderr


def test_bom_is_accepted():
    result = check_bytes(b"\xef\xbb\xbf" + KETTLE_TEXT.encode(), "bom.yaml")
    assert result.errors == []
    assert result.scenario.id == "kettle-day12"
    assert result.scenario.format == 1


def test_crlf_line_endings_load_and_report_the_same_lines():
    crlf = KETTLE_TEXT.replace("\n", "\r\n").encode()
    result = check_bytes(crlf, "crlf.yaml")
    assert result.errors == []
    assert result.scenario.states["refunded"].say == "Thank you, that's sorted it."
    assert result.scenario.summary.strip() == (
        "A customer brings back a kettle that stopped working after twelve days."
    )
    broken = KETTLE_TEXT.replace("goto: refunded", "goto: refundd")
    lf_errs = [(e.line, e.column) for e in check_bytes(broken.encode(), "a").errors]
    crlf_errs = [
        (e.line, e.column) for e in check_bytes(broken.replace("\n", "\r\n").encode(), "a").errors
    ]
    assert lf_errs == crlf_errs and lf_errs


def test_non_utf8_bytes_are_named_by_line_and_column():
    raw = KETTLE_TEXT.encode().replace(b"Priya Shah", b"Pr\xefya Shah")  # a latin-1 byte
    [err] = check_bytes(raw, "latin.yaml").errors
    line = KETTLE_TEXT.splitlines().index("  name: Priya Shah") + 1
    assert (err.line, err.column) == (line, len("  name: Pr") + 1)
    assert "UTF-8" in err.message


def test_nul_bytes_are_named_by_line_and_column():
    raw = KETTLE_TEXT.replace("Priya Shah", "Pri\x00ya Shah").encode()
    [err] = check_bytes(raw, "nul.yaml").errors
    line = KETTLE_TEXT.splitlines().index("  name: Priya Shah") + 1
    assert (err.line, err.column) == (line, len("  name: Pri") + 1)


def test_utf16_file_is_refused_not_misread():
    [err] = check_bytes(KETTLE_TEXT.encode("utf-16"), "u16.yaml").errors
    assert "UTF-8" in err.message


# -- terminal control sequences and markup in plain mode ------------------------------------------
ESC_SAY = r"Hello \e[31mRED\e[0m and \e]8;;https://evil.example\e\\click\e]8;;\e\\ here"
BIDI = "\u202e" + "evil" + "\u202c"


def _nasty_scenario() -> str:
    return f"""\
id: nasty
title: "Title \\e[2J\\e[H{BIDI}"
topic: complaint
summary: A scenario full of control sequences.
learner_role: "Adviser \\e]0;pwned\\a"
customer:
  name: "Ann \\e[1mBold\\e[0m {BIDI} [bold red]Markup[/]"
  persona: "Cross \\e[5mblink\\e[0m"
start: first
states:
  first:
    say: "{ESC_SAY} [bold red]x[/] and [@click=app.quit]quit[/]"
    note: "She \\e[8mhides\\e[0m [link=https://evil.example]this[/link]"
    choices:
      - text: "Reply \\e[41mone\\e[0m [b]literal[/b] {BIDI}"
        goto: second
        mood: -5
        feedback: "Coach \\e]52;c;ZWNobyBoaQ==\\a says [red]hi[/red] \\x9b31m"
      - text: Leave
        goto: done
        feedback: fine
  second:
    say: "{{{{ customer.name }}}} again \\e[?1049h"
    choices:
      - text: Finish
        goto: done
        feedback: fine
  done:
    end: resolved
    say: Bye
"""


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_control_sequences_are_stripped_and_markup_shown_literally(tmp_path):
    f = tmp_path / "nasty.yaml"
    f.write_text(_nasty_scenario(), encoding="utf-8")
    result = check_file(f)
    assert result.errors == [], [str(e) for e in result.errors]
    proc = subprocess.run(
        CLI + ["play", str(f), "--plain", "--seed", "1", "--learner", "sam\x1b[2J"],
        input="1\n\x1b[31m7\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COUNTERTALK_HOME": str(tmp_path)},
    )
    out = proc.stdout
    assert proc.returncode == 1  # input ended before an ending
    assert not CONTROL.search(out), repr(CONTROL.findall(out))
    assert not CONTROL.search(proc.stderr), repr(proc.stderr)
    # the words survive; only the control sequences are gone
    for visible in (
        "Title",
        "evil",
        "RED",
        "click",
        "here",
        "Ann",
        "Bold",
        "Cross",
        "blink",
        "hides",
        "Reply",
        "one",
        "Coach",
        "says",
        "sam",
    ):
        assert visible in out, visible
    # markup is literal text, not styling or actions
    for literal in (
        "[bold red]x[/]",
        "[@click=app.quit]quit[/]",
        "[b]literal[/b]",
        "[red]hi[/red]",
        "[bold red]Markup[/]",
        "[link=https://evil.example]this[/link]",
    ):
        assert literal in out, literal
    assert "Ann Bold evil [bold red]Markup[/] again" in out  # the template saw the raw name,
    # the output shows it stripped


def test_lint_messages_cannot_drive_the_terminal(tmp_path):
    text = KETTLE_TEXT.replace(TITLE, TITLE + '\n"\\e]52;c;ZWNobyBoaQ==\\a\\e[2J": 1').replace(
        "goto: refunded", 'goto: "refund\\e[31med"'
    )
    f = tmp_path / "esc.yaml"
    f.write_text(text)
    proc = subprocess.run(CLI + ["lint", str(f)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    lines = proc.stdout.splitlines()
    assert all(line.startswith(f"{f}:") for line in lines)
    assert [line.split(" [")[-1] for line in lines if ": error: " in line] == [
        "CT201 unknown-key]",
        "CT101 unknown-goto]",
    ]
    # shown escaped, so the tutor can see (and delete) what is there
    assert "\\x1b" in proc.stdout
    assert "did you mean 'refunded'" in proc.stdout


def test_play_errors_cannot_drive_the_terminal(tmp_path):
    text = KETTLE_TEXT.replace("goto: refunded", 'goto: "refund\\e[31med\\u202e"')
    f = tmp_path / "esc.yaml"
    f.write_text(text)
    proc = subprocess.run(
        CLI + ["play", str(f), "--plain", "--no-save"],
        input="1\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Your choice" not in proc.stdout
    assert not CONTROL.search(proc.stderr), repr(proc.stderr)
    assert f"{f}:" in proc.stderr


def test_deep_block_nesting_gets_our_own_message_at_the_line():
    """Our wording, whatever libyaml says about its own limit (it changed in PyYAML 6.0.4)."""
    from simulator.engine.yamlpos import MAX_BLOCK_DEPTH, YamlProblem, parse_bytes

    text = "".join("  " * i + "k:\n" for i in range(MAX_BLOCK_DEPTH + 5)) + "v\n"
    with pytest.raises(YamlProblem) as info:
        parse_bytes(text.encode())
    assert f"nested more than {MAX_BLOCK_DEPTH} levels deep" in info.value.message
    assert info.value.line == MAX_BLOCK_DEPTH + 1
    assert info.value.column == 2 * MAX_BLOCK_DEPTH + 1
    # A real scenario's depth, with block scalars and compact lists, is far below the limit.
    parse_bytes(("a:\n  - - b: |\n" + "      " + " " * 300 + "deep text\n").encode())
