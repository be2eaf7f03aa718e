"""The debrief: everything the scorer found, drawn from `scoring.debrief.build()`'s view model.

The most useful things come first (grade and why, the one thing to practise next, mistakes with
a better alternative), the detail after (models, escalation, law, mood, marking points, the
conversation turn by turn, how the score is made). Every section reads top to bottom at 80×24;
wider terminals put escalation and law side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from simulator.engine.i18n import gettext as tr

from ..text import MUTED, Piece, join, literal, plain
from ..widgets.footer import KeyFooter
from ..widgets.mood_curve import MoodCurve
from ..widgets.timeline import ModelTimeline

if TYPE_CHECKING:
    from textual import events

    from simulator.exercise.views import DebriefView

    from ..commands import PaletteCommand
    from ..controller import Play

GRADE_STYLE = {
    "distinction": "bold $text-success",
    "pass": "bold $text-primary",
    "fail": "bold $text-error",
}


def _section(
    title: str, *children: Widget, classes: str = "", id: str | None = None
) -> VerticalScroll:
    box = VerticalScroll(*children, classes=f"section {classes}".strip(), id=id)
    box.styles.height = "auto"
    box.styles.overflow_y = "hidden"
    box.border_title = literal(title)
    return box


def _text(*parts: Piece, **kw: Any) -> Static:
    return Static(join(*parts), markup=False, **kw)


class DebriefScreen(Screen[str | None]):
    BINDINGS = [
        Binding("r", "replay", "Replay", id="debrief.replay"),
        Binding("t", "retry", "Retry", id="debrief.retry"),
        Binding("m", "save('md')", "Markdown", id="debrief.save_md"),
        Binding("h", "save('html')", "HTML", id="debrief.save_html"),
        Binding("s", "save_as", "Save as", id="debrief.save_as"),
        Binding("escape", "back", "Back", id="debrief.back"),
        Binding("p", "picker", "Scenarios", id="debrief.picker"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="debrief.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="debrief.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="debrief.pagedown"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="debrief.pageup"),
    ]

    def __init__(self, play: Play, *, from_picker: bool = False) -> None:
        super().__init__(id="debrief")
        self.play = play
        self.from_picker = from_picker
        self.view: DebriefView | None = None
        self.problem: str | None = None
        self.saved: list[Path] = []
        try:
            self.view = play.service.debrief_model(play.ex)
        except Exception as exc:  # noqa: BLE001 - show it; the attempt is saved regardless
            self.problem = (
                f"The debrief could not be built ({type(exc).__name__}: {exc}). "
                f"Your attempt is saved; 'countertalk score' can re-score it."
            )

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="debrief-body"):
            if self.view is None:
                yield _section(
                    tr("Debrief"), _text(literal(self.problem or "")), classes="-grade-fail"
                )
            else:
                yield from self.sections(self.view)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = tr("Debrief: {title}").format(title=plain(self.play.info.title))
        self.sub_title = tr("assessment") if self.play.assess else tr("practice")
        self.query_one("#debrief-body").focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 110, "-narrow")

    def sections(self, v: DebriefView) -> Iterator[Widget]:
        grade = v.grade or "fail"
        # 1. Grade and why.
        pct = int(v.percent or 0)
        bar_w = 30
        filled = round(pct * bar_w / 100)
        head: list[Piece] = [
            (f"{(v.grade_label or grade).upper()}", GRADE_STYLE.get(grade, "bold")),
            (f"  {pct}%", "bold"),
            (tr("   outcome: "), MUTED),
            literal(v.outcome_label or "", "bold"),
            "\n",
            ("█" * filled, GRADE_STYLE.get(grade, "bold")),
            ("░" * (bar_w - filled), "$foreground 20%"),
            (tr("  the grade follows the marking points"), MUTED),
            "\n",
            literal(v.grade_reason or ""),
        ]
        if v.lang != "en":  # the language the attempt was played in
            head += ["\n", (tr("Played in {language}.").format(language=v.language), MUTED)]
        if v.ending_line:
            head += [
                "\n\n",
                (f"{v.scenario.customer}: ", "bold"),
                literal(v.ending_line, "italic"),
            ]
        if v.ending_debrief:
            head += ["\n", literal(v.ending_debrief)]
        yield _section(tr("Your grade"), _text(*head, id="grade"), classes=f"-grade-{grade}")

        # 2. The one thing to practise next.
        pr = v.practise
        if pr is not None:
            yield _section(
                tr("Practise next"),
                _text(
                    literal(pr.title, "bold"),
                    "\n",
                    literal(pr.text),
                    "\n",
                    literal(pr.why, "italic"),
                    id="practise",
                ),
            )

        # 3. Mistakes, each with a better alternative.
        mistakes = v.mistakes
        if mistakes:
            rows = []
            for m in mistakes:
                parts: list[Piece] = [
                    (tr("Turn {n}: ").format(n=m.turn), "bold"),
                    literal(m.label, "bold $text-error"),
                ]
                if m.said:
                    parts += [(tr(" — you said “"), ""), literal(m.said, "italic"), ("”", "")]
                if m.explanation:
                    parts += ["\n", literal(m.explanation)]
                if m.advice:
                    parts += ["\n", (tr("Instead: "), "bold"), literal(m.advice)]
                better = m.better
                if better is not None:
                    parts += [
                        "\n",
                        (tr("Better choice: "), "bold $text-success"),
                        "“",
                        literal(better.text, "italic"),
                        "”",
                        literal(
                            tr(" (could reach {p}%, {grade})").format(
                                p=better.percent, grade=tr(str(better.grade))
                            ),
                            MUTED,
                        ),
                    ]
                rows.append(_text(*parts, classes="mistake"))
            yield _section(tr("Mistakes ({n})").format(n=len(mistakes)), *rows, id="mistakes")
        else:
            yield _section(
                tr("Mistakes"),
                _text((tr("✓ No mistakes on this path."), "$text-success")),
                id="mistakes",
            )

        # 4. Models, as timelines.
        models = v.models
        if models:
            yield _section(tr("Models"), *[ModelTimeline(m) for m in models], id="models")

        # 5 + 6. Escalation and law, side by side when there is room.
        side = []
        esc = v.escalation
        if esc.applied:
            parts = [
                literal(esc.verdict_label, "bold"),
                "\n",
                literal(esc.note),
            ]
            if esc.reason:
                parts += ["\n", (tr("Why: "), "bold"), literal(esc.reason)]
            for e in esc.escalations:
                parts += [
                    "\n",
                    (tr("Turn {n}: ").format(n=e.turn), "bold"),
                    tr("to "),
                    literal(e.role),
                    " — “",
                    literal(e.said, "italic"),
                    "”",
                ]
            if esc.premature:
                parts += [
                    "\n",
                    (tr("⚠ Premature: "), "bold $text-warning"),
                    tr("you escalated before hearing the customer out."),
                ]
            if esc.escalations and not esc.handover:
                parts += [
                    "\n",
                    (tr("⚠ No handover: "), "bold $text-warning"),
                    tr("brief the colleague so the customer need not repeat the story."),
                ]
            side.append(_section(tr("Escalation"), _text(*parts), id="escalation"))
        law = v.law
        if law.applied:
            parts = [literal(law.note, "bold")]
            for label, items, style in (
                (tr("✓ Applied right"), law.right, "$text-success"),
                (tr("✗ Misstated"), law.wrong, "$text-error"),
                (tr("– Not applied"), law.not_applied, MUTED),
            ):
                for law_line in items:
                    law_turns = law_line.turns
                    parts += [
                        "\n",
                        (f"{label}: ", f"bold {style}"),
                        literal(law_line.act),
                        literal(
                            tr(" (turn {turns})").format(turns=", ".join(map(str, law_turns)))
                            if law_turns
                            else ""
                        ),
                    ]
                    if law_line.rule:
                        parts += ["\n", literal(law_line.rule, MUTED)]
            side.append(_section(tr("Law"), _text(*parts), id="law"))
        if side:
            yield Horizontal(*side, id="debrief-columns")

        # 7. Mood.
        if v.mood is not None:
            yield _section(tr("Customer's mood"), MoodCurve(v.mood), id="mood")

        # 8. Marking points.
        mp = v.marking_points
        if mp.met or mp.missed or mp.not_assessed:
            parts = []
            for item in mp.met:
                parts += [(tr("✓ met: "), "bold $text-success"), literal(item.label)]
                parts += [literal(f" ({tr(item.level)})", MUTED)] if item.level else []
                parts.append("\n")
            for item in mp.missed:
                parts += [(tr("✗ missed: "), "bold $text-error"), literal(item.label)]
                if item.why:
                    parts += [literal(f" ({item.why})", MUTED)]
                parts.append("\n")
            for item in mp.not_assessed:
                parts += [
                    (tr("– not assessed here: "), MUTED),
                    literal(item.label),
                    "\n",
                ]
            yield _section(tr("Marking points"), _text(*parts[:-1]), id="marking")
        course = v.course_points
        if course.met or course.missed or course.not_yet:
            parts = []
            for points, mark, style in (
                (course.met, "✓ ", "$text-success"),
                (course.missed, "✗ ", "$text-error"),
                # not yet shown (a law the conversation offered a way to name): never "missed"
                (course.not_yet, tr("– not yet shown: "), MUTED),
            ):
                for point in points:
                    parts += [
                        (mark, f"bold {style}"),
                        literal(point.text),
                        literal(f" ({point.element_title})", MUTED),
                    ]
                    if point.needs:
                        # the same sentence as the plain, Markdown and HTML debriefs
                        parts.append(
                            literal(
                                " " + tr("Met needs: %(needs)s.") % {"needs": point.needs}, MUTED
                            )
                        )
                    parts.append("\n")
            heading = (
                tr("Course marking points this attempt gave evidence for:")
                if course.met
                else tr("Course marking points this attempt did not yet show:")
            )
            yield _section(heading.rstrip(":"), _text(*parts[:-1]), id="course")

        # 9. The conversation, turn by turn (assessment mode's held-back feedback is here).
        # Typed replies (issue 26): the learner's own words beside the option they were taken
        # as, rude lines that fitted no option, and where the options were shown (an
        # assessment by recall names those turns: recall is stronger evidence, fact 34).
        turns = v.turns
        if turns:
            rows = []
            needed = v.options_needed
            if needed:
                rows.append(
                    _text(
                        literal(
                            f"The options were shown at turn{'s' if len(needed) > 1 else ''} "
                            f"{', '.join(str(n) for n in needed)}: recall without them is "
                            "stronger evidence.",
                            "bold $text-warning",
                        ),
                        id="options-needed",
                    )
                )
            for t in turns:
                parts = [
                    (tr("Turn {n}  ").format(n=t.turn), "bold"),
                    (f"{v.scenario.customer}: ", "bold"),
                    literal(t.customer),
                ]
                for rude in t.rude_lines:
                    parts += [
                        "\n",
                        (tr("You also typed: "), "bold"),
                        literal(f"\u201c{rude}\u201d"),
                        literal(
                            tr(" (it came across as rude: a mistake, and the mood fell)"), MUTED
                        ),
                    ]
                if t.options_shown:
                    parts += ["\n", literal(tr("(The options were shown here.)"), "italic")]
                if t.typed:
                    taken = tr("Taken as (you confirmed): ") if t.confirmed else tr("Taken as: ")
                    parts += [
                        "\n",
                        (tr("You typed: "), "bold"),
                        literal(f"\u201c{t.typed}\u201d"),
                        "\n",
                        (taken, "italic"),
                        literal(t.said),
                    ]
                else:
                    parts += ["\n", (tr("You: "), "bold"), literal(t.said)]
                if t.feedback:
                    parts += ["\n", (tr("Coach: "), "bold $text-success"), literal(t.feedback)]
                tags = [tr("shows {what}").format(what=", ".join(t.shows))] if t.shows else []
                if t.mistakes:
                    tags.append(tr("mistake: {what}").format(what=", ".join(t.mistakes)))
                tags.append(
                    tr("mood {mood} {word} ({change})").format(
                        mood=t.mood, word=t.mood_word, change=t.mood_change
                    )
                )
                parts += ["\n", literal(" · ".join(tags), MUTED)]
                rows.append(_text(*parts, classes="turn"))
            yield _section(tr("Your conversation"), *rows, id="turns")

        # 10. How the score is made.
        method = v.method
        if method is not None:
            parts = []
            for p in method.parts:
                parts += [
                    literal(
                        tr("{name}: {shown} (weight {weight})").format(
                            name=p.name, shown=p.shown, weight=p.weight
                        )
                        if p.shown
                        else tr("{name}: {percent}% (weight {weight})").format(
                            name=p.name, percent=p.percent, weight=p.weight
                        )
                    ),
                    "\n",
                ]
            parts += [
                literal(
                    tr("Base {base} − deductions {deductions} + outcome {outcome}").format(
                        base=method.base,
                        deductions=method.deductions,
                        outcome=method.outcome_points,
                    )
                ),
                "\n",
            ]
            for cap in method.caps:
                # the same words as the plain, Markdown and HTML debriefs (review 25f D21)
                cap_head = (
                    tr("At most %(grade)s (%(rule)s):") % {"grade": cap.grade, "rule": cap.rule}
                    if cap.binds
                    else tr("Would also stop a distinction (%(rule)s):") % {"rule": cap.rule}
                )
                parts += [
                    (cap_head + " ", "bold $text-warning"),
                    literal(
                        f"{cap.reason}"
                        + (tr(" (turn {turns})").format(turns=cap.turn) if cap.turn else "")
                    ),
                    "\n",
                ]
            for line in method.lines:
                parts += [literal(f"• {line}", MUTED), "\n"]
            yield _section(tr("How the score is made"), _text(*parts[:-1]), id="method")

    # -- actions ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return (not self.play.assess) and bool(self.play.choices)
        if action in ("save", "save_as"):
            return self.view is not None
        if action == "picker":
            return self.from_picker
        return True

    def action_scroll(self, delta: int) -> None:
        body = self.query_one("#debrief-body")
        body.scroll_relative(y=delta * 2, animate=False)

    def action_page(self, delta: int) -> None:
        body = self.query_one("#debrief-body")
        body.scroll_relative(y=delta * max(1, body.size.height - 2), animate=False)

    def action_replay(self) -> None:
        self.dismiss("replay")

    def action_back(self) -> None:
        self.dismiss(None)

    def action_picker(self) -> None:
        self.dismiss("picker")

    def action_retry(self) -> None:
        if not self.check_action("retry", ()):
            return
        from .dialogs import RetryDialog

        def chosen(turn: str | None) -> None:
            if turn:
                self.dismiss(f"retry:{turn}")

        said = [t.said for t in self.play.transcript().turns]
        self.app.push_screen(RetryDialog(said), chosen)

    def default_name(self, fmt: str, folder: Path | None = None) -> str:
        """`ID-debrief.md`, then `ID-debrief-2.md`, `-3`, … so a save never overwrites an earlier
        one, and the first one has no number (a number there read like a second copy)."""
        folder = folder or Path.cwd()
        stem = f"{self.play.info.exercise_id}-debrief"
        name, n = f"{stem}.{fmt}", 1
        while (folder / name).exists():
            n += 1
            name = f"{stem}-{n}.{fmt}"
        return name

    def action_save(self, fmt: str) -> None:
        self.save_to(Path.cwd() / self.default_name(fmt), fmt)

    def action_save_as(self) -> None:
        from .dialogs import SaveAsDialog

        def chosen(path: str | None) -> None:
            if path:
                p = Path(path).expanduser()
                if p.is_dir():
                    p = p / self.default_name("md", p)
                fmt = "html" if p.suffix.lower() in (".html", ".htm") else "md"
                self.save_to(p if p.is_absolute() else Path.cwd() / p, fmt)

        self.app.push_screen(SaveAsDialog(self.default_name("md")), chosen)

    def save_to(self, path: Path, fmt: str) -> Path | None:
        from ..controller import PlayProblem

        try:
            text = self.play.service.debrief(self.play.ex, fmt).body
        except PlayProblem as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            return None
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.notify(
                f"Could not save to {path}: {exc.strerror or exc}. Try another path with s.",
                severity="error",
                markup=False,
                timeout=10,
            )
            return None
        self.saved.append(path)
        self.notify(
            f"Saved the debrief ({'HTML' if fmt == 'html' else 'Markdown'}) to {path}",
            title="Saved",
            markup=False,
            timeout=8,
        )
        return path

    def palette_commands(self) -> Iterator[PaletteCommand]:
        yield ("Replay this scenario", "A new attempt from the beginning", self.action_replay)
        if self.check_action("retry", ()):
            yield (
                "Retry from a turn",
                "Keep your first choices, choose again from a turn",
                self.action_retry,
            )
        yield (
            "Save debrief as Markdown",
            "To a .md file in the current folder",
            lambda: self.action_save("md"),
        )
        yield (
            "Save debrief as HTML",
            "To a .html file in the current folder",
            lambda: self.action_save("html"),
        )
        yield ("Save debrief as…", "Type a file name or path", self.action_save_as)
        yield ("Back to the conversation", "See the conversation again", self.action_back)
