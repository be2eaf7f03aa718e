"""The JSON Schema (draft 2020-12) of the scenario format, for editors.

Generated from `simulator.engine.model.Scenario` — the model the loader validates with — so the
shape the editor checks and the shape the loader accepts cannot drift apart. msgspec gives the
shape; this module adds what only lint knows (the behaviour, mistake, law and model catalogues,
non-empty text, "an ending has no choices") as enums, examples and descriptions so that an editor
such as VS Code (with the YAML extension) completes them while the tutor types.

The schema must accept every file lint accepts. Where lint only *warns* (an unknown topic) the
schema suggests values (`anyOf` an enum and any text) instead of rejecting. It uses no keyword
newer than draft 7 apart from `$defs`, so editors with older validators still understand it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:countertalk:schema:scenario:1"
ROLE_EXAMPLES = (
    "supervisor",
    "manager",
    "team_leader",
    "complaints_team",
    "data_protection_officer",
    "finance_team",
)
_NOT_BLANK = r"\S"  # lint's "is empty; write some text"


def _text(description: str, *, required: bool = False) -> dict[str, str]:
    out = {"type": "string", "description": description}
    if required:
        out["pattern"] = _NOT_BLANK
    return out


def build_schema() -> dict[str, Any]:
    """The enriched schema as a dict (a fresh copy each call)."""
    import msgspec

    from scoring import catalogue
    from simulator.engine.format import OUTCOMES, TOPICS
    from simulator.engine.model import Scenario

    generated = msgspec.json.schema(Scenario)  # {"$ref": Scenario, "$defs": every Struct}
    defs = copy.deepcopy(generated["$defs"])
    schema = defs.pop("Scenario")
    schema["$defs"] = defs
    cat = catalogue.catalogue()
    behaviours = sorted(cat["behaviours"])
    mistakes = sorted(cat["mistakes"])
    model_ids = list(catalogue.model_ids())

    root = schema["properties"]
    _describe(
        root,
        {
            "format": "Format version of this file; 1 is the only version so far.",
            "id": "Unique id in its pack: lowercase letters, digits and '-', e.g. kettle-day12.",
            "title": "Shown in the scenario picker.",
            "topic": "What the scenario practises. Known topics: "
            + ", ".join(TOPICS)
            + ". Another topic is allowed but lint warns.",
            "level": "Qualification level: 2 or 3.",
            "summary": "One or two sentences shown when picking a scenario.",
            "learner_role": "Who the learner plays, e.g. 'Customer service adviser at a shop'.",
            "customer": "The person the learner talks to.",
            "vars": "Variables and their starting values (text, numbers, true/false). Templates "
            "read them as vars.NAME; choices change them with set.",
            "escalation": "What correct escalation means in this scenario (scored by the "
            "escalation model).",
            "models": "Scoring models to apply (default: all of " + ", ".join(model_ids) + ").",
            "start": "The id of the first state.",
            "rules": "Checked in order after every choice; the first whose condition is true "
            "sends the conversation to its goto instead.",
            "states": "State id -> state. A state is the customer's line and the learner's "
            "choices, or an ending (end: OUTCOME).",
            "version": "Your own version label (optional; results are stamped with a hash of the "
            "file anyway).",
            "scoring": "Per-scenario overrides of the scorer's weights and grade thresholds.",
        },
    )
    for key in ("title", "summary", "learner_role"):
        root[key]["pattern"] = _NOT_BLANK
    root["topic"] = {
        "description": root["topic"]["description"],
        "anyOf": [{"enum": list(TOPICS)}, {"type": "string", "pattern": _NOT_BLANK}],
        "examples": list(TOPICS),
    }
    root["models"] = {
        "description": root["models"]["description"],
        "anyOf": [{"type": "array", "items": {"enum": model_ids}}, {"type": "null"}],
    }
    root["states"]["minProperties"] = 1
    root["scoring"] = {
        "$ref": "#/$defs/ScoringOverrides",
        "description": root["scoring"]["description"],
    }

    cust = defs["Customer"]["properties"]
    cust["name"]["pattern"] = _NOT_BLANK

    esc = defs["Escalation"]["properties"]
    esc["to"]["items"] = {"type": "string", "examples": list(ROLE_EXAMPLES)}
    esc["to"]["examples"] = [["supervisor"]]

    rule = defs["Rule"]["properties"]
    rule["if"] = _text(
        "A condition (sandboxed Jinja2 expression) checked after every choice, "
        "e.g. 'mood < 10'. Names: vars, mood, turn, customer, visits.",
        required=True,
    )

    choice = defs["Choice"]["properties"]
    choice["text"] = _text(
        "What the learner says (a template: {{ vars.NAME }} works).", required=True
    )
    choice["if"] = {
        "anyOf": [
            _text(
                "Offered only when this condition is true, e.g. 'not vars.receipt_asked'",
                required=True,
            ),
            {"type": "null"},
        ],
        "description": "Offered only when this condition is true.",
    }
    choice["shows"]["items"] = {"enum": behaviours}
    choice["shows"]["description"] = "Behaviours this choice demonstrates (scored): " + ", ".join(
        behaviours
    )
    choice["mistakes"]["items"] = {"enum": mistakes}
    choice["mistakes"]["description"] = "Mistakes this choice makes (scored): " + ", ".join(
        mistakes
    )
    choice["law"] = {
        "type": "object",
        "description": "Law id (an act, or ACT.FACT for one rule of it; see scoring/laws.yaml) "
        "-> right (applied correctly), wrong (misstated), breached (the choice's conduct, "
        "not its words, is contrary to that law) or offered (it only offered, proposed or asked "
        "for what that law does not allow; nothing was done yet); breached and offered need the "
        "conduct's mistake on the choice.",
        "properties": {
            lid: {"enum": ["right", "wrong", "breached", "offered"]} for lid in catalogue.law_keys()
        },
        "additionalProperties": False,
    }
    choice["corrects"]["items"] = {"enum": [*catalogue.law_keys(), *mistakes]}
    choice["corrects"]["description"] = (
        "Law ids (an act, or ACT.FACT) whose earlier misstatement this choice withdraws; only "
        "such a choice counts as putting the law right (an act withdraws all of its facts). A "
        "mistake id takes that mistake back for what the ending may say (the grade still counts "
        "it)."
    )
    choice["corrects_before_effect"]["items"] = {"enum": mistakes}
    choice["escalate"]["anyOf"][0]["examples"] = list(ROLE_EXAMPLES)
    choice["escalate"]["anyOf"][0]["pattern"] = _NOT_BLANK
    choice["mood"]["description"] = (
        "Signed change to the customer's mood, e.g. +10 or -20; the mood stays within 0..100."
    )

    state = defs["State"]
    sp = state["properties"]
    sp["say"] = {
        "description": sp["say"]["description"],
        "anyOf": [
            _text("The customer's line (a template)", required=True),
            {
                "type": "array",
                "minItems": 1,
                "items": _text("One variant of the line", required=True),
            },
            {"type": "null"},
        ],
    }
    sp["end"] = {
        "enum": list(OUTCOMES),
        "description": "Makes the state an ending with this outcome: "
        + ", ".join(OUTCOMES)
        + ". An ending has no choices.",
    }
    # lint: an ending has no choices; any other state needs say and at least one choice.
    state["if"] = {"required": ["end"]}
    state["then"] = {"properties": {"choices": {"maxItems": 0}}}
    state["else"] = {"required": ["say", "choices"], "properties": {"choices": {"minItems": 1}}}

    scoring = defs["ScoringOverrides"]["properties"]
    scoring["weights"] = {
        "type": "object",
        "description": "Scoring model id -> weight (a number >= 0).",
        "properties": {m: {"type": "number", "minimum": 0} for m in model_ids},
        "additionalProperties": False,
    }

    out = {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "CounterTalk scenario (format 1)",
        "description": "One role-play scenario for `countertalk`. Check a file with "
        "`countertalk lint FILE`; regenerate this schema with "
        "`countertalk schema -o FILE`.",
    }
    schema.pop("title", None)
    schema.pop("description", None)  # the class's docstring, written for programmers
    out.update(schema)
    return out


def _describe(props: dict[str, Any], descriptions: dict[str, str]) -> None:
    for key, text in descriptions.items():
        props[key]["description"] = text


def dumps(schema: dict[str, Any] | None = None) -> str:
    """The schema as the text `countertalk schema` prints (stable: sorted only where we sort)."""
    return (
        json.dumps(schema if schema is not None else build_schema(), indent=2, ensure_ascii=False)
        + "\n"
    )
