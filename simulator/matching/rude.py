"""Is a typed line rude, blaming or dismissive?

Matching scores meaning, not manners: "sorry, but that's your problem" is close to an apology
option in words. So a line this detector flags is never taken as an option that records no
mistake; the state's `on_unmatched: {rude: ...}` (or the customer's reaction) handles it instead.

A small, readable lexicon of what learners actually type at a counter (blame, brush-offs,
insults, swearing), with the common polite uses carved out ("not your fault", "whatever the
reason"), and impatience ("keep up", "I've already told you") that makes the customer out to
be slow, where "you've already told me" acknowledges it. Predictable and explainable to a tutor, which a learned classifier would not be.
"""

from __future__ import annotations

import re

from .charsim import normalise

_PATTERNS = {
    "blame": [
        r"(?<!not )(?<!n't )(?<!isn't )\byour (own )?fault\b",
        r"\byou should (have|of|'ve) (read|checked|looked|known|kept|been)\b",
        r"\bsomething you (did|done|have done)\b",
        r"\byou (must|probably) (have )?(broke|broken|dropped|done|damaged|misused)\b",
        r"\buser error\b",
        r"\bread the (manual|instructions)\b",
        r"\byour own (stupid )?(fault|problem|lookout)\b",
        r"\bwho('s| is|s) (telling the truth|lying)\b",  # "we'll see who's telling the truth"
    ],
    "dismissive": [
        r"(?<!not )\b(not|isn't|is not|aint|ain't) (my|our) (problem|job|concern|department)\b",
        r"\b(that's|thats|that is|it's|its) your (problem|lookout|look out)\b",
        r"\b(can't|cant|cannot) be (bothered|arsed|assed)\b",
        r"\b(i|we) (don't|dont|do not) care\b",
        r"^(yeah,? )*(whatever|meh)\b(?!\s+(the|you|it|we|is|they|he|she|was|reason|happens))",
        # "fine, whatever" brushes off; "I'll ring you Thursday whatever" is "whatever happens"
        r"(?<!day )(?<!tomorrow )(?<!tonight )(?<!week )\bwhatever(\s*[.!,]*)?\s*(next)?\s*$",
        r"\btough( luck| cheese)?\b(?!\s+(time|day|week|spot|situation|one|call))",
        # "just deal with it" brushes off; "I'll deal with it" takes ownership
        r"(?<!i'll )(?<!ill )(?<!i will )(?<!we'll )(?<!let me )(?<!i can )\bdeal with it\b"
        r"(?! for you)",
        r"\bstop (moaning|whinging|whining|complaining|going on|crying)\b",
        r"\bcalm down\b",
        r"\b(go|get) away\b",
        r"\bdon't waste my time\b|\bdont waste my time\b|\bwasting my time\b",
        r"\brules are rules\b",
        r"\btake it or leave it\b",
        r"\byou people\b",
        r"\bnever happy\b",
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
    ],
    "insult": [
        r"\b(stupid|idiot|idiots|moron|thick|dumb|pathetic|useless|muppet|numpty)\b",
        r"\bshut (up|it)\b",
        r"\b(piss|sod|bugger|clear|naff) off\b",
        r"\b(fuck\w*|f\*+\w*|shit\w*|crap|bollocks|arse|arsehole|bastard|twat|wanker|dickhead)\b",
    ],
}
_COMPILED = {kind: [re.compile(p) for p in pats] for kind, pats in _PATTERNS.items()}

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


def _passed_off(t: str) -> bool:
    for m in _PASSED_OFF.finditer(t):
        if not _TAKEN_BACK.search(t[max(0, m.start() - 40) : m.start()]):
            return True
    return False


def rude_kind(text: str) -> str | None:
    """'blame', 'dismissive' or 'insult' when the line reads that way, else None."""
    t = normalise(text)
    for kind, patterns in _COMPILED.items():
        if any(p.search(t) for p in patterns):
            return kind
    return "dismissive" if _passed_off(t) else None
