"""Plain play (§7) and the transcript (§8) through the real `countertalk` command.

Every test runs the installed console script in a subprocess with COUNTERTALK_HOME in a temporary
folder, feeding answers on standard input exactly as a script or screen-reader user would.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CLI = [str(BIN / "countertalk")]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
from simulator.engine.pack import scenario_files  # noqa: E402

SHIPPED = scenario_files(ROOT / "scenarios")


# A scenario whose first state hides choices behind `if`s, to check numbering and ids.
GATED = """\
id: gated-test
title: Gated choices
topic: complaint
summary: Checks numbering among offered choices.
learner_role: Adviser
customer:
  name: Gail Test
  mood: 50
vars:
  vip: false
  asked: false
start: hello
states:
  hello:
    say: ["First variant, turn {{ turn }}", "Second variant, turn {{ turn }}",
          "Third variant, turn {{ turn }}", "Fourth variant, turn {{ turn }}"]
    choices:
      - text: Secret VIP offer
        if: vars.vip
        goto: done
        feedback: hidden
      - text: Ask a question
        goto: hello
        set: {asked: true}
        mood: +5
        feedback: You asked.
      - text: Wrap up
        if: vars.asked
        goto: done
        shows: [confirm]
      - text: Give up
        goto: gone
        mistakes: [no_ownership]
  done:
    end: resolved
    say: Thanks, all sorted.
    debrief: The adviser asked first.
  gone:
    end: lost
    say: I'm off.
"""


def run(args, stdin="", home=None, timeout=60, env_extra=None):
    env = {**os.environ, "COUNTERTALK_HOME": str(home)} if home else dict(os.environ)
    env.pop("COUNTERTALK_DEBUG", None)
    env.update(env_extra or {})
    return subprocess.run(
        CLI + [str(a) for a in args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )


@pytest.fixture
def gated(tmp_path):
    f = tmp_path / "gated.yaml"
    f.write_text(GATED, encoding="utf-8")
    return f


def offered_lists(stdout: str) -> list[list[tuple[int, str]]]:
    """The numbered choice lists, in order, as [(number, text), ...]."""
    blocks, current = [], []
    for line in stdout.splitlines():
        m = re.match(r"^\s+(\d+)\. (.*)$", line)
        if m and not line.lstrip().startswith(("You:",)):
            current.append((int(m.group(1)), m.group(2)))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# -- §7: numbering, re-asking, end of input ----------------------------------------------------
def test_numbers_count_only_offered_choices_and_ids_count_every_choice(gated, tmp_path):
    out_json = tmp_path / "t.json"
    proc = run(
        [
            "play",
            gated,
            "--plain",
            "--seed",
            "4",
            "--learner",
            "sam",
            "--no-save",
            "--transcript-out",
            out_json,
        ],
        "1\n1\n",
        home=tmp_path,
    )
    assert proc.returncode != 0  # input ended before an ending
    lists = offered_lists(proc.stdout)
    # a false `if` takes no number: the VIP offer and (at first) "Wrap up" are not shown
    assert lists[0] == [(1, "Ask a question"), (2, "Give up")]
    assert lists[1] == [(1, "Ask a question"), (2, "Wrap up"), (3, "Give up")]
    assert "Secret VIP offer" not in proc.stdout
    t = json.loads(out_json.read_text())
    # ids still count every choice in the file: "Ask a question" is the 2nd choice of `hello`
    assert [turn["choice"] for turn in t["turns"]] == ["hello.2", "hello.2"]
    assert [turn["text"] for turn in t["turns"]] == ["Ask a question"] * 2
    assert [turn["mood"] for turn in t["turns"]] == [55, 60]
    assert t["ending"] is None


def test_numbers_not_offered_are_refused_and_asked_again(gated, tmp_path):
    answers = ["0", "3", "-1", "1.0", "x", "", "²", "9" * 5000, "\x1b[2J", "1"]
    proc = run(
        ["play", gated, "--plain", "--seed", "1", "--no-save"],
        "\n".join(answers) + "\n",
        home=tmp_path,
    )
    out = proc.stdout
    assert "Traceback" not in proc.stderr and "unexpected" not in proc.stderr
    # one prompt per answer in the first state: 9 refusals, then "1" is taken
    first_state = out.split("Ask a question", 2)[2] if out.count("Ask a question") > 1 else out
    assert out.count("Your choice (1-2)") == len(answers)
    refusals = re.findall(r"^.*(?:not one of the choices|Please enter a number).*$", out, re.M)
    assert len(refusals) == len(answers) - 1
    assert all("1 to 2" in r for r in refusals)
    assert "'3' is not one of the choices" in out
    # after the valid answer the second state's list is shown (with the newly offered choice)
    assert offered_lists(out)[-1] == [(1, "Ask a question"), (2, "Wrap up"), (3, "Give up")]
    assert "\x1b" not in out
    assert first_state


def test_end_of_input_before_an_ending_fails_and_says_so(gated, tmp_path):
    proc = run(["play", gated, "--plain", "--seed", "1"], "1\n", home=tmp_path)
    assert proc.returncode != 0
    assert proc.stderr.startswith("countertalk: ")
    assert re.search(r"input ended|end of input", proc.stderr)
    assert "--resume" in proc.stderr  # tells the user how to continue
    assert "Traceback" not in proc.stderr
    # nothing at all on stdin
    proc = run(["play", gated, "--plain", "--seed", "1"], "", home=tmp_path)
    assert proc.returncode != 0 and re.search(r"input ended|end of input", proc.stderr)


def test_same_seed_and_answers_give_the_same_session(gated, tmp_path):
    args = ["play", gated, "--plain", "--seed", "11", "--learner", "sam"]
    a = run(args + ["--transcript-out", tmp_path / "a.json"], "1\n1\n1\n", home=tmp_path)
    b = run(args + ["--transcript-out", tmp_path / "b.json"], "1\n1\n1\n", home=tmp_path)
    assert a.stdout == b.stdout and a.stderr == b.stderr and a.returncode == b.returncode
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
    # the seed picks the customer's variants: over several seeds, more than one is said
    firsts = set()
    for seed in range(8):
        p = run(["play", gated, "--plain", "--seed", seed, "--no-save"], "", home=tmp_path)
        firsts.add(re.search(r"Gail Test: (\w+) variant", p.stdout).group(1))
    assert len(firsts) > 1


def test_customer_line_in_turns_is_what_was_said_just_before(gated, tmp_path):
    out_json = tmp_path / "t.json"
    proc = run(
        ["play", gated, "--plain", "--seed", "2", "--no-save", "--transcript-out", out_json],
        "1\n1\n",
        home=tmp_path,
    )
    said = re.findall(r"^Gail Test: (.*)$", proc.stdout, re.M)
    t = json.loads(out_json.read_text())
    assert [turn["customer"] for turn in t["turns"]] == said[:2]
    assert [turn["state"] for turn in t["turns"]] == ["hello", "hello"]
    assert said[0].endswith("turn 0") and said[1].endswith("turn 1")


# -- §8: the transcript of a finished session --------------------------------------------------
def test_transcript_out_matches_section_8(gated, tmp_path):
    out_json = tmp_path / "t.json"
    proc = run(
        ["play", gated, "--plain", "--seed", "7", "--learner", "sam", "--transcript-out", out_json],
        "1\n2\n",
        home=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    t = json.loads(out_json.read_text())
    assert t["format"] == 1
    assert t["scenario"] == "gated-test"
    assert t["seed"] == 7 and t["learner"] == "sam"
    assert [
        set(turn) >= {"state", "choice", "text", "customer", "mood"} for turn in t["turns"]
    ] == [True, True]
    assert [turn["choice"] for turn in t["turns"]] == ["hello.2", "hello.3"]
    assert t["ending"] == "done" and t["outcome"] == "resolved"
    assert t["final_mood"] == 55 == t["turns"][-1]["mood"]
    score = t["score"]
    assert isinstance(score["percent"], (int, float)) and 0 <= score["percent"] <= 100
    assert score["grade"] in ("distinction", "pass", "fail")
    assert set(score["models"]) <= {"heat", "service_cycle"}
    assert score["escalation"]["verdict"] in (
        "correct",
        "missed",
        "wrong_role",
        "unnecessary",
        "not_needed",
    )
    assert score["escalation"]["verdict"] == "not_needed"
    assert score["law"] == {"right": [], "wrong": []}
    assert score["mistakes"] == []
    # the end of the conversation: ending line and debrief on stdout
    assert "Thanks, all sorted." in proc.stdout
    assert "The adviser asked first." in proc.stdout


def test_kettle_refund_path_scores_the_law_and_the_steps(tmp_path):
    out_json = tmp_path / "t.json"
    proc = run(
        [
            "play",
            KETTLE,
            "--plain",
            "--seed",
            "7",
            "--learner",
            "sam",
            "--transcript-out",
            out_json,
        ],
        "1\n1\n",
        home=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    t = json.loads(out_json.read_text())
    assert [turn["choice"] for turn in t["turns"]] == ["opening.1", "fault_described.1"]
    assert (t["ending"], t["outcome"], t["final_mood"]) == ("refunded", "resolved", 75)
    s = t["score"]
    assert s["law"] == {"right": ["consumer_rights_act_2015"], "wrong": []}
    assert s["models"]["heat"]["steps"]["hear"] == 1
    assert s["models"]["heat"]["steps"]["take_action"] == 2
    assert s["escalation"]["verdict"] == "not_needed"
    assert "The customer used her short-term right to reject." in proc.stdout


def test_a_mistake_is_recorded_with_its_turn(tmp_path):
    out_json = tmp_path / "t.json"
    proc = run(
        ["play", KETTLE, "--plain", "--seed", "1", "--transcript-out", out_json],
        "2\n1\n1\n",
        home=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    t = json.loads(out_json.read_text())
    assert {"id": "defensive", "turn": 1} in t["score"]["mistakes"]
    # the repair choice's `if` was false (receipt asked): only one choice was offered there
    assert offered_lists(proc.stdout)[2] == [
        (1, "You're within 30 days, so you're entitled to a full refund.")
    ]


def test_same_seed_same_answers_same_finished_output(tmp_path):
    args = ["play", KETTLE, "--plain", "--seed", "5", "--learner", "sam"]
    a = run(args + ["--transcript-out", tmp_path / "a.json"], "2\n2\n1\n1\n", home=tmp_path)
    b = run(args + ["--transcript-out", tmp_path / "b.json"], "2\n2\n1\n1\n", home=tmp_path)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()


def test_plain_mode_reads_aloud_as_sentences_and_the_debrief_leads_with_the_verdict(tmp_path):
    """Issue 30: what a screen reader reads aloud. No decoration ("==", "---" rules, "[ ]" and
    "[missed]" tokens, arrows), no seed in the header (it is said at the end, where it replays
    the conversation), and the debrief leads with the outcome, the grade, two things to keep
    and two to change before the detail."""
    proc = run(
        ["play", KETTLE, "--plain", "--seed", "668551", "--no-save"], "2\n1\n1\n", home=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for token in ("==", "---", "[ ]", "[x]", "[met]", "[missed]", "→", "/100", "DEBRIEF"):
        assert token not in out, token
    header = out.split("Your choice", 1)[0]
    assert "668551" not in header
    assert out.rstrip().endswith(f"countertalk play {KETTLE} --plain --seed 668551")
    assert out.count("668551") == 1
    debrief = out.split("The conversation is over: resolved.", 1)[1]
    lines = [line for line in debrief.splitlines() if line.strip()]
    assert lines[0].startswith("Debrief: Faulty kettle")
    order = [
        "Outcome: Resolved.",
        "Grade: ",
        "Two things to keep:",
        "Two things to change:",
        "How the score is made:",
        "Turn by turn:",
    ]
    at = [next(i for i, line in enumerate(lines) if line.startswith(o)) for o in order]
    assert at == sorted(at), lines[:20]
    keep = lines[at[2] + 1 : at[3]]
    assert [line[:3] for line in keep] == ["1. ", "2. "]
    change = debrief.split("Two things to change:", 1)[1].split("How the score", 1)[0]
    # the defensive opening, named by what to practise instead, with its turn
    assert "Starting with their problem, not your defence. Turn 1:" in change


def test_score_text_is_the_same_debrief_as_plain_mode(tmp_path):
    """`countertalk score --format text` prints the debrief plain mode ends with."""
    out_json = tmp_path / "t.json"
    proc = run(
        ["play", KETTLE, "--plain", "--seed", "4", "--no-save", "--transcript-out", out_json],
        "2\n1\n1\n",
        home=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    scored = run(["score", out_json, "--scenario", KETTLE, "--format", "text"], home=tmp_path)
    assert scored.returncode == 0, scored.stderr
    body = proc.stdout.split("The conversation is over: resolved.\n\n", 1)[1]
    body = body.rsplit("\n\nTo replay this conversation", 1)[0]
    assert scored.stdout.rstrip() == body.rstrip()


# -- FILE_OR_ID ------------------------------------------------------------------------------------
def test_an_id_resolves_in_a_pack_even_when_the_file_is_named_differently(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "some-other-name.yaml").write_text(KETTLE.read_text())
    (pack / "gated.yaml").write_text(GATED)
    proc = run(
        ["play", "kettle-day12", "--plain", "--pack", pack, "--seed", "1", "--no-save"],
        "",
        home=tmp_path,
    )
    assert proc.stdout.startswith("Faulty kettle, 12 days after purchase.\n"), proc.stderr
    proc = run(
        ["play", "gated-test", "--plain", "--pack", pack, "--seed", "1", "--no-save"],
        "",
        home=tmp_path,
    )
    assert proc.stdout.startswith("Gated choices.\n")


def test_an_unknown_id_suggests_the_close_one_and_exits_2(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "k.yaml").write_text(KETTLE.read_text())
    proc = run(["play", "kettle-day21", "--plain", "--pack", pack], "1\n", home=tmp_path)
    assert proc.returncode == 2
    assert "did you mean 'kettle-day12'" in proc.stderr
    assert "Your choice" not in proc.stdout and "Traceback" not in proc.stderr


def test_a_missing_file_is_a_clear_error(tmp_path):
    proc = run(["play", tmp_path / "nope.yaml", "--plain"], "1\n", home=tmp_path)
    assert proc.returncode == 2
    assert "nope.yaml" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenarios_resolve_by_id(path, tmp_path):
    from simulator.engine.loader import check_file

    result = check_file(path)
    assert result.errors == [], [str(e) for e in result.errors]
    proc = run(
        ["play", result.scenario.id, "--plain", "--seed", "1", "--no-save"], "", home=tmp_path
    )
    assert proc.returncode == 1  # no input: stops before an ending
    assert proc.stdout.startswith(f"{result.scenario.title.rstrip('.')}."), proc.stderr
    assert "Your choice (1-" in proc.stdout


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenarios_play_to_the_end_as_the_engine_says(path, tmp_path):
    """A random walk found with the engine, replayed through the CLI, ends in the same place."""
    import random

    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime

    scenario = load_scenario(path)
    runtime = Runtime(scenario)
    for seed in range(20):
        rng = random.Random(seed)
        s = runtime.new_session(seed=seed, learner="sam")
        numbers = []
        while not s.ended and len(numbers) < 200:
            n = rng.randint(1, len(s.offered()))
            numbers.append(n)
            s.choose(n)
        if s.ended:
            break
    assert s.ended, "no random walk reached an ending in 200 turns"
    out_json = tmp_path / "t.json"
    proc = run(
        ["play", path, "--plain", "--seed", seed, "--learner", "sam", "--transcript-out", out_json],
        "".join(f"{n}\n" for n in numbers),
        home=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    t = json.loads(out_json.read_text())
    assert t["ending"] == s.ending and t["outcome"] == s.outcome
    assert [x["choice"] for x in t["turns"]] == [x["choice"] for x in s.turns]
    # an ending with its own mood (compensation's broken promise) ends there (review 25aq)
    assert t["final_mood"] == s.final_mood
    assert f"The conversation is over: {s.outcome}." in proc.stdout


# -- files with errors -------------------------------------------------------------------------
def test_a_file_with_errors_is_never_played(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = KETTLE.read_text().replace("goto: refunded", "goto: refundd")
    bad.write_text(text)
    line = text.splitlines().index("        goto: refundd") + 1
    proc = run(["play", bad, "--plain", "--seed", "1"], "1\n1\n", home=tmp_path)
    assert proc.returncode == 1
    assert f"{bad}:{line}:15: error: goto names no state 'refundd'" in proc.stderr
    assert "did you mean 'refunded'" in proc.stderr
    assert "Your choice" not in proc.stdout and "Priya" not in proc.stdout
    assert "Traceback" not in proc.stderr


def test_lint_reports_every_problem_with_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (
        KETTLE.read_text()
        .replace("goto: refunded", "goto: refundd")
        .replace("shows: [acknowledge, apologise, hear]", "shows: [acknowledge, apologise, listen]")
    )
    bad.write_text(text)
    proc = run(["lint", bad], home=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len([x for x in lines if ": error: " in x]) == 2
    assert all(re.match(rf"^{re.escape(str(bad))}:\d+:\d+: (error|warning): ", x) for x in lines)
    assert run(["lint", KETTLE], home=tmp_path).returncode == 0


# -- help ------------------------------------------------------------------------------------------
def test_python_dash_m_simulator_help():
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0
    assert "usage: countertalk" in proc.stdout
    for name in ("play", "lint"):
        assert name in proc.stdout


def _commands():
    from simulator.cli import COMMANDS

    return sorted(COMMANDS)


@pytest.mark.parametrize("command", _commands())
def test_every_subcommand_explains_itself(command, tmp_path):
    from simulator.cli import COMMANDS

    module = ROOT / "simulator" / "commands" / f"{COMMANDS[command][0]}.py"
    assert module.is_file(), f"the command table names simulator/commands/{module.name}"
    proc = run([command, "--help"], home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"usage: countertalk {command}" in proc.stdout
    assert proc.stderr == ""


def test_top_level_help_lists_every_command(tmp_path):
    proc = run(["--help"], home=tmp_path)
    assert proc.returncode == 0
    for name in _commands():
        assert re.search(rf"^\s+{name}\s", proc.stdout, re.M), name


def test_an_unknown_command_suggests_and_exits_2(tmp_path):
    proc = run(["lnt", "x.yaml"], home=tmp_path)
    assert proc.returncode == 2
    assert "did you mean 'lint'" in proc.stderr and "Traceback" not in proc.stderr


# -- resume ----------------------------------------------------------------------------------------
def test_resume_after_end_of_input_continues_at_the_right_turn(gated, tmp_path):
    first = run(["play", gated, "--plain", "--seed", "3", "--learner", "sam"], "1\n", home=tmp_path)
    assert first.returncode != 0
    out_json = tmp_path / "t.json"
    second = run(
        ["play", gated, "--plain", "--learner", "sam", "--resume", "--transcript-out", out_json],
        "1\n",
        home=tmp_path,
    )
    assert "Resuming at turn 2" in second.stdout, second.stdout + second.stderr
    # vars were replayed: "Wrap up" (if: vars.asked) is offered straight away
    after_recap = second.stdout.split("Resuming at turn 2", 1)[1].split("\n\n", 1)[1]
    assert offered_lists(after_recap)[0] == [(1, "Ask a question"), (2, "Wrap up"), (3, "Give up")]
    t = json.loads(out_json.read_text())
    assert [x["choice"] for x in t["turns"]] == ["hello.2", "hello.2"]
    assert t["seed"] == 3
    third = run(["play", gated, "--plain", "--learner", "sam", "--resume"], "", home=tmp_path)
    assert "Resuming at turn 3" in third.stdout


def test_resume_belongs_to_the_learner(gated, tmp_path):
    run(["play", gated, "--plain", "--seed", "3", "--learner", "sam"], "1\n", home=tmp_path)
    other = run(
        ["play", gated, "--plain", "--learner", "alex", "--resume", "--seed", "3"],
        "",
        home=tmp_path,
    )
    assert "Resuming" not in other.stdout
    assert "No unfinished attempt" in other.stdout


def _read_until(proc, marker: bytes, timeout: float = 30) -> bytes:
    buf = b""
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while marker not in buf:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {marker!r}; got {buf[-500:]!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            assert chunk, f"process ended early; got {buf[-500:]!r}"
            buf += chunk
    return buf


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 and select on pipes are POSIX")
def test_resume_after_kill_9_mid_session(gated, tmp_path):
    env = {**os.environ, "COUNTERTALK_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        CLI + ["play", str(gated), "--plain", "--seed", "9", "--learner", "sam"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        _read_until(proc, b"Your choice (1-2): ")
        proc.stdin.write(b"1\n")
        proc.stdin.flush()
        _read_until(proc, b"Your choice (1-3): ")  # turn 1 is done (and saved)
        proc.stdin.write(b"1\n")
        proc.stdin.flush()
        _read_until(proc, b"Your choice (1-3): ")  # turn 2 is done
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    assert proc.returncode == -signal.SIGKILL
    out_json = tmp_path / "resumed.json"
    resumed = run(
        ["play", gated, "--plain", "--learner", "sam", "--resume", "--transcript-out", out_json],
        "",
        home=tmp_path,
    )
    assert "Resuming at turn 3" in resumed.stdout, resumed.stdout + resumed.stderr
    assert json.loads(out_json.read_text())["seed"] == 9  # the attempt's seed, kept
    assert "Traceback" not in resumed.stderr


def test_an_unusable_store_is_a_notice_and_the_learner_plays_on_unsaved(tmp_path):
    """The attempt service's rule, through the real command: never 'unexpected … a bug'."""
    home = tmp_path / "not-a-folder"
    home.write_text("a file where the results folder should be", encoding="utf-8")
    out_json = tmp_path / "t.json"
    proc = run(
        ["play", KETTLE, "--plain", "--seed", "3", "--transcript-out", out_json],
        "1\n1\n",
        home=home,
    )
    assert proc.returncode == 0, proc.stderr
    assert "unexpected" not in proc.stderr and "Traceback" not in proc.stderr
    assert "(Not saved: " in proc.stdout and "this attempt is not being saved" in proc.stdout
    assert "progress is saved" not in proc.stdout  # no promise the store cannot keep
    assert "The conversation is over: resolved." in proc.stdout
    t = json.loads(out_json.read_text(encoding="utf-8"))
    assert t["mode"] == "practice" and t["ending_line"] and t["score"]["grade"]
