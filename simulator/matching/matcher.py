"""Rank the options on offer now against a typed line, and decide.

An option's score is the best, over its phrases (its text as rendered now, then its examples),
of a hybrid similarity: EMBED_WEIGHT × word-embedding cosine + (1 − EMBED_WEIGHT) × character
n-gram TF-IDF cosine. The embedding knows paraphrase ("money back" ~ "refund"); the character
score knows misspellings ("reciept"). Measured on the pack (benchmarks/bench_matching.py), the
hybrid beats either alone, and rapidfuzz's token-set ratio, which scores unrelated lines high.

One `ScenarioMatcher` per scenario (cached): its TF-IDF is fitted on the scenario's phrases and
its examples are embedded once, in one batch, the first time it is used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import embedder, meaning
from .charsim import CharTfidf, cosine
from .clean import clean_typed
from .policy import ACCEPT, CONFIRM, REJECT, TypingPolicy, tone_offer
from .rude import rude_kind

EMBED_WEIGHT = 0.3
"""Share of the embedding cosine in the hybrid score (the rest is the character score)."""

RUDE_SAFE_MISTAKES = frozenset(
    {"rude", "blaming_customer", "defensive", "no_ownership", "discrimination"}
)
"""An option carrying one of these may be taken for a rude line: it is itself the rude reply."""

RUDE_TONE_MISTAKES = frozenset({"rude"})
"""An option carrying one of these is rude in tone: never offered for a polite line."""

SHARP_MISTAKES = frozenset({"defensive", "blaming_customer"})
"""An option carrying one of these pushes back on the customer ("please don't swear at me, or
I'll end the call"): a polite line is offered one only when it is the closest of all, never as
the runner-up to an apology it merely shares "I'm sorry, Mr Walsh" with."""

BLAME_MISTAKES = frozenset({"blaming_customer"})
"""An option carrying one of these blames the customer: never offered for a line that lifts the
blame from them ("don't feel silly, it's hard to tell from photos": `meaning.lifts_blame`)."""

TURN_READING = "tone+meaning"
"""How a line that opens warmly and then turns is read on its turn clause (meaning.turn_clause):
"off", "tone" (rude.py on the turn clause alone) or "tone+meaning" (also: the turn clause's
closest option records a mistake of tone or ownership). See `_turned` (neg27a)."""

CONTRA_WEIGHT = 1.0
"""How much of a contradiction (0..1, see meaning.py) comes off the option's score."""

CHAR_CACHE_MAX = 4096
"""Character vectors kept per scenario (least recently used dropped): the scenario's own phrases
and the latest typed lines, never every line a long session or a hostile client sends."""


def rude_tone(offered: Any, routed: frozenset[str] = frozenset()) -> bool:
    """Is this option itself rude, blaming or dismissive in what it says? Given `routed`, also
    the option a state routes rude typed lines to (`on_unmatched: {rude: ...}`): the scenario
    names it the rude reply, which `match` never takes for a plain line unasked, whatever its
    mark. abusive-customer opening.3 ("Don't shout at me, mate ...") is marked `defensive`, not
    `rude`, for grading (moderation26.md case 1); the mark no longer carries its tone."""
    return (
        bool(RUDE_TONE_MISTAKES.intersection(offered.choice.mistakes))
        or bool(rude_kind(offered.text))
        or offered.choice_id in routed
    )


def routed_rude(scenario: Any) -> frozenset[str]:
    """The options the scenario's states route rude typed lines to (`on_unmatched.rude`)."""
    return frozenset(
        st.on_unmatched.rude
        for st in scenario.states.values()
        if st.on_unmatched is not None and st.on_unmatched.rude
    )


@dataclass(frozen=True)
class Ranked:
    offered: Any  # simulator.engine.session.Offered
    score: float
    contradicted: float = 0.0  # how strongly the line contradicts this option (meaning.py)

    @property
    def choice_id(self) -> str:
        return str(self.offered.choice_id)

    @property
    def number(self) -> int:
        return int(self.offered.number)


@dataclass(frozen=True)
class Match:
    """How one typed line was understood in one state."""

    text: str  # the cleaned line
    decision: str  # accept | confirm | reject
    reason: str
    ranking: tuple[Ranked, ...]  # best first
    rude: str | None = None  # 'blame' | 'dismissive' | 'insult' when the line reads so
    eligible: int | None = None  # how many of the ranking (from the top) fit the line's tone

    @property
    def best(self) -> Ranked | None:
        return self.ranking[0] if self.ranking else None

    @property
    def suggestions(self) -> tuple[Ranked, ...]:
        """The one or two options to offer in "Did you mean …?"."""
        fits = self.ranking if self.eligible is None else self.ranking[: self.eligible]
        if not fits:
            return ()
        if len(fits) > 1 and self.reason == "close to another option":
            return fits[:2]
        return fits[:1]

    def as_json(self) -> dict[str, Any]:
        best = self.best
        return {
            "text": self.text,
            "decision": self.decision,
            "choice": best.choice_id if best is not None and self.decision != REJECT else None,
            "reason": self.reason,
            "rude": self.rude,
            "ranking": [
                {"choice": r.choice_id, "number": r.number, "score": round(r.score, 3)}
                for r in self.ranking
            ],
        }


class ScenarioMatcher:
    """A scenario's phrases, vectorised once; `match()` ranks the options offered now."""

    def __init__(
        self, scenario: Any, *, use_examples: bool = True, policy: TypingPolicy | None = None
    ):
        self.scenario = scenario
        self.use_examples = use_examples
        # A scenario played from another language's string table (docs/i18n.md) is matched by
        # the character score alone: the word embeddings and the meaning rules (negation,
        # politeness, rudeness) know English only, and would score Welsh as noise.
        from simulator.engine.strings import lang_of

        self.english = lang_of(scenario) == "en"
        self.policy = policy or TypingPolicy.for_scenario(scenario)
        self._routed_rude = routed_rude(scenario)
        self._examples: dict[str, tuple[str, ...]] = {}
        corpus: list[str] = []
        for sid, st in scenario.states.items():
            for i, ch in enumerate(st.choices):
                cid = ch.id or f"{sid}.{i + 1}"
                ex = tuple(clean_typed(e) for e in ch.examples) if use_examples else ()
                self._examples[cid] = tuple(e for e in ex if e)
                corpus.append(ch.text)
                corpus.extend(self._examples[cid])
        self._tfidf = _tfidf_for(corpus)
        self._char: OrderedDict[str, dict[str, float]] = OrderedDict()
        self._clauses: OrderedDict[str, tuple[meaning.Clause, ...]] = OrderedDict()
        self._embedded = False
        self._lock = threading.Lock()

    # -- vectors -----------------------------------------------------------------------------
    def _char_vec(self, text: str) -> dict[str, float]:
        v = self._char.get(text)
        if v is None:
            v = self._char[text] = self._tfidf.vector(text)
            while len(self._char) > CHAR_CACHE_MAX:
                self._char.popitem(last=False)
        else:
            self._char.move_to_end(text)
        return v

    def _clauses_of(self, text: str) -> tuple[meaning.Clause, ...]:
        c = self._clauses.get(text)
        if c is None:
            c = self._clauses[text] = meaning.clauses(text)
            while len(self._clauses) > CHAR_CACHE_MAX:
                self._clauses.popitem(last=False)
        return c

    def _content_sim(self, a: str, b: str) -> float:
        """How close two clauses' contents are (character n-grams: quick, and robust to typos)."""
        return cosine(self._char_vec(a), self._char_vec(b))

    def contradiction(self, text: str, phrases: list[str]) -> float:
        """How strongly the line contradicts an option known by these phrases (alone)."""
        return self.contradictions(text, [phrases])[0]

    def contradictions(self, text: str, groups: list[list[str]]) -> list[float]:
        """How strongly the line contradicts each option on offer, known by its phrases (a
        refusal is weighed against all of them: see meaning.aimed)."""
        # At most 8 clauses: a counter reply has two or three; a line of "no, no, no, …" must
        # not cost tens of milliseconds.
        typed = tuple(c for c in self._clauses_of(text) if c.refuses or c.agent is not None)[:8]
        if not typed:
            return [0.0] * len(groups)
        # Against all the option's phrases at once: a clause its own example agrees with ("no
        # calls on your record") is not contradicted by another phrase ("I'll put that on
        # your record").
        pooled = [tuple(c for p in g for c in self._clauses_of(p)) for g in groups]
        return meaning.aimed([meaning.by_clause(typed, p, self._content_sim) for p in pooled])

    def prepare(self) -> None:
        """Embed every example of the scenario in one batch (and load the model if needed)."""
        with self._lock:
            if self._embedded or not self.english:
                return
            phrases = [e for ex in self._examples.values() for e in ex]
            if phrases:
                embedder.embed(phrases)
            self._embedded = True

    def phrases(self, offered: Any) -> list[str]:
        """The phrases an offered option is known by: its rendered text, then its examples."""
        return [offered.text, *self._examples.get(offered.choice_id, ())]

    # -- ranking -----------------------------------------------------------------------------
    def rank(self, text: str, offered: Any) -> list[Ranked]:
        """Offered options with their scores, best first (ties keep the offered order)."""
        if not offered or not text:
            return [Ranked(o, 0.0) for o in offered]
        self.prepare()
        groups = [self.phrases(o) for o in offered]
        flat = [p for g in groups for p in g]
        kept = self._kept(text) if self.english else None
        # With a refusal followed by what the learner will do ("I'm not sending it back to the
        # team, I'll raise the refund myself"), an option scores the better of the whole line
        # and the line without the refusal: what they will do decides, and the refused
        # hand-off's words ("the team that had it") lift no option above it.
        hybrid = self._hybrid([text, kept] if kept else [text], flat).max(axis=0)
        out, start = [], 0
        contras = self.contradictions(text, groups) if self.english else [0.0] * len(groups)
        for o, g, contra in zip(offered, groups, contras):
            base = float(hybrid[start : start + len(g)].max())
            out.append(Ranked(o, base - CONTRA_WEIGHT * contra, contra))
            start += len(g)
        out.sort(key=lambda r: -r.score)  # stable: ties keep file order
        return out

    def _hybrid(self, texts: list[str], flat: list[str]) -> np.ndarray:
        """The hybrid score of each typed text (rows) against each phrase (columns)."""
        phrase_char = [self._char_vec(p) for p in flat]
        char = np.array(
            [[cosine(tv, v) for v in phrase_char] for tv in map(self._char_vec, texts)],
            dtype=np.float32,
        )
        vecs = embedder.embed([*texts, *flat]) if self.english else None
        if vecs is None:
            return char
        emb: np.ndarray = np.clip(vecs[: len(texts)] @ vecs[len(texts) :].T, 0.0, 1.0)
        out: np.ndarray = EMBED_WEIGHT * emb + (1.0 - EMBED_WEIGHT) * char
        return out

    def _kept(self, text: str) -> str | None:
        """The line without its refused clauses, when a refusal is followed by something the
        line states ("not X, I'll Y", "not X, I'm sorry you waited"); None otherwise. A
        judgement ("two missed visits is not on", meaning._VERDICTS) is left out likewise: it
        says how the learner feels about X, and what they will do decides."""
        cl = self._clauses_of(text)
        first = next((i for i, c in enumerate(cl) if c.refuses or c.judges), None)
        if first is None or not any(c.asserted and not c.negated for c in cl[first + 1 :]):
            return None
        return " ".join(c.text for c in cl if not (c.refuses or c.judges))

    def _weak(
        self, text: str, offered: Any, fits: list[Ranked], decision: str, reason: str
    ) -> tuple[str, str, list[Ranked]]:
        """A weak match must hold without the line's courtesy: "im so sorry about that, what
        happened" scored 0.15 against "sorry im on tills, can you ask someone on the floor" on
        "sorry im" alone, and was offered the option that refuses to help. When the weak best is
        a mistake (Enter would commit it), the line is scored again on its clauses that say
        something (meaning.said); below the floor it is not understood, and otherwise the
        options it fits are offered in that order. A weak match to a sound option stays offered:
        taking it costs the learner nothing."""
        said = meaning.said(text)
        if not said or said == text:
            return decision, reason, fits
        again = {r.choice_id: r.score for r in self.rank(said, offered)}
        fits = sorted(fits, key=lambda r: -again.get(r.choice_id, 0.0))
        if not fits or again.get(fits[0].choice_id, 0.0) < self.policy.floor:
            return REJECT, "no option is close", fits
        return decision, reason, fits

    def _polite_fits(self, text: str, ranked: list[Ranked]) -> list[Ranked]:
        """The options a polite or apologetic line ("sorry", "I didn't mean it like that") may be
        offered: never a rude one, and a defensive or blaming one only when what that option is
        known for beyond its courtesy, its examples ("please dont speak to me like that"), fits
        the line clearly better (by the accept margin) than the best other option. Its full text
        opens as politely as the good one ("I'm sorry about the wait, Mr Walsh, and I understand
        you're angry. Please don't swear at me …"), so an apology that shares that opening and
        none of the pushback scored closest to it; "we don't pay for lost earnings, sorry" is
        the pushback, said politely, and keeps it. The mirror of the pushback rule in `match`."""
        fits = [r for r in ranked if not rude_tone(r.offered)]
        calm = [r for r in fits if not SHARP_MISTAKES.intersection(r.offered.choice.mistakes)]
        if not calm:
            return fits
        bar = calm[0].score + self.policy.margin
        return [r for r in fits if r in calm or self._beyond_courtesy(text, r) >= bar]

    def _offered_beside(self, text: str, fits: list[Ranked]) -> list[Ranked]:
        """The polite line's fits that may be offered: when the closest records no mistake, no
        runner-up that records one ("could you pay part of it today?" beside "what happened
        with the package?") unless that option's examples alone fit the line as well as the
        good option does. The two share their courteous opening, which is all the polite line
        shares with the mistake (neg26af: sealed5 and sealed11 each offered one). Only what is
        offered changes: the decision still weighs the runner-up's score, so a line between
        the two is still asked about, never taken unasked."""
        if not fits or fits[0].offered.choice.mistakes:
            return fits
        best = fits[0].score
        return [
            r
            for r in fits
            if not r.offered.choice.mistakes or self._beyond_courtesy(text, r) >= best
        ]

    def _turned(self, text: str, offered: Any) -> str | None:
        """A line that opens warmly and then turns ("im sorry, i know its annoying, but at the
        end of the day its just a cot") is as rude as what it turns to: its warm opening makes
        it read closest to the polite option, and rude.py, reading the whole line, lets the
        apology lift it. So the turn clause is read on its own, for tone (rude.py) and for
        meaning (its closest option records a mistake of tone or ownership); either makes the
        line a rude line ('blame' or 'dismissive'), never offered a polite option."""
        if TURN_READING == "off":
            return None
        tail = meaning.turn_clause(text)
        if tail is None:
            return None
        kind = rude_kind(tail)
        if kind or TURN_READING == "tone":
            return kind
        if meaning.turns_warm(tail) or meaning.owns(tail) or text.rstrip().endswith("?"):
            # "..., sorry. let's start again calmly", "..., but nobody else is chasing it, I'm
            # owning it myself": it turns to more warmth, or to taking it on; "..., sorry. thats
            # not your front door, do you know whose it is?" ends by asking, which leaves the
            # customer the say (the options' own warm questions are judged as before)
            return None
        cl = self._clauses_of(tail)
        # "..., that said, you dont need a solicitor, there are ways round it and ill talk you
        # through them": a turn that frees the customer (a refused act of theirs, parsed) and
        # goes on to an act of the speaker's own (a positive "I" clause, parsed) has not turned
        # against them, whatever verbs it uses; meaning.relieves / meaning.commits read the
        # same by word lists (neg27c, sealed17's polite explains line; free on all 18 sets).
        if any(c.agent == "you" and c.negated and c.refuses for c in cl) and any(
            c.agent == "me" and not c.negated and c.asserted for c in cl
        ):
            return None
        pieces = [tail]
        first = meaning.first_sentence(tail)
        if (
            first != tail
            and len(first.split()) >= 3
            and not meaning.relieves(tail)
            and not meaning.commits(tail)
        ):
            # "..., but you dont need to pay anyone. ill book our own engineer": a turn that frees
            # the customer of something or goes on to a concrete act of the speaker's own is read
            # whole, not on its first sentence alone, which names only what is spared and so sat
            # closest to the option that disowns it (neg27b; "ill do it when i can" and "ill pass
            # you to …" are no acts). Read whole, "it cant be done by phone … ill post the form
            # out" still means the option that says so and posts it.
            pieces.append(first)
        for piece in pieces:
            ranked = self.rank(piece, offered)
            if not ranked or ranked[0].contradicted or ranked[0].score < self.policy.floor:
                continue
            mistakes = RUDE_SAFE_MISTAKES.intersection(ranked[0].offered.choice.mistakes)
            if not mistakes:
                continue
            return "blame" if "blaming_customer" in mistakes else "dismissive"
        return None

    def _beyond_courtesy(self, text: str, r: Ranked) -> float:
        """An option's score on its examples alone (its text when it has none), less what the
        line contradicts in it."""
        examples = list(self._examples.get(r.choice_id, ())) or [r.offered.text]
        kept = self._kept(text) if self.english else None
        score = float(self._hybrid([text, kept] if kept else [text], examples).max())
        return score - CONTRA_WEIGHT * r.contradicted

    def match(self, typed: str, offered: Any) -> Match:
        """Rank, then decide. What the line means can only hold a decision back, never push
        one through: a contradicted option is asked about, not taken; a bare acknowledgement
        or a one- or two-word line is never taken without asking; a rude line is only taken
        as (or offered) an option that is itself the rude reply, and asked about, never taken;
        a polite line is never offered one that is rude in tone."""
        text = clean_typed(typed)
        ranked = self.rank(text, offered)
        if not text:
            return Match(text, REJECT, "empty line", tuple(ranked), None)
        rude = rude_kind(text) if self.english else None
        if not rude and self.english:
            rude = self._turned(text, offered)
        copied = [0.0 if r.contradicted else meaning.copies(r.offered.text, text) for r in ranked]
        closest = max(copied, default=0.0)
        first = ranked[copied.index(closest)] if closest and copied.count(closest) == 1 else None
        if first is not None and (
            not rude or RUDE_SAFE_MISTAKES.intersection(first.offered.choice.mistakes)
        ):
            # The option's own words (a learner who saw the options and typed one): taken as
            # that option whatever its tone, as picking it would be; its mistake is counted. An
            # insult added to a kind option's words is still a rude line, judged below.
            ranking = tuple([first] + [r for r in ranked if r is not first])
            return Match(text, ACCEPT, "the option's own words", ranking, rude, eligible=1)
        if rude:
            fits = [r for r in ranked if RUDE_SAFE_MISTAKES.intersection(r.offered.choice.mistakes)]
        elif self.english and meaning.polite(text):
            fits = self._polite_fits(text, ranked)
        else:
            fits = list(ranked)
        if not rude and self.english and meaning.lifts_blame(text):
            # The line lifts the blame ("don't feel silly", "no need to apologise"): the option
            # that lays it on them shares its reassurance ("Don't feel daft, … check how big next
            # time") and nothing else, so it is never offered (neg26aw).
            fits = [r for r in fits if not BLAME_MISTAKES.intersection(r.offered.choice.mistakes)]
        offer = (
            self._offered_beside(text, fits)
            if not rude and self.english and meaning.polite(text)
            else fits
        )
        ranking = tuple(offer + [r for r in ranked if r not in offer])  # the rest stay, last
        decision, reason = self.policy.decide(
            fits[0].score if fits else None, fits[1].score if len(fits) > 1 else None
        )
        if (
            decision == CONFIRM
            and reason == "weak score"
            and self.english
            and fits[0].offered.choice.mistakes
        ):
            decision, reason, fits = self._weak(text, offered, fits, decision, reason)
        if decision == ACCEPT and fits[0].contradicted > 0:
            decision, reason = CONFIRM, "the line says otherwise"
        elif (
            decision == ACCEPT
            and self.english
            and meaning.no_unshared(
                self._clauses_of(text),
                tuple(c for p in self.phrases(fits[0].offered) for c in self._clauses_of(p)),
                tuple(c for o in offered for p in self.phrases(o) for c in self._clauses_of(p)),
                self._content_sim,
            )
        ):
            # Polarity must agree to take a line unasked: a negation the clause rules do not
            # parse is asked about ("Did you mean …?"), never taken as the option it denies.
            decision, reason = CONFIRM, "your line says no to something this option does not"
        elif (
            decision == ACCEPT
            and self.english
            and meaning.unmirrored(
                text,
                self._clauses_of(text),
                tuple(c for p in self.phrases(fits[0].offered) for c in self._clauses_of(p)),
                self._content_sim,
            )
        ):
            # The structural guard (neg27c, issue 26; policy.py says why): a line that says no,
            # or gives an act to one party rather than the other, is taken unasked only as an
            # option that mirrors it; anything else is a guess, so it is asked about.
            decision, reason = CONFIRM, "your line says no to something this option does not"
        elif decision == ACCEPT and rude:
            # A rude line is asked about, never taken: its words are harsher than any option
            # ("that's your own fault" against "was it on the highest setting?"), so the learner
            # sees the reply it would be taken as; saying no still costs (replies.declined).
            decision = CONFIRM
        elif decision == ACCEPT and not rude and rude_tone(fits[0].offered, self._routed_rude):
            # A line with nothing rude in it is never taken as the rude reply unasked: "tell me
            # what happened" shares words with "Don't shout at me, mate… tell me what happened"
            # (the state's `on_unmatched.rude`, marked `defensive` since moderation26.md case 1).
            decision, reason = CONFIRM, "that option is sharper than what you wrote"
        if meaning.bare_acknowledgement(text):
            # "ok", "right", "mm" fit anything. Ask only about an option that itself opens
            # with the word ("Yes, you can …"); otherwise it is too short to tell.
            if decision != REJECT and meaning.opens_with(fits[0].offered.text, text):
                decision, reason = CONFIRM, "too short to be sure"
            else:
                decision, reason = REJECT, "too short to tell which option you mean"
        elif decision == ACCEPT and meaning.word_count(text) <= 2:
            decision, reason = CONFIRM, "too short to be sure"
        elif decision == ACCEPT and self.english and meaning.only_goodwill(text):
            decision, reason = CONFIRM, "too general to be sure"
        if rude:
            reason = f"reads as {'rude' if rude == 'insult' else rude}"
        eligible = len(offer)
        if (
            fits
            and not rude
            and (SHARP_MISTAKES | RUDE_TONE_MISTAKES).intersection(fits[0].offered.choice.mistakes)
        ):
            if not (self.english and meaning.polite(text)):
                # The line reads closest to a pushback ("you can but I can't stop you, they
                # take months"): ask about that, and offer no polite option beside it as an
                # equal alternative (the mirror of never offering a polite line the rude one).
                eligible = next(
                    (
                        i
                        for i, r in enumerate(fits)
                        if not (SHARP_MISTAKES | RUDE_TONE_MISTAKES).intersection(
                            r.offered.choice.mistakes
                        )
                    ),
                    len(fits),
                )
        if self.english and not rude and decision != REJECT:
            # The tone rule (policy.tone_offer, chosen by benchmarks/tone_policy_loso.py): a
            # warm line is never shown a sharper option, and no mistake is shown as the
            # alternative to a sound option.
            shown = (
                [ranking[0]]
                if decision == ACCEPT
                else list(Match(text, decision, reason, ranking, None, eligible).suggestions)
            )
            kept, best_held = tone_offer(shown, warm=meaning.warm(text))
            if not kept:
                decision, reason = REJECT, "the closest option is sharper than what you wrote"
            elif kept != shown:
                if best_held:
                    decision, reason = CONFIRM, "that option is sharper than what you wrote"
                ranking = tuple(kept + [r for r in ranking if r not in kept])
                eligible = len(kept)
        return Match(text, decision, reason, ranking, rude, eligible=eligible)


_cache: OrderedDict[tuple[int, str, bool], ScenarioMatcher] = OrderedDict()
_cache_lock = threading.Lock()
_fitted: OrderedDict[tuple[str, ...], CharTfidf] = OrderedDict()


def _tfidf_for(corpus: list[str]) -> CharTfidf:
    """The character TF-IDF fitted on exactly these phrases (fitting is the costly part of a
    matcher, and a fitted one never changes): a web process that loads the same scenario for
    each request builds a matcher per load, but fits each scenario's phrases once."""
    key = tuple(corpus)
    with _cache_lock:
        found = _fitted.get(key)
        if found is not None:
            _fitted.move_to_end(key)
            return found
    fitted = CharTfidf(corpus)
    with _cache_lock:
        _fitted[key] = fitted
        while len(_fitted) > 32:
            _fitted.popitem(last=False)
    return fitted


# A web process keeps every conversation of the pack, in each language it serves, matched at
# once: fewer than that and learners spread over the pack evict each other's matchers, and each
# eviction costs a refit on someone's next typed line. A matcher is a few hundred small vectors.
MATCHERS_KEPT = 64


def matcher_for(scenario: Any, *, use_examples: bool = True) -> ScenarioMatcher:
    """The cached matcher of a loaded scenario (one per scenario object and example setting)."""
    key = (id(scenario), scenario.content_hash, use_examples)
    with _cache_lock:
        m = _cache.get(key)
        if m is not None and m.scenario is scenario:
            _cache.move_to_end(key)
            return m
    m = ScenarioMatcher(scenario, use_examples=use_examples)
    with _cache_lock:
        _cache[key] = m
        while len(_cache) > MATCHERS_KEPT:
            _cache.popitem(last=False)
    return m


__all__ = ["ACCEPT", "CONFIRM", "REJECT", "Match", "Ranked", "ScenarioMatcher", "matcher_for"]
