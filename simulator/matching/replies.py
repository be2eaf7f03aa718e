"""A session's typed replies: what a typed line comes to now, and the record of a typed turn.

Every front end (app, plain mode) goes through here, so they agree on what a bare number
means, when to ask "Did you mean …?", what the customer says to a line they did not
understand, where a rude line goes, and what a typed turn's transcript entry holds:

    turn["typed"]     = {"text": what they typed, "score": 0.71, "confirmed": false,
                         "via": "match" | "rude", "read_rude": true (only when it read rude)}
    turn["unmatched"] = [{"text": ..., "reason": ...}, ...]   # earlier lines in this state
                                                           # that were not understood
    a rude line no option fits adds {"mistake": "rude", "mood": -10} to its entry: it cost the
    customer's goodwill when typed (see `count_rude_line`), and the debrief lists it

`countertalk report --unmatched` reads the second so tutors can turn misses into examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.engine.i18n import N_

from .clean import as_number, clean_typed
from .matcher import ACCEPT, CONFIRM, Match, matcher_for

PICK, TAKE, ASK, NOT_UNDERSTOOD, ROUTED = "pick", "take", "ask", "not_understood", "routed"

# The customer's words, in the learner's language (catalogue strings; N_ marks them).
NOT_UNDERSTOOD_LINE = N_("Sorry, I'm not sure what you mean.")
RUDE_LINE = N_("There's no need to talk to me like that.")
RUDE_MOOD = -10
"""What a rude line that no option fits costs the customer's mood (a rude option's own `mood`
is usually -10 to -20)."""


@dataclass(frozen=True)
class Reply:
    """What a typed line comes to in the current state.

    kind  pick            a bare option number: take `option` as if picked
          take            understood with confidence: take `option`
          ask             unsure: ask "Did you mean …?" about `suggestions`
          not_understood  nothing taken; the customer says `reaction`, show the options
          routed          a rude line routed by the state's `on_unmatched: {rude: …}`
    """

    kind: str
    text: str
    match: Match | None = None
    option: Any = None  # Offered
    suggestions: tuple[Any, ...] = ()  # Offered, best first
    reaction: str | None = None
    mistake: str | None = None  # "rude": a rude line no option fits, counted against them

    @property
    def score(self) -> float | None:
        if self.match is None or self.option is None:
            return None
        for r in self.match.ranking:
            if r.choice_id == self.option.choice_id:
                return r.score
        return None


class TypedReplies:
    """Interpret typed lines for one session and annotate the turns they become."""

    def __init__(self, session: Any, *, use_examples: bool = True):
        self.session = session
        self.matcher = matcher_for(session.scenario, use_examples=use_examples)
        self._misses: list[dict[str, Any]] = []
        self._miss_state: str | None = None
        self._options_state: str | None = None

    def prepare(self) -> None:
        """Load the model and embed the scenario's examples (call off the UI thread)."""
        self.matcher.prepare()

    # -- understanding -------------------------------------------------------------------------
    def interpret(self, line: str) -> Reply:
        session = self.session
        offered = session.offered()
        text = clean_typed(line)
        number = as_number(text, len(offered))
        if number is not None:
            return Reply(PICK, text, option=offered[number - 1])
        if not text:
            return Reply(NOT_UNDERSTOOD, text, reaction=None)
        match = self.matcher.match(text, offered)
        if match.decision == ACCEPT:
            return Reply(TAKE, text, match, option=match.ranking[0].offered)
        if match.decision == CONFIRM:
            return Reply(ASK, text, match, suggestions=tuple(r.offered for r in match.suggestions))
        route = self._rude_route(offered) if match.rude else None
        if route is not None:
            return Reply(ROUTED, text, match, option=route)
        if match.rude:
            self.count_rude_line(text, match.reason)
            return Reply(
                NOT_UNDERSTOOD, text, match, reaction=self._reaction(match), mistake="rude"
            )
        self._remember_miss(text, match)
        return Reply(NOT_UNDERSTOOD, text, match, reaction=self._reaction(match))

    def count_rude_line(self, text: str, reason: str) -> None:
        """A rude line that no option fits still counts, in practice and assessment alike: the
        customer's mood drops by RUDE_MOOD now, and the line goes on the record as a mistake
        (in the `unmatched` list of the next turn taken, which the debrief lists).

        The one place this happens, so another front end or the attempt service can call it."""
        session = self.session
        session.mood = max(0, min(100, session.mood + RUDE_MOOD))
        self._remember_miss(text, None, reason=reason)
        self._misses[-1].update({"mistake": "rude", "mood": RUDE_MOOD})

    def options_shown(self) -> None:
        """The learner asked to see the options ('?') in this state: the turn they take here
        records it (`options_shown`), and the debrief names those turns (brief fact 34:
        recall is stronger evidence than recognition)."""
        self._options_state = self.session.state

    def declined(self, reply: Reply) -> None:
        """The learner said no to "Did you mean …?": count the line as not understood. A rude
        line is only ever asked about, so saying no to it costs what a rude line no option fits
        costs (mood, a mistake on the record): declining must not make rudeness free."""
        if reply.match is not None and reply.match.rude:
            self.count_rude_line(reply.text, reply.match.reason)
        elif reply.match is not None:
            self._remember_miss(reply.text, reply.match, reason="declined a suggestion")

    def _rude_route(self, offered: Any) -> Any:
        """The state's `on_unmatched: {rude: …}` option if on offer; failing that, an option on
        offer that is itself the rude reply (marked with the `rude` mistake)."""
        st = self.session.scenario.states[self.session.state]
        target = st.on_unmatched.rude if st.on_unmatched else None
        if target:
            routed = next((o for o in offered if o.choice_id == target), None)
            if routed is not None:
                return routed
        return next((o for o in offered if "rude" in o.choice.mistakes), None)

    def _reaction(self, match: Match) -> str:
        session = self.session
        sid = session.state
        st = session.scenario.states[sid]
        if st.on_unmatched is not None and st.on_unmatched.say:
            line = session._render(st.on_unmatched.say, ("states", sid, "on_unmatched", "say"))
            if line:
                return str(line)
        from simulator.engine.i18n import gettext

        return gettext(RUDE_LINE) if match.rude else gettext(NOT_UNDERSTOOD_LINE)

    def _remember_miss(self, text: str, match: Match | None, reason: str | None = None) -> None:
        if self._miss_state != self.session.state or not self._miss_state:
            self._misses, self._miss_state = [], self.session.state
        self._misses.append({"text": text, "reason": reason or (match.reason if match else "")})

    @property
    def misses(self) -> list[dict[str, Any]]:
        """Lines not understood so far in the current state."""
        return list(self._misses) if self._miss_state == self.session.state else []

    # -- taking --------------------------------------------------------------------------------
    def turn_extra(
        self, reply: Reply, option: Any = None, *, confirmed: bool = False
    ) -> dict[str, Any]:
        """What a typed turn adds to its record (``typed``, ``unmatched``), given to the session
        with the choice so the record is complete when it commits."""
        option = option or reply.option
        extra: dict[str, Any] = {}
        if reply.kind != PICK:
            score = None
            if reply.match is not None:
                score = next(
                    (
                        round(r.score, 3)
                        for r in reply.match.ranking
                        if r.choice_id == option.choice_id
                    ),
                    None,
                )
            extra["typed"] = {
                "text": reply.text,
                "score": score,
                "confirmed": bool(confirmed),
                "via": "rude" if reply.kind == ROUTED else "match",
            }
            if reply.kind != ROUTED and reply.match is not None and reply.match.rude:
                # a rude line confirmed as the option it was asked about: its own words were
                # rude, whatever the option's marks (scoring/scorer.py `typed_rude`)
                extra["typed"]["read_rude"] = True
        misses = self.misses
        if misses:
            extra["unmatched"] = misses
        if self._options_state is not None and self._options_state == self.session.state:
            extra["options_shown"] = True
        return extra

    def take(self, reply: Reply, option: Any = None, *, confirmed: bool = False) -> Any:
        """Make the choice a reply leads to (or `option`, one of its suggestions); returns the
        session's Step with the typed record added to its turn."""
        option = option or reply.option
        extra = self.turn_extra(reply, option, confirmed=confirmed)
        step = self.session.choose_id(option.choice_id, extra)
        self._misses, self._miss_state, self._options_state = [], None, None
        return step


def typed_words(turn: dict[str, Any]) -> str | None:
    """The learner's own words for a transcript turn, when it was typed."""
    typed = turn.get("typed")
    text = typed.get("text") if isinstance(typed, dict) else None
    if isinstance(text, str):
        return text
    return None
