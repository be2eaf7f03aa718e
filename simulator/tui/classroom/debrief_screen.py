"""The class debrief: results, the teams' paths beside the best path, mistakes, prompts.

`s` saves it as Markdown and `h` as HTML for the class notes; the status line says where.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich import box
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from simulator.classroom import debrief as class_debrief
from simulator.classroom.room import ClassRoom
from simulator.engine.i18n import N_, translated
from simulator.engine.i18n import gettext as _
from simulator.engine.templating import plain

from ..widgets.footer import KeyFooter
from .text import Piece, lit, outcome_word


def grade_words(grade: str, percent: int | None) -> str:
    """'pass (75%)': a team's grade in the class's language."""
    word = _(grade)
    return f"{word} ({percent}%)" if percent is not None else word


def _t(text: object, style: str = "") -> Text:
    """Rich Text for table cells: literal, never markup."""
    return Text(plain("" if text is None else str(text)), style=style)


class ClassDebriefScreen(Screen[None]):
    BINDINGS = [
        Binding("s", "save('md')", N_("Save Markdown")),
        Binding("h", "save('html')", N_("Save HTML")),
        Binding("q", "app.quit", N_("Quit")),
    ]

    def __init__(
        self,
        room: ClassRoom,
        *,
        notes_dir: str | Path | None = None,
        phone_votes: Callable[[str, int], dict[int, int]] | None = None,
    ) -> None:
        super().__init__()
        self.room = room
        self.data = class_debrief.build(room, phone_votes)
        self.notes_dir = notes_dir
        self.saved: dict[str, Path] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        with VerticalScroll(id="debrief"):
            yield Static(id="results", markup=False)
            yield Static(id="paths", markup=False)
            yield Static(id="mistakes", markup=False)
            yield Static(id="prompts", markup=False)
        yield Static(id="status", markup=False)
        yield KeyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#debrief").focus()
        self._fill(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fill(event.size.width)

    def _fill(self, width: int) -> None:
        db = self.data
        small = width < 100
        self.set_class(small, "-small")
        self.query_one("#topbar", Static).update(
            Content.assemble(
                (" " + _("Class debrief") + " ", "bold reverse"), " ", lit(db.title, "bold")
            )
        )
        box_style = box.SIMPLE_HEAVY if small else box.HEAVY_HEAD

        results = Table(title=_t(_("Results"), "bold"), box=box_style, expand=True)
        for col in (_("Team") if db.team_mode else _("Who"), _("Ending"), _("Mood"), _("Grade")):
            results.add_column(_t(col, "bold"))
        for t in db.teams:
            grade = class_debrief.grade_text(t)
            results.add_row(
                _t(t.name, "bold"),
                _t(outcome_word(t.outcome) if t.outcome else _("not finished")),
                _t(str(t.final_mood)),
                _t(grade_words(t.grade, t.percent).upper() if t.grade else grade, "bold"),
            )
        if db.best is not None:
            grade = _(db.best_grade) if db.best_grade else ""
            if db.best_percent is not None:
                grade += f" ({db.best_percent}%)"
            results.add_row(_t(_("Best path"), "italic"), _t(""), _t(""), _t(grade, "italic"))
        self.query_one("#results", Static).update(results)

        paths = Table(
            title=_t(_("Paths side by side"), "bold"), box=box_style, expand=True, show_lines=True
        )
        paths.add_column(_t("#", "bold"), width=2)
        for t in db.teams:
            paths.add_column(_t(_("The class") if not db.team_mode else t.name, "bold"), ratio=1)
        if db.best is not None:
            paths.add_column(_t(_("Best path"), "bold"), ratio=1)
        for i in range(db.rows):
            cells = []
            for t in db.teams:
                if i < len(t.steps):
                    s = t.steps[i]
                    cell = _t(s.text)
                    if (not db.team_mode or db.phones) and s.votes:
                        votes = " ".join(f"{n}:{c}" for n, c in s.votes.items())
                        said = _("option {n}; votes {votes}").format(n=s.number, votes=votes)
                        if s.tied:
                            said += "; " + _("tie broken")
                        cell.append(f"\n({said})", style="italic")
                        if db.phones:
                            cell.append(
                                "\n" + class_debrief.vote_split(db, s).strip(), style="italic"
                            )
                    if s.mistakes:
                        cell.append(
                            "\n✘ " + ", ".join(translated(m) for m in s.mistakes), style="bold"
                        )
                    cells.append(cell)
                else:
                    cells.append(_t(""))
            if db.best is not None:
                cells.append(_t(db.best[i] if i < len(db.best) else ""))
            paths.add_row(_t(str(i + 1)), *cells)
        self.query_one("#paths", Static).update(paths)

        parts: list[Piece] = [(_("Mistakes to talk about"), "bold underline"), "\n"]
        if not db.mistakes:
            parts.append(_("No mistakes from the catalogue were made.") + "\n")
        for m in db.mistakes:
            parts += [
                "\n",
                (f"✘ {m.label}", "bold $error"),
                " — " + _("made by") + " ",
                lit(", ".join(m.made_by)),
                "\n",
            ]
            if m.explanation:
                parts += ["  " + _("Why it matters:") + " ", lit(m.explanation), "\n"]
            if m.advice:
                parts += ["  " + _("Instead:") + " ", lit(m.advice), "\n"]
            for b in m.better:
                parts += ["  " + _("A better reply on offer:") + " ", lit(f"“{b}”", "italic"), "\n"]
        self.query_one("#mistakes", Static).update(Content.assemble(*parts))

        prompts: list[Piece] = [(_("Discussion prompts"), "bold underline"), "\n"]
        for n, p in enumerate(db.prompts, 1):
            prompts += ["\n", (f"{n}. ", "bold $accent"), lit(p)]
        self.query_one("#prompts", Static).update(Content.assemble(*prompts))
        if not self.saved:
            self._say(_("s saves these notes as Markdown, h as HTML."))

    def _say(self, text: str) -> None:
        self.query_one("#status", Static).update(lit(text))

    def action_save(self, fmt: str) -> None:
        where = self.notes_dir or getattr(self.app, "notes_dir", None)
        folder = Path(where) if where else Path.cwd()
        try:
            path = class_debrief.save(self.data, folder, fmt)
        except OSError as exc:
            self._say(
                _("Could not save the class notes in {folder}: {problem}").format(
                    folder=folder, problem=exc.strerror or exc
                )
            )
            return
        self.saved[fmt] = path
        self._say(_("Saved the class notes to {path}").format(path=path))
        self.app.notify(str(path), title=_("Class notes saved"), markup=False)
