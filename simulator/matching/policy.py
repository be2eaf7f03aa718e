"""Accept, confirm or reject: the one place where a match score becomes a decision.

  accept   best score >= threshold AND it leads the runner-up by >= margin
  confirm  best score >= floor, but weak or too close to the runner-up: "Did you mean …?"
  reject   best score < floor: not understood, nothing is taken

Defaults were chosen on the pack's examples (leave-one-out), never on the held-out test set; a
scenario may tune them with a top-level `typing: {threshold:, margin:, floor:}`.

Which options a line may be SHOWN (taken, or asked about) is decided here too, by tone
(`tone_offer`, helper neg26ba, issue 26), for every line rude.py does not flag:

  b  a warm line (meaning.warm: an apology, thanks, sympathy, "let's" or a reassurance that lifts
     blame, given and not taken back by a "but"/"tho"/"anyway" after it) is never shown an option
     recording a mistake of tone (TONE_MISTAKES: rude, blaming_customer, defensive); if that
     option was its best fit, what else it was offered is asked about, or it is not understood
  d  beside a best option that records no mistake, no option recording one is shown ("Did you
     mean A or B?" with B a mistake is a trap for a learner pressing Enter)
  m  and, beside such a best that costs no goodwill, none that costs some (mood < 0; neg27a)

Why these, and not a lexicon class per set: each of the 15 typed sets scores 0 polite lines
offered a rude option only because a guard was added after it (matcher.py: `_polite_fits`,
`_offered_beside`, the lifts_blame filter), and each fresh set still found one (sealed11,
sealed14). benchmarks/tone_policy_loso.py compared candidate policies on the same footing,
leave-one-set-out (a policy's parameter chosen on the other 14 sets, judged on the held-out
one), with those per-set guards turned OFF (so a policy must hold without them) and rude.py as
it stood at each sealed set's one run (so the rude reading is as fresh as it was). Polite lines
offered a tone/`not:` option (P>R), rude lines offered a polite one (R>P), and the cost (lines
whose expected option the shipped matcher offered and the policy does not), 15 sets, 1,916 lines:

  policy                                                          P>R  R>P  cost  right
  shipped matcher, guards off                                      20   33     0   1196
  a  tone option only if rude.py flags the line or near-verbatim     1   32   144   1086
  a+ as a, also no_ownership/discrimination options                  1   30   151   1082
  b  warm line never shown a tone option                             1   33    11   1190
  d  no mistake beside a sound best                                  1   33     2   1196
  b + d  (kept)                                                      0   33    11   1190
  b (exempt near-verbatim, t chosen LOSO) + d                        1   33     2   1196

(a) makes a rude line that rude.py misses and that means the blaming option "not understood"
(and so free): 144 lines. The near-verbatim exemption looks free until LOSO chooses its
threshold: no other set constrains it, so held-out sealed7's polite line is offered the defensive
option again. b + d is the only policy at 0 on every held-out set; with the guards on and
today's lexicon it costs 9 lines (accepted right 1,203 -> 1,198 in meaning_tuning.py; top-1
unchanged on every set, 1,542/1,566). The cost is polite-worded pushback that means a tone option
("we don't pay compensation for lost earnings, sorry"; "sorry hes new"): not understood, with the
options shown, where it was asked about. No policy here moves R>P (33): the rude lines that
reach a polite option are ones rude.py did not flag whose closest option IS the polite one; the
mirror (c: a flagged line, or one closest to a tone option, is shown no polite option) is already
what `match` does. That needs a better reading of tone, not an offer rule.

Since helper neg27a (issue 26, sealed15: 8 of its 12 top-1 misses and 12 of its 18 rude lines
offered a polite option opened warmly and then turned, "im sorry, i know its annoying, but at the
end of the day its just a cot"), that reading: a line that opens with an apology, thanks or
sympathy and then turns ("but", "tho", "however", "that said", "at the end of the day", "still,",
"anyway", or a new sentence after an apology) is read on its turn clause alone
(meaning.turn_clause), for tone (rude.py) and for meaning (the turn clause's closest option
records a mistake of tone or ownership, RUDE_SAFE_MISTAKES); either makes it a rude line
(matcher.ScenarioMatcher._turned: never offered a polite option; it is asked about the rude
option it means, or routed / counted by replies.py). A turn to an act of the speaker's own
("..., but let me pull the order up"), to more warmth ("..., sorry. let's start again"), to taking
it on ("I'm owning it myself") or after a correction ("sorry, I misspoke. there's no fee") is no
turn, and a line that ends by asking is not read for meaning ("sorry. thats not your front
door, do you know whose it is?" leaves the customer the say). And rule m: beside a best option that records no mistake and costs no goodwill, no option
that costs goodwill (mood < 0) is shown either, mistake or not ("Okay, no problem. Before we go
any further ...", mood -5, beside the empathic verification it shares words with).

tone_policy_loso.py, 16 sets (sealed15 now tuning data), 1,669 lines with an answer, the cost
counted against the shipped matcher with no tone rule and no turn reading. Lexicon now (with
rude.py's neg27a classes), guards on / rude.py as each set's one run had it, guards off:

  policy                                   top-1       P>R    R>P    cost (polite, rude)
  bd (shipped before)                      1633 1629   2  1    9 47   11 (0, 8)  19 (1, 13)
  t:bd  turn clause, tone only             1635 1629   2  1    6 46   11 (0, 8)  19 (1, 13)
  tm:bd turn clause, tone and meaning      1642 1632   2  1    0 40    9 (0, 6)  13 (1, 8)
  tm:bdm  (kept)                           1642 1632   1  1    0 40    9 (0, 6)  13 (1, 8)
  bod    b also holds no_ownership back     1633 1629   2  1    9 47   26 (1, 11) 34 (2, 16)
  tm:bod                                   1642 1632   2  1    0 40   24 (1, 9)  28 (2, 11)

Most turn clauses are not rude in words ("no hats is the rule at the door") but mean the
sharper option, which is why meaning counts: by tone alone the turn reading finds 3 of the 9
(lexicon now), 1 of 47 (as run). Its price is accepts, not understanding: lines meaning a
mistake option that were taken are now asked about (accepted right 1,275 -> 1,264); no polite
line is newly refused and no line newly not understood (the cost falls from 11 to 9, 19 to 13).
Rule m holds back one polite line's goodwill-costing option and costs nothing. Ownership (`bod`:
rule b also holding back no_ownership options from a warm line) is not kept: it moves neither
P>R nor R>P on any set and costs 15 lines on either footing, warm lines that mean the
buck-passing option ("sorry but its over 30 days, itd have to go through the manufacturer");
and sealed15's "downstairs only left me a couple of lines, so tell me yourself" is not warm, so
no warm-line rule reaches it (of the policies here only `a+`, at 151 lines, did). Left open.
meaning_tuning.py with all of it: sealed15 top-1 91 -> 99/103, wrong accepts 6 -> 0, P>R 2 -> 1,
R>P 18 -> 0; every other set's failure counts stay 0 and its top-1 unchanged (sealed12 +1).

Since helper neg27b (sealed16 now tuning data, 17 sets, 1,781 lines with an answer): a turn that
frees the customer of something or goes on to a concrete act of the speaker's own is read whole,
never on its first sentence alone (meaning.relieves / meaning.commits), and rude.py reads four
minimising shapes with no turn word. tone_policy_loso.py, lexicon now, guards on, shipped tm:bdm,
main -> neg27b: top-1 1749 -> 1751, P>R 2 -> 1 (sealed15's untouched "downstairs only left me a
couple of lines" line, not warm, is the one left), R>P 7 -> 0, cost 10 (polite 1, rude 6) -> 9
(polite 0, rude 6). Per line, only sealed16's fridge line among polite, paraphrase, negation and
ack lines changed; the rest are rude lines now read rude (sealed6's "shes only just started"
line, which meant the rude option and was taken, is now asked about: accepted right 93 -> 92).

Since helper neg27c (issue 26; sealed17, now tuning data, accepted "ill do the explaining to mark,
not you" as "Mark needs to hear it from you" and "you dont have to prove anything, ... its on us to
show it wasnt there" as "if an engineer's report shows ..., we'll cover it"): a structural guard
on ACCEPT (meaning.unmirrored, in ScenarioMatcher.match). A line that says no in words over
something the accepted option says positively, with no negation or limit ("only", "the most") of
the option's own over the same content, or that sets the speaker against the other party ("I'll
tell Dan, not you"; "Mark can hear it from me, not you") where the option has no act of the
speaker's about it, is asked about, never taken. Why it generalises where the earlier fixes did
not: they read a new shape of negation (a cue, a scope rule), and each fresh set brought one the
rules did not parse, which then fell through to word overlap and was taken as the option it
negates. This guard reads no shape: whatever the parse, a negation or role contrast the option
does not mirror leaves too little to take the line unasked, so a parse miss now costs an accept
(the learner is asked), never a wrong one. Mirrors that are kept, so the guard holds only where
the option says the negated thing: a negation about nothing the option says (aimed at another
option: "I won't get my team leader, tell me what happened") and a relief the option takes on
("you don't need your own engineer, I'll book ours" / "I can book our own engineer").

Cost, meaning_tuning.py, 18 sets: accepted right 1,406 -> 1,392 (14 lines moved from taken to
asked, 1.0%: sealed3 1, sealed4 4, sealed6 2, sealed8 1, sealed9 2, sealed10 1, sealed12 1,
sealed13 1, sealed17 1; the rest 0), mostly lines whose negation is a paraphrase the option
says positively ("it isnt just a note on the system, its a formal complaint" / "there's a formal
complaint on our system"); top-1 unchanged on every set (1,853/1,892); negations accepted 2 -> 0
and wrong accepts 3 -> 1 (sealed17: the one left is a rude line, "nothing wrong with it, you just
dont want it", whose negation the polite option paraphrases, "the mixer's fine"); `--probe`
refused option taken 0 of 2,716. Tried and not kept: the guard as the brief first put it, "no
negation over the same content in the option" alone, whatever the option says: 554 lines moved
(the "not X, I'll Y" refusals aimed at another option).

sealed17's polite explains line ("its our policy not to go into her account without her ok. that
said, you dont need a solicitor or anything today, ... ill go through them") was offered the
hand-off option for two structural reasons, neither in rules b/d/m (its options' mistakes,
no_ownership and misstates_law, are not tone mistakes, and rule b holding back no_ownership
costs 15 lines, above): (1) the turn reading (`_turned`) took its "that said" for a turn and its
turn clause's closest option was the hand-off, so the line was read rude and shown only mistake
options; a turn that frees the customer and goes on to the speaker's own act, read from the
parsed clauses rather than relieves/commits' word lists, is now no turn; (2) "or anything" was
split off as a second refusal that contradicted the sound option's "I can't confirm anything"; a
vague extender is now no clause (meaning._EXTENDER). Both free: no other line of the 18 sets
changes; sealed17 P>R 1 -> 0, top-1 102 -> 103. Left open: a reported rule qualified by "without
her ok" ("i cant go into her account without her ok") still contradicts "I need her say-so
first" (the "without" clause is split off), so a polite line stating the rule so can still be
offered the hand-off option.

And five rude.py classes of shape, each with polite twins (rude._neg27c: thanks for a notice closed
by a cheer, "a waste of everyone's time", "to be fair we did say", "with respect ... you're the only
one", "isn't really a reason for a refund"): sealed17 R>P 8 -> 3, wrong accepts 1 -> 0; no other
line of the 18 sets changes and no option of the pack reads rude by them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

ACCEPT, CONFIRM, REJECT = "accept", "confirm", "reject"

TONE_MISTAKES = frozenset({"rude", "blaming_customer", "defensive"})
"""The catalogue's mistakes of tone (scoring/catalogue.yaml): an option recording one is a
sharper reply than a warm line, whatever words the two share."""


def tone_offer(shown: Sequence[Any], *, warm: bool) -> tuple[list[Any], bool]:
    """Which of the options a line would be shown (taken, or asked about, best first) it may be
    shown, for a line rude.py does not flag; and whether the best of them was held back.

      rule b  a warm line (meaning.warm) is never shown an option recording a mistake of tone
      rule d  beside a best option that records no mistake, no option that records one is shown
      rule m  nor, if that best costs no goodwill, an option that costs some (mood < 0; neg27a)

    The matcher asks about what is left (never takes it unasked, if its best was held back) or,
    if nothing is, says it did not understand. See the module docstring for why these."""

    def held(r: Any) -> bool:
        return warm and bool(TONE_MISTAKES.intersection(r.offered.choice.mistakes))

    best_held = bool(shown) and held(shown[0])
    kept = [r for r in shown if not held(r)]
    if kept and not kept[0].offered.choice.mistakes:
        kept = [r for r in kept if not r.offered.choice.mistakes]
        if kept[0].offered.choice.mood >= 0:
            # rule m (neg27a): nor one that costs the customer's goodwill with no mistake to
            # name ("Okay, no problem. Before we go any further ...", mood -5)
            kept = [r for r in kept if r.offered.choice.mood >= 0]
    return kept, best_held


@dataclass(frozen=True)
class TypingPolicy:
    threshold: float = 0.20
    margin: float = 0.14
    floor: float = 0.10

    @classmethod
    def for_scenario(cls, scenario: Any) -> TypingPolicy:
        policy = cls()
        options = getattr(scenario, "typing", None)
        if options is None or isinstance(options, bool):
            return policy
        given = {k: getattr(options, k) for k in ("threshold", "margin", "floor")}
        return replace(policy, **{k: v for k, v in given.items() if v is not None})

    def decide(self, best: float | None, runner_up: float | None) -> tuple[str, str]:
        """(decision, reason) for the best score and the runner-up's (None if absent)."""
        if best is None or best < self.floor:
            return REJECT, "no option is close"
        lead = best - (runner_up if runner_up is not None else 0.0)
        if best >= self.threshold and lead >= self.margin:
            return ACCEPT, "confident"
        if best < self.threshold:
            return CONFIRM, "weak score"
        return CONFIRM, "close to another option"
