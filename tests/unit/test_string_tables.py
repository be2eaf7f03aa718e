"""String tables beside scenario and activity files (issue 32): stable ids, the overlay with
English fallback, and `countertalk i18n extract|check` (new, missing, stale, unknown, template)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from simulator.engine.loader import check_file
from simulator.engine.strings import (
    localise,
    localised,
    read_table,
    scenario_strings,
    source_hash,
    table_path,
)
from simulator.tooling import translations as tr

ROOT = Path(__file__).resolve().parents[2]
SPILL = ROOT / "scenarios" / "spill-in-aisle.yaml"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args], capture_output=True, text=True, cwd=cwd
    )


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "spill-in-aisle.yaml"
    shutil.copy(SPILL, target)
    return target


def _table(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_ids_come_from_structure_not_wording():
    data = yaml.safe_load(SPILL.read_text(encoding="utf-8"))
    before = [s.id for s in scenario_strings(data)]
    assert "opening.say.1" in before and "opening.1.text" in before
    assert "details.2.feedback" in before and "sorted.debrief" in before
    assert "opening.1.examples" in before and "customer.name" in before
    # Rewording every line keeps every id.
    for st in data["states"].values():
        for ch in st.get("choices", []):
            ch["text"] = "Something else entirely. " + ch["text"]
    assert [s.id for s in scenario_strings(data)] == before
    # An explicit choice id names its strings, wherever the choice moves.
    data["states"]["opening"]["choices"][0]["id"] = "ask_first"
    data["states"]["opening"]["choices"].reverse()
    ids = [s.id for s in scenario_strings(data)]
    assert "ask_first.text" in ids and "ask_first.feedback" in ids


def test_hash_ignores_rewrapping_but_not_rewording():
    assert source_hash("a  b\nc") == source_hash("a b c")
    assert source_hash("a b c") != source_hash("a b d")


def test_extract_then_check_reports_missing_then_clean_then_stale(tmp_path):
    src = _copy(tmp_path)
    tp, text, problem = tr.extract(src, "cy")
    assert problem is None and text is not None
    tr.write_table(tp, text)
    assert tp == tmp_path / "locales" / "cy" / "spill-in-aisle.yaml"
    found = tr.check(src, "cy")
    assert found and {d.code for d in found} == {"CT702"}
    assert all(d.path == str(tp) and d.line > 1 for d in found)

    data = _table(tp)
    for sid, row in data["strings"].items():
        if "examples" in row:
            row["examples"] = ["enghraifft"]
        else:
            row["text"] = "Cymraeg " + sid
    _write(tp, data)
    assert tr.check(src, "cy") == []

    # An English edit makes that one string stale, and the message gives the new hash.
    edited = src.read_text(encoding="utf-8").replace(
        '"Thank you for telling me. Is he hurt, and where is it?"',
        '"Thank you for telling me. Is he hurt, and where exactly is it?"',
    )
    src.write_text(edited, encoding="utf-8")
    found = tr.check(src, "cy")
    # The option and the typed examples that paraphrase it (hashed against its text).
    assert [(d.code, d.message.split("'")[1]) for d in found] == [
        ("CT703", "opening.1.text"),
        ("CT703", "opening.1.examples"),
    ]
    assert source_hash("Thank you for telling me. Is he hurt, and where exactly is it?") in (
        found[0].message
    )
    # Extract keeps it stale (it refreshes `en` only), so nothing is lost or hidden.
    _, text, _ = tr.extract(src, "cy")
    assert text is not None
    tr.write_table(tp, text)
    assert [d.code for d in tr.check(src, "cy")] == ["CT703", "CT703"]
    row = _table(tp)["strings"]["opening.1.text"]
    assert row["en"].endswith("where exactly is it?") and row["text"] == "Cymraeg opening.1.text"


def test_new_unknown_and_template_findings(tmp_path):
    src = _copy(tmp_path)
    tp, text, _ = tr.extract(src, "cy")
    assert text is not None
    tr.write_table(tp, text)
    data = _table(tp)
    for row in data["strings"].values():
        row.update(examples=["x"]) if "examples" in row else row.update(text="x")
    del data["strings"]["title"]
    data["strings"]["gone_state.say"] = {"hash": "0123456789ab", "text": "hen"}
    key = "shelf_question.1.text"
    data["strings"][key]["text"] = "Rydw i'n ffonio {{ vars.rheolwr }} nawr."
    data["strings"]["sorted.say"]["text"] = "{% if vars.follow_up %}Diolch."
    _write(tp, data)
    found = {(d.code, d.message.split("'")[1]) for d in tr.check(src, "cy")}
    assert ("CT701", "title") in found
    assert ("CT704", "gone_state.say") in found
    assert ("CT705", key) in found
    assert any(code == "CT705" and "sorted.say" in m for code, m in found)
    new = next(d for d in tr.check(src, "cy") if d.code == "CT701")
    assert new.path == str(src) and new.line == 4  # where the English title is


def test_overlay_translates_what_the_table_has_and_falls_back_to_english(tmp_path):
    src = _copy(tmp_path)
    tp, text, _ = tr.extract(src, "cy")
    assert text is not None
    tr.write_table(tp, text)
    data = _table(tp)
    data["strings"]["opening.1.text"]["text"] = "Diolch am ddweud. Ydy e wedi brifo?"
    data["strings"]["customer.name"]["text"] = "Lowri Prys"
    data["strings"]["shelf_question.1.text"]["text"] = "Rydw i'n ffonio {{ vars.duty_manager }}."
    data["strings"]["opening.1.examples"]["examples"] = ["ydy e'n iawn", "ble mae e"]
    _write(tp, data)
    english = check_file(src).scenario
    assert english is not None
    welsh = localised(english, "cy")
    opening = welsh.states["opening"]
    assert opening.choices[0].text == "Diolch am ddweud. Ydy e wedi brifo?"
    assert opening.choices[0].examples == ["ydy e'n iawn", "ble mae e"]
    assert opening.choices[1].text == english.states["opening"].choices[1].text  # fallback
    assert welsh.customer.name == "Lowri Prys"
    assert welsh.choice_id("opening", 0) == english.choice_id("opening", 0)
    assert welsh.source == english.source and welsh.content_hash == english.content_hash
    assert localised(english, "en") is english
    # A table that cannot be read is not used: the file plays in English.
    tp.write_text("strings: [oops", encoding="utf-8")
    assert localised(english, "cy").customer.name == english.customer.name
    table = read_table(tp, "cy")
    assert table is not None and table.problems


def test_localise_keeps_variants_and_templates():
    english = check_file(SPILL).scenario
    assert english is not None
    from simulator.engine.strings import Entry, Table

    table = Table("t", "cy")
    table.entries["opening.say.2"] = Entry("opening.say.2", "h", text="Mae rhywbeth yn gollwng.")
    out = localise(english, table)
    say = out.states["opening"].say
    assert isinstance(say, list) and say[1] == "Mae rhywbeth yn gollwng."
    assert say[0] == english.states["opening"].say[0]  # type: ignore[index]


def test_cli_check_exit_codes_and_new_writes_a_table(tmp_path):
    r = cli("new", "Lost parcel", "--dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    table = tmp_path / "locales" / "cy" / "lost-parcel.yaml"
    assert table.is_file() and "wrote " + str(table) in r.stdout
    r = cli("i18n", "check", "--lang", "cy", str(tmp_path / "lost-parcel.yaml"))
    assert r.returncode == 1 and "[CT702 untranslated]" in r.stdout
    data = _table(table)
    for row in data["strings"].values():
        row["text"] = "Testun"
    _write(table, data)
    r = cli("i18n", "check", "--lang", "cy", str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    assert cli("i18n", "check", "--lang", "xx").returncode == 2


def test_tables_are_never_taken_for_scenarios(tmp_path):
    from simulator.engine.pack import scenario_files

    src = _copy(tmp_path)
    tp, text, _ = tr.extract(src, "cy")
    assert text is not None
    tr.write_table(tp, text)
    assert scenario_files(tmp_path) == [src]
    assert table_path(src, "cy").is_file()


def test_activity_overlay_translates_match_answers_with_their_items(tmp_path):
    from simulator.activities.lint import check_file as check_activity
    from simulator.activities.model import localised as localised_activity

    src = tmp_path / "match-career-routes.yaml"
    shutil.copy(ROOT / "scenarios/activities/match-career-routes.yaml", src)
    tp, text, _ = tr.extract(src, "cy")
    assert text is not None
    tr.write_table(tp, text)
    data = _table(tp)
    data["strings"]["pairs.1.left"]["text"] = "Ymarferydd gwasanaeth cwsmeriaid (prentis)"
    data["strings"]["pairs.1.right"]["text"] = "Prentisiaeth Lefel 2"
    data["strings"]["title"]["text"] = "I ble gall gwasanaeth cwsmeriaid fynd â chi?"
    _write(tp, data)
    english = check_activity(src).activity
    assert english is not None
    welsh = localised_activity(english, "cy")
    assert welsh.title.startswith("I ble")
    assert welsh.items[0].text.startswith("Ymarferydd") and welsh.items[0].answer == (
        "Prentisiaeth Lefel 2"
    )
    assert welsh.items[1] == english.items[1]


def test_every_shipped_table_is_complete_and_current():
    """`countertalk i18n check` is clean on the shipped pack: every table beside a shipped file
    has every string translated against the English as it is now (an English edit without a
    translation update fails here, naming the string)."""
    r = cli("i18n", "check", "--lang", "cy", cwd=ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    assert "table(s) checked: no problems" in r.stderr
