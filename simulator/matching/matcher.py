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

from . import embedder
from .charsim import CharTfidf, cosine
from .clean import clean_typed
from .policy import ACCEPT, CONFIRM, REJECT, TypingPolicy
from .rude import rude_kind

EMBED_WEIGHT = 0.3
"""Share of the embedding cosine in the hybrid score (the rest is the character score)."""

RUDE_SAFE_MISTAKES = frozenset(
    {"rude", "blaming_customer", "defensive", "no_ownership", "discrimination"}
)
"""An option carrying one of these may be taken for a rude line: it is itself the rude reply."""


@dataclass(frozen=True)
class Ranked:
    offered: Any  # simulator.engine.session.Offered
    score: float

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

    @property
    def best(self) -> Ranked | None:
        return self.ranking[0] if self.ranking else None

    @property
    def suggestions(self) -> tuple[Ranked, ...]:
        """The one or two options to offer in "Did you mean …?"."""
        if not self.ranking:
            return ()
        if len(self.ranking) > 1 and self.reason == "close to another option":
            return self.ranking[:2]
        return self.ranking[:1]

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
        self.policy = policy or TypingPolicy.for_scenario(scenario)
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
        self._char: dict[str, dict[str, float]] = {}
        self._embedded = False
        self._lock = threading.Lock()

    # -- vectors -----------------------------------------------------------------------------
    def _char_vec(self, text: str) -> dict[str, float]:
        v = self._char.get(text)
        if v is None:
            v = self._char[text] = self._tfidf.vector(text)
        return v

    def prepare(self) -> None:
        """Embed every example of the scenario in one batch (and load the model if needed)."""
        with self._lock:
            if self._embedded:
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
        typed_char = self._char_vec(text)
        char = np.array([cosine(typed_char, self._char_vec(p)) for p in flat], dtype=np.float32)
        vecs = embedder.embed([text, *flat])
        if vecs is not None:
            emb = np.clip(vecs[1:] @ vecs[0], 0.0, 1.0)
            hybrid = EMBED_WEIGHT * emb + (1.0 - EMBED_WEIGHT) * char
        else:
            hybrid = char
        out, start = [], 0
        for o, g in zip(offered, groups):
            out.append(Ranked(o, float(hybrid[start : start + len(g)].max())))
            start += len(g)
        out.sort(key=lambda r: -r.score)  # stable: ties keep file order
        return out

    def match(self, typed: str, offered: Any) -> Match:
        text = clean_typed(typed)
        ranking = tuple(self.rank(text, offered))
        best = ranking[0].score if ranking else None
        runner = ranking[1].score if len(ranking) > 1 else None
        decision, reason = self.policy.decide(best, runner) if text else (REJECT, "empty line")
        rude = rude_kind(text) if text else None
        if rude and decision in (ACCEPT, CONFIRM):
            top = ranking[0].offered.choice
            if not RUDE_SAFE_MISTAKES.intersection(top.mistakes):
                # A rude line is never taken as a polite option, however close its words.
                decision, reason = REJECT, f"reads as {'rude' if rude == 'insult' else rude}"
        elif rude:
            reason = f"reads as {'rude' if rude == 'insult' else rude}"
        return Match(text, decision, reason, ranking, rude)


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
        while len(_cache) > 16:
            _cache.popitem(last=False)
    return m


__all__ = ["ACCEPT", "CONFIRM", "REJECT", "Match", "Ranked", "ScenarioMatcher", "matcher_for"]
