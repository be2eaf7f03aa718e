"""The projector's pieces: the tally with bars, the reveal of every option, the scoreboard."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from simulator.classroom.previews import OptionPreview
from simulator.classroom.room import Decision, ScoreRow
from simulator.classroom.votes import VoteBoard
from simulator.engine.i18n import gettext as _
from simulator.engine.i18n import translated
from simulator.engine.mood import mood_change_word, mood_word
from simulator.engine.session import Offered

from .text import Piece, lit, outcome_word, quoted, role_name

BAR = "█"
TRACK = "░"


def votes_word(n: int) -> str:
    """ "1 vote", "3 votes", in the class's language."""
    return _("1 vote") if n == 1 else _("{n} votes").format(n=n)


def mood_change(before: int, after: int) -> Content:
    delta = after - before
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    style = "bold $success" if delta > 0 else "bold $error" if delta < 0 else "bold"
    return Content.assemble(
        (_("Mood") + " ", "bold"),
        (f"{before} → {after} ", "bold"),
        (f"{arrow} {delta:+d} ", style),
        (f"({mood_word(before)} → {mood_word(after)}, {mood_change_word(before, after)})", ""),
    )


class Bar(Widget):
    """One option's share of the votes, as long as the space allows."""

    DEFAULT_CSS = """
    Bar { height: auto; }
    """

    def __init__(
        self, votes: int, top: int, total: int, *, tied: bool, split: tuple[int, int] | None = None
    ) -> None:
        super().__init__()
        self.votes, self.top, self.total, self.tied = votes, top, total, tied
        self.split = split  # (phones, hands) when phones vote too

    def _tail(self, width: int) -> tuple[str, str]:
        """The words after the bar, and a second line when the split does not fit beside it."""
        tail = " " + votes_word(self.votes)
        if self.total:
            tail += f" ({round(100 * self.votes / self.total)}%)"
        below = ""
        if self.split is not None:
            split = " · " + _("phones {phones} · hands {hands}").format(
                phones=self.split[0], hands=self.split[1]
            )
            if len(tail) + len(split) + 8 <= width:
                tail += split
            else:  # too narrow: the split goes on a line of its own
                below = f"\n {split[3:]}"
        if self.tied:
            tail += " " + _("TIED")
        return tail, below

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 if self._tail(width)[1] else 1

    def render(self) -> Content:
        tail, below = self._tail(self.size.width)
        room = max(4, self.size.width - len(tail))
        filled = round(room * self.votes / self.top) if self.top else 0
        style = (
            "$warning"
            if self.tied
            else ("$accent" if self.votes and self.votes == self.top else "$secondary")
        )
        return Content.assemble(
            (BAR * filled, style), (TRACK * (room - filled), "$panel"), (tail, "bold"), below
        )


class Option(Horizontal):
    """A labelled option: the big label on the left, the words (hanging indent) on the right."""

    DEFAULT_CSS = """
    Option { height: auto; margin: 0 0 1 0; }
    Option > .label { width: 4; height: 1; text-style: bold; }
    Option > .words { width: 1fr; height: auto; }
    Option > .words > Static { height: auto; }
    Tally.-compact Option { margin: 0; }
    """

    def __init__(self, number: int, label_style: str, head: Content, body: list[Widget]) -> None:
        super().__init__()
        self.number = number
        self._label = Static(Content.styled(f" {number} ", label_style), classes="label")
        self._head = head
        self._body = body

    def compose(self) -> ComposeResult:
        yield self._label
        with Vertical(classes="words"):
            yield Static(self._head, markup=False)
            yield from self._body


class Tally(Vertical):
    """The options on offer, each with its label, its words and its share of the votes."""

    DEFAULT_CSS = """
    Tally { height: auto; padding: 0 1; }
    Tally > .tally-total { height: auto; text-style: italic; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.compact = False
        # (options, counts, phones' counts, highlight, compact) as last drawn
        self._key: tuple[object, ...] | None = None

    def show(
        self, options: Sequence[Offered], board: VoteBoard, highlight: list[int] | None = None
    ) -> None:
        highlight = list(highlight or [])
        counts = board.as_dict()  # hands and phones added up, when phones vote
        phones = getattr(board, "phones", None)
        key = (
            tuple((o.number, o.text) for o in options),
            tuple(counts.items()),
            tuple(phones.items()) if phones is not None else None,
            tuple(highlight),
            self.compact,
        )
        if key == self._key:
            return
        same_rows = self._key is not None and key[0] == self._key[0] and key[3:] == self._key[3:]
        self._key = key
        self.set_class(self.compact, "-compact")
        top = max(counts.values(), default=0)
        if same_rows and self._update_in_place(options, board, counts, phones, top):
            return
        rows: list[Widget] = []
        for o in options:
            tied = o.number in highlight
            votes = counts.get(o.number, 0)
            rows.append(
                Option(
                    o.number,
                    "bold reverse $warning" if tied else "bold reverse $accent",
                    quoted(o.text, "bold"),
                    [
                        Bar(
                            votes,
                            top,
                            board.total,
                            tied=tied,
                            split=(phones.get(o.number, 0), board.counts.get(o.number, 0))
                            if phones is not None
                            else None,
                        )
                    ],
                )
            )
        rows.append(
            Static(
                self._total_words(board, phones),
                classes="tally-total",
                markup=False,
            )
        )
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(rows)

    @staticmethod
    def _total_words(board: VoteBoard, phones: dict[int, int] | None) -> str:
        total = board.total
        words = _("{votes} recorded").format(votes=votes_word(total))
        if phones is not None:
            words += ": " + _("{phones} from phones, {hands} hands").format(
                phones=sum(phones.values()), hands=sum(board.counts.values())
            )
        return words

    def _update_in_place(
        self,
        options: Sequence[Offered],
        board: VoteBoard,
        counts: dict[int, int],
        phones: dict[int, int] | None,
        top: int,
    ) -> bool:
        """Only the numbers changed (a vote came in): redraw the bars, keep the rows mounted.

        Phones' votes arrive many a second; re-mounting every row for each would keep the
        projector's loop (and so the phone server on it) busy.
        """
        bars = list(self.query(Bar))
        totals = list(self.query(".tally-total").results(Static))
        if len(bars) != len(options) or len(totals) != 1:
            return False
        for o, bar in zip(options, bars):
            bar.votes, bar.top, bar.total = counts.get(o.number, 0), top, board.total
            if phones is not None:
                bar.split = (phones.get(o.number, 0), board.counts.get(o.number, 0))
            bar.refresh(layout=bool(bar._tail(bar.size.width)[1]) != (bar.size.height > 1))
        totals[0].update(self._total_words(board, phones))
        return True


class Reveal(Vertical):
    """After a decision: what every option would have meant (the chosen one first and marked)."""

    DEFAULT_CSS = """
    Reveal { height: auto; padding: 0 1; }
    Reveal > .kept-back { height: auto; text-style: italic; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._key: tuple[int, bool] | None = None

    def show(self, decision: Decision, *, show_all: bool) -> None:
        key = (id(decision), show_all)
        if key == self._key:
            return
        self._key = key
        ordered = sorted(decision.previews, key=lambda p: p.number != decision.number)
        rows: list[Widget] = []
        for p in ordered:
            chosen = p.number == decision.number
            rows.append(
                Option(
                    p.number,
                    "bold reverse $accent" if chosen else "bold reverse $secondary",
                    quoted(p.text, "bold"),
                    [
                        Static(
                            self._body(
                                p,
                                chosen,
                                decision.votes.get(p.number, 0),
                                full=chosen or show_all,
                                tie=bool(decision.tied),
                            ),
                            markup=False,
                        )
                    ],
                )
            )
        if not show_all and len(ordered) > 1:
            rows.append(
                Static(
                    _(
                        "The other options' consequences are kept back so the next team "
                        "decides for itself (v shows them)."
                    ),
                    classes="kept-back",
                    markup=False,
                )
            )
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(rows)

    @staticmethod
    def _body(
        p: OptionPreview, chosen: bool, votes: int, *, full: bool, tie: bool = False
    ) -> Content:
        mark = (
            (_("CHOSEN (the tutor broke a tie)") if tie else _("CHOSEN"))
            if chosen
            else _("not chosen")
        )
        parts: list[Piece] = [(f"{mark} · {votes_word(votes)}", "italic")]
        if not full:
            return Content.assemble(*parts)
        if p.feedback:
            parts += ["\n", (_("Feedback:") + " ", "bold"), lit(p.feedback.strip())]
        shows = ", ".join(translated(label) for _id, label in p.shows) or _("none")
        parts += ["\n", ("✔ " + _("Shows:") + " ", "bold $success"), lit(shows)]
        mistakes = ", ".join(translated(label) for _id, label in p.mistakes) or _("none")
        parts += [
            "\n",
            ("✘ " + _("Mistakes:") + " ", "bold $error" if p.mistakes else "bold"),
            lit(mistakes),
        ]
        if p.escalate:
            parts += [
                "\n",
                ("⇪ " + _("Escalates to:") + " ", "bold"),
                lit(role_name(p.escalate)),
            ]
        for law, verdict in p.law.items():
            from scoring.spec import law_text  # the Act's name, never its id

            word = {
                "right": _("Applies correctly"),
                # conduct contrary to the law, not a statement of it (review 25k D1)
                "breached": _("Acts contrary to"),
                # only offered or asked for, nothing done yet (issue 25, truth25bb)
                "offered": _("Offers what is not allowed by"),
            }.get(verdict, _("Misstates"))
            t = law_text(law)
            act = translated(t["act"])
            name = f"{act} — {translated(t['rule'])}" if t.get("fact") else act
            parts += ["\n", (f"§ {word}: ", "bold"), lit(name)]
        parts += ["\n", mood_change(p.mood_before, p.mood_after)]
        if not chosen:
            parts += [
                "\n",
                (_("The customer would say:") + " ", "bold"),
                quoted(p.reaction.strip()),
            ]
        if p.ending:
            parts += [
                "\n",
                (
                    "■ "
                    + _("The conversation ends here ({outcome}).").format(
                        outcome=outcome_word(p.outcome)
                    ),
                    "bold",
                ),
            ]
        return Content.assemble(*parts)


class Scoreboard(Static):
    """Every team's turn, mood and running score; the team whose turn it is is marked ▶."""

    DEFAULT_CSS = """
    Scoreboard { height: auto; padding: 0 1; }
    """

    def show(self, rows: list[ScoreRow], *, compact: bool) -> None:
        parts: list[Piece] = []
        for i, r in enumerate(rows):
            if i:
                parts.append("   " if compact else "\n")
            marker = "▶ " if r.current else "  "
            name_style = "bold reverse $accent" if r.current else "bold"
            score = f"{r.percent}%" if r.percent is not None else "–"
            if r.grade:
                score += f" {r.grade}"
            if compact:
                turn = _("t{turn}").format(turn=r.turn)
                parts += [marker, (f" {r.team} ", name_style), f" {turn} {r.mood_word} {score}"]
                if r.outcome:
                    parts.append(f" ({outcome_word(r.outcome)})")
            else:
                state = (
                    _("ended: {outcome}").format(outcome=outcome_word(r.outcome))
                    if r.outcome
                    else _("turn {n}").format(n=r.turn)
                )
                mood = _("mood")
                points = _("score")
                parts += [
                    marker,
                    (f" {r.team:<12} ", name_style),
                    f"  {state:<18} {mood} {r.mood:>3} {r.mood_word:<8}"
                    f"  ✔ {r.behaviours:<2} ✘ {r.mistakes:<2}  {points} {score}",
                ]
        self.update(Content.assemble(*parts))
