"""`countertalk export --xapi`: statements an LRS accepts, from real recorded attempts.

The checker below encodes the xAPI 1.0.3 rules these statements touch (Data, section 2.4):
UUIDs, IRIs, language maps, an Agent with exactly one identifier, score bounds, ISO 8601
timestamps and durations, context activities and statement references.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from test_report import PLAYS, record  # noqa: E402  (same folder)

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
IRI = r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$"
LANG_MAP = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
    "additionalProperties": {"type": "string"},
}
ACTIVITY = {
    "type": "object",
    "required": ["id"],
    "additionalProperties": False,
    "properties": {
        "objectType": {"const": "Activity"},
        "id": {"type": "string", "pattern": IRI},
        "definition": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": LANG_MAP,
                "description": LANG_MAP,
                "type": {"type": "string", "pattern": IRI},
                "extensions": {"type": "object", "propertyNames": {"pattern": IRI}},
            },
        },
    },
}
STATEMENT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "actor", "verb", "object", "timestamp"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": UUID},
        "actor": {
            "type": "object",
            "required": ["objectType", "account"],
            "additionalProperties": False,
            "properties": {
                "objectType": {"const": "Agent"},
                "name": {"type": "string"},
                "account": {
                    "type": "object",
                    "required": ["homePage", "name"],
                    "additionalProperties": False,
                    "properties": {
                        "homePage": {"type": "string", "pattern": IRI},
                        "name": {"type": "string", "minLength": 1},
                    },
                },
            },
            # exactly one inverse functional identifier
            "not": {
                "anyOf": [
                    {"required": ["mbox"]},
                    {"required": ["mbox_sha1sum"]},
                    {"required": ["openid"]},
                ]
            },
        },
        "verb": {
            "type": "object",
            "required": ["id"],
            "additionalProperties": False,
            "properties": {"id": {"type": "string", "pattern": IRI}, "display": LANG_MAP},
        },
        "object": ACTIVITY,
        "result": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "score": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "scaled": {"type": "number", "minimum": -1, "maximum": 1},
                        "raw": {"type": "number"},
                        "min": {"type": "number"},
                        "max": {"type": "number"},
                    },
                },
                "success": {"type": "boolean"},
                "completion": {"type": "boolean"},
                "response": {"type": "string"},
                "duration": {
                    "type": "string",
                    "pattern": r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?"
                    r"(\d+(\.\d+)?S)?)?$",
                },
                "extensions": {"type": "object", "propertyNames": {"pattern": IRI}},
            },
        },
        "context": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "registration": {"type": "string", "pattern": UUID},
                "platform": {"type": "string"},
                "language": {"type": "string"},
                "contextActivities": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        k: {"type": "array", "items": ACTIVITY}
                        for k in ("parent", "grouping", "category", "other")
                    },
                },
                "statement": {
                    "type": "object",
                    "required": ["objectType", "id"],
                    "properties": {
                        "objectType": {"const": "StatementRef"},
                        "id": {"type": "string", "pattern": UUID},
                    },
                },
                "extensions": {"type": "object", "propertyNames": {"pattern": IRI}},
            },
        },
        "timestamp": {"type": "string"},
    },
}
STATEMENT_CHECKER = jsonschema.Draft202012Validator(STATEMENT)


def check_statement(st: dict) -> list[str]:
    """Every way `st` breaks the xAPI 1.0.3 rules checked here (empty when it is fine)."""
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in STATEMENT_CHECKER.iter_errors(st)
    ]
    ts = st.get("timestamp", "")
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", ts):
        problems.append(f"timestamp {ts!r} is not ISO 8601 with a time zone")
    else:
        datetime.fromisoformat(ts.replace("Z", "+00:00"))
    score = (st.get("result") or {}).get("score")
    if score:
        if not score.get("min", 0) <= score.get("raw", 0) <= score.get("max", 0):
            problems.append("score raw outside min..max")
        if "scaled" in score and "raw" in score and score.get("max"):
            if abs(score["scaled"] - score["raw"] / score["max"]) > 1e-9:
                problems.append("scaled score disagrees with raw/max")
    if st.get("verb", {}).get("id", "").endswith(("/passed", "/failed")):
        success = (st.get("result") or {}).get("success")
        if success is not (st["verb"]["id"].endswith("/passed")):
            problems.append("verb passed/failed disagrees with result.success")
    return problems


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("xapi")
    scenario = home / "kettle.yaml"
    scenario.write_bytes(KETTLE.read_bytes())
    record(home, scenario, PLAYS)
    return home


@pytest.fixture
def statements(home, monkeypatch, capsys):
    monkeypatch.setenv("COUNTERTALK_HOME", str(home))
    assert main(["export", "--xapi"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_checker_catches_broken_statements():
    good = {
        "id": "3f1c2a9e-2b7d-5c1e-9a4b-1d2e3f4a5b6c",
        "actor": {"objectType": "Agent", "account": {"homePage": "urn:x", "name": "sam"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "p"}},
        "object": {"objectType": "Activity", "id": "urn:countertalk:scenario:x"},
        "result": {"success": True, "score": {"scaled": 0.5, "raw": 50, "min": 0, "max": 100}},
        "timestamp": "2025-01-02T03:04:05.006Z",
    }
    assert check_statement(good) == []
    for broken in (
        {**good, "id": "not-a-uuid"},
        {**good, "timestamp": "2025-01-02 03:04"},
        {**good, "object": {"objectType": "Activity", "id": "no scheme here"}},
        {**good, "actor": {**good["actor"], "mbox": "mailto:a@b.c"}},
        {**good, "result": {"success": False, "score": good["result"]["score"]}},
        {
            **good,
            "result": {"success": True, "score": {"scaled": 1.5, "raw": 150, "min": 0, "max": 100}},
        },
        {**good, "verb": {"id": "passed"}},
    ):
        assert check_statement(broken), broken


def test_every_statement_is_valid_xapi(statements):
    assert statements
    for st in statements:
        assert check_statement(st) == [], st


def test_one_statement_per_attempt_and_one_per_choice(statements, home):
    parents = [s for s in statements if "statement" not in s["context"]]
    assert sorted(
        (p["context"]["extensions"]["urn:countertalk:xapi:extension:seed"], p["actor"]["name"])
        for p in parents
    ) == [(seed, learner) for learner, seed, _a, _o in PLAYS]
    children = [s for s in statements if "statement" in s["context"]]
    assert len(children) == sum(len(answers) for _l, _s, answers, _o in PLAYS)


def test_attempt_statement_carries_result_version_and_seed(statements, home):
    from simulator.store import Store

    with Store(home / "countertalk.db") as store:
        attempts = store.attempts()
    version = hashlib.sha256((home / "kettle.yaml").read_bytes()).hexdigest()
    parents = [s for s in statements if "statement" not in s["context"]]
    for st, a in zip(parents, attempts, strict=True):
        assert st["actor"]["account"]["name"] == a.learner
        assert st["object"]["id"] == "urn:countertalk:scenario:kettle-day12"
        assert (
            st["object"]["definition"]["name"]["en-GB"] == "Faulty kettle, 12 days after purchase"
        )
        verb = st["verb"]["id"].rsplit("/", 1)[1]
        assert verb == ("failed" if a.grade == "fail" else "passed")
        assert st["result"]["score"] == {
            "scaled": a.percent / 100,
            "raw": a.percent,
            "min": 0,
            "max": 100,
        }
        assert st["result"]["completion"] is True
        assert st["result"]["success"] is (a.grade != "fail")
        ext = st["context"]["extensions"]
        assert ext["urn:countertalk:xapi:extension:scenario-version"] == version
        assert ext["urn:countertalk:xapi:extension:seed"] == a.seed
        assert ext["urn:countertalk:xapi:extension:outcome"] == a.outcome
    assert {s["verb"]["id"].rsplit("/", 1)[1] for s in parents} == {"passed", "failed"}


def test_choice_statements_belong_to_their_attempt(statements, home):
    from simulator.store import Store

    with Store(home / "countertalk.db") as store:
        attempts = store.attempts()
    by_id = {s["id"]: s for s in statements}
    children = [s for s in statements if "statement" in s["context"]]
    for a in attempts:
        parent = next(
            s
            for s in statements
            if "statement" not in s["context"]
            and s["context"]["extensions"]["urn:countertalk:xapi:extension:attempt"] == a.id
        )
        mine = [c for c in children if c["context"]["statement"]["id"] == parent["id"]]
        assert [c["result"]["response"] for c in mine] == a.choices
        for n, c in enumerate(mine, start=1):
            assert by_id[c["context"]["statement"]["id"]] is parent
            assert c["verb"]["id"] == "http://adlnet.gov/expapi/verbs/responded"
            assert c["context"]["registration"] == parent["context"]["registration"]
            assert c["context"]["contextActivities"]["parent"] == [
                {"objectType": "Activity", "id": parent["object"]["id"]}
            ]
            assert c["object"]["id"] == (
                f"urn:countertalk:scenario:kettle-day12:choice:{a.choices[n - 1]}"
            )
            assert c["context"]["extensions"]["urn:countertalk:xapi:extension:turn"] == n
    opening_1 = next(c for c in children if c["result"]["response"] == "opening.1")
    assert opening_1["object"]["definition"]["name"]["en-GB"].startswith("I'm sorry it's let")


def test_ids_are_unique_and_stable_across_exports(statements, home, monkeypatch, capsys, tmp_path):
    ids = [s["id"] for s in statements]
    assert len(ids) == len(set(ids))
    regs = {s["context"]["registration"] for s in statements}
    assert len(regs) == len(PLAYS)
    out = tmp_path / "x.json"
    monkeypatch.setenv("COUNTERTALK_HOME", str(home))
    assert main(["export", "--xapi", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == statements


def test_filters_and_homepage(home, monkeypatch, capsys):
    monkeypatch.setenv("COUNTERTALK_HOME", str(home))
    assert (
        main(["export", "--xapi", "--learner", "ali", "--homepage", "https://lms.example.ac.uk"])
        == 0
    )
    sts = json.loads(capsys.readouterr().out)
    assert {s["actor"]["name"] for s in sts} == {"ali"}
    assert {s["actor"]["account"]["homePage"] for s in sts} == {"https://lms.example.ac.uk"}
    assert all(check_statement(s) == [] for s in sts)


def test_export_needs_a_format(home, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export"])
    assert exc.value.code == 2 and "--xapi" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["notaurl", "https:lms.example", "http://a b", "lms.example.ac.uk"])
def test_export_refuses_a_homepage_that_is_not_an_iri(bad, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    bin_ = Path(sys.executable).parent / "countertalk"
    proc = subprocess.run(
        [str(bin_), "export", "--xapi", "--homepage", bad],
        capture_output=True,
        text=True,
        env={"COUNTERTALK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert (
        proc.returncode == 2
        and "--homepage" in proc.stderr
        and "IRI" in proc.stderr
        or (proc.returncode == 2 and "//" in proc.stderr)
    ), proc.stderr
    assert "Traceback" not in proc.stderr
