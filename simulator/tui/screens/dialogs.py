"""Small modal questions and the error screen. Each returns a short answer string (or None)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..text import join, literal


class _Dialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    _Dialog { align: center middle; }
    _Dialog > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    _Dialog .dialog-title { text-style: bold; margin-bottom: 1; }
    _Dialog .dialog-body { height: auto; margin-bottom: 1; }
    _Dialog Horizontal.buttons { height: auto; align-horizontal: right; }
    _Dialog Button { margin-left: 1; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="dialog.cancel")]

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)


class ResumeDialog(_Dialog):
    """An unfinished attempt exists: resume it, or start a new one?"""

    BINDINGS = [
        Binding("r", "answer('resume')", "Resume", id="resume.resume"),
        Binding("n", "answer('new')", "New attempt", id="resume.new"),
    ]

    def __init__(self, title: str, made: int) -> None:
        super().__init__()
        self.scenario_title = title
        self.made = made

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                join(("Unfinished attempt: ", ""), literal(self.scenario_title)),
                classes="dialog-title",
                markup=False,
            )
            yield Static(
                literal(
                    f"You made {self.made} choice{'s' if self.made != 1 else ''} last time. Resume "
                    f"from turn {self.made + 1}, or start a new attempt (the old one stays in your "
                    f"records)."
                ),
                classes="dialog-body",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Resume (r)", id="resume", variant="primary")
                yield Button("New attempt (n)", id="new")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


class MisfitDialog(_Dialog):
    """A saved attempt no longer fits the changed scenario file."""

    BINDINGS = [
        Binding("s", "answer('over')", "Start over", id="misfit.over"),
        Binding("c", "answer('keep')", "Continue", id="misfit.keep"),
    ]

    def __init__(self, reason: str, kept: int) -> None:
        super().__init__()
        self.reason = reason
        self.kept = kept

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "This scenario has changed since your attempt", classes="dialog-title", markup=False
            )
            yield Static(
                join(
                    literal(self.reason[0].upper() + self.reason[1:]),
                    ".\n\n",
                    literal(
                        f"You can start over, or continue from turn "
                        f"{self.kept + 1} (your first {self.kept} choice(s) still "
                        f"fit; later ones are dropped)."
                    ),
                ),
                classes="dialog-body",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Start over (s)", id="over", variant="primary")
                yield Button(f"Continue from turn {self.kept + 1} (c)", id="keep")

    def on_mount(self) -> None:
        self.query_one("#over", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    def action_dismiss_none(self) -> None:
        self.dismiss("over")


class ProblemScreen(_Dialog):
    """A problem the learner must read (scenario errors, a template failing while playing)."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", id="problem.close"),
        Binding("q", "answer('quit')", "Quit", id="problem.quit"),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        lines: list[str] | None = None,
        *,
        close_label: str = "Close",
    ) -> None:
        super().__init__(classes="-problem")
        self.problem_title = title
        self.message = message
        self.lines = lines or []
        self.close_label = close_label

    def compose(self) -> ComposeResult:
        with Vertical(id="problem"):
            yield Static(
                join(("✗ ", "bold $text-error"), literal(self.problem_title)),
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(classes="dialog-body", id="problem-body"):
                yield Static(literal(self.message), markup=False)
                for line in self.lines:
                    yield Static(join(("• ", ""), literal(line)), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.close_label} (Esc)", id="close", variant="primary")
                yield Button("Quit (q)", id="quit")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


class SaveAsDialog(_Dialog):
    """Ask where to save the debrief; the suffix (.md / .html) picks the format."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Save the debrief", classes="dialog-title", markup=False)
            yield Static(
                "Type a file name or path. Ending in .html saves HTML; anything else "
                "saves Markdown.",
                classes="dialog-body",
                markup=False,
            )
            yield Input(value=self.default, id="save-path")
            with Horizontal(classes="buttons"):
                yield Button("Save (Enter)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(
            self.query_one(Input).value.strip() or None if event.button.id == "save" else None
        )


class RetryDialog(_Dialog):
    """Pick the turn to retry from (practice mode)."""

    def __init__(self, turns: list[str]) -> None:
        super().__init__()
        self.turns = turns  # what the learner said at each turn

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Retry from which turn?", classes="dialog-title", markup=False)
            yield Static(
                "Your earlier choices are replayed with the same customer lines; "
                "you choose again from the turn you pick.\n"
                "Arrows to move, Enter to retry from that turn, Esc to go back.",
                classes="dialog-body",
                markup=False,
            )
            yield OptionList(
                *[
                    Option(join((f"Turn {n}: ", "bold"), literal(t)), id=f"t{n}")
                    for n, t in enumerate(self.turns, start=1)
                ],
                id="retry-turns",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # every option has an id: t<turn>
            self.dismiss(event.option.id[1:])


class QuitDialog(_Dialog):
    """Quitting mid-conversation: say that the attempt is kept and how to come back to it."""

    BINDINGS = [
        Binding("q", "answer('quit')", "Quit", id="quit.quit"),
        Binding("enter", "answer('quit')", "Quit", show=False, id="quit.enter"),
    ]

    def __init__(self, made: int, resume_hint: str | None) -> None:
        super().__init__()
        self.made = made
        self.resume_hint = resume_hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Quit in the middle of the conversation?", classes="dialog-title")
            if self.resume_hint:
                body = (
                    f"Your {self.made} choice{'s are' if self.made != 1 else ' is'} saved. "
                    f"To carry on later:\n  {self.resume_hint}"
                )
            else:
                body = "This attempt is not being saved, so it cannot be resumed later."
            yield Static(literal(body), classes="dialog-body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Quit (q)", id="quit", variant="error")
                yield Button("Keep playing (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
