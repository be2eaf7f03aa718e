"""Play a knowledge check (sort, spot, match, order) in the app, alone or as a class.

Keys: a letter or number answers (spot: toggles a pick, Enter checks the picks), Enter or a click
on "Next" goes on; the mouse works everywhere. In classroom mode each key press or click is one
vote for that option and Enter locks in the class's answer (the most votes; for spot, every
option with at least half the votes of the most popular one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from simulator.engine.i18n import N_, translated
from simulator.engine.i18n import gettext as tr

from ..text import Piece, join, literal
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from textual import events

    from simulator.activities.model import Activity
    from simulator.exercise.kinds import Exercise
    from simulator.exercise.service import ExerciseService
    from simulator.exercise.views import TurnView

# The kinds as the web picker names them (the same catalogue entries).
KINDS = {"sort": "sorting", "spot": "spot the problems", "match": "matching", "order": "ordering"}
KIND_HELP = {
    "sort": N_("Put each card in its group: press its letter or click it."),
    "spot": N_(
        "Pick every option that applies (its letter, or click it; Space toggles the "
        "highlighted one), then press Enter to check."
    ),
    "match": N_("For each item, press the letter of what it goes with, or click it."),
    "order": N_("Build the sequence: choose what comes next."),
}
CLASS_HELP = N_("Each key press or click is one vote; Enter locks in the class's answer.")


def class_choice(votes: list[int], multi: bool) -> set[int]:
    """The class's answer from its votes (see the module docstring)."""
    top = max(votes, default=0)
    if top == 0:
        return set()
    if multi:
        return {i for i, v in enumerate(votes) if v * 2 >= top}
    return {votes.index(top)}


class ActivityScreen(Screen[None]):
    DEFAULT_CSS = """
    #activity-question, #activity-feedback { margin-top: 1; }
    #activity-options { height: auto; max-height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_pick", "Toggle", id="activity.toggle"),
        Binding("enter", "enter", "Choose", id="activity.enter", priority=True),
        Binding("backspace", "unvote", "Undo vote", id="activity.unvote"),
        Binding("p", "progress", "Progress", id="activity.progress"),
        Binding("escape", "back", "Back", id="activity.back"),
        # priority: the option list would otherwise take PageUp/PageDown to move its highlight,
        # and the text above it (a long result) could not be scrolled from the keyboard
        Binding("pagedown", "scroll_text(1)", "More", id="activity.more", priority=True),
        Binding("pageup", "scroll_text(-1)", "Back up", id="activity.less", priority=True),
        *[Binding(k, f"key_option({i})", k, show=False) for i, k in enumerate("123456789")],
    ]

    def __init__(
        self, activity: Activity, *, classroom: bool = False, seed: int | None = None
    ) -> None:
        super().__init__()  # no id: a second activity may open over this one
        import random

        self.activity = activity
        self.classroom = classroom
        self.seed = seed if seed is not None else random.randrange(10**6)
        self.picks: set[int] = set()
        self.votes: list[int] = []
        self.showing_feedback = False
        # The exercise service plays and records it (made on mount: the app's service).
        self.service: ExerciseService | None = None
        self.ex: Exercise | None = None
        self.view: TurnView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="activity-text"):
            yield Static(id="activity-intro", markup=False)
            yield Static(id="activity-question", markup=False)
            yield Static(id="activity-feedback", markup=False)
        yield OptionList(id="activity-options", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        a = self.activity
        self.title = a.title
        kind = tr(KINDS.get(a.kind, a.kind))
        self.sub_title = kind + (tr(" — classroom") if self.classroom else "")
        app = self.app
        service = getattr(app, "exercises", None)
        if service is None:  # shown by another app: played unsaved
            from simulator.exercise.service import ExerciseService

            service = ExerciseService(save=False)
        if hasattr(app, "get_store"):
            app.get_store()  # opened now; a store that cannot be used is said once
        learner = "class" if self.classroom else getattr(app, "learner", "learner")
        self.service = service
        self.ex = service.load(
            a.source or a.id,
            learner=learner,
            mode="classroom" if self.classroom else "activity",
            seed=self.seed,
            class_session=f"activity-{self.seed}" if self.classroom else None,
            activity=a,
        )
        self.view = service.begin(self.ex)
        parts: list[Piece] = [literal(a.intro)]
        if a.case:
            parts += ["\n\n", (tr("The case"), "bold"), "\n", literal(a.case)]
        parts += ["\n\n", (tr(CLASS_HELP if self.classroom else KIND_HELP[a.kind]), "italic")]
        self.query_one("#activity-intro", Static).update(join(*parts))
        self.show_question()

    def on_unmount(self) -> None:
        if self.service is not None and self.ex is not None and not self.ex.ended:
            self.service.abandon(self.ex)

    @property
    def current(self) -> TurnView | None:
        """The question being asked, or None at the end."""
        view = self.view
        return view if view is not None and not view.ended else None

    # -- drawing ---------------------------------------------------------------------------------
    def show_question(self) -> None:
        q = self.current
        opts = self.query_one("#activity-options", OptionList)
        if q is None:
            self.show_result()
            return
        self.showing_feedback = False
        self.picks = set()
        self.votes = [0] * len(q.options)
        total = q.total or 1
        head = tr("Question {n} of {total}: ").format(n=q.number, total=total) if total > 1 else ""
        self.query_one("#activity-question", Static).update(
            join((head, "bold"), literal(q.line, "bold"))
        )
        self.query_one("#activity-feedback", Static).update("")
        self.redraw_options()
        opts.highlighted = 0
        opts.focus()
        self.refresh_bindings()

    def redraw_options(self) -> None:
        q = self.current
        if q is None:
            return
        opts = self.query_one("#activity-options", OptionList)
        keep = opts.highlighted
        items = []
        for i, o in enumerate(q.options):
            mark = ""
            if q.multi and not self.classroom:
                mark = "[x] " if i in self.picks else "[ ] "
            tail = f"   votes: {self.votes[i]}" if self.classroom else ""
            items.append(
                Option(join((f"{o.key}) {mark}", "bold"), literal(o.text), (tail, "bold")))
            )
        opts.set_options(items)
        if keep is not None and keep < len(items):
            opts.highlighted = keep

    def show_feedback(self, view: TurnView) -> None:
        self.showing_feedback = True
        style = "bold $text-success" if view.correct else "bold $text-warning"
        verdict = "✓ " if view.correct else "✗ "
        self.query_one("#activity-feedback", Static).update(
            join((verdict, style), literal(view.feedback or ""))
        )
        opts = self.query_one("#activity-options", OptionList)
        last = view.ended
        opts.set_options([Option(tr("See your result ▸") if last else tr("Next ▸"))])
        opts.highlighted = 0
        opts.focus()
        self.query_one("#activity-text", VerticalScroll).scroll_end(animate=False)
        self.refresh_bindings()

    def show_result(self) -> None:
        assert self.service is not None and self.ex is not None  # shown after on_mount
        result = self.service.debrief(self.ex)
        score = result.score
        # The instructions are no use now; the result needs the room (at 80x24 it lists every
        # item to review), and it starts at the top.
        self.query_one("#activity-intro", Static).display = False
        self.query_one("#activity-question", Static).update(
            join(
                (tr("Result: "), "bold"),
                tr("{points} of {out_of} right ({percent}%)").format(
                    points=score.points, out_of=score.out_of, percent=score.percent
                ),
            )
        )
        verdict = (
            tr("met")
            if score.passed
            else tr("not yet met (needs {p}%)").format(p=score.pass_percent)
        )
        lines: list[Piece] = [
            (tr("Evidence for these marking points — {verdict}:").format(verdict=verdict), "bold")
        ]
        for point in self.service.info(self.ex).marking_points:
            lines += ["\n• ", literal(translated(point))]
        review = result.review
        if review:
            lines += ["\n\n", (tr("To review:"), "bold")]
            for line in review:
                lines += ["\n• ", literal(line)]
        lines += ["\n\n", (tr("p: your progress map   Esc: back"), "italic")]
        self.query_one("#activity-feedback", Static).update(join(*lines))
        text = self.query_one("#activity-text", VerticalScroll)
        text.scroll_home(animate=False)
        self.call_after_refresh(self.refresh_bindings)  # "More" once the result's height is known
        opts = self.query_one("#activity-options", OptionList)
        opts.set_options([Option(tr("See my progress map")), Option(tr("Back"))])
        opts.highlighted = 0
        self.showing_feedback = False
        self.refresh_bindings()

    # -- answering -------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        key = event.key
        q = self.current
        if q is None or self.showing_feedback or len(key) != 1:
            return
        keys = [o.key for o in q.options]
        if key in keys:
            event.stop()
            self.pick(keys.index(key))

    def action_key_option(self, i: int) -> None:
        q = self.current
        if q is not None and not self.showing_feedback and i < len(q.options):
            self.pick(i)

    def pick(self, i: int) -> None:
        q = self.current
        if q is None:
            return
        if self.classroom:
            self.votes[i] += 1
            self.redraw_options()
            return
        if q.multi:
            self.picks ^= {i}
            self.redraw_options()
            return
        self.answer({i})

    def answer(self, chosen: set[int]) -> None:
        """One answer, sent to the exercise service (which marks and records it)."""
        from simulator.exercise.views import Pick, PickMany

        q = self.current
        if q is None or self.service is None or self.ex is None:
            return
        numbers = tuple(sorted(i + 1 for i in chosen))
        sent = PickMany(numbers) if q.multi else Pick(numbers[0] if numbers else 0)
        event = self.service.answer(self.ex, sent)
        self.view = event.view
        if event.view.store_problem and hasattr(self.app, "store_failed_message"):
            self.app.store_failed_message(event.view.store_problem)
        self.show_feedback(event.view)

    @on(OptionList.OptionSelected, "#activity-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.current is None and not self.showing_feedback:
            if event.option_index == 0:
                self.action_progress()
            else:
                self.action_back()
            return
        if self.showing_feedback:
            self.show_question()
            return
        self.pick(event.option_index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        q = self.current
        if action == "toggle_pick":
            return q is not None and q.multi and not self.classroom and not self.showing_feedback
        if action == "unvote":
            return self.classroom and q is not None and not self.showing_feedback
        if action == "scroll_text":
            text = self.query_one("#activity-text", VerticalScroll)
            return True if text.max_scroll_y > 0 else None  # shown only when there is more
        return True

    def action_scroll_text(self, direction: int) -> None:
        text = self.query_one("#activity-text", VerticalScroll)
        if direction > 0:
            text.scroll_page_down(animate=False)
        else:
            text.scroll_page_up(animate=False)

    def action_toggle_pick(self) -> None:
        i = self.query_one("#activity-options", OptionList).highlighted
        if i is not None:
            self.pick(i)

    def action_check(self) -> None:
        q = self.current
        if q is not None and q.multi and not self.showing_feedback:
            self.answer(set(self.picks))

    def action_unvote(self) -> None:
        opts = self.query_one("#activity-options", OptionList)
        i = opts.highlighted
        if i is not None and i < len(self.votes) and self.votes[i] > 0:
            self.votes[i] -= 1
            self.redraw_options()

    def action_enter(self) -> None:
        q = self.current
        if self.classroom and q is not None and not self.showing_feedback:
            chosen = class_choice(self.votes, q.multi)
            if not chosen and not q.multi:
                self.notify(tr("No votes yet: press a letter for each hand up."), timeout=4)
                return
            self.answer(chosen)
            return
        if q is not None and q.multi and not self.showing_feedback:
            self.action_check()
            return
        opts = self.query_one("#activity-options", OptionList)
        if opts.highlighted is not None:
            opts.action_select()

    def action_progress(self) -> None:
        from .progress import ProgressScreen

        self.app.push_screen(ProgressScreen())

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()
