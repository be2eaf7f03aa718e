"""Regression tests for the attacker's pass (issue 20): each item that broke, now a clean error.

Every hostile input here must end in a clear CounterTalk error (or be shown harmlessly) within a
bounded time and memory — never a hang, a traceback, or "unexpected … this is a bug"."""

from __future__ import annotations

import pytest

from simulator.engine import templating as T

CTX = {"vars": {}, "mood": 50, "turn": 0, "customer": {"name": "Sam"}, "visits": {}}

BOMBS = {
    # item 2: doubling by joining, tuples, and integers, each step set from the last
    "join-doubling": "{% set a = 'x'*9999 %}" + "{% set a = a ~ a %}" * 17 + "{{ a|length }}",
    "tuple-doubling": "{% set a = (1, 2, 3) %}" + "{% set a = a + a %}" * 30 + "{{ a|length }}",
    "list-doubling": "{% set a = [1, 2, 3] %}" + "{% set a = a + a %}" * 30 + "{{ a|length }}",
    "integer-squaring": "{% set a = 999999**64 %}" + "{% set a = a*a %}" * 22 + "{{ a }}",
    "join-in-one-expression": "{% set a = 'y'*9000 %}{% set b = a ~ a ~ a ~ a %}{{ b }}",
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_template_bombs_stop_with_a_clean_error(name):
    with pytest.raises(T.RenderError) as info:
        T.render(BOMBS[name], CTX)
    assert "too long" in str(info.value) or "too large" in str(info.value)


@pytest.mark.parametrize(
    "source, words",
    [
        ("{{ 'hello'|truncate(-5) }}", "length"),  # item 6: AssertionError inside jinja
        ("{{ customer.name.upper }}", "only text and numbers"),  # a method, with its address
        ("{{ customer.name.upper() }}", ""),  # calling it is fine: text
    ],
)
def test_template_errors_that_escaped_the_sandbox_are_render_errors(source, words):
    if not words:
        assert T.render(source, CTX) == "SAM"
        return
    with pytest.raises(T.RenderError) as info:
        T.render(source, CTX)
    assert words in str(info.value)
    assert "0x" not in str(info.value)  # no memory address reaches a learner


def test_a_lone_surrogate_is_dropped_not_a_crash():
    out = T.render("{{ 'a\ud800b' }}", CTX)
    assert out == "ab"
    out.encode("utf-8")  # printable, storable, sendable
    from simulator.engine.text import plain

    assert plain("x\udfffy") == "xy"


def test_a_render_has_a_time_budget(monkeypatch):
    # Each guarded step checks the clock; with no time left, the next step stops the render.
    monkeypatch.setattr(T, "RENDER_SECONDS", -1.0)
    with pytest.raises(T.RenderError) as info:
        T.render("{% for c in 'abc' %}{{ c * 2 }}{% endfor %}", CTX)
    assert "longer than" in str(info.value)
    monkeypatch.setattr(T, "RENDER_SECONDS", 0.5)
    assert T.render("{% for c in 'abc' %}{{ c * 2 }}{% endfor %}", CTX) == "aabbcc"


def test_ordinary_arithmetic_still_works():
    assert T.render("{{ 2**10 }} {{ 'ab' ~ 'cd' }} {{ (1,) + (2,) }}", CTX) == "1024 abcd (1, 2)"
    assert T.evaluate("mood * 2 > 90", CTX) is True


# -- item 9: hostile transcripts into `countertalk score` --------------------------------------------
HOSTILE_TRANSCRIPTS = {
    "nested": "[" * 100_000 + "]" * 100_000,
    "infinity-seed": '{"scenario": "faulty-toaster-day12", "seed": Infinity, "turns": []}',
    "huge-seed": '{"scenario": "faulty-toaster-day12", "seed": ' + "9" * 5000 + ', "turns": []}',
    "text-mood": '{"scenario": "faulty-toaster-day12", "turns": [{"choice": "x", "mood": "high"}]}',
    "surrogate-learner": '{"scenario": "faulty-toaster-day12", "learner": "\\ud800", "turns": []}',
    "path-as-id": '{"scenario": "../../etc/passwd", "turns": []}',
    "huge": '{"scenario": "faulty-toaster-day12", "pad": "' + "x" * (5 * 1024 * 1024) + '"}',
}


@pytest.mark.parametrize("name", list(HOSTILE_TRANSCRIPTS))
def test_hostile_transcripts_get_a_clear_error(name, tmp_path):
    import subprocess
    import sys
    import time
    from pathlib import Path

    f = tmp_path / f"{name}.json"
    f.write_text(HOSTILE_TRANSCRIPTS[name], encoding="utf-8", errors="surrogatepass")
    bin_ = Path(sys.executable).parent / "countertalk"
    t = time.monotonic()
    proc = subprocess.run(
        [str(bin_), "score", str(f), "--format", "text"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"COUNTERTALK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    elapsed = time.monotonic() - t
    out = proc.stdout + proc.stderr
    if name == "surrogate-learner":  # harmless once cleaned: it scores
        assert proc.returncode == 0, out
    else:
        assert proc.returncode == 1, out
        assert str(f) in proc.stderr
    assert "Traceback" not in out and "This is a bug" not in out and "unexpected" not in out
    assert elapsed < 30, f"{name} took {elapsed:.1f} s"


def test_a_transcript_scenario_id_never_names_a_path(tmp_path):
    from scoring.transcript import TranscriptError, read

    f = tmp_path / "t.json"
    f.write_text('{"scenario": "../scenarios/faulty-toaster-day12", "turns": []}')
    with pytest.raises(TranscriptError, match="scenario"):
        read(f)


# -- item 4: every field, every output ------------------------------------------------------------
def test_hostile_fields_are_inert_in_every_output(tmp_path):
    """Escalation roles, reasons and feedback from a shared file reach plain mode and every
    debrief format as text: no terminal control sequence, no HTML, no Markdown link."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    text = (root / "tests/fixtures/kettle.yaml").read_text()
    text = text.replace(
        "  to: [supervisor]",
        '  to: ["supervisor\\e]52;c;ZWNobyBwd25lZA==\\a", "<img src=x onerror=alert(1)>"]',
    )
    text = text.replace(
        "  reason: Refunds under £100 are within an adviser's authority.",
        '  reason: "[click](javascript:alert(1)) <script>alert(2)</script> \\x9b31mRED"',
    )
    text = text.replace(
        "feedback: You acknowledged the problem and invited the customer to explain.",
        'feedback: "<img src=x onerror=alert(3)> [y](javascript:alert(4)) \\e[2J"',
    )
    f = tmp_path / "evil.yaml"
    f.write_text(text)
    bin_ = str(Path(sys.executable).parent / "countertalk")
    env = {**os.environ, "COUNTERTALK_HOME": str(tmp_path / "home")}
    for answers in ("1\n1\n", "3\n"):  # resolved, and escalated (the roles are printed)
        out = tmp_path / "t.json"
        plain = subprocess.run(
            [bin_, "play", str(f), "--plain", "--no-save", "--transcript-out", str(out)],
            input=answers,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert plain.returncode == 0, plain.stderr
        outputs = {"plain": plain.stdout}
        for fmt in ("text", "md", "html"):
            p = subprocess.run(
                [bin_, "score", str(out), "--scenario", str(f), "--format", fmt],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
            )
            assert p.returncode == 0, p.stderr
            outputs[fmt] = p.stdout
        for name, shown in outputs.items():
            assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown, name
            assert "31mRED" not in shown, name  # a C1 sequence is removed whole
            if name == "html":
                assert "<img" not in shown and "<script" not in shown
                assert 'href="javascript' not in shown
            if name == "md":
                assert "<img" not in shown.replace("\\<img", "")
                assert "](javascript:" not in shown.replace("\\](javascript:", "")


# -- item 7: path analysis with many variables is bounded --------------------------------------------
def _variable_bomb(n_vars: int, n_states: int = 30) -> str:
    lines = ["format: 1", "id: var-bomb", "title: Vars", "topic: complaint", "summary: s"]
    lines += ["learner_role: r", "customer: {name: A}", "vars:"]
    lines += [f"  v{i}: false" for i in range(n_vars)]
    lines += ["start: s0", "states:"]
    for s in range(n_states):
        nxt = f"s{s + 1}" if s + 1 < n_states else "done"
        v = s % n_vars
        cond = " and ".join(f"vars.v{(s + k) % n_vars}" for k in range(3))
        lines += [f"  s{s}:", f'    say: "line {s}"', "    choices:"]
        lines.append(
            f'      - {{text: "yes {s}", goto: {nxt}, set: {{v{v}: true}}, shows: [hear], '
            "feedback: ok}"
        )
        lines.append(
            f'      - {{text: "no {s}", goto: {nxt}, set: {{v{v}: false}}, '
            "mistakes: [defensive], feedback: ok}"
        )
        lines.append(
            f'      - {{text: "maybe {s}", goto: {nxt}, if: "{cond}", shows: [empathise], '
            "feedback: ok}"
        )
    lines += ["  done:", "    end: resolved", "    say: bye"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("n_vars", [16, 24])
def test_paths_on_many_variables_ends_and_says_it_is_approximate(n_vars, tmp_path):
    """16 boolean variables took paths and graph over 60 s and 650 MB (24: past 4 GB). A budget
    of time and partial paths bounds it; the answer says it is approximate."""
    import subprocess
    import sys
    from pathlib import Path

    f = tmp_path / "bomb.yaml"
    f.write_text(_variable_bomb(n_vars))
    bin_ = str(Path(sys.executable).parent / "countertalk")
    proc = subprocess.run(
        [bin_, "paths", str(f), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=90,  # a hang guard, not a speed target (that is in benchmarks/)
        env={"COUNTERTALK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode in (0, 1), proc.stderr[-500:]
    import json

    result = json.loads(proc.stdout)
    assert result["exact"] is False and result["budget_cut"] is True
    assert result["best"] is not None and result["worst"] is not None


def test_the_end_of_game_debrief_does_not_search_without_end(tmp_path):
    """One mistake a turn for 30 turns on the 16-variable file: the better-choice searches share
    one budget, and every mistake still gets a better line that makes no mistake."""
    import subprocess
    import sys
    from pathlib import Path

    f = tmp_path / "bomb.yaml"
    f.write_text(_variable_bomb(16))
    bin_ = str(Path(sys.executable).parent / "countertalk")
    proc = subprocess.run(
        [bin_, "play", str(f), "--plain", "--no-save", "--seed", "1"],
        input="2\n" * 30,
        capture_output=True,
        text=True,
        timeout=90,  # a hang guard; it took 90 s before the budget
        env={"COUNTERTALK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.count("Better:") >= 25
    assert 'Better: "no ' not in proc.stdout  # a better line never makes the same mistake


# -- item 10: names longer than a file name may be ------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["play", "{L}", "--plain"],
        ["paths", "{L}"],
        ["graph", "{L}"],
        ["lint", "{L}.yaml"],
        ["classroom", "{L}"],
        ["test", "{L}.yaml"],
    ],
    ids=lambda a: a[0],
)
def test_a_name_over_255_bytes_is_a_usage_error_not_a_bug(argv, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    long_name = "a" * 300
    bin_ = str(Path(sys.executable).parent / "countertalk")
    proc = subprocess.run(
        [bin_, *[a.replace("{L}", long_name) for a in argv]],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={"COUNTERTALK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2, proc.stderr
    assert "too long for a file name" in proc.stderr
    assert "bug" not in proc.stderr and "Traceback" not in proc.stderr


def test_the_render_budget_counts_cpu_time_not_a_busy_machines_wall_clock():
    """A template's 0.5 s budget is this thread's CPU time: a render that waits (its thread
    not scheduled on a loaded server, here a sleep) is not stopped, while a bomb that spins still
    is (the tests above). On the wall clock, a two-process web benchmark at load 5 stopped an
    ordinary line of late-delivery-recovery mid-play."""
    import time

    from simulator.engine import templating

    def waits():
        time.sleep(0.3)
        return "ok"

    ctx = {"vars": {"f": waits}, "mood": 1, "turn": 1, "customer": {}, "visits": {}}
    start = time.monotonic()
    out = templating.render("{% for i in [1, 2, 3] %}{{ vars.f() }}{% endfor %}", ctx)
    assert out == "okokok"
    assert time.monotonic() - start > templating.RENDER_SECONDS  # longer than the budget


def test_compiling_a_template_does_not_count_against_its_run_budget(monkeypatch) -> None:
    """The 0.5 s budget bounds running a template; compiling is cached and size-bounded. A
    first render on a busy test worker once failed a long ending by counting its compile."""
    import time as _time

    from simulator.engine import sandbox, templating

    real = sandbox.compiled

    def slow_compile(source: str):
        end = _time.thread_time() + templating.RENDER_SECONDS + 0.1
        while _time.thread_time() < end:
            pass
        return real(source)

    monkeypatch.setattr(sandbox, "compiled", slow_compile)
    assert templating.render("{% if x %}yes{% endif %} and more", {"x": True}) == "yes and more"
