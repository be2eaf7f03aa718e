"""Fuzz targets (issue 31, item 10): untrusted input through each parser, never a crash.

One target per way untrusted bytes come in: the scenario loader, the activity loader, the
checked-scenario cache decoder, the transcript reader and the phone API's body parser. Each
runs its seed corpus (tests/fuzz_corpus/, one file per crash ever found) and then inputs that
hypothesis makes by mutating real files: a value anywhere replaced by another kind (a list
where text belongs, a map for an id, control characters, huge numbers), and raw bytes flipped,
cut or repeated. What each must do: answer with findings (or None, or its own error), never
raise anything else.

In CI they run with a fixed budget, derandomized (the same examples every run, so a failure is
reproducible and the suite's time is steady): COUNTERTALK_FUZZ_EXAMPLES (default 150) examples
a target. `make fuzz` runs them longer.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.activities.lint import check_bytes as check_activity
from simulator.classroom.web.defences import parse_body
from simulator.engine import checked
from simulator.engine.loader import check_bytes as check_scenario

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz_corpus"
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"
SORT = ROOT / "scenarios" / "activities" / "sort-controllable-or-not.yaml"
MATCH = ROOT / "scenarios" / "activities" / "match-career-routes.yaml"

BUDGET = settings(
    max_examples=int(os.environ.get("COUNTERTALK_FUZZ_EXAMPLES", "150")),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def corpus(prefix: str) -> list[Path]:
    return sorted(CORPUS.glob(f"{prefix}-*"))


# -- mutations --------------------------------------------------------------------------------------
hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
) | st.sampled_from(["\x1b]52;c;eA==\x07", "{{ 9 ** 9 ** 9 }}", "a" * 300, "", " ", "1e999"])
leaf = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | hostile_text
)
values = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


@st.composite
def mutated_documents(draw: Any, seed: Any) -> Any:
    """``seed`` (parsed YAML) with one to three of its values (or keys' values) replaced."""
    doc = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)[1:]
        target = draw(st.sampled_from(paths))
        node = doc
        try:
            for k in target[:-1]:
                node = node[k]
            node[target[-1]] = draw(values)
        except (KeyError, IndexError, TypeError):
            continue
    return doc


@st.composite
def mutated_bytes(draw: Any, seed: bytes) -> bytes:
    """``seed`` with a few bytes flipped, cut, inserted or a slice repeated."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if how == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif how == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))] * draw(st.integers(1, 8))
    return bytes(data)


def _dump(doc: Any) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


# -- the scenario loader ------------------------------------------------------------------------
def _scenario_ok(raw: bytes) -> None:
    result = check_scenario(raw, "fuzz.yaml")
    assert result.scenario is not None or result.errors
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.code.startswith("CT")


@pytest.mark.parametrize("seed", corpus("scenario"), ids=lambda p: p.name)
def test_scenario_corpus(seed):
    _scenario_ok(seed.read_bytes())


@BUDGET
@given(mutated_documents(yaml.safe_load(KETTLE.read_text())))
def test_scenario_loader_on_mutated_documents(doc):
    _scenario_ok(_dump(doc))


@BUDGET
@given(mutated_bytes(KETTLE.read_bytes()))
def test_scenario_loader_on_mutated_bytes(raw):
    _scenario_ok(raw)


# -- the activity loader ------------------------------------------------------------------------
def _activity_ok(raw: bytes) -> None:
    result = check_activity(raw, "fuzz.yaml")
    assert result.activity is not None or result.errors
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1


@pytest.mark.parametrize("seed", corpus("activity"), ids=lambda p: p.name)
def test_activity_corpus(seed):
    _activity_ok(seed.read_bytes())


@BUDGET
@given(
    st.sampled_from([SORT, MATCH]).flatmap(
        lambda p: mutated_documents(yaml.safe_load(p.read_text()))
    )
)
def test_activity_loader_on_mutated_documents(doc):
    _activity_ok(_dump(doc))


@BUDGET
@given(mutated_bytes(SORT.read_bytes()))
def test_activity_loader_on_mutated_bytes(raw):
    _activity_ok(raw)


# -- the cache decoder --------------------------------------------------------------------------
_RAW = KETTLE.read_bytes()
_BLOB = checked.encode(check_scenario(_RAW, "kettle.yaml"))
_ENTRY = msgspec.msgpack.decode(_BLOB)


def _cache_ok(blob: bytes) -> None:
    result = checked.decode(blob, "kettle.yaml", _RAW)
    if result is not None and result.scenario is not None:
        assert checked._plausible(result.scenario, _RAW)


@pytest.mark.parametrize("seed", corpus("cache"), ids=lambda p: p.name)
def test_cache_corpus(seed):
    _cache_ok(seed.read_bytes())


@BUDGET
@given(mutated_bytes(_BLOB))
def test_cache_decoder_on_mutated_bytes(blob):
    _cache_ok(blob)


@BUDGET
@given(mutated_documents(_ENTRY))
def test_cache_decoder_on_mutated_entries(entry):
    try:
        blob = msgspec.msgpack.encode(entry)
    except (OverflowError, TypeError):  # not encodable: not an entry anyone could write
        return
    _cache_ok(blob)


# -- the transcript reader ----------------------------------------------------------------------
_TRANSCRIPT = {
    "format": 1,
    "scenario": "kettle-day12",
    "seed": 1,
    "turns": [
        {"state": "opening", "choice": "opening.1", "text": "Sorry", "customer": "Hi"},
        {"state": "fault_described", "choice": "fault_described.1"},
    ],
    "ending": "refunded",
}


def _transcript_ok(raw: bytes, tmp_path_factory: Any) -> None:
    from scoring.scorer import ScoringError, score
    from scoring.transcript import TranscriptError, read
    from simulator.engine.loader import load_scenario

    f = tmp_path_factory.mktemp("t") / "t.json"
    f.write_bytes(raw)
    try:
        transcript = read(f)
    except TranscriptError:
        return
    assert isinstance(transcript, dict)
    if transcript.get("scenario") == "kettle-day12":
        try:
            score(load_scenario(KETTLE), transcript)
        except ScoringError:
            pass


@pytest.mark.parametrize("seed", corpus("transcript"), ids=lambda p: p.name)
def test_transcript_corpus(seed, tmp_path_factory):
    _transcript_ok(seed.read_bytes(), tmp_path_factory)


@BUDGET
@given(mutated_documents(_TRANSCRIPT))
def test_transcript_reader_on_mutated_transcripts(tmp_path_factory, doc):
    try:
        raw = json.dumps(doc).encode()
    except (TypeError, ValueError):
        return
    _transcript_ok(raw, tmp_path_factory)


@BUDGET
@given(mutated_bytes(json.dumps(_TRANSCRIPT).encode()))
def test_transcript_reader_on_mutated_bytes(tmp_path_factory, raw):
    _transcript_ok(raw, tmp_path_factory)


# -- the phone API's body parser ----------------------------------------------------------------
_VOTE = {"code": "K7PX4QAB", "device": "a" * 32, "round": 1, "option": 2, "team": None}


def _phone_ok(raw: bytes) -> None:
    from simulator.classroom.phones import PhoneHub, PhoneOption

    body = parse_body(raw)
    assert body is None or isinstance(body, dict)
    if body is None:
        return
    hub = PhoneHub(code="K7PX4QAB")
    hub.new_round(customer="A", line="B", options=[PhoneOption(1, "x"), PhoneOption(2, "y")])
    hub.check_code(body.get("code"))
    answer = hub.vote(body.get("device"), body.get("round"), body.get("option"), body.get("team"))
    assert answer.status in ("accepted", "changed", "duplicate", "closed", "invalid")


@pytest.mark.parametrize("seed", corpus("phone"), ids=lambda p: p.name)
def test_phone_corpus(seed):
    _phone_ok(seed.read_bytes())


@BUDGET
@given(mutated_documents(_VOTE))
def test_phone_body_parser_on_mutated_votes(doc):
    try:
        raw = json.dumps(doc).encode()
    except (TypeError, ValueError):
        return
    _phone_ok(raw)


@BUDGET
@given(mutated_bytes(json.dumps(_VOTE).encode()) | st.binary(max_size=2048))
def test_phone_body_parser_on_bytes(raw):
    _phone_ok(raw)
