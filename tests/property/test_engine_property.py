"""Property tests: no input crashes the loader or the engine.

Random scenario graphs (valid and broken) and mutated real files must each end in a Scenario or
a clean list of Diagnostics (line/column inside the file, severity error|warning); any Scenario
that loads can be played by random walks without exceptions other than SessionError for a number
not offered. A ScenarioRuntimeError is tolerated only for faults lint cannot see, listed in
RUNTIME_ONLY: a type clash between values (`set: {count: text}` then `vars.count > 2`, or
`vars.count + 'x'`), since lint does not infer types. Valid generated scenarios keep each
variable's type, and there no ScenarioRuntimeError is tolerated at all.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from simulator.engine.loader import check_bytes, scenario_files
from simulator.engine.session import Runtime, ScenarioRuntimeError, SessionError

ROOT = Path(__file__).resolve().parents[2]
REAL_FILES = [ROOT / "tests" / "fixtures" / "kettle.yaml"] + scenario_files(ROOT / "scenarios")
REAL = {p.name: p.read_bytes() for p in REAL_FILES}

# No shrinking: a failure still prints its (unshrunk) example and seed, and the suite stays fast.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YamlDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

SETTINGS = dict(
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_clean(raw: bytes, name: str = "gen.yaml"):
    """check_bytes never raises; its diagnostics point inside the file."""
    result = check_bytes(raw, name)
    text = raw.decode("utf-8", errors="replace")
    lines = text.split("\n")
    n_lines = max(1, len(lines))
    for d in result.diagnostics:
        assert d.severity in ("error", "warning"), d
        assert d.path == name
        assert isinstance(d.message, str) and d.message.strip(), d
        assert 1 <= d.line <= n_lines + 1, (str(d), n_lines)
        assert d.column >= 1, str(d)
        if d.line <= n_lines:
            assert d.column <= len(lines[d.line - 1]) + 2, (str(d), lines[d.line - 1][:200])
        assert str(d).startswith(f"{name}:{d.line}:{d.column}: {d.severity}: ")
    if result.errors:
        assert result.scenario is None
    return result


RUNTIME_ONLY = (
    "not supported between instances",
    "unsupported operand type",
    "can only concatenate",
)


def walk(scenario, seed: int, max_turns: int = 40, *, tolerate_types: bool = True) -> None:
    """Random walks, including invalid numbers, which must be refused with SessionError."""
    try:
        _walk(scenario, seed, max_turns)
    except ScenarioRuntimeError as exc:
        if not (tolerate_types and any(m in str(exc) for m in RUNTIME_ONLY)):
            raise
        assert str(exc).startswith("gen.yaml:") or ".yaml:" in str(exc).split(" ")[0]


def _walk(scenario, seed: int, max_turns: int) -> None:
    runtime = Runtime(scenario)
    rng = random.Random(seed)
    for k in range(3):
        s = runtime.new_session(seed=seed + k, learner="prop")
        for _ in range(max_turns):
            if s.ended:
                break
            offered = s.offered()
            if not offered:  # every `if` false: the learner is stuck, but nothing crashes
                break
            assert [o.number for o in offered] == list(range(1, len(offered) + 1))
            for bad in (0, len(offered) + 1, -1):
                try:
                    s.choose(bad)
                except SessionError:
                    pass
                else:
                    raise AssertionError(f"choice {bad} of {len(offered)} was accepted")
            before = len(s.turns)
            step = s.choose(rng.randint(1, len(offered)))
            assert 0 <= s.mood <= 100
            assert len(s.turns) == before + 1 and step.turn == s.turns[-1]
            # the Step's record is a copy: editing it must not change the transcript (issue 27)
            assert step.turn is not s.turns[-1]
        if s.ended:
            assert s.outcome in ("resolved", "escalated", "unresolved", "lost")
            assert s.offered() == []
            try:
                s.choose(1)
            except SessionError:
                pass
            else:
                raise AssertionError("a finished session accepted a choice")
        t = s.transcript()
        assert t["format"] == 1 and t["scenario"] == scenario.id
        assert len(t["turns"]) == len(s.turns)
        # the same seed and the same choices give the same session
        twin = runtime.new_session(seed=seed + k, learner="prop")
        twin.replay([x["choice"] for x in s.turns])
        assert twin.turns == s.turns and twin.state == s.state and twin.mood == s.mood
        s.close()
        twin.close()


# -- random scenario graphs -----------------------------------------------------------------
IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
OUTCOMES = ["resolved", "escalated", "unresolved", "lost"]
BAD_OUTCOMES = ["solved", "", 3]
BEHAVIOURS = [
    "acknowledge",
    "hear",
    "empathise",
    "apologise",
    "take_action",
    "confirm",
    "listen",
]  # 'listen' is not in the catalogue
MISTAKES = ["defensive", "rude", "jargon", "shouting"]  # 'shouting' is not
CONDITIONS = [
    "mood < 30",
    "mood > 60 and turn > 1",
    "not vars.flag",
    "vars.count > 2",
    "vars.flag",
    "visits.{s} > 1",
    "customer.name == 'Ann'",
    "vars.nope",
    "mood <",
    "vars.count + 'x' > 1",
    "turn % 3 == 0",
    "true",
    "mood >= 0 or",
    "vars.flag and vars.count",
]
SAYS = [
    "Hello.",
    "Mood is {{ mood }} at turn {{ turn }}.",
    "{{ customer.name }} here.",
    "{% if vars.flag %}Flag set.{% else %}No flag.{% endif %}",
    "Visits: {{ visits.{s} }}",
    "{{ vars.count }} items",
    "{{ vars.missing }}",
    "{{ mood + }}",
    "[bold]markup[/bold] \x1b[31mred\x1b[0m",
    "{{ 'x' * 3 }}",
    "{% for v in vars %}{{ v }} {% endfor %}",
]


GOOD_CONDITIONS = CONDITIONS[:7] + ["turn % 3 == 0", "true", "vars.flag and vars.count"]
GOOD_SAYS = SAYS[:6] + SAYS[8:]


@st.composite
def scenarios(draw, broken=True):
    """A scenario document; with broken=False only valid names, values and targets are used."""
    n = draw(st.integers(1, 6))
    ids = draw(st.lists(IDENT, min_size=n, max_size=n, unique=True))
    endings = draw(
        st.lists(st.sampled_from(ids), min_size=0 if broken else 1, max_size=n, unique=True)
    )
    conditions = CONDITIONS if broken else GOOD_CONDITIONS
    says = SAYS if broken else GOOD_SAYS
    rare = (lambda k: draw(st.integers(0, k)) == 0) if broken else (lambda k: False)

    def any_state():
        return st.sampled_from(ids + ["nowhere", "Start"] if broken else ids)

    states = {}
    for sid in ids:
        if sid in endings:
            state = {
                "end": draw(st.sampled_from(OUTCOMES + BAD_OUTCOMES[:1] if broken else OUTCOMES)),
                "say": draw(st.sampled_from(says)).replace("{s}", draw(st.sampled_from(ids))),
            }
            if draw(st.booleans()):
                state["debrief"] = "Debrief at mood {{ mood }}."
            if rare(9):
                state["choices"] = [{"text": "x", "goto": sid}]
        else:
            state = {}
            say = [
                draw(st.sampled_from(says)).replace("{s}", draw(st.sampled_from(ids)))
                for _ in range(draw(st.integers(1, 3)))
            ]
            if not rare(19):
                state["say"] = say if len(say) > 1 else say[0]
            if draw(st.booleans()):
                state["note"] = "A note, turn {{ turn }}."
            choices = []
            for _ in range(draw(st.integers(0 if rare(9) else 1, 4))):
                ch = {
                    "text": draw(
                        st.sampled_from(["Say A", "Say {{ mood }}", "Say B", "{{ vars.flag }}"])
                    ),
                    "goto": draw(any_state() if rare(9) else st.sampled_from(ids)),
                }
                if draw(st.booleans()):
                    ch["if"] = draw(st.sampled_from(conditions)).replace(
                        "{s}", draw(st.sampled_from(ids))
                    )
                if draw(st.booleans()):
                    ch["shows"] = draw(
                        st.lists(
                            st.sampled_from(BEHAVIOURS if broken else BEHAVIOURS[:-1]), max_size=3
                        )
                    )
                if draw(st.booleans()):
                    ch["mistakes"] = draw(
                        st.lists(st.sampled_from(MISTAKES if broken else MISTAKES[:-1]), max_size=2)
                    )
                if draw(st.booleans()):
                    ch["mood"] = draw(st.integers(-120, 120) if broken else st.integers(-100, 100))
                if draw(st.booleans()):
                    if broken:
                        ch["set"] = draw(
                            st.dictionaries(
                                st.sampled_from(["flag", "count", "other"]),
                                st.one_of(st.booleans(), st.integers(-5, 5), st.just("text")),
                                max_size=2,
                            )
                        )
                    else:  # each variable keeps its declared type
                        ch["set"] = draw(
                            st.fixed_dictionaries(
                                {}, optional={"flag": st.booleans(), "count": st.integers(-5, 5)}
                            )
                        )
                if draw(st.booleans()):
                    ch["feedback"] = draw(
                        st.sampled_from(
                            ["Good.", "Mood {{ mood }}.", "{{ vars.nope }}"][: 3 if broken else 2]
                        )
                    )
                if rare(4):
                    ch["id"] = draw(st.sampled_from(["c1", "c2", f"{sid}.1"]))
                if rare(9):
                    ch["escalate"] = draw(st.sampled_from(["supervisor", "", 5]))
                if rare(9):
                    ch["law"] = {
                        draw(st.sampled_from(["consumer_rights_act_2015", "magna_carta"])): draw(
                            st.sampled_from(["right", "wrong", "maybe"])
                        )
                    }
                if rare(14):
                    ch["colour"] = "red"  # unknown key
                choices.append(ch)
            if choices or (broken and draw(st.booleans())):
                state["choices"] = choices
        states[sid] = state
    doc = {
        "id": draw(st.sampled_from(["gen-scenario", "Gen_Bad", "g1"] if broken else ["g1"])),
        "title": "Generated",
        "topic": draw(st.sampled_from(["complaint", "refund-dispute", "gossip"])),  # warning
        "summary": "A generated scenario.",
        "learner_role": "Adviser",
        "customer": {
            "name": "Ann",
            "mood": draw(st.integers(-10, 110) if broken else st.integers(0, 100)),
        },
        "vars": {"flag": False, "count": 0},
        "start": draw(any_state() if rare(9) else st.sampled_from(ids)),
        "states": states,
    }
    if draw(st.booleans()):
        doc["rules"] = [
            {
                "if": draw(st.sampled_from(conditions)).replace("{s}", draw(st.sampled_from(ids))),
                "goto": draw(st.sampled_from(ids)),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]
    for key in draw(
        st.lists(
            st.sampled_from(["title", "customer", "start", "summary"]), max_size=1 if broken else 0
        )
    ):
        del doc[key]
    return doc


@settings(max_examples=150, **SETTINGS)
@given(scenarios(), st.integers(0, 10_000))
def test_random_graphs_load_cleanly_and_play_without_crashing(doc, seed):
    raw = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    result = check_clean(raw)
    event("loaded" if result.scenario is not None else "refused")
    if result.scenario is not None:
        walk(result.scenario, seed)


@settings(max_examples=100, **SETTINGS)
@given(scenarios(broken=False), st.integers(0, 10_000))
def test_valid_generated_graphs_load_and_play_hard(doc, seed):
    """Built only from valid parts: every one must load (warnings allowed) and play."""
    raw = yaml.safe_dump(doc, sort_keys=False).encode()
    result = check_clean(raw)
    assert result.errors == [], [str(e) for e in result.errors]
    walk(result.scenario, seed, max_turns=80, tolerate_types=False)


# -- mutated real files -------------------------------------------------------------------------
def _mutate_bytes(raw: bytes, data) -> bytes:
    kind = data.draw(
        st.sampled_from(
            ["truncate", "insert", "delete", "flip", "dup_line", "del_line", "swap_lines"]
        )
    )
    if not raw:
        return raw
    i = data.draw(st.integers(0, len(raw) - 1))
    if kind == "truncate":
        return raw[:i]
    if kind == "insert":
        junk = data.draw(
            st.sampled_from(
                [
                    b":",
                    b"-",
                    b"[",
                    b"{",
                    b"}",
                    b"'",
                    b'"',
                    b"&a ",
                    b"*a",
                    b"!!python/name:os.system ",
                    b"\t",
                    b"\x00",
                    b"\xff",
                    b"\n",
                    b"  ",
                    b"#",
                    b"{{",
                    b"}}",
                    b"{%",
                    b"|",
                    b">",
                    b"\xe2\x80\xae",
                    b"\x1b[2J",
                    b"? ",
                    b"<<: *a\n",
                ]
            )
        )
        return raw[:i] + junk + raw[i:]
    if kind == "delete":
        j = data.draw(st.integers(i, min(len(raw), i + 40)))
        return raw[:i] + raw[j:]
    if kind == "flip":
        return raw[:i] + bytes([raw[i] ^ (1 << data.draw(st.integers(0, 7)))]) + raw[i + 1 :]
    lines = raw.split(b"\n")
    a = data.draw(st.integers(0, len(lines) - 1))
    b = data.draw(st.integers(0, len(lines) - 1))
    if kind == "dup_line":
        lines.insert(b, lines[a])
    elif kind == "del_line":
        del lines[a]
    else:
        lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


@settings(max_examples=250, **SETTINGS)
@given(st.sampled_from(sorted(REAL)), st.data())
def test_mutated_real_files_never_crash(name, data):
    raw = REAL[name]
    for _ in range(data.draw(st.integers(1, 3))):
        raw = _mutate_bytes(raw, data)
    result = check_clean(raw, name)
    event("loaded" if result.scenario is not None else "refused")
    if result.scenario is not None:
        walk(result.scenario, data.draw(st.integers(0, 1000)), max_turns=25)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _get(node, path):
    for p in path:
        node = node[p]
    return node


ODD_VALUES = [
    None,
    True,
    0,
    -1,
    101,
    3.5,
    "",
    "x",
    "nowhere",
    [],
    {},
    ["a"],
    {"k": "v"},
    "{{ vars.nope }}",
    "{{ mood",
    "resolved",
    "supervisor",
    10**30,
]


@settings(max_examples=150, **SETTINGS)
@given(st.sampled_from(sorted(REAL)), st.data())
def test_structurally_mutated_real_files_never_crash(name, data):
    """Delete, duplicate, retype and swap keys/values of the parsed document, then re-dump."""
    doc = yaml.load(REAL[name], Loader=_YamlLoader)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = _get(doc, path[:-1])
        key = path[-1]
        op = data.draw(st.sampled_from(["delete", "retype", "swap", "rename", "duplicate"]))
        if op == "delete":
            del parent[key]
        elif op == "retype":
            parent[key] = data.draw(st.sampled_from(ODD_VALUES))
        elif op == "swap":
            other = data.draw(st.sampled_from(paths))
            try:
                o_parent = _get(doc, other[:-1])
                parent[key], o_parent[other[-1]] = o_parent[other[-1]], parent[key]
            except (KeyError, IndexError, TypeError):
                pass
        elif op == "rename" and isinstance(parent, dict):
            new = data.draw(
                st.sampled_from(
                    [
                        "tittle",
                        "goto",
                        "end",
                        "if",
                        "say",
                        "choices",
                        "shows",
                        "states",
                        "Start",
                        "vars",
                        "id",
                    ]
                )
            )
            parent[new] = parent.pop(key)
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(parent[key])
        elif op == "duplicate" and isinstance(parent, dict):
            parent[f"{key}_copy"] = parent[key]
    raw = yaml.dump(doc, Dumper=_YamlDumper, allow_unicode=True, sort_keys=False).encode()
    result = check_clean(raw, name)
    event("loaded" if result.scenario is not None else "refused")
    if result.scenario is not None:
        walk(result.scenario, data.draw(st.integers(0, 1000)), max_turns=25)


@settings(max_examples=150, **SETTINGS)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_loader(raw):
    check_clean(raw, "junk.yaml")


@settings(max_examples=100, **SETTINGS)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"# \n\t?,%@`.123")), max_size=200))
def test_yaml_like_text_never_crashes_the_loader(text):
    check_clean(text.encode(), "junk.yaml")


def test_real_files_themselves_play_on_every_seed():
    for name, raw in REAL.items():
        result = check_clean(raw, name)
        assert result.errors == [], [str(e) for e in result.errors]
        for seed in range(5):
            walk(result.scenario, seed, max_turns=60, tolerate_types=False)
