"""Issue 25, review 25bf (truth26a): every debrief sentence true of the path, scoring side.

Each test replays a play from the blind review (tests/calibration/review25bf.yaml: scenario, seed,
choice ids) or checks a rule across the whole pack. Each failed on main (6d5d69b) before its fix."""

from __future__ import annotations

import re

from scoring import spec
from tests.replay import printed, review_play, scored

# -- class 3: a point shown, then undone by a later turn never taken back ------------------------


def _point(s: dict, pid: str) -> dict:
    return next(p for p in s["marking_points"] if p["id"] == pid)


def test_play14_informed_then_a_wrong_charge_is_not_kept_informed() -> None:
    # turn 3 explained the burden of proof; turn 5 quoted a £65 call-out for a free repair and
    # turn 6 left it to a supervisor ("may be no charge"): neither taken back
    sid, seed, ids = review_play("review25bf", 14)
    s = scored(sid, seed, ids)
    assert _point(s, "keep_informed")["status"] == "missed"
    _t, said = printed(sid, seed, ids)
    assert "Met, a distinction point: Keeps the customer informed and reassured" not in said
    assert re.search(
        r"Missed, a distinction point: Keeps the customer informed and reassured\. Why: shown by "
        r"\"explain rights\" at turn 3, but undone at turn 5 \(misstates the law\)",
        said,
    ), said


def test_play16_informed_then_told_to_ignore_the_letter_is_not_kept_informed() -> None:
    sid, seed, ids = review_play("review25bf", 16)
    s = scored(sid, seed, ids)
    assert _point(s, "keep_informed")["status"] == "missed"
    _t, said = printed(sid, seed, ids)
    assert re.search(
        r"Keeps the customer informed and reassured\. Why: shown by \"explain rights\" at turn 5, "
        r"but undone at turn 6 \(no ownership\)",
        said,
    ), said


def test_every_point_a_later_mistake_can_undo_names_mistakes_that_bear_on_it() -> None:
    """Pack-wide rule (grading.yaml `undone_later_by`): each point that informs the customer
    lists the mistakes that misinform them or leave them not knowing what happens; no point
    lists a mistake already in its own `spoiled_by` (that spoils it whenever made)."""
    points = {mp["id"]: mp for mp in spec.grading()["marking_points"]}
    for pid in ("keep_informed", "check_understanding"):
        later = set(points[pid].get("undone_later_by") or [])
        assert {"misstates_law", "no_ownership"} <= later, pid
    for mp in points.values():
        assert not set(mp.get("undone_later_by") or []) & set(mp.get("spoiled_by") or []), mp["id"]


# -- play 06: the summary and the ownership point agree ---------------------------------------

# An ending that tells the learner the customer was left relying on someone else says the case
# was not owned (brief fact 27: keep ownership, give a reference and a timescale, follow up).
_LEFT_TO_OTHERS = re.compile(r"left relying on someone else|left waiting for someone else", re.I)
_OWNERSHIP_SLIPS = {"no_ownership", "vague_referral"}


def _handed_off_without_a_slip() -> list[str]:
    """Each choice that ends the call at an ending whose unconditional text says the customer was
    left relying on someone else, but carries no ownership slip: there the summary says "keep
    ownership" while "Takes ownership of the problem" stands met (review 25bf play 06)."""
    from pathlib import Path

    import yaml

    from scoring.ending_claims import unconditional_text

    out = []
    for f in sorted(Path("scenarios").glob("*.yaml")):
        states = (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("states") or {}
        left = {
            sid
            for sid, st in states.items()
            if isinstance(st, dict)
            and st.get("end")
            and _LEFT_TO_OTHERS.search(unconditional_text(str(st.get("debrief") or "")))
        }
        for sid, st in states.items():
            for i, ch in enumerate((st or {}).get("choices") or []):
                if ch.get("goto") in left and not set(ch.get("mistakes") or []) & _OWNERSHIP_SLIPS:
                    out.append(f"{f.stem}: {sid}.{i + 1}")
    return out


def test_play06_the_ownership_point_does_not_stand_beside_a_summary_that_says_it_was_handed_on() -> (
    None
):
    # The brief (fact 27) sides with the summary: "the repair centre will be in touch directly
    # ... they'll tell you what happens next" at the close hands the next step on, as the same
    # scenario's follow_up_call.2 ("Someone from the repair centre will be in touch", marked
    # no_ownership) and sar-by-phone's "the data team will be in touch directly" (vague
    # referral) already say. The marking follows the mark; the mark is scenario-side (truth26b).
    assert _handed_off_without_a_slip() == []


# -- 3(a): one rule for a "sorry" that leads into a refusal or a wrong answer ----------------------


def test_play15_a_sorry_that_leads_into_defending_the_rule_is_not_counted_as_in_play04() -> None:
    # play 04 turn 2 "Sorry, I know it's a pain, but it's our policy" (misstates the law,
    # defensive): not counted; play 15 turn 1 "I'm sorry, that should never have happened. The
    # sign ... does say no headwear, though" (defensive): counted. One rule (HEAT, fact 23): an
    # apology is the step only when the reply does not then defend or refuse wrongly.
    sid, seed, ids = review_play("review25bf", 15)
    s = scored(sid, seed, ids)
    assert "apologise" not in (s.get("shown") or {})
    _t, said = printed(sid, seed, ids)
    assert "Apologise: shown at turn 1." not in said
    assert 'Apologise: said at turn 1, but not counted: the "sorry" led into' in said
    sid, seed, ids = review_play("review25bf", 4)
    _t, said = printed(sid, seed, ids)
    assert 'Apologise: said at turn 2, but not counted: the "sorry" led into' in said


def test_no_reply_that_defends_or_misstates_the_law_is_credited_with_an_apology() -> None:
    """Pack-wide, through the scorer's own rule (catalogue `contradicts`): the two mistakes of a
    "sorry, but ..." reply void the apology in the same turn."""
    from scoring import catalogue

    mistakes = catalogue.catalogue()["mistakes"]
    for m in ("defensive", "misstates_law"):
        assert "apologise" in (mistakes[m].get("contradicts") or []), m


# -- 3(b): "nothing yet to keep" gives the reason true of the whole path ---------------------------


def test_plays04_and_11_nothing_to_keep_says_every_reply_made_a_mistake() -> None:
    # both turns of both plays made a mistake; the note named only turn 2 (review 25bf note)
    for n in (4, 11):
        sid, seed, ids = review_play("review25bf", n)
        _t, said = printed(sid, seed, ids)
        assert "what you said at turn 2 came with a mistake in the same turn" not in said, n
        assert (
            "Nothing yet to keep: every reply you gave (turns 1 and 2) came with a mistake, so no "
            "step was counted." in said
        ), n


def test_the_voided_note_never_names_fewer_mistaken_turns_than_the_path_has() -> None:
    """Over the review's short plays: when the note is printed, it names every turn that made a
    mistake (its reason is true of the whole path, not of one turn)."""
    from tests.replay import assessed

    seen = 0
    for n in (4, 9, 11, 15):
        sid, seed, ids = review_play("review25bf", n)
        _t, view = assessed(sid, seed, ids)
        note = view.get("voided_note") or ""
        if not note or view.get("keep") or view.get("shown_any"):
            continue
        seen += 1
        mistaken = {r["turn"] for r in view["turns"] if r.get("mistakes")}
        assert mistaken <= {int(x) for x in re.findall(r"\d+", note)}, (n, note)
    assert seen >= 2


# -- 3(c): the escalation point's reason is the escalation section's ------------------------------


def test_play04_the_missed_escalation_point_says_the_request_never_reached_the_dpo() -> None:
    sid, seed, ids = review_play("review25bf", 4)
    _t, said = printed(sid, seed, ids)
    assert "This needed escalating to the data protection officer, and it never was." in said
    assert (
        "Escalates only when needed, to the right role, with a handover. Why: the customer left "
        "with the problem unresolved" not in said
    )
    assert (
        "Escalates only when needed, to the right role, with a handover. Why: the case needed "
        "escalating to the data protection officer, and it never was." in said
    )
