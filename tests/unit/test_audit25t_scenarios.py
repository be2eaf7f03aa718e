"""Audit 25t's scenario defects (issue 25: every debrief sentence true of the path).

D1 is a class: an option (or its feedback) relies on a fact or a question that only some of the
customer's `say:` variants contain, so under some seeds the learner "hears" what was never said.
The customer's line is picked per state and visit from its variants (engine/session.py `_enter`),
so every variant, and every branch of its `{% if %}` blocks, must carry what an option quotes.
VARIANT_FACTS lists each such fact; the test checks the option still quotes it (so the table
stays tied to the option) and that every rendering of every variant of the customer's line
says it. The other tests replay the auditor's paths (by choice id) and read the debrief.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from simulator.engine.loader import load_scenario
from tests import replay

ROOT = Path(__file__).resolve().parents[2]

_BLOCK = re.compile(r"\{%-?\s*if\b.*?%\}(.*?)\{%-?\s*endif\s*-?%\}", re.S)
_BRANCH = re.compile(r"\{%-?\s*(?:elif\b.*?|else\s*)-?%\}", re.S)


def renderings(template: str) -> list[str]:
    """Every text a say line can show, one per combination of its (unnested) `if` branches; an
    `if` without `else` may also show nothing. `{{ }}` values are left as written."""
    m = _BLOCK.search(template)
    if m is None:
        return [template]
    branches = _BRANCH.split(m.group(1))
    if not re.search(r"\{%-?\s*else\s*-?%\}", m.group(1)):
        branches.append("")
    head, tail = template[: m.start()], template[m.end() :]
    return [head + b + rest for b in branches for rest in renderings(tail)]


def test_renderings_expand_every_branch() -> None:
    t = "{% if a %}A{% elif b %}B{% else %}C{% endif %} x{% if d %} D{% endif %}"
    assert sorted(renderings(t)) == sorted(["A x", "A x D", "B x", "B x D", "C x", "C x D"])


# (scenario, state whose line the option relies on, choice id, what every variant must say,
#  what the option says that relies on it)
VARIANT_FACTS = [
    # a: "three kids" in the empathy lines (seed 919)
    ("washing-machine-day45", "opening", "opening.4", r"three kids", r"three kids"),
    ("washing-machine-day45", "fault_heard", "fault_heard.1", r"three kids", r"three kids"),
    ("washing-machine-day45", "fault_heard", "fault_heard.2", r"three kids", r"three kids"),
    # b: her mum's sixtieth (seed 911)
    ("late-delivery-recovery", "opening", "story.1", r"mum's sixtieth", r"sixtieth"),
    ("late-delivery-recovery", "opening", "recap.1", r"mum's sixtieth", r"60th, Mum"),
    ("late-delivery-recovery", "stock_apology", "stock_apology.1", r"mum's sixtieth", r"sixtieth"),
    # c: "Yes" answers whether she can send it back; "You do" answers "I thought I had longer"
    (
        "online-return-changed-mind",
        "rights_explain",
        "rights_explain.1",
        r"\b(send it back|return it)\b.*\?",
        r"^Yes\b",
    ),
    ("online-return-changed-mind", "rushed", "rushed.1", r"thought I had longer", r"^You do\b"),
    # d: "No." answers "do I have to ring someone else?" (seeds 905, 925)
    ("correct-and-erase", "who_handles", "who_handles.1", r"have to ring someone else\?", r"^No\."),
    # found auditing the class: one day off in the opening, "two days off work" in the reply
    ("abusive-customer", "opening", "vents.1", r"two days", r"two days off"),
    # "congratulations" on a ring said to be an engagement ring in only one variant
    ("headwear-rule", "serve_her", "closing.2", r"engagement ring", r"congratulations"),
    # "I spoke too soon about tomorrow" when only one variant asked about tomorrow
    ("webchat-fridge-year-four", "over_promised", "over_promised.2", r"tomorrow", r"tomorrow"),
]


def _choice(sc: Any, cid: str) -> Any:
    return sc.find_choice(cid)[2]


@pytest.mark.parametrize(
    ("scenario", "state", "cid", "said", "quoted"),
    VARIANT_FACTS,
    ids=[f"{s}:{c}" for s, _, c, _, _ in VARIANT_FACTS],
)
def test_every_variant_says_what_the_option_relies_on(
    scenario: str, state: str, cid: str, said: str, quoted: str
) -> None:
    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    assert re.search(quoted, _choice(sc, cid).text, re.I), f"{cid} no longer quotes {quoted!r}"
    say = sc.states[state].say
    variants = say if isinstance(say, list) else [say]
    for n, variant in enumerate(variants, 1):
        for line in renderings(variant):
            assert re.search(said, line, re.I), f"{state}.say.{n} never says {said!r}: {line!r}"


def test_d1_webchat_no_refund_asked_after_a_replacement_was_promised() -> None:
    # over_promised is reached from story.3 (a refund) and proof.3 (a new fridge)
    sc = load_scenario(ROOT / "scenarios" / "webchat-fridge-year-four.yaml")
    for variant in sc.states["over_promised"].say:
        assert "refund" not in variant.lower(), variant


def _play(scenario: str, seed: int, ids: list[str]) -> tuple[str, dict[str, Any]]:
    _, view = replay.assessed(scenario, seed, ids, ending=True)
    return replay.text(view), view


# play 07 (seed 907): the needless escalation withdrawn at once
TOASTER07 = [
    "opening.1",
    "fault_details.2",
    "blame_use.1",
    "heard_properly.4",
    "supervisor_called.3",
    "rights_explained.1",
    "processing.1",
    "receipt_check.1",
    "processing.3",
    "refund_done.1",
    "confirmed.1",
]


def test_d2_withdrawing_the_supervisor_takes_back_the_ownership_slip_at_once() -> None:
    text, _ = _play("faulty-toaster-day12", 907, TOASTER07)
    assert "You didn't take charge of the problem at first, then took it back" in text
    assert "but then acted on it yourself" not in text  # not "recovered at turn 11"


# play 30 (seed 930): one sentence, both of its mistakes taken back
LAPTOP30 = [
    "opening.1",
    "details.1",
    "rights_stage.1",
    "evidence_stage.3",
    "burden_dump.1",
    "deadline_need.1",
    "remedy_explain.1",
    "confirm_stage.1",
    "follow_up_call.1",
]


def test_d3_taking_back_both_are_down_to_you_takes_back_the_ownership_slip_too() -> None:
    text, view = _play("laptop-month7", 930, LAPTOP30)
    assert view["grade"].lower().startswith("pass"), view["grade"]
    assert "leaving the customer to chase it" not in text
    assert "you left the problem with someone else" not in text
    assert "You didn't take charge of the problem at first, then took it back" in text


def test_d4_she_does_not_thank_you_for_telling_her_after_she_had_to_chase() -> None:
    ids = ["opening.1", "purpose.1", "format_agreed.4", "deadline_agreed.1"]
    for seed in (909, 1, 2):
        s = replay.session("internal-customer-finance", seed, ids)
        assert s.state == "updated"
        assert "telling me" not in s.line, s.line
    kept = ["opening.1", "purpose.1", "format_agreed.1", "deadline_agreed.1"]
    s = replay.session("internal-customer-finance", 909, kept)
    assert "Thanks for telling me" in s.line, s.line


def test_d5_recap_feedback_credits_only_the_question_asked() -> None:
    sc = load_scenario(ROOT / "scenarios" / "compensation-beyond-authority.yaml")
    ch = _choice(sc, "recap.1")
    assert "missed anything" not in ch.feedback
    assert "Right?" in ch.text and '"Right?"' in ch.feedback


def test_d6_sending_him_to_the_parts_supplier_misstates_who_the_claim_is_against() -> None:
    text, _ = _play("phone-screen-refit", 914, ["opening.4", "supplier_line.2"])
    misstated = [ln for ln in text.splitlines() if ln.startswith("Misstated")]
    assert misstated and all(
        "claim is against the business that sold the goods or did the work" in ln
        for ln in misstated
    ), misstated
    assert not any("reasonable care and skill" in ln for ln in misstated)


def test_d7_the_toaster_supervisor_is_dan_he_throughout() -> None:
    sc = load_scenario(ROOT / "scenarios" / "faulty-toaster-day12.yaml")
    for cid in ("opening.4", "heard_properly.4", "repair_pushed.3", "restocking_fee.3"):
        assert not re.search(r"\b(she|her)\b", _choice(sc, cid).text), cid


# play 27 (seed 927)
TOASTER27 = [
    "opening.3",
    "manufacturer_line.1",
    "fault_details.1",
    "heard_properly.3",
    "credit_note_offered.1",
    "rights_explained.3",
    "restocking_fee.3",
    "supervisor_called.2",
]


def test_d8_saying_the_box_does_not_matter_is_not_misstating_the_box_rule() -> None:
    text, _ = _play("faulty-toaster-day12", 927, TOASTER27)
    misstated = [ln for ln in text.splitlines() if ln.startswith("Misstated")]
    assert misstated and not any("no box or form" in ln for ln in misstated), misstated
    assert any("with no fee" in ln for ln in misstated), misstated


def test_d9_a_manager_exception_for_family_is_a_misstatement_of_the_data_rule() -> None:
    text, _ = _play("relative-asks-about-account", 916, ["opening.1", "explains.4"])
    assert "Misstated, at turn 2: Data Protection Act 2018" in text
    assert "You did not use the customer's legal rights" not in text


def test_d10a_no_credited_apology_is_a_non_apology() -> None:
    non_apology = re.compile(r"sorry (you were upset|you feel|if you)", re.I)
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        if path.name.endswith(".test.yaml"):
            continue
        sc = load_scenario(path)
        for sid, st in sc.states.items():
            for ch in st.choices:
                if "apologise" in (ch.shows or []):
                    assert not non_apology.search(ch.text), f"{path.name} {sid}: {ch.text}"


def test_d10d_feedback_credits_no_record_check_the_learner_never_made() -> None:
    sc = load_scenario(ROOT / "scenarios" / "broadband-hardship.yaml")
    assert "you checked" not in _choice(sc, "upgrade_rights.1").feedback


def test_d10e_the_customer_does_not_repeat_his_demand_word_for_word() -> None:
    ids = ["opening.1", "vents.1", "demands.2", "mirrored.1", "vents.1"]
    for seed in (921, 1, 2, 3):
        first = replay.session("abusive-customer", seed, ids[:2]).line
        again = replay.session("abusive-customer", seed, ids).line
        assert first != again, again
