"""Is a typed line rude, blaming or dismissive?

Matching scores meaning, not manners: "sorry, but that's your problem" is close to an apology
option in words. So a line this detector flags is never taken as an option that records no
mistake; the state's `on_unmatched: {rude: ...}` (or the customer's reaction) handles it instead.

A small, readable lexicon of what learners actually type at a counter (blame, brush-offs,
insults, swearing), with the common polite uses carved out ("not your fault", "whatever the
reason"), and impatience ("keep up", "I've already told you") that makes the customer out to
be slow, where "you've already told me" acknowledges it. Since helper neg26h, also the ways a
line puts the customer down without an insult: blame by lecturing ("you should have ticked the
box", "check the size next time"; not what they were owed: "you should have been told", nor the
speaker's own "I'll check next time"), deflection ("don't look at me", "not my fault", "nothing
to do with me"), and minimising ("not the end of the world", "it's only a fridge", "no big
deal"), and the curt or sarcastic ("well obviously", "what did you expect"). "Useless" insults
a person, not a faulty thing ("the app is useless to you"). Predictable and explainable to a
tutor, which a learned classifier would not be.

Since helper neg26j (issue 26, sealed9's three rude lines offered or taken as a polite option):
a sarcastic refusal is dismissive ("in your dreams", "dream on", "yeah right" ending the line or
before "pal"/"lol", "as if" opening the line, "good luck with that", "lol no", "fat chance",
"nice try", "you're having a laugh"), because it quotes the demand back with a sneer and so
shares its words with the option that agrees ("200 quid lol in ur dreams pal" was taken as "£200
it is"); "as if" inside a line ("it sounds as if the courier lost it") and "good luck with the
move" are not. Lecturing with the subject dropped is blame when the act is a check the customer
skipped ("should've read the terms", "should have looked at the size guide") or is timed by
their own act ("should've backed it up before u updated"); the speaker's own dropped "I" acts on
the customer ("should've rung you back"), owns the slip ("should've checked your account first,
sorry") or is owed ("should have been told") and stays polite.
"At your own risk" blames, "not at your own risk" does not; "you shouldn't have X" lectures,
"shouldn't have to" / "shouldn't have been charged" do not. An accusation is blame in texting
spelling too ("something u did", "u must have dropped it", "you obviously overloaded it", "you
broke it"), as is saying the thing cannot fail by itself ("toasters don't just die on their
own"); a polite line that names the blame to lift it ("it wasn't something you did", "nobody's
saying you broke it", "it's not your fault") stays polite, tested on new phrasings in
tests/unit/test_matching_meaning.py (neg26j section). "Tough" brushes off only as a verdict
("tough luck", "well tough", "no refunds, tough" ending the line); "that's tough, thanks for
telling me" and "it sounds so tough" are sympathy (sealed8 and sealed9 each had one read rude).

Since helper neg26k (issue 26, sealed10's four rude lines offered or taken as a polite option):
each new set finds a new shape of rudeness, so these are classes, not phrases. A resigned
shrug is dismissive: "whatever" after "fine" / "ok" / "ugh", "your loss", "suit yourself", and
the customer's loss set against the speaker's ("ur the one losing out, not me"; not when the
line takes their side, `_SIDED`: "it's not fair you're the one losing out, not us"), while "sorry
for your loss", "your loss of earnings" and "whatever suits you" are not; "not really my
problem" is "not my problem". An accusation of misuse in any tense is blame without naming the
damage (`_MISUSE`: "ur obviously doing something wrong with it", "you must be using it wrong",
"you're not setting it up right"), unless a negation or disclaimer just before it lifts it
(`_LIFTED`: "it's not that you're using it wrong", "nobody thinks you set it up wrong", "in case
it was put in wrong"). Condescension makes the customer answer for the speaker's slip
(`_CONDESCENDING`): "listen properly" / "pay attention" said to them, "you weren't listening",
"well / look, I did say" (after an opener: "I did mention the engineer" is news), "I told you
so", and "listen" / "concentrate" joined the lecturing verbs before
"next time"; the speaker owning it ("I did say I'd ring and didn't, sorry") or listening
themselves ("I'll listen properly") stays polite. A curt brush-off shuts the door with nothing in
its place: "no point asking / complaining / arguing" ending the line, or anywhere with no route, or a refusal of anything
at all ("not allowed to tell u anything", "we can't give you anything") with no route, reason,
apology or "but" (`_ROUTE`), where "..., but if she rings us we can help" and "I can't tell you
anything yet because the tests aren't back" are the polite limit. Measured
on all eleven sets (no polite, paraphrase or negation line, and no option text, newly read rude)
and on new phrasings (tests/unit/test_matching_meaning.py, neg26k section). Not taken: a general
"well" / "look" opener plus second person, which also opens polite lines ("look, it's not your
fault"); each class above needs its own content to read rude.

Since helper neg26ac (issue 26): disowning as the last word is dismissive (`_DISOWNING_TAIL`:
"thats a plumber job not ours", "its them u need to chase not us", "thats for ur card company to
chase not me"; four sets, each with a new third party), unless the line takes something on or
gives the customer the say (`_OWNS`: "..., not us, but I'll chase them", "it's your choice, not
mine"). A learned second reader of tone was built and measured as a net under this lexicon, and
not kept: a logistic regression over the wordllama embedding plus five cheap cues, trained only
on the pack's option texts and examples (3,037 phrases, 458 from options recording a rude-type
mistake), so all eleven typed sets were held out for it. At a threshold set from the pack alone
(0.984, out-of-fold AUC 0.85) it read 2 of the sets' 167 rude lines rude (this lexicon 55, either
56) and caught 0 of the 21 rude lines the sealed runs had offered or taken as polite; lower
thresholds traded badly (0.8: 6 of the 21 for 34 false alarms on 680 ordinary lines, each of which
would cost a learner mood and a recorded mistake). The pack's rude-type options are mostly
courteously worded blame ("was it on the highest setting?"), and only six carry `rude`, so its
labels teach what a reply is about, not how it is said: tone needs labels of tone, which the pack
does not hold. A component that changes nothing measurable was not worth its weights file and
refit test.

Since helper neg26af (issue 26, sealed11's six rude lines offered or taken as a polite option):
six classes, each with its polite guard, measured on all twelve sets (no polite, paraphrase,
negation or ack line newly read rude; of the pack's 3,804 option texts and examples only the
option that records `rude`, "real customers are waiting and come first", and its example) and
tested on new phrasings (tests/unit/test_matching_meaning.py, neg26af section).

Sarcasm (`_SARCASM`, `_CLOSING_PRAISE`): laughter at the customer ("lol", "lmao"), mock awe
("must be a new world record", "give you a medal", "bully for you"), and praise closing a line
as a sentence of its own after something else ("so you lost the box. brilliant", "...? great"),
which turns what went before into a sneer. Praise opening a line ("great, I'll sort that now"),
the whole line ("ok great", an acknowledgement), or after thanks or an apology (`_WARM`: "thanks
for your patience, perfect") is not.

Patronising address (`_ADDRESS`): "love", "sweetheart", "darling", "hun", "petal", "dear" said to
the customer, known by what comes after it (the line's end or a new clause: "money's tight for
all of us love, you ..."); every set with one had it in a rude line, and no option uses one. The
verb ("I'd love to help", "we would love your feedback": a subject, auxiliary or "to" before it),
"oh dear" and a letter's "Dear Ms Brooks" are not. Not "mate"/"pal": they open options and
paraphrases the pack calls fine ("don't shout at me, mate").

Rhetorical questions at the customer (`_RHETORICAL`): "do you have any idea how short staffed we
are", "do you know how many calls we get", "who do you think you are", "what do you want me to do
about it": telling them off for asking. A real question about their facts ("any idea where that
house is?", "do you know how long it's been doing that?") needs the speaker's burden to read so.

Telling the customer to wait their turn (`_QUEUE`): "get in the queue", "wait your turn", "take a
number", "like everyone else", "everyone wants that": their case made one of a crowd. Not the
speaker queueing it for them ("I'll get you in the queue for a callback") or sparing them it
("you don't need to join the queue"; `_LIFTED` before it).

Ranking the customer below others (`_RANKED_BELOW`): "actual/paying/other customers come first",
"you're not my only customer", "I've got other people to serve"; the work ranked ("customer
complaints have to come first this week, sorry", the no_ownership option's words) is not, nor a
line that owns the slip first ("I got that wrong, you're a customer too": `_ROUTE_OWNED`).

Blaming the customer's own choice (`_OWN_CHOICE`): "you still signed up for it", "that's what you
paid for", "you knew what you were signing", "well you opted for it": the hardship or fault made
their own doing. Naming the choice to lift it ("nobody's saying you chose it", `_LIFTED`), a
fact with something taken on ("you signed up in March, I'll check what you were told") or
giving them the choice ("it's completely your choice") stays polite.

Since helper neg26ai (issue 26, sealed12's six rude lines offered a polite option and two rude
lines taken as an option): seven classes, each with its polite guard, measured on all thirteen
sets (of 5,401 set lines, option texts and examples, newly read rude: ten of sealed12's rude
lines, one each in sealed5 and sealed10 that had found their option anyway, and one sealed12
paraphrase of the defensive option, "well I can't do anything without the receipt and the box,
can I", still offered that option, which is rude-safe) and tested on new phrasings (tests/unit/test_matching_meaning.py, neg26ai
section).

A first-person disclaimer with a tag question (`_NEEDLE_TAG`): "I don't drive the vans, do I",
"I'm not a mind reader, am I": the speaker's innocence put as a question whose answer is
obvious. A tag that checks a fact ("you haven't had it yet, have you?"), agrees with the customer
("that's not good enough, is it") or owns a slip ("I didn't ring you back, did I, sorry") is not.

The customer's conduct declared useless (`_CONDUCT_FUTILE`): "shouting at me isn't going to get
your money back any quicker", "getting shirty won't help": "no point shouting" in other words.
"Complaining won't affect your account" reassures and is not.

A next-time lecture with a comparative (`_NEXT_TIME_MORE`): "maybe give us more notice next time",
"ring a bit sooner next time": the customer told they fell short. The verb opens its clause, so
"we'll give you more notice next time" (the speaker's promise) and "next time just give us a
ring" (no comparative) are not.

A hedge before a put-down (`_HEDGED`): "no offence", "no disrespect", "don't take this the wrong
way", and "with respect" before telling the customer they are wrong or no expert. "No offence
taken", "I meant no offence" and a courteous "with respect, I'm trying to help you" (the defensive
option's own words) are not.

Condescending repetition (`_CONDESCEND_AGAIN`): "just read it again slowly", "say it slower", "it's
plain English, read it". The speaker going slowly for them ("I'll read it again slowly", "shall I
go through it slowly?") and "take it slowly, no rush" are not.

Dismissive idioms (`_DISMISSIVE_IDIOM`): "cry me a river", "boo hoo", "get a grip", "grow up",
"you lot", and the complaint called moaning or whinging ("do you want to keep moaning"), unless
lifted ("nobody thinks you're moaning").

Questioning the customer's motive, or harping (`_MOTIVE`): "what are you planning to do with it
all", "why would you even need all that", "is that all you ever type". A real question with no
sneer of scope ("what will you use the letter for, so I pick the right one?") is not.

Not built: the structural rule of the brief (a line taken as a mistake-free option while sharing
few of its content words and carrying a negative cue is asked about as not understood). After
the six classes no line in the twelve sets needed it, so there was nothing to measure it on but
false alarms; the mirror for polite lines is in matcher.py (`_offered_beside`). Measured by neg26ai on all
thirteen sets, with the lexicon as it stood before neg26ai's classes (so on sealed12's six
failures) and a general cue (a closing tag question, "just", "again", "next time", "honestly",
"any quicker"): a line offered or taken as a mistake-free option while sharing under a third of
its content words would have caught 3 of the 6 for 17 good lines lost (mostly negations that mean
the good option, "u dont need to raise a ticket, just tell me what the board wants"); under a
fifth, none for 6. A rude line is offered the polite option because it shares its words, so low
sharing does not find it; still not built.

Since helper neg26an (issue 26, sealed13's six rude lines offered or taken as a polite option):
six more classes, each with its polite guard (`_neg26an`): a rhetorical "why did you …" at the
customer (`_WHY_DID_YOU`: "if you didn't want it why did you say yes", "… then", "why didn't you
just check it sooner"), disowning or minimising with "hardly" (`_HARDLY_OURS`; "hardly your fault"
lifts the blame and, like "isn't your fault", is no longer read as blame), "chill" as an order
(`_CHILL`; not the fridge's chill setting), an apology declared spent (`_APOLOGY_SPENT`; not one
repeated or followed by an act), "not exactly … is it" (`_NOT_EXACTLY_TAG`; with an apology it is
sympathy), and the customer's demand called "a bit much" / "bit rich" / "cheeky" (`_BIT_MUCH`).
Measured on all 14 sets and the pack's 3,800-odd option texts and examples: nothing newly read rude
but rude lines (the "why did you" class also catches one line each of sealed5, 6, 9, 10 and 11
that expected the blaming option, now asked about as a rude line is, not taken) and
broadband-hardship's blaming option, which records `blaming_customer`, and its example.

A structural safety net was measured and not kept: a line with a negative-stance cue (a broad
list: "why did you", "hardly", "chill", "already said", "what more", "exactly", "bit much", a
closing tag question, "obviously", "seriously", "honestly", "whatever", "mate", "pal", "lol",
"fault", "blame", "not my", "should have", "told you", "again", "only", "just a", "come on",
"well", "!!", "??") whose best option records no mistake asked about, never accepted, and not
offered at all when it shared fewer than two content words with that option. Without this
round's classes it caught 5 of sealed13's 6 rude lines offered a polite option (and its cues had
been chosen knowing them, so that is an upper bound); it cost 174 of the 1,118 lines the 14 sets
accept rightly (166 turned to a confirm, 8 to not understood: 57 polite, 46 paraphrases, 71
negations and role reversals, on every set, 7 to 22 a set), and no top-1. A tenth of good
replies asked about to catch a few lines a round is a bad trade for a learner; the classes cost
none.

Since helper neg26at (issue 26): a second learned reader of tone, this time trained on the TYPED
sets' own tone labels (kind `rude` positive; polite, paraphrase, negation, role and ack lines,
and the texts and examples of the pack's options that record no mistake, negative: 3,373
phrases, 291 rude), measured leave-one-set-out and not kept (benchmarks/tone_loso.py). Features:
the wordllama embedding, hashed word 1-2-grams and character 3-5-grams, and this lexicon's
verdict; an L2 logistic regression fitted in numpy; each fold's threshold set by grouped 4-fold
cross-validation inside its 13 training sets (the lowest score flagging at most 1% of their good
lines the lexicon leaves alone), never on the held-out set. Summed over the 14 folds, with the
lexicon as it stood before neg26at's classes: (a) the held-out sets' rude lines read rude 193 of
291 (the lexicon alone 126); (b) of the 165 rude lines the lexicon does not flag, 67 (41%; the
issue asked for half), and most of those are rude lines that mean the blaming or defensive
option on offer ("did u have it on max?", "stop typing in caps"), which find it anyway; (c) 12 of
1,294 polite, paraphrase and negation/role lines flagged (12 of the 1,269 the matcher gets right
now, 0.95%), mostly paraphrases of defensive options ("the engineers are a different firm tbh");
(d) of the 31 rude lines the sealed runs offered or took as a polite option, each scored by the
fold that held out its own set with the lexicon's verdict set to what it was when the line
failed (not rude), 7 (23%; sealed13's six: none). Through the matcher with the gate on (a line
the fold flags takes the rude route) top-1 went 1431 -> 1429 and accepted-right 1118 -> 1061. So
tone labels did not fix what topic labels could not: each set's new shapes of rudeness are new to
a reader of 13 other sets too (none of sealed13's six failures, "four calls isnt exactly
harassment is it" among them, was flagged), and a threshold low enough to find them flags good lines first.

Also since neg26at: five classes of rudeness without an insult (`_neg26at`), each with its
polite guard, tested on new phrasings of our own (tests/unit/test_matching_meaning.py, neg26at
section): passive-aggressive thanks (`_THANKS_SNEER`: "thanks for the lecture", "thanks for
nothing"; not "thanks for your patience"), dry understatement (`_UNDERSTATED`: "storm in a
teacup", "nobody died", "it's not that deep", "you'll live"; not a measurement, "the scratch
isn't that deep", nor with an apology), policy or powerlessness instead of the person
(`_POLICY_SHIELD`: "I just work here", "I don't make the rules", "it is what it is", "there's
nothing I can do" closing the line; with an apology or something taken on it is the polite
limit; "computer says no" and "policy is policy" however softened), "with respect" before a
brush-off (`_RESPECT_LECTURE`: "with all due respect, that's not how it works"), and the thing
itself minimised (`_BIT_OF`: "it's only a bit of bleach"; not reassurance that takes something
on, "it's only a bit of paperwork, I'll fill it in for you"). On the 14 sets and the pack's
option texts and examples they read rude only rude lines (nine, seven not read rude before, in
sealed9, 10, 11 and 13; two that meant their blaming option are now asked about, not taken: accepted-right 1 fewer on
sealed9 and on sealed13) and one example of faulty-toaster-day12's defensive fee option ("its
just a few quid"); no figure of benchmarks/meaning_tuning.py changed otherwise.

Since helper neg26aw (issue 26, sealed14's six rude lines offered or taken as a polite option):
five classes (`_neg26aw`), each with its polite guard, tested on new phrasings of our own
(tests/unit/test_matching_meaning.py, neg26aw section). The loss or trouble minimised anywhere
in the line (`_MINIMISED`: "it's only a kettle, argos sell them", "isn't that bad really", "these
things happen", "try not to stress"; not the size of the speaker's ask, "it's only a quick
form", nor with something taken on, an apology, a promise or a measurement, nor after a
reassurance that lifts blame, "don't feel bad, these things happen to everyone"); the customer's
choice made the cause in general (`_OWN_CHOICE_ANYWHERE`: "that's kind of what you sign up for",
"comes with the territory"; "that's not what you signed up for" sympathises); a parting jibe
(`_PARTING_JIBE`: "try not to break the next one", "mind you don't lose it again"; not the
speaker's "I'll try not to let it happen again" nor "you don't need to go over it again");
scolding the customer's tone (`_TONE_SCOLD`: "no need to raise your voice at me", "don't take
that tone"; a "please" request, the defensive options' shape, is not, and scolding swearing is
left to the abusive-customer options that set that boundary); and scorn for a complaint
(`_COMPLAINT_SCORNED`: "complain all you like", "can't see them losing sleep over it"; with the
route, "you can complain if you want, I'll give you the reference", or as reassurance, "don't
lose any sleep over it", it is not). Two guards on older readings, each found on a sealed14 line
or a new phrasing: an insult word lifted by a negation just before it is reassurance
(`_INSULT_LIFTED`: "don't feel stupid", "not a stupid question"; "don't be stupid" and the
speaker's "I'm not a muppet" still read rude), and "like everybody" after a welcome is no queue
(`_INCLUDED`: sealed14's headwear negation "you are welcome here like everybody" read as "like
everyone else", so only the discriminating option was left to it). On the 15 sets and the pack's
option texts and examples these read rude only rude lines (sealed14's seven, one each of sealed10
and sealed13 that found no polite option anyway) and one example of abusive-customer's rude
option ("no need to shout at me, I didn't do anything"), and unflag only sealed14's headwear
negation; see benchmarks/meaning_tuning.py for the figures.

Since helper neg27b (issue 26, sealed16's seven rude lines offered a polite option, all
minimising with no turn word): four classes (`_neg27b`), each with a polite twin, tested on new
phrasings of our own (tests/unit/test_matching_meaning.py, neg27b section). The customer's
problem generalised away (`_GENERALISED`: "freezers don't last forever", "we're all feeling the
pinch", "loads of people overfill them", "your customers can wait a few days surely"; not with
something taken on, "freezers don't last forever, but yours should have, I'll send our engineer",
nor lifted just before); a colleague's rudeness generalised (`_SAYS_TO_ALL`: "he talks like that
to every customer"; not "…, and it isn't OK, I'll raise it with his manager"); a sneering hope
(`_HOPE_SNEER`: "hope the directors notice all my overtime", "hope it was worth it"; not "I hope
the engineer sorts it"); and running down a colleague (`_COLLEAGUE_RUN_DOWN`: "the girl
downstairs hasn't got the foggiest", and "she only just joined" as the excuse, `_JUST_STARTED`;
with an apology that is an explanation, "really sorry, he's only just started here"; with the
slip owned and an act, "so that's on me, let me look at it now", neither is, nor the speaker's
own "I haven't got a clue what went wrong, let me find out").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .charsim import normalise
from .meaning import lifts_blame as _lifts_blame

_PATTERNS = {
    "blame": [
        r"(?<!not )(?<!n't )(?<!isn't )(?<!isnt )(?<!hardly )\byour (own )?fault\b",
        # Accusation: the customer caused it ("something u did", "you must've knocked it",
        # "you broke it"), unless the line denies it ("it wasn't something you did", "nobody's
        # saying you broke it": the polite line names the blame to lift it).
        r"(?<!not )(?<!n't )(?<!nt )(?<!never )\bsomething (you|u|you've|youve|uve) (did|done|have done)\b",
        r"\b(you|u) (must|probably|obviously|clearly) (have |'ve |of )?(broke|broken|dropped|done "
        r"something|done|damaged|misused|knocked|overloaded|overfilled|smashed|cracked|snapped|"
        r"bent|forced|spilt|spilled|sat on|stood on)\b",
        r"(?<!saying )(?<!say )(?<!think )(?<!thinks )(?<!thinking )(?<!suggesting )(?<!suggest )"
        r"(?<!like )(?<!claiming )(?<!blaming )(?<!if )(?<!whether )(?<!matter )"
        r"\b(you|u) (broke|smashed|cracked|snapped|damaged|bent|misused|overloaded) "
        r"(it|this|that|them|the \w+)\b",
        # ... or that the thing could not have failed by itself ("toasters don't just die on
        # their own", "it didn't break by itself"): the same accusation without a subject.
        r"\b(don't|dont|do not|doesn't|doesnt|does not|didn't|didnt|did not|won't|wont) (just )?"
        r"(die|break|crack|snap|smash|fail|stop working|pack up|go wrong|blow|burn out|bend)"
        r"( \w+){0,2} (on (their|its) own|by (themselves|itself)|for no reason|out of nowhere)\b",
        r"(?<!not )(?<!n't )(?<!nt )\bat (your|ur) own risk\b",
        r"\buser error\b",
        r"\bread the (manual|instructions)\b",
        r"\byour own (stupid )?(fault|problem|lookout)\b",
        r"\bwho('s| is|s) (telling the truth|lying)\b",  # "we'll see who's telling the truth"
        # Lecturing: what the customer should have done ("you should have ticked the box"),
        # but not what they were owed ("you should have been told", "should've had a call").
        r"\b(you|u) (should (have|of|'ve)|should've|shouldve) (?!(been (told|given|offered|called|informed|sent|"
        r"warned|refunded|asked|able|contacted|kept informed|updated)|had|got|gotten|received|"
        r"heard)\b)[a-z]+",
        r"\b(you|u) (shouldn't|shouldnt|should not) (have|of|'ve) (?!(to|been|had)\b)[a-z]+",
        r"(?<!i'll )(?<!ill )(?<!i will )(?<!let me )(?<!i can )(?<!we can )(?<!i )(?<!we )"
        r"\bread the (manual|instructions|terms|small print|fine print|t ?& ?cs|t and cs|label)\b"
        r"[^.;!?]{0,30}\b(before (you|u)|next time)\b",
        # ... and what to do "next time" / "in future": "check the size next time".
        r"(?<!i'll )(?<!ill )(?<!i will )(?<!we'll )(?<!well )(?<!we will )(?<!let me )"
        r"(?<!i can )(?<!we can )(?<!i )(?<!we )"
        r"\b(check|read|measure|look at|make sure|be more careful|double check|think|listen|pay attention|"
        r"concentrate)\b"
        r"[^.;!?]{0,40}\b(next time|in future|in the future)\b",
        r"\b(next time|in future|in the future),? (just )?(check|read|measure|make sure|be more "
        r"careful|double check|look properly|think|listen|pay attention)\b",
        r"\bbe more careful\b",
    ],
    "dismissive": [
        r"(?<!not )\b(not|isn't|is not|aint|ain't) (really |exactly |actually )?(my|our) (problem|job|concern|"
        r"department)\b",
        r"\b(that's|thats|that is|it's|its) your (problem|lookout|look out)\b",
        r"\b(can't|cant|cannot) be (bothered|arsed|assed)\b",
        r"\b(i|we) (don't|dont|do not) care\b",
        r"^(yeah,? )*(whatever|meh)\b(?!\s+(the|you|u\b|it|we|is|they|he|she|was|reason|happens|suits|"
        r"works))",
        # "fine, whatever" brushes off; "I'll ring you Thursday whatever" is "whatever happens"
        r"(?<!day )(?<!tomorrow )(?<!tonight )(?<!week )\bwhatever(\s*[.!,]*)?\s*(next)?\s*$",
        # "Tough" brushes off as a verdict ("tough luck", "well tough", "…, that's tough" ending
        # the line); "that's tough, thanks for telling me" / "it sounds so tough" is empathy.
        r"\btough (luck|cheese)\b",
        r"(^|\b(well|but|then|sorry|just) )tough\b(?!\s+(time|day|week|spot|situation|one|"
        r"call|to|for|on|going|year|month|few|couple|period|patch|decision|choice)\b)",
        r"(?<!sounds )(?<!sound )(?<!so )(?<!really )(?<!very )(?<!be )(?<!pretty )(?<!bit )"
        r"(?<!been )(?<!seems )(?<!looks )(?<!feel )(?<!felt )(?<!quite )(?<!proper )(?<!such )"
        r"(?<!super )(?<!awfully )(?<!incredibly )(?<!must )(?<!getting )"
        r"\btough\W*(mate|pal|love|im afraid|i'm afraid)?\W*$",
        # "just deal with it" brushes off; "I'll deal with it" takes ownership
        r"(?<!i'll )(?<!ill )(?<!i will )(?<!we'll )(?<!let me )(?<!i can )\bdeal with it\b"
        r"(?! for you)",
        r"\bstop (moaning|whinging|whining|complaining|going on|crying)\b",
        r"\bcalm down\b",
        r"\b(go|get) away\b",
        # Deflection: the speaker disowns the problem ("don't look at me", "not my fault").
        r"\b(don't|dont|do not) (look at|blame) me\b",
        r"\b(not|isn't|isnt|wasn't|wasnt|ain't|aint) (my|our) (fault|doing|lookout)\b",
        r"\bnothing to do with (me|us)\b",
        # Minimising what the customer is upset about ("it's a fridge, not the end of the world").
        r"\b(not|isn't|isnt|hardly) the end of the world\b",
        r"\bworse things happen\b",
        r"\b(it )?could be (a lot |much |far )?worse\b",
        r"\b(no|not a|not that) big (deal|thing)\b(?! to)",
        r"\bget over it\b",
        r"\bfirst world problem",
        r"\b(making|make) (a |such a |so much of a )?(big )?(fuss|drama|song and dance)\b",
        r"\b(over ?react\w*|so dramatic)\b",
        r"\b(no need|don't need|dont need) to (get|be) (so )?(upset|worked up|stroppy|dramatic|"
        r"arsey|funny about it)\b",
        r"\b(it's|its|it is) (only|just) (a|an|one) [a-z]+(,? (mate|love|pal|hun))?\W*$",
        # Curt or sarcastic: "well obviously", "what did you expect", "duh".
        r"\b(well|i mean),? obviously\b",
        r"\bwhat (did|do) (you|u) expect\b",
        r"\bduh\b",
        r"\bdon't waste my time\b|\bdont waste my time\b|\bwasting my time\b",
        r"\brules are rules\b",
        r"\btake it or leave it\b",
        r"\byou people\b",
        r"\bnever happy\b",
        # Sarcastic refusal ("in your dreams", "yeah right", "as if", "dream on", "lol no"): a
        # no said with a sneer, never the option that agrees with the words it quotes back.
        r"\bin (your|ur|yer) dreams\b",
        r"\bdream on\b",
        r"\b(yeah|yea|yeh),? right\b(?=\W*($|lol|haha|pal|mate|as if|like|sure))",
        r"(^|\b(lol|haha|lmao|pfft|ha),? )as if\b(?=\W*$|,? (lol|haha|pal|mate|love)\b|"
        r" (i|we)('d|d| would|'ll|ll| will|'m|m| am|'re|re| are)\b)",
        r"\bgood luck with that\b",
        r"\b(lol|lmao|haha|hahaha|pmsl|rofl),? (no|nope|nah|not a chance|no chance)\b",
        r"(^|, )(not a chance|no chance|fat chance)\W*(lol|haha|pal|mate|love)?\W*$",
        r"\bfat chance\b",
        r"\bnice try\b",
        r"\bpull the other one\b",
        r"\b(you're|youre|your|ur|you are|you must be|you've got to be|you have to be|you|u) "
        r"(having a laugh|avin a laugh|joking|kidding|taking the (piss|mick|mickey))\b",
        r"^next\W*$",
        r"(?<!i'm )(?<!im )(?<!am )(?<!re )\bhappy now\W*$",  # "that's it sorted, happy now?"
        # Impatience: the customer made out to be slow ("keep up", "I've already told you").
        r"\b(try (and|to) |do )?keep up\W*$",
        r"\b(i've|ive|i have|i) already (told|explained (it |this |that )?to) (you|u)\b",
        r"\b(i've|ive|i have) (told|said|explained)( (you|u))?( (this|it|that))? "
        r"(twice|already|before|three times|a hundred times)\b",
        r"\bhow many (more )?times\b",
        r"\bare (you|u) (even )?listening\b",
        r"\b(do|must|should) i (have to |need to )?repeat myself\b",
        r"\bpay attention\b",
        r"\bfor the (last|third|fourth|hundredth|umpteenth) time\b",
        # Resigned dismissal (neg26k): a shrug at what the customer stands to lose ("fine,
        # whatever", "your loss", "suit yourself", "you're the one losing out, not me").
        r"^((yeah|yea|fine|ok|okay|oh well|ugh|right|alright)\W+)+(whatever|meh)\b"
        r"(?!\s+(the|you|u|it|we|is|they|he|she|was|reason|happens|works|suits|is best|"
        r"you'd|youd|you prefer|u prefer|is easier)\b)",
        r"(^|\b(its|it's|that's|thats|well|then|fine|ok|okay|mate|so|meh|whatever)\W+)(your|ur|yer) (own )?loss\b"
        r"(?! of\b)",
        r"\bsuit (yourself|urself|yerself)\b",
        r"\b(your|ur) funeral\b",
    ],
    "insult": [
        r"\b(stupid|idiot|idiots|moron|thick|dumb|pathetic|muppet|numpty)\b",
        # "Useless" insults a person ("you're useless", "useless lot"); "the app is useless to
        # you" says what a faulty thing is worth, which is the customer's case, not an insult.
        r"(?<!\bis )(?<!'s )(?<!\bits )(?<!\bwas )(?<!\bbe )(?<!\bnow )(?<!\bgone )"
        r"\buseless\b(?! to (you|u|them|him|her|anyone|me|us)\b)",
        r"\b(you|u) (are|r|were) (completely |totally |so |just )?useless\b",
        r"\bshut (up|it)\b",
        r"\b(piss|sod|bugger|clear|naff) off\b",
        r"\b(fuck\w*|f\*+\w*|shit\w*|crap|bollocks|arse|arsehole|bastard|twat|wanker|dickhead)\b",
    ],
}
_COMPILED = {kind: [re.compile(p) for p in pats] for kind, pats in _PATTERNS.items()}

_INSULT_LIFTED = re.compile(
    r"\b(don't|dont|do not|no need to|never|(?<!i'm )(?<!\bim )(?<!i am )(?<!we're )(?<!\bwere )"
    r"(?<!we are )not|nothing|no such thing as)( (you|u))?"
    r"( (feel|feeling|felt|a|an|at all|such a|that|so|remotely|silly or))* $"
)
"""An insult word lifted by a negation just before it (neg26aw): "don't feel stupid", "not a
stupid question", "no such thing as a stupid question" reassure; "don't be stupid" does not,
nor the speaker's own "I'm not a muppet" (a retort)."""

_SUBJECTLESS_LECTURE = [
    re.compile(p)
    for p in (
        r"(^|\b(tbh|honestly|well|mate|look|pal|love|then|so) )(should (have|of|'ve)|should've|"
        r"shouldve) (read|checked|looked|measured|made sure|double checked|backed \w+ up|backed up|"
        r"kept|followed|thought|listened|paid attention|been more careful|known|realised|realized)\b",
        r"(^|\b(tbh|honestly|well|mate|look|pal|love|then|so) )(should (have|of|'ve)|should've|"
        r"shouldve) (?!(been|had|got|gotten|received|heard)\b)[a-z]+(?! (you|u)\b)"
        r"[^.;!?]{0,40}\b(before|when|after|if) (you|u) \w+",
    )
]
"""Lecturing with the subject dropped ("shouldve read the terms before u installed it"): blame
when the act is a check the customer skipped or is timed by the customer's own act. The
speaker's own dropped "I" acts on the customer ("should've rung you back") or owns the slip
(`_OWN_SLIP`: "should've checked your account first, sorry, my mistake"), and is not blame."""
_OWN_SLIP = re.compile(
    r"\b(sorry|my bad|my fault|my mistake|apologies|apologise|i apologise|on me|before i|"
    r"i should|i shouldve|i should've)\b"
)

_PASSED_OFF = re.compile(
    r"\btake it up with (them|him|her|the \w+)\b|"  # "take it up with them"
    r"\b(the|their) [a-z]+'s (problem|issue|lookout|department)\b"  # "the manufacturer's problem"
)
"""Handing the customer's problem to someone else: a brush-off, unless a negation just before
it takes it back ("you don't need to take it up with them", "it's not the courier's problem")."""
_TAKEN_BACK = re.compile(
    r"\b(not|no|never|don't|dont|won't|wont|isn't|isnt|needn't|shouldn't|no need to)"
    r"( \w+){0,3} $"
)


def _unguarded(pattern: re.Pattern[str], guard: re.Pattern[str], t: str) -> bool:
    """Whether `pattern` matches somewhere that `guard` does not lift in the 40 characters
    before it (a negation or disclaimer just before the phrase takes it back)."""
    for m in pattern.finditer(t):
        if not guard.search(t[max(0, m.start() - 40) : m.start()]):
            return True
    return False


def _passed_off(t: str) -> bool:
    return _unguarded(_PASSED_OFF, _TAKEN_BACK, t)


_MISUSE = re.compile(
    r"\b(you|u|you're|youre|ur|you are|u r|you've|youve|uve|you must've|you must have)"
    r"( (must|must be|obviously|clearly|probably|definitely|surely|just|be|have|'ve|of)){0,3} "
    r"(?:(doing|done|did|do) (something|summat|sumthing|it|things) (wrong|incorrectly|wrongly)|"
    r"(using|used|setting|set|fitting|fitted|installing|installed|plugging|plugged|loading|loaded|"
    r"putting|put|holding|held|running|ran|treating|handling|doing|done|did) (it|this|that|them|the \w+)"
    r"( (up|in|on))? (wrong|wrongly|incorrectly|the wrong way|all wrong|badly)|"
    r"not (using|doing|setting|holding|fitting|loading|treating|plugging|putting|installing|running|"
    r"handling) (it|this|that|them|the \w+)( (up|in|on))? "
    r"(right|properly|correctly))\b"
)
"""An accusation of misuse in the present or the past ("ur obviously doing something wrong with
it", "you must be using it wrong", "you're not setting it up right") without naming the damage:
blame, unless a negation or a disclaimer just before it lifts it (`_LIFTED`: "it's not that
you're doing something wrong", "nobody thinks you used it wrong", "in case you set it up wrong"
is still a check, not a verdict, and stays polite)."""
_LIFTED = re.compile(
    r"\b(not|n't|nt|never|nobody|no one|noone|saying|say|think|thinks|thinking|suggesting|suggest|"
    r"claiming|blaming|if|whether|unless|case|worry|worried|feel|feeling|mean|chance)( \w+){0,3} $"
)

_CONDESCENDING = re.compile(
    r"(?<!\bi )(?<!\bwe )(?<!i'll )(?<!ill )(?<!we'll )(?<!n't )(?<!nt )(?<!not )(?<!to )(?<!you )"
    r"(?<!u )(?<!could )(?<!can )(?<!please )(?<!let me )(?<!i'd )(?<!id )(?<!we'd )(?<!gonna )"
    r"\b(listen|listening|pay attention|paying attention|concentrate)( to (me|what i (said|say|told \w+)))?"
    r"( (more|a bit more|a little more))? (properly|carefully)\b|"
    r"\b(you|u) (didn't|didnt|did not|weren't|werent|wasn't|wasnt|aren't|arent|are not|r not) "
    r"(listening|listen|paying attention)\b|"
    r"\b(well|but|look|mate|i mean|listen|like)\W+(i|we) did (say|tell (you|u)|mention( it)?|warn (you|u)|"
    r"explain( it| that)?)\b(?! (i'd|id|i would|we'd|wed|we would|i'll|ill|we'll|i was|we were|that i|"
    r"that we|i'd|i would)\b)|"
    r"\b(i|we) told (you|u) (so|already|before|that already|twice)\b|"
    r"\bif (you|u) (had |'d |d )?(listened|paid attention)( \w+){0,2} (properly|carefully)\b"
)
"""Condescension (neg26k): telling the customer to listen properly, that they were not
listening, or that "I did say" / "I told you so": the customer made out to be at fault for
the speaker's broken promise. The speaker owning the slip (`_OWN_SLIP`: "I did say I'd ring,
sorry") or their own "I'll listen properly" stays polite."""

_NO_POINT = re.compile(
    r"\bno point (in )?((you|u) )?(asking|complaining|arguing|moaning|going on|kicking off|shouting|"
    r"getting (upset|angry|cross|worked up|shirty|arsey)|pushing|trying|on about it)"
    r"( to (me|us))?( (me|us|again|anymore|any more|about it))?(?P<end>(?=\W*$| (so|then|mate|love|pal|"
    r"tbh|sorry)\b))?"
)
_REFUSES_ALL = re.compile(
    r"\b(i'm|im|i am|we're|were|we are) not (allowed|able|permitted|authorised|authorized|meant) to "
    r"(tell|say|give|discuss|share|show|do) ((you|u) )?(anything|nothing)\b|"
    r"\b(i|we) (can't|cant|cannot|won't|wont) (tell|say|give|discuss|share|show|do) ((you|u) )?"
    r"(anything|nothing)( at all)?\b"
)
_ROUTE = re.compile(
    r"\b(yet|because|cos|coz|till|until|since|without|but|if|unless|i'll|ill|i will|we'll|we will|let me|i can|we can|i could|we could|she can|"
    r"he can|they can|happy to|what i can|how about|instead|afraid|sorry|apologies)\b"
)
"""A curt brush-off (neg26k): "no point asking" ends the customer's question with nothing in its
place, and a refusal of anything at all with no route offered ("not allowed to tell u anything")
shuts the door; with a route ("…, but if she rings us I can…") or an apology it is the polite
limit the option states."""


_LOSS_CONTRAST = re.compile(
    r"\b(you|u|you're|youre|ur|your|yours)\b[^.;!?]{0,30}\b(lose|losing|lost|miss(ing)? out)\b"
    r"[^.;!?]{0,25}\bnot (me|mine|us|ours)\b"
)
"""The customer's loss set against the speaker's ("its your points ur losing not mine"): a shrug,
unless the line takes the customer's side ("it's not fair that you're the one losing out, not
us", "..., so I'll add them back": `_SIDED`)."""
_SIDED = re.compile(
    r"\b(fair|unfair|right|sorry|shame|wrong|i'll|ill|we'll|let me|i will|we will|i can|we can)\b"
)


_DISOWNING_TAIL = re.compile(
    r"\b(not|n't|nt) (me|us|mine|ours)\W*(mate|pal|love|tbh|is it|isnt it|isn't it|innit|sorry)?\W*$"
)
"""Disowning as the last word (neg26ac): the line hands the problem to someone else and ends
on "not us" / "not me" / "not ours" ("thats a plumber job not ours", "its them u need to chase
not us", "thats for ur card company to chase not me"): four sets found this shape, each a new
third party. Not when the line also takes something on or takes the customer's side
(`_OWNS`: "it's the courier, not us, but I'll chase them today", "£40 back to your card; if it's
late that's your bank, not us" recaps a remedy first; "it's your choice, not mine" leaves the
customer the say)."""
_OWNS = re.compile(
    r"\b(fair|unfair|right|sorry|apologies|shame|i'll|ill|we'll|let me|i will|we will|i can|we can|"
    r"i'd|we'd|happy to|back to (your|ur)|refund(ed)?|for you|for u|up to (you|u)|yours|"
    r"(your|ur) (call|choice|decision))\b"
)


_SARCASM = re.compile(
    r"\b(lol|lmao|lmfao|rofl|pmsl)\b|"
    r"\bmust be (some )?(kind of |sort of |a )?(new )?(world |personal )?record\b|"
    r"\b(give (you|u|him|her) a medal|bully for (you|u)|big whoop|how nice for (you|u))\b|"
    r"\bwell done (you|u)\W*$"
)
_CLOSING_PRAISE = re.compile(
    r"\w[^.!?,;]*[.!?,;]+\s*(oh |well |just )?(great|brilliant|fantastic|lovely|wonderful|marvellous|"
    r"perfect|super|charming|fab|amazing|smashing|cheers|nice one|well done)\W*$"
)
"""Sarcasm (neg26af): laughter at the customer ("lol"), mock awe ("must be a record", "give
you a medal") and praise closing a line as its own sentence, which turns what went before into
a sneer ("so you just don't like it. great"). Praise that opens a line ("great, I'll sort that
now") or is the whole line (an acknowledgement, "ok great") is not this; nor is a closing
"great" after thanks or an apology (`_WARM`: "thanks for finding the receipt, brilliant")."""
_WARM = re.compile(r"\b(thanks|thank you|thank u|ta|sorry|apologies|glad|pleased|happy)\b")

_ADDRESS = re.compile(
    r"(?<!\bi )(?<!\bwe )(?<!\byou )(?<!\bu )(?<!\bthey )(?<!\bhe )(?<!\bshe )(?<!'d )(?<!\bid )"
    r"(?<!\bwed )(?<!\byoud )(?<!\bwould )(?<!\bto )(?<!'ll )(?<!\bill )(?<!\bwell )(?<!\breally )"
    r"(?<!\bdo )(?<!\bdoes )(?<!\bdid )(?<!n't )(?<!nt )(?<!\bjust )(?<!\bso )(?<!\bwith )(?<!\bin )"
    r"(?<!\bof )(?<!\bmy )(?<!\boh )(?<!\bo )(?<!\bi'd )(?<!\bwe'd )(?<!\byou'd )(?<!\babsolutely )(?<!\balso )"
    r"\b(love|luv|sweetheart|sweetie|darling|darlin|hun|hunny|petal|sunshine|dear|my dear)\b"
    r"(?=\W*$|\s*[,.!?;]|\s+(it|its|it's|you|u|ur|your|youre|you're|i|im|i'm|we|there|theres|"
    r"that|thats|just|calm|rules|nothing|no|not|he|hes|she|shes|they|go|dont|don't|can|cant|"
    r"can't|if|but|so|and|what|whats|this|these|everyone|sorry)\b)"
)
"""A patronising address term (neg26af): "love", "sweetheart", "darling", "hun" said to the
customer ("money's tight for all of us love, ..."): every set that had one had it in a rude line,
and the pack's polite options never use one. The verb stays polite: "I'd love to help", "we'd
love your feedback", "you'll love it" (a subject or auxiliary before it), and "dear" only as an
address ("Dear Ms Brooks" opening a letter is followed by a name)."""

_RHETORICAL = re.compile(
    r"\b(do|did|have) (you|u) (have |got )?(any|the (slightest|faintest)) idea how (busy|short|stretched|"
    r"swamped|hard|stressful|many|much|mad|hectic|understaffed|rammed)\b|"
    r"\b(do|did) (you|u) (even )?(know|realise|realize) how (busy|short|stretched|swamped|hectic|"
    r"understaffed|rammed|many (people|customers|calls|complaints|emails|requests))\b|"
    r"\bwho do (you|u) think (you are|ur|you're|youre)\b|"
    r"\bwhat do (you|u) (want|expect) me to do( about it)?\W*$|"
    r"\bdo i look like\b|\bis that too much to ask\b|"
    r"\bwhat part of\b[^.?!]{0,30}\b(don't|dont|do not) (you|u) (understand|get)\b|"
    r"\b(do|d'you|dyou) (you|u) think (i|we)('ve| have|ve)? (got )?nothing (better|else)\b"
)
"""A rhetorical question at the customer (neg26af): "do you have any idea how short staffed we
are", "who do you think you are", "what do you want me to do about it": not asking, but telling
the customer off for asking. A real question stays polite ("any idea where that house is?",
"do you know how long it's been doing it?"): the class needs the speaker's own burden or a
challenge to the customer, never the customer's facts."""

_QUEUE = re.compile(
    r"(?<!\bi'll )(?<!\bill )(?<!\bwe'll )(?<!\blet me )(?<!\bcan )(?<!\bto )(?<!n't )(?<!nt )"
    r"(?<!\bnot )(?<!\bno need to )"
    r"\b(get|go|join|stand|wait) (in|to) (the )?(back of the )?(queue|line)\b|"
    r"\bwait (your|ur|yer) turn\b|\btake a (number|ticket)\b|"
    r"\b(like|same as|just like) (everyone|everybody|the rest of us|every other customer)( else)?\b|"
    r"\b(everyone|everybody) (wants|says that|asks (for )?that|thinks that)\b"
)
"""Telling the customer to wait their turn (neg26af): "get in the queue", "wait your turn",
"take a number", "like everyone else", "everyone wants that": the customer's case made one of
a crowd. The speaker putting them in a queue for them ("I'll get you in the queue for a call
back") or sparing them it ("you don't need to join the queue") is not this."""

_INCLUDED = re.compile(
    _LIFTED.pattern
    + r"|\b(welcome|welcomed|entitled|same rights|equal|equally|treated|treat (you|u)|belong)"
    r"( \w+){0,4} $"
)
"""A welcome, not a queue (neg26aw, sealed14's headwear line "you are welcome here like
everybody", read as "like everyone else" and so offered only the discriminating option): "like
everyone" after a welcome or equal treatment includes the customer; `_LIFTED` still applies."""

_RANKED_BELOW = re.compile(
    r"\b(actual|real|proper|paying|genuine|other|external|normal|important) (customers|clients|people)"
    r"( (are waiting|waiting))?( and)? (come|comes|go|are|have to come|take|get) (first|priority|precedence)\b|"
    r"\b(you're|youre|ur|you are|u r|u are) not (a |my |our |the )?(top )?priority\b|"
    r"\b(you're|youre|ur|you are|u r) not (my|our|the) only (customer|one i have|person)\b|"
    r"\b(i've|ive|i have|we've|weve|we have|i got|ive got|i've got|weve got) (got )?other "
    r"(customers|people|things|calls) to (deal with|see|serve|sort|get to|look after)\b"
)
"""Ranking the customer below others (neg26af): "actual customers come first", "you're not my
only customer", "I've got other customers to deal with". An apology that owns the slip first
(`_OWN_SLIP`, "sorry, I've got other customers to see but I'll ring you back at two" carries a
route, `_ROUTE`) is the option's polite limit, and "customer complaints have to come first"
(what comes first is the work, not a ranking of people) is not this."""

_OWN_CHOICE = re.compile(
    r"\b(you|u) (still|did|knowingly|happily|willingly|chose to|decided to) (sign(ed)? up|agree(d)?|"
    r"chose|choose|pick(ed)?|buy|bought|order(ed)?|went for|go for|took out|take out|accept(ed)?)\b|"
    r"\b(you|u) (signed up|agreed|chose|picked|opted) (for |to )?(it|that|this|them|the (deal|contract|"
    r"package|plan|terms|bundle))\W*(mate|love|pal|though|tho|so)?\W*$|"
    r"\b(that's|thats|it's|its|that is) what (you|u) (signed up for|agreed to|paid for|chose|asked for|"
    r"ordered)\W*(mate|pal|love|though|tho|isnt it|isn't it|innit)?\W*$|"
    r"\b(you|u) knew what (you|u) (were|was) (signing|getting|buying|agreeing)\b|"
    r"\bshould (have|of|'ve) thought (of|about) that before\b|\bshould've thought (of|about) that\b"
)
"""Blaming the customer's own choice (neg26af): "you still signed up for it", "that's what you
agreed to", "you knew what you were signing": the hardship or fault made the customer's own
doing. A line that names the choice to lift it (`_LIFTED`: "nobody's saying you chose it",
"even if you signed up for it, ...") stays polite, as does giving them the choice ("it's your
choice")."""


def _unlifted(pattern: re.Pattern[str], t: str) -> bool:
    return _unguarded(pattern, _LIFTED, t)


_NEEDLE_TAG = re.compile(
    r"\b(i|we) (don't|dont|do not|didn't|didnt|did not|never|can't|cant|cannot|wasn't|wasnt|"
    r"haven't|havent|won't|wont)\b[^,.;!?]{1,50}?\W+(do|did|can|was|have|will|could|am) (i|we)"
    r"(?=\W*$|\W*[,.;!?]|\s+(mate|pal|love|though|tho|now|eh|so|not|and)\b)|"
    r"\b(i'm|im|i am|we're|were|we are) not [^,.;!?]{1,40}?\W+(am i|are we|aren't i|arent i)"
    r"(?=\W*$|\W*[,.;!?]|\s+(mate|pal|love|though|tho|now|eh|so|not|and)\b)"
)
"""A first-person disclaimer with a tag question (neg26ai): "I don't drive the vans, do I",
"I never missed your appointment, did I", "I'm not a mind reader, am I": the speaker's
innocence put to the customer as a question whose answer is obvious, a sneer at them for
asking. Not when the speaker owns a slip (`_OWN_SLIP`: "I didn't ring you back, did I, sorry,
I'll do it now")."""

_CONDUCT_FUTILE = re.compile(
    r"\b(shouting|yelling|screaming|swearing|ranting|kicking off|having a go|moaning|whinging|"
    r"complaining|arguing|threatening (me|us)|being (rude|like that|difficult|nasty|funny)|"
    r"typing in (caps|capitals|capital letters)|getting (angry|upset|cross|shirty|arsey|worked up|"
    r"nasty|funny|stroppy)|going on about it)( at (me|us|them))?( like that)?( all day)? "
    r"(isn't|isnt|is not|won't|wont|will not|doesn't|doesnt|does not|ain't|aint|is never|never) "
    r"(going to |gonna |gunna )?(help|get|make|change|speed|fix|solve|sort|bring|work|achieve)\b"
)
"""The customer's conduct declared useless (neg26ai): "shouting at me isn't going to get your
money back any quicker", "swearing won't change anything", "getting arsey isn't going to help":
a telling-off with "no point shouting" (neg26k) in other words. "Complaining won't affect your
account" reassures (its verb is not one of getting anywhere)."""

_NEXT_TIME_MORE = re.compile(
    r"(^|[.,;!?]\s*|\b(and|maybe|perhaps|just|so|then|pls|please|but|mate|yeah)\s+)"
    r"((maybe|perhaps|just|please|pls|try (and|to)|do) )*"
    r"(give|get|send|tell|let|ring|call|book|come|arrive|turn up|ask|order|plan|leave|bring|be|"
    r"start|fill|pay|chase|phone|email|contact|warn|speak)\b"
    r"[^.;!?]{0,40}\b(more|earlier|sooner|quicker|faster|better|properly|a bit more|less)\b"
    r"[^.;!?]{0,30}\b(next time|in future|in the future)\b"
)
"""Lecturing the customer for next time with a comparative (neg26ai): "maybe give us more notice
next time", "ring a bit sooner next time", "try and get here earlier in future": the customer
told they fell short. The verb must open its clause (or follow "and" / "maybe" / "just"), so
"we'll give you more notice next time" and "I'll ring sooner next time" are the speaker's
promise, not a lecture."""

_HEDGED = re.compile(
    r"(?<!\bmeant )(?<!\bmean )(?<!\bintended )(?<!\btake )(?<!\bcaused )(?<!\bcause )"
    r"\b(no offence|no offense|no disrespect|nothing personal|don't take this the wrong way|"
    r"dont take this the wrong way|not being funny but|not being funny,)\b"
    r"(?!\W*(taken|meant|intended|at all)\b)|"
    r"\bwith (all )?(due )?respect\W+[^.?!]{0,60}\b(make|makes|made) (you|u) (an? )?"
    r"(expert|right|engineer|lawyer)\b|"
    r"\bwith (all )?(due )?respect\W+[^.?!]{0,40}\b(you're|youre|ur|you are|u r) (wrong|mistaken|"
    r"not (an? )?(expert|engineer|lawyer))\b|"
    r"\bwith (all )?(due )?respect\W+[^.?!]{0,40}\b(you|u) (don't|dont|do not) (know|understand|get)\b"
)
"""A hedge before a put-down (neg26ai): "no offence", "no disrespect", "nothing personal", "don't
take this the wrong way", "not being funny but" announce the slight that follows ("it's just
easier talking to your friend, no offence"), and "with respect" followed by telling the customer
they are wrong or no expert ("with respect, ten years of driving doesn't make you a mechanic").
Not "no offence taken" / "none meant", "I meant no offence" (an apology), nor a courteous "with
respect" with no put-down ("with respect, I'm trying to help you", a defensive option's own
words, stays its own business: `defensive`)."""

_CONDESCEND_AGAIN = re.compile(
    r"(?<!\bi'll )(?<!\bill )(?<!\bi will )(?<!\bwe'll )(?<!\blet me )(?<!\bcan )(?<!\bi )"
    r"(?<!\bwe )(?<!\bme )(?<!\bshall i )(?<!\bto )(?<!\bcould )(?<!\bi can )"
    r"\b(read|say|go through|look at|listen to|spell|type) (it|that|this|them|the \w+|what i (said|wrote|"
    r"typed))( again| back| over| through| out){0,2}( (really|very|nice and|more))? "
    r"(slowly|slower|s l o w l y)\b|"
    r"\b(it's|its|it is|this is|that's|thats|that is) (in )?(plain |simple |basic |perfectly good )?english"
    r"\W+(just|read|look|try|go|you)\b"
)
"""Condescending repetition (neg26ai): "just read it again slowly", "say it slower", "it is
English, just read it": the customer made out to be slow. The speaker offering to go slowly
("I'll read it again slowly", "shall I go through it slowly?", "let me say it slower") and "take
it slowly, no rush" stay polite."""

_DISMISSIVE_IDIOM = re.compile(
    r"\bcry me a river\b|\bboo ?hoo\b|\bdiddums\b|\bget a grip\b|\bgrow up\b|\bman up\b|"
    r"\bget over yourself\b|\byou lot\b|"
    r"\b(keep|stop|quit|go|to|your|ur|all this|all that|the|carry on|want to|wanna) "
    r"(moaning|whinging|whining|moan|whinge|whine)\b|"
    r"\b(you're|youre|ur|you are|u r|you) (just |always |only |still )?(moaning|whinging|whining)\b"
)
"""Dismissive idioms (neg26ai): "cry me a river", "boo hoo", "get a grip", "grow up", "you lot",
and the customer's complaint called moaning or whinging ("do you want to keep moaning", "you're
just whinging"); "stop moaning" was already here. A line that lifts it ("nobody thinks you're
moaning", `_LIFTED`) stays polite."""

_MOTIVE = re.compile(
    r"\bwhat (are|r) (you|u) (planning|plotting|hoping|wanting|scheming) (to |on )?(do|doing) with\b|"
    r"\bwhat (are|r|do|would|d) (you|u) (even )?(going to |gonna |want to |wanna )?(need|want|do with|"
    r"use) (it all|all (that|this|of (it|that|this|them))|everything|that lot)\b|"
    r"\bwhy (do|would|d) (you|u) (even )?(need|want) (it all|all (that|this|of (it|that|this|them))|"
    r"everything|that lot)\b|"
    r"\bwhat's it to (you|u)\b|\bwhats it to (you|u)\b|"
    r"\bis that all (you|u) (lot |people )?(ever |always )?(say|type|want|talk about|care about|think about|"
    r"ask (for|about)|go on about)\b"
)
"""Questioning the customer's motive or harping (neg26ai): "what are you planning to do with it
all", "why would you even need all that", "is that all you ever type": a request the customer is
entitled to met with suspicion. A real question with no sneer of scope ("what will you use the
letter for, so I pick the right one?") is not this."""


_WHY_DID_YOU = re.compile(
    r"\bif (you|u) (didn't|didnt|did not|don't|dont|do not|never) (want|like|need|fancy)\b[^.?!]{0,50}?"
    r"\bwhy (did|would|do|d) (you|u)\b|"
    r"\bwhy (did|would|d) (you|u) (even |ever |go and |ever go and )?(say yes|agree|sign|buy|order|pick|choose|"
    r"take|accept|tick|click|book|get|opt)\b[^.?!]{0,40}\b(then|in the first place|at all)\W*$|"
    r"\bwhy (didn't|didnt|did not|wouldn't|wouldnt) (you|u) (just )?(read|check|ring|call|phone|say|tell|"
    r"ask|look|cancel|complain|contact|email)\b[^.?!]{0,40}\b(sooner|earlier|first|before|then|"
    r"at the time|in the first place)\b"
)
"""A rhetorical "why did you …" at the customer (neg26an, sealed13's "if you didn't want the
bundle why did you say yes to it"): their own act or choice put back to them as the cause,
after "if you didn't want it", or with "then" / "in the first place", or "why didn't you just
check it sooner". Not a real question about the facts ("why did you decide to cancel, so I can
log it?", "can I ask why you chose it?"), nor the speaker's own ("why didn't we ring you
sooner")."""

_HARDLY_OURS = re.compile(
    r"\bhardly (our|my|the (shop|store|company|firm|team)'?s?|anyone'?s|us|me) "
    r"(fault|problem|doing|responsibility|issue|lookout|concern)\b|"
    r"\bhardly (a big deal|rocket science|a disaster|a crisis|a lot to ask|the crime of the century)\b"
)
"""Disowning or minimising with "hardly" (neg26an): "it's hardly our fault if you never told us",
"hardly my problem", "it's hardly rocket science": "not our fault" (neg26h) said with a shrug.
"It's hardly your fault" lifts the blame from the customer and stays polite."""

_CHILL = re.compile(
    r"(^|\b(just|please|pls|need to|needs to|gotta|got to|so|oh|mate|ok|okay|yeah|and|now|ya|hey|"
    r"can (you|u)|could (you|u)|try to|try and) )chill( out| a bit| down)?\b"
    r"(?! (setting|settings|compartment|drawer|box|cabinet|section|zone|mode|food|foods|chain|"
    r"temperature|temp|function|button|shelf|cabinet|cycle))|\bchillax\b"
)
"""Telling the customer to "chill" (neg26an, sealed13's "chill gemma its one spreadsheet"): a
"calm down" (neg26h) in other words. The fridge's chill setting or drawer is a thing, not an
order."""

_APOLOGY_SPENT = re.compile(
    r"\b(i|i've|ive|we|we've|weve)( have)? (already|already have|have already) (said sorry|apologised|"
    r"apologized|said i'm sorry|said im sorry)\b(?![^.?!]*\b(but|i'll|ill|i will|let me|we'll|we will|"
    r"and i'm|and im|again)\b)|"
    r"\b(not sure|no idea|dunno|don't know|dont know) what (more|else) (you|u) (want|expect)\b|"
    r"\bwhat (more|else) (do|d|does|can) (you|u) (want|expect)( (from|of) (me|us))?\W*$"
)
"""An apology declared spent (neg26an, sealed13's "I already said sorry, not sure what more you
want from me"): the apology made the end of it, and the customer's wanting more made
unreasonable. Not an apology repeated or followed by an act ("I've already said sorry, but I'll
say it again and sort it"), nor a real offer ("what else can I do for you?")."""

_NOT_EXACTLY_TAG = re.compile(
    r"\b(isn't|isnt|is not|wasn't|wasnt|was not|aren't|arent|are not|not) exactly\b[^.?!]{1,50}?"
    r"\b(is it|was it|are they|were they|is that|innit|eh)\W*$|"
    r"\bnot exactly rocket science\b"
)
"""Minimising with "not exactly … is it" (neg26an, sealed13's "four calls isn't exactly
harassment is it"): the customer's case waved away by a tag question. With an apology or the
customer's side taken ("it's not exactly what you were promised, is it, I'm sorry") it is
sympathy: `_SORRY`."""

_BIT_MUCH = re.compile(
    r"\b(a )?(bit|little|tad) (much|rich|cheeky|greedy|excessive|steep)\b[^.?!]{0,10}?"
    r"\b(wanting|asking|expecting|demanding|to (want|ask|expect|demand))\b|"
    r"\b(a )?(bit|little|tad) (much|rich|cheeky|greedy)\b[^.?!]{0,40}?\b(isn't it|isnt it|innit|"
    r"don't you think|dont you think)\W*$|"
    r"\b(you're|youre|ur|you are|u r|that's|thats) (being )?(a bit|a little|bit) (cheeky|greedy|rich)\b"
)
"""The customer's demand called too much (neg26an, sealed13's "bit much wanting your money back
as well isn't it"): a request they are entitled to make, judged greedy. Not sympathy ("that's a
bit much for anyone to deal with, I'm sorry", which names no demand and no tag)."""

_SORRY = re.compile(
    r"\b(sorry|apologies|apologise|apologize|you're right|youre right|fair point)\b"
)


def _neg26an(t: str) -> str | None:
    """The neg26an classes, in one place so each can be measured alone."""
    if "why" in t and _WHY_DID_YOU.search(t):
        return "blame"
    if "hardly" in t and _unlifted(_HARDLY_OURS, t):
        return "dismissive"
    if "chill" in t and _CHILL.search(t):
        return "dismissive"
    if _APOLOGY_SPENT.search(t):
        return "dismissive"
    if "exactly" in t and _NOT_EXACTLY_TAG.search(t) and not _SORRY.search(t):
        return "dismissive"
    if _BIT_MUCH.search(t):
        return "dismissive"
    return None


_THANKS_SNEER = re.compile(
    r"\b(thanks|thank you|thank u|thx|cheers|ta) (so much |very much |a lot |loads )?for "
    r"(nothing|the (lecture|abuse|attitude|sarcasm|essay|novel|life story|history lesson|earful|"
    r"shouting|rant|speech)|your (attitude|life story|rant|speech|lecture|sarcasm)|(shouting|yelling|"
    r"swearing|ranting) at (me|us)|wasting my time|that (essay|novel|lecture|rant|speech))\b|"
    r"\b(thanks|thank you|cheers) for sharing\W*$|\bthanks a bunch\b|"
    r"\b(thanks|thank you|cheers) for your (input|opinion)\W*$"
)
"""Passive-aggressive thanks (neg26at): thanks for what the speaker did not want ("thanks for
the lecture", "cheers for the abuse", "thanks for nothing", "thanks for sharing" closing the
line): gratitude as a sneer. Thanks for what the customer gave ("thanks for your patience",
"thanks for the photos", "thanks for sharing the receipt with us") is not this."""

_UNDERSTATED = re.compile(
    r"\bstorm in a teacup\b|\bmountains? out of (a )?molehills?\b|"
    r"\b(nobody|no one|noone|no body) (has )?died\b|\bnot like (any|some)(one|body) (has )?died\b|"
    r"\b(it's|its|it is|this is|that's|thats) (not|hardly) (that deep|a crime scene|a tragedy|"
    r"a catastrophe|a national emergency|life or death|a matter of life and death)\b|"
    r"\b(you'll|youll|you will|u will|ull|u'll) (live|survive|get over it)\W*(mate|pal|love|tbh|lol)?\W*$|"
    r"\b(don't|dont|do not|no need to|stop|not worth) (make|making|turning|turn) (it|this|that|a scarf|"
    r"this all) (into )?(a |such a )?(big |whole )?(thing|drama|issue|saga|production)\b"
)
"""Dry understatement (neg26at): the customer's trouble shrunk by a straight face ("storm in a
teacup", "nobody died", "it's not that deep", "it's not a crime scene", "you'll live", "don't
make it into a big thing"): "not the end of the world" (neg26h) in other words. A measurement
("the scratch isn't that deep", `_PHYSICAL`) and the speaker's sympathy ("I'm sorry, I know
nobody died but it's still awful", `_SORRY`) are not this."""
_PHYSICAL = re.compile(
    r"\b(scratch|scratches|crack|cracks|dent|dents|scuff|scuffs|mark|marks|cut|hole|water|chip|"
    r"chips|gouge|groove|pool|drawer|shelf|tray|tub|drum|box|bag|snow|puddle)\b"
)

_POLICY_SHIELD = re.compile(
    r"\b(i|we) (just|only) work here\b|\babove my pay ?grade\b|"
    r"\b(i|we) (don't|dont|do not) make (the|these|those) (rules|policies|policy)\b|"
    r"\b(it|that|the \w+) is what it is\b|\b(it's|its|thats|that's) what it is\W*$|"
    r"\b(them's|thems|those are|these are) the rules\W*(mate|pal|love|tbh|i'm afraid|im afraid)?\W*$|"
    r"(^|\b(well|so|look|mate|then|tbh|honestly|yeah|or|and) )(there's|theres|there is) nothing "
    r"(else )?(i|we) can do( (about|with) (it|that|this))?\W*(mate|pal|love|tbh)?\W*$"
)
"""Policy or powerlessness put where the customer should be (neg26at): "I just work here",
"above my pay grade", "I don't make the rules", "it is what it is", "them's the rules", "there's
nothing I can do" closing the line: the speaker hides behind the rule instead of dealing with
the person. With an apology or something taken on (`_SHIELD_LIFTED`: "I don't make the rules,
sorry, but I'll ask my manager", "unfortunately there's nothing I can do about the fee, but I can
refund the delivery") it is the polite limit. "Computer says no" and "policy is policy" are a
sneer however softened (`_SHIELD_SNEER`)."""
_SHIELD_SNEER = re.compile(r"\bcomputer says no\b|\bpolicy is policy\b|\brules is rules\b")
_SHIELD_LIFTED = re.compile(
    r"\b(sorry|apologies|apologise|apologize|afraid|unfortunately|i'll|ill|i will|we'll|we will|"
    r"let me|what i can|what we can|instead|but i can|but we can|happy to|understand|frustrating)\b"
)

_RESPECT_LECTURE = re.compile(
    r"\bwith (all )?(due |the (greatest|utmost) )?respect\W+[^.?!]{0,40}\b((that's|thats|that is|"
    r"it's|its) not how (it|this|things|that) works|(you|u) (need|have|will need|ll need|'ll need) to "
    r"(accept|understand|calm|listen|wait|stop|realise|realize|get)|(that's|thats|that is|it's|its) "
    r"(just )?(the rules|policy|the policy|how it is|how it works|not my (problem|job|call)))\b"
)
""""With respect" before telling the customer how it is (neg26at, beside neg26ai's "with
respect, you're wrong"): "with all due respect, that's not how it works", "with respect, you need
to calm down": courtesy words around a brush-off. "With respect, I'm trying to help you" (the
defensive option's words) and "with respect to your refund" are not this."""

_BIT_OF = re.compile(
    r"\b(it's|its|it is|that's|thats|that is) (only|just) (a bit of|a little bit of|a drop of|"
    r"a splash of|a few|a couple of|a spot of|a smidge of) \w+"
)
"""Minimising the thing itself (neg26at): "it's only a bit of bleach", "it's just a few
scratches": the customer's concern shrunk, where neg26h's "it's only a fridge" ends the line.
Reassurance that takes something on ("it's only a bit of paperwork, don't worry, I'll fill it in
for you", `_REASSURED`) is not this."""
_REASSURED = re.compile(
    r"\b(sorry|apologies|worry|worries|worried|for (you|u)|i'll|ill|i will|we'll|we will|let me|"
    r"i can|we can|thanks|thank|happy to|glad)\b"
)


def _neg26at(t: str) -> str | None:
    """The neg26at classes (rudeness without an insult), in one place so each can be measured
    alone."""
    if ("thank" in t or "cheers" in t or " ta " in f" {t} ") and _THANKS_SNEER.search(t):
        return "dismissive"
    if _UNDERSTATED.search(t) and not _PHYSICAL.search(t) and not _SORRY.search(t):
        return "dismissive"
    if _SHIELD_SNEER.search(t) or (_POLICY_SHIELD.search(t) and not _SHIELD_LIFTED.search(t)):
        return "dismissive"
    if "respect" in t and _RESPECT_LECTURE.search(t):
        return "dismissive"
    if _BIT_OF.search(t) and not _REASSURED.search(t):
        return "dismissive"
    return None


_TAKES_ON = re.compile(
    r"\b(sorry|apologies|apologise|apologize|i'll|ill|i will|we'll|we will|let me|i can|we can|"
    r"i'd|we'd|happy to|for (you|u)|here's the|heres the|reference|ref)\b"
)
"""Something taken on or an apology: with it, a minimising or scolding shape is the polite limit
("it's only a small fee, but I'll waive it", "these things happen, sorry, I'll chase it")."""

_MINIMISED = re.compile(
    r"\b(it's|its|it is|that's|thats|that is|it was|they're|theyre) (only|just) (a|an|one) "
    r"(?!(minute|min|second|sec|moment|mo|week|day|hour|month|quick|short|small|little|simple|couple|"
    r"few|bit|form|question|check|click|phone call|call)\b)[a-z]+\b|"
    r"\b(isn't|isnt|is not|wasn't|wasnt|was not|ain't|aint|not)( really)? (that|so|all that) bad\b"
    r"(?! (at all|for (you|u))\b)|"
    r"\b(these|such|those) things happen\b|\b(stuff|shit) happens\b|"
    r"\btry (not to|and not) (stress|panic|fret|get (so )?(upset|stressed|worked up|wound up|het up|"
    r"in a state|in a flap|angry|cross))\b"
)
"""The customer's loss or trouble minimised (neg26aw, sealed14's "its only a cake, any
supermarket will have one", "three years out of a fridge isnt that bad really", "these things
happen, try not to stress"): neg26h's "it's only a fridge" (line-final) and "no big deal" in
other shapes, now anywhere in the line. Not a size of the speaker's ask ("it's only a quick
form"), not with something taken on or an apology (`_TAKES_ON`), not a measurement ("the dent
isn't that bad", `_PHYSICAL`), not a promise ("it's only an export, you'll have it in the
hour", `_PROMISED`), and not after a reassurance that lifts blame from the customer ("don't feel
bad, these things happen": meaning.lifts_blame, asked by the caller)."""
_PROMISED = re.compile(r"\b(you'll|youll|you will|u will|ull|u'll) (get|have|be)\b")

_PARTING_JIBE = re.compile(
    r"(?<!\bi )(?<!\bwe )(?<!i'll )(?<!\bill )(?<!we'll )(?<!\bwell )(?<!\bwill )(?<!\bto )"
    r"\b(try (not to|and not|n not)|mind (you|u) (don't|dont)|careful (you|u) (don't|dont)|don't|dont|do not)"
    r"( \w+){1,6} (again|next time|the next one|this next one|another one|this one as well|"
    r"(this|that|the new) one(?=\W*(eh|yeah|ok|okay|mate|love|pal|then|now)?\W*$))\b"
)
"""A parting jibe at the customer's part in it (neg26aw, sealed14's "try not to break the next
one eh", sealed13's "try not to get locked out again"): blame in the form of advice. The
speaker's own resolve ("I'll try not to let it happen again", "we'll make sure it doesn't happen
again") and a customer spared an act ("you don't need to go over it again") are not this
(`_SPARED`)."""
_SPARED = re.compile(
    r"\b(don't|dont|do not) (have|need|want) to\b|\b(don't|dont|do not) (let|want|mean|worry|hesitate|"
    r"forget|be afraid)\b|\b(won't|wont|will not) (have|need) to\b|"
    r"\b(happen|happens|go wrong|break down) again\b"
)

_TONE_SCOLD = re.compile(
    r"(?<!please )(?<!pls )\b(there's |theres |there is )?no need (to|for) (raise|raising) (your|ur) voice\b|"
    r"(?<!please )(?<!pls )\bno need to (shout|yell|get (snippy|snotty|shirty|short|arsey|"
    r"lairy|nasty|personal|funny) with)\b|"
    r"(?<!please )(?<!pls )\b(don't|dont|do not) (you )?(raise (your|ur) voice|take that tone|use that tone|"
    r"get (snippy|snotty|shirty|short|arsey|lairy|funny) with)\b|"
    r"\b(watch|mind) (your|ur) (tone|language|mouth|manners)\b|"
    r"\bless of the (attitude|tone|lip|cheek)\b|\b(lose|drop) the attitude\b"
)
"""Scolding the customer's tone (neg26aw, sealed14's "theres no need to raise your voice at me
about it"): the telling-off put before the customer's problem. A courteous request ("please
don't raise your voice, I want to help", the defensive options' own shape) is not this; the
pack's blunt "no need to shout at me" is itself a rude option, so lines meaning it still find it."""

_OWN_CHOICE_ANYWHERE = re.compile(
    r"\b(that's|thats|it's|its|that is)( (kind of|sort of|kinda|sorta|just|all|part of|really|"
    r"basically|all part of))* what (you|u) (sign|signed|sign'd|signs) up (for|to)\b|"
    r"\b(comes|goes) with the territory\b|\bpart and parcel of (being|having|running|working)\b|"
    r"\b(that's|thats|it's|its) the (risk|chance|gamble) (you|u) take\b|"
    r"\b(you|u) (pays|pay) (your|ur) money,? (you|u) takes? (your|ur) (chance|choice)s?\b"
)
"""Blaming the customer's own choice with the choice made general (neg26aw, sealed14's "thats
kind of what you sign up for being self employed isnt it"): neg26af's "that's what you signed
up for" anywhere in the line and in the present tense, and "comes with the territory", "the risk
you take". "That's not what you signed up for" (no filler but "not") sympathises and does not
match; a lifted one ("nobody's saying it's what you signed up for", `_LIFTED`) stays polite."""

_COMPLAINT_SCORNED = re.compile(
    r"(^|\b(sure|fine|ok|okay|go on|go ahead|yeah|well|then|mate|look)\W+)(and )?(complain|moan|whinge|"
    r"report (me|us|it))\b( (away|then))?( (if|all|as much as) (you|u) (want|like|must|fancy))\b|"
    r"\b(complain|moan|whinge) (away|all (you|u) (want|like))\b|"
    r"\b(can't|cant|cannot|don't|dont|do not) (see|imagine) (\w+ ){1,3}(losing|lose) (any |much )?sleep\b|"
    r"\b(nobody|no one|noone|they|he|she|i|we)('s|s|'re|re|'ll|ll| will| is| are)? "
    r"(not |won't |wont |will not |aren't |arent |isn't |isnt )?(going to |gonna )?(be )?(losing|lose) "
    r"(any |much )?sleep\b"
)
"""Scorn for a complaint (neg26aw, sealed14's "sure complain if you want, cant see the sales
team losing sleep over it"): the customer's right to complain granted with a shrug, or its
effect waved away. Giving the route ("you can complain if you want, I'll give you the
reference", `_TAKES_ON`) and reassurance ("don't lose any sleep over it", no subject of its own)
are not this."""


def _neg26aw(t: str, reassures: bool) -> str | None:
    """The neg26aw classes (sealed14's rude lines offered or taken as a polite option), in one
    place so each can be measured alone. `reassures`: the line lifts blame from the customer
    (meaning.lifts_blame), which makes "these things happen" sympathy."""
    if (
        _MINIMISED.search(t)
        and not reassures
        and not _TAKES_ON.search(t)
        and not _PHYSICAL.search(t)
        and not _PROMISED.search(t)
    ):
        return "dismissive"
    if _unlifted(_PARTING_JIBE, t) and not _SPARED.search(t) and not _OWN_SLIP.search(t):
        return "blame"
    if _TONE_SCOLD.search(t):
        return "dismissive"
    if _unlifted(_OWN_CHOICE_ANYWHERE, t):
        return "blame"
    if _COMPLAINT_SCORNED.search(t) and not _TAKES_ON.search(t):
        return "dismissive"
    return None


_HEDGE_WORDS = ("offen", "respect", "personal", "wrong way", "being funny")


def _neg26ai(t: str, raw: str) -> str | None:
    """The neg26ai classes, in one place so each can be measured alone. The tag question is
    also looked for in the raw line: its end is often a comma, which `normalise` drops."""
    if (_NEEDLE_TAG.search(t) or _NEEDLE_TAG.search(raw.replace("\u2019", "'"))) and not (
        _OWN_SLIP.search(t)
    ):
        return "dismissive"
    if _unlifted(_CONDUCT_FUTILE, t):
        return "dismissive"
    # The slower patterns are asked only when a word they need is in the line.
    if ("next time" in t or "future" in t) and _NEXT_TIME_MORE.search(t):
        return "blame"
    if any(w in t for w in _HEDGE_WORDS) and _HEDGED.search(t):
        return "dismissive"
    if ("slow" in t or "english" in t) and _CONDESCEND_AGAIN.search(t):
        return "dismissive"
    if _unlifted(_DISMISSIVE_IDIOM, t):
        return "dismissive"
    if _MOTIVE.search(t):
        return "dismissive"
    return None


def _neg26af(t: str, raw: str) -> str | None:
    """The neg26af classes, in one place so each can be measured alone."""
    if _SARCASM.search(t):
        return "dismissive"
    praise = _CLOSING_PRAISE.search(raw)
    if praise and not _WARM.search(normalise(raw[: praise.end()])):
        return "dismissive"
    if _ADDRESS.search(t) and not re.match(r"^(dear|my dear) \w+", t):
        return "dismissive"
    if _RHETORICAL.search(t):
        return "dismissive"
    if _unguarded(_QUEUE, _INCLUDED, t):
        return "dismissive"
    if _RANKED_BELOW.search(t) and not _ROUTE_OWNED.search(t):
        return "dismissive"
    if _unlifted(_OWN_CHOICE, t):
        return "blame"
    return None


_ROUTE_OWNED = re.compile(
    r"\b(my (mistake|fault|bad)|i got that wrong|you're a customer too|"
    r"ur a customer too|youre a customer too)\b"
)


_NEG27A_DISMISSIVE = re.compile(
    r"\bno need to (get|be) (shouty|snappy|stroppy|aggressive|rude|arsey|like that)\b|"
    r"\bno need to (snap|bite my head off|have a go)\b|"
    r"\b(try not to|don'?t|do not) take it personally\b|"
    r"\b(doesn'?t|does not|won'?t|will not) (actually )?make (it|things|them) (go |come |happen |"
    r"arrive )?any (quicker|faster|sooner)\b|"
    r"\b(can'?t|cannot) do (anything|owt|nothing) about (that|it)\W*$|"
    r"\b(it'?s|it is) (just )?(procedure|protocol|policy|the rules?)\W*$|"
    r"\b(nobody|no one|no-one) gets (that|it|one|them)( for)?( free)?\W*$|"
    r"\b(there'?s|there is|there are) other (people|customers) (waiting|in the queue)\b"
)
"""neg27a (sealed15's rude lines offered or taken as a polite option, as classes): scolding the
customer's tone in new words ("no need to get shouty", "no need to bite my head off"); "try not
to take it personally" for a colleague's rudeness; sarcasm about chasing ("ringing doesn't make it
go any quicker"); a shrug that ends the line ("can't do anything about that", "it's procedure",
"nobody gets that"); other customers set against this one ("there's other people waiting").
Not when the line takes something on (`_TAKES_ON`) or owns a slip (`_OWN_SLIP`)."""
_NEG27A_LECTURE = re.compile(
    r"\b(might be|would be|it'?d be|it'?s|it is) (worth|best|wise|a good idea)\b[^.;!?]{0,60}"
    r"\bnext time\b|"
    r"\b(probably|must be|must have been|likely) (getting |being |been )?(overloaded|overfilled|"
    r"misused|mistreated|knocked about)\b"
)
"""Blame without "you" (neg27a): advice for next time after the customer's loss ("might be worth
keeping a backup next time"), and misuse put down to the thing ("its probably getting
overloaded"), unless lifted just before ("not that it's been overloaded": `_LIFTED`)."""


_OWN_SLIP_EXCUSED = re.compile(
    r"\b(easy mistake|these things happen|(?<!if )(?<!when )(?<!whenever )(?<!case )(?<!time )it happens)\b"
)
_TO_THEM = re.compile(
    r"\b(you|u|your|ur|you're|youre|yours|worry|worries|harm done|to make|understandable|"
    r"feel|bad|everyone|everybody|all of us|anyone|anybody|us all)\b"
)
"""The speaker's own slip excused (neg27a: "it went to the other Gemma by accident, easy mistake
with the same name, these things happen"): "easy mistake" said to no one, with no apology and
nothing taken on, shrugs off the speaker's error; said to the customer ("easy mistake to make,
don't worry", "you weren't to know") it reassures them (meaning.lifts_blame) and is not this."""


def _neg27a(t: str) -> str | None:
    """The neg27a classes (see `_NEG27A_DISMISSIVE`, `_NEG27A_LECTURE`, `_OWN_SLIP_EXCUSED`)."""
    if _NEG27A_DISMISSIVE.search(t) and not _TAKES_ON.search(t) and not _OWN_SLIP.search(t):
        return "dismissive"
    if (
        _OWN_SLIP_EXCUSED.search(t)
        and not _TO_THEM.search(t)
        and not _TAKES_ON.search(t)
        and not _OWN_SLIP.search(t)
    ):
        return "dismissive"
    if _unlifted(_NEG27A_LECTURE, t):
        return "blame"
    return None


_GENERALISED = re.compile(
    r"\b(don't|dont|do not|doesn't|doesnt|does not|won't|wont|never|nothing|nowt) lasts? forever\b|"
    r"\b(everyone|everybody|every one|we're all|were all|we are all|all of us|the whole country)"
    r"('s|s| is| are)? (\w+ )?(struggling|skint|hard up|feeling the pinch|in the same boat|"
    r"finding it (hard|tough)|having a (hard|tough) time)\b|"
    r"\b(a lot of|lots of|loads of|plenty of|most|half|many) (people|customers|folk|folks|punters) "
    r"(do that|do this|make that mistake|overload|overfill|overdo|misuse|drop|break|forget|"
    r"don't read|dont read|never read|ignore)\b|"
    r"\b(your|ur|the|their) (clients?|customers?|boss|kids|guests|family|work|meeting) (can|could|"
    r"will (just )?have to|'ll (just )?have to|ll (just )?have to) wait\b|"
    r"\bcan wait( (a|another|one|an) \w+)? surely\b"
)
"""The customer's problem generalised away (neg27b, as classes: "X don't last forever",
"everyone's struggling", "a lot of people do that", a colleague who "says that to everyone",
"your clients can wait"): their case made one of many, so nothing is owed. Not with something
taken on or an apology (`_TAKES_ON`: "fridges don't last forever, but yours should have: I'll
book our engineer"), nor lifted just before ("not that everyone's struggling", `_LIFTED`)."""

_REASSURES = re.compile(r"\b(let's|lets|let us|don't worry|dont worry|do not worry|no worries)\b")
"""A "let's" or "don't worry" makes the generalising reassurance ("honestly loads of people do
that, let's fix it", an example of online-return-changed-mind's good option)."""

_HOPE_SNEER = re.compile(
    r"\bhope (\w+ ){0,3}(appreciates?|appreciated|notices?|noticed|is grateful|are grateful|"
    r"realises?|realizes?|remembers?) (all )?(the |my |our |this )?(\w+ )?(late nights?|extra hours|"
    r"overtime|effort|hard work|weekends?|hours|trouble|favours?|sacrifices?)\b|"
    r"\bhope (it|that) was worth it\b|\bhope (you're|youre|ur|you are) (proud of yourself|satisfied now)\b"
)
_SAYS_TO_ALL = re.compile(
    r"\b(he|she|they|him|her)( \w+)? (says?|does|talks?|speaks?|is|'s|s|are|'re|re)( like)? "
    r"(that|it|this|like that)( \w+)? (to|with) (everyone|everybody|anyone|anybody|all of us|"
    r"all the customers|every customer|every single customer)\b"
)
"""A colleague's rudeness generalised away ("he says that to everyone"): the customer told it
was nothing personal, so nothing is owed; "I wouldn't worry" before it is the shrug, not a lift.
With something taken on ("…, which isn't OK, I'll speak to him": `_TAKES_ON`) it is not this."""

"""Passive-aggressive hopes (neg27b): the speaker's own effort held up for thanks ("hope the
board appreciates all the late nights") or the customer's win sneered at ("hope it was worth
it"), the mirror of `_THANKS_SNEER`. "I hope the engineer sorts it" and "hope you enjoy it" are
not this."""

_WHO = (
    r"\b(he|she|they|lads?|girls?|guys?|blokes?|kid|colleagues?|staff|trainees?|apprentices?|"
    r"downstairs|that one|him|her)\b"
)
_COLLEAGUE_RUN_DOWN = re.compile(
    _WHO + r"[^.;!?]{0,25}\b(hasn't|hasnt|has not|haven't|havent|have not|doesn't|doesnt|does not|"
    r"don't|dont)( got| have)? ((a|any|the (foggiest|first|slightest))( \w+)? (clue|idea)\b|"
    r"the foggiest\b)|"
    r"\b(he's|hes|he is|she's|shes|she is|they're|theyre|they are|he|she|they|lads?|girls?|guys?|"
    r"blokes?)( \w+)? (clueless|useless|hopeless|a liability|a muppet|a numpty|not the sharpest)\b"
)
_JUST_STARTED = re.compile(
    r"\b(he|she|they|lads?|girls?|guys?|blokes?|kid|trainees?|one)( \w+)?('s|s| has| is| was|'d|d)? "
    r"only just (started|joined|come in)\b"
)
"""Running down a colleague (neg27b): "that lad hasn't got a clue", "he's only just started"
as the excuse: blame put on someone else in front of the customer. With an act of the speaker's
own ("he's only just started, so that one's on me, let me look at it now", "the courier hasn't
got a clue where it is, so I'll chase it myself": `_OWNED_INSTEAD`) it is context, not blame. An
apology makes "he's only just started" an explanation ("really sorry, he's only just started
here", neg26ba's warm line), but does not lift a put-down ("sorry about downstairs, that lad
hasn't got a clue")."""
_APOLOGISES = re.compile(r"\b(sorry|apologies|apologise|apologize)\b")
_OWNED_INSTEAD = re.compile(
    r"\b(on me|my fault|my responsibility|i'll|ill|i will|let me|i can|we'll|we will)\b"
)


def _neg27b(t: str) -> str | None:
    """The neg27b classes (`_GENERALISED`, `_SAYS_TO_ALL`, `_HOPE_SNEER`, `_COLLEAGUE_RUN_DOWN`,
    `_JUST_STARTED`)."""
    if _unlifted(_GENERALISED, t) and not _TAKES_ON.search(t) and not _REASSURES.search(t):
        return "dismissive"
    if _SAYS_TO_ALL.search(t) and not _TAKES_ON.search(t):
        return "dismissive"
    if "hope" in t and _HOPE_SNEER.search(t):
        return "dismissive"
    if not _OWNED_INSTEAD.search(t) and (
        _COLLEAGUE_RUN_DOWN.search(t) or (_JUST_STARTED.search(t) and not _APOLOGISES.search(t))
    ):
        return "blame"
    return None


_NOTICE_SNEER = re.compile(
    r"\b(thanks|thank you|thank u|cheers|ta)( so much| very much| a lot| loads)? for (the|all the|"
    r"such) (notice|heads up|heads-up|warning|advance warning)\b.*\b(brilliant|great|fantastic|"
    r"lovely|perfect|marvellous|wonderful|super|amazing|fab)\W*$"
)
"""Thanks for a notice, closed by a one-word cheer (neg27c): "oh thanks so much for the notice,
friday, brilliant": the mirror of `_THANKS_SNEER`, a short deadline thanked for and applauded.
"Thanks for the heads up, Friday is tight but I'll make it work" does not end on the cheer."""
_WASTE_OF_TIME = re.compile(
    r"\bwaste of (everyone's|everyones|my|our|"
    r"your|ur|the team's|people's|peoples) (\w+ )?time\b"
)
"""Calling the customer's request a waste of time (neg27c: "bit of a waste of everyones time but
go on"); "it's never a waste of time to ask" lifts it (`_WASTE_LIFTED` just before)."""
_WASTE_LIFTED = re.compile(r"\b(not|never|no|isn't|isnt|wasn't|wasnt|won't|wont)( \w+){0,2} $")
_WE_DID_SAY = re.compile(
    r"\bto be fair,? (we|i|the (shop|engineer|technician|store|team)) (did |had |have )?"
    r"(said|say|told (you|u)|tell (you|u)|warned (you|u)|warn (you|u)|mentioned|mention)\b|"
    r"\b(as|like) (we|i) (did )?(said|told (you|u)|warned (you|u))( before| at the time| already)\b"
)
""""To be fair we did say it might take a day" (neg27c): the customer told they were told, which
puts the fault on them. "To be fair, you did tell us" (the customer credited) is not this."""
_ONLY_ONE = re.compile(
    r"\bwith (all )?(due |the (greatest|utmost) )?respect(?! to\b)\W+[^.?!]{0,80}\b(you're|youre|ur|you are) "
    r"the only one\b"
)
""""With respect ... you're the only one whose laptop went funny" (neg27c): the customer's case
made the odd one out, beside `_RESPECT_LECTURE`."""
_NO_REASON = re.compile(
    r"\b(isn't|isnt|is not|aint|ain't|not)( really)? (a|any|much of a)( good| valid| proper)? "
    r"reason (for|to (get|give|have|claim|ask for|demand)) (a|an|any|your|ur|the|us to)\b"
)
"""The customer's reason waved away (neg27c: "that said, going off a brand isnt really a reason
for a refund"). "That isn't a reason to worry" is a reassurance, and not this."""


def _neg27c(t: str) -> str | None:
    """The neg27c classes (`_NOTICE_SNEER`, `_WASTE_OF_TIME`, `_WE_DID_SAY`, `_ONLY_ONE`,
    `_NO_REASON`), each with polite twins in tests/unit/test_matching_meaning.py."""
    waste = _WASTE_OF_TIME.search(t)
    if waste and not _WASTE_LIFTED.search(t[: waste.start()]):
        return "dismissive"
    if _NOTICE_SNEER.search(t) or _ONLY_ONE.search(t):
        return "dismissive"
    if _NO_REASON.search(t):
        return "dismissive"
    if _WE_DID_SAY.search(t):
        return "blame"
    return None


def _accuses_misuse(t: str) -> bool:
    for m in _MISUSE.finditer(t):
        if not _LIFTED.search(t[max(0, m.start() - 40) : m.start()]):
            return True
    return False


@lru_cache(maxsize=4096)
def rude_kind(text: str) -> str | None:
    """'blame', 'dismissive' or 'insult' when the line reads that way, else None. Cached: the
    matcher asks it of every option's text on each typed line (is that option rude in tone?),
    and the lexicon costs a tenth of a millisecond a line."""
    t = normalise(text)
    for kind, patterns in _COMPILED.items():
        if kind == "insult" and _unguarded(patterns[0], _INSULT_LIFTED, t):
            return kind
        if any(p.search(t) for p in (patterns[1:] if kind == "insult" else patterns)):
            return kind
        if (
            kind == "blame"
            and any(p.search(t) for p in _SUBJECTLESS_LECTURE)
            and not _OWN_SLIP.search(t)
        ):
            return kind
    if _LOSS_CONTRAST.search(t) and not _SIDED.search(t):
        return "dismissive"
    if _accuses_misuse(t):
        return "blame"
    if _DISOWNING_TAIL.search(t) and not _OWNS.search(t):
        return "dismissive"
    if _CONDESCENDING.search(t) and not _OWN_SLIP.search(t):
        return "dismissive"
    no_point = _NO_POINT.search(t)
    if (no_point and no_point.group("end") is not None) or (
        (no_point or _REFUSES_ALL.search(t)) and not _ROUTE.search(t)
    ):
        return "dismissive"
    if _passed_off(t):
        return "dismissive"
    raw = text.lower()
    return (
        _neg26af(t, raw)
        or _neg26ai(t, raw)
        or _neg26an(t)
        or _neg26at(t)
        or _neg26aw(t, _lifts_blame(text))
        or _neg27a(t)
        or _neg27b(t)
        or _neg27c(t)
    )
