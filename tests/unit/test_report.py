"""`countertalk report`: attempts recorded through real plain-mode sessions, and the analytics."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"

# Who plays what (answers are the numbers typed in plain mode) and where it must end.
PLAYS = [
    ("sam", 1, ["1", "1"], "resolved"),
    ("ali", 2, ["2", "1", "1"], "resolved"),
    ("ali", 3, ["2", "2"], "lost"),  # defensive twice: mood falls below 10, the rule ends it
    ("jo", 4, ["3"], "escalated"),
]


def play_plain(home: Path, scenario: Path, answers, *, learner: str, seed: int):
    env = dict(os.environ, COUNTERTALK_HOME=str(home))
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "play",
            str(scenario),
            "--plain",
            "--seed",
            str(seed),
            "--learner",
            learner,
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ), "\n".join(answers) + "\n"


def record(home: Path, scenario: Path, plays) -> None:
    """Play each (learner, seed, answers, _) in plain mode, in parallel, into `home`.

    Parallel sessions start in any order, so tests match attempts to plays by seed."""
    procs = [
        (play_plain(home, scenario, answers, learner=learner, seed=seed), play)
        for play in plays
        for learner, seed, answers, _ in [play]
    ]
    for (proc, stdin), play in procs:
        _out, err = proc.communicate(stdin, timeout=60)
        assert proc.returncode == 0, (play, err)


def by_seed(rows, key="seed"):
    return sorted(rows, key=lambda r: int(r[key]))


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    scenario = home / "kettle.yaml"
    scenario.write_bytes(KETTLE.read_bytes())
    record(home, scenario, PLAYS)
    return home


@pytest.fixture
def env(home, monkeypatch):
    monkeypatch.setenv("COUNTERTALK_HOME", str(home))
    return home


def report(capsys, *argv) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def report_json(capsys, *argv) -> dict:
    code, out, _err = report(capsys, "--format", "json", *argv)
    assert code == 0
    return json.loads(out)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_attempt_is_listed_with_its_version_seed_outcome_and_grade(env, capsys):
    from simulator.store import Store

    with Store() as store:
        stored = {a.id: a for a in store.attempts()}
    data = report_json(capsys)
    rows = by_seed(data["attempts"])
    assert [(r["learner"], r["seed"], r["outcome"]) for r in rows] == [
        (learner, seed, outcome) for learner, seed, _a, outcome in PLAYS
    ]
    version = sha(env / "kettle.yaml")
    for r in rows:
        a = stored[r["id"]]
        assert r["scenario"] == "kettle-day12"
        assert r["scenario_hash"] == version and r["version"] == version[:8]
        assert (r["grade"], r["percent"], r["mistakes"]) == (a.grade, a.percent, a.mistakes)
        assert r["grade"] in ("fail", "pass", "distinction") and 0 <= r["percent"] <= 100
    assert rows[0]["mistakes"] == [] and "defensive" in rows[1]["mistakes"]
    assert rows[3]["mistakes"] == ["premature_escalation"]


def test_table_shows_the_attempts_and_where_learners_go_wrong(env, capsys):
    code, out, _ = report(capsys)
    assert code == 0
    lines = out.splitlines()
    version = sha(env / "kettle.yaml")[:8]
    attempt_lines = [line for line in lines if " kettle-day12 " in line]
    assert len(attempt_lines) == len(PLAYS)
    attempt_lines.sort(key=lambda line: int(line.split()[6]))  # the SEED column
    for line, (learner, seed, _a, outcome) in zip(attempt_lines, PLAYS):
        assert learner in line and version in line and outcome in line and f" {seed} " in line
    wrong = lines[lines.index("  Where learners most often go wrong:") + 1]
    # 3 of the 4 opening choices carried a mistake (receipt first twice, manager once).
    assert wrong.strip().startswith("opening: 3 of 4")
    assert "defensive ×2" in wrong and "premature_escalation ×1" in wrong


def test_choice_counts_per_state(env, capsys):
    (sc,) = report_json(capsys)["scenarios"]
    states = {s["state"]: s for s in sc["states"]}
    taken = {c["choice"]: (c["taken"], c["share"]) for c in states["opening"]["choices"]}
    assert taken == {"opening.1": (1, 25), "opening.2": (2, 50), "opening.3": (1, 25)}
    fd = {c["choice"]: c["taken"] for c in states["fault_described"]["choices"]}
    assert fd == {"fault_described.1": 2, "fault_described.2": 0}  # never-taken choices count
    assert [w["state"] for w in sc["where_learners_go_wrong"]] == ["opening", "receipt_first"]
    assert sc["outcomes"] == {"resolved": 2, "lost": 1, "escalated": 1}
    assert sc["attempts"] == 4 and sc["versions"] == {sha(env / "kettle.yaml")[:8]: 4}


def test_filters_by_learner_scenario_and_date(env, capsys):
    assert {r["learner"] for r in report_json(capsys, "--learner", "ali")["attempts"]} == {"ali"}
    assert len(report_json(capsys, "--learner", "ali")["attempts"]) == 2
    assert report_json(capsys, "--scenario", "other")["attempts"] == []
    today = date.today()
    assert len(report_json(capsys, "--since", today.isoformat())["attempts"]) == 4
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert report_json(capsys, "--since", tomorrow)["attempts"] == []
    code, out, err = report(capsys, "--since", tomorrow)
    assert code == 0 and out == "" and "no finished attempts match these filters" in err


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01", "2024-02-30", "01/02/2024", "2024-1-1"])
def test_bad_since_date_is_a_usage_error(env, capsys, bad):
    with pytest.raises(SystemExit) as exc:
        main(["report", "--since", bad])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err and "Traceback" not in err


def test_csv_has_one_row_per_attempt(env, capsys):
    code, out, _ = report(capsys, "--format", "csv")
    rows = by_seed(list(csv.DictReader(io.StringIO(out))), "seed")
    assert code == 0 and len(rows) == len(PLAYS)
    assert rows[0]["learner"] == "sam" and rows[0]["version"] == sha(env / "kettle.yaml")[:8]
    assert rows[1]["mistakes"].startswith("defensive")
    code, out, _ = report(capsys, "--format", "csv", "--choices")
    choices = list(csv.DictReader(io.StringIO(out)))
    assert {(c["choice"], c["taken"]) for c in choices if c["state"] == "opening"} == {
        ("opening.1", "1"),
        ("opening.2", "2"),
        ("opening.3", "1"),
    }


def test_csv_cells_cannot_become_spreadsheet_formulas(tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "kettle.yaml"
    scenario.write_bytes(KETTLE.read_bytes())
    record(tmp_path, scenario, [('=HYPERLINK("http://x")', 1, ["3"], "escalated")])
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path))
    _code, out, _ = report(capsys, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["learner"] == '\'=HYPERLINK("http://x")'


def test_attempts_on_an_edited_scenario_keep_their_own_version(tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "kettle.yaml"
    scenario.write_bytes(KETTLE.read_bytes())
    before = sha(scenario)
    record(tmp_path, scenario, [PLAYS[0]])
    scenario.write_text(
        KETTLE.read_text(encoding="utf-8").replace(
            "Thank you, that's sorted it.", "Thanks, that's sorted."
        ),
        encoding="utf-8",
    )
    after = sha(scenario)
    record(tmp_path, scenario, [PLAYS[1]])
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path))
    rows = report_json(capsys)["attempts"]
    assert [r["scenario_hash"] for r in rows] == [before, after]
    _code, out, _ = report(capsys)
    assert "played on an earlier version" in out and before[:8] in out and after[:8] in out


def test_no_database_yet_is_an_empty_report_and_creates_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path))
    code, out, err = report(capsys)
    assert code == 0 and out == "" and "none recorded yet" in err
    assert list(tmp_path.iterdir()) == []
    code, _out, err = report(capsys, "--db", str(tmp_path / "missing.db"))
    assert code == 2 and "no results database" in err


def test_a_damaged_database_is_one_clear_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "countertalk.db").write_bytes(b"not a database at all")
    monkeypatch.setenv("COUNTERTALK_HOME", str(tmp_path))
    code, _out, err = report(capsys)
    assert code == 1 and "damaged" in err and "Traceback" not in err


def test_report_never_imports_the_ui(env):
    code = (
        "import sys, io, contextlib; from simulator.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['report']) == 0\n"
        "    assert main(['export', '--xapi']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = (
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=dict(os.environ, COUNTERTALK_HOME=str(env)),
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    assert out[-1] == "[]"


TEMPLATED = KETTLE.read_text().replace(
    'text: "Have you got the receipt?"',
    'text: "Have you got the receipt for £{{ vars.days_since_purchase }}?"',
)


def test_report_shows_choice_words_as_a_learner_saw_them_not_templates(tmp_path, capsys):
    assert TEMPLATED != KETTLE.read_text()
    scenario = tmp_path / "kettle.yaml"
    scenario.write_text(TEMPLATED)
    record(tmp_path, scenario, [("sam", 1, ["1", "1"], "resolved")])
    os.environ["COUNTERTALK_HOME"] = str(tmp_path)
    try:
        for argv in (["report"], ["report", "--format", "csv", "--choices"]):
            assert main(argv) == 0
            out = capsys.readouterr().out
            assert "{{" not in out and "vars." not in out, out
            assert "receipt for £12?" in out
    finally:
        del os.environ["COUNTERTALK_HOME"]


def test_table_columns_line_up_with_wide_characters():
    from simulator.tooling.report import _table, cells

    lines = _table([["沙織", "1"], ["Zoë", "22"], ["👍x", "3"]], ["NAME", "N"], right={1})
    # The last column is right-aligned: every row ends in the same terminal column.
    assert {cells(line) for line in lines} == {cells(lines[0])}, lines
    assert cells("沙織") == 4 and cells("Zoë") == 3


def test_classroom_teams_stay_out_of_learner_analytics_unless_asked(tmp_path, capsys):
    from simulator.store import Store

    with Store(tmp_path / "countertalk.db") as store:
        for learner, mode in (("sam", "practice"), ("Red", "classroom"), ("Blue", "classroom")):
            attempt = store.start_attempt(
                scenario_id="kettle-day12",
                scenario_hash="0" * 64,
                scenario_path=str(KETTLE),
                learner=learner,
                seed=1,
                mode=mode,
                class_session="c1" if mode == "classroom" else None,
                team=learner if mode == "classroom" else None,
            )
            store.finish_attempt(
                attempt,
                ending="refunded",
                outcome="resolved",
                final_mood=60,
                transcript={"turns": []},
                score=None,
            )
    os.environ["COUNTERTALK_HOME"] = str(tmp_path)
    try:
        assert main(["report", "--format", "json"]) == 0
        learners = {a["learner"] for a in json.loads(capsys.readouterr().out)["attempts"]}
        assert learners == {"sam"}
        assert main(["report", "--format", "json", "--classroom"]) == 0
        learners = {a["learner"] for a in json.loads(capsys.readouterr().out)["attempts"]}
        assert learners == {"sam", "Red", "Blue"}
    finally:
        del os.environ["COUNTERTALK_HOME"]
