"""`countertalk new`: a starter scenario that passes `lint --strict` and shows the whole format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from simulator.cli import main
from simulator.engine.loader import check_file, load_scenario
from simulator.engine.model import OUTCOMES, TOPICS
from simulator.engine.session import Runtime

ROOT = Path(__file__).resolve().parents[2]


def new(tmp_path, *argv) -> Path:
    assert main(["new", *argv, "--dir", str(tmp_path)]) == 0
    (path,) = [p for p in tmp_path.glob("*.yaml") if not p.name.endswith(".test.yaml")]
    return path


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("level", ["2", "3"])
def test_starter_passes_lint_strict_for_every_topic_and_level(tmp_path, topic, level):
    path = new(tmp_path, "My first scenario", "--topic", topic, "--level", level)
    result = check_file(path)
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert result.scenario.topic == topic and result.scenario.level == int(level)
    assert main(["lint", "--strict", str(path)]) == 0


def test_name_is_slugified_into_id_and_file_and_kept_as_title(tmp_path):
    path = new(tmp_path, "Faulty Toaster: day 12!")
    assert path.name == "faulty-toaster-day-12.yaml"
    sc = load_scenario(path)
    assert sc.id == "faulty-toaster-day-12"
    assert sc.title == "Faulty Toaster: day 12!"


def test_a_slug_name_gets_a_readable_title(tmp_path):
    sc = load_scenario(new(tmp_path, "late-delivery"))
    assert (sc.id, sc.title) == ("late-delivery", "Late delivery")


def test_title_with_quotes_and_yaml_syntax_survives(tmp_path):
    sc = load_scenario(new(tmp_path, 'Tom\'s "urgent" refund: #2 [draft]'))
    assert sc.title == 'Tom\'s "urgent" refund: #2 [draft]'


def test_starter_shows_every_feature_of_the_format(tmp_path):
    path = new(tmp_path, "features")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    sc = load_scenario(path)
    choices = [c for st in sc.states.values() for c in st.choices]
    assert sc.vars and sc.rules and sc.escalation.to and sc.models and sc.customer.persona
    assert any(c.set for c in choices) and any(c.if_ for c in choices)
    assert any(c.escalate for c in choices)
    assert any(c.shows for c in choices) and any(c.mistakes for c in choices)
    assert all(c.feedback for c in choices)
    assert any(c.mood > 0 for c in choices) and any(c.mood < 0 for c in choices)
    assert any(isinstance(st.say, list) for st in sc.states.values())
    assert any(st.note for st in sc.states.values())
    assert {st.end for st in sc.states.values() if st.end} == set(OUTCOMES)
    assert any(st.debrief for st in sc.states.values())
    assert "visits." in text and "{{ turn }}" in text and "customer.name" in text
    assert data["version"] and "scoring:" in text  # the extension, shown commented out


def test_each_law_mark_has_a_comment_naming_the_fact_it_rests_on(tmp_path):
    lines = new(tmp_path, "law").read_text(encoding="utf-8").splitlines()
    law_lines = [i for i, line in enumerate(lines) if re.match(r"\s+law: \{", line)]
    assert law_lines
    text = "\n".join(lines)
    assert "Consumer Rights Act 2015" in text and "30 days" in text
    first = law_lines[0]
    comment = " ".join(
        line for line in lines[max(0, first - 12) : first] if line.strip().startswith("#")
    )
    assert "Consumer Rights Act 2015" in comment


def pick(s, n):
    """The n-th choice offered in file order (the starter shuffles what is displayed)."""
    in_file_order = sorted(s.offered(), key=lambda o: o.index)
    return s.choose_id(in_file_order[n - 1].choice_id)


def test_starter_plays_every_feature_as_commented(tmp_path):
    sc = load_scenario(new(tmp_path, "play"))
    assert sc.shuffle  # `countertalk new` writes the key
    rt = Runtime(sc)
    # The rule: mood below 10 ends the conversation, whatever the choice's goto.
    s = rt.new_session(seed=1)
    for n in (2, 2, 2):
        pick(s, n)
    assert (s.ending, s.outcome) == ("walks_out", "lost")
    # visits: the second time the customer hears "repair", her line changes.
    s = rt.new_session(seed=1)
    pick(s, 1), pick(s, 2)
    assert "keep saying" not in s.line
    pick(s, 2)
    assert s.state == "repair_pushed" and "keep saying" in s.line
    # if + set: once a repair was offered, that choice is no longer offered.
    s = rt.new_session(seed=1)
    pick(s, 1), pick(s, 2), pick(s, 1)
    assert s.state == "fault_explained" and len(s.offered()) == 2
    # the best route resolves, and the debrief counts the turns.
    s = rt.new_session(seed=1)
    for n in (1, 1, 1):
        pick(s, n)
    assert s.outcome == "resolved" and "3 turns" in s.debrief


def test_refuses_to_overwrite_without_force(tmp_path, capsys):
    path = new(tmp_path, "mine")
    path.write_text("# my work\n", encoding="utf-8")
    assert main(["new", "mine", "--dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert path.read_text(encoding="utf-8") == "# my work\n"
    assert main(["new", "mine", "--dir", str(tmp_path), "--force"]) == 0
    assert check_file(path).diagnostics == []


def test_unusable_name_is_a_usage_error(tmp_path, capsys):
    assert main(["new", "!!!", "--dir", str(tmp_path)]) == 2
    assert "cannot make an id" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unknown_topic_is_written_but_warned_about(tmp_path, capsys):
    path = new(tmp_path, "x", "--topic", "complaints")
    assert "did you mean 'complaint'" in capsys.readouterr().err
    assert [d.severity for d in check_file(path).diagnostics] == ["warning"]


def test_level_other_than_2_or_3_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["new", "x", "--dir", str(tmp_path), "--level", "4"])
    assert exc.value.code == 2


def _modeline(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    return first.split("$schema=", 1)[1]


def test_inside_a_pack_beside_docs_the_modeline_points_at_the_docs_schema(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "scenario.schema.json").write_text("{}", encoding="utf-8")
    pack = tmp_path / "scenarios"
    path = new(pack, "shop")
    assert _modeline(path) == "../docs/scenario.schema.json"
    assert (path.parent / _modeline(path)).resolve() == tmp_path / "docs/scenario.schema.json"


def test_in_this_repo_scenarios_folder_the_modeline_matches_the_shipped_files(tmp_path):
    # Write into a copy of the layout: scenarios/ beside docs/ (never into the real pack).
    from simulator.tooling.scaffold import find_schema, schema_reference

    pack = ROOT / "scenarios"
    assert schema_reference(pack, find_schema(pack)) == "../docs/scenario.schema.json"


def test_outside_a_repo_the_modeline_names_a_schema_file_and_says_how_to_make_it(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "solo"]) == 0
    path = tmp_path / "solo.yaml"
    assert _modeline(path) == "scenario.schema.json"
    assert "countertalk schema -o scenario.schema.json" in path.read_text(encoding="utf-8")
    assert "countertalk schema -o" in capsys.readouterr().err
    # Following the hint makes the modeline resolve to a schema the file validates against.
    assert main(["schema", "-o", "scenario.schema.json"]) == 0
    schema = json.loads((tmp_path / _modeline(path)).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(
        yaml.safe_load(path.read_text(encoding="utf-8"))
    )


def test_new_never_imports_the_ui(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from simulator.cli import main\n"
        f"assert main(['new', 'x', '--dir', {str(tmp_path)!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
        )
        .stdout.strip()
        .splitlines()
    )
    assert out[-1] == "[]"


def test_starter_is_a_sound_example_to_score(tmp_path):
    from scoring.paths import analyse

    report = analyse(load_scenario(new(tmp_path, "scored")))
    assert report["problems"] == []
    assert report["best"]["choices"] == ["opening.1", "fault_explained.1", "refund_agreed.1"]
    assert report["best"]["grade"] == "distinction" and report["best"]["outcome"] == "resolved"
    assert report["worst"]["grade"] == "fail"


def test_new_writes_a_starter_test_that_passes(tmp_path, capsys):
    path = new(tmp_path, "Broken kettle")
    test_file = tmp_path / "broken-kettle.test.yaml"
    assert test_file.is_file()
    assert main(["test", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2 tests in 1 file: all passed" in out
