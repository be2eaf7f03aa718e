"""Issue 25, scenario side (truth26b): every debrief sentence true of the path
(tests/calibration/reviews/review25bf.md and the brief's named options).

- A `corrects:` that takes back a line takes back every mistake its words withdraw: lint CT612
  finds a choice that takes back part of a line, and the pack has none it does not explain.
- A line that commits to a next contact ("I'll ring you when it's back") shows follow-up.
- Endings and mistake explanations say only what the path shows: no "hung up" where the
  customer only said she would go elsewhere; the hardship note passed to partners is explained
  as a use for another purpose, not as too much data or an insecure route; an address read out
  to an unchecked caller is not "Nothing may have leaked yet".

Each failed on main (6d5d69b) before this branch.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.engine.loader import load_scenario, scenario_files
from tests.replay import printed, review_play

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = scenario_files(ROOT / "scenarios")


def _choice(scenario: str, cid: str):
    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    return sc.find_choice(cid)[2]


def _lint(tmp_path: Path, text: str) -> list[str]:
    from simulator.engine.loader import check_file

    p = tmp_path / "s.yaml"
    p.write_text(textwrap.dedent(text), "utf-8")
    return [f"{d.code} {d.message}" for d in check_file(str(p)).diagnostics]


# -- 1. a line taken back is taken back whole ------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "cid", "mistakes"),
    [
        ("internal-customer-finance", "pushback.1", {"defensive", "no_ownership"}),
        (
            "faulty-toaster-day12",
            "policy_wall.1",
            {"blaming_customer", "defensive", "no_ownership"},
        ),
        (
            "faulty-toaster-day12",
            "policy_wall.3",
            {"blaming_customer", "defensive", "no_ownership"},
        ),
        ("faulty-toaster-day12", "manufacturer_line.1", {"no_ownership"}),
        ("laptop-month7", "warranty_wall.1", {"no_ownership"}),
        ("sar-by-phone", "not_recognised.1", {"no_ownership"}),
        ("webchat-fridge-year-four", "manufacturer_route.1", {"no_ownership"}),
    ],
)
def test_a_withdrawal_takes_back_every_mistake_its_words_withdraw(scenario, cid, mistakes):
    """ "Fair enough, sorry, I'll fit it in this week as a priority" takes back the refusal
    (no_ownership) of "can't you pull those figures yourself?" as well as its push-back;
    "your claim is with us" takes back passing the customer to the manufacturer, not only the
    misstatement of who is liable."""
    assert mistakes <= set(_choice(scenario, cid).corrects)


def test_lint_finds_a_line_taken_back_in_part(tmp_path):
    """CT612: the check can fail. A choice that takes back the defensive half of a defensive,
    no-ownership line and leaves the rest is found; listing both, or repeating the rest in its
    own words (its own `mistakes:`), is not."""
    base = """
        id: t
        title: T
        start: a
        customer: {name: C}
        states:
          a:
            say: "Hi"
            choices:
              - text: "Not my job, ask someone else."
                goto: b
                mistakes: [defensive, no_ownership]
          b:
            say: "Really?"
            choices:
              - text: "Sorry, I'll sort it now."
                goto: z
                corrects: %s
                mistakes: %s
          z:
            end: resolved
            say: "Thanks"
    """
    part = _lint(tmp_path, base % ("[defensive]", "[]"))
    assert any(m.startswith("CT612") and "not no_ownership" in m for m in part), part
    whole = _lint(tmp_path, base % ("[defensive, no_ownership]", "[]"))
    assert not any(m.startswith("CT612") for m in whole), whole
    repeated = _lint(tmp_path, base % ("[defensive]", "[no_ownership]"))
    assert not any(m.startswith("CT612") for m in repeated), repeated


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_no_shipped_line_is_taken_back_in_part_unexplained(path):
    """Pack-wide: CT612 is silent in every shipped scenario; each exception carries its reason
    on its `corrects:` line (a hedge that withdraws no misstatement, an insult no apology undoes,
    or a withdrawal left for the lead because listing it breaks the random-pass bar)."""
    from simulator.engine.loader import check_file

    found = [d for d in check_file(str(path)).diagnostics if d.code == "CT612"]
    assert found == []


# -- 2. a promised next contact is follow-up ---------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "cid"),
    [
        ("laptop-month7", "confirm_stage.3"),
        ("laptop-month7", "confirm_stage.1"),
        ("online-return-changed-mind", "recap.1"),
    ],
)
def test_a_promised_call_shows_follow_up(scenario, cid):
    """ "I'll ring you when it's back from the repair centre" sets up the next contact: the
    catalogue's follow-up ("You set up a next contact ..."), which the debrief would otherwise
    call "not shown"."""
    assert "follow_up" in _choice(scenario, cid).shows


# -- 3. endings and explanations true of the path ----------------------------------------------------


def test_play09_does_not_say_she_hung_up():
    """Play 09: Aisha says she'll buy a cake from the supermarket; nothing shows a hang-up."""
    sid, seed, ids = review_play("review25bf", 9)
    _t, said = printed(sid, seed, ids)
    assert "hung up" not in said
    assert "she'll buy a cake elsewhere" in said


@pytest.mark.parametrize(
    "name",
    [
        "abusive-customer",
        "app-update-damage",
        "late-delivery-recovery",
        "online-return-changed-mind",
        "washing-machine-day45",
        "sar-by-phone",
    ],
)
def test_no_ending_claims_a_hang_up_its_lines_do_not_show(name):
    """The same class pack-wide: an ending's debrief says "hung up" only where a line shows it
    ("(She hangs up.)"); these endings' customers only say they are going elsewhere."""
    raw = (ROOT / "scenarios" / f"{name}.yaml").read_text("utf-8")
    assert "hung up" not in raw


def test_play16_the_partner_offer_is_explained_as_another_purpose():
    """Play 16 turn 4: passing the hardship note to partners is a use for another purpose
    (UK GDPR Art 5(1)(b), as the law section says), not "more personal data than the purpose
    needs, or by an insecure route"."""
    sid, seed, ids = review_play("review25bf", 16)
    _t, said = printed(sid, seed, ids)
    turn4 = said.split("Turn 4, Shares more data than needed, or insecurely.")[1][:600]
    assert "a different purpose from the one she gave it for" in turn4
    assert "Data protection law requires the minimum, sent securely" not in turn4


def test_play03_an_address_read_out_is_not_nothing_leaked():
    """Play 03: the address was read out to an unverified caller, so "Nothing may have leaked
    yet" is false of the path; the turn says what was disclosed."""
    sid, seed, ids = review_play("review25bf", 3)
    _t, said = printed(sid, seed, ids)
    assert "Nothing may have leaked yet" not in said
    assert "they would now know where she lives" in said
