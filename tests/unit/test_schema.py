"""`countertalk schema`: the editor's schema is the loader's model, and agrees with lint.

The committed docs/scenario.schema.json is regenerated and compared (so it never goes stale),
every shipped scenario validates against it, and broken files are rejected by the schema *and*
by lint, each mutation checked both ways.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from simulator.cli import main
from simulator.engine.loader import check_bytes, check_file, scenario_files
from simulator.tooling.schema import build_schema, dumps

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "scenario.schema.json"
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
SHIPPED = scenario_files(ROOT / "scenarios")


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def kettle() -> dict:
    return yaml.safe_load(KETTLE.read_text(encoding="utf-8"))


def test_committed_schema_is_what_the_model_generates_now():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == dumps(), (
        "docs/scenario.schema.json is stale: run 'countertalk schema -o "
        "docs/scenario.schema.json' and commit it"
    )


def test_schema_is_draft_2020_12_with_id_and_title():
    schema = build_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:countertalk:")
    assert "scenario" in schema["title"].lower()


def test_cli_prints_the_schema_and_writes_it_with_o(tmp_path, capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == build_schema()
    out = tmp_path / "s.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == dumps()


def test_schema_cannot_be_written_to_a_missing_folder_says_so(tmp_path, capsys):
    assert main(["schema", "-o", str(tmp_path / "no" / "such" / "s.json")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


@pytest.mark.parametrize("path", [KETTLE, *SHIPPED], ids=lambda p: p.name)
def test_every_valid_shipped_file_validates(path, validator):
    result = check_file(path)
    if result.errors:
        pytest.skip(f"{path.name} has lint errors (reported by the lint tests)")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_point_editors_at_the_committed_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == SCHEMA_FILE.resolve()


def test_editor_suggestions_come_from_the_catalogues():
    from scoring import catalogue
    from simulator.engine.model import LAW_IDS, OUTCOMES, TOPICS

    d = build_schema()["$defs"]
    assert set(d["Choice"]["properties"]["shows"]["items"]["enum"]) == catalogue.behaviour_ids()
    assert set(d["Choice"]["properties"]["mistakes"]["items"]["enum"]) == catalogue.mistake_ids()
    assert set(d["Choice"]["properties"]["law"]["properties"]) == set(catalogue.law_keys())
    assert set(LAW_IDS) <= set(catalogue.law_keys())
    assert d["State"]["properties"]["end"]["enum"] == list(OUTCOMES)
    topic = build_schema()["properties"]["topic"]
    assert topic["examples"] == list(TOPICS)
    assert {"enum": list(TOPICS)} in topic["anyOf"]


# -- valid variants: lint accepts them (at most warnings), so the schema must too ---------------
def _set(path, value):
    def mutate(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(path):
    def mutate(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


VALID = {
    "unknown topic (a warning only)": _set(("topic",), "customer-retention"),
    "no level": _delete(("level",)),
    "level 3": _set(("level",), 3),
    "models null": _set(("models",), None),
    "no vars": lambda d: [
        d.pop("vars"),
        d["states"]["opening"]["choices"][1].pop("set"),
        d["states"]["opening"].__setitem__("say", "Hello"),
        d["states"]["fault_described"]["choices"][1].pop("if"),
    ],
    "ending with debrief null": _set(("states", "walks_out", "debrief"), None),
    "choice with an explicit id": _set(("states", "opening", "choices", 0, "id"), "kind"),
    "mood at the limits": _set(("customer", "mood"), 0),
    "choice mood -100": _set(("states", "opening", "choices", 1, "mood"), -100),
    "scoring overrides": _set(
        ("scoring",), {"pass": 50, "distinction": 70, "weights": {"heat": 2, "law": 1}}
    ),
    "format 1 omitted": _delete(("format",)),
    "escalation to several roles": _set(("escalation", "to"), ["supervisor", "manager"]),
}


@pytest.mark.parametrize("name", VALID)
def test_valid_variants_pass_both_lint_and_schema(name, validator):
    data = kettle()
    VALID[name](data)
    result = check_bytes(yaml.safe_dump(data, sort_keys=False).encode(), "v.yaml")
    assert result.errors == [], [str(d) for d in result.errors]
    assert [e.message for e in validator.iter_errors(data)] == []


# -- broken files: both lint and the schema reject them ----------------------------------------
BROKEN = {
    "unknown top-level key": _set(("titel",), "Oops"),
    "unknown state key": _set(("states", "opening", "sya"), "Hello"),
    "unknown choice key": _set(("states", "opening", "choices", 0, "feedbak"), "x"),
    "missing title": _delete(("title",)),
    "missing start": _delete(("start",)),
    "missing customer name": _delete(("customer", "name")),
    "choice without goto": _delete(("states", "opening", "choices", 0, "goto")),
    "choice without text": _delete(("states", "opening", "choices", 0, "text")),
    "wrong outcome": _set(("states", "refunded", "end"), "sorted"),
    "unknown behaviour": _set(("states", "opening", "choices", 0, "shows"), ["listen"]),
    "unknown mistake": _set(("states", "opening", "choices", 1, "mistakes"), ["grumpy"]),
    "unknown law id": _set(
        ("states", "fault_described", "choices", 0, "law"), {"consumer_rights_act": "right"}
    ),
    "law verdict not right/wrong": _set(
        ("states", "fault_described", "choices", 0, "law"), {"consumer_rights_act_2015": "yes"}
    ),
    "customer mood above 100": _set(("customer", "mood"), 150),
    "customer mood below 0": _set(("customer", "mood"), -1),
    "choice mood out of range": _set(("states", "opening", "choices", 0, "mood"), 250),
    "mood not a whole number": _set(("customer", "mood"), 40.5),
    "ending with choices": _set(
        ("states", "refunded", "choices"), [{"text": "x", "goto": "opening", "feedback": "f"}]
    ),
    "state without choices": _delete(("states", "receipt_first", "choices")),
    "state without say": _delete(("states", "receipt_first", "say")),
    "empty say list": _set(("states", "fault_described", "say"), []),
    "blank title": _set(("title",), "   "),
    "id with capitals": _set(("id",), "Kettle"),
    "level 4": _set(("level",), 4),
    "format 2": _set(("format",), 2),
    "unknown scoring model": _set(("models",), ["heat", "grow"]),
    "shows not a list": _set(("states", "opening", "choices", 0, "shows"), "hear"),
    "no states": _set(("states",), {}),
    "variable set to a list": _set(
        ("states", "opening", "choices", 1, "set"), {"receipt_asked": [1, 2]}
    ),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_files_are_rejected_by_lint_and_by_the_schema(name, validator):
    data = kettle()
    BROKEN[name](data)
    result = check_bytes(yaml.safe_dump(data, sort_keys=False).encode(), "b.yaml")
    assert result.errors, f"lint accepted: {name}"
    assert list(validator.iter_errors(data)), f"the schema accepted: {name}"


def test_schema_error_points_at_the_same_place_as_lint(validator):
    data = kettle()
    data["states"]["opening"]["choices"][0]["shows"] = ["acknowledge", "listen"]
    (error,) = validator.iter_errors(data)
    assert list(error.absolute_path) == ["states", "opening", "choices", 0, "shows", 1]


def test_schema_command_is_fast_and_never_imports_the_ui():
    code = (
        "import sys, time; t=time.perf_counter(); from simulator.cli import main; "
        "import io, contextlib; buf=io.StringIO()\n"
        "with contextlib.redirect_stdout(buf): rc = main(['schema'])\n"
        "assert rc == 0 and buf.getvalue().startswith('{')\n"
        "print(time.perf_counter()-t)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual','rich')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split("\n")
    assert out[1] == "[]"
    assert float(out[0]) < 2.0  # typically ~0.15 s; generous for a loaded CI machine
