"""Activity lint: one broken file per kind, each finding at its line with its CT5xx code."""

from __future__ import annotations

import textwrap

import pytest

from simulator.activities.lint import activity_files, check_bytes, check_file
from simulator.engine.loader import shipped_pack

HEAD = """\
id: t-{kind}
title: Test
kind: {kind}
topic: factors
level: 2
intro: Do the thing.
marking_points: [controllable_factors]
"""


def lint(kind: str, body: str):
    src = HEAD.format(kind=kind) + textwrap.dedent(body)
    return check_bytes(src.encode(), "t.yaml")


def found(result) -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in result.diagnostics}


def test_sort_card_in_a_group_that_does_not_exist():
    r = lint(
        "sort",
        """\
        groups:
          - {id: can, label: Can}
          - {id: cannot, label: Cannot}
        cards:
          - {text: One, group: can, why: a}
          - {text: Two, group: cannot, why: a}
          - {text: Three, group: can, why: a}
          - {text: Four, group: canot, why: a}
        """,
    )
    assert (15, "CT507") in found(r)
    msg = next(d.message for d in r.diagnostics if d.code == "CT507")
    assert "did you mean 'cannot'" in msg
    assert r.activity is None


def test_spot_with_nothing_to_leave():
    r = lint(
        "spot",
        """\
        case: A short case.
        options:
          - {text: One, correct: true, why: a}
          - {text: Two, correct: true, why: a}
          - {text: Three, correct: true, why: a}
          - {text: Four, correct: true, why: a}
        """,
    )
    assert (9, "CT515") in found(r)


def test_match_with_two_lefts_sharing_a_right():
    r = lint(
        "match",
        """\
        pairs:
          - {left: A, right: X, why: a}
          - {left: B, right: Y, why: a}
          - {left: C, right: x, why: a}
        """,
    )
    assert (11, "CT509") in found(r)


def test_order_with_too_few_steps_and_a_key_of_another_kind():
    r = lint(
        "order",
        """\
        cards: []
        steps:
          - {text: First, why: a}
          - {text: Second, why: a}
        """,
    )
    assert (8, "CT502") in found(r)
    assert "belongs to sort activities" in next(d.message for d in r.diagnostics if d.line == 8)
    assert (9, "CT508") in found(r)


def test_unknown_marking_point_and_kind_get_did_you_mean():
    src = HEAD.format(kind="sorrt").replace("controllable_factors", "controlable_factors")
    r = check_bytes(src.encode(), "t.yaml")
    by = {d.code: d for d in r.diagnostics}
    assert by["CT505"].line == 3 and "did you mean 'sort'" in by["CT505"].message
    assert by["CT506"].line == 7 and "did you mean 'controllable_factors'" in by["CT506"].message
    assert str(by["CT506"]).startswith("t.yaml:7:18: error: ")
    assert str(by["CT506"]).endswith("[CT506 unknown-marking-point]")


@pytest.mark.parametrize(
    "src, where",
    [
        (b"id: !!python/object:os.system x\n", (1, 5)),
        (b"a: &a [1]\nb: *a\n<<: *a\n", (3, 1)),
        (b"id: ok\nid: twice\n", None),
    ],
)
def test_untrusted_yaml_is_refused_with_a_position(src, where):
    r = check_bytes(src, "t.yaml")
    assert r.activity is None and r.errors
    if where:
        d = r.errors[0]
        assert d.code == "CT501" and (d.line, d.column) == where


def test_control_characters_never_reach_the_screen():
    src = HEAD.format(kind="order") + (
        "steps:\n"
        '  - {text: "Fir\\x1b[31mst", why: "a\\x1b]0;pwned\\x07"}\n'
        "  - {text: Second, why: a}\n"
        "  - {text: Third, why: a}\n"
    )
    r = check_bytes(src.encode(), "t.yaml")
    assert r.activity is not None, r.diagnostics
    texts = [i.text for i in r.activity.items] + [i.why for i in r.activity.items]
    assert not any("\x1b" in t or "\x07" in t for t in texts)


def test_every_shipped_activity_lints_clean_and_there_are_ten_or_more_of_every_kind():
    files = activity_files(shipped_pack())
    assert len(files) >= 10
    kinds = set()
    for f in files:
        r = check_file(f)
        assert not r.diagnostics, [str(d) for d in r.diagnostics]
        kinds.add(r.activity.kind)
        assert r.activity.id == f.stem
    assert kinds == {"sort", "spot", "match", "order"}
    levels = {check_file(f).activity.level for f in files}
    assert levels == {2, 3}


def test_json_schema_is_current_and_accepts_every_shipped_activity():
    import json
    from pathlib import Path

    import jsonschema
    import yaml

    from simulator.activities.schema import activity_schema

    doc = Path(__file__).resolve().parents[2] / "docs" / "activity.schema.json"
    schema = json.loads(doc.read_text())
    assert schema == activity_schema(), "regenerate docs/activity.schema.json"
    for f in activity_files(shipped_pack()):
        jsonschema.validate(yaml.safe_load(f.read_text()), schema)
    bad = {
        "id": "x",
        "title": "t",
        "kind": "order",
        "topic": "factors",
        "level": 2,
        "intro": "i",
        "marking_points": ["career_routes"],
        "steps": [{"txt": "a"}],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
