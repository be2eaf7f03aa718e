"""Wording cues: can a learner who knows nothing of the job read the right answer off the words?

A scenario teaches only if its good options cannot be told from its wrong ones by style: if
every right answer opens "Sorry…" and every wrong one says "I'm afraid", a learner passes by
spotting the pattern, and the grade says nothing about customer service. This module is the
audit behind `countertalk paths DIR --cues` and the `lint --strict` warning CT604.

How it measures
---------------
For each scenario in a pack it trains a small model on the *other* scenarios (leave one
scenario out) and lets it choose in this one, seeing only what a learner sees: the options'
words and the customer's line. The model is a Bernoulli naive Bayes over binary features —

- words and word pairs (unigrams and bigrams), and the option's first one and two words;
- its length rank among the options of its state (longest, shortest, in between);
- its sentence count (and whether it has the most or fewest sentences in the state);
- whether it asks a question; which pronouns it uses (I, we, you, they);
- how many of its words it shares with the customer's line (and its rank on that in the state).

Naive Bayes because it is counting, so training on a pack and leaving each scenario out in
turn takes a fraction of a second, and because its weights read directly as "how much more
often this feature appears in good options than in wrong ones" — the report a tutor needs.

A second reader, a conditional logit (`Logit`: logistic regression over the options of each
state, fitted jointly), reads the same features; it weighs them together where naive Bayes counts
each alone, so wording rewritten against one reader's blind spots still meets the other. A
scenario is flagged when either reader is more than MARGIN points over chance. The naive Bayes
model is the one that lists states, names cues and plays.

The label is the one a marker would give: an option is *good* when it makes no mistake, misstates
no law, and no option in its state is better marked (fewest mistake points, then most credited
behaviours: `strategies.option_rank`). A *decision* is a state with at least two options, some
good and some not; chance is the mean share of good options over the decisions.

`audit(scenarios)` reports per scenario: the share of decisions where the model's top pick is
good (a tie at the top earns the share of good options among the tied), chance, the states it
gets right, and the grades it reaches when it *plays* the scenario through the real `Session`
(shuffle applied, seeds 1–5, scored by the real scorer). Pack-wide it lists the features that
most predict good or wrong options, with their counts ("'i'm afraid' in 71 options, good in 0").
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.engine.model import Scenario

PLAY_SEEDS = (1, 2, 3, 4, 5)
MARGIN = 10.0  # points over chance above which a scenario's wording gives its answers away
ALPHA = 1.0  # Laplace smoothing of the feature counts
MIN_SUPPORT = 5  # options a feature must appear in before the pack report names it
TOP_CUES = 12  # cues listed each way
LOGIT_PENALTY = 1.0  # the second reader's L2 penalty (per state, on the mean log-likelihood)
LOGIT_STEPS = 200
TIE = 1e-3  # scores (log-odds) closer than this to the top are a tie
MIN_WEIGHT = 0.5  # |log-odds| a feature needs to be listed (0.5: about 1.6 times as likely)

_WORD = re.compile(r"[a-z0-9£]+(?:'[a-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_PRONOUNS = {
    "i": "i",
    "i'm": "i",
    "i'll": "i",
    "i've": "i",
    "i'd": "i",
    "me": "i",
    "my": "i",
    "we": "we",
    "we're": "we",
    "we'll": "we",
    "we've": "we",
    "we'd": "we",
    "us": "we",
    "our": "we",
    "you": "you",
    "you're": "you",
    "you'll": "you",
    "you've": "you",
    "you'd": "you",
    "your": "you",
    "they": "they",
    "they're": "they",
    "they'll": "they",
    "they've": "they",
    "them": "they",
    "their": "they",
}
_STOP = frozenset(
    "the a an and or but to of in on at for with is are was were be been it that this i you we "
    "they me my your our us them their he she his her its so if as not no do does did have has "
    "had can could would will shall should may might just".split()
)


# -- what a learner sees ---------------------------------------------------------------------------
def words(text: str) -> list[str]:
    """Lower-case words, curly apostrophes straightened (so "I’m" and "I'm" are one word)."""
    return _WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def _content(ws: Iterable[str]) -> set[str]:
    return {w for w in ws if w not in _STOP and len(w) > 2}


def sentences(text: str) -> int:
    parts = [p for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    return max(1, len(parts))


def _rank(values: Sequence[float], i: int) -> str:
    """'most', 'least' or 'mid' for values[i] among its state's options ('same' if all equal)."""
    hi, lo = max(values), min(values)
    if hi == lo:
        return "same"
    if values[i] == hi:
        return "most"
    if values[i] == lo:
        return "least"
    return "mid"


def features(texts: Sequence[str], line: str) -> list[frozenset[str]]:
    """The binary features of each option of one state, given the customer's line."""
    toks = [words(t) for t in texts]
    line_words = _content(words(line))
    lengths = [float(len(t)) for t in texts]
    sents = [float(sentences(t)) for t in texts]
    overlaps = []
    for ws in toks:
        mine = _content(ws)
        overlaps.append(len(mine & line_words) / len(mine) if mine else 0.0)
    out = []
    for i, (text, ws) in enumerate(zip(texts, toks)):
        f = {f"w:{w}" for w in ws}
        f |= {f"b:{a} {b}" for a, b in zip(ws, ws[1:])}
        if ws:
            f.add(f"start:{ws[0]}")
            f.add(f"start:{' '.join(ws[:2])}")
        f.add(f"length:{_rank(lengths, i)}")
        n = int(sents[i])
        f.add(f"sentences:{n if n < 4 else '4+'}")
        f.add(f"sentence rank:{_rank(sents, i)}")
        f.add("question:yes" if "?" in text else "question:no")
        pron = {_PRONOUNS[w] for w in ws if w in _PRONOUNS}
        f |= {f"pronoun:{p}" for p in pron} or {"pronoun:none"}
        ov = overlaps[i]
        f.add(f"overlap:{'none' if ov == 0 else 'low' if ov < 0.25 else 'high'}")
        f.add(f"overlap rank:{_rank(overlaps, i)}")
        out.append(frozenset(f))
    return out


def describe(feature: str) -> str:
    """A feature as a tutor reads it: 'i'm afraid', 'opens "sorry"', 'the longest option'."""
    kind, _, value = feature.partition(":")
    if kind in ("w", "b"):
        return f"'{value}'"
    if kind == "start":
        return f'opens "{value}…"'
    if kind == "length":
        return {
            "most": "the longest option",
            "least": "the shortest option",
            "mid": "neither longest nor shortest",
            "same": "all options the same length",
        }[value]
    if kind == "sentences":
        return f"{value} sentence{'s' if value != '1' else ''}"
    if kind == "sentence rank":
        return {
            "most": "the most sentences in its state",
            "least": "the fewest sentences in its state",
            "mid": "a middling number of sentences",
            "same": "as many sentences as every other option",
        }[value]
    if kind == "question":
        return "asks a question" if value == "yes" else "asks no question"
    if kind == "pronoun":
        return "no pronoun" if value == "none" else f"says '{value}'"
    if kind == "overlap":
        return {
            "none": "shares no word with the customer's line",
            "low": "shares a few words with the customer's line",
            "high": "echoes the customer's words",
        }[value]
    if kind == "overlap rank":
        return {
            "most": "echoes the customer most in its state",
            "least": "echoes the customer least in its state",
            "mid": "echoes the customer middlingly",
            "same": "echoes the customer as much as the others",
        }[value]
    return feature


# -- what a marker would say ---------------------------------------------------------------------
def _plain(source: str | None, ctx: dict[str, Any]) -> str:
    """A scenario text as a learner would first read it; a template that cannot be filled here
    loses its template parts (its words still count)."""
    if not source:
        return ""
    from simulator.engine import templating

    if not templating.is_template(source):
        return source
    try:
        return templating.render(source, ctx)
    except Exception:  # any failure: the literal words are what is left to see
        return _TEMPLATE.sub(" ", source)


def _context(scenario: Scenario) -> dict[str, Any]:
    from msgspec import structs

    return {
        "vars": dict(scenario.vars),
        "mood": scenario.customer.mood,
        "turn": 0,
        "customer": structs.asdict(scenario.customer),
        "visits": {},
    }


@dataclass(frozen=True)
class Decision:
    """One state with a real choice: its options' texts and which of them are good."""

    scenario: str
    state: str
    line: str
    texts: tuple[str, ...]
    good: tuple[bool, ...]
    feats: tuple[frozenset[str], ...] = field(compare=False)

    @property
    def chance(self) -> float:
        return sum(self.good) / len(self.good)


def good_options(scenario: Scenario, sid: str) -> list[bool]:
    """Per option of the state: no mistake, no law misstated, and best-marked in the state."""
    from . import scorer
    from .strategies import option_rank

    c = scorer.compiled(scenario)
    n = len(scenario.states[sid].choices)
    ranks = [option_rank(c, scenario.choice_id(sid, i)) for i in range(n)]
    top = max(ranks)
    out = []
    for i in range(n):
        fx = c.fx[scenario.choice_id(sid, i)]
        out.append(
            not fx.mistakes and not fx.law_wrong and not fx.practice_wrong and ranks[i] == top
        )
    return out


def decisions(scenario: Scenario) -> list[Decision]:
    """The scenario's states with at least two options, some good and some not."""
    ctx = _context(scenario)
    out = []
    for sid, st in scenario.states.items():
        if len(st.choices) < 2:
            continue
        good = good_options(scenario, sid)
        if all(good) or not any(good):
            continue
        say = st.say
        line = " ".join(_plain(s, ctx) for s in say) if isinstance(say, list) else _plain(say, ctx)
        texts = tuple(_plain(ch.text, ctx) for ch in st.choices)
        out.append(
            Decision(scenario.id, sid, line, texts, tuple(good), tuple(features(texts, line)))
        )
    return out


# -- the model -----------------------------------------------------------------------------------
class Counts:
    """Feature counts over good and wrong options; subtractable, so leaving one scenario out of
    a pack's counts costs only that scenario's options."""

    def __init__(self) -> None:
        self.good: Counter[str] = Counter()
        self.bad: Counter[str] = Counter()
        self.n_good = 0
        self.n_bad = 0

    def add(self, ds: Iterable[Decision], sign: int = 1) -> Counts:
        for d in ds:
            for f, g in zip(d.feats, d.good):
                if g:
                    self.good.update({k: sign for k in f})
                    self.n_good += sign
                else:
                    self.bad.update({k: sign for k in f})
                    self.n_bad += sign
        return self

    def without(self, ds: Iterable[Decision]) -> Counts:
        out = Counts()
        out.good, out.bad = Counter(self.good), Counter(self.bad)
        out.n_good, out.n_bad = self.n_good, self.n_bad
        return out.add(ds, -1)

    def model(self) -> Model:
        return Model(self)


class Model:
    """Bernoulli naive Bayes: an option's score is the sum over its features of
    logit P(feature | good) − logit P(feature | wrong). Within a state only the order of the
    scores matters, so the absent features' terms and the prior (the same for every option)
    are left out."""

    def __init__(self, counts: Counts) -> None:
        g, b = counts.n_good, counts.n_bad
        self.weights: dict[str, float] = {}
        for f in set(counts.good) | set(counts.bad):
            ng, nb = counts.good.get(f, 0), counts.bad.get(f, 0)
            if ng <= 0 and nb <= 0:
                continue
            pg = (ng + ALPHA) / (g + 2 * ALPHA)
            pb = (nb + ALPHA) / (b + 2 * ALPHA)
            self.weights[f] = math.log(pg / (1 - pg)) - math.log(pb / (1 - pb))

    def score(self, feats: frozenset[str]) -> float:
        w = self.weights
        return sum(w.get(f, 0.0) for f in feats)

    def scores(self, texts: Sequence[str], line: str) -> list[float]:
        return [self.score(f) for f in features(texts, line)]


class Logit:
    """The second reader: a conditional logit (multinomial logistic regression over the options
    of each state), P(option | state) = softmax(w · features), fitted to put the state's
    probability on its good options, with an L2 penalty. Unlike naive Bayes it weighs features
    together — a word that only ever comes with another tell gets little weight of its own — so
    wording rewritten against one reader's blind spots still meets the other's.

    Only features seen in at least two training scenarios are used (one scenario's own words
    cannot transfer to another). Sparse, in numpy: a fit is a few hundred passes over the
    pack's feature occurrences, milliseconds each."""

    def __init__(
        self, ds: Sequence[Decision], *, penalty: float = LOGIT_PENALTY, steps: int = LOGIT_STEPS
    ) -> None:
        import numpy as np

        spread: Counter[str] = Counter()
        for sid in {d.scenario for d in ds}:
            spread.update({f for d in ds if d.scenario == sid for fs in d.feats for f in fs})
        self.index = {f: i for i, f in enumerate(sorted(f for f, n in spread.items() if n >= 2))}
        rows: list[int] = []
        cols: list[int] = []
        group: list[int] = []
        target: list[float] = []
        for gi, d in enumerate(ds):
            share = 1 / sum(d.good)
            for fs, good in zip(d.feats, d.good):
                r = len(group)
                for f in fs:
                    j = self.index.get(f)
                    if j is not None:
                        rows.append(r)
                        cols.append(j)
                group.append(gi)
                target.append(share if good else 0.0)
        n_opts, n_states, n_feats = len(group), len(ds), len(self.index)
        w = np.zeros(n_feats)
        if n_states and n_feats:
            r_a, c_a, g_a, y = (
                np.asarray(rows),
                np.asarray(cols),
                np.asarray(group),
                np.asarray(target),
            )
            m = np.zeros(n_feats)
            v = np.zeros(n_feats)
            for t in range(1, steps + 1):  # Adam on the mean negative log-likelihood
                s = np.bincount(r_a, weights=w[c_a], minlength=n_opts)
                top = np.full(n_states, -np.inf)
                np.maximum.at(top, g_a, s)
                e = np.exp(s - top[g_a])
                p = e / np.bincount(g_a, weights=e, minlength=n_states)[g_a]
                grad = (
                    np.bincount(c_a, weights=(p - y)[r_a], minlength=n_feats) + penalty * w
                ) / n_states
                m = 0.9 * m + 0.1 * grad
                v = 0.999 * v + 0.001 * grad * grad
                w -= 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        self.weights = {f: float(w[i]) for f, i in self.index.items()}

    def score(self, feats: frozenset[str]) -> float:
        w = self.weights
        return sum(w.get(f, 0.0) for f in feats)

    def scores(self, texts: Sequence[str], line: str) -> list[float]:
        return [self.score(f) for f in features(texts, line)]


def top_credit(scores: Sequence[float], good: Sequence[bool]) -> float:
    """The share of good options among those tied at the top score (1.0 or 0.0 without a tie).
    Scores within TIE of the top count as tied: a fitted weight that only round-off moved off
    zero is no preference (a pack with no tell fits weights of about 1e-6)."""
    top = max(scores)
    tied = [g for s, g in zip(scores, good) if s >= top - TIE]
    return sum(tied) / len(tied)


# -- playing by the model ------------------------------------------------------------------------
@dataclass(frozen=True)
class Played:
    seed: int
    grade: str
    percent: int
    outcome: str | None
    turns: int


def play(scenario: Scenario, model: Model, seeds: Sequence[int] = PLAY_SEEDS) -> list[Played]:
    """The model as a learner: at each turn it reads the offered options (in the order shown,
    so `shuffle: true` applies) and the customer's line, and takes its top pick (on a tie, one of
    the tied at random, seeded: a reader with no preference guesses rather than always pressing
    the first). Scored by the real scorer; stopped unfinished after `strategies.MAX_TURNS`."""
    from . import paths
    from .scorer import score
    from .strategies import MAX_TURNS

    rt = paths.runtime(scenario)
    out = []
    for seed in seeds:
        session = rt.new_session(seed=seed, learner="cue-model")
        rng = random.Random(f"cues:{seed}")
        try:
            while not session.ended and session.turn < MAX_TURNS:
                offered = session.offered()
                if not offered:
                    break
                s = model.scores([o.text for o in offered], session.line or "")
                top = max(s)
                tied = [o for o, x in zip(offered, s) if x >= top - TIE]
                session.choose_id(rng.choice(tied).choice_id)
            t = session.transcript()
        finally:
            session.close()
        r = score(scenario, t)
        out.append(Played(seed, r["grade"], r["percent"], t["outcome"], len(t["turns"])))
    return out


def luck(chances: Sequence[float], correct: float, readers: int = 2) -> float:
    """The probability that a reader with no information in the wording gets at least `correct`
    of these states right, for the stronger of `readers` such readers (Bonferroni: at most
    `readers` times one reader's tail).

    A reader that picks without information is right in a state with the probability that a
    random option there is good, whatever it picks, so the count of states it gets right is a
    sum of independent Bernoulli trials with those probabilities (Poisson binomial), computed
    exactly here. It says whether a scenario's margin is a cue or the luck of a dozen states:
    with 13 states at 39% chance, one standard deviation is about 13 points, so a wording with
    no cue at all lands more than 10 points over chance about one time in five."""
    dist = [1.0]
    for p in chances:
        nxt = [0.0] * (len(dist) + 1)
        for k, q in enumerate(dist):
            nxt[k] += q * (1 - p)
            nxt[k + 1] += q * p
        dist = nxt
    need = math.ceil(correct - 1e-9)
    tail = sum(dist[max(need, 0) :])
    return min(1.0, readers * tail)


# -- the audit -----------------------------------------------------------------------------------
@dataclass
class ScenarioAudit:
    id: str
    decisions: int
    accuracy: float | None  # share of decisions whose top pick is good (None: no decisions)
    chance: float | None
    second: float | None  # the same for the second reader (the conditional logit)
    right: list[str]
    wrong: list[str]
    played: list[Played]
    luck: float | None = None  # see `luck`: how often no wording information scores as high

    @property
    def margin(self) -> float | None:
        """Points over chance of the stronger reader."""
        if self.accuracy is None or self.chance is None:
            return None
        return 100 * (max(self.accuracy, self.second or 0.0) - self.chance)

    @property
    def flagged(self) -> bool:
        m = self.margin
        return m is not None and m > MARGIN

    @property
    def reversed(self) -> bool:
        """Even the stronger reader is more than MARGIN points UNDER chance: the wording points
        away from the answers (a reverse tell: the pack's "right-sounding" words sit on this
        scenario's wrong options), which a learner who trusts the pack's voice is misled by,
        and which flips to a tell as soon as the wrong words are fixed elsewhere."""
        m = self.margin
        return m is not None and m < -MARGIN

    def as_json(self) -> dict[str, Any]:
        def pct(x: float | None) -> float | None:
            return None if x is None else round(100 * x, 1)

        return {
            "scenario": self.id,
            "decisions": self.decisions,
            "accuracy": pct(self.accuracy),
            "second_reader": pct(self.second),
            "chance": pct(self.chance),
            "margin": None if self.margin is None else round(self.margin, 1),
            "luck": None if self.luck is None else round(self.luck, 4),
            "flagged": self.flagged,
            "reversed": self.reversed,
            "right": self.right,
            "wrong": self.wrong,
            "played": [p.__dict__ for p in self.played],
        }


@dataclass
class Cue:
    feature: str
    label: str
    options: int
    good: int
    weight: float

    def as_json(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "label": self.label,
            "options": self.options,
            "good": self.good,
            "weight": round(self.weight, 2),
        }


@dataclass
class Audit:
    scenarios: list[ScenarioAudit]
    good_cues: list[Cue]
    wrong_cues: list[Cue]
    options: int
    good: int
    seeds: tuple[int, ...]
    trained_on: int  # the fewest other scenarios any held-out scenario was read against
    pooled_luck: float | None = None  # `luck` over every decision of the pack

    @property
    def pooled(self) -> tuple[float | None, float | None, int]:
        """(accuracy, chance, decisions) over every decision of the pack."""
        n = sum(s.decisions for s in self.scenarios)
        if not n:
            return None, None, 0
        acc = sum((s.accuracy or 0) * s.decisions for s in self.scenarios) / n
        ch = sum((s.chance or 0) * s.decisions for s in self.scenarios) / n
        return acc, ch, n

    @property
    def pooled_second(self) -> float | None:
        n = sum(s.decisions for s in self.scenarios if s.second is not None)
        if not n:
            return None
        return sum((s.second or 0) * s.decisions for s in self.scenarios) / n

    @property
    def runs(self) -> dict[str, int]:
        grades = Counter(p.grade for s in self.scenarios for p in s.played)
        passed = {s.id for s in self.scenarios if any(p.grade != "fail" for p in s.played)}
        return {
            "runs": sum(grades.values()),
            "fail": grades["fail"],
            "pass": grades["pass"],
            "distinction": grades["distinction"],
            "scenarios": len(self.scenarios),
            "scenarios_passed": len(passed),
        }

    def as_json(self) -> dict[str, Any]:
        acc, ch, n = self.pooled
        acc2 = self.pooled_second
        return {
            "margin_allowed": MARGIN,
            "trained_on": self.trained_on,
            "seeds": list(self.seeds),
            "options": self.options,
            "good_options": self.good,
            "pooled": {
                "decisions": n,
                "accuracy": None if acc is None else round(100 * acc, 1),
                "second_reader": None if acc2 is None else round(100 * acc2, 1),
                "chance": None if ch is None else round(100 * ch, 1),
                "luck": None if self.pooled_luck is None else self.pooled_luck,
            },
            "played": self.runs,
            "flagged": [s.id for s in self.scenarios if s.flagged],
            "reversed": [s.id for s in self.scenarios if s.reversed],
            "scenarios": [s.as_json() for s in self.scenarios],
            "cues": {
                "good": [c.as_json() for c in self.good_cues],
                "wrong": [c.as_json() for c in self.wrong_cues],
            },
        }


def audit(
    held_out: Sequence[Scenario],
    training: Sequence[Scenario] = (),
    *,
    seeds: Sequence[int] = PLAY_SEEDS,
    play_it: bool = True,
    second: bool = True,
) -> Audit:
    """Audit each of `held_out`, trained on `held_out` + `training` less the scenarios with its
    id (so a file audited against the shipped pack replaces its own earlier version). The naive
    Bayes model picks, lists the states and plays; `second` also fits the conditional logit
    (`Logit`) per held-out scenario, and a scenario is flagged when either reader is more than
    MARGIN points over chance."""
    pool: dict[str, list[Decision]] = {}
    by_id: dict[str, Scenario] = {}
    for sc in list(training) + list(held_out):
        pool[sc.id] = decisions(sc)  # a held-out file replaces a pack scenario with its id
        by_id[sc.id] = sc
    total = Counts().add(d for ds in pool.values() for d in ds)
    rows = []
    all_chances: list[float] = []
    all_correct = all_correct2 = 0.0
    for sc in held_out:
        mine = pool[sc.id]
        model = total.without(mine).model()
        right: list[str] = []
        wrong: list[str] = []
        acc = acc2 = 0.0
        for d in mine:
            credit = top_credit([model.score(f) for f in d.feats], d.good)
            acc += credit
            (right if credit >= 0.5 else wrong).append(d.state)
        if mine and second:
            reader = Logit([d for k, ds in pool.items() if k != sc.id for d in ds])
            acc2 = sum(top_credit([reader.score(f) for f in d.feats], d.good) for d in mine)
        n = len(mine)
        played = play(sc, model, seeds) if play_it else []
        chance_of = [d.chance for d in mine]
        all_chances += chance_of
        all_correct, all_correct2 = all_correct + acc, all_correct2 + acc2
        rows.append(
            ScenarioAudit(
                sc.id,
                n,
                acc / n if n else None,
                sum(d.chance for d in mine) / n if n else None,
                acc2 / n if n and second else None,
                right,
                wrong,
                played,
                luck(chance_of, max(acc, acc2), 2 if second else 1) if n else None,
            )
        )
    good_cues, wrong_cues = _cues(total)
    return Audit(
        rows,
        good_cues,
        wrong_cues,
        total.n_good + total.n_bad,
        total.n_good,
        tuple(seeds),
        len(pool) - 1,
        luck(all_chances, max(all_correct, all_correct2), 2 if second else 1)
        if all_chances
        else None,
    )


def _cues(total: Counts) -> tuple[list[Cue], list[Cue]]:
    """The features that most predict a good (a wrong) option across the pack, among those seen
    in at least MIN_SUPPORT options: ranked by how far the odds that an option with the feature
    is good stand from the pack's odds (log, smoothed), kept when at least MIN_WEIGHT. (Not
    the model's weight: a feature every option has tells nothing, though smoothing gives it
    one.) A feature whose counts are the same as a listed one with overlapping words is left
    out (no 'afraid' beside "i'm afraid")."""
    base = math.log((total.n_good + ALPHA) / (total.n_bad + ALPHA))
    rows = []
    for f in set(total.good) | set(total.bad):
        k, n = total.good.get(f, 0), total.good.get(f, 0) + total.bad.get(f, 0)
        if n < MIN_SUPPORT:
            continue
        w = math.log((k + ALPHA) / (n - k + ALPHA)) - base
        if abs(w) >= MIN_WEIGHT:
            rows.append(Cue(f, describe(f), n, k, w))
    out: list[list[Cue]] = []
    for sign in (1, -1):
        ranked = sorted(
            (c for c in rows if sign * c.weight > 0),
            key=lambda c: (-sign * c.weight, -c.options, c.feature),
        )
        kept: list[Cue] = []
        for c in ranked:
            if any((c.options, c.good) == (k.options, k.good) and _same_words(c, k) for k in kept):
                continue
            kept.append(c)
            if len(kept) >= TOP_CUES:
                break
        out.append(kept)
    return out[0], out[1]


def _same_words(a: Cue, b: Cue) -> bool:
    wa, wb = a.feature.partition(":")[2], b.feature.partition(":")[2]
    return wa in wb or wb in wa
