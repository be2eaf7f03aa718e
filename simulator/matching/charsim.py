"""Character n-gram TF-IDF: the half of the match score that survives misspellings.

Word embeddings know that "refund" and "money back" are close but see "reciept" as a stranger;
character 3–5-grams see "reciept" as mostly "receipt". Fitted per scenario on every phrase the
scenario offers (option texts and examples), so common words in *that* scenario weigh little.
Pure Python over small dicts: a state has a handful of options, so this costs microseconds.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

_NON_WORD = re.compile(r"[^a-z0-9£' ]+")
NGRAMS = (3, 4, 5)


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, punctuation to spaces, spaces collapsed."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


def grams(text: str) -> Counter[str]:
    padded = f" {normalise(text)} "
    out: Counter[str] = Counter()
    for n in NGRAMS:
        for i in range(len(padded) - n + 1):
            out[padded[i : i + n]] += 1
    return out


Vector = dict[str, float]


class CharTfidf:
    """IDF from a corpus of phrases; vectors are sublinear-tf × idf, L2-normalised."""

    def __init__(self, corpus: Iterable[str]):
        docs = [set(grams(t)) for t in corpus]
        n = len(docs)
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d)
        self._idf = {g: math.log((1 + n) / (1 + c)) + 1.0 for g, c in df.items()}
        self._unseen = math.log(1 + n) + 1.0  # a gram no phrase has: rare, so informative

    def vector(self, text: str) -> Vector:
        vec = {
            g: (1.0 + math.log(c)) * self._idf.get(g, self._unseen) for g, c in grams(text).items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())
