"""Issue 25 (truth25ar): the pack's data, after review 25al play 06.

(Its courier-lost-cot part, her number to the shop's own courier as a slip, was not merged: the
moderation of the open calibration cases, tests/calibration/moderation25.md case 4, decided that
passing it on against her stated wish is oversharing, fact 19b.)
Options that say sorry, or ask for the customer's story, beside a mistake that does not rule
the step out are marked where the words show it; the story questions left unmarked are listed.
Each test failed on the branch before its change."""

from __future__ import annotations

from simulator.engine.loader import load_scenario
from tests.replay import ROOT, assessed, text


def _choice(scenario: object, cid: str) -> object:
    sid, _, n = cid.rpartition(".")
    return scenario.states[sid].choices[int(n) - 1]  # type: ignore[attr-defined]


# -- 2. a step said beside a mistake rests on its mark, not on word-matching -------------------

# Said in a turn whose mistake does not rule the step out, in words that show it: marked, so the
# debrief credits it instead of "said at turn N, but not counted". Apologies follow the pack's
# rule (tests/unit/test_review25d.py: none beside rudeness, blame, defensiveness,
# discrimination, a scripted reply or a misstatement of the law, review25u E; none that only
# prefaces a refusal); the five files that rule had left to issue 24 are now done.
MARKED: set[tuple[str, str, str]] = {
    ("abusive-customer", "vents.3", "apologise"),
    ("abusive-customer", "vents.4", "apologise"),
    ("compensation-beyond-authority", "flat_no.3", "hear"),
    ("long-running-complaint", "opening.4", "apologise"),
    ("long-running-complaint", "tells.4", "apologise"),
    ("reasonable-adjustment", "companion_call.2", "apologise"),
    ("reasonable-adjustment", "locked_out.2", "apologise"),
    ("reasonable-adjustment", "supervisor_check.2", "apologise"),
    ("spill-in-aisle", "guarding.3", "apologise"),
    ("spill-in-aisle", "radio_cleaner.2", "apologise"),
}

# Read by the debrief as asking for the customer's story, beside a mistake, but not the step, so
# no mark and its "did not count" is true: no question to the customer ("I can't defend what
# happened", "I'll log what's happened", "no need to talk me through it"); the story asked for
# someone else ("tell them what happened", "Dan needs to hear what happened"); or asked inside
# the mistake itself: with a threat or a rebuke (review 25aa play 10: "no HEAT"), behind
# paperwork or a blaming check, only to pass the case on, or "by all means, but" the answer is
# no.
NOT_A_STORY_QUESTION: set[tuple[str, str]] = {
    # review 25aw class 4 (truth25ax): the debrief reads only a request for the story said to
    # the customer ("tell me", "talk me through", a sentence asking "what happened?"), so the
    # lines that only say "what happened" inside another sentence ("I can't defend what
    # happened", "I'll log what's happened", "tell them what happened", "no need to talk me
    # through it", "tell me her security password") are no longer read as asking at all
    ("abusive-customer", "early_warning.2"),
    ("abusive-customer", "mirrored.2"),
    ("abusive-customer", "opening.3"),
    ("app-update-damage", "opening.2"),
    ("compensation-beyond-authority", "flat_no.2"),
    ("faulty-toaster-day12", "opening.2"),
    ("internal-customer-finance", "deprioritised.2"),
    ("late-delivery-recovery", "opening.3"),
    ("late-delivery-recovery", "stock_apology.2"),
    ("reasonable-adjustment", "opening.2"),
    # review 25aw class 2 (truth25ay): asked of his friend, not of Tom (now beside talks_past)
    ("reasonable-adjustment", "opening.3"),
    ("spill-in-aisle", "passed_off.2"),
}


def _asked_beside_a_mistake() -> set[tuple[str, str]]:
    """(scenario, choice) for every option whose words the debrief reads as a question about the
    customer's story, in a turn with a mistake that does not cancel `hear`, with no mark for it."""
    from scoring import catalogue
    from scoring.debrief import _ASKED

    cancels = {
        m: set(e.get("contradicts") or []) for m, e in catalogue.catalogue()["mistakes"].items()
    }
    out = set()
    for f in sorted((ROOT / "scenarios").glob("*.yaml")):
        if f.name.endswith(".test.yaml"):
            continue
        sc = load_scenario(f)
        for sid, st in sc.states.items():
            for i, ch in enumerate(st.choices):
                if not ch.mistakes or not _ASKED.search(ch.text):
                    continue
                off = set().union(*(cancels[m] for m in ch.mistakes))
                if not {*ch.shows, *off} & {"hear", "question"}:
                    out.add((sc.id, sc.choice_id(sid, i)))
    return out


def test_marked_steps_and_every_story_question_beside_a_mistake_is_decided() -> None:
    for sid, cid, step in sorted(MARKED):
        sc = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
        assert step in _choice(sc, cid).shows, (sid, cid)  # type: ignore[attr-defined]
    asked = _asked_beside_a_mistake()
    assert asked == NOT_A_STORY_QUESTION, (
        sorted(asked - NOT_A_STORY_QUESTION),
        sorted(NOT_A_STORY_QUESTION - asked),
    )


def test_an_apology_beside_a_mistake_that_does_not_rule_it_out_is_credited() -> None:
    """long-running-complaint opening.4: "I'm sorry it's taken six weeks, Mrs Okafor, and you're
    right to push. Can I pass you to my manager...": the apology names what happened; the
    mistake is passing her on (no ownership), which does not rule an apology out."""
    _t, view = assessed("long-running-complaint", 3, ["opening.4"])
    said = " ".join(text(view).split())
    assert "Apologise: shown at turn 1." in said
    assert "You said sorry at turn 1" not in said


# -- 3. relative-asks-about-account: the plan said plainly is action taken --------------------


def test_relative_plan_confirm_shows_take_action_on_both_wordings() -> None:
    """'I'll ring your mum's home number at half four today, check it's her, ask if she'd like to
    add you; then we'll go through the letter and support together': what the adviser will do,
    when, by the one doing it, within an adviser's authority (premise 6, fact 17; catalogue
    take_action). plan_confirm.2 makes the same commitment after a slip, so it shows it too."""
    sc = load_scenario(ROOT / "scenarios" / "relative-asks-about-account.yaml")
    for n in (1, 2):
        assert "take_action" in _choice(sc, f"plan_confirm.{n}").shows  # type: ignore[attr-defined]
    ids = [
        "opening.1",
        "explains.1",
        "explains_why.1",
        "routes_explained.1",
        "call_arranged.1",
        "plan_confirm.1",
        "wrap_up.1",
    ]
    _t, view = assessed("relative-asks-about-account", 3, ids)
    said = text(view)
    turn6 = said[said.index("Turn 6.") : said.index("Turn 7.")]
    # and the holder's check it plans (checks_authority, moderation26.md cases 5-7)
    assert "Shows: Confirm, Take action, Check authority." in turn6
