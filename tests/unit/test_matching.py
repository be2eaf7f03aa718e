"""Typed replies: cleaning, the rude detector, the decision policy, matching, routing, records.

Runs the real matcher (wordllama's packaged model, nothing downloaded) on a fixture written for
typing and on the shipped pack.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.loader import check_bytes, load_scenario
from simulator.engine.session import Runtime
from simulator.matching.clean import MAX_TYPED, as_number, clean_typed
from simulator.matching.policy import TypingPolicy
from simulator.matching.replies import ASK, NOT_UNDERSTOOD, PICK, ROUTED, TAKE, TypedReplies
from simulator.matching.rude import rude_kind

ROOT = Path(__file__).resolve().parents[2]
TYPED = ROOT / "tests" / "fixtures" / "typed-kettle.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(TYPED)


def session_at(scenario, *choices):
    s = Runtime(scenario).new_session(seed=1)
    for c in choices:
        s.choose_id(c)
    return s


# -- untrusted input ---------------------------------------------------------------------------
def test_typed_text_is_capped_and_stripped_of_control_sequences():
    raw = "sorry\x1b[2J\x1b]0;pwned\x07 about\r\nthat\x00" + "x" * 5000
    cleaned = clean_typed(raw)
    assert "\x1b" not in cleaned and "\x00" not in cleaned and "\n" not in cleaned
    assert cleaned.startswith("sorry about that")
    assert len(cleaned) <= MAX_TYPED


def test_markup_is_kept_as_text_not_interpreted():
    assert clean_typed("[@click=app.quit]hi[/]") == "[@click=app.quit]hi[/]"


def test_a_bare_number_picks_only_ascii_digits_in_range():
    assert as_number("2", 3) == 2
    assert as_number(" 3. ", 3) == 3
    assert as_number("4", 3) is None
    assert as_number("²", 3) is None
    assert as_number("2 please", 3) is None


# -- rudeness ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "not my problem mate",
        "calm down love",
        "that's your own fault",
        "whatever",
        "shut up and listen",
        "you should have read the instructions",
    ],
)
def test_rude_blaming_and_dismissive_lines_are_flagged(line):
    assert rude_kind(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "it's not your fault at all",
        "you can cancel within 14 days, whatever the reason",
        "I'm sorry, that's not good enough from us",
        "let me deal with it for you",
    ],
)
def test_polite_lines_with_the_same_words_are_not_flagged(line):
    assert rude_kind(line) is None


# -- the decision ------------------------------------------------------------------------------
def test_policy_needs_both_the_threshold_and_the_margin():
    p = TypingPolicy(threshold=0.3, margin=0.1, floor=0.1)
    assert p.decide(0.5, 0.2)[0] == "accept"
    assert p.decide(0.5, 0.45) == ("confirm", "close to another option")
    assert p.decide(0.2, 0.0) == ("confirm", "weak score")
    assert p.decide(0.05, 0.0)[0] == "reject"
    assert p.decide(None, None)[0] == "reject"


def test_a_scenario_tunes_the_policy_with_typing(tmp_path):
    raw = TYPED.read_bytes().replace(b"threshold: 0.30", b"threshold: 0.9")
    sc = check_bytes(raw, "t.yaml").scenario
    assert TypingPolicy.for_scenario(sc).threshold == 0.9
    assert TypingPolicy.for_scenario(sc).margin == 0.16


# -- matching and the session flow ---------------------------------------------------------------
def test_a_paraphrase_is_taken_and_recorded_with_what_was_typed(scenario):
    s = session_at(scenario)
    replies = TypedReplies(s)
    reply = replies.interpret("so sorry it broke on you, what happened?")
    assert reply.kind == TAKE and reply.option.choice_id == "opening.1"
    step = replies.take(reply)
    assert s.state == "heard"
    typed = step.turn["typed"]
    assert typed["text"] == "so sorry it broke on you, what happened?"
    assert typed["confirmed"] is False and typed["via"] == "match"
    assert 0 < typed["score"] <= 1
    assert s.transcript()["turns"][0]["typed"] == typed


def test_a_misspelt_line_still_finds_its_option(scenario):
    replies = TypedReplies(session_at(scenario))
    reply = replies.interpret("have you got the reciept")
    assert reply.kind in (TAKE, ASK)
    option = reply.option or reply.suggestions[0]
    assert option.choice_id == "opening.2"


def test_off_topic_is_not_understood_and_the_customer_reacts(scenario):
    s = session_at(scenario)
    replies = TypedReplies(s)
    reply = replies.interpret("what time does the car park close")
    assert reply.kind == NOT_UNDERSTOOD
    assert reply.reaction == "Sorry, love, I don't follow. Can you help me or not?"
    assert s.state == "opening" and s.turns == []


def test_a_rude_line_is_routed_not_rewarded(scenario):
    s = session_at(scenario)
    replies = TypedReplies(s)
    reply = replies.interpret("oh calm down, it's only a kettle")
    assert reply.kind == ROUTED and reply.option.choice_id == "opening.3"
    step = replies.take(reply)
    assert step.turn["typed"]["via"] == "rude"
    assert s.state == "walks_out"


def test_without_a_route_a_rude_line_takes_nothing(scenario):
    s = session_at(scenario, "opening.1")  # 'heard' has no on_unmatched
    reply = TypedReplies(s).interpret("sorry but that's your problem")
    assert reply.kind == NOT_UNDERSTOOD
    assert reply.reaction == "There's no need to talk to me like that."


def test_lines_not_understood_are_kept_on_the_next_typed_turn(scenario):
    s = session_at(scenario)
    replies = TypedReplies(s)
    replies.interpret("blue cheese")
    step = replies.take(replies.interpret("1"))
    assert step.turn["unmatched"] == [{"text": "blue cheese", "reason": "no option is close"}]
    assert "typed" not in step.turn  # a bare number is a pick, not a typed reply


def test_a_number_still_picks(scenario):
    replies = TypedReplies(session_at(scenario))
    reply = replies.interpret("2")
    assert reply.kind == PICK and reply.option.choice_id == "opening.2"


def test_only_options_on_offer_now_are_matched():
    raw = TYPED.read_bytes().replace(
        b"goto: receipt\n", b'goto: receipt\n        if: "mood > 90"\n'
    )
    sc = check_bytes(raw, "gated.yaml").scenario
    reply = TypedReplies(Runtime(sc).new_session(seed=1)).interpret(
        "do you have your receipt with you"
    )
    ranked = [r.choice_id for r in reply.match.ranking]
    assert "opening.2" not in ranked


# -- format checks --------------------------------------------------------------------------------
def _diags(raw: bytes):
    return [(d.severity, d.message) for d in check_bytes(raw, "t.yaml", build=False).diagnostics]


def test_typing_values_out_of_range_are_errors():
    raw = TYPED.read_bytes().replace(b"threshold: 0.30", b"threshold: 3")
    assert any(s == "error" and "typing threshold" in m for s, m in _diags(raw))


def test_on_unmatched_rude_must_name_a_choice_of_the_state():
    raw = TYPED.read_bytes().replace(b"rude: opening.3", b"rude: opening.9")
    assert any(s == "error" and "on_unmatched rude names no choice" in m for s, m in _diags(raw))


def test_a_typing_scenario_warns_about_choices_with_few_examples():
    raw = TYPED.read_bytes().replace(b'          - "I\'ll refund you in full"\n', b"")
    assert any(s == "warning" and "heard.1 has 2 example(s)" in m for s, m in _diags(raw))


def test_lint_warns_when_an_example_reads_as_another_option(tmp_path):
    from simulator.matching.lint import confusable_examples

    raw = TYPED.read_bytes().replace(
        b'          - "do you have your receipt with you"\n',
        b'          - "so sorry about that, what went wrong with it?"\n',
    )
    path = tmp_path / "confused.yaml"
    path.write_bytes(raw)
    warnings = confusable_examples(load_scenario(path))
    assert any(
        "of opening.2 reads more like opening.1" in d.message and d.severity == "warning"
        for d in warnings
    )
    assert confusable_examples(load_scenario(TYPED)) == []


def test_without_the_model_matching_falls_back_to_the_character_score(scenario, monkeypatch):
    from simulator.matching import embedder
    from simulator.matching.matcher import ScenarioMatcher

    monkeypatch.setattr(embedder, "_model", None)
    monkeypatch.setattr(embedder, "_failed", "ImportError: no wordllama")
    assert not embedder.available()
    s = session_at(scenario)
    match = ScenarioMatcher(scenario).match("have you got your receipt", s.offered())
    assert match.best.choice_id == "opening.2"


def test_a_typed_turn_is_saved_through_the_attempt_service(tmp_path):
    from simulator.attempt import Attempt
    from simulator.store import Store

    with Store(tmp_path / "ct.db") as store:
        a = Attempt(TYPED, learner="sam", store=store, seed=1)
        a.load()
        a.start()
        assert a.understand("blue cheese").kind == NOT_UNDERSTOOD
        reply = a.understand("the paper slip")
        assert reply.kind == ASK
        a.choose_typed(reply, reply.suggestions[0], confirmed=True)
        a.choose_typed(a.understand("thanks, I'll refund it"))
        assert a.ended
        rows = store.choice_records(learner="sam")
        first = rows[0][4]
        assert first["typed"] == {
            "text": "the paper slip",
            "score": first["typed"]["score"],
            "confirmed": True,
            "via": "match",
        }
        assert first["unmatched"] == [{"text": "blue cheese", "reason": "no option is close"}]
        finished = store.attempt(a.attempt_id).transcript
        assert finished["turns"][1]["typed"]["text"] == "thanks, I'll refund it"


def test_without_a_route_a_rude_line_costs_mood_and_is_recorded_as_a_mistake(scenario):
    s = session_at(scenario, "opening.1")  # 'heard' has no on_unmatched and no rude option
    replies = TypedReplies(s)
    before = s.mood
    reply = replies.interpret("calm down, no need to get worked up")
    assert reply.kind == NOT_UNDERSTOOD and reply.mistake == "rude"
    assert s.mood == before - 10
    step = replies.take(replies.interpret("1"))
    (miss,) = step.turn["unmatched"]
    assert miss["mistake"] == "rude" and miss["mood"] == -10
    assert miss["text"] == "calm down, no need to get worked up"


# Issue 31 item 5: look-alikes and invisible characters are cleaned before the rudeness check
# and the matching, and what is stored is the cleaned text that was shown.
DISGUISES = {
    "cyrillic": "that's yоur own fаult",  # о, а
    "greek": "that's yοur οwn fault",  # ο
    "dotless i": "ѕtupıd",
    "soft hyphen": "stu\u00adpid",
    "word joiner": "stu\u2060pid",
    "bom": "stu\ufeffpid",
    "tags": "stu\U000e0041\U000e0042pid",
    "mongolian vowel separator": "stu\u180epid",
    "combining grapheme joiner": "stu\u034fpid",
    "full width": "ｓｔｕｐｉｄ",
}


@pytest.mark.parametrize("name", sorted(DISGUISES))
def test_a_disguised_rude_line_is_still_rude(name):
    text = clean_typed(DISGUISES[name])
    assert text.isascii(), (name, text)
    assert rude_kind(text) is not None, (name, text)


def test_a_disguised_rude_line_is_not_taken_and_stored_clean(scenario):
    s = session_at(scenario, "opening.1")
    replies = TypedReplies(s)
    reply = replies.interpret("sorry, that's yоur own fаult\u00ad\u2060\ufeff")
    assert reply.kind == NOT_UNDERSTOOD and reply.mistake == "rude"
    step = replies.take(replies.interpret("1"))
    assert step.turn["unmatched"][0]["text"] == "sorry, that's your own fault"


def test_the_per_line_character_cache_is_bounded(scenario):
    from simulator.matching import matcher as matcher_mod

    m = matcher_mod.ScenarioMatcher(scenario)
    offered = session_at(scenario).offered()
    for i in range(matcher_mod.CHAR_CACHE_MAX + 500):
        m._char_vec(f"line number {i} about a kettle")
    m.match("so sorry about that, what happened?", offered)
    assert len(m._char) <= matcher_mod.CHAR_CACHE_MAX
    assert len(m._clauses) <= matcher_mod.CHAR_CACHE_MAX
