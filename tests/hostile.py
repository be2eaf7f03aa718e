"""A scenario with a hostile value in every field a person can see (issue 31, item 1).

Each value carries an OSC 52 clipboard write, a C1 CSI, a 7-bit CSI, a bidi override and HTML;
every output (plain mode, the debriefs, reports, xAPI, graph, paths, the app) must show none of
the controls raw, and the HTML debrief none of the markup.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def hostile(tag: str) -> str:
    """A value that would write the clipboard, clear the screen and inject markup, with a tag
    (letters only) that must survive so the test knows the field was shown at all."""
    return (
        f"{tag}\x1b]52;c;ZWNobyBwd25lZA==\x07<img src=x onerror=alert(1)>"
        f"\x9b2J\x1b[31m[b]x[/b]\u202e\x1b]0;title\x1b\\end"
    )


# A raw ESC, any C0 but tab/newline, DEL, any C1 and the bidi controls.
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_scenario(tmp: Path, *, required: bool = True) -> Path:
    """tests/fixtures/kettle.yaml with a hostile value in every shown field; escalation is
    required, so a path that never escalates prints "This needed escalating to …"."""
    doc = yaml.safe_load((HERE / "fixtures" / "kettle.yaml").read_text())
    doc["title"] = hostile("Title")
    doc["summary"] = hostile("Summary")
    doc["learner_role"] = hostile("Role")
    doc["customer"]["name"] = hostile("Name")
    doc["customer"]["persona"] = hostile("Persona")
    doc["vars"]["who"] = hostile("Varvalue")
    doc["escalation"] = {
        "required": required,
        "to": [hostile("Escto"), "<script>alert(1)</script>"],
        "reason": hostile("Escreason"),
    }
    states = doc["states"]
    opening = states["opening"]
    opening["say"] = "Kettle {{ vars.who }} " + hostile("Say")
    opening["choices"][0]["text"] = hostile("Choicetext")
    opening["choices"][0]["feedback"] = hostile("Feedback")
    opening["choices"][2]["escalate"] = hostile("Escalaterole")
    opening["choices"][2]["feedback"] = hostile("Feedback")
    states["fault_described"]["say"] = [hostile("Variant"), hostile("Variant")]
    states["fault_described"]["note"] = hostile("Note")
    states["fault_described"]["choices"][0]["feedback"] = hostile("Feedback")
    for sid in ("refunded", "manager_called", "repair_only", "walks_out"):
        states[sid]["debrief"] = hostile("Debrief")
        states[sid]["say"] = hostile("Endline")
    f = tmp / "hostile.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=False, sort_keys=False), encoding="utf-8")
    return f


def assert_inert(name: str, shown: str, *, html: bool = False) -> None:
    found = RAW.findall(shown)
    assert not found, f"{name}: raw control characters reach the output: {found[:5]!r}"
    if html:
        assert "<img" not in shown and "<script" not in shown, f"{name}: markup not escaped"
