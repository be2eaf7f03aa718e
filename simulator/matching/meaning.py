"""What a typed line says, beyond which words it shares with an option: negation, refusal and
who does what.

Word overlap reads "I won't get the manager" as "I'll get my manager" and "I'll explain to Dan"
as "could you explain to Dan". So a line (and every phrase an option is known by) is cut into
clauses, and each clause gets

  polarity  negated when it carries a negation cue ("not", "won't", "no need to", "never")
  agent     "me" when the speaker does it ("I'll", "we'll", "let me"), "you" when the speaker
            asks someone else to ("could you", "you'll have to", "you need to"), else unknown
  content   its words without cues, pronouns and function words

A typed clause *contradicts* an option when its content is close to a clause of the option's
with the other polarity or the other agent, and closer than to any clause of that option it
agrees with. The matcher subtracts the contradiction from the option's score and never accepts
an option the line contradicts (it may still ask). Clause contents are compared by character
n-grams (quick, robust to typos); the embedding was tried there too and did no better.

Rule-based on purpose. On tests/typed/meaning.yaml (116 lines, written before this module),
benchmarks/bench_matching.py compares: word overlap alone, top-1 76% with 10 of 49 negations
accepted as what they negate; a polarity feature on the score (the refused clauses cut out and
their similarity subtracted), 91% and 1 of 49, but it accepts far fewer right lines (39 against
77); clause polarity + agent, 97% and none. It is also the one a tutor can follow: why a line
was not taken is a clause they can point at. Its limit: a refusal is matched to what it refuses
by shared words, so a paraphrased claim ("the engineers' fault" against "the engineering firm's
fault") can slip through.

The cues, beyond "not"/"won't"/"no need to": "X doesn't mean Y" denies Y; "rather than X" and
"instead of X" refuse X; "without doing X" refuses X (but "without the box" only lacks it); an
elliptical "not X" ("a calendar month, not 40 days") refuses X; a refused act with no one in
particular as its object ("I won't pass this on to anyone") refuses that act whatever its
object; "that never arrived" describes a noun and refuses nothing; "I'll ask my supervisor to
waive it" is an act of asking, not a waiver. Measured on meaning.yaml, meaning_sealed.yaml and
meaning_sealed2.yaml (all tuning data now) and, once, on meaning_sealed3.yaml (its result file).

Then (helper neg26c, tuned on all four sets; benchmarks/meaning_tuning.py prints them): "I won't
ask if X" refuses the question X; "X isn't Y" with a named subject denies the claim about X, headed
by its predicate ("the laptop repair isn't down to you" is not "we pay the laptop repair"); "go
and X" is the one act X; a negation ends where a new subject starts ("we can't refit soon, you
get the full price back"); a one-word piece ("…, Rhys.") is no clause; "by text or in branch" is
one clause; a refused act of mine does not contradict a clause that names no one and not that act
("not putting you through" / "take me through it"); and "not X, but I will Y": a refusal aimed at
another option does not count against the option the "but" clause fits (`aimed`). The matcher
also scores a line without its refusal when what the speaker will do follows it.

Then (helper neg26d, tuned on those four and meaning_sealed4.yaml after its one run): a named
third party's denied ability ("my manager can't make an exception") refuses the claim that they
can; a reported instruction or rule ("we tell people not to run", "the sign says don't run")
refuses nothing, as what others are told is not the speaker refusing; "forget X" / "never mind X"
sets X aside, an elliptical "not X"; "I didn't mean it like that" takes back what was said (an
apology, refusing nothing); handing a caller on is one act however worded ("put you through",
"pass you over", "connect you": `_HANDOFF`), so "I won't transfer you" refuses "I'll put you
through to my manager". Tried first and not kept for that: relating the refused verb phrase to
an option's by the word embedding: wordllama scores "transfer" against "put through manager"
0.17 and against "explain option" 0.17, so it cannot tell the hand-off from anything else.

Then (helper neg26e, tuned on the six sets of benchmarks/meaning_tuning.py): the polarity rule
(`no_unshared`) holds a line back only when a negation in words (not "free", not a reported rule
such as "we're told never to …") denies something the best option says or asks for, more closely
than the option's own negations agree with it: "no problem", "nothing else", "at no cost", or a
refusal aimed at another option no longer cost a confident accept. Also: texting spellings ("u",
"ur", "order no"); "unless" leaves the rule it qualifies asserted; a light act ("I won't do it
now") keeps its content; "forget what the system says" sets the claim aside; "you can't X", a
named one's "shouldn't have to" / "don't" deny a claim; an elliptical "not X" after what I will
do is my refusal; "ring"/"phone" read "call"; a hyphenated "no-X" is a modifier.

Then (helper neg26f, tuned on the seven sets, meaning_sealed6.yaml after its one run): a party
refused as the route counts against every option clause that names it ("no waiting on the data
team" / "I'll send a request to our data team"; "the courier can't sort this" / "I'll log a
complaint with the courier"); "it's not 40 days it's a calendar month" ends the negation at the
restatement, with no comma; "rather than X let's Y" refuses X only, up to the next statement;
"she doesn't need to ring in herself" is a refused requirement, like "you don't need to";
"can't promise to sign it off" denies the signing; "you don't need a doctor's letter" refuses
what an option's question asks for; "I'll put the refund back" does what "I can't refund it"
refuses; "no need to get her to call in" refuses her act, not the speaker's "I'll ring her";
"pass them everything" is no hand-off; "X doesn't mean Y" denies all of Y; "it won't come
Monday" denies the arrival an option promises. Tried and not kept: "doesn't decide" as a refused route
("my manager doesn't decide that") also contradicted the option whose team "decides it".

Then (helper neg26g, tuned on the eight sets, meaning_sealed7.yaml after its one run): "you won't
need to X, I'll Y" is the speaker taking the act on (`_taken_on`): it counts against an option
that asks the customer to do it ("could you explain to Dan?") when the two name the same thing,
however the act is worded, and against the speaker's refusal of it, never against the speaker
doing it ("it isn't yours to pay" frees the customer too; "ours to pay" is the speaker's); a
negated verb of withholding gives the thing back ("we don't keep the delivery charge back", a
double negative, contradicts "the delivery charge isn't refundable": `_NOT_WITHHELD`); "X isn't
right / on / acceptable" judges X and refuses nothing (`_VERDICTS`; the matcher leaves it out,
as it does a refusal, when it scores what the learner will do); a refused "X instead of Y"
keeps Y; "anywhere" is no place in particular; "well cover it" is "we'll"; "nobody will make
you X" frees the customer of X (`_NOBODY_MAKES`: "no one" read as the determiner "no").
Measured on new phrasings too (tests/unit/test_matching_meaning.py, the neg26g section). Tried
first and not
kept: counting a freed act against a request by content similarity alone ("say it all again" /
"explain to Dan what happened" share 0.04 of their character n-grams, and the word embedding
scores them below zero); and reading every "I'll X" as contradicting an impersonal refusal ("no
X"), which made "forget I said exception" contradict "it's not a favour or an exception".

Then (helper neg26h, tuned on the nine sets, meaning_sealed8.yaml after its one run): a negated
"more than X" states X as the limit ("we don't give more than that", "can't go above 25":
`_LIMIT`), asserted, not a refusal of the option that holds that limit; "don't bother X" is "no
need to call X" and a statement of its own, even after an "if …" with no comma (`_DONT_BOTHER`);
"to save / spare you waiting" is the customer spared the wait (`_SAVES_YOU`; "saves you £17" is
money); the customer spared an act ("you won't have to ring us") does not contradict someone
else doing it ("someone will ring you", "the duty manager will call by 5": `_done_to_you`,
`_done_by_other`), only the customer being asked to ("just ring us", "if you ring us"). Each
was a class, tested on new phrasings in tests/unit/test_matching_meaning.py (neg26h section).

Then (helper neg26i, issue 26, the lead's `countertalk match` finds on long-running-complaint
liability_worry): an act named by different words is one act (`_ACTS`, `_acts`). "Apologise",
"apology", "apologies", "say sorry", "give / offer / make an apology" all read "apology", and a
bare "I'm sorry" / "sorry about X" / "sorry for X" is the speaker's apology (`_APOLOGY`; not "I'm
sorry you feel that way" or "sorry to hear", which regret without apologising, and `said` still
drops an apology that names nothing). So "I won't apologise before the investigation" and "no
apology till it's investigated" contradict the option that says "I'm sorry", and a refusal agrees
with an option's own refusal of the same act however both are worded ("I'm not going to say sorry
while it's investigated" / "I can't say sorry at once": agreement is total, whatever else the two
name). A bare "not yet" / "not now" after a clause that names an act refuses that act, by the
speaker ("saying sorry now would prejudge things, so not yet": `_NOT_YET`). "Ring"/"phone" already
read "call" (neg26e), and a hand-off is one act (`_HANDOFF`). Probed on 43 lines of our own
across 17 states whose options differ by doing or refusing an act (hand-offs, refunds, calls,
changing an address, logging a fall, paying for a repair): only the apology ones went wrong (3
wrong accepts and 1 wrong first, none after). Tried and not kept: "money back" read as "refund"
(it removed a chance contradiction of "money back, free cake and a £75 voucher" by "we won't keep
your money", and sealed4's line then tied between the two full-refund options, top-1 96 -> 95;
the embedding already relates "money back" and "refund", and no probe needed it); and a line
opening "can't X" / "won't X" read as the speaker's with the "I" dropped ("cant do it this week
sorry" then refused "week", and lint --strict warned on two examples that had read right).

Then (the lead, after neg26i): "yours to" / "ours to" say whose act it is only before an act
("it isn't yours to pay"); before a receiver ("I'll put yours to them today", "pass ours to the
team leader") the possessive is the thing handed on and the speaker acts (`_OBJECT`). Found by
lint --strict: compensation-beyond-authority's referral option read as the customer's act, so a
learner's "I'll put it to them today" contradicted it and was offered the flat limit.

Then (helper neg26j, issue 26, tuned on the ten sets, meaning_sealed9.yaml after its one run;
its rude lines are rude.py's): an opening "you're right" / "fair enough" is a statement of its
own, comma or not (`_AGREED`), so "your right its not on the contractors, its on us" denies it is
on the contractors, as the bare denial does, and contradicts the option that says it is the
contractors' job; a list of refusals with no "or", "not a fee not an admin charge", is one
refusal after another (`_NOT_LIST`), so its second refusal counts against "it's a standard admin
charge" and is not outweighed by that option's own "not a fee"; and a thing not in / not here /
not arriving "till" a date says when it comes (`_DUE`: "the part isn't in till Friday week" is
"the part is due Friday week"), which refuses nothing, while "I won't refund until it's tested"
still refuses. Each a class, tested on new phrasings (tests/unit/test_matching_meaning.py,
neg26j section); sealed9 133/137 -> 137/137 and sealed8 156/159 -> 157/159 (its "it sounds so
tough" was read as the brush-off "tough", fixed in rude.py).

Then (helper neg26k, issue 26, tuned on the eleven sets, meaning_sealed10.yaml after its one run;
its rude lines are rude.py's): "X isn't us" / "wasn't me" / "aren't us" says X is someone else,
as "X is not us" already did (an idiom in `_IDIOMS`), and refuses nothing, so "the courier isnt
us, theyre a separate company" no longer contradicts the option that says the courier is a
separate company (sealed10 95/101 -> 96/101); "the fee isn't refundable" still refuses. And
an absence judged ("no cake for your mum's 60th after two calls is a proper let down", "no
callback was a real shame": `_ABSENCE_JUDGED`) names a missing thing, as the option's "a
missing cake … is a real let-down" does, and refuses nothing; "no refund is possible" is no
verdict and still refuses (sealed10 96/101 -> 97/101).

Then (helper neg26ac, issue 26, sealed10's remaining top-1 misses, each as a class, tested on
new phrasings in tests/unit/test_matching_meaning.py, neg26ac section): a list ending in "or"
carries a negation across its commas (`_list_tail`: "you don't need names, addresses or account
numbers" refuses all three, so "u wont need names or addresses or account numbers" agrees with
it; not a statement, "cash or card is fine", nor a question); a named party freed of an act ("the
ombudsman doesn't need to get it back for you": `_party_not_needed`) is that party refused as the
route, and an opening "no" before it answers the customer (`_IDIOMS`); a refusal of an act
against an option that does it "only" on a condition (`_ONLY`: "we don't take returns if nothing's
wrong" / "we only take returns on faulty goods") restates the rule, unless the line denies the
"only" itself; "isn't on you" is "isn't down to you" (`_ON_YOU`), "and no, the X …" answers
(`_INTERJECTED_NO`), and the customer freed of a cost the speaker pays ("the repair isn't down
to you" / "we'll cover the repair bill": `_WHOSE_COST`) is no contradiction of it. Sealed10 97/101 -> 100/101; all
sets 1116/1132 -> 1119/1132 (sealed10's "its not cash back straight off, …" now contradicts the
option that charges the repair, and ranks the option that refuses refunds on downloads first:
"not straight off" would have to read as "later", left alone).

Then (helper neg26af, issue 26, sealed11's polite line offered the option that sends the customer
door to door): a denial of what a thing is, with a pronoun subject ("that's not your door in the
photo", `_DENIAL`), denies a yes/no question only when the question asks about that thing, i.e.
ends on it (`_answers`: "is the door in the photo maybe your back door?"); "is the door in the
photo anywhere you recognise?" asks about recognising it, which the learner who says back the
customer's own "that's not my door" leaves open and asks next. All 12 sets: top-1 1218/1236 ->
1219/1236, nothing else moved.

Then (helper neg26ai, issue 26, sealed12's negation taken as what it negates and its one wrong
accept of a paraphrase, each a class tested on new phrasings in tests/unit/test_matching_meaning.py,
neg26ai section): disclaiming the choice gives it to the customer (`_NOT_OURS_TO_CHOOSE`: "it's
not for us to pick, repair or a new machine, which would you rather", "not up to me to decide",
"that's not our call" read "it's your choice"), so the negation no longer covers the remedies it
lists and contradicts the option that offers the choice; "it's for us to pick" is not rewritten.
And the phrasal "take X off you" / "take X away from you" is removing X (`_TAKEN_FROM_YOU`), so
"our terms can't take that off you" no longer meets "take me through Tuesday" on the bare verb.
All 13 sets: top-1 1320/1344 -> 1323/1344 (sealed12 101/108 -> 104/108 with the rude classes of
rude.py), wrong accepts 5 -> 0, negations accepted 1 -> 0. Also the customer freed of paying
for something themselves ("you don't have to pay for an engineer yourself, I'll book ours") is a
freed cost (`_WHOSE_COST`), no contradiction of the speaker doing it, unless the speaker's act
charges (`_CHARGES`): sealed11 100/104 -> 101/104 and sealed12 104/108 -> 105/108 (one such line
each), all 13 sets 1323/1344 -> 1325/1344.

Then (helper neg26an, issue 26, sealed13's two negations taken as what they negate, its wrong
accept of a negation and its one role reversal ranked second, each a class tested on new phrasings
in tests/unit/test_matching_meaning.py, neg26an section). Why neg26g's "you won't need to X, I'll
Y" missed "you don't have to wait for the trace, I'll send a new cot today …": not the wording
("don't have to", "won't have to", "don't need to" already read agent "you", refused; "needn't"
and "without having to" did not, and now do: `_YOU`, `_WITHOUT_HAVING`), but what it counted
against. The freed wait read as the trace refused as the route (neg26f's "no waiting on the data
team"), which hit the good option's agentless "… and trace the first one" and spared the speaker's
"I'll open a trace" (a freed act never counted against the speaker's own doing). Now an option
that does what the line takes on (`_does_taken`: the speaker's act with the same verb and one
more word in common, "send … today") is not contradicted by the freed act at all, and a party
refused as the route with an act taken on counts against the speaker's own route through it
("I'll open a trace") unless the act taken on names that party. The act taken on may carry "free"
("I'll book ours for free": no charge, no refusal), which had left the freed act with nothing
taken on. "No more emails, texts or post, you don't have to click unsubscribe" failed twice over:
"at the foot of any of our emails" read "no X" (neg26e's `_NEGISH` "any"), so the option that
asks for the click agreed with the freed click (now "any of" after a preposition is a place,
`_PLACED`); and the option's "I've switched off every kind, emails, texts and post" read its bare
list items as claims that "no more post" denied (now stopping a thing says "no more X",
`_STOPPED`, and the bare items after it are stopped too, `_stopped_items`). And "we won't leave
the laptop repair on you" is "the laptop repair isn't down to you" (`_LEFT_TO_YOU`), the cost
taken on, not the repair refused. All 14 sets: top-1 1426/1453 -> 1430/1453 by these (sealed13
101/109 -> 105/109; 106/109 with rude.py's neg26an classes), negations accepted 2 -> 0, wrong
accepts 6 -> 3 (0 with rude.py's); no other set's top-1 moved. "No need to X" in general stays
impersonal (`_NO_NEED`). Re-checked: sealed13's role
reversal "you won't need to repeat anything, I'll give the team leader both dates …" is asked
about between the two briefing options (the one that briefs "the team", and Sam Cole's); the
course's "team leader" is not a word of either, left alone.

Also here: a bare acknowledgement ("ok", "right", "mm") and a polite line (an apology, thanks),
which the matcher treats specially; and (helper neg26aw) a line that lifts the blame from the
customer (`lifts_blame`: "don't feel silly", "easy mistake", "no need to apologise", "you weren't
to know", with no "but" after it), which the matcher never offers the option that blames them:
online-return-changed-mind's blaming option opens with the same reassurance ("Don't feel daft
…, so check how big next time"), so sealed14's "dont feel silly at all, its really hard to tell
… lets just get it sorted for you" was asked about with it beside the good option.

And (helper neg27a, sealed15's commonest miss) where a warm line turns (`turn_clause`: the part
after "but", "that said", "at the end of the day", … or after the sentence that apologises), so
the matcher can read that part alone for tone and meaning (matcher.ScenarioMatcher._turned; why,
with the figures: policy.py's docstring); "X or no X" ("board or no board") is "whatever the X",
no refusal (`_X_OR_NO_X`: it contradicted "whatever the board says").

And (helper neg27b, sealed16's one polite line offered a rude option): a turn clause that frees
the customer of something (`relieves`: "you don't need to pay anyone", "no need to post it"; not
a scold, "no need to shout") or goes on to a concrete act of the speaker's own (`commits`: "I'll
book", "let me check", "we'll refund"; not a vague "I'll do it when I can", "someone will look at
it eventually", nor a hand-off, "I'll pass you to …") is read whole, never on its first sentence
alone: "you dont need to pay anyone" alone sits closest to the option that disowns the repair.
Read whole, a turn that means the sharper option still does ("it cant be done by phone … ill
post the form out", sealed12's defensive paraphrase, which a rule that let any commitment clear
the line had turned polite).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .charsim import normalise

_NEG_WORDS = frozenset(
    "not no never nothing nobody none nor cannot wont dont cant isnt arent doesnt didnt "
    "havent hasnt shouldnt wouldnt couldnt aint wasnt werent mustnt neednt without".split()
)
_IDIOMS = re.compile(
    r"\b(no problem( at all)?|no worries|not at all|not a problem|no harm done|"
    r"don'?t worry(?! about)|of course not|not to worry|no doubt|don'?t feel (daft|bad|silly)|for nothing|oh no|no idea|"
    r"no longer|(not|isn't|isnt|aren't|arent|wasn't|wasnt) (us|me|you|them|him|her|mine|ours|yours)$|"
    r"didn'?t mean (it|that)( like that)?( at all)?|not what i meant|"
    r"^(no|nope|nah)(?= (i|i'll|ill|i'm|im|we|we'll|you|it's|its|that's|thats)\b)|"
    r"^(no|nope|nah)(?= (the|my|our|your|ur|his|her|their) [a-z]+ (doesn't|doesnt|don't|dont|"
    r"can't|cant|won't|wont|isn't|isnt|aren't|arent|needn't|neednt|shouldn't|shouldnt)\b))\b"
)
_DETERMINERS = frozenset({"no", "without", "none", "nothing", "nobody"})
_DENIAL = re.compile(
    r"^(it|that|this|there|which)('s| is|s)? ?(not|isn't|isnt|is not)\b|"
    r"^(it|that|this|there)('s| is|s)? never\b|^(it|that|there) (isn't|isnt|is not|won't|wont|"
    r"doesn't|doesnt) (have to|need to|be)\b"
)
_LIMIT = re.compile(
    r"^((go|give|pay|offer|do|refund|authorise|authorize|credit|put through|compensate|award)( out| back)? )"
    r"?((you|u|anyone|people|customers) )?(any )?((more than|higher than|above|beyond) "
    r"(that|this|it|{amount})|(over|past) ({amount}))\b".replace(
        "{amount}", r"the (limit|maximum|max|cap|amount)|£?\d+\w*|[a-z]+ (pounds|quid)"
    )
)
"""A negated "more than X" states X as the limit ("we don't give more than 25", "can't go above
that"): an assertion of the cap, not a refusal of whatever the option capped at X does. "Over"
and "past" only before an amount: "you won't go over it again" is not repeating it."""
_HANDOFF = re.compile(
    r"\b(?:(put|putting|patch|patching) (you|u|him|her|them) through|"
    r"(pass|passing|hand|handing) (you|u|him|her|them)(( over| across| on| back)|(?= to\b)|(?=\W*$))|"
    r"(transfer|transferring|transfered|transferred|connect|connecting) (you|u|him|her|them))\b"
)
"""Handing a caller on is one act however it is worded: "put you through", "pass you over",
"hand you across", "connect you", "patch you through" all read "transfer you", so "I won't
transfer you" refuses "I'll put you through to my manager" though they share no word. Only with
a person as the object, and "put" only with "through": "put the refund through" is processing
and "put you on Essentials" a tariff, not a hand-off; "pass them everything" gives them a thing. (The word
embedding cannot relate them: it scores "transfer" against "put through manager" as against
"explain option", 0.17 each.)"""
_IS_A_NO = re.compile(r"(?<=\w)(?:'s| is) a no\b")  # "the 200 is a no", "that's a no"
_INTERJECTED_NO = re.compile(
    r"\b(and|but|so|oh) (?:no|nope|nah),? (?=(the|that|this|your|ur|our|my|it|its|it's|we|i|you|u)\b)"
)
""""..., and no, the laptop repair isn't on you": "no" answering the customer before a clause
with its own subject is no determiner ("and no damage" still is: `_DESCRIPTIVE_NO`)."""
_ON_YOU = re.compile(r"\b(isn't|isnt|is not|wasn't|wasnt|was not|aren't|arent) on (?:you|u)\b")
""""The repair isn't on you" is "isn't down to you": whose cost or task it is (neg26ac)."""
_DESCRIPTIVE_NO = re.compile(r"\b(with|still|and|had|have|has|got|a|the) no\b")
_ABSENCE_JUDGED = re.compile(
    r"^(no|not having (a|an|the|your)?) ?(?=[a-z]"
    r"[^,;]*\b(is|was|'s|s|would be|must be|must have been)( such| so)? (a |an )?(proper |real |big |huge |"
    r"right |total |complete |massive )?(let ?-?down|shame|disappointment|nightmare|disaster|pain|blow|worry|"
    r"headache|awful|rubbish|terrible|gutting|upsetting|horrible|unacceptable|not good enough|"
    r"not on|so frustrating|frustrating|maddening|infuriating)\b)"
)
"""An absence judged ("no cake for your mum's 60th after two calls is a proper let-down"): the
"no" is the determiner of the subject of a verdict, a missing thing, and refuses nothing; "no
refund is possible" is no verdict and still refuses."""
_NOT_OURS_TO_CHOOSE = re.compile(
    r"(\b(it's|its|it is|that's|thats|that is)( really)? not|\b(it|that) (isn't|isnt|is not)( really)?|^not) "
    r"(for|up to) (us|me|the shop|the store|the company) to (pick|choose|decide|say)"
    r"( which| what)?( one)?\b|"
    r"\b(it's|its|it is|that's|thats) not (our|my) (choice|call|decision|place to (pick|choose|decide))\b"
)
"""Disclaiming the choice gives it to the customer (neg26ai): "it's not for us to pick, repair
or a new machine, which would you rather" is "it's your choice", the option that offers the
choice, and refuses neither remedy; read literally its negation covered the remedies it lists and
contradicted that very option (sealed12). The clause is rewritten before parsing."""
_TAKEN_FROM_YOU = re.compile(
    r"\btake (that|it|this|them|those|these|your \w+|ur \w+|the \w+) (off|away from|away off|from) (you|u)\b"
)
"""The phrasal "take X off you" / "take X away from you" removes X (neg26ai): "our terms can't
take that off you" refuses removing the customer's right, and must not meet an option's "take
me through Tuesday" on the bare verb "take" (sealed12: the good option read as contradicted and
the one that says the terms are final was taken)."""
_LEFT_TO_YOU = re.compile(
    r"\b(?:i|we|i'm|im|i am|we're|we are)(?: won't| wont| will not| don't| dont| do not| not going to|"
    r" aren't going to| arent going to| can't| cant| shan't)"
    r" leave ((?:the |your |ur |that |this |it )?(?:[a-z£0-9'-]+ ){0,3}?[a-z£0-9'-]+)"
    r" (?:on|to|with|for) (?:you|u)\b"
)
"""The speaker not leaving a cost or an act "on you" / "to you" / "with you" frees the customer
of it: "we won't leave the laptop repair on you" says "the laptop repair isn't down to you"
(neg26an, sealed13, where it was read as the speaker refusing the repair and the option that
leaves the repair to the customer was taken). Rewritten so, the cost is whose (`_WHOSE_COST`)."""
_PIECE = re.compile(r"([^,.;:!?()\u2014\u2013]+)([,.;:!?()\u2014\u2013]*)")
_SPLIT = re.compile(
    r"\b(rather than|instead of)\b|"
    r"\b(but)\b|\b(?:though|although|however|instead|so that|so|then|because|cos|as|otherwise)\b|"
    r"\b(or|nor|(?<!\bgo )(?<!\bcome )(?<!\btry )and)\b|(?=\b(?:if|unless|without|whether)\b)"
)
""""and" joins two clauses, except in "go and X", "come and X", "try and X", which are the one
act X: "it's not for you to go and complain" refuses complaining."""
_EXTENDER = re.compile(
    r"\s+(or|and) (anything|something|whatever|owt|stuff|that)( (else|like that|of the sort))?"
    r"(?=\s|$)(?! (to|of|in|on|at|for|from|you|u|we|i|it|is|was|that|this|the|a|an|with)\b)"
)
"""A vague extender ("you don't need a solicitor or anything today", "a letter or something")
adds no clause of its own: split off at "or", "or anything" was read as a second refusal, of
"anything", and contradicted "I can't confirm anything" (neg27c, sealed17's polite explains
line). "or anything else you need" goes on, and is left alone."""
_QUERY = frozenset("ask check wonder question query".split())
"""Acts whose object is a question: "I won't ask if the shop changed the driver" refuses the
question (the shop changed the driver), by the speaker, not only the asking."""
_CONTRAST = frozenset({"rather than", "instead of"})
"""What follows "rather than" / "instead of" is refused, by whoever does the rest: "I'll arrange
the repair myself rather than have the repair centre ring you" refuses the repair centre ringing."""
_SUBJECT = frozenset(
    "i i'll i'm i've i'd ill im we we'll we're we've we'd you you'll you're you've you'd it "
    "it's its he she they he'll she'll they'll".split()
)
_NOT_ASSERTED = re.compile(r"^(if|unless|whether)\b|\b(did|didn't|have|haven't|do|don't) you$")
_FEELING = re.compile(
    r"\b(i'm|im|i am|i'd be|i was) (so |really |very |truly |terribly )?(sorry|afraid|glad|"
    r"fed up|annoyed|upset|angry|frustrated)\b|\bi (know|think|understand|can see|can hear|"
    r"see|hear|get)\b"
)
# "yours to pay" says whose the act is; "I'll put yours to them" names who receives it (a
# possessive object, then "to" a person), so it says nothing about who acts.
_OBJECT = r"(them|him|her|us|me|you|the|a|an|my|our|your|their|its|it|someone|somebody|anyone)"
_ME = re.compile(
    r"(^|\s)(i'll|i will|ill|i'm|im|i am|i can|i'd|i've|we'll|we will|we're|we are|we can|"
    r"let me|let's|lets|i|we)\s+(?!(?:sorry|afraid|think|know|glad)\b)\w"
    r"|\b(myself|ourselves)\b|\b(ours|mine) to\b(?!\s+" + _OBJECT + r"\b)"
)
_YOU = re.compile(
    r"\b(could|can|would|will) you\b|\byou (don't |dont |do not |won't |wont |will not |"
    r"wouldn't |shouldn't )?(need|have to|must|should)\b|\byou('ll| will| would|'d)? (need|have|got) to\b|"
    r"\byou('ve| have) got to\b|\byou (must|should)\b|\byourself\b|"
    r"\byou (needn't|neednt|need not)\b|\bno need for you to\b|\byours to\b(?!\s+"
    + _OBJECT
    + r"\b)|\bdown to you\b"
)
_STOP = frozenset(
    "i i'll i'm i've i'd ill im ive me my mine myself we we'll we're we've we'd us our ourselves "
    "you you'll you're you've you'd your yours yourself he him his she her they them their it "
    "it's its this that that's these those there there's here a an the to of in on at for with "
    "by from up about into over out off and or but so then if as just really very quite only "
    "also too still even now right well ok okay oh yes yeah sure please sorry thanks thank "
    "is are was were be been being am do does did doing have has had having will would shall "
    "should can could may might must need needs let let's lets going gonna get got go "
    "what's whats what how when why which who he'll she'll they'll he's she's they're he she'd "
    "unless whether either neither".split()
)


@dataclass(frozen=True)
class Clause:
    text: str
    negated: bool
    agent: str | None  # "me" (the speaker commits to it) | "you" (asks someone else) | None
    content: str  # for a negated clause, only the words in the negation's scope
    verb: str = ""  # the first content word: the act, for who-does-what
    refuses: bool = False  # a negation that denies an act or a claim (see _clause)
    asserted: bool = True  # False for a question or a condition: it states nothing
    but: bool = False  # opens with "but": "not X, but I can Y"
    party: str = ""  # a party refused as the route: "no waiting on the data team" (see _ROUTE)
    by_other: bool = False  # the refused act is someone else's: "don't get her to ring us"
    taken: str = ""  # what the speaker takes on instead: "you won't need to X, I'll Y" (Y)
    gives_back: bool = False  # "we don't keep the charge back": given back (_NOT_WITHHELD)
    judges: bool = False  # "two missed visits isn't on": a judgement (_VERDICTS)


_NEGISH = frozenset("free any optional waive waived waiving unnecessary needn't".split())
"""Words that say "no X" without a negation ("the callout is free", "for any reason"): a clause
with one agrees with a negated clause about the same thing, though it never refuses anything.
"free" before a noun only describes it ("Essentials with free streaming" offers the tariff, and
"I won't put you on Essentials with free streaming" refuses it)."""


_ASKING = frozenset("ask asking check checking see request requesting get try trying".split())
"""Acts that hand a waiver to someone else: "I'll ask my supervisor to waive it" is an act of
asking (positive, the speaker's), and only what follows "to" is the waiver. Without the split, the
clause read as "no charge" and agreed with "I won't ask my supervisor to waive it"."""

_MEANING = frozenset("mean means meant".split())
"""'X doesn't mean Y' denies the claim Y: "being past 30 days doesn't mean you just get the
manufacturer's number" refuses "the most we can do is give you the manufacturer's number"."""


_SWITCHED_OFF = re.compile(
    r"^(all )?\w+( \w+)? off$|\bout of (our|my|your) hands\b"  # "marketing off"; "out of our hands"
)


_STOPPED = re.compile(
    r"^(i|we)('ve| have|ve)? (just |now |already )?(switched|turned|stopped|cancelled|canceled)"
    r"( off)?\b(?! (you|your|the (call|chat)))"
)
"""The speaker stopping a thing ("I've switched off every kind", "we've cancelled the
newsletter") says "no more X", as "marketing off" does: it agrees with "no more emails" and
refuses nothing. The bare list items after it ("…, emails, texts and post") are what was
stopped (`_stopped_items`), not a claim of their own that "no more post" denies (neg26an,
sealed13). Not "I've stopped you being charged twice" nor "stopped the call"."""


_WITHOUT_HAVING = re.compile(r"^without (you |u )?(having|needing) to\b")
"""The customer freed of an act in a "without" clause ("without having to click unsubscribe")."""

_PLACED = [[w] for w in "of on in at from to into under".split()]
"""Prepositions after which "any of" names a place or a thing among several ("click unsubscribe
at the foot of any of our emails", neg26an: read "no X" it made the request agree with "you
don't have to click unsubscribe"), not a negation's "any"."""


_WHEN = frozenset("after before until till within since".split())
"""A time limit after a negation is not negated: "we can't do anything after 30 days"."""


_COPULA_NEG = frozenset("isnt isn't arent aren't wasnt wasn't werent weren't".split())
_COPULA = frozenset("is are was were".split())
_PRONOUN_SUBJECT = frozenset("it it's its that that's this there there's which what".split())
"""A negated "is" after a named subject denies a claim about it ("the laptop repair isn't down
to you", "refunds aren't only in the first 30 days", "Monday isn't soon enough"). The pronoun
subjects are _DENIAL's (their scope is what follows the negation); a named subject stays in
what is denied, as it is what the option's claim is about."""

_NEW_SUBJECT = frozenset(
    "i i'll ill i'm im i've ive we we'll we're were we've you'll youll you're youre you've "
    "youve they'll theyll".split()
)
_YOU_VERB = frozenset("get can will could would should need have must may might are".split())
"""A negation's scope ends where a new subject starts ("we can't refit soon | you get the full
price back"): a subject pronoun, or "you" before a modal or "get"; an object "you" ("I won't put
you through") does not end it."""


def _scope_end(tail: list[str]) -> int:
    if tail[1:2] and tail[1] in _MEANING:
        return len(tail)  # "that doesn't mean it's all you're owed": the claim denied, whole
    for i, w in enumerate(tail[1:], 1):
        if tail[i - 1] in _NOT_A_NOUN or tail[i - 1] == "that":
            continue  # "I can't promise you'll get it": what is said is inside the negation
        if w in _NEW_SUBJECT or (w == "you" and tail[i + 1 : i + 2] and tail[i + 1] in _YOU_VERB):
            return i
        if _restated(tail, i) and not _NOT_A_NOUN.intersection(tail[max(0, i - 2) : i]):
            return i  # not "I can't tell you it's on its way": what is said stays negated
    return len(tail)


_RESTATE = frozenset("it's that's there's thats theres let's lets".split())
_RESTATE_NEXT = frozenset("a an the one just only actually really our your my".split())


def _restated(words: list[str], i: int) -> bool:
    """Does a new statement start at words[i]: "it's not 40 days | it's a calendar month", "rather
    than sell you a bundle | let's note it"? "it's"/"that's"/"there's"/"let's" always ("lets"
    too: "let" never takes an "s" as a verb otherwise); "its" only before a determiner or a
    number, as "its settings" is a possessive."""
    w = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in _RESTATE:
        return True
    return w == "its" and (nxt in _RESTATE_NEXT or nxt[:1].isdigit())


def _is_neg(w: str) -> bool:
    return w in _NEG_WORDS or w.endswith("n't")


_ROLES = {
    "supervisor": "manager",
    "boss": "manager",
    "leader": "manager",
    "tl": "manager",
    "blame": "fault",
    "blaming": "fault",
    "ring": "call",
    "rang": "call",
    "ringing": "call",
    "phone": "call",
    "phoned": "call",
    "phoning": "call",
}
"""Whoever a learner hands on to is one person for meaning: "I won't get the manager" refuses
"I'll ask my team leader" too. Likewise "blame the engineers" is "the engineers' fault"."""


def _stem(w: str) -> str:
    """A light stem, so a clause's content meets its paraphrase: "engineers'", "engineer's" and
    "engineering" all read "engineer"; "charges", "charged" and "charging" read "charg"."""
    w = w.rstrip("'")
    if w.endswith("'s"):
        w = w[:-2]
    for end, keep in (("ing", 5), ("ies", 4), ("ed", 4), ("es", 4), ("s", 3)):
        if w.endswith(end) and len(w) - len(end) >= keep - 1 and not w.endswith("ss"):
            return w[: -len(end)] + ("y" if end == "ies" else "")
    return w


_ACTS = dict.fromkeys(
    "apologise apologize apologises apologizes apologised apologized apologising apologizing "
    "apologies apology".split(),
    "apology",
)
"""One act, however it is named: "apologise", "apology", "say sorry", "give an apology" (see
_acts) all read "apology", as "ring"/"phone" read "call" (_ROLES) and a hand-off is "transfer
you" (_HANDOFF). A refusal worded with one ("I won't apologise") refuses the option that does it
in another ("I'm sorry": _APOLOGY), and agrees with an option's own refusal in a third ("I can't
say sorry at once": by_clause). "Money back" is not read "refund": see the module docstring."""
_SAY = frozenset("say says saying said".split())


def _acts(words: list[str]) -> list[str]:
    """The words with each act named by a phrase read as its one word (see _ACTS): "say sorry",
    "saying sorry", "give an apology" and "offer my apologies" are "apology"."""
    out: list[str] = []
    for w in words:
        gives = _GIVES_APOLOGY.match(" ".join(out[-2:])) if _ACTS.get(w) == "apology" else None
        if w == "sorry" and out and out[-1] in _SAY:
            out[-1] = "apology"
        elif gives:
            # "give an apology", "offer my apologies": the apology is the act, not the giving
            del out[-2 if gives.group(2) else -1 :]
            out.append("apology")
        else:
            out.append(_ACTS.get(w, w))
    return out


_GIVES_APOLOGY = re.compile(
    r"(?:^|.* )(give|gives|giving|offer|offers|offering|make|making)( an| my| our| any| a)?$"
)
"""The light verb before an apology ("give an apology", "offer my apologies"): the act is the
apology, so "we can't give an apology" refuses it as "we can't apologise" does."""


def _content(words: list[str]) -> list[str]:
    words = _acts(words)
    out = [_stem(_ROLES.get(w, w)) for w in words if w not in _STOP and not _is_neg(w)]
    return [w for i, w in enumerate(out) if not (w == "team" and out[i + 1 : i + 2] == ["manager"])]


_LIGHT = frozenset("do doing get getting go going now".split())
"""Act and time words that are stop words elsewhere: a clause of nothing else ("I'll do it now",
"I won't do it now") is still an act, and its refusal refuses it. Without them such a clause had
no content, so "i wont do it now, before lunch" was taken as "ill do it now, before lunch"."""


def _light(words: list[str]) -> list[str]:
    """The light act of a clause with no other content (see _LIGHT), when it has a verb."""
    light = [w for w in words if w in _LIGHT]
    return light if any(w != "now" for w in light) else []


_UR_ARE = re.compile(
    r"\bur (?=(not|right|wrong|welcome|fine|ok|okay|entitled|owed|due|covered|going|gonna|"
    r"getting|still|already|allowed|able|on)\b)"
)
_TEXTSPEAK = {"u": "you", "ur": "your", "urself": "yourself", "r": "are", "pls": "please"}


_NUMBER_NO = re.compile(
    r"\b(order|ref|reference|account|acc|policy|invoice|tracking|phone|tel|case|booking|"
    r"membership|card|serial|model|contact|customer|parcel) no\b"
)
""" "Your order no and postcode": "no" after such a noun is "number", not a negation."""


def _texted(text: str) -> str:
    """The piece normalised, with texting spellings read as the words the cues know: "u dont
    need a doctors letter" is "you dont need …" (a "you" clause), "ur not tied in" is "you're
    not …". sealed5, typed as learners text, lost its agents and subjects without this."""
    t = _NUMBER_NO.sub(r"\1 number", _UR_ARE.sub("you're ", normalise(text)))
    return " ".join(_TEXTSPEAK.get(w, w) for w in _WELL.sub("we'll ", t).split())


_WELL = re.compile(
    r"(^|(?<=\band )|(?<=\bso )|(?<=\bthen )|(?<=\bbut ))well (?=(pay|cover|sort|send|refund|"
    r"call|ring|text|email|book|arrange|give|put|fix|replace|note|log|waive|credit|chase|pass|"
    r"post|get)\b)"
)
"""A clause opening "well pay", "and well cover the repair bill": "we'll" typed without its
apostrophe (the speaker's act), not "well, …"."""


_COMPOUND_NO = re.compile(r"\b[Nn]o-(?=\w)")
""" "Our no-dogs policy never applies to assistance dogs", "a no-quibble refund": a hyphenated
"no-X" is a compound modifier, one word ("nodogs"), not a negation; read as one, its "no" took
the clause's negation and left "never applies to assistance dogs" out of it."""


_X_OR_NO_X = re.compile(r"\b(\w+) or no \1\b", re.IGNORECASE)
""" "Board or no board", "receipt or no receipt": whatever the X, an idiom that denies nothing
(neg27a: it read as refusing the board, and so contradicted "whatever the board says")."""


_DONT_BOTHER = re.compile(
    r"(?<!\bi )(?<!\bwe )(?<!\bthey )(?<!\bhe )(?<!\bshe )(?<!\bwhy )"
    r"\b(?:don'?t|do not|no need to|never) bother(?: (?:with|ringing|calling|phoning|contacting|"
    r"chasing|emailing|writing to|going to|going back to|asking))?\b",
    re.IGNORECASE,
)
""" "Don't bother the card company, ring me": telling the customer there is no need to go to X,
as "no need to ring the card company" says, and a statement of its own (after "if it's not back
in 5 days", which leaves no comma), so it is split off and read that way."""


_SAVES_YOU = re.compile(
    r"\b(?:to )?(?:save|saves|saving|spare|spares|sparing) (?:you|u)(?: from)?"
    r"(?=( \w+ing\b| the (trouble|bother|hassle|wait|journey|trip)\b| a (trip|journey|wait)\b))",
    re.IGNORECASE,
)
""" "I'll do it myself, to save you waiting": the customer spared an act, as "so you won't have
to wait" says (not "saves you £17", money kept)."""

_DUE = re.compile(
    r"\b(?:isn't|isnt|is not|aren't|arent|are not|won't be|wont be|will not be|won't|wont|"
    r"will not|doesn't|doesnt|does not|don't|dont|do not|not) (?:(?:be )?(?:in|here|back|available|"
    r"ready|in stock|due)|come|come in|arrive|land|get here|turn up) (?:till|until|til)\b"
)
"""When a thing comes, said with a negation: "the part isn't in till Friday week", "it won't
arrive until Monday" state that it comes then ("the part is due Friday week"), and deny nothing:
not the option that says "the part's on order for Friday week"."""

_NOT_LIST = re.compile(
    r"(\b(?:not|no) (?:a |an |any )?[a-z£0-9']+(?: [a-z£0-9']+)?) (?=(?:not|no) (?:a|an|any)\b)",
    re.IGNORECASE,
)
"""A list of refusals with no "or" between them, "not a fee not an admin charge", is one
refusal after another, as "not a fee, not an admin charge" is; read as one clause, the second
refusal ("admin charge") was outweighed by the option's own "not a fee" and refused nothing."""

_AGREED = re.compile(
    r"^(?:(?:yes|yeah|ok|okay|no|sorry) )?(?:(?:you're|youre|you are|your) (?:right|correct|spot on)|"
    r"fair (?:enough|point|play)|that's fair|thats fair|true) (?=(?:it|it's|its|that|that's|thats|"
    r"this|there|there's|theres|we|we're|were|i|i'm|im|the)\b)"
)
"""An opening "you're right" / "fair enough" agrees with what the customer said and is a
statement of its own, typed or not with a comma: "your right its not on the contractors" denies
that it is on the contractors, as "it's not on the contractors" does (the acknowledgement kept
the denial from reading as one: a claim's denial is read from the start of its clause)."""


_LIST_TAIL = re.compile(r"\s*(?:[a-z'-]+ ){0,3}[a-z'-]+ (?:or|nor) (?:[a-z'-]+ ?){1,4}\s*")


_LIST_HEAD = re.compile(r"\b(need|needs|needed|no|without|any|want|ask for|take)( [a-z'-]+){1,3}$")
"""The negated clause a list continues names its first item last ("you don't need names", "no
receipts", "we won't ask for photos")."""
_LIST_VERBS = frozenset("is are was were be been fine ok okay works work does do did".split())


def _list_tail(piece: str, out: list[Clause]) -> bool:
    """Is this piece the rest of a list begun by a negated clause ("..., addresses or account
    numbers")? Only nouns joined by "or", with no subject of their own."""
    if not out or not out[-1].negated or not out[-1].asserted:
        return False
    if not _LIST_HEAD.search(out[-1].text):
        return False  # "I can't promise the full 649 back, repair or replacement first": news
    words = piece.split()
    return (
        bool(_LIST_TAIL.fullmatch(piece))
        and not any(w in _SUBJECT or w in _NEG_WORDS or w in _LIST_VERBS for w in words)
        and words[0] not in ("and", "but", "so", "then", "or", "if", "unless", "because")
    )


def clauses(text: str) -> tuple[Clause, ...]:
    """The clauses of a line with their polarity, agent and content (empty content dropped).

    A question or a condition ("if you won't…", "…did you?") asserts nothing, so its negation
    and agent are not counted; a negation covers the words after it ("I won't get the manager":
    "get the manager"); "without the box" is a clause of its own.
    """
    out: list[Clause] = []
    text = _X_OR_NO_X.sub(r"whatever the \1", text)
    text = _DONT_BOTHER.sub(", no need to call", _COMPOUND_NO.sub("no", text))
    text = _SAVES_YOU.sub(" so you won't have to", text)
    text = _NOT_LIST.sub(r"\1, ", text)
    text = _NOT_OURS_TO_CHOOSE.sub("it's your choice", text)
    text = _TAKEN_FROM_YOU.sub(r"remove \1", text)
    text = _LEFT_TO_YOU.sub(r"\1 isn't down to you", text)
    for m in _PIECE.finditer(text):
        question = "?" in m.group(2)
        if len(m.group(1).split()) == 1 and out:
            continue  # "No need to apologise, Rhys.": a name or a word said in passing
        piece = _HANDOFF.sub("transfer you", _IS_A_NO.sub(" is not", _texted(m.group(1))))
        piece = _DUE.sub("due", _AGREED.sub("", piece))
        piece = _ON_YOU.sub(r"\1 down to you", _INTERJECTED_NO.sub(r"\1 ", piece))
        piece = _DESCRIPTIVE_NO.sub(r"\1 without", _IDIOMS.sub(" ", piece))
        piece = _ABSENCE_JUDGED.sub("missing ", piece)
        piece = _EXTENDER.sub("", piece)
        parts = _SPLIT.split(piece)
        # A condition anywhere in the piece makes all of it conditional ("refund if that fails").
        # Not "unless": "they won't get your number unless you want it" states the rule, and
        # only its exception is conditional.
        conditional = any(
            p and _NOT_ASSERTED.search(p.strip()) and not p.strip().startswith("unless")
            for p in parts
        )
        # "you don't need names, addresses or account numbers": a piece that is only the rest
        # of a list ending in "or" carries the negation of the clause before it, as "names or
        # addresses" does (a comma list with no "or" does not: "no cash refunds, credit note
        # only").
        joined_by = "or" if "?" not in m.group(2) and _list_tail(m.group(1), out) else None
        contrast = False
        after_but = False
        start = len(out)
        for part in parts:
            if part == "but":
                after_but = True
                continue
            if part in _CONTRAST:
                # "no voucher instead of a complaint": a refused "X instead of Y" keeps Y.
                contrast = not (len(out) > start and out[-1].refuses)
                continue
            if part in ("or", "nor"):
                joined_by = part
                continue
            if part == "and":
                joined_by = None  # "no damage and a deadline": the negation stops here
                continue
            words = part.split() if part else []
            if not words:
                continue
            if words[0] == "without":
                # "without the box I'd have to …": the box is negated, the rest is not.
                freed = _WITHOUT_HAVING.match(" ".join(words))
                skip = len(freed.group(0).split()) if freed else 1  # "without you having to"
                rest = next(
                    (i for i, w in enumerate(words[skip:], skip) if w in _SUBJECT), len(words)
                )
                lack = _clause(" ".join(words[:rest]), question or conditional)
                if lack and lack[0].asserted and freed:
                    # "without having to click unsubscribe": the customer freed of the act, as
                    # "you won't have to click" is, not the speaker refusing it (neg26an).
                    c = lack[0]
                    lack = [Clause(c.text, True, "you", c.content, c.verb, True, True)]
                elif lack and lack[0].asserted and words[1:2] and words[1].endswith("ing"):
                    # "I'll sort it without getting my manager": an act refused, by whoever
                    # does the rest of the line.
                    by = out[-1].agent if out and out[-1].agent else None
                    if by is None and rest < len(words):
                        by = "me" if _ME.search(" ".join(words[rest:])) else None
                    c = lack[0]
                    lack = [Clause(c.text, True, by, c.content, c.verb, True, True)]
                out.extend(lack)
                words = words[rest:]
            prev = out[-1] if out else None
            if (
                words[:1] in (["if"], ["whether"])
                and prev is not None
                and prev.refuses
                and prev.asserted
                and prev.content.split()[-1] in _QUERY
            ):
                # "I won't ask if the shop changed the driver": the question is refused too.
                asked = _clause(" ".join(words[1:]), question)
                if asked and not asked[0].negated:
                    c = asked[0]
                    out.append(Clause(c.text, True, prev.agent, c.content, c.verb, True, True))
                    out.extend(asked[1:])
                    joined_by = None
                    continue
            then: list[Clause] = []
            if contrast:
                # "rather than sell you a bundle let's note it": what is refused ends where a
                # new statement starts, with or without a comma; the rest is said, not refused.
                cut = next(
                    (
                        i
                        for i in range(1, len(words))
                        if words[i] in _NEW_SUBJECT or _restated(words, i)
                    ),
                    None,
                )
                if cut is not None:
                    then = _clause(" ".join(words[cut:]), question or conditional)
                    words = words[:cut]
            # "refund if that fails" is conditional; "I'll ask my supervisor if …" is still an act.
            said = " ".join(words)
            acted = bool(_ME.search(_FEELING.sub(" ", said)) or _YOU.search(said))
            made = _clause(said, question or (conditional and not acted))
            prev = out[-1] if out else None
            # Only "or"/"nor" carry a negation on; a comma list does not ("no cash refunds,
            # credit note only"), nor does "and" ("no damage and a deadline").
            if (
                made
                and joined_by
                and prev is not None
                and prev.negated
                and not made[0].negated
                and not any(w in _SUBJECT for w in words)
            ):
                # "no need to track it or call us again": the negation covers both.
                c = made[0]
                made = [
                    Clause(c.text, True, prev.agent, c.content, c.verb, prev.refuses, c.asserted)
                ]
            if (
                made
                and joined_by == "or"
                and prev is not None
                and not prev.negated
                and not made[0].negated
                and prev.asserted == made[0].asserted
                and not any(w in _SUBJECT for w in words)
            ):
                # "security by text code or in branch": an alternative within one clause, not a
                # clause of its own ("in branch" alone is not what "don't come into a branch"
                # refuses).
                c = made[0]
                out[-1] = Clause(
                    f"{prev.text} or {c.text}",
                    False,
                    prev.agent,
                    f"{prev.content} {c.content}",
                    prev.verb,
                    False,
                    prev.asserted,
                )
                made = made[1:]
            if contrast and made and made[0].asserted:
                c = made[0]
                by = next((r.agent for r in then if r.agent and r.asserted), None)
                agent = prev.agent if prev is not None and prev.agent else (by or c.agent)
                made = [Clause(c.text, True, agent, c.content, c.verb, True, True), *made[1:]]
            contrast = False
            if after_but and made:
                made = [replace(made[0], but=True), *made[1:]]
            after_but = False
            if made and made[0].refuses and prev is not None and _rule_then_pronoun(prev, made[0]):
                # "the door sign says don't bring dogs, but that never counts for assistance
                # dogs": "that" is the rule reported, and what denies it refuses nothing an
                # option offers (the assistance dogs are let in).
                c = made[0]
                made = [Clause(c.text, True, None, c.content, c.verb, False, True), *made[1:]]
            if (
                made
                and made[0].refuses
                and made[0].agent is None
                and made[0].text.startswith("not ")
                and prev is not None
                and prev.agent is not None
                and prev.asserted
                and not prev.negated
            ):
                # "I'll text you next week, not phone": an elliptical "not X" after what someone
                # will do refuses X by the same someone.
                c = made[0]
                made = [Clause(c.text, True, prev.agent, c.content, c.verb, True, True), *made[1:]]
            if (
                made
                and prev is not None
                and _not_yet(made[0])
                and prev.asserted
                and not prev.negated
            ):
                # "saying sorry now would prejudge things, so not yet": a bare "not yet" /
                # "not now" is the speaker putting off the act just named, a refusal of it.
                c = made[0]
                agent = prev.agent or "me"
                made = [Clause(c.text, True, agent, prev.verb, prev.verb, True, True), *made[1:]]
            out.extend(made)
            out.extend(then)
            joined_by = None
    return _taken_on(_stopped_items(out))


def _stopped_items(out: list[Clause]) -> list[Clause]:
    """ "I've switched off every kind, emails, texts and post": the bare items listed after a
    thing stopped (`_STOPPED`) are stopped too (negated, refusing nothing), up to the first
    clause with a subject or more than three words."""
    stopping = False
    for i, c in enumerate(out):
        words = c.text.split()
        if c.negated and not c.refuses and c.asserted and _STOPPED.match(c.text):
            stopping = True
        elif (
            stopping
            and c.agent is None
            and c.asserted
            and not c.refuses
            and len(words) <= 3
            and not any(w in _SUBJECT for w in words)
        ):
            out[i] = replace(c, negated=True)
        else:
            stopping = False
    return out


_NOT_YET = re.compile(r"^(not|no) (just |quite )?(yet|now|right now|today|at the moment|for now)$")


def _not_yet(c: Clause) -> bool:
    """An elliptical "not yet", "not now", "not just yet", naming no act of its own."""
    return c.refuses and bool(_NOT_YET.match(c.text))


def _taken_on(out: list[Clause]) -> tuple[Clause, ...]:
    """ "You won't need to say it all again, I'll give Dan the whole story": the customer freed
    of an act ("you won't need to", "no need for you to", "it isn't yours to pay") in a line
    where the speaker takes something on ("I'll", "we'll"; "I'll book ours for free" too: "free"
    says no charge, it refuses nothing) is the speaker doing it instead. The
    freed clause keeps its refusal and carries what is taken on, so it also counts against an
    option that asks the customer to do it ("could you explain to Dan?"), however worded (see
    by_clause), and never against the speaker's own doing of it ("I'll fill him in")."""
    took = " ".join(c.content for c in out if c.asserted and not c.refuses and c.agent == "me")
    if not took:
        return tuple(out)
    return tuple(
        replace(c, agent="you", taken=took)
        if c.refuses and c.asserted and (c.agent == "you" or (c.party and _NO_NEED.match(c.text)))
        else c
        for c in out
    )


_NO_NEED = re.compile(r"^(there's |theres |there is )?no need to\b")
"""An impersonal "no need to wait on X" in a line where the speaker takes something on frees the
customer of the wait as "you won't need to wait" does (neg26an: "no need to wait on the trace,
we'll send a replacement today"): waiting is the customer's. Not every "no need to": "there's no
need to report anything, I'll get them to delete it" frees no one in particular (sealed7), and
read as the customer's it cost that line its accept."""


_RELATIVE = frozenset("that which who".split())
_NOT_A_NOUN = frozenset(
    "know knew think thought say said sure sorry afraid hope mean understand realise realize "
    "see saw agree feel glad shame guess believe tell told promise promised so is was".split()
)
"""Words after which "that" opens what is said or felt ("I know that isn't ideal"), not a
relative clause about a thing ("the cake that never arrived")."""


_DISMISS = re.compile(
    r"^((just|oh|so) )?(forget|never mind|nevermind)( about)?"
    r"(?= (the|those|these|this|your|our|his|her|their)\b|"
    r" what (the|your|our|my|his|her|their) \w+( \w+)? (says|said|say)\b)"
)
""""Forget the signs", "never mind the form": the speaker sets a thing aside, which refuses it
as an elliptical "not X" does ("not the signs"): it contradicts an option that insists on it.
Only a thing named by a noun phrase, or what a named one says ("forget what the system says
about repairs first" sets the system's rule aside): "forget what I said before" takes back the
speaker's own words and refuses nothing an option says."""


def _clause(part: str, question: bool) -> list[Clause]:
    part = _DISMISS.sub("not", _IDIOMS.sub(" ", part).strip())
    words = part.split()
    made_to = _NOBODY_MAKES.match(part)
    if made_to and not question and _content(part[made_to.end() :].split()):
        # "Nobody will make you take it off": what you will not have to do, as "you won't have
        # to take it off" says.
        freed = _content(part[made_to.end() :].split())
        return [Clause(part, True, "you", " ".join(freed), freed[0], True, True)]
    kept_back = _NOT_WITHHELD.search(part)
    if kept_back and not question and not _NOT_ASSERTED.search(part):
        # "We don't keep the delivery charge back": not withholding it is giving it back.
        given = _content(part[kept_back.end() :].split())
        given += [] if "back" in given else ["back"]
        agent = "me" if _ME.search(part) else None
        return [Clause(part, False, agent, " ".join(given), given[0], gives_back=True)]
    rel = next(
        (
            i
            for i, w in enumerate(words[2:], 2)
            if w in _RELATIVE
            and words[i - 1] not in _NOT_A_NOUN
            and any(_is_neg(x) for x in words[i + 1 : i + 3])
        ),
        None,
    )
    if rel is not None:
        # "I'll refund the cake that never arrived": the negation describes the cake; it
        # neither negates the refund nor refuses anything.
        described = _clause(" ".join(words[rel:]), question)
        return _clause(" ".join(words[:rel]), question) + [
            Clause(c.text, c.negated, None, c.content, c.verb, False, c.asserted) for c in described
        ]
    apologised = _APOLOGY.match(part)
    if apologised and not question:
        # "I'm sorry", "I'm so sorry about the wait": the speaker's apology, the act that "I
        # won't apologise" refuses (not "I'm sorry you feel that way": _APOLOGY).
        about = _content(part[apologised.end() :].split())
        return [Clause(part, False, "me", " ".join(["apology", *about]), "apology")]
    content = _content(words) or _light(words)
    if not content:
        return []
    asserted = not question and not _NOT_ASSERTED.search(part)
    neg_at = next((i for i, w in enumerate(words) if _is_neg(w)), None)
    if asserted and neg_at is not None and 0 < neg_at < len(words) - 1:
        end = _scope_end(words[neg_at:])
        if neg_at + end < len(words) and _content(words[neg_at + end :]):
            # "we can't refit soon you get the full price back": two clauses, the second not
            # negated.
            return _clause(" ".join(words[: neg_at + end]), question) + _clause(
                " ".join(words[neg_at + end :]), question
            )
    negated = asserted and neg_at is not None
    if negated and neg_at is not None and _LIMIT.match(" ".join(words[neg_at + 1 :])):
        # "We don't give more than that for a missed appointment", "I can't go above 25": a
        # limit stated, as "25 is the maximum we give" says, not a refusal of what the option
        # with that limit says. Read as the limit, asserted.
        limit = ["limit", "maximum", *_content(words[:neg_at] + words[neg_at + 1 :])]
        agent = "me" if _ME.search(part) else None
        return [Clause(part, False, agent, " ".join(limit), limit[0], False, asserted)]
    negish = next(
        (
            i
            for i, w in enumerate(words)
            if w in _NEGISH
            and not (w == "free" and _content(words[i + 1 : i + 2]))  # "free streaming"
            and not (
                w == "any" and words[i + 1 : i + 2] == ["of"] and words[i - 1 : i] in _PLACED
            )  # "at the foot of any of our emails": a place, not "no X" ("read any of it out")
        ),
        None,
    )
    if not negated and negish is not None and negish >= 2 and words[negish - 1] == "to":
        if _ASKING.intersection(words[: negish - 1]):
            # "I'll ask my supervisor to waive it": the asking, then the waiver it asks for.
            head = _clause(" ".join(words[: negish - 1]), question)
            return head + _clause(" ".join(words[negish - 1 :]), question)
    if not negated and (
        negish is not None or _SWITCHED_OFF.match(part) or (asserted and _STOPPED.match(part))
    ):
        agent = "me" if asserted and _ME.search(_FEELING.sub(" ", part)) else None
        return [Clause(part, True, agent, " ".join(content), content[0], False, asserted)]
    denies_claim = False
    party = False
    by_other = False
    copula = (
        negated
        and neg_at is not None
        and neg_at >= 1
        and (
            words[neg_at] in _COPULA_NEG
            or (words[neg_at] == "not" and words[neg_at - 1] in _COPULA)
        )
        and words[0] not in _PRONOUN_SUBJECT
        and bool(_content(words[: neg_at if words[neg_at] in _COPULA_NEG else neg_at - 1]))
    )
    if copula and _verdict(words, neg_at):
        # "A burning smell on a new toaster isn't right": a judgement that X is wrong, which
        # describes X (as "it won't drain" does) and refuses nothing: not a denial of "a
        # burning smell, that's worrying".
        assert neg_at is not None
        about = _content(words[: neg_at if words[neg_at] in _COPULA_NEG else neg_at - 1])
        return [Clause(part, True, None, " ".join(about), about[0], False, asserted, judges=True)]
    if negated and not copula:
        assert neg_at is not None
        # The negation's scope: the rest of the clause after a verb's negation ("won't get the
        # manager"), the next two words after a determiner's ("no box means …": the box).
        tail = words[neg_at + 1 :]
        denies_claim = bool(tail) and tail[0] in _MEANING
        if denies_claim:
            tail = tail[2:] if tail[1:2] == ["that"] else tail[1:]  # "doesn't mean (that) …"
        cut = next((i for i, w in enumerate(tail) if w in _WHEN), len(tail))
        # "can't do anything | after 30 days"; "won't do it now": the light act itself
        scope = _content(tail[:cut]) or _content(tail) or _light(tail)
        by_other = bool(_CAUSED.search(" ".join(tail)))
        if len(scope) > 1 and scope[0] in _HEDGE:
            # "my team leader can't promise to sign it off": what is denied is that she will
            # sign it off, against "I'm sure she'll sign them off"; the promise is the frame.
            scope = scope[1:]
        waited = _WAITED_ON.search(" ".join(tail[:cut]))
        if scope[:1] == ["wait"] and waited and _content(" ".join(tail)[waited.end() :].split()):
            # "no waiting on the data team", "no need to wait around for the engineers": what
            # is refused is the party waited on, as the route (see _ROUTE).
            scope = _content(" ".join(tail)[waited.end() :].split())
            party = True
        scope = scope[:2] if words[neg_at] in _DETERMINERS else scope
        if not scope and neg_at != len(words) - 1:
            return []  # "I'll try not to": nothing named is refused
        content = scope or content  # "the £200 is not": what is refused comes first
    agent = None
    if _YOU.search(part) and not part.startswith(("if ", "unless ")):
        agent = "you"  # a request is a question: "could you explain to Dan?"
    elif asserted and _ME.search(_FEELING.sub(" ", part)):
        agent = "me"
    # Only a negation that denies an act or a claim can contradict an option: the speaker's
    # ("I won't …", "we don't …"), one about the other person ("you don't need to …"), "no
    # need to …", "there's no fee", "it isn't policy". Not a description ("it won't drain")
    # or a condition ("without her permission").
    refuses = (
        negated
        and (
            agent is not None
            or (neg_at is not None and words[neg_at] == "no")
            or (neg_at == 0 and words[0] == "not")  # "not store credit", "not 40 days": elliptical
            or bool(_DENIAL.match(part))
            or denies_claim
            or copula
            or _third_party_cannot(words, neg_at)
            or (neg_at == 1 and words[0] == "you" and words[1] in _MODAL_NEG)
            or _need_denied(words, neg_at)
            or bool(_PREDICTION.match(part))
        )
        and not _reported_rule(words, neg_at)
    )
    if (
        refuses
        and not party
        and _third_party_cannot(words, neg_at)
        and (set(content) <= _ROUTE or _party_not_needed(words, neg_at))
    ):
        # "The courier can't sort this for you": a named party denied the power to sort it at
        # all is refused as the route, so the party is what the clause is about.
        assert neg_at is not None
        named_party = _content(words[1:neg_at])
        party_freed = (
            not set(content) <= _ROUTE
        )  # "doesn't need to get it back": the party is named
        content = named_party + content
        party = True
    else:
        party_freed, named_party = False, []
    verb = content[0]
    if copula:
        # What "the laptop repair isn't down to you" denies is "down to you": its head is the
        # predicate, so "we pay the laptop repair" (the same subject, another claim) is not it.
        assert neg_at is not None
        verb = next(iter(_content(words[neg_at + 1 :])), verb)
    named = " ".join(c for c in content if c not in _ROUTE) if party and refuses else ""
    if party_freed and refuses:
        named = " ".join(named_party)
    return [
        Clause(
            part,
            negated,
            agent,
            " ".join(content),
            verb,
            refuses,
            asserted,
            party=named,
            by_other=by_other and refuses and agent != "me",
        )
    ]


_APOLOGY = re.compile(
    r"^(?:(?:i'm|im|i am|we're|we are) )?(?:so |really |very |truly |terribly )?sorry"
    r"(?=$| (?:about|for)\b)"
)
"""The speaker's own apology: "I'm sorry", "really sorry about the wait", "sorry for all this".
Not "I'm sorry you feel that way" or "sorry to hear that", which regret without apologising."""


_NOBODY_MAKES = re.compile(
    r"^(nobody|no one|noone)('s| is| will| would| can| should)?( going to| gonna)? "
    r"(make|ask|force|expect|tell|get|need) (you|u) (to )?"
)
"""What no one will make the customer do is what they need not do: "nobody will ask you to
take it off" is "you won't have to take it off" (a freed act: see _taken_on)."""


_NOT_WITHHELD = re.compile(
    r"\b(don't|dont|do not|won't|wont|will not|not|never|aren't|arent|can't|cant)"
    r"( going to| gonna| be)? (withhold(ing)?|deduct(ing)?|retain(ing)?|"
    r"(keep(ing)?|hold(ing)?)(?! (you|u|him|her|them|us|me)\b)(?=( \w+){0,4} back\b))\b"
)
"""A negated verb of withholding ("we don't keep the delivery charge back", "we won't deduct
the fee") says the thing is given back: a double negative, which agrees with "you get the
delivery back" and contradicts "the delivery charge isn't refundable". "Keep" and "hold" only
with "back", and never a person: "we don't keep your card details" withholds nothing, and "I
won't hold you back" gives nothing."""


_VERDICTS = frozenset("right on ok okay acceptable normal fair good great ideal".split())
"""Predicates that judge ("X isn't right", "isn't on", "isn't acceptable"): denied, they say X
is wrong, they do not deny X. Not "good enough" / "soon enough", which turn an offer down."""


def _verdict(words: list[str], neg_at: int | None) -> bool:
    """Is "X isn't <verdict>" all that the copula denies (nothing after it but a hedge)?"""
    assert neg_at is not None
    rest = [w for w in words[neg_at + 1 :] if w not in ("really", "just", "exactly", "very")]
    return rest[:1] != [] and rest[0] in _VERDICTS and rest[1:2] != ["enough"] and len(rest) <= 3


_CAUSED = re.compile(
    r"^((have|need|got) to )?(get|getting|ask|asking|make|making|have|having) "
    r"(her|him|them|your \w+|my \w+|the \w+) to\b"
)
"""A refused act that someone else would do: "you don't have to get her to ring us" refuses her
ringing, which is not the speaker's "I'll ring your mum today" (see by_clause)."""


_HEDGE = frozenset("promise guarantee swear".split())
"""Verbs of certainty: "can't promise X" / "can't guarantee X" deny X as a certainty, so X is the
content (and its head the act), not the promising."""

_WAITED_ON = re.compile(r"\bwait(ing)?( around| about)? (on|for)\b")
_ROUTE = frozenset("sort fix help handle deal resolv resolve anyth anything much more".split())
"""A party refused as the route: "no waiting on the data team" ("no need to wait for …"), or a
named party denied the power to sort it at all ("the courier can't sort this for you", "my
manager can't help with it"). What the line refuses is going through that party, so it
contradicts an option's clause that names the party, whatever the option says it does there
("I'll send a request to our data team", "I'll log a complaint with the courier"): see
by_clause. (A denied specific act, "my manager can't make an exception", stays that act.)"""


_INSTRUCT = frozenset(
    "tell tells told telling ask asks asked asking remind reminds reminded warn warns warned "
    "advise advises advised instruct instructs instructed".split()
)
_SAYS = frozenset("say says said reads read".split())


def _reported_rule(words: list[str], neg_at: int | None) -> bool:
    """ "We do tell people not to run", "we ask customers not to …", "we're told never to …",
    "the sign says don't run":
    an instruction or a rule reported, not the speaker refusing. Its negation is what others
    are told, so it refuses nothing (it still reads as negated, like a description)."""
    if neg_at is None:
        return False
    w = words[neg_at]
    if w in ("not", "never") and words[neg_at + 1 : neg_at + 2] == ["to"]:
        return bool(_INSTRUCT.intersection(words[max(0, neg_at - 4) : neg_at]))
    return neg_at >= 1 and words[neg_at - 1] in _SAYS and (w in ("dont", "don't", "no", "never"))


def _rule_then_pronoun(prev: Clause, c: Clause) -> bool:
    """Is `c` a pronoun's denial ("that never counts for …", "it doesn't apply to …") right after
    a reported rule (`prev`: "the sign says don't …", "we ask people not to …")?"""
    words = prev.text.split()
    neg_at = next((i for i, w in enumerate(words) if _is_neg(w)), None)
    return (
        prev.negated
        and _reported_rule(words, neg_at)
        and c.text.split()[0] in ("that", "it", "this", "which")
    )


_DETERMINER_SUBJECT = frozenset("my our your his her their the a an".split())
_MODAL_NEG = frozenset(
    "cant can't cannot wont won't couldnt couldn't wouldnt wouldn't mustnt mustn't "
    "shouldnt shouldn't neednt needn't".split()
)


_DO_NEG = frozenset("dont don't doesnt doesn't".split())
""" "Our terms don't exclude lost wages": a named one's "don't" denies a claim about it too."""


def _party_not_needed(words: list[str], neg_at: int | None) -> bool:
    """ "The ombudsman doesn't need to get it back for you", "the bank won't have to chase it": a
    named party freed of the act is that party refused as the route (neg26ac, sealed10's "no
    the ombudsman doesnt need to …, thats ours to refund"), so the line contradicts the option
    that hands the case to them ("…is for the ombudsman to look at"). Only "the X" freed of an act
    of its own: "the ombudsman don't need us to agree" frees us, and "ur mum won't have to ring"
    frees a person, whom `_need_denied` reads."""
    if neg_at is None or words[0] != "the":
        return False  # "ur mum won't have to ring us herself" frees a person, not a route
    return words[neg_at + 1 : neg_at + 3] in (["need", "to"], ["have", "to"])


def _third_party_cannot(words: list[str], neg_at: int | None) -> bool:
    """ "My manager can't make an exception either", "the system won't let me": a named third
    party's denied ability (or will) is a claim, and it contradicts an option that says they
    can ("I'll put you through to my manager, who can sometimes make an exception"). The subject
    is a noun phrase opened by a determiner ("my", "the"), not a pronoun ("it can't drain" is a
    description, and "I can't" is the speaker's own refusal, with its agent)."""
    if neg_at is None or not 2 <= neg_at <= 4 or words[neg_at] not in _MODAL_NEG | _DO_NEG:
        return False
    subject = words[:neg_at]
    return subject[0] in _DETERMINER_SUBJECT and bool(_content(subject[1:]))


_THIRD = frozenset("she he they".split())
_PREDICTION = re.compile(
    r"^(it|they|she|he) (won't|wont|will not) (come|arrive|get there|get here|be there|be here|turn up|show up)\b"
)
"""A denied arrival ("it won't come Monday", "they won't turn up") is a claim about when, and it
contradicts the option that says it will come then ("it'll come Monday"). Only arriving: "it
won't drain" describes a fault and refuses nothing (tried: every "it won't X" as a claim gave
the same figures on the tuning sets but made such descriptions refusals)."""


def _need_denied(words: list[str], neg_at: int | None) -> bool:
    """ "She doesn't need to ring in herself", "they won't have to come in": what someone else
    is told they need not do denies an option's "she'll have to ring us herself", as "you don't
    need to …" does. Only a requirement: "she doesn't like it" describes her."""
    return (
        neg_at == 1
        and words[0] in _THIRD
        and words[1] in _MODAL_NEG | _DO_NEG
        and words[2:4] in (["need", "to"], ["have", "to"], ["needs", "to"], ["has", "to"])
    )


def conflicts(typed: Clause, option: Clause) -> bool:
    """Does the typed clause say the opposite of the option's clause, if they are about the
    same thing? Only an asserted negation ("I won't …", "there's no …") flips polarity, and
    only the same act by different people ("I'll explain" / "could you explain") flips roles."""
    if typed.negated != option.negated:
        return (
            typed.negated
            or (typed.agent is not None and typed.agent == option.agent)
            or (typed.gives_back and option.refuses)
        )
    if typed.negated:
        return False
    return (
        typed.agent is not None
        and option.agent is not None
        and typed.agent != option.agent
        and typed.verb == option.verb
    )


CONTRA_MIN = 0.30
"""Content similarity at which a conflicting clause counts as a contradiction."""
SAME_THING = 0.55
"""Content similarity at which a clause that names no one is about the same thing as an
option's clause even when its head is not there ("has to be back in 14 days" / "with us in the
14 days"); below it, sharing a word ("record") is not enough."""
CONTRA_MIN_IMPERSONAL = 0.50
"""The same for a typed clause that names no one ("no fee", "it isn't policy"): with no agent to
match, only closer content counts."""


_ANYONE = frozenset(
    "someone somebody anyone anybody anything something else elsewhere anywhere somewhere on "
    "through along".split()
)
ANY_SAME = 0.50
"""A refused act with no one and nothing in particular as its object ("I'm not going to pass this
on to someone", "no need to email anyone") refuses that act whatever its object: it is the same
act as an option's clause with the same verb ("I'll pass the lost wages to the team that deals
with compensation", "simplest is to email it to our data protection team"), however few other
words they share, and counts at this similarity (the impersonal floor, so a line that names no
one reaches it too). Only by the same verb: "I won't transfer you" is not "I'll brief my team
leader"."""


def _refused_to_anyone(tc: Clause) -> bool:
    words = tc.content.split()
    return tc.refuses and bool(words) and set(words[1:]) <= _ANYONE


def contradiction(
    typed: tuple[Clause, ...],
    phrase: tuple[Clause, ...],
    sim: Callable[[str, str], float],
) -> float:
    """How strongly the typed clauses contradict one phrase of an option (0 when they don't).

    A typed clause contradicts when its content is at least CONTRA_MIN close to a conflicting
    clause of the phrase and closer to it than to every clause of the phrase it agrees with.
    """
    return max((a for a, _b in by_clause(typed, phrase, sim)), default=0.0)


def _done_to_you(c: Clause, verb: str) -> bool:
    """Is the act `verb` (a content stem, "call") done to the customer in this clause ("someone
    will ring you", "we'll email you"), rather than by them?"""
    words = c.text.split()
    return any(
        _stem(_ROLES.get(w, w)) == verb and nxt in ("you", "u") for w, nxt in zip(words, words[1:])
    )


_OTHER_DOES = frozenset("will 'll ll can would could should shall".split())
_NOT_ANOTHER = frozenset("you u if unless just please".split())


def _done_by_other(c: Clause, verb: str) -> bool:
    """Is the act `verb` done by someone named before it who is not the customer ("the duty
    manager will call by 5", "someone can ring"), rather than asked of the customer ("just ring
    customer services", "if you ring us")?"""
    words = c.text.split()
    if not words or words[0] in _NOT_ANOTHER:
        return False
    return any(
        _stem(_ROLES.get(w, w)) == verb and words[j - 1] in _OTHER_DOES
        for j, w in enumerate(words[2:], 2)
    )


_WHOSE_COST = re.compile(
    r"\bdown to (you|u)\b|\byours to\b|\bto pay (for )?[^,.;]*\b(yourself|urself)\b"
)
"""Whose cost it is: "isn't down to you", "isn't yours to pay", and the customer freed of paying
for something themselves ("you don't have to pay for an engineer yourself", neg26ai), which the
speaker doing it instead ("I'll book ours to inspect it") does not contradict. Not against a
speaker's act that charges: `_CHARGES`."""
_CHARGES = re.compile(r"\b(charge|charges|charging|fee|fees|invoice)\b|\b(you|u)('ll| will)? pay\b")
_ONLY = re.compile(
    r"\b(only|just) (\w+ )?(take|takes|refund|refunds|do|does|give|gives|accept|accepts|"
    r"offer|offers|cover|covers|replace|replaces|pay|pays)\b"
)
"""An act done only on a condition ("we only take returns on faulty goods"): refused otherwise."""


def _answers(tc: Clause, pc: Clause) -> bool:
    """Does a denial of what a thing is ("that's not your door in the photo") leave a question
    about that thing open, rather than deny what it asks? A yes/no question asks about its last
    words ("is the door in the photo maybe your back door?" asks whether it is the door), so the
    denial answers it no; "is the door in the photo anywhere you recognise?" asks about
    recognising it, which "that's not your door" does not answer, and the learner who says both
    has listened to the customer's own "that's not my door" and asks on (neg26af, sealed11)."""
    asked = pc.content.split()
    return (
        tc.agent is None
        and bool(_DENIAL.match(tc.text))
        and bool(asked)
        and _stem(asked[-1]) != _stem(tc.verb)
    )


def by_clause(
    typed: tuple[Clause, ...],
    phrase: tuple[Clause, ...],
    sim: Callable[[str, str], float],
) -> list[tuple[float, float]]:
    """For each typed clause: how strongly it contradicts the phrase (0 when it doesn't), and,
    for a refusal, how well a "but I will/can …" clause after it agrees with the phrase."""
    out: list[tuple[float, float]] = []
    took = [c for c in typed if c.asserted and not c.refuses and c.agent == "me"]
    for i, tc in enumerate(typed):
        out.append((0.0, 0.0))
        if tc.negated and not tc.refuses:
            continue
        if not tc.negated and tc.agent is None:
            continue  # a plain positive statement contradicts nothing by itself
        if tc.taken and _does_taken(took, phrase):
            # "You don't have to wait for the trace, I'll send a new cot today" against "I'll
            # send a replacement today … and trace the first one": the option does what the
            # speaker takes on, so the act the customer is freed of is no contradiction of it,
            # whatever else it names (neg26an, sealed13).
            continue
        against = agree = 0.0
        anyone = _refused_to_anyone(tc)
        for pc in phrase:
            if not pc.asserted and (
                not tc.refuses or tc.agent == "me" or _condition(pc) or _answers(tc, pc)
            ):
                # "if you carry on swearing …" says nothing either way; but a question asks
                # for something, and "you don't need a doctor's letter" / "no need for a
                # doctor's letter" refuses what "have you got a letter from your doctor?" asks
                # for. (The speaker's own refusals against questions: see no_unshared.)
                continue
            if tc.by_other and pc.agent == "me":
                continue  # "don't get her to ring us" / "I'll ring your mum": another's act
            if (
                tc.agent == "you"
                and tc.negated
                and not pc.negated
                and (_done_to_you(pc, tc.verb) or _done_by_other(pc, tc.verb))
                and not _done_to_you(tc, tc.verb)
            ):
                # "You won't have to ring us" against "someone will ring you" or "the duty
                # manager will call by 5": the customer spared an act, and someone else doing
                # it (to them), are not opposites.
                continue
            freed_cost = (
                tc.agent == "you"
                and tc.negated
                and pc.agent == "me"
                and not pc.negated
                and bool(_WHOSE_COST.search(tc.text))
                and not _CHARGES.search(pc.text)
            )
            # "The laptop repair isn't down to you" against "we'll cover the repair bill":
            # the customer freed of a cost the speaker pays is no contradiction of it
            # (neg26ac). An act still is: "you won't have to take a repair" refuses "we'll
            # repair it" (with an "I'll" in the line, `_taken_on` weighs it).
            s = sim(tc.content, pc.content)
            opposed = conflicts(tc, pc) and not freed_cost
            if tc.taken:
                # The speaker takes the act on: a request that the customer do it, or the
                # speaker's refusal of it, is the opposite; the speaker doing it is not.
                asks = pc.agent == "you" and not pc.negated
                refused = pc.agent == "me" and pc.negated and pc.refuses
                routed = (
                    bool(tc.party)
                    and pc.agent == "me"
                    and not pc.negated
                    and set(tc.party.split()) <= set(pc.content.split())
                    and not set(tc.party.split()) <= set(tc.taken.split())
                )  # "no need to wait for the trace, I'll send one" / "I'll open a trace"
                opposed = asks or refused or routed or (opposed and pc.agent != "me")
                said = set(f"{tc.content} {tc.taken}".split())
                if (asks or refused) and said.intersection(pc.content.split()):
                    s = max(s, ANY_SAME)
            if (
                opposed
                and tc.refuses
                and not pc.negated
                and tc.agent == pc.agent
                and tc.verb == pc.verb
                and _ONLY.search(pc.text)
                and not re.search(r"\bonly\b", tc.text)  # "we don't only take …" denies the rule
            ):
                # "We don't take returns if nothing's wrong" against "we only take returns on
                # faulty goods": an act done only on a condition is that act refused otherwise,
                # so the refusal restates the option's rule (neg26ac, sealed10).
                opposed = False
            if opposed and anyone and tc.verb in pc.content.split():
                s = max(s, ANY_SAME)  # the same act: "pass" / "pass", not "transfer" / "brief"
            if (
                opposed
                and not tc.negated
                and pc.negated
                and pc.refuses
                and tc.agent == pc.agent == "me"
                and pc.verb in tc.content.split()
            ):
                # "I'll put the refund back on your card" against "I can't refund it": the act
                # the option refuses is the one the line does, however many words it adds.
                s = max(s, ANY_SAME)
            if opposed and tc.party and set(tc.party.split()) <= set(pc.content.split()):
                s = max(s, ANY_SAME)  # the party refused as the route, named by the option
            if opposed:
                # A clause that names no one ("no calls on your record") is about the same
                # thing only if its head (what it refuses) is in the option's clause, or the
                # two are close throughout: it shares only "record" with "I'll put that on
                # your record", and refuses nothing of it.
                head = tc.verb in pc.content.split()
                if (
                    tc.agent == "me"
                    and pc.agent is None
                    and not head
                    and s < SAME_THING
                    and pc.verb not in tc.content.split()
                ):
                    # "I'm not putting you through to claims" against "take me through it":
                    # an act of mine against a clause that names no one, whose own head is not
                    # in the refusal either, shares a word, not a meaning. ("£200 it is" is
                    # what "I'm not giving you £200" refuses: its head is in the refusal.)
                    continue
                if tc.agent is not None or s >= SAME_THING or head:
                    against = max(against, s)
            elif tc.refuses and pc.refuses and tc.verb == pc.verb:
                # The same act refused, however worded ("I won't apologise" / "I can't say
                # sorry at once": _ACTS): the line agrees with the option's own refusal, whatever
                # else the two name ("while it's investigated", "at once").
                agree = 1.0
            else:
                agree = max(agree, s)
        floor = CONTRA_MIN if tc.agent is not None else CONTRA_MIN_IMPERSONAL
        if against >= floor and against > agree:
            but = _but_i_will(typed[i + 1 :], phrase, sim) if tc.refuses else 0.0
            out[-1] = (against, but)
    return out


def _does_taken(took: list[Clause], phrase: tuple[Clause, ...]) -> bool:
    """Does the option do what the line's speaker takes on ("I'll send a new cot today" / "I'll
    send a replacement today")? The same act (verb) of the speaker's, asserted and refusing
    nothing, on the same thing: one more word in common than the verb (character n-grams score
    that pair 0.14, so similarity cannot tell it). A bare "we'll cover that" names no thing, and
    does not meet an option's "we cover the app, not your laptop" (sealed7)."""
    return any(
        pc.agent == "me"
        and pc.asserted
        and not pc.refuses
        and pc.verb == tc.verb
        and len(set(tc.content.split()) & set(pc.content.split())) >= 2
        for tc in took
        for pc in phrase
    )


AIMED = 0.8
"""A refusal is aimed at the option it contradicts most; one it contradicts less than AIMED of
that is only near it in words."""


def aimed(per_option: list[list[tuple[float, float]]]) -> list[float]:
    """Each option's contradiction, given `by_clause` for every option on offer.

    "Not X, but I'll Y": a refusal aimed at another option (it contradicts that one clearly
    more) does not count against an option that the "but" clause fits better than the refusal
    contradicts it. "I can't just assume it was faulty from the start, but I can book our
    engineer free" refuses the option that assumes it; the option that books the engineer (and
    says the fault must be shown from the start) is what the learner will do. A refusal of the
    option it is closest to always counts: "I won't give you the £200, but I'll get the engineer
    rebooked" still contradicts "£200 it is; … get the engineer rebooked"."""
    if not per_option:
        return []
    n = len(per_option[0])
    best = [max(p[i][0] for p in per_option) for i in range(n)]
    return [
        max(
            (a for i, (a, b) in enumerate(p) if not (b > a and a < AIMED * best[i])),
            default=0.0,
        )
        for p in per_option
    ]


def _but_i_will(
    after: tuple[Clause, ...], phrase: tuple[Clause, ...], sim: Callable[[str, str], float]
) -> float:
    """How well a "but I will/can …" clause after a refusal agrees with the phrase."""
    best = 0.0
    for tb in after:
        if not (tb.but and tb.agent == "me" and tb.asserted and not tb.refuses):
            continue
        for pc in phrase:
            if pc.asserted and not conflicts(tb, pc):
                best = max(best, sim(tb.content, pc.content))
    return best


_ACK = frozenset(
    "ok okay k kk right alright alrighty yes yeah yep yup aye sure fine mm mmm hmm hm uh um er "
    "erm ah oh cool great good lovely no nope nah understood noted gotcha sorted so well "
    "then and thanks ta cheers".split()
)


def says_no(text: str) -> bool:
    """Whether the line asserts a negation ("our terms don't exclude…", "you don't need a
    letter"), idioms such as "no worries" and questions or conditions aside. A line that says
    no to something is taken unasked only as an option that also says no to it: the rules above
    read who refuses what, but a negation they do not parse ("shouldn't have to", "won't get …
    unless") would otherwise be accepted as the very option it denies (sealed5: 4 of 43)."""
    return bool(negations(clauses(text)))


def negations(cl: tuple[Clause, ...]) -> tuple[Clause, ...]:
    """The clauses that say no in words: an asserted clause with a negation word in it, that is
    not a reported rule ("we're told never to read anything out", "the manual says don't run
    it"): what others are told is not the speaker saying no. A clause negated only by a word
    such as "free" or "optional" (_NEGISH) says no to nothing."""
    out = []
    for c in cl:
        if not (c.negated and c.asserted):
            continue
        words = c.text.split()
        neg_at = next((i for i, w in enumerate(words) if _is_neg(w)), None)
        if neg_at is None or _reported_rule(words, neg_at):
            continue
        out.append(c)
    return tuple(out)


NO_ABOUT = 0.30
"""Content similarity at which a typed negation is about something an option on offer says
(the clause contradiction floor, CONTRA_MIN)."""


def _condition(c: Clause) -> bool:
    return c.text.startswith(("if ", "unless ", "whether ", "when "))


def no_unshared(
    typed: tuple[Clause, ...],
    best: tuple[Clause, ...],
    offered: tuple[Clause, ...],
    sim: Callable[[str, str], float],
) -> bool:
    """Does a negation in the typed line deny something an option on offer says (its content at
    least NO_ABOUT close to an asserted positive clause of any option), more closely than the
    best option's own negations (`best`, over all its phrases) agree with it? Then the line is
    not taken as the best option unasked. A negation about nothing the options say ("we can't
    really control when they show", "at no cost", "nothing else") is not what they differ on,
    and one the best option shares ("we don't pay for lost earnings") agrees with it."""
    # A question or condition is never marked negated (it asserts nothing), but its own "no"
    # ("ok if I note it so nobody chases you?") is on the negation's side, not against it.
    said_no = [c.negated or any(_is_neg(w) for w in c.text.split()) for c in best]
    for n in negations(typed):
        agree = max((sim(n.content, c.content) for c, no in zip(best, said_no) if no), default=0.0)
        # A parsed refusal was weighed by the clause rules against what the option asserts;
        # what it asks for ("have you got a doctor's letter?") they leave out, so a refusal
        # counts here against the option's questions only.
        about = max(
            (
                sim(n.content, c.content)
                for c, no in zip(best, said_no)
                if not no and not (n.refuses and (c.asserted or _condition(c)))
            ),
            default=0.0,
        )
        if about >= NO_ABOUT and about > agree:
            return True
    return False


def said(text: str) -> str:
    """The line's clauses that say something, joined: courtesy and feeling with nothing named
    ("I'm so sorry about that", "thanks") dropped. Empty when nothing is left."""
    return " ".join(c.text for c in clauses(text) if c.content != "apology")


COPY_OVERLAP = 0.8
"""Share of words a typed line and an option must have in common, each way, for the line to be
the option's own words: fixed before any measurement, not tuned (a retyped option with a typo or
two stays above it; a line that borrows only the option's opening does not reach it)."""


def copies(option_text: str, text: str) -> float:
    """Is the typed line the option's own words, give or take a few, with no negation of its own
    ("we don't only give a credit note" shares nearly every word of "we only give a credit note"
    and is its opposite)? Such a line means that option whatever its tone: the item-writing rule
    (brief fact 33) makes many wrong options sound warm, and a learner who types one word for
    word chose it, so the tone guards that keep a sharper option from a warm line stand aside.
    0.0 if not; else the words' overlap (Jaccard), so of two options that differ by a phrase the
    one typed is the closer."""
    opt, typed = set(normalise(option_text).split()), set(normalise(text).split())
    if not opt or not typed or any(_is_neg(w) for w in typed - opt):
        return 0.0
    shared = len(opt & typed)
    if shared < COPY_OVERLAP * len(opt) or shared < COPY_OVERLAP * len(typed):
        return 0.0
    return shared / len(opt | typed)


def bare_acknowledgement(text: str) -> bool:
    """A line of acknowledgement or filler words only ("ok", "right then", "mm", "yes sure")."""
    words = normalise(text).split()
    return bool(words) and len(words) <= 3 and all(w in _ACK for w in words)


_GOODWILL = frozenset("want wanna sort sorted fix fixed help helping try trying".split())
"""Words that say the speaker means well without saying what they will do."""


def only_goodwill(text: str) -> bool:
    """An apology or a promise to help that names nothing ("I'm sorry, I do want to sort this
    out for you"): it fits every good option a little, so it is asked about, never taken."""
    t = normalise(text)
    if "?" in text or not polite(text):
        return False
    return set(_content(t.split())) <= _GOODWILL


def opens_with(option_text: str, text: str) -> bool:
    """Does the option itself open with the acknowledgement typed ("Yes, you can …")?"""
    first = normalise(option_text).split()[:1]
    typed = normalise(text).split()[:1]
    return bool(first and typed) and first[0] == typed[0]


_POLITE = re.compile(
    r"\b(sorry|apologi[sz]e|apologies|my apologies|i apologise|thank you|thanks|cheers|please|"
    r"i understand|i can see|i can hear|that's awful|thats awful|not on|fair point|you're right|"
    r"youre right|of course|i'd be (fed up|annoyed|upset|angry)|let's get it sorted|"
    r"lets get it sorted|i'm listening|im listening|"
    r"(i )?didn'?t mean (it|that)|not what i meant|(that )?came out wrong|my mistake|my bad)\b"
)


def polite(text: str) -> bool:
    """The line apologises, thanks or sympathises (the rudeness check runs separately)."""
    return bool(_POLITE.search(normalise(text)))


_LETS = re.compile(r"\b(let's|lets|let us)\b")
_TAKEN_BACK = re.compile(r"\b(but|though|tho|although|however|still|anyway|mind you)\b")


def warm(text: str) -> bool:
    """Warmth with nothing taken back after it: an apology, thanks or sympathy (`polite`), a
    "let's", or a reassurance that lifts the blame (`lifts_blame`), and no "but", "tho",
    "anyway" … after the first of them ("sorry, but the sizes are on the page" is not warm).
    Such a line is never offered an option of a sharper tone (policy.tone_offer; neg26ba)."""
    if lifts_blame(text):
        return True
    t = normalise(text)
    marks = [m.start() for m in _POLITE.finditer(t) if _given(t, m)]
    marks += [m.start() for m in _LETS.finditer(t)]
    return bool(marks) and not _TAKEN_BACK.search(t, min(marks))


_NOT_GIVEN = re.compile(
    r"\b(can't|cant|cannot|won't|wont|not|never|did|already|i've|ive|i have|i said|said|"
    r"allowed to)\W+(\w+\W+)?$"
)


def _given(t: str, m: re.Match[str]) -> bool:
    """Is this courtesy given, not refused or reported ("I can't apologise", "I did say sorry",
    "I've already said sorry")? "Please" is a request's courtesy, not warmth."""
    if m.group(0) == "please":
        return False
    return not _NOT_GIVEN.search(t[max(0, m.start() - 30) : m.start()])


def word_count(text: str) -> int:
    return len(normalise(text).split())


_LIFTS_BLAME = re.compile(
    r"\b(don't|dont|do not|no need to|never) (you )?(feel|be) (silly|daft|bad|stupid|embarrassed|"
    r"awkward|guilty|foolish|thick|dumb|like an idiot|like a fool)\b|"
    r"\b(easy|common|honest|understandable|natural) (mistake|thing to do|slip)\b|"
    r"\b(happens|happened|happen) to (everyone|everybody|all of us|the best of us|loads of (us|people)|"
    r"lots of (us|people)|anyone|anybody)\b|"
    r"\b(no need to|don't|dont|do not|never) (apologise|apologize|say sorry|be sorry)\b|"
    r"\bnothing to (apologise|apologize|be sorry|be embarrassed|feel bad) (for|about)\b|"
    r"\b(you|u) (weren't|werent|wasn't|wasnt) to know\b|"
    r"\b(you|u) (couldn't|couldnt|could not|can't|cant) have known\b|"
    r"\bhow (were|was|would) (you|u) (to|have) know(n)?\b"
)
_BUT_AFTER = re.compile(r"\b(but|though|tho|although|however|still|mind you)\b")


def lifts_blame(text: str) -> bool:
    """The line reassures the customer about their own part ("don't feel silly", "easy mistake",
    "no need to apologise", "you weren't to know") and takes nothing back after it ("don't feel
    daft, but the sizes are on the page" does: a "but" after the reassurance). Such a line is
    never offered the option that blames them (matcher.py; neg26aw, sealed14's "dont feel silly
    at all ... lets just get it sorted for you" was offered "... check how big next time")."""
    t = normalise(text)
    m = _LIFTS_BLAME.search(t)
    return m is not None and not _BUT_AFTER.search(t, m.end())


_TURN = re.compile(
    r"\b(but|though|tho|however|that said|at the end of the day|anyway|anyhow|mind you|"
    r"having said that|still(?=,))\b"
)
_OPENS_WARM = re.compile(
    _POLITE.pattern + r"|\b(i hear you|i know|i get (it|that)|i appreciate|happy to help|"
    r"glad to help|fair enough|no worries)\b"
)
_SENTENCE = re.compile(r"[.!?;]+\s+(?=\w)")
_CORRECTS = re.compile(
    r"\b(i had (that|it|this) wrong|i got (that|it|this) wrong|i misspoke|i was wrong|"
    r"my mistake|my bad|scratch that|i made a mistake|ignore what i said)\b"
)
"""The speaker takes back what they said: what follows is the new statement, not a turn."""
_SORRY = re.compile(r"sorry|apologi|i hear|i understand|awful|i can see|i can hear|i know|i get")
"""The warm marks a sentence break turns after: an apology or sympathy, not thanks."""


def turn_clause(text: str) -> str | None:
    """What a line says after it turns, when it opens warmly or apologetically and then turns
    ("im sorry, i know its annoying, but at the end of the day its just a cot" -> "at the end of
    the day its just a cot"), else None. The turn is the first contrastive word after the first
    warm mark (`_TURN`: "but", "though", "however", "that said", "at the end of the day",
    "still,", "anyway"), or, when none, the first sentence break after an apology or sympathy
    ("sorry, thats worrying. has it had a drop?"). A trailing "tho" turns the clause it ends
    ("sorry, its just a cot tho"). The matcher reads this part on its own for tone and meaning
    (matcher.ScenarioMatcher._turned; neg27a)."""
    raw = text.lower().replace("\u2019", "'")
    if _CORRECTS.search(raw):
        return None  # "ur right, i had that wrong, sorry. theres no charge": a correction
    warmth = [m for m in _OPENS_WARM.finditer(raw) if m.group(0) != "please"]
    warmth = [m for m in warmth if _given(raw, m)]
    if not warmth:
        return None
    start = warmth[0].end()
    turn = _TURN.search(raw, start)
    if turn is not None:
        tail = raw[turn.end() :]
        while (more := _TURN.match(tail.lstrip(" ,"))) is not None:  # "but at the end of the day"
            tail = tail.lstrip(" ,")[more.end() :]
        if len(tail.split()) < 2:  # "..., its just a cot tho": the clause the "tho" ends
            head = re.split(r"[,.!?;]", raw[: turn.start()])[-1]
            tail = head
    else:
        sorry = next((m for m in warmth if _SORRY.search(m.group(0))), None)
        brk = _SENTENCE.search(raw, sorry.end()) if sorry is not None else None
        if brk is None:
            return None
        tail = raw[brk.end() :]
    tail = tail.strip(" ,.;!?")
    return tail if len(tail.split()) >= 2 else None


def first_sentence(text: str) -> str:
    """The text up to its first sentence break (all of it when none)."""
    return _SENTENCE.split(text, maxsplit=1)[0].strip(" ,.;!?")


_WARM_START = re.compile(
    r"^(and |so |now )?(let's|lets|let us|sorry|thanks|thank you|i'?m (so |really |very )?sorry|"
    r"apologies|i apologi[sz]e|i understand|i'?ll (sort|fix|get|ring|call|check|look))\b"
)


def turns_warm(tail: str) -> bool:
    """Does a turn clause open with more warmth or with what the speaker will do ("lets start
    again calmly", "ill sort it today")? Then the line did not turn against the customer."""
    return bool(_WARM_START.search(normalise(tail)))


_OWNS_IT = re.compile(
    r"\b(myself|owning it|own it|take ownership|taking ownership|i'?m on it|leave it with me)\b"
)


def owns(text: str) -> bool:
    """Does the line take the matter on ("I'm owning it myself", "leave it with me")? Then a
    turn to it cannot mean the option that passes the buck."""
    return bool(_OWNS_IT.search(normalise(text)))


_RELIEVES = re.compile(
    r"\b(you|u)( really| honestly| actually)? (don't|dont|do not|won't|wont|will not|shouldn't|shouldnt)"
    r" (need|have|want) to (?!(be|get|shout|swear|raise|take|talk|speak|worry about me)\b)\w+|"
    r"\bno need (for (you|u) )?to (?!(be|get|shout|swear|raise|take|talk|speak|snap|have a go)\b)\w+|"
    r"\b(you|u)('ll|ll| will) not (need|have) to \w+"
)
"""The customer relieved of something ("you don't need to pay anyone", "no need to post it"),
not scolded ("no need to shout", "you don't need to be like that": rude.py's tone scolds)."""
_COMMITS = re.compile(
    r"\b(i'll|ill|i will|i can|i'm going to|im going to|let me|we'll|we will|we can)( \w+ly)?"
    r"( (just|also|then|now|personally|straight away))? (book|send|sort|arrange|refund|replace|fix|"
    r"call|ring|phone|check|chase|order|rebook|cover|pay|waive|post|email|text|log|raise|get (it|this|"
    r"that|you|a|an|the|one|someone|him|her|them)|put (it|this|that|the|a|an) (right|back|through (now|"
    r"today))|credit|collect|swap|repair|look (at|into)|pull|organise|organize|book|bring|deliver|"
    r"escalate|note|reset|update|cancel|process|issue|give (you|u))\b"
)
"""A first-person commitment to act ("ill book our own engineer", "let me check the order");
handing on ("I'll pass you to …", "I'll put you through", "I'll send you to …") is not among
the verbs, and `_VAGUE` keeps a non-commitment ("I'll do it when I can") out."""
_VAGUE = re.compile(
    r"\b(when i can|when i get (a |the )?(chance|minute|moment|round to it)|eventually|at some point|"
    r"if i (can|get time|remember)|one day|sometime|some time|when i'?m free|no promises|"
    r"send (you|u) (to|over to|back to|on to)|someone will|somebody will)\b"
)


def commits(tail: str) -> bool:
    """Does a turn clause go on to a concrete act of the speaker's own ("..., but you don't need
    to pay anyone. ill book our own engineer for free")? Then the line did not turn against the
    customer, in tone or in meaning (neg27b, sealed16's fridge line: its first sentence read
    alone sat closest to the option that disowns the repair). A vague promise ("ill do it when i
    can", "someone will look at it eventually") or a hand-off ("ill pass you to …") is not this."""
    t = normalise(tail)
    return not _VAGUE.search(t) and bool(_COMMITS.search(t))


def relieves(tail: str) -> bool:
    """Does a turn clause free the customer of something ("…, but you don't need to pay anyone",
    "no need to post it")? Then its first sentence alone is not read for meaning (it names what
    the customer is spared, which the option that refuses it shares); the whole clause still is,
    so "…, but you don't need to bring it in, ring the maker" still means the buck-passing option."""
    return bool(_RELIEVES.search(normalise(tail)))


MIRROR = 0.30
_LIMITS = frozenset("only most".split())
"""A limit says no to everything past it: "we only take returns on faulty goods" mirrors "we
don't take returns if nothing's wrong", "£30 is the most anyone gets" mirrors "no one gets more"."""
"""Content similarity at which an option's own negation is over the same thing as the line's
(NO_ABOUT's floor, read the other way)."""

_FIRST_PERSON = re.compile(r"\b(i|ill|i'll|im|i'm|ive|i've|id|i'd|me|my|myself|mine)\b")
_ROLE_CONTRAST = re.compile(
    r"\b(not|rather than|instead of) (you|u|yourself|yours|urs)\b"
    r"(?! (to|can|will|would|should|need|have|must|do|dont|don't|are|were|got|get|being|"
    r"having|might|may|could|any|at|in|on|as|and|or|so|that|the|a|an)\b)"
)
"""An elliptical actor contrast: "I'll do the explaining to Mark, not you", "from me rather than
you". When a clause goes on after the pronoun ("not you to worry about", "not you that has to")
it is no ellipsis (neg27c)."""


def unmirrored(
    text: str,
    typed: tuple[Clause, ...],
    best: tuple[Clause, ...],
    sim: Callable[[str, str], float],
) -> bool:
    """Does the line carry a negation or a role contrast whose scope the option does not mirror?
    Then it is never taken as that option unasked (neg27c, issue 26). A guard on acceptance, not
    a reading: whatever the clause rules made of the negation (or failed to make), an option
    that says the negated thing without saying no to it, or that gives the act to the other
    party, is at best a guess about such a line, so the learner is asked.

      negation  an asserted clause that says no in words (`negations`: idioms such as "no
                worries" and reported rules aside) over a content word, whose content is at
                least MIRROR close to something the option says positively, while no clause of
                the option's (over all its phrases) says no, or sets a limit (`_LIMITS`), about
                content MIRROR close. A negation about nothing the option says ("I won't get my
                team leader, tell me what happened") was aimed at another option and is left to
                the clause rules. Mirrored too: the line frees the other party of an act and
                the option's closest clause is the speaker taking it on ("you don't need your
                own engineer, I'll book ours" / "I can book our own engineer").
      role      an elliptical actor contrast ("I'll tell Dan, not you"; "Mark can hear it from
                me, not yours"; `_ROLE_CONTRAST`) after a piece naming the speaker, and no
                clause of the option's that is the speaker's own act about that piece's content

    `best` is every clause of the option's phrases; `typed` the line's clauses."""
    no = [c.negated or any(_is_neg(w) or w in _LIMITS for w in c.text.split()) for c in best]
    said_no = [c for c, k in zip(best, no) if k]
    for n in negations(typed):
        if not n.content:
            continue
        about = max(
            ((sim(n.content, c.content), c) for c, k in zip(best, no) if not k),
            default=None,
            key=lambda x: x[0],
        )
        if about is None or about[0] < MIRROR:
            continue
        if any(sim(n.content, c.content) >= MIRROR for c in said_no):
            continue
        if n.agent != "me" and about[1].agent == "me":
            # "you don't have to pay an engineer, I'll book ours": the option takes on what
            # the line frees the other party of, which mirrors it
            continue
        return True
    for r in _ROLE_CONTRAST.finditer(text):
        # the speaker's side of the contrast: the piece just before "not you", if it names the
        # speaker ("I'll tell Dan, not you"; "Mark can hear it from me, not you"); not "I won't
        # blame them, they're our problem not yours", where the speaker's piece is another
        before = re.split(r"[.!?;,]", text[: r.start()].rstrip(" ,"))[-1]
        if not _FIRST_PERSON.search(before):
            continue
        mine = [c for c in clauses(before) if not c.negated and c.content]
        if mine and not any(
            c.agent == "me" and not c.negated and sim(m.content, c.content) >= MIRROR
            for m in mine
            for c in best
        ):
            return True
    return False
