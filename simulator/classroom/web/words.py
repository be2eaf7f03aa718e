"""The phone page in the phone's language (issue 32).

The page is static (index.html, phone.js): for a language other than English the server serves
it with its words replaced from the gettext catalogue, `lang` set, and the script's sentences in a
JSON block the script reads (`<script type="application/json">` is data, never run, so the strict
Content-Security-Policy stays as it is). English is served byte for byte as it always was.
"""

from __future__ import annotations

import json

from simulator.engine.i18n import N_, gettext

# What index.html shows, as written in it (each replaced where it stands between tags).
PAGE_WORDS = (
    N_("CounterTalk class vote"),
    N_("class vote"),
    N_("Join the class"),
    N_("Join code (on the projector)"),
    N_("Letters and numbers, for example K7PX4QMT."),
    N_("Join"),
    N_("Your team"),
    N_("Pick your team (optional)"),
    N_("Carry on"),
    N_("Decision"),
    N_("What should the adviser say?"),
    N_("Votes are anonymous: this page keeps only a random id for this phone."),
)
# What phone.js says (its t("...") calls).
SCRIPT_WORDS = (
    N_("The class could not be reached."),
    N_("Joining…"),
    N_("Joined. Watch the projector and vote here."),
    N_("No team"),
    N_("You are in team {team}."),
    N_("You are not in a team."),
    N_("Decision"),
    N_("{customer} says:"),
    N_("The timer starts when the first phone joins."),
    N_("Time left to vote: {time}"),
    N_("Your team's turn: "),
    N_("{team} decides"),
    N_("Voting is open."),
    N_("It's {team}'s turn: discuss, then watch the projector."),
    N_("Voting is closed: {reason}"),
    N_("Voting is closed."),
    N_("The room chose option {option}. Watch the projector for what happens."),
    N_("The conversation has ended. Thank you for voting!"),
    N_("Waiting for the tutor to start."),
    N_("Your team: {team}"),
    N_("Option {number}: {text}"),
    N_("Your vote for {option} is counted."),
    N_("New decision: vote now."),
    N_("No connection: trying again…"),
    N_("Your vote could not be sent. Check the Wi-Fi and tap again."),
    N_("Vote counted: option {option}."),
    N_("You already voted — changed to {option}."),
    N_("You already voted for {option}."),
    N_("Voting closed."),
    N_("That vote was not counted."),
    N_("Live"),
    N_("Connected (checking every 2 s)"),
    N_("Reconnecting…"),
    # why voting is closed (the projector's lesson says it in English; each phone in its own)
    N_("the tutor is revealing"),
    N_("the tutor is choosing"),
    N_("the tutor is breaking a tie"),
    N_("the class is paused"),
    N_("time is up"),
)


def localised_page(body: bytes, lang: str) -> bytes:
    """index.html in a language (unchanged for English)."""
    if lang == "en":
        return body
    from markupsafe import escape

    text = body.decode("utf-8").replace('lang="en-GB"', f'lang="{escape(lang)}"', 1)
    for word in sorted(PAGE_WORDS, key=len, reverse=True):
        text = text.replace(f">{word}<", f">{escape(gettext(word))}<")
    words = {w: gettext(w) for w in SCRIPT_WORDS if gettext(w) != w}
    # </script> can never end the block early: "<" is written as \u003c inside the JSON.
    block = json.dumps(words, ensure_ascii=False).replace("<", "\\u003c")
    script = f'<script id="phone-words" type="application/json">{block}</script>\n'
    text = text.replace('<script src="/phone.js"', script + '<script src="/phone.js"', 1)
    return text.encode("utf-8")
