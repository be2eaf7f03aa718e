"""Load and lint scenario files: YAML -> checks -> immutable Scenario.

`check_file` returns every problem in a file at once, each pinned to file:line:column with what to
do. Semantic checks run on the raw parsed data (defensively), so a file with a shape error still
gets its gotos, templates and reachability checked in the same run. A Scenario is only built
when there is no error.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlpos
from .format import OUTCOMES, ROOT_KEYS, TOPICS
from .pathctx import PATH_KEYS

STATE_KEYS = ("say", "note", "choices", "end", "debrief", "on_unmatched")
CHOICE_KEYS = (
    "text",
    "goto",
    "id",
    "if",
    "shows",
    "mistakes",
    "escalate",
    "law",
    "mood",
    "set",
    "feedback",
    "examples",
)
CUSTOMER_KEYS = ("name", "persona", "mood", "internal")
ESCALATION_KEYS = ("required", "to", "reason")
RULE_KEYS = ("if", "goto")
SCORING_KEYS = ("weights", "pass", "distinction")
TEMPLATE_KEYS = ("say", "note", "text", "feedback", "debrief")


_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        # Messages quote the file's own keys and names: show control characters escaped
        # (visible to the tutor who must fix them), never let them drive the terminal.
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return _CONTROL_CHAR.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


class ScenarioError(Exception):
    """A scenario could not be loaded; `diagnostics` says where and why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__("\n".join(str(d) for d in errors or diagnostics))


@dataclass
class CheckResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    scenario: object | None = None  # a model.Scenario when the file has no error
    scenario_id: str | None = None
    id_position: tuple[int, int] = (1, 1)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def did_you_mean(word, options) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(
        word, [o for o in options if isinstance(o, str)], n=1, cutoff=0.5
    )
    return f" (did you mean '{close[0]}'?)" if close else ""


def law_key_problem(key, facts: dict) -> str | None:
    """Why `key` is not a valid `law:` mark (an act id, or ACT_ID.FACT_ID), or None."""
    act, _, fact = str(key).partition(".")
    if act not in facts:
        return f"unknown law id '{act}'{did_you_mean(act, facts)}; known: {', '.join(facts)}"
    if fact and fact not in facts[act]:
        known = facts[act]
        return (
            f"unknown fact '{fact}' of {act}{did_you_mean(fact, known)}; known: "
            f"{_fmt_list(known)} (see scoring/laws.yaml)"
        )
    return None


def _fmt_list(options, limit: int = 8) -> str:
    opts = list(options)
    shown = ", ".join(opts[:limit])
    return shown + (", …" if len(opts) > limit else "")


# ----------------------------------------------------------------------------------------------
class _Checker:
    def __init__(self, path: str, parsed: yamlpos.Parsed):
        self.path = path
        self.p = parsed
        self.diags: list[Diagnostic] = []
        from . import vocabulary  # the ids live below the engine, not in scoring

        self.behaviours = vocabulary.behaviour_ids()
        self.mistakes = vocabulary.mistake_ids()
        self.model_ids = vocabulary.model_ids()
        self.law_facts = vocabulary.law_facts()  # {act id: fact ids}, data (scoring/laws.yaml)

    # -- reporting --------------------------------------------------------------------------
    def error(self, where: tuple, message: str, *, key: bool = True):
        self._add("error", where, message, key)

    def warn(self, where: tuple, message: str, *, key: bool = True):
        self._add("warning", where, message, key)

    def _add(self, severity, where, message, key):
        if isinstance(where, _Path):
            line, col = self.p.where(where) if key else self.p.value_at(where)
        else:
            line, col = where
        self.diags.append(Diagnostic(self.path, line, col, severity, message))

    # -- helpers ----------------------------------------------------------------------------
    def keys_known(self, mapping: dict, path: tuple, known, what: str):
        for k in mapping:
            if k not in known:
                self.error(
                    _Path(path + (k,)),
                    f"unknown {what} key '{k}'{did_you_mean(k, known)}; "
                    f"allowed: {_fmt_list(known, 16)}",
                )

    def expect_mapping(self, value, path: tuple, what: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.error(_Path(path), f"{what} must be a mapping of keys to values", key=False)
        return None

    def expect_str(self, value, path: tuple, what: str, *, required=False) -> bool:
        if value is None and not required:
            return False
        if isinstance(value, str) and (value.strip() or not required):
            return True
        if isinstance(value, str):
            self.error(_Path(path), f"{what} is empty; write some text", key=False)
        else:
            self.error(
                _Path(path),
                f"{what} must be text (quote it if it looks like a number or yes/no)",
                key=False,
            )
        return False

    # -- the checks ---------------------------------------------------------------------------
    def run(self):
        data = self.p.data
        for kpath, line, col, first in self.p.duplicates:
            if len(kpath) == 2 and kpath[0] == "states":
                msg = (
                    f"duplicate state id '{kpath[-1]}' (first defined at line {first}); rename one"
                )
            else:
                msg = f"duplicate key '{kpath[-1]}' (first at line {first}); keep one"
            self.error((line, col), msg)
        if not isinstance(data, dict):
            self.error(
                _Path(()),
                "a scenario file must be a mapping with keys such as id, title, start and states",
                key=False,
            )
            return
        self.keys_known(data, (), ROOT_KEYS, "top-level")
        for req in (
            "id",
            "title",
            "topic",
            "summary",
            "learner_role",
            "customer",
            "start",
            "states",
        ):
            if req not in data:
                self.error(
                    _Path(()), f"missing required key '{req}' at the top level; add it", key=False
                )
        fmt = data.get("format", 1)
        if fmt != 1:
            self.error(
                _Path(("format",)), f"unknown format {fmt!r}; only format 1 exists", key=False
            )
        sid = data.get("id")
        if "id" in data and self.expect_str(sid, ("id",), "id", required=True):
            import re

            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", sid):
                self.error(
                    _Path(("id",)),
                    f"id '{sid}' must use only lowercase letters, digits "
                    f"and '-' (e.g. '{_slug(sid)}')",
                    key=False,
                )
        for key in ("title", "summary", "learner_role"):
            if key in data:
                self.expect_str(data[key], (key,), key, required=True)
        topic = data.get("topic")
        if "topic" in data and self.expect_str(topic, ("topic",), "topic", required=True):
            if topic not in TOPICS:
                self.warn(
                    _Path(("topic",)),
                    f"unknown topic '{topic}'{did_you_mean(topic, TOPICS)}"
                    f"; known: {_fmt_list(TOPICS)}",
                    key=False,
                )
        if "level" in data and data["level"] not in (2, 3, None):
            self.error(_Path(("level",)), f"level must be 2 or 3, not {data['level']!r}", key=False)
        self.check_customer(data.get("customer"))
        vars_ = data.get("vars") or {}
        if (
            "vars" in data
            and self.expect_mapping(data.get("vars") or {}, ("vars",), "vars") is not None
        ):
            for name, value in vars_.items():
                if not _is_scalar(value):
                    self.error(
                        _Path(("vars", name)),
                        f"variable '{name}' must be a single value (text, number, true/false)",
                        key=False,
                    )
                elif isinstance(value, str) and len(value) > MAX_VAR_TEXT:
                    self.error(
                        _Path(("vars", name)),
                        f"variable '{name}' holds "
                        f"{len(value)} characters; variables are "
                        f"limited to {MAX_VAR_TEXT}",
                        key=False,
                    )
        else:
            vars_ = {}
        self.check_escalation(data.get("escalation"))
        self.check_models(data.get("models"))
        if "scoring" in data:
            self.check_scoring(data.get("scoring"))
        if "shuffle" in data and not isinstance(data["shuffle"], bool):
            self.error(
                _Path(("shuffle",)),
                f"shuffle must be true or false, not {data['shuffle']!r}",
                key=False,
            )

        states = data.get("states")
        if "states" in data and not isinstance(states, dict):
            self.error(
                _Path(("states",)), "states must be a mapping of state id to state", key=False
            )
            states = None
        if isinstance(states, dict) and not states:
            self.error(
                _Path(("states",)),
                "states is empty; add at least a start state and an ending",
                key=False,
            )
        state_ids = list(states) if isinstance(states, dict) else []
        self.state_ids = dict.fromkeys(state_ids)  # ordered, O(1) membership
        set_vars: dict[str, tuple] = {}
        if isinstance(states, dict):
            for st_id, st in states.items():
                for cpath, choice in self._choices(st_id, st):
                    sets = choice.get("set")
                    if isinstance(sets, dict):
                        for name in sets:
                            set_vars.setdefault(name, cpath + ("set", name))
        self.declared_vars = set(vars_)
        self.declared_types = {k: _kind(v) for k, v in vars_.items()}
        self.known_vars = set(vars_) | set(set_vars)
        for name, where in set_vars.items():
            if name not in vars_:
                self.warn(
                    _Path(where),
                    f"variable '{name}' is set but not declared under vars:"
                    f"{did_you_mean(name, vars_)}; declare it with a starting "
                    f"value",
                )
        customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
        self.customer_keys = set(CUSTOMER_KEYS) | set(customer)

        start = data.get("start")
        if (
            "start" in data
            and self.expect_str(start, ("start",), "start", required=True)
            and state_ids
            and start not in state_ids
        ):
            self.error(
                _Path(("start",)),
                f"start names no state '{start}'{did_you_mean(start, state_ids)}",
                key=False,
            )
        rules = data.get("rules")
        if rules is not None:
            if not isinstance(rules, list):
                self.error(_Path(("rules",)), "rules must be a list of {if, goto}", key=False)
            else:
                for i, rule in enumerate(rules):
                    rp = ("rules", i)
                    if self.expect_mapping(rule, rp, "a rule") is None:
                        continue
                    self.keys_known(rule, rp, RULE_KEYS, "rule")
                    if "if" not in rule:
                        self.error(_Path(rp), "rule has no 'if'; add a condition", key=False)
                    else:
                        self.check_condition(rule["if"], rp + ("if",))
                    self.check_goto(rule.get("goto"), rp, "rule")
        if isinstance(states, dict):
            seen_choice_ids: dict[str, tuple] = {}
            for st_id, st in states.items():
                self.check_state(st_id, st, seen_choice_ids)
            from .typed_format import check_typed_replies

            check_typed_replies(self, data, _Path)
            if not self.errors_in_graph:
                self.check_graph(data, states)

    errors_in_graph = False

    def _choices(self, st_id, st):
        if isinstance(st, dict) and isinstance(st.get("choices"), list):
            for i, ch in enumerate(st["choices"]):
                if isinstance(ch, dict):
                    yield ("states", st_id, "choices", i), ch

    def check_examples(self, examples, path: tuple) -> None:
        """`examples:` are other ways a learner might type a choice (plain text, never templates)."""
        if examples is None:
            return
        if not isinstance(examples, list):
            self.error(_Path(path), "examples must be a list of short phrases", key=False)
            return
        for i, ex in enumerate(examples):
            if not isinstance(ex, str) or not ex.strip():
                self.error(_Path(path + (i,)), "each example must be a non-empty phrase", key=False)
            elif len(ex) > MAX_EXAMPLE_TEXT:
                self.error(
                    _Path(path + (i,)),
                    f"example is {len(ex)} characters; keep it under {MAX_EXAMPLE_TEXT}",
                    key=False,
                )

    def check_customer(self, cust):
        if cust is None:
            return
        if self.expect_mapping(cust, ("customer",), "customer") is None:
            return
        self.keys_known(cust, ("customer",), CUSTOMER_KEYS, "customer")
        if "name" not in cust:
            self.error(_Path(("customer",)), "customer has no 'name'; add one", key=False)
        else:
            self.expect_str(cust["name"], ("customer", "name"), "customer name", required=True)
        if cust.get("persona") is not None:
            self.expect_str(cust["persona"], ("customer", "persona"), "persona")
        mood = cust.get("mood", 50)
        if not _is_int(mood) or not 0 <= mood <= 100:
            self.error(
                _Path(("customer", "mood")),
                f"customer mood must be a whole number from 0 (furious) to 100 "
                f"(delighted), not {mood!r}",
                key=False,
            )
        if not isinstance(cust.get("internal", False), bool):
            self.error(_Path(("customer", "internal")), "internal must be true or false", key=False)

    def check_escalation(self, esc):
        if esc is None:
            return
        if self.expect_mapping(esc, ("escalation",), "escalation") is None:
            return
        self.keys_known(esc, ("escalation",), ESCALATION_KEYS, "escalation")
        if not isinstance(esc.get("required", False), bool):
            self.error(
                _Path(("escalation", "required")), "required must be true or false", key=False
            )
        to = esc.get("to", [])
        if not isinstance(to, list) or not all(isinstance(r, str) for r in to):
            self.error(
                _Path(("escalation", "to")),
                "to must be a list of role names, e.g. [supervisor]",
                key=False,
            )
        elif esc.get("required") and not to:
            self.error(
                _Path(("escalation",)),
                "escalation is required but 'to' lists no role; "
                "name who it is right to escalate to",
                key=False,
            )
        if esc.get("reason") is not None:
            self.expect_str(esc["reason"], ("escalation", "reason"), "reason")

    def check_models(self, models):
        if models is None:
            return
        if not isinstance(models, list):
            self.error(
                _Path(("models",)),
                f"models must be a list, e.g. [{', '.join(self.model_ids)}]",
                key=False,
            )
            return
        for i, m in enumerate(models):
            if m not in self.model_ids:
                self.error(
                    _Path(("models", i)),
                    f"unknown scoring model {m!r}"
                    f"{did_you_mean(m, self.model_ids)}; known: "
                    f"{_fmt_list(self.model_ids)}",
                    key=False,
                )

    def check_scoring(self, sc):
        if self.expect_mapping(sc, ("scoring",), "scoring") is None:
            return
        self.keys_known(sc, ("scoring",), SCORING_KEYS, "scoring")
        weights = sc.get("weights", {})
        if not isinstance(weights, dict):
            self.error(
                _Path(("scoring", "weights")), "weights must map model ids to numbers", key=False
            )
        else:
            for m, w in weights.items():
                if m not in self.model_ids:
                    self.error(
                        _Path(("scoring", "weights", m)),
                        f"unknown scoring model '{m}'{did_you_mean(m, self.model_ids)}",
                    )
                if not isinstance(w, (int, float)) or isinstance(w, bool) or w < 0:
                    self.error(
                        _Path(("scoring", "weights", m)), "a weight must be a number ≥ 0", key=False
                    )
        for k in ("pass", "distinction"):
            v = sc.get(k)
            if v is not None and (not _is_int(v) or not 0 <= v <= 100):
                self.error(_Path(("scoring", k)), f"{k} must be a percentage 0..100", key=False)
        p, d = sc.get("pass"), sc.get("distinction")
        if _is_int(p) and _is_int(d) and p > d:
            self.error(
                _Path(("scoring",)),
                "the pass threshold is above the distinction threshold",
                key=False,
            )

    def check_goto(self, target, path: tuple, what: str):
        if target is None:
            self.error(_Path(path), f"{what} has no 'goto'; name the state it leads to", key=False)
            self.errors_in_graph = True
            return
        if not isinstance(target, str):
            target = str(target)
        if self.state_ids and target not in self.state_ids:
            self.error(
                _Path(path + ("goto",)),
                f"goto names no state '{target}'{did_you_mean(target, self.state_ids)}",
                key=False,
            )
            self.errors_in_graph = True

    def check_state(self, st_id, st, seen_choice_ids):
        sp = ("states", st_id)
        if st is None:
            st = {}
        if self.expect_mapping(st, sp, f"state '{st_id}'") is None:
            self.errors_in_graph = True
            return
        self.keys_known(st, sp, STATE_KEYS, "state")
        end = st.get("end")
        is_end = "end" in st
        if is_end and end not in OUTCOMES:
            self.error(
                _Path(sp + ("end",)),
                f"unknown outcome {end!r}{did_you_mean(end, OUTCOMES)}"
                f"; use one of {', '.join(OUTCOMES)}",
                key=False,
            )
        choices = st.get("choices")
        if is_end and choices:
            self.error(
                _Path(sp + ("choices",)),
                f"state '{st_id}' is an ending (end: {end}) but "
                f"has choices; remove them or remove 'end'",
            )
        if not is_end:
            if choices is None or choices == []:
                self.error(
                    _Path(sp),
                    f"state '{st_id}' has no choices and is not an ending; add "
                    f"choices or 'end: resolved|escalated|unresolved|lost'",
                )
                self.errors_in_graph = True
            if "say" not in st:
                self.error(_Path(sp), f"state '{st_id}' has no 'say'; write the customer's line")
        say = st.get("say")
        if isinstance(say, list):
            if not say:
                self.error(
                    _Path(sp + ("say",)), "say is an empty list; give at least one line", key=False
                )
            for i, v in enumerate(say):
                if self.expect_str(v, sp + ("say", i), "a say variant", required=True):
                    self.check_template(v, sp + ("say", i))
        elif say is not None:
            if self.expect_str(say, sp + ("say",), "say", required=True):
                self.check_template(say, sp + ("say",))
        for key in ("note", "debrief"):
            if st.get(key) is not None and self.expect_str(st[key], sp + (key,), key):
                self.check_template(st[key], sp + (key,))
        if choices is None or choices == []:
            return
        if not isinstance(choices, list):
            self.error(_Path(sp + ("choices",)), "choices must be a list", key=False)
            self.errors_in_graph = True
            return
        for i, ch in enumerate(choices):
            self.check_choice(st_id, i, ch, seen_choice_ids)

    def check_choice(self, st_id, i, ch, seen_choice_ids):
        cp = ("states", st_id, "choices", i)
        if self.expect_mapping(ch, cp, "a choice") is None:
            self.errors_in_graph = True
            return
        self.keys_known(ch, cp, CHOICE_KEYS, "choice")
        cid = ch.get("id") if ch.get("id") is not None else f"{st_id}.{i + 1}"
        if ch.get("id") is not None and not isinstance(ch.get("id"), str):
            self.error(_Path(cp + ("id",)), "a choice id must be text", key=False)
        cid = str(cid)
        if cid in seen_choice_ids:
            line = self.p.where(seen_choice_ids[cid])[0]
            self.error(
                _Path(cp + ("id",)) if "id" in ch else _Path(cp),
                f"duplicate choice id '{cid}' (also used at line {line}); give one a different id",
            )
        else:
            seen_choice_ids[cid] = cp + ("id",) if "id" in ch else cp
        if "text" not in ch:
            self.error(_Path(cp), "choice has no 'text'; write what the learner says", key=False)
        elif self.expect_str(ch["text"], cp + ("text",), "text", required=True):
            self.check_template(ch["text"], cp + ("text",))
        self.check_goto(ch.get("goto"), cp, "choice")
        if ch.get("if") is not None:
            self.check_condition(ch["if"], cp + ("if",))
        for key, catalogue, what in (
            ("shows", self.behaviours, "behaviour"),
            ("mistakes", self.mistakes, "mistake"),
        ):
            items = ch.get(key)
            if items is None:
                continue
            if isinstance(items, str):
                items = [items]
                self.error(_Path(cp + (key,)), f"{key} must be a list, e.g. [{ch[key]}]", key=False)
                continue
            if not isinstance(items, list):
                self.error(_Path(cp + (key,)), f"{key} must be a list", key=False)
                continue
            for j, item in enumerate(items):
                if not isinstance(item, str) or item not in catalogue:
                    self.error(
                        _Path(cp + (key, j)),
                        f"unknown {what} {item!r}"
                        f"{did_you_mean(item, catalogue)}; see "
                        f"scoring/catalogue.yaml",
                        key=False,
                    )
        esc = ch.get("escalate")
        if esc is not None and not (isinstance(esc, str) and esc.strip()):
            self.error(
                _Path(cp + ("escalate",)), "escalate must name a role, e.g. supervisor", key=False
            )
        law = ch.get("law")
        if law is not None:
            if not isinstance(law, dict):
                self.error(
                    _Path(cp + ("law",)),
                    "law must map a law id to right or wrong, e.g. "
                    "{consumer_rights_act_2015: right}",
                    key=False,
                )
            else:
                for lid, verdict in law.items():
                    problem = law_key_problem(lid, self.law_facts)
                    if problem:
                        self.error(_Path(cp + ("law", lid)), problem)
                    if verdict not in ("right", "wrong"):
                        self.error(
                            _Path(cp + ("law", lid)),
                            f"law verdict must be right or wrong, not {verdict!r}",
                            key=False,
                        )
        mood = ch.get("mood")
        if mood is not None and (not _is_int(mood) or not -100 <= mood <= 100):
            self.error(
                _Path(cp + ("mood",)),
                f"mood change must be a whole number from -100 to +100, not {mood!r}",
                key=False,
            )
        sets = ch.get("set")
        if sets is not None:
            if not isinstance(sets, dict):
                self.error(
                    _Path(cp + ("set",)),
                    "set must map variables to values, e.g. {asked: true}",
                    key=False,
                )
            else:
                for name, value in sets.items():
                    if not _is_scalar(value):
                        self.error(
                            _Path(cp + ("set", name)),
                            f"'{name}' must be set to a single value",
                            key=False,
                        )
                    elif isinstance(value, str) and len(value) > MAX_VAR_TEXT:
                        self.error(
                            _Path(cp + ("set", name)),
                            f"'{name}' is set to "
                            f"{len(value)} characters; variables "
                            f"are limited to {MAX_VAR_TEXT}",
                            key=False,
                        )
                    elif (
                        name in self.declared_types
                        and value is not None
                        and self.declared_types[name] not in (None, _kind(value))
                    ):
                        self.warn(
                            _Path(cp + ("set", name)),
                            f"'{name}' is declared as {self.declared_types[name]} but set to "
                            f"{_kind(value)} here; conditions that compare it may fail "
                            f"while playing — keep one kind of value",
                            key=False,
                        )
        self.check_examples(ch.get("examples"), cp + ("examples",))
        fb = ch.get("feedback")
        if fb is not None and self.expect_str(fb, cp + ("feedback",), "feedback"):
            self.check_template(fb, cp + ("feedback",))
        if not ch.get("shows") and not ch.get("mistakes") and not ch.get("feedback"):
            self.warn(
                _Path(cp),
                "choice has neither shows, mistakes nor feedback; the debrief "
                "cannot explain it — add at least feedback",
                key=False,
            )

    # -- templates and conditions -------------------------------------------------------------
    def check_template(self, source: str, path: tuple):
        from .templating import is_template, parse_template

        if not is_template(source):
            return
        from jinja2 import TemplateSyntaxError

        try:
            tree = parse_template(source)
        except TemplateSyntaxError as exc:
            self.error(
                self._at_line(path, exc.lineno),
                f"template does not parse: {exc.message}; check the {{{{ }}}} and {{% %}} pairs",
            )
            return
        self.check_names(tree, path)

    def check_condition(self, source, path: tuple):
        from .templating import parse_condition

        if isinstance(source, bool):
            return
        if not isinstance(source, str) or not source.strip():
            self.error(
                _Path(path),
                "a condition must be an expression such as 'mood < 30' or 'not vars.asked'",
                key=False,
            )
            return
        from jinja2 import TemplateSyntaxError

        try:
            tree = parse_condition(source)
        except TemplateSyntaxError as exc:
            self.error(
                _Path(path),
                f"condition does not parse: {exc.message}; write an "
                f"expression such as 'mood < 30 and not vars.asked'",
                key=False,
            )
            return
        self.check_names(tree, path)

    def check_names(self, tree, path):
        from .templating import SCOPE_NAMES, names_used, unsafe_constructs

        # Things that could only fail when played: say so now, not to a learner mid-session.
        for line, message in unsafe_constructs(tree):
            self.error(self._at_line(path, line), message)
        for root, attr, line in names_used(tree):
            where = self._at_line(path, line)
            if root == "path" and self._ending_text(path):  # engine/pathctx.py
                if attr is not None and attr not in PATH_KEYS:
                    self.error(
                        where,
                        f"'path.{attr}' is not known{did_you_mean(attr, PATH_KEYS)}; "
                        f"use {', '.join(PATH_KEYS)}",
                    )
            elif root not in SCOPE_NAMES:
                self.error(
                    where,
                    f"unknown name '{root}'{did_you_mean(root, SCOPE_NAMES)}; "
                    f"templates can use {', '.join(SCOPE_NAMES)}"
                    + ("; 'path' only in an ending's say and debrief" if root == "path" else ""),
                )
            elif attr is None:
                continue
            elif root == "vars" and attr not in self.known_vars:
                self.error(
                    where,
                    f"undefined variable 'vars.{attr}'"
                    f"{did_you_mean(attr, self.known_vars)}; declare it under vars:",
                )
            elif root == "visits" and attr not in self.state_ids:
                self.error(
                    where, f"'visits.{attr}' names no state{did_you_mean(attr, self.state_ids)}"
                )
            elif root == "customer" and attr not in self.customer_keys:
                self.error(
                    where,
                    f"'customer.{attr}' is not a customer field"
                    f"{did_you_mean(attr, self.customer_keys)}; use "
                    f"{', '.join(CUSTOMER_KEYS)}",
                )
            elif root in ("mood", "turn"):
                self.error(where, f"'{root}' is a number and has no '{attr}'")

    def _ending_text(self, path) -> bool:
        """An ending's say/debrief, the texts that may read `path`."""
        if len(path) < 3 or path[0] != "states" or path[2] not in ("say", "debrief"):
            return False
        st = (self.p.data.get("states") or {}).get(path[1])
        return isinstance(st, dict) and st.get("end") is not None

    def _at_line(self, path, lineno):
        line, col = self.p.value_at(path)
        if lineno and lineno > 1 or path in self.p.block_scalars:
            extra = 1 if path in self.p.block_scalars else 0
            return (line + (lineno or 1) - 1 + extra, col if not extra else col + 2)
        return (line, col)

    # -- graph ----------------------------------------------------------------------------------
    def check_graph(self, data, states):
        start = data.get("start")
        if not isinstance(start, str) or start not in states:  # a list start: reported already
            return
        edges: dict[str, set[str]] = {s: set() for s in states}
        rules = data.get("rules") if isinstance(data.get("rules"), list) else []
        rule_targets = {str(r.get("goto")) for r in rules if isinstance(r, dict)}
        for s, st in states.items():
            for _, ch in self._choices(s, st):
                edges[s].add(str(ch.get("goto")))
            if isinstance(st, dict) and st.get("choices"):
                edges[s] |= rule_targets
        reach = {start}
        todo = [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt in states and nxt not in reach:
                    reach.add(nxt)
                    todo.append(nxt)
        endings = {s for s, st in states.items() if isinstance(st, dict) and "end" in st}
        if not endings:
            self.error(
                _Path(("states",)),
                "no state is an ending; add one with "
                "'end: resolved' (or escalated, unresolved, lost)",
            )
        rev: dict[str, set[str]] = {s: set() for s in states}
        for s, outs in edges.items():
            for t in outs:
                if t in rev:
                    rev[t].add(s)
        can_end = set(endings)
        todo = list(endings)
        while todo:
            for prev in rev[todo.pop()]:
                if prev not in can_end:
                    can_end.add(prev)
                    todo.append(prev)
        for s in states:
            if s not in reach:
                kind = "ending" if s in endings else "state"
                self.warn(
                    _Path(("states", s)),
                    f"{kind} '{s}' is not reached by any path from "
                    f"'{start}'; link to it or remove it",
                )
            elif s not in can_end and endings:
                self.warn(
                    _Path(("states", s)),
                    f"no ending can be reached from state '{s}'; the "
                    f"learner would be stuck — add a way out",
                )


class _Path(tuple):
    """Marks a tuple as a path into the data, not a (line, column) pair."""


MAX_EXAMPLE_TEXT = 300
MAX_VAR_TEXT = 1000


def _kind(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, (int, float)):
        return "a number"
    return "text"


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_scalar(v) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-scenario"


# ----------------------------------------------------------------------------------------------
def check_bytes(raw: bytes, path: str = "<scenario>", *, build: bool = True) -> CheckResult:
    """Parse, lint and (when there is no error and `build`) build the Scenario."""
    result = CheckResult(path=path)
    try:
        parsed = yamlpos.parse_bytes(raw)
    except yamlpos.YamlProblem as exc:
        result.diagnostics.append(Diagnostic(path, exc.line, exc.column, "error", exc.message))
        return result
    checker = _Checker(path, parsed)
    checker.run()
    result.diagnostics = sorted(set(checker.diags), key=lambda d: (d.line, d.column, d.message))
    if isinstance(parsed.data, dict) and isinstance(parsed.data.get("id"), str):
        result.scenario_id = parsed.data["id"]
        result.id_position = parsed.value_at(("id",))
    if result.errors or not build:
        return result
    result.scenario = _build(parsed, raw, path, result)
    return result


def _build(parsed, raw: bytes, path: str, result: CheckResult):
    from pydantic import ValidationError

    from .model import Scenario

    try:
        scenario = Scenario.model_validate(parsed.data)
    except ValidationError as exc:
        # The checks above should catch everything first; this is the safety net, still pinned.
        for err in exc.errors():
            loc = tuple(str(x) if isinstance(x, str) else x for x in err["loc"])
            loc = tuple("if" if x == "if_" else x for x in loc)
            line, col = parsed.value_at(loc)
            result.diagnostics.append(
                Diagnostic(path, line, col, "error", f"{'.'.join(map(str, loc))}: {err['msg']}")
            )
        return None
    positions = dict(parsed.values)
    positions.update(parsed.keys)
    scenario._positions = positions
    scenario._source = path
    scenario._content_hash = hashlib.sha256(raw).hexdigest()
    return scenario


def check_file(path: str | os.PathLike, *, build: bool = True) -> CheckResult:
    spath = str(path)
    try:
        size = os.stat(spath).st_size
        if size > yamlpos.MAX_BYTES:
            return CheckResult(
                spath,
                [
                    Diagnostic(
                        spath,
                        1,
                        1,
                        "error",
                        f"file is {size / 1048576:.1f} MB; scenarios are limited to "
                        f"{yamlpos.MAX_BYTES // 1048576} MB — split it into several scenarios",
                    )
                ],
            )
        with open(spath, "rb") as fh:
            raw = fh.read()
    except IsADirectoryError:
        return CheckResult(spath, [Diagnostic(spath, 1, 1, "error", "is a folder, not a file")])
    except OSError as exc:
        return CheckResult(
            spath, [Diagnostic(spath, 1, 1, "error", f"cannot read: {exc.strerror or exc}")]
        )
    return check_bytes(raw, spath, build=build)


def load_scenario(path: str | os.PathLike):
    """Load one file; raise ScenarioError with every diagnostic if it has an error."""
    result = check_file(path)
    if result.scenario is None:
        raise ScenarioError(result.diagnostics)
    return result.scenario


def scenario_files(target: str | os.PathLike) -> list[Path]:
    p = Path(target)
    if p.is_dir():
        return sorted(x for x in p.glob("*.yaml") if x.is_file()) + sorted(
            x for x in p.glob("*.yml") if x.is_file()
        )
    return [p]


def check_pack(results: list[CheckResult]) -> list[Diagnostic]:
    """Pack-wide rules: scenario ids are unique."""
    seen: dict[str, CheckResult] = {}
    out = []
    for r in results:
        if not r.scenario_id:
            continue
        if r.scenario_id in seen:
            first = seen[r.scenario_id]
            out.append(
                Diagnostic(
                    r.path,
                    *r.id_position,
                    "error",
                    f"duplicate scenario id '{r.scenario_id}' (also in "
                    f"{first.path}:{first.id_position[0]}); ids must be unique "
                    f"in a pack",
                )
            )
        else:
            seen[r.scenario_id] = r
    return out


def shipped_pack() -> Path:
    from importlib import resources

    return Path(str(resources.files("scenarios")))


def resolve(target: str, pack: str | os.PathLike | None = None) -> Path:
    """A path, or the id of a scenario in the pack (default: the shipped pack).

    Raises FileNotFoundError with a message that lists close ids.
    """
    p = Path(target)
    if p.suffix in (".yaml", ".yml") or os.sep in target or p.exists():
        if p.is_file():
            return p
        raise FileNotFoundError(f"no scenario file '{target}'")
    pack_dir = Path(pack) if pack else shipped_pack()
    guess = pack_dir / f"{target}.yaml"
    if guess.is_file():
        return guess
    ids = {}
    for f in scenario_files(pack_dir):
        sid = _peek_id(f)
        if sid:
            ids[sid] = f
    if target in ids:
        return ids[target]
    hint = did_you_mean(target, ids)
    raise FileNotFoundError(
        f"no scenario with id '{target}' in {pack_dir}{hint}; "
        f"run 'countertalk lint {pack_dir}' or give a file path"
    )


def _peek_id(path: Path) -> str | None:
    """The `id:` of a scenario file without parsing the whole file."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("id:"):
                    return line[3:].split("#")[0].strip().strip("'\"") or None
    except OSError:
        return None
    return None
