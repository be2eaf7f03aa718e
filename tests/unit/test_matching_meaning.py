"""Typed replies understood by meaning (issue 26): negation, refusal, who does what, bare
acknowledgements and tone, on the shipped pack.

The figures come from tests/typed/meaning.yaml, written before the matcher was changed and
apart from the pack's examples. meaning_sealed.yaml, measured once last stop, is tuning data now;
meaning_sealed2.yaml was written before last stop's changes and run once after them; it is tuning
data now, like the others. meaning_sealed3.yaml was written and committed before this stop's
changes and run once after them (tests/typed/sealed3-result.txt; tests at the end).
meaning_sealed4.yaml was run once by the lead (tests/typed/sealed4-result.txt) and is tuning data
now: its three never-failures are covered by helper neg26d's tests at the very end.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from simulator.matching import meaning
from simulator.matching.matcher import ScenarioMatcher, routed_rude, rude_tone
from simulator.matching.policy import TONE_MISTAKES
from simulator.matching.rude import rude_kind

ROOT = Path(__file__).resolve().parents[2]


def _harness():
    spec = importlib.util.spec_from_file_location("meaning_set", ROOT / "tests/typed/meaning.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["meaning_set"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def held():
    mod = _harness()
    return mod, mod.load(ROOT / "scenarios")


def test_the_meaning_set_is_big_enough_and_still_finds_its_options(held):
    _mod, h = held
    assert not h.stale, h.stale
    assert len(h.items) >= 60 and len(h.scenarios) >= 6
    assert sum(it.kind in ("negation", "role") for it in h.items) >= 20
    assert sum(it.kind == "ack" for it in h.items) >= 10


def test_the_issue_targets_on_the_held_out_meaning_set(held):
    mod, h = held
    r = mod.evaluate(h)
    assert r["top1"] >= 0.9 * r["with_answer"], mod.summary(r)
    assert not r["negation_accepted"], r["negation_accepted"]
    assert not r["ack_accepted"], r["ack_accepted"]
    assert not r["polite_offered_rude"], r["polite_offered_rude"]
    assert not r["rude_offered_polite"], r["rude_offered_polite"]


def _item(held, scenario, state, text):
    _mod, h = held
    offered = next(it.offered for it in h.items if (it.scenario, it.state) == (scenario, state))
    return ScenarioMatcher(h.scenarios[scenario]).match(text, offered)


def _taken(m):
    return m.best.choice_id if m.decision == "accept" else None


def _offered_ids(m):
    if m.decision == "accept":
        return {m.best.choice_id}
    return {s.choice_id for s in m.suggestions} if m.decision == "confirm" else set()


# The issue's own examples, each as a learner would expect it to behave.


def test_i_wont_get_the_manager_is_not_taken_as_getting_the_manager(held):
    m = _item(
        held,
        "compensation-beyond-authority",
        "opening",
        "I won't get the manager, let me look at it myself",
    )
    assert _taken(m) != "opening.2"
    assert m.best.choice_id != "opening.2"


def test_we_wont_just_give_a_credit_note_is_not_the_credit_note(held):
    line = "we won't just give you a credit note, you can have your money back"
    m = _item(held, "faulty-toaster-day12", "heard_properly", line)
    assert _taken(m) != "heard_properly.3"
    assert m.best.choice_id == "heard_properly.1"


def test_ill_explain_to_dan_is_not_asking_the_customer_to_explain(held):
    m = _item(held, "faulty-toaster-day12", "supervisor_called", "i'll explain to dan")
    assert _taken(m) != "supervisor_called.2"
    assert m.ranking[0].choice_id != "supervisor_called.2"


def test_a_sincere_apology_is_never_offered_the_rude_option(held):
    line = "im really sorry gary, two missed visits is not on. lets get it sorted"
    m = _item(held, "abusive-customer", "opening", line)
    assert "opening.3" not in _offered_ids(m)


def test_ok_is_never_taken_as_an_option(held):
    for line in ("ok", "OK.", "right", "yes", "sure", "fine", "mm"):
        m = _item(held, "faulty-toaster-day12", "heard_properly", line)
        assert m.decision != "accept", (line, m.as_json())


def test_a_one_or_two_word_line_is_asked_about_never_taken(held):
    m = _item(held, "faulty-toaster-day12", "heard_properly", "credit note")
    assert m.decision != "accept"


def test_verification_is_understood(held):
    m = _item(
        held, "correct-and-erase", "explains", "can i take your name and date of birth please"
    )
    assert m.decision != "reject"
    assert m.best.choice_id in ("explains.1", "explains.3")


# The pieces.


@pytest.mark.parametrize(
    ("line", "negated", "agent"),
    [
        ("I won't get the manager", True, "me"),
        ("i'll explain to dan", False, "me"),
        ("could you just explain to Dan what happened?", False, "you"),
        ("you don't need the box", True, "you"),
        ("there's no restocking fee", True, None),
    ],
)
def test_clauses_have_polarity_and_agent(line, negated, agent):
    (c,) = meaning.clauses(line)
    assert (c.negated, c.agent) == (negated, agent)


def test_questions_and_conditions_assert_no_negation():
    assert not any(c.negated for c in meaning.clauses("are you sure you didn't have it too high?"))
    assert not any(c.refuses for c in meaning.clauses("if you won't do the form I'll pass it on"))


def test_without_scopes_to_its_own_noun_phrase():
    cs = meaning.clauses("Without the box I'd have to take a restocking fee off.")
    assert [(c.negated, c.content) for c in cs] == [
        (True, "box"),
        (False, "take restock fee"),  # contents are lightly stemmed
    ]


def test_description_is_not_refusal():
    (c,) = meaning.clauses("it won't drain even with a clean filter")
    assert c.negated and not c.refuses


@pytest.mark.parametrize("line", ["ok", "right then", "mm", "yes sure", "Fine."])
def test_bare_acknowledgements(line):
    assert meaning.bare_acknowledgement(line)


@pytest.mark.parametrize("line", ["ok, I'll refund it", "right, full refund"])
def test_a_line_with_content_is_not_a_bare_acknowledgement(line):
    assert not meaning.bare_acknowledgement(line)


def test_rude_tone_is_the_rude_mark_or_rude_words_or_the_states_rude_reply(held):
    """opening.3 ("Don't shout at me, mate; I didn't miss your appointment ...") is marked
    `defensive` only since moderation26.md case 1 (mirroring, not an insult), and the lexicon
    does not read its words as rude; it is still the state's rude reply (`on_unmatched.rude`),
    so the matcher still treats it as rude in tone."""
    _mod, h = held
    sc = h.scenarios["abusive-customer"]
    offered = next(it.offered for it in h.items if (it.scenario, it.state) == (sc.id, "opening"))
    routed = routed_rude(sc)
    assert "opening.3" in routed
    tones = {o.choice_id: rude_tone(o, routed) for o in offered}
    assert tones["opening.3"] and not tones["opening.1"]
    by_mark_or_words = {o.choice_id: rude_tone(o) for o in offered}
    assert not by_mark_or_words["opening.3"]  # the mark no longer carries it


@pytest.mark.parametrize(
    ("scenario", "state"),
    [("online-return-changed-mind", "fee_dispute"), ("washing-machine-day45", "callout_charge")],
)
def test_refusing_the_manager_refuses_a_supervisor_or_team_leader_too(scenario, state):
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Offered

    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    st = sc.states[state]
    offered = tuple(
        Offered(i + 1, i, f"{state}.{i + 1}", ch.text, ch) for i, ch in enumerate(st.choices)
    )
    m = ScenarioMatcher(sc).match("I won't get the manager, let me look at it myself", offered)
    if m.decision == "accept":
        assert not m.best.offered.choice.escalate, m.as_json()


def test_a_denial_meets_its_paraphrase_through_the_stem():
    """ "it's not the engineers' fault" refuses "that's the engineering firm's fault": the light
    stem makes the contents meet, so the option the line denies is never taken (last stop's
    sealed set accepted it)."""
    cs = meaning.clauses("it's not the engineers' fault, it's ours, I'm really sorry")
    assert cs[0].refuses and cs[0].content == "engineer fault"
    assert meaning.clauses("I won't blame the engineers")[0].content == "fault engineer"


def test_i_will_deal_with_it_is_not_a_brush_off():
    from simulator.matching.rude import rude_kind

    assert rude_kind("I'll deal with it, tell me what happened") is None
    assert rude_kind("let me deal with it") is None
    assert rude_kind("just deal with it") == "dismissive"


def test_a_plain_line_is_not_taken_as_the_rude_reply_unasked():
    """A line with nothing rude in it may be asked about the rude option it shares words with,
    never taken as it."""
    from pathlib import Path

    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime
    from simulator.matching.matcher import ScenarioMatcher

    sc = load_scenario(Path("scenarios/abusive-customer.yaml"))
    session = Runtime(sc).new_session(seed=0)
    m = ScenarioMatcher(sc).match(
        "I won't put you through to my team leader, I'll deal with it, tell me what happened",
        session.offered(),
    )
    assert not (m.decision == "accept" and "mate" in m.best.offered.text)


def test_a_refusal_that_shares_only_a_word_contradicts_nothing():
    """ "no calls on your record" refuses calls, not "I'll put that on your record": the typed
    clause's head must be in the option's clause (or the two be close throughout)."""
    from simulator.matching.charsim import CharTfidf, cosine

    tf = CharTfidf(["no calls on your record", "I'll put that on your record"])

    def sim(a, b):
        return cosine(tf.vector(a), tf.vector(b))

    typed = meaning.clauses("no calls on your record")
    assert meaning.contradiction(typed, meaning.clauses("I'll put that on your record"), sim) == 0
    assert meaning.contradiction(typed, meaning.clauses("We'll call you on the record"), sim) > 0


@pytest.fixture(scope="module")
def sealed2():
    mod = _harness()
    return mod, mod.load(ROOT / "scenarios", mod.HERE / "meaning_sealed2.yaml")


def test_the_second_sealed_set_as_measured_once(sealed2):
    """tests/typed/meaning_sealed2.yaml (76 lines, six scenarios the first sets do not use) was
    written before this stop's matcher changes and run once, after them: top-1 56/62 (90.3%),
    no bare acknowledgement accepted. These hold it there."""
    mod, h = sealed2
    assert not h.stale, h.stale
    assert len(h.items) >= 60 and len(h.scenarios) >= 6
    r = mod.evaluate(h)
    assert r["top1"] >= 0.9 * r["with_answer"], mod.summary(r)
    assert not r["ack_accepted"], r["ack_accepted"]


def test_the_second_sealed_set_accepts_no_negation_and_no_rude_line(sealed2):
    """Measured once: 2 of 49 negations or role reversals were taken as what they negate
    ("being past 30 days doesn't mean you just get the manufacturer's number", and "I won't ask
    my supervisor to waive it, there's simply no charge"), and a rude line was offered the
    polite option. The set is tuning data since (helper neg26b's rules below fix all three); it
    holds them fixed."""
    mod, h = sealed2
    r = mod.evaluate(h)
    assert not r["negation_accepted"], r["negation_accepted"]
    assert not r["rude_offered_polite"], r["rude_offered_polite"]
    assert not r["wrong_accept"], r["wrong_accept"]


# Rules from helper neg26b (each failed before it; sealed2's misses, open's wrong accepts).


def test_x_doesnt_mean_y_denies_y():
    """ "being past 30 days doesn't mean you just get the manufacturer's number" denies the
    claim after "mean": it refuses, and what it refuses is the manufacturer's number."""
    (c,) = meaning.clauses("being past 30 days doesn't mean you just get the manufacturer's number")
    assert c.negated and c.refuses and c.content == "manufacturer number"


def test_doesnt_mean_is_not_taken_as_what_it_denies(held):
    line = (
        "being past 30 days doesn't mean you just get the manufacturer's number, I'm sorry "
        "it's stopped mid cycle"
    )
    m = _scenario_match("washing-machine-day45", "fault_heard", line)
    assert _taken(m) != "fault_heard.5", m.as_json()
    assert m.best.choice_id != "fault_heard.5"


def test_asking_someone_to_waive_is_an_act_of_asking_not_a_waiver():
    """ "I'll ask my supervisor to waive it" read as a negated clause ("waive" says no charge)
    and so agreed with "I won't ask my supervisor to waive it". The asking is the act."""
    cs = meaning.clauses("ill ask my supervisor to waive it")
    assert [(c.negated, c.agent, c.content) for c in cs] == [
        (False, "me", "ask manager"),
        (True, None, "waive"),
    ]
    (c,) = meaning.clauses("we'll waive the fee")
    assert c.negated  # the speaker's own waiver still says "no fee"


def test_i_wont_ask_my_supervisor_to_waive_it_is_not_asking_the_supervisor():
    line = "I won't ask my supervisor to waive it, there's simply no charge to you"
    m = _scenario_match("washing-machine-day45", "callout_charge", line)
    assert _taken(m) != "callout_charge.3", m.as_json()
    assert m.best.choice_id == "callout_charge.1"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("look, the warranty is the manufacturer's problem, take it up with them", "dismissive"),
        ("you'll have to take it up with the courier", "dismissive"),
        ("right, that's it sorted, happy now?", "dismissive"),
        ("the calls are recorded so we'll see who's telling the truth", "blame"),
        ("you don't need to take it up with them, it's ours to sort", None),
        ("sorry, it's not the courier's problem to sort, it's ours", None),
        ("glad you're happy now", None),
    ],
)
def test_passing_the_problem_off_reads_as_dismissive(line, kind):
    from simulator.matching.rude import rude_kind

    assert rude_kind(line) == kind


def test_a_brush_off_is_not_offered_the_polite_option():
    line = "look, the warranty is the manufacturer's problem, take it up with them"
    m = _scenario_match("laptop-month7", "warranty_wall", line)
    assert m.rude == "dismissive"
    assert "warranty_wall.1" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    ("scenario", "state", "line"),
    [
        ("abusive-customer", "opening", "calm down mate, no need to swear"),
        (
            "faulty-toaster-day12",
            "fault_details",
            "you probably had it turned up too high, that's your own fault",
        ),
    ],
)
def test_a_rude_line_is_asked_about_never_taken(scenario, state, line):
    """Its words are harsher than any option's, so the learner sees the reply it would be
    taken as before it is."""
    m = _scenario_match(scenario, state, line)
    assert m.rude and m.decision == "confirm", m.as_json()


def test_declining_the_rude_option_still_costs_what_a_rude_line_costs():
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Runtime
    from simulator.matching.replies import ASK, RUDE_MOOD, TypedReplies

    sc = load_scenario(ROOT / "scenarios" / "abusive-customer.yaml")
    s = Runtime(sc).new_session(seed=0)
    replies = TypedReplies(s)
    reply = replies.interpret("calm down mate, no need to swear")
    assert reply.kind == ASK
    before = s.mood
    replies.declined(reply)
    assert s.mood == max(0, before + RUDE_MOOD)
    (miss,) = replies.misses
    assert miss["mistake"] == "rude" and miss["text"] == "calm down mate, no need to swear"


def _scenario_match(scenario, state, line):
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Offered

    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    st = sc.states[state]
    offered = tuple(
        Offered(i + 1, i, ch.id or f"{state}.{i + 1}", ch.text, ch)
        for i, ch in enumerate(st.choices)
    )
    return ScenarioMatcher(sc).match(line, offered)


@pytest.mark.parametrize(
    ("line", "refused"),
    [
        ("I'll arrange the repair myself rather than have the repair centre ring you", "repair"),
        ("I will sort it myself instead of asking my manager", "asking"),
    ],
)
def test_rather_than_and_instead_of_refuse_what_follows(line, refused):
    *_, c = meaning.clauses(line)
    assert c.negated and c.refuses and c.agent == "me" and c.verb == refused


def test_rather_than_have_the_repair_centre_ring_you_is_not_that_option():
    line = (
        "the report's back, it's a manufacturing defect; I'll arrange the free repair myself "
        "rather than have the repair centre ring you"
    )
    m = _scenario_match("laptop-month7", "follow_up_call", line)
    assert m.best.choice_id != "follow_up_call.2", m.as_json()


def test_an_apology_is_not_offered_the_pushback_it_shares_a_greeting_with():
    """ "so sorry mr walsh, that's really poor, let's get it fixed" shares "sorry … Mr Walsh"
    with "please don't swear at me, or I'll have to end the call": a defensive option is offered
    to a polite line only when its examples fit the line clearly better than any other option."""
    m = _scenario_match(
        "abusive-customer", "opening", "so sorry mr walsh, that's really poor, let's get it fixed"
    )
    assert not {"opening.2", "opening.3"} & _offered_ids(m), m.as_json()


def test_a_polite_line_that_means_the_defensive_option_still_ranks_it_first_but_is_not_shown_it():
    """Was: "is still offered it" (dd13db7). Since neg26ba's tone rule (policy.tone_offer, rule
    b), a warm line is never shown an option recording a mistake of tone, even one it means: the
    rule's measured cost (policy.py's docstring), the price of 0 polite lines offered a rude
    option on every held-out set. It still reads closest to that option, and is not understood,
    so the learner sees the options and may pick it."""
    m = _scenario_match(
        "faulty-toaster-day12", "fault_details", "sorry, was it on the highest setting at all?"
    )
    assert m.best.choice_id == "fault_details.2", m.as_json()
    assert "fault_details.2" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    ("line", "general"),
    [
        ("I'm sorry, I do want to sort this out for you", True),
        ("sorry, I'm trying to help", True),
        ("sorry, I'll sort the refund now", False),  # names what
        ("sorry, can I help?", False),  # a question asks for the story
        ("I want to sort this out", False),  # not an apology: the other rules apply
    ],
)
def test_an_apology_that_names_nothing_is_only_goodwill(line, general):
    assert meaning.only_goodwill(line) is general


def test_an_apology_that_names_nothing_is_asked_about_never_taken():
    m = _scenario_match(
        "abusive-customer", "demands", "I'm sorry, I do want to sort this out for you"
    )
    assert m.decision != "accept", m.as_json()


def test_refusing_to_pass_it_on_to_anyone_refuses_any_passing_on():
    """ "I'm not going to just pass this on to someone" refuses "I'll pass the lost wages to the
    team that deals with compensation", though the two share little beyond "pass"."""
    line = (
        "I'm not going to just pass this on to someone, I'm sorry you waited in twice for nothing"
    )
    m = _scenario_match("compensation-beyond-authority", "story", line)
    assert m.best.choice_id == "story.1", m.as_json()
    assert next(r for r in m.ranking if r.choice_id == "story.3").contradicted > 0


def test_refusing_one_handover_verb_is_not_refusing_another():
    (c,) = meaning.clauses("I won't transfer you")
    brief = meaning.clauses("I'll brief my team leader myself")
    assert meaning.contradiction((c,), brief, lambda a, b: 0.0) == 0.0
    passing = meaning.clauses("I'll transfer the claim to the compensation team")
    assert meaning.contradiction((c,), passing, lambda a, b: 0.0) == meaning.ANY_SAME


def test_no_need_to_email_anyone_refuses_emailing_it():
    line = "no need to email anyone, I'll send it to the data protection team now"
    m = _scenario_match("correct-and-erase", "who_handles", line)
    assert m.best.choice_id == "who_handles.1", m.as_json()


@pytest.mark.parametrize("line", ["not 40 days", "not store credit", "not the manager"])
def test_an_elliptical_not_x_refuses_x(line):
    (c,) = meaning.clauses(line)
    assert c.negated and c.refuses


def test_a_calendar_month_not_40_days_is_not_the_40_day_option():
    line = (
        "thanks, that matches, I've logged it today, there's no fee and we have a calendar "
        "month, not 40 days"
    )
    m = _scenario_match("sar-by-phone", "id_check", line)
    assert m.best.choice_id == "id_check.1", m.as_json()


def test_a_negated_relative_clause_describes_and_refuses_nothing():
    """ "I'll refund the cake that never arrived" commits to a refund; "never" describes the
    cake. Read whole, it refused "arrived" and so contradicted "the new cake arrives by one"."""
    from simulator.matching.charsim import CharTfidf, cosine

    typed = meaning.clauses("I'll refund the cake that never arrived")
    assert [(c.negated, c.refuses, c.content) for c in typed] == [
        (False, False, "refund cake"),
        (True, False, "arriv"),
    ]
    option = meaning.clauses("the new cake arrives by one, and I'll refund the delivery")
    tf = CharTfidf(["I'll refund the cake that never arrived", "the new cake arrives by one"])

    def sim(a, b):
        return cosine(tf.vector(a), tf.vector(b))

    assert meaning.contradiction(typed, option, sim) == 0
    assert meaning.clauses("I know that isn't ideal")[0].negated  # not a relative clause


def test_without_describes_a_lack_and_refuses_nothing():
    (c, _) = meaning.clauses("Without the box I'd have to take a restocking fee off.")
    assert c.negated and not c.refuses


@pytest.mark.parametrize(
    "line",
    ["ill sort it without getting my manager", "without asking my manager I can refund it"],
)
def test_without_doing_something_refuses_it_by_the_speaker(line):
    c = next(c for c in meaning.clauses(line) if c.text.startswith("without"))
    assert c.negated and c.refuses and c.agent == "me"


def test_sorting_it_without_getting_the_manager_is_not_getting_the_manager():
    m = _scenario_match(
        "compensation-beyond-authority",
        "opening",
        "ill sort it without getting my manager, whats happened",
    )
    assert m.best.choice_id != "opening.2", m.as_json()
    assert _taken(m) != "opening.2"


# The third sealed set: written and committed before this stop's matcher changes, run once after
# them (tests/typed/sealed3-result.txt). Not tuned on since.


@pytest.fixture(scope="module")
def sealed3():
    mod = _harness()
    return mod, mod.load(ROOT / "scenarios", mod.HERE / "meaning_sealed3.yaml")


def test_the_third_sealed_set_as_measured_once(sealed3):
    """101 lines, 9 scenarios, 65 negations or role reversals, 15 bare acknowledgements, 11
    polite lines, 10 rude; measured once: top-1 65/76 (85.5%, under the issue's 90%), no bare
    acknowledgement accepted, no polite line offered a rude option. These hold what held."""
    mod, h = sealed3
    assert not h.stale, h.stale
    assert len(h.items) >= 70 and len(h.scenarios) >= 7
    assert sum(it.kind in ("negation", "role") for it in h.items) >= 30
    r = mod.evaluate(h)
    assert r["top1"] >= 65, mod.summary(r)
    assert not r["ack_accepted"], r["ack_accepted"]
    assert not r["polite_offered_rude"], r["polite_offered_rude"]
    assert len(r["negation_accepted"]) <= 1, r["negation_accepted"]


def test_the_third_sealed_set_accepts_no_negation(sealed3):
    """Measured once: "i wont ask if the shop changed the driver, its our update that did that
    and im sorry" was taken as "Could the repair shop have changed the driver, not the update?"
    (a refused question: the refusal's scope was "ask", the question after "if" was not
    reached). Helper neg26c's "ask if" rule fixes it (sealed3 is tuning data since)."""
    mod, h = sealed3
    r = mod.evaluate(h)
    assert not r["negation_accepted"], r["negation_accepted"]


def test_the_third_sealed_set_offers_no_rude_line_a_polite_option(sealed3):
    """Measured once: "you can but i cant stop you, theyll take months anyway" (long-running-
    complaint) was offered the polite ombudsman option beside the defensive one. Helper
    neg26c's rule (a line closest to a pushback is offered no polite option beside it) fixes it
    (sealed3 is tuning data since)."""
    mod, h = sealed3
    r = mod.evaluate(h)
    assert not r["rude_offered_polite"], r["rude_offered_polite"]


# Rules from helper neg26c (each failed before it; sealed3's misses, now tuning data).


def _refusing(line):
    return [c for c in meaning.clauses(line) if c.refuses]


@pytest.mark.parametrize(
    "line, asked",
    [
        ("i wont ask if the shop changed the driver", "shop"),
        ("im not going to check whether you dropped it", "drop"),
    ],
)
def test_refusing_to_ask_if_x_refuses_x(line, asked):
    """'I won't ask if X' refuses the question X, by the speaker: the scope of the refusal
    reaches past 'ask' into what would have been asked."""
    refused = _refusing(line)
    assert any(asked in c.content and c.agent == "me" and c.asserted for c in refused), refused


def test_asking_if_x_refuses_nothing():
    assert not _refusing("i'll ask if the shop changed the driver")
    assert not _refusing("i wont charge you if the shop changed the driver")[1:]


@pytest.mark.parametrize(
    "line, about",
    [
        ("the laptop repair isnt down to you", "laptop repair down"),
        ("refunds arent only in the first 30 days", "refund"),
        ("monday isnt soon enough", "monday soon"),
        ("the delay is not your fault", "delay"),
    ],
)
def test_x_isnt_y_denies_the_claim_about_x(line, about):
    """A negated 'is' with a named subject denies a claim about that subject ('the laptop repair
    isn't down to you' denies 'the laptop repair is down to you'): it refuses, and what it is
    about keeps its subject."""
    refused = _refusing(line)
    assert refused and refused[0].content.startswith(about), meaning.clauses(line)


def test_go_and_do_is_one_act():
    """'go and complain' is the act 'complain': the 'and' joins no second clause, so a negation
    before it covers it ('it's not for you to go and complain to centre management')."""
    refused = _refusing("its not for you to go and complain to centre management")
    assert any("complain" in c.content for c in refused), meaning.clauses(
        "its not for you to go and complain to centre management"
    )


def test_a_negation_ends_where_a_new_subject_starts():
    """'since we can't refit soon you get the full price back': the money back is not negated."""
    cl = meaning.clauses("since we cant refit soon you get the full price back today")
    assert any("price" in c.content and not c.negated for c in cl), cl
    assert any("refit" in c.content and c.negated for c in cl), cl
    # An object 'you' is no new subject: "I won't put you through to claims".
    (c,) = meaning.clauses("i wont put you through to claims")
    assert c.negated and "claim" in c.content


def _in(sealed3, scenario, state, text):
    _mod, h = sealed3
    offered = next(it.offered for it in h.items if (it.scenario, it.state) == (scenario, state))
    return ScenarioMatcher(h.scenarios[scenario]).match(text, offered)


def test_refusing_to_ask_if_the_shop_did_it_is_not_asking_it(sealed3):
    """app-update-damage: the refused question is not taken as the blaming question."""
    _mod, h = sealed3
    offered = next(
        it.offered for it in h.items if (it.scenario, it.state) == ("app-update-damage", "details")
    )
    m = ScenarioMatcher(h.scenarios["app-update-damage"]).match(
        "im not going to ask whether the repair shop changed the driver, our update did it, sorry",
        offered,
    )
    assert m.best.choice_id == "details.1", m.as_json()
    assert _taken(m) != "details.2"


def test_a_denial_is_headed_by_what_it_denies():
    """'the laptop repair isn't down to you' denies 'down to you', not every clause about the
    laptop repair ('we pay the laptop repair' agrees with it)."""
    (c,) = meaning.clauses("the laptop repair isnt down to you")
    assert c.verb == "down" and c.refuses, c


def test_denying_whose_cost_it_is_is_not_contradicting_paying_it(sealed3):
    m = _in(
        sealed3,
        "app-update-damage",
        "remedy",
        "the laptop repair is not down to you, we will pay you back for it, a fix first and money off if that fails",
    )
    assert m.best.choice_id == "remedy.1", m.as_json()


def test_a_name_said_in_passing_is_no_clause():
    """'No need to apologise, Rhys.': 'Rhys' is no claim a refusal could contradict."""
    assert [c.content for c in meaning.clauses("No need to apologise, Rhys.")] == ["apology"]


def test_no_need_to_say_sorry_is_not_contradicted_by_the_name(sealed3):
    m = _in(
        sealed3,
        "webchat-fridge-year-four",
        "closing",
        "no need to say sorry rhys, thank you for your patience",
    )
    assert m.best.choice_id == "closing.1" and m.best.contradicted == 0, m.as_json()


def test_an_alternative_after_or_stays_in_its_clause():
    """'security by text code or in branch' is one clause: 'in branch' alone is not what
    'you won't have to come into a branch' refuses."""
    (c,) = meaning.clauses("security by text code or in branch")
    assert "security" in c.content and "branch" in c.content, c


def test_not_having_to_come_into_a_branch_is_not_the_note_option_contradicted(sealed3):
    m = _in(
        sealed3,
        "reasonable-adjustment",
        "reset_done",
        "you dont need to come into a branch every time, ill note on your account youre deaf, text or email",
    )
    assert m.best.choice_id == "reset_done.1", m.as_json()


def test_my_refused_act_does_not_contradict_a_clause_naming_no_one_and_not_that_act(sealed3):
    """'I'm not putting you through to claims' shares 'through' with 'take me through it' (an
    act of the customer's, another verb): no contradiction. It still contradicts putting through."""
    _mod, h = sealed3
    sim = ScenarioMatcher(h.scenarios["app-update-damage"])._content_sim
    typed = meaning.clauses("im not putting you through to claims")
    for other in ("let me get the order up, take me through it", "sorry, talk me through it"):
        assert meaning.contradiction(typed, meaning.clauses(other), sim) == 0, other
    mine = meaning.clauses("I'll put you through to claims")
    assert meaning.contradiction(typed, mine, sim) > 0


def test_refusing_the_handover_then_owning_it_is_the_owning_option(sealed3):
    """'not X, I'll Y myself': what the learner will do decides, and the words of the refused
    hand-off ('the team that had it') count for no option."""
    m = _in(
        sealed3,
        "long-running-complaint",
        "apologised",
        "im not sending it back to the team that had it, ill raise the refund and the fees myself now",
    )
    assert m.best.choice_id == "apologised.1", m.as_json()
    m = _in(
        sealed3,
        "app-update-damage",
        "opening",
        "im not transferring you to claims, ill deal with it myself, what happened after the update",
    )
    assert m.best.choice_id == "opening.1", m.as_json()


def test_the_kept_part_of_a_line_is_what_follows_a_refusal(sealed3):
    _mod, h = sealed3
    sm = ScenarioMatcher(h.scenarios["long-running-complaint"])
    assert sm._kept("im not sending it back to the team, ill raise the refund myself") == (
        "ill raise the refund myself"
    )
    assert sm._kept("ill raise the refund myself") is None
    assert sm._kept("im not sending it back to the team") is None


def test_a_line_closest_to_a_pushback_is_offered_no_polite_option_beside_it(sealed3):
    """ "Did you mean …?" for a line that reads as the defensive reply offers that reply, not the
    polite one as an equal alternative; the decision itself is unchanged (asked, not taken)."""
    m = _in(
        sealed3,
        "long-running-complaint",
        "rights_question",
        "you can but i cant stop you, theyll take months anyway",
    )
    assert m.decision == "confirm", m.as_json()
    assert [s.choice_id for s in m.suggestions] == ["rights_question.4"], m.as_json()


def test_a_refusal_aimed_at_another_option_yields_to_what_the_learner_will_do():
    """meaning.aimed: a refusal that contradicts option A clearly more than B does not count
    against B when the "but I will …" clause after it fits B better; against A it counts."""
    assert meaning.aimed([[(0.57, 0.68)], [(0.80, 0.30)]]) == [0.0, 0.80]
    # Aimed at this very option (its closest): it counts, whatever the "but" clause fits.
    assert meaning.aimed([[(0.47, 0.90)], [(0.0, 0.0)]]) == [0.47, 0.0]
    # No "but" clause that fits better: it counts.
    assert meaning.aimed([[(0.57, 0.50)], [(0.80, 0.30)]]) == [0.57, 0.80]


def test_a_but_clause_is_marked():
    cl = meaning.clauses("i cant just assume it was faulty, but i can book our engineer free")
    assert [c.but for c in cl] == [False, True], cl


def test_not_x_but_i_can_y_is_y(sealed3):
    """webchat-fridge-year-four: refusing to assume the fault, then booking the engineer, is the
    inspection option, not the 'get your own report' one nor the assuming one."""
    m = _in(
        sealed3,
        "webchat-fridge-year-four",
        "proof",
        "not right away, i cant just assume it was faulty from the start but i can book our "
        "engineer to look at it free, does thursday suit",
    )
    assert m.best.choice_id == "proof.1", m.as_json()
    assert _taken(m) in (None, "proof.1")


def test_refusing_the_money_but_doing_the_rest_is_not_the_money_option(held):
    """The "but" rule never frees an option from the refusal aimed at it: "£200 it is; … get the
    engineer rebooked" is still contradicted by "I won't give you the £200, but I'll get the
    engineer rebooked"."""
    m = _item(
        held,
        "abusive-customer",
        "demands",
        "I won't give you the £200, but I'll get the engineer rebooked while you're on",
    )
    assert m.best.choice_id != "demands.3" and _taken(m) != "demands.3", m.as_json()


def test_refusing_the_money_then_agreeing_it_is_not_good_enough_is_not_the_money(held):
    """'£200 it is' is what 'I'm not giving you £200' refuses: its head is in the refusal, so
    the rule that a refused act of mine does not contradict a clause naming no one leaves it."""
    m = _item(
        held,
        "abusive-customer",
        "demands",
        "I'm not giving you £200, you're right it's not good enough",
    )
    assert _taken(m) != "demands.3", m.as_json()
    assert m.best.choice_id != "demands.3", m.as_json()


def test_refusing_the_handover_then_apologising_is_the_apology(held):
    """'not X, Y' where Y is a statement, not an act: Y still decides (the refused hand-off's
    words lift no option)."""
    m = _item(
        held,
        "compensation-beyond-authority",
        "story",
        "I won't put you through to my team leader just yet, I'm really sorry about both days",
    )
    assert m.best.choice_id == "story.1", m.as_json()


def test_free_before_a_noun_only_describes_it():
    """'the callout is free' says 'no charge' (it agrees with a negation about the charge);
    'Essentials with free streaming' offers the tariff, so refusing it is a refusal."""
    (free,) = meaning.clauses("the callout is free")
    assert free.negated and not free.refuses
    (offer,) = meaning.clauses("I can put you on Essentials for £45 with free streaming")
    assert not offer.negated, offer


def test_refusing_the_bundle_with_free_streaming_is_not_the_bundle(sealed2):
    _mod, h = sealed2
    offered = next(
        it.offered for it in h.items if (it.scenario, it.state) == ("broadband-hardship", "story")
    )
    m = ScenarioMatcher(h.scenarios["broadband-hardship"]).match(
        "i wont put you on Essentials for £45 with free streaming, could family help you out for a bit?",
        offered,
    )
    assert _taken(m) != "story.2", m.as_json()


@pytest.mark.parametrize(
    "name, top1",
    [
        ("meaning.yaml", 91),
        ("meaning_sealed.yaml", 19),
        ("meaning_sealed3.yaml", 82),
        ("meaning_sealed4.yaml", 95),
        ("meaning_sealed7.yaml", 141),
        ("meaning_sealed8.yaml", 157),
        ("meaning_sealed9.yaml", 137),
        ("meaning_sealed10.yaml", 97),
        ("meaning_sealed11.yaml", 101),
        ("meaning_sealed12.yaml", 105),
        ("meaning_sealed13.yaml", 106),
        ("meaning_sealed14.yaml", 111),
    ],
)
def test_the_tuning_sets_hold_their_figures(name, top1):
    """After helper neg26c's rules (benchmarks/meaning_tuning.py): open 90/93, sealed 19/19,
    sealed3 82/83 (its seven paraphrased rude lines now expect their option); after neg26d's,
    sealed4 95/97 (tests/typed/sealed4-result.txt: 93/97 at its one run); after neg26g's,
    open 91/93 and sealed7 140/142 (tests/typed/sealed7-result.txt: 133/142 at its one run);
    after neg26h's, sealed7 141/142 and sealed8 156/159 (tests/typed/sealed8-result.txt: 150/159,
    2 wrong accepts and 4 rude lines offered a polite option at its one run); after neg26j's,
    sealed8 157/159 and sealed9 137/137 (tests/typed/sealed9-result.txt: 133/137, 1 wrong accept
    and 3 rude lines offered a polite option at its one run); after neg26k's, sealed10 97/101
    (tests/typed/sealed10-result.txt: 95/101, 2 wrong accepts and 3 rude lines offered a polite
    option at its one run); after neg26af's, sealed11 100/104 (tests/typed/sealed11-result.txt:
    98/104, 4 wrong accepts, 6 rude lines offered a polite option and 1 polite line a rude one at
    its one run); after neg26ai's, sealed11 101/104 and sealed12 105/108 (tests/typed/sealed12-result.txt: 101/108, 5
    wrong accepts, 1 negation taken as what it negates and 6 rude lines offered a polite option at
    its one run); after neg26an's, sealed13 106/109 (tests/typed/sealed13-result.txt: 101/109, 6
    wrong accepts, 2 negations taken as what they negate and 6 rude lines offered a polite option
    at its one run); after neg26aw's, sealed14 111/113 (tests/typed/sealed14-result.txt: 110/113, 2
    wrong accepts, 1 polite line offered a rude option and 6 rude lines offered a polite option at
    its one run), and on all of them no wrong accept, no negation taken as what it negates, no bare
    acknowledgement taken, no rude option offered for a polite line nor polite for a rude one."""
    mod = _harness()
    h = mod.load(ROOT / "scenarios", mod.HERE / name)
    assert not h.stale, h.stale
    r = mod.evaluate(h)
    assert r["top1"] >= top1, mod.summary(r)
    for key in (
        "wrong_accept",
        "negation_accepted",
        "ack_accepted",
        "polite_offered_rude",
        "rude_offered_polite",
    ):
        assert not r[key], (key, r[key])


# -- helper neg26d: meaning_sealed4.yaml's three never-failures (tests/typed/sealed4-result.txt) --


@pytest.fixture(scope="module")
def sealed4():
    mod = _harness()
    return mod, mod.load(ROOT / "scenarios", mod.HERE / "meaning_sealed4.yaml")


def test_a_third_partys_denied_ability_is_a_refusal():
    """'my manager can't make an exception' denies a claim about the manager; 'it can't drain'
    is a description, and 'I can't' is the speaker's own (with its agent)."""
    (c,) = meaning.clauses("my manager cant make an exception either")
    assert c.refuses and c.content == "make exception", c
    (d,) = meaning.clauses("it cant drain")
    assert not d.refuses, d


def test_my_manager_cant_make_an_exception_is_not_the_manager_who_can(sealed4):
    """relative-asks-about-account: the line denies what the hand-off option promises ("who can
    sometimes make an exception"): it was accepted, confident, as that option."""
    m = _in(
        sealed4,
        "relative-asks-about-account",
        "explains",
        "my manager cant make an exception either so i wont transfer you, but ill explain the options",
    )
    assert m.best.choice_id == "explains.1", m.as_json()
    assert _taken(m) != "explains.4" and "explains.4" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "we do tell people not to run",
        "we ask customers not to run in here",
        "the sign says dont run",
    ],
)
def test_a_reported_instruction_or_rule_refuses_nothing(line):
    """What others are told ('not to run') is not the speaker refusing to ask about running."""
    assert not any(c.refuses for c in meaning.clauses(line)), meaning.clauses(line)


def test_the_speakers_own_refusal_still_refuses():
    (c,) = meaning.clauses("i wont tell him")
    assert c.refuses, c


def test_a_reported_rule_is_not_a_refusal_of_the_blaming_question(sealed4):
    """spill-in-aisle: 'we do tell people not to run' was read as refusing 'was he running', so
    the blaming line was offered the polite option instead of the blaming one it means."""
    m = _in(
        sealed4,
        "spill-in-aisle",
        "opening",
        "well was your son racing round the aisles? we do tell people not to run",
    )
    assert m.best.choice_id == "opening.4", m.as_json()
    assert "opening.1" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "oh no i didnt mean it like that at all",
        "sorry, that came out wrong",
        "my mistake, is he ok",
    ],
)
def test_taking_back_what_was_said_is_apologetic(line):
    assert meaning.polite(line), line


def test_i_didnt_mean_it_like_that_refuses_nothing():
    assert not any(c.refuses for c in meaning.clauses("i didnt mean it like that at all"))


@pytest.mark.parametrize(
    "line", ["forget the signs", "never mind the signs", "just forget about the signs"]
)
def test_forget_x_dismisses_x(line):
    (c,) = meaning.clauses(line)
    assert c.refuses and c.content == "sign", c


@pytest.mark.parametrize(
    "line",
    [
        "oh no i didnt mean it like that at all, forget the signs, is he ok and where is the spill",
        "oh no i didnt mean it like that at all, is he ok and where is the spill",
    ],
)
def test_an_apologetic_line_is_offered_no_defensive_option_beside_the_polite_one(sealed4, line):
    """spill-in-aisle 'blamed': a line taking back the blame (with or without setting the signs
    aside) was offered the defensive 'The signs are there for a reason' beside the apology: the
    mirror of the pushback rule, as the issue says: never a rude option for a polite line."""
    m = _in(sealed4, "spill-in-aisle", "blamed", line)
    assert m.best.choice_id == "blamed.1", m.as_json()
    assert "blamed.2" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "ill put you through to a manager",
        "ill pass you over to a manager",
        "let me hand you across to a manager",
        "ill connect you to a manager",
    ],
)
def test_a_refused_transfer_refuses_the_hand_off_however_worded(sealed4, line):
    """'I won't transfer you' shares no word with 'I'll put you through' (and the word embedding
    cannot relate them): handing a caller on is one act, however it is worded."""
    _mod, h = sealed4
    sim = ScenarioMatcher(h.scenarios["relative-asks-about-account"])._content_sim
    typed = meaning.clauses("i wont transfer you")
    assert meaning.contradiction(typed, meaning.clauses(line), sim) > 0, line


@pytest.mark.parametrize(
    "line", ["i'll put the refund through today", "i can put you on essentials for £45"]
)
def test_putting_a_thing_through_or_a_customer_on_a_tariff_is_no_hand_off(line):
    assert all("transfer" not in c.content for c in meaning.clauses(line)), meaning.clauses(line)


def test_i_wont_transfer_you_is_not_the_put_through_option(sealed4):
    m = _in(
        sealed4,
        "relative-asks-about-account",
        "explains",
        "i wont transfer you, but ill explain the options",
    )
    assert m.best.choice_id != "explains.4" and m.best.contradicted == 0, m.as_json()
    assert "explains.4" not in _offered_ids(m), m.as_json()


def test_forget_what_i_said_dismisses_no_thing():
    """'forget what i said before' takes back the speaker's words: no refusal (app-update-damage's
    own example 'forget what i said before, all your money back' must stay its option's)."""
    assert not any(c.refuses for c in meaning.clauses("forget what i said before"))


# -- the lead: polarity must agree to take a line unasked (tests/typed/sealed5-result.txt) --------


@pytest.fixture(scope="module")
def sealed5():
    mod = _harness()
    return mod, mod.load(ROOT / "scenarios", mod.HERE / "meaning_sealed5.yaml")


@pytest.mark.parametrize(
    "scenario, state, line, denied",
    [
        (
            "compensation-beyond-authority",
            "opening",
            "our terms dont exclude lost wages, tell me what happend both days first",
            "opening.3",
        ),
        (
            "reasonable-adjustment",
            "locked_out",
            "ur friend shouldnt have to ring up for u, we'll sort a different way to confirm its u",
            "locked_out.2",
        ),
        (
            "reasonable-adjustment",
            "locked_out",
            "u dont need a doctors letter or anything like that, sorry, theres other ways to check its u",
            "locked_out.4",
        ),
        (
            "courier-lost-cot",
            "data_share",
            "they wont get ur phone number unless u want it on the label, just order no address and the photo",
            "data_share.3",
        ),
    ],
)
def test_a_line_that_says_no_is_never_taken_unasked_as_an_option_that_does_not(
    sealed5, scenario, state, line, denied
):
    """sealed5's one run accepted these four, each as the option it denies; the clause rules did
    not parse their negations ("shouldn't have to", "won't get … unless"). A line that asserts a
    negation is taken unasked only as an option that also asserts one."""
    m = _in(sealed5, scenario, state, line)
    assert _taken(m) != denied, m.as_json()


def test_a_negation_the_option_shares_is_still_taken():
    """Polarity agreeing: "we can't refund without a receipt" style lines keep being accepted
    when the option itself says no (not every negated line is asked about)."""
    assert meaning.says_no("you dont need the receipt")
    assert meaning.says_no("No, you don't need a receipt to return it.")
    assert not meaning.says_no("no worries, ill sort it now")
    assert not meaning.says_no("if it doesn't work, bring it back?")


# Helper neg26e: the polarity rule asks about a line only when its negation denies something the
# best option says (and the option does not say no to it too), not for any negative word.


def test_says_no_is_a_negation_in_words_not_a_reported_rule_nor_a_word_like_free():
    assert not meaning.says_no(
        "one of the team will call her later or tomorrow whenever theyre free"
    )
    assert not meaning.says_no("were told never to read anything out before security")
    assert not meaning.says_no("the manual says dont keep running it on an e21")
    assert meaning.says_no("ur friend shouldnt have to ring up for u")


@pytest.mark.parametrize(
    "fixture, scenario, state, line, taken",
    [
        # The option says no to the same thing ("we don't pay compensation for lost earnings,
        # sorry" was here: since neg26ba's tone rule a warm line is not shown the defensive
        # option it means; see test_neg26ba_the_rules_cost_a_warm_refusal_is_not_shown_its_option).
        # A word such as "free" says no to nothing.
        (
            "sealed4",
            "relative-asks-about-account",
            "plan_confirm",
            "one of the team will call her later or tomorrow whenever theyre free",
            "plan_confirm.3",
        ),
        # The negation is about nothing the option says.
        (
            "sealed4",
            "abusive-customer",
            "vents",
            "the engineers are a diffrent firm tbh we cant really control when they show",
            "vents.2",
        ),
        # The refusal is aimed at another option (the hand-off), not at the one taken.
        (
            "sealed2",
            "sar-by-phone",
            "opening",
            "I won't put you through to the data team, I can take it myself, what's prompted it",
            "opening.1",
        ),
        # A reported rule is not the speaker saying no.
        (
            "sealed5",
            "sar-by-phone",
            "recognised",
            "were told never to read anything out before security so whats ur full name first line of address and date of birth",
            "recognised.1",
        ),
    ],
)
def test_a_negation_that_denies_nothing_the_option_says_is_taken(
    request, fixture, scenario, state, line, taken
):
    m = _in(request.getfixturevalue(fixture), scenario, state, line)
    assert _taken(m) == taken, m.as_json()


def test_a_rule_with_an_unless_exception_still_says_no():
    """ "They won't get your number unless you want it": the rule is stated, only its exception
    is conditional (a condition elsewhere in the piece no longer hides the negation)."""
    cl = meaning.clauses("they wont get ur phone number unless u want it on the label")
    assert cl[0].negated and cl[0].asserted, cl
    assert not cl[1].asserted, cl
    assert not meaning.clauses("refund if that fails")[0].asserted


def test_a_weak_match_to_a_mistake_on_courtesy_words_alone_is_not_understood():
    """spill-in-aisle's opening: "im so sorry about that, what happened" scored 0.15 against
    the "I'm on the till" option ("sorry im on tills, …") on "sorry im" alone, and was offered
    it. Without the apology, "what happened" fits no option: not understood."""
    m = _scenario_match("spill-in-aisle", "opening", "im so sorry about that, what happened")
    assert m.decision == "reject", m.as_json()
    assert meaning.said("im so sorry about that, what happened") == "what happened"


def test_a_weak_match_to_a_sound_option_is_still_offered(held):
    """The courtesy check holds back only a mistake: a weak match to a sound option costs the
    learner nothing and is still offered."""
    m = _item(held, "abusive-customer", "mirrored", "I'm so sorry, I shouldn't have said that")
    assert m.decision == "confirm" and m.best.choice_id == "mirrored.1", m.as_json()


def test_forget_what_a_named_one_says_sets_its_claim_aside(sealed5):
    """sealed5: "forget what the system says about repairs first" offered the polite line the
    defensive "my system says repair first" beside the option it means; setting the system's
    rule aside refuses it. What the speaker said themselves is still only taken back."""
    line = (
        "sorry ur right, forget what the system says about repairs first, pick whichever u like, "
        "fixed or swapped, no cost"
    )
    m = _in(sealed5, "washing-machine-day45", "repair_insisted", line)
    assert m.best.choice_id == "repair_insisted.1", m.as_json()
    assert "repair_insisted.2" not in _offered_ids(m), m.as_json()
    assert not _refusing("forget what i said before, ill sort it")


@pytest.mark.parametrize(
    "line",
    [
        "i wont do it now, before lunch, should be fine",
        "i cant do it now, before lunch, should be fine",
        "should be fine, i wont do it now, before lunch though",
    ],
)
def test_a_refused_light_act_is_not_taken_as_the_option_that_does_it(line):
    """The negation probe's three: "do it now" is all stop words, so the refusal had no content
    and "i wont do it now" was taken as "ill do it now, before lunch" (over_promising)."""
    m = _scenario_match("internal-customer-finance", "format_agreed", line)
    assert _taken(m) != "format_agreed.4", m.as_json()
    assert [c.content for c in meaning.clauses("i wont do it now")] == ["do now"]


def test_a_hyphenated_no_compound_is_not_the_clauses_negation():
    """ "our no-dogs policy never applies to assistance dogs": "no-dogs" is a modifier; the
    clause's negation is "never applies to assistance dogs"."""
    (c,) = [c for c in meaning.clauses("our no-dogs policy never applies to assistance dogs")]
    assert c.negated and c.content == "apply assistance dog", c


def test_texting_spellings_keep_who_does_what():
    """sealed5 was typed as learners text: "u dont need …" is a "you" clause, "ur not tied in" is
    "you're not", and "ur order no" is a number, not a "no"."""
    (c,) = meaning.clauses("u dont need a doctors letter")
    assert c.agent == "you" and c.refuses, c
    assert meaning.clauses("ur not tied in at all")[0].text.startswith("you're not")
    assert not meaning.says_no("can i grab ur order no and postcode first then u talk me thru it")


@pytest.mark.parametrize(
    "scenario, state, line, taken",
    [
        (
            "courier-lost-cot",
            "data_share",
            "they wont get ur phone number unless u want it on the label, just order no address and the photo",
            "data_share.1",
        ),
        (
            "sar-by-phone",
            "logged",
            "i wont do it myself, the dpo team answer these and ill send a note so u dont repeat urself",
            "logged.1",
        ),
    ],
)
def test_texted_refusals_rank_the_option_they_mean(sealed5, scenario, state, line, taken):
    m = _in(sealed5, scenario, state, line)
    assert m.best.choice_id == taken, m.as_json()


def test_a_refusal_counts_against_what_the_option_asks_for(sealed5):
    """ "you don't need a doctor's letter" against "have you got a doctors letter?": the clause
    rules weigh what an option asserts, so its questions are weighed by the polarity rule."""
    line = "u dont need a doctors letter or anything like that, sorry, theres other ways to check its u"
    m = _in(sealed5, "reasonable-adjustment", "locked_out", line)
    assert _taken(m) != "locked_out.4", m.as_json()


def test_not_x_after_what_i_will_do_refuses_x_and_ring_is_phone(sealed5):
    """ "ill text u next week to check its working, not phone": the elliptical "not phone" is the
    speaker's refusal, and "phone" is the "give you a ring" / "a call" of the option it refuses."""
    *_, c = meaning.clauses("ill text you next week to check its working, not phone")
    assert c.refuses and c.agent == "me" and c.content == "call", c
    m = _in(
        sealed5,
        "reasonable-adjustment",
        "wrap_up",
        "ill text u next week to check its working, not phone",
    )
    assert m.best.choice_id == "wrap_up.1", m.as_json()


def test_a_named_one_who_shouldnt_have_to_is_a_refused_claim(sealed5):
    """ "ur friend shouldnt have to ring up for u" denies the option's "could your friend ring for
    you?" as "my manager can't …" denies that they can."""
    (c, *_) = meaning.clauses("your friend shouldnt have to ring up for you")
    assert c.refuses, c
    line = "ur friend shouldnt have to ring up for u, we'll sort a different way to confirm its u"
    m = _in(sealed5, "reasonable-adjustment", "locked_out", line)
    assert m.best.choice_id == "locked_out.1", m.as_json()


def test_you_cant_denies_what_the_option_says_you_can(sealed5):
    """ "u cant send it straight back at 45 days" denies "at 45 days you can still send it back"
    (the customer's denied right is a claim, as a third party's is)."""
    (c, *_) = meaning.clauses("you cant send it straight back at 45 days")
    assert c.refuses, c
    line = "u cant send it straight back at 45 days sorry, but a repair or new one is free and u choose"
    m = _in(sealed5, "washing-machine-day45", "empathised", line)
    assert m.best.choice_id == "empathised.1", m.as_json()


def test_a_named_ones_dont_denies_a_claim_about_it(sealed5):
    """ "our terms dont exclude lost wages" denies "lost earnings are excluded in our terms"."""
    (c, *_) = meaning.clauses("our terms dont exclude lost wages")
    assert c.refuses, c
    line = "our terms dont exclude lost wages, tell me what happend both days first"
    m = _in(sealed5, "compensation-beyond-authority", "opening", line)
    assert m.best.choice_id == "opening.1", m.as_json()


def test_a_pronoun_denying_a_reported_rule_refuses_nothing_offered(sealed5):
    """ "the door sign says dont bring dogs but that never counts for assistance dogs, come in":
    "that" is the sign's rule; the line lets the dogs in, and was accepted as the option that
    turns them away (discrimination)."""
    line = (
        "the door sign says dont bring dogs but that never counts for assistance dogs, come in "
        "and ill look at u while we talk"
    )
    assert not any(c.refuses for c in meaning.clauses(line))
    m = _in(sealed5, "reasonable-adjustment", "opening", line)
    assert m.best.choice_id == "opening.1" and _taken(m) != "opening.2", m.as_json()
    assert _refusing("that never counts for assistance dogs")  # with no rule before it, still


# Helper neg26f: the classes behind sealed6's never-failures (tests/typed/sealed6-result.txt),
# each with lines of its own (not sealed6's).


def test_no_waiting_on_a_party_refuses_that_party_as_the_route():
    """ "No waiting on the data team" / "no need to wait around for the engineers": what is
    refused is the party waited on, not the waiting."""
    for line, party in [
        ("no need to wait for the data team", "data team"),
        ("no waiting around for the engineers", "engineer"),
        ("you wont have to wait on the repair centre", "repair centre"),
    ]:
        (c,) = meaning.clauses(line)
        assert c.refuses and c.party == party, c


@pytest.mark.parametrize(
    "line",
    [
        "no need to wait for the data team, ill fix ur address myself now",
        "ill update it myself today, no waiting around for the data team",
    ],
)
def test_no_waiting_on_the_data_team_is_not_the_option_that_sends_it_to_them(line):
    m = _scenario_match("correct-and-erase", "id_check", line)
    assert m.best.choice_id == "id_check.1" and _taken(m) != "id_check.2", m.as_json()


def test_a_named_party_that_cannot_sort_it_is_refused_as_the_route():
    """ "The courier can't sort this" is about the courier; a denied specific act ("my manager
    can't make an exception") stays that act."""
    (c,) = meaning.clauses("the courier cant sort this for you")
    assert c.refuses and c.party == "courier" and "courier" in c.content, c
    (c,) = meaning.clauses("my manager cant make an exception either")
    assert c.refuses and not c.party and c.content == "make exception", c


@pytest.mark.parametrize(
    "line",
    [
        "the courier cant sort it, its on us, talk me through it",
        "the couriers cant sort this out for u, ill log whats happened so far",
        "the courier cant do anything for u here, we'll log what happened",
    ],
)
def test_the_courier_cant_sort_it_is_not_the_option_that_sends_her_to_the_courier(line):
    m = _scenario_match("late-delivery-recovery", "courier_blame", line)
    assert m.best.choice_id == "courier_blame.1", m.as_json()
    assert "courier_blame.2" not in _offered_ids(m), m.as_json()


def test_not_n_its_m_corrects_the_figure():
    """ "It's not 40 days it's one calendar month": the correction ends the negation, with or
    without a comma; "I can't tell you it's on its way" keeps what is said negated."""
    first, second = meaning.clauses("its not 40 days its one calendar month")
    assert first.refuses and first.content == "40 day", first
    assert not second.negated and second.content == "one calendar month", second
    (c,) = meaning.clauses("i cant tell you its probably on its way")
    assert c.negated, c
    m = _scenario_match(
        "sar-by-phone", "id_check", "its not 40 days its one calendar month, logged today"
    )
    assert m.best.choice_id == "id_check.1", m.as_json()
    assert not {"id_check.3", "id_check.4"} & _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "instead of moving u to a cheaper bundle lets note that things are tight",
        "rather than switch u to essentials ill put a note on that money is tight right now",
    ],
)
def test_rather_than_x_refuses_x_up_to_the_next_statement(line):
    """ "Rather than X let's Y" with no comma: X is refused (by whoever does Y), Y is said."""
    refused, *said = meaning.clauses(line)
    assert refused.refuses and refused.agent == "me", refused
    assert said and not said[0].negated, said
    m = _scenario_match("broadband-hardship", "story", line)
    assert m.best.choice_id == "story.1" and _taken(m) != "story.2", m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "ive told you this twice, saturdays booked and sams got the claim",
        "ive already told you whats happening with saturday and the refunds",
        "i already explained to you, saturday 7 to 9 and sam by thursday, keep up",
    ],
)
def test_an_impatient_line_is_rude_and_never_taken_or_offered_as_a_polite_recap(line):
    from simulator.matching.rude import rude_kind

    assert rude_kind(line), line
    m = _scenario_match("compensation-beyond-authority", "recap", line)
    assert m.decision == "reject" and m.rude, m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "sorry, youve already told me, is the door anywhere you recognise",
        "keep up the good work",
        "ill keep up with the payments",
        "ive already said ill let you in",
    ],
)
def test_acknowledging_what_was_said_is_not_impatience(line):
    from simulator.matching.rude import rude_kind

    assert rude_kind(line) is None, line


def test_what_someone_else_need_not_do_is_a_refused_requirement():
    """ "She doesn't need to ring in herself" denies "she'll have to ring us herself", as "you
    don't need to …" does; "she doesn't like it" describes her and refuses nothing."""
    (c,) = meaning.clauses("she doesnt need to come into the branch")
    assert c.refuses, c
    (c,) = meaning.clauses("they wont have to fill in a form")
    assert c.refuses, c
    (c,) = meaning.clauses("she doesnt like the phone")
    assert not c.refuses, c


@pytest.mark.parametrize(
    "line",
    [
        "she wont have to phone in herself, ill arrange a call with her so she can agree to it",
        "she doesnt need to ring us herself, ill call her while ur there and sort permission",
    ],
)
def test_she_need_not_ring_herself_is_not_the_she_has_to_ring_option(line):
    m = _scenario_match("relative-asks-about-account", "mum_not_there", line)
    assert m.best.choice_id == "mum_not_there.1", m.as_json()
    assert "mum_not_there.2" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    "line, rude",
    [
        ("ill call you back on friday whatever", False),
        ("i'll ring you tomorrow whatever, promise", False),
        ("fine, whatever", True),
        ("yeah its booked, whatever", True),
    ],
)
def test_whatever_after_a_day_is_whatever_happens_not_a_brush_off(line, rude):
    """ "I'll ring you Thursday whatever" promises a call whatever happens; it read as the
    brush-off "fine, whatever", so the line was offered only the no-ownership option."""
    from simulator.matching.rude import rude_kind

    assert bool(rude_kind(line)) is rude, line


def test_a_promise_to_call_on_a_day_whatever_is_the_option_that_keeps_it():
    line = "its still mine, they decide by thursday at 5 and ill call u on thursday whatever"
    m = _scenario_match("compensation-beyond-authority", "timescale", line)
    assert m.rude is None and m.best.choice_id == "timescale.1", m.as_json()


def test_cant_promise_x_denies_x_as_a_certainty():
    """ "My team leader can't promise to sign it off" denies that she will sign it off: the act,
    not the promising, is what an option's "I'm sure she'll sign them off" is contradicted on."""
    (c,) = meaning.clauses("my manager cant guarantee to approve it")
    assert c.refuses and c.content == "approve", c
    line = "my team leader cant promise to sign off the wages, but u get saturdays first slot and the delivery back"
    m = _scenario_match("compensation-beyond-authority", "within_authority", line)
    assert m.best.choice_id == "within_authority.1", m.as_json()
    assert "within_authority.3" not in _offered_ids(m), m.as_json()


def test_what_you_need_not_bring_contradicts_the_question_asking_for_it():
    """ "You don't need the receipt" refuses what "have you got the receipt?" asks for; a
    condition ("if you bring the receipt …") still says nothing either way."""

    def sim(a, b):
        return len(set(a.split()) & set(b.split())) / max(len(set(a.split()) | set(b.split())), 1)

    typed = meaning.clauses("you dont need the receipt")
    assert meaning.contradiction(typed, meaning.clauses("have you got the receipt?"), sim) > 0
    assert meaning.contradiction(typed, meaning.clauses("if you bring the receipt"), sim) == 0
    typed = meaning.clauses("theres no need for the receipt")
    assert meaning.contradiction(typed, meaning.clauses("have you got the receipt?"), sim) > 0
    # The speaker's own refusal is weighed by what the option asserts (meaning.no_unshared
    # weighs its questions), as before.
    typed = meaning.clauses("i wont ask for the receipt")
    assert meaning.contradiction(typed, meaning.clauses("have you got the receipt?"), sim) == 0


@pytest.mark.parametrize(
    "line",
    [
        "you dont need any doctors letter, sorry, we'll check its you some other way",
        "no need for a doctors letter, sorry, theres other ways to check its u",
    ],
)
def test_no_doctors_letter_needed_is_not_the_option_asking_for_one(line):
    m = _scenario_match("reasonable-adjustment", "locked_out", line)
    assert m.best.choice_id == "locked_out.1", m.as_json()
    assert "locked_out.4" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    "line", ["ill pass them everything youve told me", "ill hand her the receipt"]
)
def test_passing_someone_a_thing_is_no_hand_off(line):
    """ "I'll pass them everything" gives the team the details; only a person passed on ("pass
    you over", "pass you to my manager") is the hand-off."""
    assert all("transfer" not in c.content for c in meaning.clauses(line)), meaning.clauses(line)
    assert "transfer" in meaning.clauses("ill pass you to my manager")[0].content


def test_doing_the_act_an_option_refuses_contradicts_it():
    """ "I'll put the refund back on your card" does what "I can't refund it" refuses, however
    many words it adds to the act."""

    def sim(a, b):
        return len(set(a.split()) & set(b.split())) / max(len(set(a.split()) | set(b.split())), 1)

    typed = meaning.clauses("ill put the whole refund back on your card today")
    assert meaning.contradiction(typed, meaning.clauses("so i cant refund it"), sim) > 0
    assert meaning.contradiction(typed, meaning.clauses("the refund goes to your card"), sim) == 0
    line = "ill process a refund for the cake and delivery, todays is free and theres a 20 quid voucher"
    m = _scenario_match("late-delivery-recovery", "money_question", line)
    assert m.best.choice_id == "money_question.1", m.as_json()
    assert "money_question.2" not in _offered_ids(m), m.as_json()


def test_a_refused_act_someone_else_would_do_is_not_the_speakers():
    """ "No need to get her to call in" refuses her calling, not the speaker's "I'll ring your
    mum"; "I won't ask my supervisor to waive it" is still the speaker's own refusal."""
    (c,) = meaning.clauses("no need to get her to call in")
    assert c.refuses and c.by_other, c
    (c,) = meaning.clauses("you dont have to ask your mum to phone us")
    assert c.by_other, c
    assert not any(c.by_other for c in meaning.clauses("i wont ask my supervisor to waive it"))


def test_no_need_to_get_her_to_call_is_the_option_where_i_ring_her(held):
    line = "no need to get her to call in, i can ring her this afternoon with you there and she adds you"
    m = _item(held, "relative-asks-about-account", "routes_explained", line)
    assert m.best.choice_id == "routes_explained.1" and m.best.contradicted == 0, m.as_json()
    assert "routes_explained.3" not in _offered_ids(m), m.as_json()


def test_x_doesnt_mean_y_denies_all_of_y_whatever_subject_it_has():
    """ "That doesn't mean it's all you're owed": the claim denied runs to the end ("you're" is
    inside it, not a new statement), so what it denies is "all you're owed"."""
    (c,) = meaning.clauses("that doesnt mean its all ur owed")
    assert c.refuses and c.content == "all owed", c
    (c,) = meaning.clauses("it doesnt mean youre stuck with it")
    assert c.refuses and "stuck" in c.content, c


def test_a_denied_prediction_contradicts_the_option_that_makes_it():
    """ "It won't come Monday" denies "it'll come Monday": a claim, not only a description.
    ("It won't come till Monday" says it comes Monday, and denies nothing: neg26j's `_DUE`.)"""
    (c,) = meaning.clauses("it wont come on monday")
    assert c.refuses, c
    (d,) = meaning.clauses("it wont come till monday")
    assert not d.negated, d
    line = "youre right, it wont come on monday, so ill refund the cake and delivery in full"
    m = _scenario_match("late-delivery-recovery", "money_row", line)
    assert m.best.choice_id == "money_row.1", m.as_json()
    assert "money_row.2" not in _offered_ids(m), m.as_json()


# -- helper neg26g: meaning_sealed7.yaml's failures (tests/typed/sealed7-result.txt), each class
# tested on phrasings of our own, none from a set --


def _overlap(a, b):
    return len(set(a.split()) & set(b.split())) / max(len(set(a.split()) | set(b.split())), 1)


def test_freeing_the_customer_while_taking_it_on_marks_the_freed_act():
    """ "You won't need to X, I'll Y": the customer freed of an act in a line where the speaker
    takes something on; without "I'll …" the freed clause is a plain refusal, as before."""
    freed, took = meaning.clauses("no need for you to ring them, ill call them myself")
    assert freed.refuses and freed.agent == "you" and freed.taken == took.content, freed
    (alone,) = meaning.clauses("you dont need to ring them")
    assert alone.refuses and not alone.taken, alone
    (c,) = meaning.clauses("the parking fine isnt yours to pay")
    assert c.refuses and c.agent == "you", c


def test_taking_the_act_on_contradicts_asking_the_customer_to_do_it_whatever_the_verb():
    """Asking the customer ("could you explain it to Dan?") is the opposite of the speaker doing
    it, though "explain" and "brief" share no letters: what the two are about (Dan) decides."""
    typed = meaning.clauses("you wont need to go through it again, ill brief dan")
    asks = meaning.clauses("could you explain it to dan?")
    assert meaning.contradiction(typed, asks, _overlap) > 0
    assert meaning.contradiction(typed, meaning.clauses("ill fill dan in"), _overlap) == 0
    refuses = meaning.clauses("we cant brief dan for you")
    assert meaning.contradiction(typed, refuses, _overlap) > 0


@pytest.mark.parametrize(
    "line",
    [
        "you wont have to repeat yourself, ill tell dan what happened",
        "you dont need to tell him anything, ill give dan the details",
    ],
)
def test_i_will_tell_dan_so_you_need_not_is_not_asking_her_to_explain(line):
    m = _scenario_match("faulty-toaster-day12", "supervisor_called", line)
    assert m.best.choice_id == "supervisor_called.1", m.as_json()
    assert "supervisor_called.2" not in _offered_ids(m), m.as_json()


def test_a_bill_that_isnt_yours_to_pay_is_not_the_option_leaving_it_to_you():
    line = "the repair bill isnt yours to pay, we'll refund it, and money off if the fix fails"
    m = _scenario_match("app-update-damage", "remedy", line)
    assert m.best.choice_id == "remedy.1", m.as_json()
    assert "remedy.2" not in _offered_ids(m), m.as_json()


def test_well_before_an_act_is_we_will():
    (c,) = meaning.clauses("and well cover the repair bill")
    assert c.agent == "me", c
    assert meaning.clauses("well done")[0].agent is None


def test_not_withholding_a_thing_gives_it_back():
    """ "We won't deduct the fee" is a double negative: the fee is given back. "Keep" withholds
    only with "back": "we don't keep your card details" is still a refusal."""
    (c,) = meaning.clauses("we wont deduct the restocking fee")
    assert not c.negated and c.gives_back and c.agent == "me" and "back" in c.content, c
    (c,) = meaning.clauses("we dont keep your card details")
    assert c.refuses and not c.gives_back, c
    (c,) = meaning.clauses("i wont hold you back long")
    assert not c.gives_back, c  # a person held back is not a thing given back
    given = meaning.clauses("we wont hold the postage back")
    assert meaning.contradiction(given, meaning.clauses("postage isnt refundable"), _overlap) > 0
    assert meaning.contradiction(given, meaning.clauses("the postage back too"), _overlap) == 0


@pytest.mark.parametrize(
    "line",
    [
        "we dont withhold the delivery cost, its all refunded within 14 days",
        "we dont keep any of the delivery back, its all refunded within 14 days",
    ],
)
def test_not_keeping_the_delivery_back_is_not_the_option_that_keeps_it(line):
    m = _scenario_match("online-return-changed-mind", "refund_question", line)
    assert m.best.choice_id == "refund_question.1", m.as_json()
    assert "refund_question.2" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    "scenario, state, line, good, sharp",
    [
        (
            "long-running-complaint",
            "tells",
            "that sounds really hard, so sorry we charged you twice and never got back to you",
            "tells.1",
            {"tells.2", "tells.3"},
        ),
        (
            "abusive-customer",
            "opening",
            "so sorry about the wait mr walsh, i understand youre angry, tell me what happened",
            "opening.1",
            {"opening.2", "opening.3"},
        ),
    ],
)
def test_an_apology_sharing_the_pushbacks_courtesy_is_never_offered_it(
    scenario, state, line, good, sharp
):
    """The defensive option opens as politely as the good one ("That sounds really hard, and
    I'm sorry …", "I'm sorry about the wait, Mr Walsh, and I understand you're angry"); an
    apology with none of its pushback scored closest to it, and was offered (or taken as) it."""
    m = _scenario_match(scenario, state, line)
    assert m.best.choice_id == good, m.as_json()
    assert not sharp & _offered_ids(m), m.as_json()


def test_a_judgement_that_x_isnt_right_describes_x_and_refuses_nothing():
    (c,) = meaning.clauses("a toaster smelling of burning after 12 days isnt right")
    assert c.negated and not c.refuses and "toaster" in c.content, c
    (c,) = meaning.clauses("monday isnt soon enough")
    assert c.refuses, c  # turns the offer down
    line = "sorry, a brand new toaster smelling of burning just isnt right"
    m = _scenario_match("faulty-toaster-day12", "fault_details", line)
    assert m.best.choice_id == "fault_details.1", m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "im really sorry gary, two missed visits is not on. lets get it sorted",  # the issue's
        "so sorry gary, being stood up twice just isnt acceptable, lets sort it",
    ],
)
def test_a_judgement_is_left_out_like_a_refusal_when_scoring_what_the_learner_will_do(line):
    """Read as a refusal, "two missed visits is not on" was cut from the line before scoring
    what the learner will do, which kept the apology above the floor; read as the judgement it
    is, it must still be cut (it fell to 0.095 and was "not understood")."""
    assert meaning.clauses(line)[1].judges, meaning.clauses(line)
    m = _scenario_match("abusive-customer", "opening", line)
    assert m.decision == "confirm" and _offered_ids(m) == {"opening.1"}, m.as_json()


def test_a_refused_x_instead_of_y_keeps_y():
    refused, kept = meaning.clauses("no refund instead of a repair")
    assert refused.refuses and not kept.negated, (refused, kept)
    _said, refused = meaning.clauses("a repair instead of a refund")
    assert refused.refuses and refused.content == "refund", refused  # as before
    line = "not a voucher instead of a complaint, its logged and tom rings you thursday"
    m = _scenario_match("headwear-rule", "on_record", line)
    assert m.best.choice_id == "on_record.1", m.as_json()
    assert "on_record.2" not in _offered_ids(m), m.as_json()


def test_not_having_to_take_it_off_anywhere_refuses_taking_it_off_in_private():
    """ "Anywhere" is no place in particular: the refused act is refused wherever an option
    would do it ("you can take it off in a private room")."""
    line = "you wont have to take it off anywhere, not in a side room either"
    m = _scenario_match("headwear-rule", "detail", line)
    assert m.best.choice_id == "detail.1", m.as_json()
    assert "detail.3" not in _offered_ids(m), m.as_json()


def test_what_nobody_will_make_you_do_is_what_you_need_not_do():
    """ "No one will make you take it off anywhere" was taken, unasked, as the option that has
    her take it off in a private room: "no one" read as the determiner "no" over "one make"."""
    (c,) = meaning.clauses("no one will ask you to fill in a form")
    assert c.refuses and c.agent == "you" and c.content == "fill form", c
    (c,) = meaning.clauses("nobody is going to make u send it back")
    assert c.refuses and c.agent == "you" and c.content.startswith("send"), c
    line = "no one will make you take it off anywhere, private room or not"
    m = _scenario_match("headwear-rule", "detail", line)
    assert m.best.choice_id == "detail.1", m.as_json()
    assert "detail.3" not in _offered_ids(m), m.as_json()


# -- helper neg26h: meaning_sealed8.yaml's failures (tests/typed/sealed8-result.txt), each class
# tested on phrasings of our own, none from a set --


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # lecturing: what the customer should have done, or should do "next time"
        ("u shouldve opted out when u signed up then", "blame"),
        ("you should have kept the packaging, sorry", "blame"),
        ("you couldve measured the space first, so next time read the listing properly", "blame"),
        ("in future just double check the dimensions before you buy", "blame"),
        ("be more careful with it and it wont happen", "blame"),
        # deflection: the speaker disowns it
        ("dont blame me, somebody else fitted that screen", "dismissive"),
        ("thats nothing to do with me mate, i wasnt even in that day", "dismissive"),
        ("well its not our fault the post is slow", "dismissive"),
        # minimising what the customer is upset about
        ("honestly worse things happen, its only a fridge", "dismissive"),
        ("no need to get so worked up, its not a big deal", "dismissive"),
        ("its only a kettle mate", "dismissive"),
        ("it could be a lot worse, nobody got hurt", "dismissive"),
        ("youre useless at this", "insult"),
    ],
)
def test_blame_deflection_minimising_and_lecturing_read_as_rude(line, kind):
    assert rude_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "you should have been told about the fee when you joined, im sorry",
        "you should have had a call back by now, sorry about that",
        "ill check that for you next time you come in",
        "next time you pop in ask for me and ill sort it",
        "its not your fault at all",
        "the app is useless to you now so its a full refund",
        "its only a small admin charge and ill waive it",
        "no problem, its no trouble at all to swap it",
    ],
)
def test_owed_things_and_the_speakers_own_next_time_are_not_rude(line):
    assert rude_kind(line) is None


@pytest.mark.parametrize(
    ("scenario", "state", "line", "polite"),
    [
        (
            "online-return-changed-mind",
            "order_check",
            "in future just double check the dimensions before you buy, anyway ill sort the return",
            {"order_check.1", "order_check.2"},
        ),
        (
            "phone-screen-refit",
            "wants_money",
            "dont blame me, somebody else fitted that screen",
            {"wants_money.1", "wants_money.2", "wants_money.3"},
        ),
        (
            "webchat-fridge-year-four",
            "story",
            "honestly worse things happen, its only a fridge",
            {"story.1", "story.3"},
        ),
        (
            "sar-by-phone",
            "caller_explains",
            "u shouldve opted out when u signed up then",
            {"caller_explains.1"},
        ),
    ],
)
def test_a_blaming_deflecting_or_minimising_line_is_never_offered_a_polite_option(
    scenario, state, line, polite
):
    m = _scenario_match(scenario, state, line)
    assert m.rude, m.as_json()
    assert m.decision != "accept", m.as_json()
    assert not polite & _offered_ids(m), m.as_json()


def test_a_lecturing_line_is_offered_the_option_that_lectures():
    m = _scenario_match(
        "online-return-changed-mind",
        "order_check",
        "you couldve measured the space first, so next time read the listing properly",
    )
    assert m.best.choice_id == "order_check.3" and m.decision == "confirm", m.as_json()


def test_a_negated_more_than_x_states_the_limit_and_refuses_nothing():
    (c,) = meaning.clauses("we dont pay out more than £25 for a missed appointment")
    assert not c.negated and not c.refuses and "limit" in c.content.split(), c
    (d,) = meaning.clauses("i cant go above that")
    assert not d.refuses, d
    (e,) = meaning.clauses("i wont give you the 100")  # an amount refused is still a refusal
    assert e.refuses, e
    (f,) = meaning.clauses("you wont have to go over it again")  # repeating, not a limit
    assert f.negated and f.refuses, f


@pytest.mark.parametrize(
    "line",
    [
        "i cant go above 25, thats the most we give for a missed visit and its on your account",
        "we dont pay out more than £25 for a missed appointment, thats policy and its on your account",
    ],
)
def test_a_limit_stated_as_not_more_than_is_the_option_that_holds_the_limit(line):
    m = _scenario_match("abusive-customer", "fixing", line)
    assert m.best.choice_id == "fixing.2", m.as_json()
    assert _taken(m) in (None, "fixing.2"), m.as_json()


def test_dont_bother_x_is_no_need_to_go_to_x_and_a_clause_of_its_own():
    cl = meaning.clauses("if it hasnt come by friday dont bother the courier, call me")
    assert [c.text for c in cl][:2] == ["if it hasnt come by friday", "no need to call the courier"]
    assert cl[1].refuses, cl
    (habit,) = meaning.clauses("i dont bother with the app")  # the speaker's habit
    assert "call" not in habit.content.split(), habit


def test_dont_bother_the_card_company_ring_me_is_the_option_to_ring_me():
    m = _scenario_match(
        "app-update-damage",
        "closing",
        "cheers for ringing so fast. if its not on your card within five working days dont "
        "bother ringing the card company, call me on 214 and give me the reference",
    )
    assert m.best.choice_id == "closing.1", m.as_json()
    assert "closing.3" not in _offered_ids(m), m.as_json()


def test_the_customer_spared_an_act_is_not_someone_else_doing_it():
    spared = meaning.clauses("you dont need to phone us")
    assert meaning.contradiction(spared, meaning.clauses("someone will ring you"), _overlap) == 0
    assert (
        meaning.contradiction(spared, meaning.clauses("the manager will call by 5"), _overlap) == 0
    )
    assert meaning.contradiction(spared, meaning.clauses("just ring us on monday"), _overlap) > 0


def test_you_need_not_phone_the_manager_will_ring_you_is_the_call_back_option():
    m = _scenario_match(
        "spill-in-aisle",
        "manager_arrives",
        "you dont need to phone us, the duty manager will ring you before 5 tomorrow about the "
        "shelf, its logged with a reference",
    )
    assert m.best.choice_id == "manager_arrives.1", m.as_json()
    assert "manager_arrives.4" not in _offered_ids(m), m.as_json()


def test_to_spare_you_waiting_is_the_customer_spared_not_money_saved():
    spared = [c for c in meaning.clauses("ill do it, to spare you waiting") if c.agent == "you"]
    assert spared and spared[0].negated and spared[0].content == "wait", spared
    (money,) = meaning.clauses("that saves you £17")
    assert not money.negated, money


def test_i_will_do_it_so_you_are_not_waiting_is_the_option_that_does_it_myself():
    m = _scenario_match(
        "sar-by-phone",
        "logged",
        "ill handle it personally so u dont have to wait, screenshots of your notes and call log "
        "will be emailed to you this afternoon",
    )
    assert m.best.choice_id == "logged.3", m.as_json()


@pytest.mark.parametrize(
    "line",
    ["well obviously it wont work if its not plugged in", "what did u expect for that price"],
)
def test_a_curt_or_sarcastic_line_reads_as_rude(line):
    assert rude_kind(line) == "dismissive"


# -- helper neg26i: an act named by another word ("apologise" / "apology" / "say sorry" / "I'm
# sorry") is one act when deciding what a refusal refuses; a bare "not yet" refuses the act just
# named. Phrasings of our own (issue 26, typed replies) --


@pytest.mark.parametrize(
    "line",
    [
        "i wont apologise before it's been looked into",
        "no apologies from me till the review is done",
        "im not going to say sorry while its investigated",
        "we can't give an apology at this stage",
    ],
)
def test_a_refused_apology_is_the_one_act_however_it_is_named(line):
    refused = [c for c in meaning.clauses(line) if c.refuses]
    assert refused and refused[0].verb == "apology", meaning.clauses(line)


def test_im_sorry_is_the_speakers_apology_and_sorry_you_feel_that_way_is_not():
    (c,) = meaning.clauses("im really sorry")
    assert c.agent == "me" and not c.negated and c.content == "apology", c
    (about,) = meaning.clauses("sorry about the silence")
    assert about.content.split() == ["apology", "silence"], about
    regret = meaning.clauses("im sorry you feel like that")
    assert all("apology" not in c.content.split() for c in regret), regret
    # Courtesy still says nothing on its own (the weak-match rescore drops it).
    assert meaning.said("im so sorry, what happened") == "what happened"


def test_a_refused_apology_contradicts_the_apology_and_agrees_with_the_refusal():
    refused = meaning.clauses("i wont apologise yet")
    assert meaning.contradiction(refused, meaning.clauses("you're right, i'm sorry"), _overlap) > 0
    assert (
        meaning.contradiction(refused, meaning.clauses("i can't say sorry at once"), _overlap) == 0
    )


def test_not_yet_refuses_the_act_just_named():
    first, later = meaning.clauses("apologising right now would admit fault, so not yet")
    assert later.refuses and later.agent == "me" and later.content == "apology", later
    # After a clause that names no act of its own (a negation), "not yet" stays as it was.
    _, still = meaning.clauses("that isnt possible today, not yet")
    assert still.content != "possible", still


@pytest.mark.parametrize(
    "line",
    [
        "i wont apologise before the review",
        "no apologies from me till the investigation is done",
        "sorry you see it like that, but no apology till its been looked into",
        "im not going to say sorry while its being investigated",
    ],
)
def test_a_refused_apology_is_never_taken_as_the_apology(line):
    m = _scenario_match("long-running-complaint", "liability_worry", line)
    assert m.best.choice_id == "liability_worry.2", m.as_json()
    assert "liability_worry.1" not in _offered_ids(m), m.as_json()


# -- "yours to pay" names whose act it is; "put yours to them" names who receives it ------------
@pytest.mark.parametrize(
    "text",
    ["i'll put yours to them today", "i'll pass yours to the team leader", "ill give ours to her"],
)
def test_a_possessive_handed_to_someone_leaves_the_speaker_acting(text):
    (clause,) = meaning.clauses(text)
    assert clause.agent == "me", clause


def test_yours_to_an_act_is_still_the_customers():
    assert any(c.agent == "you" for c in meaning.clauses("the repair isnt yours to pay"))


@pytest.mark.parametrize(
    "line",
    ["ill put it to them today", "sam can decide above it, ill put it to them today"],
)
def test_putting_a_claim_to_the_team_leader_is_the_referral_not_the_flat_limit(line):
    m = _scenario_match("compensation-beyond-authority", "flat_limit", line)
    assert m.best.choice_id == "flat_limit.1", m.as_json()


# -- helper neg26j: sealed9's rude lines offered (or taken as) a polite option -------------------
# (tests/typed/sealed9-result.txt): a sarcastic refusal, subjectless lecturing, an accusation.
# New phrasings of each class; the sealed lines themselves are measured by the tuning sets.


@pytest.mark.parametrize(
    "line",
    [
        "a hundred and fifty? yeah right pal",
        "lol as if id knock that much off",
        "dream on, nobody gets that for a missed visit",
        "good luck with that mate",
        "haha nope, not happening",
        "youre having a laugh, 300 for one missed slot",
        "nice try, its 25 and thats it",
        "fat chance",
    ],
)
def test_a_sarcastic_refusal_reads_as_rude(line):
    assert rude_kind(line) == "dismissive", line


@pytest.mark.parametrize(
    "line",
    [
        "shouldve backed your photos up before u hit update",
        "should have looked at the size guide tbh",
        "well should of checked the label before you washed it",
        "if you install it, thats at your own risk",
        "u must have dropped it, simple",
        "you obviously overloaded it",
        "kettles dont just stop working by themselves",
        "must be something youve done to it",
        "you broke it mate, not us",
        "you shouldnt have left it on all night",
        "read the small print properly before you sign next time",
    ],
)
def test_lecturing_without_a_subject_and_accusing_read_as_blame(line):
    assert rude_kind(line) == "blame", line


@pytest.mark.parametrize(
    "line",
    [
        "its not your fault at all",
        "you didnt do anything wrong",
        "it wasnt something you did, the whole batch was faulty",
        "nobodys saying you broke it",
        "sorry, shouldve rung you back on tuesday",
        "should have read the notes before i rang, sorry",
        "shouldve checked your account first, my mistake",
        "let me read the terms first before we decide",
        "should have been told before you paid, im sorry",
        "you shouldnt have to chase us for this",
        "you shouldnt have been charged that fee",
        "it sounds as if the courier lost it",
        "good luck with the move",
        "the update isnt at your own risk, it has to work",
        "no chance of that happening again, ive flagged it",
        "im not joking, it really is a six week wait",
        "you dropped it off at the branch, didnt you",
        "you must have been worried sick",
    ],
)
def test_naming_blame_to_lift_it_or_a_plain_no_stays_polite(line):
    assert rude_kind(line) is None, line


@pytest.mark.parametrize(
    ("scenario", "state", "line", "polite"),
    [
        (
            "abusive-customer",
            "demands",
            "£200 it is? yeah right pal, dream on",
            {"demands.1", "demands.3"},
        ),
        (
            "abusive-customer",
            "demands",
            "lol as if ill put 200 through for that",
            {"demands.1", "demands.3"},
        ),
        (
            "app-update-damage",
            "terms_wall",
            "shouldve checked what the update did before u pressed install, our terms are clear",
            {"terms_wall.1"},
        ),
        (
            "faulty-toaster-day12",
            "blame_use",
            "u obviously overloaded it, they dont just burn out by themselves",
            {"blame_use.1"},
        ),
    ],
)
def test_a_sarcastic_lecturing_or_accusing_line_is_never_offered_a_polite_option(
    scenario, state, line, polite
):
    m = _scenario_match(scenario, state, line)
    assert m.rude, m.as_json()
    assert m.decision != "accept", m.as_json()
    assert not polite & _offered_ids(m), m.as_json()


# -- helper neg26j: sealed9's top-1 misses, each a class -------------------------------------


@pytest.mark.parametrize(
    ("line", "content"),
    [
        ("youre right its not down to the courier", "down courier"),
        ("fair enough thats not on the warehouse", "warehouse"),
    ],
)
def test_an_opening_youre_right_leaves_the_denial_after_it_a_denial(line, content):
    (c,) = meaning.clauses(line)
    assert c.negated and c.refuses and c.content == content, c


@pytest.mark.parametrize(
    "line",
    ["the new battery wont arrive until thursday", "the replacement isnt in stock till next month"],
)
def test_not_in_till_a_date_says_when_it_comes_and_refuses_nothing(line):
    assert not any(c.negated for c in meaning.clauses(line)), meaning.clauses(line)


def test_not_until_a_date_still_refuses_an_act():
    (c,) = meaning.clauses("i wont refund until weve tested it")
    assert c.negated and c.refuses, c


def test_a_list_of_refusals_without_or_is_one_refusal_after_another():
    cl = meaning.clauses("not a voucher not a credit note, cash back")
    assert [(c.content, c.refuses) for c in cl[:2]] == [("voucher", True), ("credit note", True)]
    (c,) = [c for c in meaning.clauses("its not a fee as such") if c.negated]
    assert c.content == "fee", c


@pytest.mark.parametrize(
    ("scenario", "state", "line", "best", "taken"),
    [
        (
            "abusive-customer",
            "blamed",
            "ur right its not on the contractors, its our job and ill own it, sorry for fobbing u off",
            "blamed.1",
            False,
        ),
        (
            "sar-by-phone",
            "fee_claim",
            "its free, not a fee not an admin charge, no form needed and i can do it now",
            "fee_claim.1",
            False,
        ),
        (
            "phone-screen-refit",
            "tech_check",
            "the parts not here until friday week, legally the refit comes first before any refund",
            "tech_check.3",
            True,
        ),
    ],
)
def test_sealed9s_missed_classes_rank_the_option_they_mean_first(
    scenario, state, line, best, taken
):
    """Before neg26j each was ranked second, or (the date) held back by a refusal it does not
    make; fee_claim.2 shares the no-charge opening, so only a confident line is taken."""
    m = _scenario_match(scenario, state, line)
    assert m.best.choice_id == best, m.as_json()
    assert _taken(m) == (best if taken else _taken(m)) and _taken(m) in (None, best), m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "thats tough, thank you for telling me",
        "it sounds so tough. can i note that on your account",
    ],
)
def test_thats_tough_said_in_sympathy_is_not_a_brush_off(line):
    assert rude_kind(line) is None, line


@pytest.mark.parametrize("line", ["no refunds on opened items, tough", "well tough, its policy"])
def test_tough_as_a_verdict_is_a_brush_off(line):
    assert rude_kind(line) == "dismissive", line


# -- helper neg26k: sealed10's rude lines offered (or taken as) a polite option ------------------
# (tests/typed/sealed10-result.txt): a resigned shrug, an accusation of misuse, condescension, a
# curt brush-off. New phrasings of each class; the sealed lines are measured by the tuning sets.


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # resigned dismissal
        ("ok whatever, ur the one losing out not me", "dismissive"),
        ("meh your loss mate", "dismissive"),
        ("suit yourself, the voucher goes at midnight", "dismissive"),
        ("its your money you lose, not mine", "dismissive"),
        ("thats not really our concern tbh", "dismissive"),
        # accusation of misuse, present or past, without naming the damage
        ("you must be using it wrong", "blame"),
        ("sounds like ur setting it up wrong tbh", "blame"),
        ("youre clearly not using it properly", "blame"),
        ("u must of done something wrong when you installed it", "blame"),
        # condescension
        ("pay attention next time and you wont get caught out", "blame"),
        ("maybe concentrate a bit more next time", "blame"),
        ("well i did tell u, u just forgot", "dismissive"),
        ("like i told u already, the part comes when it comes", "dismissive"),
        ("u werent listening were u", "dismissive"),
        ("try listening properly", "dismissive"),
        # curt brush-off: no route offered
        ("no point complaining to me about it", "dismissive"),
        ("there's no point arguing, mate", "dismissive"),
        ("we cant give u anything at all", "dismissive"),
    ],
)
def test_shrugs_misuse_accusations_condescension_and_brush_offs_read_rude(line, kind):
    assert rude_kind(line) == kind, line


@pytest.mark.parametrize(
    "line",
    [
        # blame named to deny it
        "its not that youre using it wrong, this model has a known fault",
        "nobody thinks you set it up wrong",
        "you didnt do anything wrong at all",
        "it's not your fault, you did everything right",
        "just in case it was put in wrong, can you send a photo? either way its on us",
        # loss and shrugs that are not dismissive
        "sorry for your loss",
        "we'll cover your loss of earnings up to the limit",
        "whatever suits you best is fine by me",
        "ok, whatever you prefer, ill book it",
        # the speaker owning the slip, or listening themselves
        "i did say id ring you on monday and i didnt, im so sorry",
        "i'll listen properly this time, go on",
        "sorry, i wasnt listening properly, could you say that again",
        "could you read it carefully and sign at the bottom",
        # a limit with a route
        "im not allowed to tell you anything about her account, but if she rings us we can help",
        "i cant say anything yet, sorry, ill call you friday with the answer",
        "no point you ringing the courier, ill chase them myself",
        "i cant tell you anything yet because the tests arent back",
        "i did mention the engineer, he can come tuesday",
        "its not fair that youre the one losing out, not us",
    ],
)
def test_denied_blame_owned_slips_and_limits_with_a_route_stay_polite(line):
    assert rude_kind(line) is None, line


@pytest.mark.parametrize(
    ("scenario", "state", "line", "polite"),
    [
        (
            "faulty-toaster-day12",
            "blame_use",
            "well you must be using it wrong then",
            {"blame_use.1"},
        ),
        (
            "laptop-month7",
            "promise_broken",
            "i did say maybe, try listening properly",
            {"promise_broken.1"},
        ),
        (
            "relative-asks-about-account",
            "explains",
            "look we cant tell u anything, no point asking again",
            {"explains.1"},
        ),
    ],
)
def test_a_shrugging_accusing_or_brushing_off_line_is_never_offered_a_polite_option(
    scenario, state, line, polite
):
    m = _scenario_match(scenario, state, line)
    assert m.rude, m.as_json()
    assert not polite & _offered_ids(m), m.as_json()


# -- helper neg26k: sealed10's top-1 miss "the courier isnt us", a class ---------------------------


@pytest.mark.parametrize(
    "line",
    ["the delivery firm isnt us", "that driver wasnt me", "the guards arent us, love"],
)
def test_a_party_that_isnt_us_is_said_to_be_separate_not_refused(line):
    """'X isn't us' says X is someone else, as 'X is not us' already did (an idiom): it refuses
    nothing, so it no longer contradicts the option that says the courier is a separate company."""
    assert not any(c.refuses for c in meaning.clauses(line)), meaning.clauses(line)


def test_a_party_that_isnt_us_still_leaves_real_refusals_alone():
    assert any(c.refuses for c in meaning.clauses("the fee isnt refundable"))
    assert any(c.refuses for c in meaning.clauses("it isnt us who can refund that, its the bank"))


def test_the_courier_isnt_us_ranks_the_option_that_says_so_first():
    m = _scenario_match(
        "courier-lost-cot",
        "opening",
        "the delivery company isnt us, its a separate firm, ull have to ring them",
    )
    assert m.best and m.best.choice_id == "opening.3", m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "no callback after three days was a real shame",
        "no engineer on the day you took off is so frustrating",
        "not having the parcel for the party must have been gutting",
    ],
)
def test_an_absence_judged_refuses_nothing(line):
    """'no X … is a let-down' names a missing thing and judges it (sealed10's "no cake for your
    mums 60th after ringing twice is a proper let down" read as a refusal of the cake)."""
    assert not any(c.refuses for c in meaning.clauses(line)), meaning.clauses(line)


@pytest.mark.parametrize("line", ["no refund is possible after 30 days", "no engineer is free"])
def test_an_absence_that_is_no_verdict_still_refuses(line):
    assert any(c.refuses for c in meaning.clauses(line)), meaning.clauses(line)


def test_a_missing_thing_judged_is_taken_as_the_empathy_option():
    m = _scenario_match(
        "late-delivery-recovery",
        "stock_apology",
        "youre right, i sounded like a script, sorry. no birthday cake after you rang twice is a real let down",
    )
    assert m.best and m.best.choice_id == "stock_apology.1", m.as_json()


# -- helper neg26ac: disowning as the last word ---------------------------------------------------
# Each sealed run found rude lines in a new shape. "...not us" / "...not me" closing a line that
# hands the problem on was one such shape in four sets (sealed5, 7, 9, 10), each time with a new
# third party; these are new phrasings none of rude.py's classes before neg26ac covered.


@pytest.mark.parametrize(
    "line",
    [
        "thats the manufacturers headache not ours",
        "get onto the council about it, not us",
        "that ones for ur insurer to sort out not me",
        "nah the warehouse lost it, not me mate",
        "any delay after that is down to the card provider, not me",
    ],
)
def test_disowning_as_the_last_word_reads_dismissive(line):
    assert rude_kind(line) == "dismissive", line


@pytest.mark.parametrize(
    "line",
    [
        "its with the courier not us but ill chase them today",
        "sorry, that was the courier not us, ill ring them",
        "the mistake was ours, not yours",
        "it was our fault, not yours, and im sorry",
        "its your choice not mine",
        "thats up to you not me",
        "£40 back to your card today; if its late thats your bank not us",
    ],
)
def test_disowning_with_something_taken_on_or_the_customer_given_the_say_stays_polite(line):
    assert rude_kind(line) is None, line


def test_a_disowning_line_is_not_offered_the_polite_closing():
    """On main before neg26ac this line was asked about as the polite closing.1."""
    m = _scenario_match(
        "phone-screen-refit", "closing", "any delay after that is down to the card provider, not me"
    )
    assert m.rude == "dismissive"
    assert not [r for r in m.suggestions if not r.offered.choice.mistakes], m.as_json()


# -- helper neg26ac: sealed10's top-1 misses, as classes -----------------------------------------


@pytest.mark.parametrize(
    ("line", "item"),
    [
        ("you dont need receipts, photos or bank statements", "bank statements"),
        ("no forms, letters or phone calls", "phone calls"),
    ],
)
def test_a_list_ending_in_or_carries_the_negation_across_its_commas(line, item):
    """ "You don't need names, addresses or account numbers" (the option sealed10's line meant)
    refuses all three; its last item read as asserted, so the line's own refusal of it read as
    a contradiction."""
    last = [c for c in meaning.clauses(line) if c.text == item]
    assert last and last[0].negated, meaning.clauses(line)


@pytest.mark.parametrize(
    "line", ["we cant refund it, cash or card is fine", "i cant do that, tea or coffee?"]
)
def test_a_statement_or_a_question_after_a_refusal_is_no_list_tail(line):
    assert not meaning.clauses(line)[-1].negated, meaning.clauses(line)


def test_a_named_party_freed_of_the_act_is_refused_as_the_route():
    m = _scenario_match(
        "long-running-complaint",
        "passed_to_fos",
        "no the ombudsman doesnt have to sort this for you, its ours to put right today",
    )
    assert m.best and m.best.choice_id == "passed_to_fos.1", m.as_json()
    assert next(r for r in m.ranking if r.choice_id == "passed_to_fos.2").contradicted > 0


def test_a_party_freed_of_a_requirement_on_us_or_a_person_freed_is_not_a_route():
    assert not any(
        c.party for c in meaning.clauses("the ombudsman dont need us to agree, u can go to them")
    )
    assert not any(c.party for c in meaning.clauses("ur mum wont have to ring us herself"))


def _rendered_match(scenario, state, line):
    """As `_scenario_match`, with the options' text rendered as a learner sees it ("£60", not
    a template field that splits a clause in two)."""
    from simulator.engine.loader import load_scenario
    from simulator.engine.session import Offered, Runtime

    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    session = Runtime(sc).new_session(seed=0)
    offered = tuple(
        Offered(
            i + 1,
            i,
            ch.id or f"{state}.{i + 1}",
            session._render(ch.text, ("states", state, "choices", i, "text")),
            ch,
        )
        for i, ch in enumerate(sc.states[state].choices)
    )
    return ScenarioMatcher(sc).match(line, offered)


@pytest.mark.parametrize(
    "line",
    [
        "we dont take returns when its not faulty, thats our returns policy",
        "we dont take it back unless its faulty im afraid",
    ],
)
def test_a_refusal_on_a_condition_restates_the_options_only_rule(line):
    """ "We don't take returns if nothing's wrong" is "we only take returns on faulty goods"."""
    m = _rendered_match("online-return-changed-mind", "opening", line)
    assert m.best and m.best.choice_id == "opening.2", m.as_json()
    assert m.best.contradicted == 0


def test_denying_the_only_rule_itself_still_contradicts_it():
    m = _scenario_match(
        "online-return-changed-mind", "opening", "we dont only take returns on faulty goods"
    )
    assert next(r for r in m.ranking if r.choice_id == "opening.2").contradicted > 0


@pytest.mark.parametrize(
    "line",
    [
        "a fix comes first, and no the laptop repair bill isnt on you",
        "its a fix first, and the laptop repair isnt down to you",
    ],
)
def test_the_customer_freed_of_a_cost_contradicts_the_option_that_charges_it_not_the_one_that_pays(
    line,
):
    m = _rendered_match("app-update-damage", "remedy", line)
    by = {r.choice_id: r for r in m.ranking}
    assert by["remedy.2"].contradicted > 0, m.as_json()  # "the laptop repair is down to you"
    assert by["remedy.1"].contradicted == 0, m.as_json()  # "... and we'll pay you back"
    assert m.best and m.best.choice_id == "remedy.1", m.as_json()


# -- helper neg26af: sealed11's rude lines offered or taken as a polite option, as classes --------
# Each class is tested on new phrasings, none of them sealed11's own; each rude one read as polite
# (None) on main before neg26af, and each polite one must stay so.


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # sarcasm: laughter, mock awe, praise closing a line as its own sentence
        ("three refunds this month lol", "dismissive"),
        ("ha must be a new world record for you", "dismissive"),
        ("so u lost the receipt and the box. brilliant", "dismissive"),
        ("you threw the packaging away? fantastic", "dismissive"),
        ("give you a medal for that one shall i", "dismissive"),
        # patronising address terms
        ("youll have it by friday sweetheart", "dismissive"),
        ("youll get ur refund darling, dont panic", "dismissive"),
        ("not today hun", "dismissive"),
        # rhetorical questions at the customer
        ("do you have the slightest idea how busy it is in here", "dismissive"),
        ("do u know how many calls we get a day", "dismissive"),
        ("who do you think you are talking to", "dismissive"),
        ("what do u want me to do about it", "dismissive"),
        # telling the customer to wait their turn
        ("wait your turn like everyone else", "dismissive"),
        ("take a number and sit down", "dismissive"),
        ("go to the back of the line please", "dismissive"),
        # ranking the customer below others
        ("other customers come first, ill get to u", "dismissive"),
        ("ur not my only customer u know", "dismissive"),
        ("ive got other people to serve", "dismissive"),
        # blaming the customer's own choice
        ("you chose the cheapest plan, thats what you signed up for", "blame"),
        ("u knew what u were signing", "blame"),
        ("thats what you paid for mate", "blame"),
        ("well you opted for it", "blame"),
        ("you agreed to the contract mate", "blame"),
        ("you still went for the cheap one", "blame"),
    ],
)
def test_neg26af_classes_read_rude(line, kind):
    assert rude_kind(line) == kind, line


@pytest.mark.parametrize(
    "line",
    [
        "great, ill sort that now",
        "brilliant, thanks, ill get the refund started",
        "thanks for your patience, perfect",
        "thats lovely, thank you",
        "id love to help with that",
        "we would love your feedback after",
        "oh dear im sorry ms brooks, thats a nasty letter",
        "dear ms brooks, thank you for your letter",
        "any idea how long its been doing that?",
        "do you know how long the repair took?",
        "ill get you in the queue for a callback today",
        "you dont need to join the queue, ill do it here",
        "customer complaints have to come first this week, sorry, can it wait till monday",
        "everyone deserves a proper answer and you will get one",
        "you signed up in march, ill check what you were told",
        "nobodys saying you chose it",
        "its completely your choice",
        "you were right, im sorry, thats a poor record on our part",
    ],
)
def test_neg26af_polite_uses_of_the_same_words_stay_polite(line):
    assert rude_kind(line) is None, line


@pytest.mark.parametrize(
    ("scenario", "state", "line", "polite"),
    [
        (
            "internal-customer-finance",
            "deprioritised",
            "paying customers come first, no offence. what do u need, ill do it when i get a sec",
            "deprioritised.1",
        ),
        (
            "online-return-changed-mind",
            "opening",
            "so it works fine and youve just gone off it. brilliant",
            "opening.1",
        ),
        (
            "late-delivery-recovery",
            "order_number",
            "fourth time now? give you a medal. go on, read it out",
            "order_number.1",
        ),
        (
            "internal-customer-finance",
            "opening",
            "sure but do u know how short staffed we are this week",
            "opening.1",
        ),
    ],
)
def test_neg26af_a_rude_line_is_not_offered_or_taken_as_the_polite_option(
    scenario, state, line, polite
):
    """Each was taken or offered as the polite option on main before neg26af."""
    m = _rendered_match(scenario, state, line)
    assert m.rude, m.as_json()
    assert polite not in _offered_ids(m), m.as_json()
    assert _taken(m) is None, m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "sorry, you said that already and i should have heard you. thats not your door in the "
        "picture, any idea where it is?",
        "my apologies, you did tell me. its not your door in the photo, do you recognise it at all?",
        "youre right, you told me, sorry. thats not your front door in the photo, do you know "
        "whose it is?",
    ],
)
def test_neg26af_saying_back_that_it_is_not_her_door_is_no_no_to_asking_where_it_is(line):
    """courier-lost-cot: "that's not your door" denies what "is it maybe your back door?" asks,
    not "is the door anywhere you recognise?"; on main the good option read as contradicted and
    the one that sends her door to door was offered (or taken)."""
    m = _scenario_match("courier-lost-cot", "neighbours", line)
    assert m.best.choice_id == "neighbours.1", m.as_json()
    assert not {"neighbours.2", "neighbours.3"} & _offered_ids(m), m.as_json()
    by_id = {r.choice_id: r for r in m.ranking}
    assert by_id["neighbours.1"].contradicted == 0


def test_neg26af_saying_it_is_not_her_door_still_says_no_to_asking_if_it_is_her_back_door():
    """The question that asks whether it IS her door (its last words) is still denied."""
    m = _scenario_match(
        "courier-lost-cot", "neighbours", "sorry, you told me. its not your door in the photo"
    )
    by_id = {r.choice_id: r for r in m.ranking}
    assert by_id["neighbours.2"].contradicted > 0, m.as_json()
    assert by_id["neighbours.1"].contradicted == 0, m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "oh im so sorry mrs brooks, rotten letter to get. whats gone on",
        "so sorry about that letter ms brooks. what went on?",
        "im sorry that landed on you. whats been going on with the bill",
        "sorry ms brooks, thats a horrible letter to get. whats gone on with the bundle",
    ],
)
def test_neg26af_a_polite_line_is_not_offered_the_scripted_payment_beside_the_good_option(line):
    """broadband-hardship: on main each was asked about as opening.1 or the scripted "could you
    pay part of it today?" (opening.2), which it shares only the courteous opening with; it is
    still asked about (the runner-up's score still counts), with the good option alone."""
    m = _rendered_match("broadband-hardship", "opening", line)
    assert m.best.choice_id == "opening.1", m.as_json()
    assert _offered_ids(m) == {"opening.1"}, m.as_json()
    assert m.decision == "confirm", m.as_json()


# -- helper neg26ai: sealed12's rude lines offered or taken as a polite option, as classes --------
# Each class is tested on new phrasings, none of them sealed12's own; each rude one read as polite
# (None) on main before neg26ai, and each polite one must stay so.


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # a first-person disclaimer put to the customer as a tag question
        ("i dont set the prices do i", "dismissive"),
        ("we didnt lose it did we, the courier did", "dismissive"),
        ("im not a mind reader am i", "dismissive"),
        ("i cant magic up a van can i mate", "dismissive"),
        # the customer's conduct declared useless
        ("yelling at me wont make the parcel turn up any faster", "dismissive"),
        ("getting shirty isnt going to help anyone", "dismissive"),
        ("swearing at us wont change anything mr walsh", "dismissive"),
        # a next-time lecture with a comparative
        ("just ring a bit sooner next time", "blame"),
        ("maybe get here earlier in future yeah", "blame"),
        ("ok, but tell us more about it next time", "blame"),
        # a hedge before a put-down
        ("no offence but you dont really understand how refunds work", "dismissive"),
        ("dont take this the wrong way, but its a cheap kettle", "dismissive"),
        ("with respect, owning three of them doesnt make you an engineer", "dismissive"),
        ("with all due respect youre wrong about the law", "dismissive"),
        # condescending repetition
        ("its all on the screen, just look at it again slowly", "dismissive"),
        ("say it slower then", "dismissive"),
        ("it's plain english, read the email", "dismissive"),
        # dismissive idioms
        ("boo hoo, it's a late parcel", "dismissive"),
        ("get a grip, its only a few days", "dismissive"),
        ("you lot are all the same", "dismissive"),
        ("ur just whinging now", "dismissive"),
        ("carry on moaning then, i'll wait", "dismissive"),
        # questioning the customer's motive, harping
        ("why would you even need all that", "dismissive"),
        ("what are u planning on doing with that lot", "dismissive"),
        ("is that all u ever talk about", "dismissive"),
    ],
)
def test_neg26ai_classes_read_rude(line, kind):
    assert rude_kind(line) == kind, line


@pytest.mark.parametrize(
    "line",
    [
        # tags that check facts or own the slip, and agreeing with the customer
        "is that right?",
        "does that work for you, yeah?",
        "i didnt ring you back did i, sorry, ill do it now",
        "thats not good enough, is it, im sorry",
        "you havent had the refund yet, have you?",
        # futility that reassures
        "complaining wont affect your account at all",
        # the speaker's own promise for next time
        "we'll give you more notice next time, sorry",
        "ill ring a bit sooner next time",
        "next time it happens just give us a ring",
        # hedges that apologise or accept
        "no offence taken, honestly",
        "i meant no offence, sorry ms brooks",
        "with respect, im trying to help you",
        "our advisers deserve to be spoken to with respect",
        # going slowly for the customer
        "take it slowly, no rush",
        "ill read it again slowly for you",
        "shall i go through it slowly?",
        "let me say it slower",
        "just to check, is it the one from march?",
        # great / love stay polite
        "great, ill sort that now",
        "id love to help",
        # moaning lifted, real questions
        "nobody thinks youre moaning, its a fair complaint",
        "what will you use the letter for, so i pick the right one?",
        # a polite line that names blame to deny it
        "it wasnt anything you did, the update caused it",
    ],
)
def test_neg26ai_polite_uses_of_the_same_words_stay_polite(line):
    assert rude_kind(line) is None, line


@pytest.mark.parametrize(
    ("scenario", "state", "line", "polite"),
    [
        (
            "abusive-customer",
            "demands",
            "boo hoo mr walsh, do you want it sorted or not, i can end the call",
            "demands.1",
        ),
        (
            "phone-screen-refit",
            "wants_money",
            "i get its annoying but yelling at me wont get your money back any faster",
            "wants_money.1",
        ),
        (
            "webchat-fridge-year-four",
            "confused",
            "its all there in the message, just read it through again slowly",
            "confused.1",
        ),
        (
            "sar-by-phone",
            "not_recognised",
            "all of it? why would you even need all that",
            "not_recognised.1",
        ),
    ],
)
def test_neg26ai_a_rude_line_is_not_offered_or_taken_as_the_polite_option(
    scenario, state, line, polite
):
    m = _rendered_match(scenario, state, line)
    assert m.rude, m.as_json()
    assert polite not in _offered_ids(m), m.as_json()
    assert _taken(m) is None, m.as_json()


def test_neg26ai_a_hedged_put_down_is_the_rude_option_not_the_apology():
    """reasonable-adjustment: talking over Tom to his companion, hedged with "no offence", is the
    option that does so (discrimination, rude), never the apology that turns back to him."""
    m = _rendered_match(
        "reasonable-adjustment",
        "talks_to_companion",
        "no offence tom but its quicker if i just ask your mate, what does he want",
    )
    assert m.rude, m.as_json()
    assert "talks_to_companion.1" not in _offered_ids(m), m.as_json()
    assert _taken(m) is None, m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "not for us to pick, repair or new machine, free, which would you like",
        "its not up to me to pick, repair it or a new machine, free either way, which would you like",
    ],
)
def test_neg26ai_not_for_us_to_pick_gives_the_choice_it_does_not_impose_one(line):
    """washing-machine-day45: disclaiming the choice is the option that offers it; read
    literally, its negation covered the remedies it lists and contradicted that option."""
    m = _scenario_match("washing-machine-day45", "remedy_imposed", line)
    assert m.best.choice_id == "remedy_imposed.1", m.as_json()
    assert _taken(m) != "remedy_imposed.2", m.as_json()
    by_id = {r.choice_id: r for r in m.ranking}
    assert by_id["remedy_imposed.1"].contradicted == 0, m.as_json()


def test_neg26ai_it_is_for_us_to_pick_is_not_rewritten():
    """Only the negated form gives the choice away."""
    (c, *_rest) = meaning.clauses("its for us to pick, a repair first")
    assert "choice" not in c.content, c


@pytest.mark.parametrize(
    "line",
    [
        "fair enough, the terms cant take it off you, fixed version first then a price cut if it "
        "fails, what happened tuesday",
        "you're right, our terms can't take it off you, fixed version first and a price cut if that "
        "fails, so what went on tuesday",
    ],
)
def test_neg26ai_take_that_off_you_is_not_take_me_through_it(line):
    """app-update-damage: "can't take that off you" refuses removing the right, not the good
    option's "take me through Tuesday"; on main that option read contradicted and the one that
    says installs are final was offered or taken."""
    m = _scenario_match("app-update-damage", "terms_wall", line)
    assert m.best.choice_id == "terms_wall.1", m.as_json()
    assert _taken(m) != "terms_wall.2", m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "no need for you to pay for an engineer yourself, i can book our own to look at it free, "
        "is thursday any good",
        "you shouldnt have to pay an engineer urself, ill arrange ours to come out free, thursday ok?",
    ],
)
def test_neg26ai_freed_of_paying_yourself_is_not_a_no_to_the_speaker_doing_it(line):
    """webchat-fridge-year-four: the customer freed of paying for an engineer themselves, and
    the speaker booking theirs, is the option that takes it off them; on main the freed cost
    read as a no to "I can book our own engineer" and the option that leaves it with them was
    first."""
    m = _scenario_match("webchat-fridge-year-four", "own_report", line)
    assert m.best.choice_id == "own_report.1", m.as_json()
    by_id = {r.choice_id: r for r in m.ranking}
    assert by_id["own_report.1"].contradicted == 0, m.as_json()


# -- helper neg26an: sealed13's negations, role reversals and rude lines, as classes --------------
# Each class is tested on new phrasings, none of them sealed13's own; each failed on main before
# neg26an (the negation taken or ranked first, or the rude line read as polite: None).


@pytest.mark.parametrize(
    "line",
    [
        "u wont have to wait for the trace, ill send a replacement today signed for, any day u "
        "like, and trace the lost one",
        "no need to wait on the trace, we'll send a replacement out today, signed for, and still "
        "trace the first",
        "u dont need to wait for their trace, ill send u a new cot today, signed for, whatever "
        "day suits",
        "you dont have to wait on the trace, i'll send a new one today, signed for, and we'll "
        "trace the first one too",
    ],
)
def test_neg26an_freed_wait_with_the_act_taken_on_is_the_option_that_does_it(line):
    """courier-lost-cot: the customer freed of waiting for the trace while the speaker sends a
    replacement today is the option that does that (and traces the first one too), not the one
    that makes them wait for the trace. On main the freed wait read as refusing "trace" and
    counted against the good option's "and trace the first one", and the wait was taken."""
    m = _scenario_match("courier-lost-cot", "tracking", line)
    assert m.best.choice_id == "tracking.1", m.as_json()
    assert "tracking.2" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "sorted, no more marketing by email text or post, no need for you to click unsubscribe",
        # "needn't" and "without (you) having to" free the customer too
        "done, no more emails or texts or post at all, you needn't click unsubscribe anywhere",
        "all done, no more emails, texts or post, without you having to click unsubscribe",
    ],
)
def test_neg26an_freed_of_unsubscribing_is_not_the_option_that_asks_for_it(line):
    """correct-and-erase: stopping every kind of marketing, so the customer need not click
    unsubscribe, is the option that switches it all off, never the one that tells them to click
    unsubscribe. On main "at the foot of any of our emails" read "no X" (so that option agreed
    with the freed act), the option's list "emails, texts and post" read as claims that "no more
    post" denied, and "needn't" / "without you having to" freed no one."""
    m = _scenario_match("correct-and-erase", "marketing", line)
    assert _taken(m) != "marketing.3", m.as_json()
    assert m.best.choice_id == "marketing.1", m.as_json()


def test_neg26an_stopped_list_items_agree_with_no_more():
    """The bare items after a thing stopped are stopped too; a clause with a subject is not."""
    cl = meaning.clauses(
        "I've cancelled the newsletter, texts and calls, you'll get your bill as usual"
    )
    assert [c.negated for c in cl[:3]] == [True, True, True], cl
    assert not any(c.refuses for c in cl[:3]), cl
    assert not cl[-1].negated, cl


@pytest.mark.parametrize(
    "line", ["you needn't bring the receipt", "without having to bring the receipt, I'll find it"]
)
def test_neg26an_neednt_and_without_having_to_free_the_customer(line):
    c = meaning.clauses(line)[0]
    assert (c.negated, c.refuses, c.agent) == (True, True, "you"), c


def test_neg26an_any_of_after_a_preposition_is_no_negation():
    (c,) = meaning.clauses("click the link at the bottom of any of our emails")
    assert not c.negated, c
    (d,) = meaning.clauses("I should have checked before reading any of that out")
    assert d.negated, d  # a verb's "any": still the negation-like "any" it was


@pytest.mark.parametrize(
    "line",
    [
        "you dont have to find your own engineer, we'll send ours out to check it for free, does "
        "thursday work",
        "no need for you to get an engineer in, ill book ours to look at it for free, thursday?",
    ],
)
def test_neg26an_the_act_taken_on_for_free_is_still_taken_on(line):
    """webchat-fridge-year-four: "I'll book ours for free" is the speaker taking the act on
    ("free" says no charge and refuses nothing), so the freed act is no contradiction of the
    option that books their engineer. On main the "free" clause did not count as taken on."""
    m = _scenario_match("webchat-fridge-year-four", "own_report", line)
    assert m.best.choice_id == "own_report.1", m.as_json()
    by_id = {r.choice_id: r for r in m.ranking}
    assert by_id["own_report.1"].contradicted == 0, m.as_json()


@pytest.mark.parametrize(
    "line",
    [
        "we're not going to leave the laptop repair to you, we'll pay it, and a price cut up to the "
        "full price if the fix doesnt work",
        "i wont leave the 60 quid repair with you, thats on us, plus money off up to all of it if "
        "the patch fails",
        "we wont leave that repair bill on you, its ours, and if the fix fails you get money off, up "
        "to the full price",
        "im not going to leave the laptop repair on you, we pay it back, and if the fix fails theres "
        "money off up to the lot",
    ],
)
def test_neg26an_not_left_to_you_is_the_cost_taken_on(line):
    """app-update-damage: not leaving the repair to the customer says it isn't down to them,
    the option that pays it back, never the one that leaves it with them. On main it read as
    the speaker refusing the repair."""
    m = _scenario_match("app-update-damage", "remedy", line)
    assert m.best.choice_id == "remedy.1", m.as_json()
    assert "remedy.2" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # a rhetorical "why did you" at the customer
        ("if you didnt like the colour why did you order it", "blame"),
        ("why did you sign up for it then", "blame"),
        ("if u didnt need the extra data why did u agree to it", "blame"),
        ("why didnt you just read the terms before", "blame"),
        # disowning or minimising with "hardly"
        ("its hardly my problem the post was late", "dismissive"),
        ("thats hardly the shops fault is it", "dismissive"),
        ("its hardly rocket science, just press reset", "dismissive"),
        # "chill"
        ("just chill, its a parcel", "dismissive"),
        ("chill out mate, we'll get to it", "dismissive"),
        ("ok chill, no need to shout", "dismissive"),
        # an apology declared spent
        ("ive already apologised, what more do you want", "dismissive"),
        ("we already said sorry, dunno what else you expect", "dismissive"),
        ("what else do you want from me", "dismissive"),
        # "not exactly ... is it"
        ("its not exactly a fortune is it", "dismissive"),
        ("two days isnt exactly a long wait is it", "dismissive"),
        # the demand called too much
        ("bit rich asking for compensation on top isnt it", "dismissive"),
        ("a bit much to expect a free one as well", "dismissive"),
        ("ur being a bit cheeky now", "dismissive"),
    ],
)
def test_neg26an_classes_read_rude(line, kind):
    assert rude_kind(line) == kind, line


@pytest.mark.parametrize(
    "line",
    [
        "why did you decide to cancel, just so i can note it",
        "why didnt we ring you sooner, im so sorry",
        "its hardly your fault the letter went to the old address",
        "its hardly surprising youre upset",
        "put it on the chill setting for a day",
        "the chill drawer is covered under the warranty",
        "ive already said sorry but ill say it again, its not good enough",
        "i already apologised to your mum and ill ring her back today",
        "what else can i do for you today?",
        "its not exactly what you were promised, is it, im sorry",
        "thats not exactly right, let me check the date for you",
        "thats a bit much for anyone to deal with, im sorry",
        "it might take a little bit longer to arrive",
    ],
)
def test_neg26an_polite_lines_stay_polite(line):
    assert rude_kind(line) is None, line


# -- helper neg26at: rudeness without an insult, as classes with polite guards --------------------
# New phrasings of our own (none from the typed sets): passive-aggressive thanks, dry
# understatement, policy put where the person should be, "with respect" before a brush-off, and
# the thing itself minimised. Each class has lines that must stay polite beside it.


@pytest.mark.parametrize(
    "line",
    [
        # passive-aggressive thanks
        "thanks for the lecture, anything else",
        "cheers for the abuse, now what is it you want",
        "well thanks for nothing then",
        "ok thanks for sharing",
        "thank you for your input",
        # dry understatement
        "bit of a storm in a teacup this, isnt it",
        "its a late parcel, nobody died",
        "its not like anyone died over a wobbly table",
        "its a form, its not a matter of life and death",
        "you'll live mate",
        "please dont turn this into a whole drama",
        "youre making a mountain out of a molehill",
        # policy or powerlessness instead of the person
        "computer says no im afraid",
        "dunno what to tell u, i only work here",
        "refunds are above my pay grade",
        "we dont make the policies, take it up with head office",
        "policy is policy",
        "the fee is what it is",
        "thems the rules",
        "well theres nothing i can do about it",
        # "with respect" before a brush-off
        "with all due respect, thats not how this works",
        "with respect you need to calm down and let me speak",
        # the thing itself minimised
        "its only a few scratches on the lid, it still works",
        "thats just a splash of paint, itll wash off",
    ],
)
def test_neg26at_classes_read_rude(line):
    assert rude_kind(line) == "dismissive", line


@pytest.mark.parametrize(
    "line",
    [
        "thanks for your patience while i checked",
        "thanks for sharing the photos, that really helps",
        "thank you for the receipt",
        "the scratch isnt that deep, we can polish it out today",
        "im sorry, i know nobody died but its still a horrible thing to happen",
        "you'll live in the new flat from march, so ill update the address",
        "i dont make the rules, sorry, but ill ask my manager if theres any give",
        "unfortunately theres nothing i can do about the fee, but i can refund the delivery",
        "with respect to your refund, its on its way today",
        "with respect, im trying to help you",
        "its only a bit of paperwork, dont worry, ill fill it in for you",
        "its just a few questions so i can get it right",
    ],
)
def test_neg26at_polite_lines_stay_polite(line):
    assert rude_kind(line) is None, line


def test_neg26at_hiding_behind_the_rules_is_not_offered_the_polite_option():
    """A brush-off with no insult in it ("I don't make the rules, computer says no") shares the
    box refusal's words with the polite option; before neg26at it was offered that option."""
    m = _scenario_match(
        "faulty-toaster-day12", "box_refusal", "look i dont make the rules, computer says no"
    )
    assert "box_refusal.1" not in _offered_ids(m), m.as_json()
    assert m.decision != "accept", m.as_json()


# -- helper neg26aw: sealed14's never-failures, as classes with polite guards ---------------------
# New phrasings of our own (none from the typed sets): a reassurance that lifts the blame is
# never offered the blaming option; rude lines that minimise the loss, blame the customer's
# choice, jibe on parting, scold their tone or scorn their complaint read rude; a welcome "like
# everybody" is no queue. Each class has lines that must stay polite beside it.


@pytest.mark.parametrize(
    "line",
    [
        "honestly easy mistake to make, pictures never show the real size, ill sort it for you",
        "you werent to know how big it was from the photos, lets sort it out",
        "aw dont feel stupid, photos make everything look bigger, lets get your return done",
    ],
)
def test_neg26aw_a_reassurance_that_lifts_blame_is_never_offered_the_blaming_option(line):
    m = _scenario_match("online-return-changed-mind", "order_check", line)
    assert "order_check.3" not in _offered_ids(m), m.as_json()
    assert m.rude is None, m.as_json()


@pytest.mark.parametrize(
    ("line", "lifts"),
    [
        ("dont feel bad at all, it happens to the best of us", True),
        ("no need to say sorry, lets get it sorted", True),
        ("how were you to know, the label was wrong", True),
        ("honest mistake, ill swap it now", True),
        ("dont feel daft, but the size is listed on the page", False),
        ("the size is listed on the page", False),
        ("dont worry about it", False),
    ],
)
def test_neg26aw_lifts_blame(line, lifts):
    assert meaning.lifts_blame(line) is lifts, line


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # the loss or trouble minimised
        ("look its only a kettle, argos sell them for a tenner", "dismissive"),
        ("honestly its just a parcel, it'll turn up eventually", "dismissive"),
        ("two weeks without a washer isnt so bad in the grand scheme", "dismissive"),
        ("a missed delivery isnt all that bad tbh", "dismissive"),
        ("ah well, these things happen dont they", "dismissive"),
        ("stuff happens mate", "dismissive"),
        ("try not to get so worked up about a sofa", "dismissive"),
        # the customer's choice made the cause
        ("well thats what you sign up for when you go freelance", "blame"),
        ("thats sort of what you signed up for with a fixed contract", "blame"),
        ("it comes with the territory when you rent", "blame"),
        # a parting jibe
        ("here you go, try not to drop this one", "blame"),
        ("mind you dont lose the receipt again", "blame"),
        ("dont go leaving it on the hob again eh", "blame"),
        # the customer's tone scolded
        ("theres no need to raise your voice", "dismissive"),
        ("dont take that tone with me", "dismissive"),
        ("less of the attitude thanks", "dismissive"),
        ("watch your language", "dismissive"),
        # scorn for a complaint
        ("go ahead and complain all you like", "dismissive"),
        ("moan away, nobody upstairs is losing sleep over it", "dismissive"),
        ("cant imagine head office losing any sleep over one email", "dismissive"),
    ],
)
def test_neg26aw_classes_read_rude(line, kind):
    assert rude_kind(line) == kind, line


@pytest.mark.parametrize(
    "line",
    [
        "its only a quick form, ill help you fill it in",
        "its only a minute away from here",
        "its only an export, you'll have it in the hour",
        "im sorry, its only a cake but i know it mattered, ill get you a refund now",
        "the scuff on the door isnt that bad, we can polish it",
        "dont feel bad, these things happen to everyone",
        "these things happen, im so sorry, ill chase the depot now",
        "try not to worry, ill ring the depot right now",
        "ill try not to let it happen again",
        "we'll make sure it doesnt happen again",
        "you dont need to go through it all again",
        "dont hesitate to get in touch again",
        "please dont raise your voice, i do want to help",
        "thats not what you signed up for at all, im sorry",
        "nobody is saying its what you signed up for",
        "you can complain if you want, ill give you the reference now",
        "dont lose any sleep over it, ill sort it",
        "aw dont feel stupid, photos make everything look bigger",
        "thats not a stupid question at all",
        "you are welcome here, same as everyone else",
    ],
)
def test_neg26aw_polite_lines_stay_polite(line):
    assert rude_kind(line) is None, line


@pytest.mark.parametrize(
    ("scenario", "state", "line", "polite_option"),
    [
        (
            "late-delivery-recovery",
            "options_check",
            "look its only a cake, tesco will do you one this morning",
            "options_check.1",
        ),
        (
            "late-delivery-recovery",
            "false_hope",
            "ah well these things happen, try not to panic about it",
            "false_hope.1",
        ),
        (
            "faulty-toaster-day12",
            "refund_done",
            "there you go, mind you dont break this one",
            "refund_done.2",
        ),
    ],
)
def test_neg26aw_rude_lines_are_not_offered_the_polite_option(scenario, state, line, polite_option):
    m = _scenario_match(scenario, state, line)
    assert polite_option not in _offered_ids(m), m.as_json()
    assert m.rude is not None, m.as_json()


def test_neg26aw_a_welcome_like_everybody_is_no_queue():
    """A customer told "like everybody else" was told to wait their turn (neg26af); after a welcome it
    includes them, and the line means the option that says the rule is not for her."""
    m = _scenario_match(
        "headwear-rule",
        "detail",
        "its not a favour, youre welcome here like everybody else and the sign was never about hijabs",
    )
    assert m.rude is None, m.as_json()
    assert m.best.choice_id == "detail.1", m.as_json()


# -- helper neg26ba: a structural tone rule (policy.tone_offer), chosen leave-one-set-out ---------
# New phrasings of our own (none from the typed sets). Rule b: a warm line (an apology, thanks,
# sympathy, "let's" or a reassurance, with nothing taken back after it) that rude.py does not
# flag is never shown an option recording a mistake of tone (rude, blaming_customer, defensive).
# Rule d: beside a best option that records no mistake, no option recording one is shown.


def _shown_with_mistakes(m):
    return {
        r.choice_id: tuple(r.offered.choice.mistakes)
        for r in m.ranking
        if r.choice_id in _offered_ids(m)
    }


@pytest.mark.parametrize(
    ("scenario", "state", "line"),
    [
        (
            "faulty-toaster-day12",
            "restocking_fee",
            "nothing comes off when its faulty, you get all of it back",
        ),
        (
            "courier-lost-cot",
            "trace_wait",
            "no need to sit and wait for the trace, a new one goes out today and ill chase them",
        ),
        (
            "washing-machine-day45",
            "callout_charge",
            "there isnt any charge for the visit, this costs you nothing",
        ),
    ],
)
def test_neg26ba_no_mistake_is_shown_beside_a_sound_option(scenario, state, line):
    m = _scenario_match(scenario, state, line)
    shown = _shown_with_mistakes(m)
    assert shown and not any(shown.values()), m.as_json()


@pytest.mark.parametrize(
    ("scenario", "state", "line"),
    [
        ("headwear-rule", "closing", "really sorry, he's only just started here"),
        ("headwear-rule", "closing", "so sorry about that, hes brand new"),
    ],
)
def test_neg26ba_a_warm_line_is_never_shown_a_sharper_option(scenario, state, line):
    m = _scenario_match(scenario, state, line)
    assert m.rude is None, m.as_json()
    shown = _shown_with_mistakes(m)
    assert not any(TONE_MISTAKES.intersection(v) for v in shown.values()), m.as_json()
    assert m.decision != "accept", m.as_json()


@pytest.mark.parametrize(
    ("line", "is_warm"),
    [
        ("really sorry, that sounds horrible", True),
        ("thanks for bearing with me, ill sort it now", True),
        ("lets get this fixed for you today", True),
        ("dont feel bad at all, it happens to everyone", True),
        ("sorry, but the size was on the page", False),  # taken back
        ("thanks, though you should have read the terms", False),
        ("i cant apologise until its investigated", False),  # refused, not given
        ("i did say sorry, what more do you want", False),  # reported, not given
        ("ive already said sorry twice", False),
        ("can i see the receipt please", False),  # a request's courtesy, not warmth
    ],
)
def test_neg26ba_warmth_is_given_and_not_taken_back(line, is_warm):
    assert meaning.warm(line) is is_warm


def test_neg26ba_a_flagged_rude_line_still_finds_its_rude_option():
    """The rule is for lines rude.py does not flag: a rude line is still asked about the rude
    reply it means (and only that), so its rudeness is still counted."""
    m = _scenario_match(
        "abusive-customer", "opening", "stop shouting at me mate, its not my fault, what happened"
    )
    assert m.rude is not None, m.as_json()
    shown = _shown_with_mistakes(m)
    assert shown and all(
        TONE_MISTAKES.intersection(v) or "no_ownership" in v for v in shown.values()
    ), m.as_json()


def test_neg26ba_the_rules_cost_a_warm_refusal_is_not_shown_its_option(held):
    """The rule's measured cost (policy.py's docstring): a refusal said warmly ("…, sorry") that
    means the defensive option still reads closest to it, and still denies nothing it says (the
    negation rules are untouched), but it is not shown it: not understood, the options shown."""
    m = _in(
        held,
        "compensation-beyond-authority",
        "opening",
        "we don't pay compensation for lost earnings, sorry",
    )
    assert m.best.choice_id == "opening.3", m.as_json()
    assert (
        m.decision == "reject" and m.reason == "the closest option is sharper than what you wrote"
    ), m.as_json()


def _warm_tone_options():
    """Every option in the pack that records a mistake of tone yet reads warm (the item-writing
    rule makes many wrong options sound kind), with no template in its words."""
    from simulator.engine.loader import load_scenario

    out = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        if path.name.endswith(".test.yaml"):
            continue
        sc = load_scenario(path)
        if not sc.states or not any(st.choices for st in sc.states.values()):
            continue
        for name, st in sc.states.items():
            for i, ch in enumerate(st.choices):
                if (
                    TONE_MISTAKES.intersection(ch.mistakes)
                    and "{" not in ch.text
                    and meaning.warm(ch.text)
                ):
                    out.append(pytest.param(path.stem, name, i, id=f"{path.stem}-{name}.{i + 1}"))
    return out


@pytest.mark.parametrize(("scenario", "state", "index"), _warm_tone_options())
def test_a_warm_wrong_option_typed_word_for_word_is_that_option(scenario, state, index):
    """The tone rule holds back a sharper option from a warm line, but a learner who types a
    warm-sounding wrong option in its own words chose it (faulty-toaster opening.2, "Sorry to hear
    that, let's get it sorted. Can I see the receipt and the box first …", was "not understood"):
    it is taken or asked about as itself, so its mistake is counted."""
    from simulator.engine.loader import load_scenario

    st = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml").states[state]
    text = st.choices[index].text
    m = _scenario_match(scenario, state, text)
    assert m.decision != "reject" and m.best.offered.index == index, m.as_json()
    typo = text.replace("the ", "teh ", 1).lower().rstrip(".")
    m = _scenario_match(scenario, state, typo)
    assert m.decision != "reject" and m.best.offered.index == index, m.as_json()


def test_a_kind_options_words_with_an_insult_added_are_still_a_rude_line():
    """The own-words rule stands aside for a rude line: a long kind option typed with an insult
    tacked on shares over 80% of its words, but it is not taken as the kind option."""
    from simulator.engine.loader import load_scenario

    st = load_scenario(ROOT / "scenarios" / "faulty-toaster-day12.yaml").states["opening"]
    kind = next(ch for ch in st.choices if not ch.mistakes)
    m = _scenario_match("faulty-toaster-day12", "opening", kind.text + " you idiot")
    assert m.rude is not None, m.as_json()
    assert not (m.decision == "accept" and not m.best.offered.choice.mistakes), m.as_json()


# -- helper neg27a: a line that opens warmly and then turns is read on its turn clause -----------
# New phrasings of our own (none from the typed sets). sealed15's commonest miss: an apology or
# sympathy, then "but" / "that said" / "at the end of the day" / a new sentence, then a brush-off,
# a rule put in the person's way, a party blamed or the customer's own use questioned. The warm
# opening made it read closest to the polite option and rude.py let the apology lift it; the
# matcher now reads the turn clause alone for tone and meaning (ScenarioMatcher._turned). Polite
# turns (to an action, a need or more warmth) stay polite beside them.


@pytest.mark.parametrize(
    ("scenario", "state", "line", "polite"),
    [
        (
            "abusive-customer",
            "vents",
            "so sorry about the wasted days, honestly. that said the engineers arent our lot, "
            "theres not much we can do about their diary",
            ("vents.1", "vents.5"),
        ),
        (
            "laptop-month7",
            "details",
            "oh im sorry, thats stressful with a deadline. did it get knocked off a desk or have "
            "a coffee go over it? usually its that",
            ("details.1", "details.3"),
        ),
        (
            "headwear-rule",
            "opening",
            "really sorry about that. still, the sign says no headwear and its a security thing "
            "for the cameras",
            ("opening.1",),
        ),
        (
            "compensation-beyond-authority",
            "opening",
            "sorry mr hughes, i get it, however lost wages just arent something our terms cover "
            "for anyone",
            ("opening.1",),
        ),
        (
            "courier-lost-cot",
            "opening",
            "im sorry, that must be a pain, but honestly its only a cot, theyre ten a penny",
            ("opening.1", "opening.2"),
        ),
        (
            "faulty-toaster-day12",
            "opening",
            "sorry its playing up. at the end of the day though faults are the makers problem, "
            "ring their helpline",
            ("opening.1",),
        ),
    ],
)
def test_neg27a_a_warm_opening_that_turns_is_a_rude_line(scenario, state, line, polite):
    m = _scenario_match(scenario, state, line)
    assert m.rude is not None, m.as_json()
    assert not set(polite) & set(_offered_ids(m)), m.as_json()
    assert m.decision != "accept", m.as_json()


@pytest.mark.parametrize(
    ("scenario", "state", "line", "best"),
    [
        (
            "courier-lost-cot",
            "opening",
            "im sorry, its maddening, but let me pull the order up first and see where it went",
            "opening.2",
        ),
        (
            "headwear-rule",
            "opening",
            "so sorry, that should not have happened. are you alright, and how did he put it to "
            "you?",
            "opening.1",
        ),
        (
            "abusive-customer",
            "vents",
            "sorry, two days off for nothing is rubbish, but ill rebook you thursday, first slot "
            "i have",
            "vents.5",
        ),
        (
            "long-running-complaint",
            "silence_risk",
            "fair point, but no one else is passing this around now, im taking it on myself from "
            "here",
            None,
        ),
    ],
)
def test_neg27a_a_polite_turn_stays_polite(scenario, state, line, best):
    m = _scenario_match(scenario, state, line)
    assert m.rude is None, m.as_json()
    if best is not None:
        assert m.best.choice_id == best, m.as_json()
    assert not m.best.offered.choice.mistakes, m.as_json()


@pytest.mark.parametrize(
    ("line", "turn"),
    [
        ("sorry, i know, but at the end of the day its only a kettle", "its only a kettle"),
        ("sorry about that. has it been dropped at all?", "has it been dropped at all"),
        ("sorry, its just a kettle tho", "its just a kettle"),
        ("thanks for waiting. can i take your name", None),  # thanks: no sentence turn
        ("sorry, i misspoke. theres no fee at all", None),  # a correction, not a turn
        ("the kettle broke but we can swap it", None),  # no warm opening to turn from
    ],
)
def test_neg27a_turn_clause(line, turn):
    assert meaning.turn_clause(line) == turn


def test_neg27a_x_or_no_x_denies_nothing():
    """ "Receipt or no receipt" means whatever the receipt: it refused the receipt, and so
    contradicted the option that says "whatever the receipt says"."""
    cl = meaning.clauses("manager or no manager, regulars come first here")
    assert not any(c.negated or c.refuses for c in cl), cl


@pytest.mark.parametrize(
    "line",
    [
        "ah no thats horrible, im so sorry. ill put it right now, can i have ur full name, dob "
        "and email first",
        "sorry, that must be so stressful. ill sort it today, first though your name, date of "
        "birth and email please",
    ],
)
def test_neg27a_rule_m_no_cold_option_beside_a_sound_one(line):
    """Rule m (policy.tone_offer): beside a best option that records no mistake and costs no
    goodwill, no option that costs the customer's goodwill is shown, mistake or not ("Okay, no
    problem. Before we go any further ...", mood -5, beside the empathic verification)."""
    m = _scenario_match("correct-and-erase", "explains", line)
    assert m.best.choice_id == "explains.1", m.as_json()
    assert "explains.3" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("right, no need to get stroppy with me about it", "dismissive"),
        ("ok ok, no need to snap, what was the order", "dismissive"),
        ("dont take it personally, she talks to everyone like that", "dismissive"),
        ("phoning every hour wont make it arrive any sooner", "dismissive"),
        ("its been sent. if the post is slow cant do anything about it", "dismissive"),
        ("i still need to see the id, its policy", "dismissive"),
        ("theres other customers waiting, so be quick", "dismissive"),
        ("would be wise to back your photos up next time before an update", "blame"),
        ("sorry about the drum, its probably being overfilled though", "blame"),
    ],
)
def test_neg27a_classes_read_rude(line, kind):
    assert rude_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "please dont take it personally, he was out of order and ill speak to him today",
        "sorry, i cant do anything about it tonight, but ill ring the depot first thing",
        "its not that its been overloaded, it's a fault, ill book the engineer",
        "ill make sure its logged properly next time, that was on us",
        "no need to apologise, happy to help",
        "theres other people waiting but youre next and ill be two minutes",
    ],
)
def test_neg27a_polite_lines_stay_polite(line):
    assert rude_kind(line) is None


@pytest.mark.parametrize(
    ("line", "rude"),
    [
        ("it got sent to the wrong branch, easy mistake, these things happen", True),
        ("the form went to the old address by accident, it happens", True),
        ("easy mistake to make, dont worry about it", False),
        ("sorry, it went to the wrong address, these things happen but ill resend it now", False),
        ("come back in if it happens again", False),
    ],
)
def test_neg27a_the_speakers_own_slip_shrugged_off(line, rude):
    assert (rude_kind(line) is not None) is rude, rude_kind(line)


# -- helper neg27b: a turn to the speaker's own act; the customer's problem generalised away ------
# New phrasings of our own (none from the typed sets). sealed16's polite line that turned to
# "you dont need to pay anyone. ill book our own engineer" was read on its turn clause's first
# sentence alone and offered the buck-passing option; and seven rude lines that minimised the
# customer's problem with no turn word ("X don't last forever", "everyone's struggling", a
# colleague who "says that to everyone", "your clients can wait", a sneering hope, running down a
# colleague) were offered a polite option. Each is a class with a polite twin that stays polite.


@pytest.mark.parametrize(
    "line",
    [
        "sorry, thats a lot for you, but you dont have to pay for anything. ill arrange our "
        "engineer for thursday at no cost",
        "i know its a big ask, sorry, but you dont need to send anything over. ill book our "
        "engineer out free, is friday any good",
        "i hear you, but you wont need to get anyone out. ill arrange our engineer for free, "
        "thursday ok",
    ],
)
def test_neg27b_a_turn_that_relieves_and_commits_is_not_rude(line):
    m = _scenario_match("webchat-fridge-year-four", "own_report", line)
    assert m.rude is None, m.as_json()
    assert "own_report.2" not in _offered_ids(m), m.as_json()
    assert m.best.choice_id == "own_report.1", m.as_json()


@pytest.mark.parametrize(
    ("tail", "commits", "relieves"),
    [
        ("you dont need to post it. ill collect it from you tomorrow", True, True),
        ("let me check the order and ring you back", True, False),
        ("ill do it when i can", False, False),
        ("someone will look at it eventually", False, False),
        ("ill pass you over to the manufacturer", False, False),
        ("ill send you to the makers helpline", False, False),
        ("no need to shout at me", False, False),
        ("no need to fill the form in, its done", False, True),
    ],
)
def test_neg27b_commits_and_relieves(tail, commits, relieves):
    assert meaning.commits(tail) is commits
    assert meaning.relieves(tail) is relieves


def test_neg27b_a_vague_turn_still_means_the_sharper_option():
    m = _scenario_match(
        "webchat-fridge-year-four",
        "own_report",
        "sorry, its a lot, but ill get round to it when i get a chance, send the report over",
    )
    assert m.best.choice_id == "own_report.2", m.as_json()
    assert "own_report.1" not in _offered_ids(m), m.as_json()


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("look, freezers dont last forever do they", "dismissive"),
        ("nothing lasts forever mate, what did you expect from a cheap one", "dismissive"),
        ("well we're all feeling the pinch at the minute, so what are you after", "dismissive"),
        ("to be honest loads of people overfill them, big families especially", "dismissive"),
        ("i wouldnt worry, he talks like that to every customer", "dismissive"),
        ("right, but your customers can wait a few days surely", "dismissive"),
        ("well i hope the directors notice all my overtime", "dismissive"),
        ("hope it was worth it", "dismissive"),
        ("sorry about that, the girl downstairs hasnt got the foggiest. whats it doing", "blame"),
        ("the trainee doesnt have a clue about returns, whats the problem", "blame"),
        ("ah she only just joined, whats the issue then", "blame"),
        ("sorry, he only just started and hasnt a clue about returns", "blame"),
    ],
)
def test_neg27b_classes_read_rude(line, kind):
    assert rude_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "freezers dont last forever, but yours should have, ill send our engineer out",
        "i know everyones struggling right now, so let me see what support we can offer",
        "loads of people get caught by that, dont worry, ill reset it for you",
        "he talks like that to everyone and it isnt ok, im sorry, ill raise it with his manager",
        "the paperwork can wait, lets get your refund done first",
        "plenty of people forget that, dont worry about it",
        "i know your customers cant wait, so ill get you a loan laptop today",
        "i hope the engineer sorts it on thursday for you",
        "she only just joined, so thats on me for not checking, let me look at it now",
        "i havent got a clue what went wrong there, so let me find out for you",
        "the courier hasnt got a clue where it is, so ill chase them myself today",
        "so sorry, she only just joined this week",
    ],
)
def test_neg27b_polite_twins_stay_polite(line):
    assert rude_kind(line) is None


@pytest.mark.parametrize(
    ("scenario", "state", "line", "polite"),
    [
        (
            "webchat-fridge-year-four",
            "story",
            "look, freezers dont last forever do they",
            ("story.1",),
        ),
        (
            "broadband-hardship",
            "story",
            "well we're all feeling the pinch at the minute, so what are you after",
            ("story.1", "story.3"),
        ),
        (
            "laptop-month7",
            "deadline_need",
            "right, but your customers can wait a few days surely",
            ("deadline_need.1",),
        ),
        (
            "laptop-month7",
            "opening",
            "sorry about that, the girl downstairs hasnt got the foggiest. whats it doing",
            ("opening.1",),
        ),
        (
            "headwear-rule",
            "manager",
            "i wouldnt worry, he talks like that to every customer",
            ("manager.1",),
        ),
    ],
)
def test_neg27b_rude_lines_are_not_offered_the_polite_option(scenario, state, line, polite):
    m = _scenario_match(scenario, state, line)
    assert m.rude is not None, m.as_json()
    assert not set(polite) & set(_offered_ids(m)), m.as_json()


# -- helper neg27c: a structural guard on acceptance (negation / role scope not mirrored) -------
# New phrasings of our own (none from the typed sets). sealed17 accepted two lines as the very
# option they negate ("ill do the explaining to mark, not you"; "you dont have to prove
# anything, ... its on us to show it wasnt there"): the clause rules did not parse them. The
# guard (meaning.unmirrored) asks instead of taking whenever the line says no to, or gives to
# the speaker rather than the other party, something the option says without mirroring it.


@pytest.mark.parametrize(
    ("scenario", "state", "line", "negated"),
    [
        (
            "faulty-toaster-day12",
            "supervisor_called",
            "ill tell dan what happened, not you",
            "supervisor_called.2",
        ),
        (
            "faulty-toaster-day12",
            "supervisor_called",
            "dan can hear what happened from me, not you",
            "supervisor_called.2",
        ),
        (
            "app-update-damage",
            "transferred",
            "leon can take it in my words, not yours",
            "transferred.2",
        ),
        (
            "phone-screen-refit",
            "manager_called",
            "mark can hear it from me, not you",
            "manager_called.2",
        ),
        (
            "washing-machine-day45",
            "prove_demand",
            "fair enough, you shouldnt have to show anything, in the first six months we have to "
            "show it wasnt there from the start",
            "prove_demand.2",
        ),
    ],
)
def test_neg27c_an_unmirrored_negation_or_role_is_never_taken(scenario, state, line, negated):
    m = _scenario_match(scenario, state, line)
    assert not (m.decision == "accept" and m.best.choice_id == negated), m.as_json()


@pytest.mark.parametrize(
    ("scenario", "state", "line", "best"),
    [
        # the option mirrors the negation, takes on what the line frees them of, or the
        # negation is aimed at another option: still taken
        (
            "webchat-fridge-year-four",
            "own_report",
            "you dont need to get an engineer yourself, ill book ours to check it for free",
            "own_report.1",
        ),
        (
            "faulty-toaster-day12",
            "supervisor_called",
            "no you dont need to tell dan it all again, ill fill him in myself",
            "supervisor_called.1",
        ),
    ],
)
def test_neg27c_a_mirrored_negation_is_still_taken(scenario, state, line, best):
    m = _scenario_match(scenario, state, line)
    assert m.decision == "accept" and m.best.choice_id == best, m.as_json()


def _neg27c_close(a, b):
    from simulator.matching.charsim import cosine, grams

    def unit(t):
        g = grams(t)
        norm = sum(v * v for v in g.values()) ** 0.5 or 1.0
        return {k: v / norm for k, v in g.items()}

    return cosine(unit(a), unit(b))


@pytest.mark.parametrize(
    ("line", "option", "unmirrored"),
    [
        (
            "we wont charge for the callout, the engineer is booked",
            "We charge £60 for the callout.",
            True,
        ),
        (
            "we wont charge for the callout, the engineer is booked",
            "There's no charge for the callout.",
            False,
        ),
        ("we dont take it back if its been opened", "We only take it back unopened.", False),
        ("ill ring the courier myself, not you", "You'll need to ring the courier.", True),
        ("ill ring the courier myself, not you", "I'll ring the courier myself today.", False),
        # "not yours" after a piece that is not the speaker's: no actor contrast
        ("sorry, theyre our problem not yours", "You ring them.", False),
    ],
)
def test_neg27c_unmirrored_reads_scope_and_actor(line, option, unmirrored):
    opt = meaning.clauses(option)
    assert meaning.unmirrored(line, meaning.clauses(line), opt, _neg27c_close) is unmirrored


# sealed17's polite explains line: it reports the rule kindly, then "that said, you dont need a
# solicitor or anything today, ... ill go through them". Two structural faults offered it the
# hand-off option (explains.4): "or anything" was split off as a second refusal (of "anything",
# contradicting the sound option's "I can't confirm anything"), and the turn reading took a turn
# that frees the customer and goes on to the speaker's own act for a turn against them.


@pytest.mark.parametrize(
    ("line", "texts"),
    [
        ("you dont need a solicitor or anything today", ["you dont need a solicitor today"]),
        ("you wont need a letter or something like that", ["you wont need a letter"]),
        ("anything else you need", ["anything else you need"]),
        ("or anything else you need", ["anything else you need"]),
    ],
)
def test_neg27c_a_vague_extender_is_no_clause(line, texts):
    assert [c.text for c in meaning.clauses(line)] == texts


def test_neg27c_a_turn_that_relieves_then_acts_is_not_a_rude_line():
    m = _scenario_match(
        "relative-asks-about-account",
        "explains",
        "thats kind of you, sorry its a worry. we cant look at her account without her say so. "
        "that said you dont need a lawyer or anything, there are easy ways round it and ill talk "
        "you through them",
    )
    assert m.rude is None, m.as_json()
    assert "explains.4" not in _offered_ids(m), m.as_json()


# neg27c rude.py classes (sealed17's rude lines offered a polite option), new phrasings, each with
# polite twins that stay polite.


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("cheers for all the warning, tomorrow morning, perfect", "dismissive"),
        ("thank you very much for the heads up, monday 9am, fantastic", "dismissive"),
        ("honestly this is a complete waste of my time, what do you want", "dismissive"),
        ("to be fair i did tell you it might leak a bit at first", "blame"),
        ("like we told you at the time, it needs a day to settle", "blame"),
        ("with all due respect, nobody else has complained, youre the only one", "dismissive"),
        ("sorry but being a bit scratched isnt a good reason for a replacement", "dismissive"),
    ],
)
def test_neg27c_classes_read_rude(line, kind):
    assert rude_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "thanks for the heads up, tomorrow is tight but ill get it done",
        "thanks so much for the notice, that gives us time to plan",
        "its never a waste of your time to ask us, go on",
        "to be fair, you did warn us about the leak, sorry",
        "with respect to your refund, youre the only one who can approve it on your side",
        "that isnt a reason to worry, its covered",
    ],
)
def test_neg27c_polite_twins_stay_polite(line):
    assert rude_kind(line) is None
