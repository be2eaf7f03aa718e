"""Issue 26: which STRUCTURAL tone policy keeps rude options away from polite lines on a fresh set?

    nice .venv/bin/python benchmarks/tone_policy_loso.py [-v] [--lexicon now|as-run] [--guards on|off]

Every one of the 15 typed sets (meaning_tuning.TUNING) scores 0 polite lines offered a rude option,
yet each fresh blind set found about one (sealed11, sealed14): the classes added after each set
fix that set. This harness compares candidate policies that decide, from the line's shape and the
option's recorded mistakes, whether a tone option may be OFFERED at all, on the same footing:

  base     the shipped matcher
  a        an option recording a mistake of TONE (catalogue: rude, blaming_customer, defensive;
           `a+` also no_ownership and discrimination, the matcher's RUDE_SAFE_MISTAKES) is offered
           or accepted only when rude.py reads the line rude, or when the line is a near-verbatim
           match of one of that option's phrases (character n-gram cosine >= t); otherwise, when
           it is the best fit, the line is "not understood" (the ranking is kept, so top-1 still
           says what it read closest to), and as a runner-up it is dropped from "Did you mean"
  a/poli   as a, but the polite runner-up is offered instead of "not understood" (polite only)
  b        a line with warmth (meaning.polite, meaning.lifts_blame, "let's") and nothing taken
           back after it ("but", "tho", "anyway" ...) that rude.py does not flag is never
           offered a tone option, near-verbatim or not; other lines as base (`bq`: warmth also
           any question with a second or third person in it, whatever follows)
  ab       both (b+, ab+: with a+'s wider set)
  c        the mirror: a line whose best fit is a tone option, or that rude.py flags, is never
           offered a polite option beside it (the shipped matcher already does both; reported
           to show where the 6/42 come from: lines rude.py does not flag that read closest to
           the POLITE option)

Since neg27a (policy.py's docstring has the table): a prefix says how the matcher reads a line
that opens warmly and then turns (matcher.TURN_READING): `t:` its turn clause for tone
(rude.py), `tm:` for tone and meaning; none: not at all. `bod`: b also holds back no_ownership
options; `m` (bdm): beside a sound best that costs no goodwill, no option that costs some
(mood < 0). The cost is now counted against `base` with no turn reading, and split into polite
lines now refused and rude lines meaning a mistake option now not understood. sealed15 is
tuning data (16 sets).

The one parameter, t, is chosen leave-one-set-out: for each set, the lowest t in GRID whose
polite->rude offers on the other 14 sets are 0; figures are the held-out set's at that t. Also
"as written": t chosen on the sets written before it only (set 0 at the strictest t).

What LOSO can and cannot show: the rule lexicon (rude.py, meaning.py, the matcher's guards) was
tuned on ALL 15 sets, so a held-out set here is not fresh for the lexicon, only for t. Two
options get closer to fresh: `--lexicon as-run` judges each sealed set k >= 4 with rude.py as it
stood at the commit its one run used (tests/typed/sealedK-result.txt), the rest of the matcher as
now; `--guards off` turns off the per-set polite guards the tuning added after each polite->rude
failure (`_offered_beside`, neg26af; the lifts_blame filter, neg26aw; `_polite_fits`'s sharp-option
bar), so a policy must hold without them. Neither is a held-out number; both compare policies on
the same footing.

Run by neg26ba on main at fb7724f (see policy.py's docstring for the table): with the guards off and rude.py
as run, over the 15 sets, the shipped matcher offers 20 polite lines a `not:` option; b + d
(policy.tone_offer, kept) none on any held-out set, for 11 lines not understood that were asked
about; (a) 1 for 144; the near-verbatim exemption, once LOSO picks its threshold, 1 (sealed7).
About 1 to 3 CPU minutes a run.

Columns per set: top-1, accepted right, wrong accepts, polite->rude offers (P>R), rude->polite
offers (R>P), and the cost: lines whose expected option the base matcher offered or took and the
policy does not (rude lines meaning the rude option, paraphrases meaning a tone option), now
"not understood".
"""

from __future__ import annotations

import re
import subprocess
import sys
import types
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from meaning_tuning import TUNING, _harness  # noqa: E402

from simulator.matching.policy import TONE_MISTAKES  # noqa: E402

TONE = TONE_MISTAKES
TONE_PLUS = TONE | {"no_ownership", "discrimination"}
TONE_OWN = TONE | {"no_ownership"}  # `bo`: b, also the options that pass the buck (neg27a)
GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: never near-verbatim


def warm(text: str) -> bool:
    from simulator.matching import meaning

    return meaning.warm(text)


def warm_q(text: str) -> bool:
    from simulator.matching import meaning
    from simulator.matching.charsim import normalise

    t = normalise(text)
    if meaning.warm(text):
        return True
    return "?" in text and bool(re.search(r"\b(you|your|u|ur|he|she|they|his|her)\b", t))


def as_run_rude(name: str):
    """rude.rude_kind as it stood at the commit set `name`'s one run used, or None."""
    k = name.removeprefix("meaning_sealed").removesuffix(".yaml")
    f = ROOT / "tests" / "typed" / f"sealed{k}-result.txt"
    if not k or not f.exists():
        return None
    m = re.search(r"on main at ([0-9a-f]{7,40})", f.read_text(encoding="utf-8"))
    if not m:
        return None
    src = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{m.group(1)}:simulator/matching/rude.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    mod = types.ModuleType(f"simulator.matching._rude_{k}")
    mod.__package__ = "simulator.matching"
    exec(compile(src, f"rude.py@{m.group(1)}", "exec"), mod.__dict__)  # noqa: S102
    return mod.rude_kind


def near_verbatim(m, text: str, offered) -> float:
    from simulator.matching.charsim import cosine

    tv = m._char_vec(text)
    return max(cosine(tv, m._char_vec(p)) for p in m.phrases(offered))


def apply(policy: str, t: float, m, match, text: str, offered_all):
    """The candidate policy applied to the shipped matcher's Match; returns (decision, offered
    ids, best id)."""
    from simulator.matching.policy import ACCEPT, CONFIRM, REJECT

    best = match.best.choice_id if match.best is not None else None
    if match.decision == ACCEPT:
        offer = [match.ranking[0]]
    elif match.decision == CONFIRM:
        offer = list(match.suggestions)
    else:
        offer = []
    if policy == "base":
        return match.decision, [r.choice_id for r in offer], best
    tone = TONE_PLUS if "+" in policy else TONE_OWN if policy.startswith("bo") else TONE
    rude = bool(match.rude)
    is_warm = warm_q(text) if "q" in policy else warm(text)

    def barred(r) -> bool:
        if not tone.intersection(r.offered.choice.mistakes) or rude:
            return False
        if policy.startswith("bv"):
            return is_warm and near_verbatim(m, match.text, r.offered) < t
        if policy.startswith("b"):
            return is_warm
        if policy.startswith("ab") and is_warm:
            return True
        if policy.startswith("a"):
            return near_verbatim(m, match.text, r.offered) < t
        return False

    if policy in ("c", "d"):
        barred = lambda r: False  # noqa: E731
    if policy == "c":
        return match.decision, [r.choice_id for r in offer], best
    if not offer:
        return match.decision, [], best
    if barred(offer[0]) and policy.endswith("k"):
        # k: what the shipped decision offered beside the barred best stays offered (asked)
        offer = [r for r in offer if not barred(r)]
        if not offer:
            return REJECT, [], best
        match = replace(match, decision=CONFIRM)
    if barred(offer[0]):
        if policy.endswith("/poli"):
            rest = [r for r in match.ranking if not barred(r)]
            if rest and rest[0].score >= m.policy.floor and not rest[0].offered.choice.mistakes:
                return CONFIRM, [rest[0].choice_id], best
        return REJECT, [], best
    kept = [r for r in offer if not barred(r)]
    if "d" in policy and not rude and kept and not kept[0].offered.choice.mistakes:
        # d: no runner-up that records a mistake beside a best that records none
        kept = [r for r in kept if not r.offered.choice.mistakes]
        if "m" in policy and kept[0].offered.choice.mood >= 0:
            # m (neg27a): nor one that costs the customer's goodwill (mood < 0, no mistake
            # recorded: "Okay, no problem. Before we go any further ..." beside an empathic one)
            kept = [r for r in kept if r.offered.choice.mood >= 0]
    return match.decision, [r.choice_id for r in kept], best


def _matched(held, name, it, rude_fn, cache, turn):
    """The shipped matcher's Match for one line, with the turn reading `turn` (matcher.TURN_READING)."""
    import simulator.matching.matcher as matcher_mod
    from simulator.matching.matcher import ScenarioMatcher

    matchers = cache.setdefault(("m", name), {})
    key = (name, it.scenario, it.state, it.text, rude_fn is not None, turn)
    if key not in cache:
        m = matchers.get(it.scenario) or matchers.setdefault(
            it.scenario, ScenarioMatcher(held.scenarios[it.scenario])
        )
        real, real_turn = matcher_mod.rude_kind, matcher_mod.TURN_READING
        if rude_fn is not None:
            matcher_mod.rude_kind = rude_fn
        matcher_mod.TURN_READING = turn
        try:
            cache[key] = (m, m.match(it.text, it.offered))
        finally:
            matcher_mod.rude_kind, matcher_mod.TURN_READING = real, real_turn
    return cache[key]


TURNS = {"": "off", "t": "tone", "tm": "tone+meaning"}
"""Policy prefixes (`tm:bd`): how the matcher reads a line's turn clause (neg27a)."""

COUNTS = ("top1", "n", "right", "wrong", "pr", "rp", "cost", "costP", "costR")


def figures(held, name, policy, t, rude_fn, cache):
    """One set under one policy: the counts and the failures. The cost is against the shipped
    matcher with no turn reading and no tone rule (`base`): lines whose expected option it
    offered or took and the policy does not (costP: polite lines now refused; costR: rude
    lines meaning a mistake option now not understood)."""
    prefix, _, rest = policy.rpartition(":")
    turn = TURNS[prefix]
    out = dict.fromkeys(COUNTS, 0)
    notes = []
    for it in held.items:
        m, match = _matched(held, name, it, rude_fn, cache, turn)
        bm, base_match = _matched(held, name, it, rude_fn, cache, "off")
        d, offered, best = apply(rest, t, m, match, it.text, it.offered)
        _, base_off, _ = apply("base", t, bm, base_match, it.text, it.offered)
        accepted = offered[0] if d == "accept" else None
        if it.expect:
            out["n"] += 1
            out["top1"] += best in it.expect
            if set(base_off) & set(it.expect) and not set(offered) & set(it.expect):
                out["cost"] += 1
                out["costP"] += it.kind == "polite"
                out["costR"] += it.kind == "rude"
                notes.append(f"cost {it.kind}: {it.text!r} ({it.expect[0]}) -> {d}")
        if accepted and accepted not in it.expect:
            out["wrong"] += 1
            notes.append(f"wrong accept {it.kind}: {it.text!r} -> {accepted}")
        elif accepted:
            out["right"] += 1
        if it.kind == "polite" and set(offered) & set(it.never):
            out["pr"] += 1
            notes.append(f"P>R {it.scenario}.{it.state}: {it.text!r} -> {d} {offered}")
        if it.kind == "rude" and set(offered) & set(it.never):
            out["rp"] += 1
            notes.append(f"R>P {it.scenario}.{it.state}: {it.text!r} -> {d} {offered}")
    return out, notes


def without_tone_rule() -> None:
    """The shipped matcher as it was before neg26ba's tone rule (policy.tone_offer): `base`."""
    from simulator.matching import matcher as mm

    mm.tone_offer = lambda shown, warm: (list(shown), False)


def guards_off() -> None:
    """Turn off the per-set polite guards (see the module docstring)."""
    from simulator.matching import matcher as mm

    mm.ScenarioMatcher._offered_beside = lambda self, text, fits: fits
    mm.ScenarioMatcher._polite_fits = lambda self, text, ranked: [
        r for r in ranked if not mm.rude_tone(r.offered)
    ]
    mm.meaning = types.SimpleNamespace(**{**vars(mm.meaning), "lifts_blame": lambda text: False})


def chosen(per: dict, grid: tuple[float, ...], train: list[str]) -> float:
    """The loosest t whose polite->rude offers on the training sets are 0 (with no training
    sets, the strictest)."""
    if not train:
        return grid[-1]
    for t in grid:
        if all(per[(n, t)][0]["pr"] == 0 for n in train):
            return t
    return grid[-1]


POLICIES = (
    "base",
    "a",
    "a+",
    "a/poli",
    "b",
    "b+",
    "bq",
    "ab",
    "c",
    "d",
    "bd",
    "bdk",
    "bvdk",
    "t:bd",
    "tm:bd",
    "tm:bod",
    "bod",
    "t:base",
    "tm:base",
    "bdm",
    "tm:bdm",
)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    lexicon = argv[argv.index("--lexicon") + 1] if "--lexicon" in argv else "now"
    guards = argv[argv.index("--guards") + 1] if "--guards" in argv else "on"
    if guards == "off":
        guards_off()
    policies = argv[argv.index("--policies") + 1].split(",") if "--policies" in argv else POLICIES
    without_tone_rule()
    mod = _harness()
    sets = {name: mod.load(ROOT / "scenarios", mod.HERE / name) for name in TUNING}
    rude_fns = {n: (as_run_rude(n) if lexicon == "as-run" else None) for n in TUNING}
    cache: dict = {}
    print(f"lexicon {lexicon}; guards {guards}")
    for policy in policies:
        rest = policy.rpartition(":")[2]
        grid = GRID if rest.startswith(("a", "bv")) else (1.01,)
        per = {
            (n, t): figures(sets[n], n, policy, t, rude_fns[n], cache) for n in TUNING for t in grid
        }

        for mode in ("LOSO", "as written"):
            tot = dict.fromkeys(COUNTS, 0)
            rows = []
            for i, n in enumerate(TUNING):
                train = [x for x in TUNING if x != n] if mode == "LOSO" else list(TUNING[:i])
                t = chosen(per, grid, train)
                f, notes = per[(n, t)]
                for k in tot:
                    tot[k] += f[k]
                rows.append((n, t, f, notes))
            print(
                f"{policy:<8} {mode:<10} top-1 {tot['top1']}/{tot['n']} right {tot['right']} "
                f"wrong {tot['wrong']} P>R {tot['pr']} R>P {tot['rp']} cost {tot['cost']} "
                f"(polite {tot['costP']}, rude {tot['costR']})"
            )
            if verbose and mode == "LOSO":
                for n, t, f, notes in rows:
                    print(
                        f"    {n:<22} t={t:<4} top-1 {f['top1']}/{f['n']} right {f['right']} "
                        f"wrong {f['wrong']} P>R {f['pr']} R>P {f['rp']} cost {f['cost']} "
                        f"(polite {f['costP']}, rude {f['costR']})"
                    )
                    for note in notes:
                        print(f"        {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
