"""The classroom app: a projector layout for a tutor running a scenario with a class.

Readable from the back of a room: white on black, bold, minimal chrome, and a layout that
changes with the terminal's size (one column on a small projector terminal with a huge font,
two columns with big digits on a large one). Launched by `countertalk classroom`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from simulator.classroom.room import ClassRoom
from simulator.engine.i18n import N_
from simulator.engine.i18n import gettext as _

from ..crash import ReportsCrashes
from ..themes import PROJECTOR, THEMES
from .play_screen import ClassScreen

if TYPE_CHECKING:
    from simulator.classroom.web.server import PhoneLink

CSS = """
Screen { background: $background; color: $foreground; }
#topbar { height: 1; background: $accent; color: $background; text-style: bold; }
#topbar #title { width: 1fr; height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
#topbar #clock { width: auto; height: 1; background: $foreground; color: $background;
                 text-style: bold; }
ClassDebriefScreen #topbar { padding: 0 1; }
#banner { display: none; height: 3; content-align: center middle; text-style: bold;
          background: $secondary; color: $background; }
ClassScreen.-teams #banner { display: block; }
ClassScreen.-small #banner { height: 1; }
#main { height: 1fr; }
#left { width: 2fr; height: 1fr; padding: 1 2; }
#right { width: 3fr; height: 1fr; padding: 1 1; scrollbar-size-vertical: 1; }
#who { height: auto; }
#mood { margin: 0 0 1 0; }
#line { height: auto; padding: 1 2; border: heavy $accent; text-style: bold; }
#note { height: auto; padding: 0 1; color: $text-muted; }
#change { height: auto; margin: 1 0 0 0; padding: 0 1; background: $panel; text-style: bold; }
#bigrow { height: auto; margin: 1 0 0 0; display: none; }
ClassScreen.-large #bigrow { display: block; }
#bigrow Digits { width: auto; margin: 0 4 0 0; color: $accent; text-style: bold; }
#status { display: none; height: auto; padding: 0 1; background: $panel; text-style: bold; }
#status.-warn { background: $warning; color: $background; }
#scoreboard { display: none; height: auto; border-top: heavy $secondary; }
ClassScreen.-teams #scoreboard { display: block; }
#paused { display: none; height: 1fr; content-align: center middle; text-style: bold; }
ClassScreen.-paused #main { display: none; }
ClassScreen.-paused #paused { display: block; }
#qr-screen { display: none; height: 1fr; padding: 0 2; layout: horizontal; }
#qr-screen > #phones-info { width: 1fr; margin: 1 2 0 0; }
#qr-screen > #phones-qr { margin: 0; }
ClassScreen.-qr #main { display: none; }
ClassScreen.-qr #qr-screen { display: block; }
#phones-line { display: none; height: auto; padding: 0 1; }
#phones { width: 30; height: 1fr; padding: 1 1 0 1; margin: 0; }
#phones.-qr-inline { width: 37; }
ClassScreen.-small #phones { display: none; }

ClassScreen.-small #main { layout: vertical; }
ClassScreen.-small #left { width: 1fr; height: auto; padding: 0 1; }
ClassScreen.-small #right { width: 1fr; height: 1fr; padding: 0 0; }
ClassScreen.-small #mood { margin: 0; }
ClassScreen.-small #line { padding: 0 1; border: none; border-left: heavy $accent; }
ClassScreen.-small #change { margin: 0; }
ClassScreen.-small #scoreboard { border-top: none; background: $panel; }

ClassScreen.-large #line { padding: 2 3; }
ClassScreen.-large #left { padding: 2 3; }

ClassDebriefScreen #debrief { height: 1fr; padding: 0 2; }
ClassDebriefScreen #debrief > Static { margin: 1 0 0 0; }
ClassDebriefScreen.-small #debrief { padding: 0 0; }
ClassDebriefScreen #status { display: block; background: $panel; }
"""


class ClassroomApp(ReportsCrashes[None]):
    # Shown in the footer (Textual hides its default quit key), so a tutor sees how to leave.
    BINDINGS = [Binding("ctrl+q", "quit", N_("Quit"), priority=True)]
    TITLE = "CounterTalk classroom"  # (set in the class's language on mount)
    CSS = CSS

    def __init__(
        self,
        room: ClassRoom,
        *,
        timer: int | None = None,
        theme: str | None = None,
        notes_dir: str | Path | None = None,
        phones: PhoneLink | None = None,
    ) -> None:
        super().__init__()
        self.room = room
        self.phones = phones  # a PhoneLink (hub + server) with --phones
        self.timer = timer
        self.notes_dir = notes_dir
        for t in THEMES:
            self.register_theme(t)
        self.theme = theme or PROJECTOR.name

    async def on_mount(self) -> None:
        from simulator.tui.served import watch_server

        watch_server(self)
        self.title = _("CounterTalk classroom")
        link = self.phones
        if link is not None:
            await link.server.start()  # on this loop: handlers are short and never block
            if not link.server.address.loopback:
                self.notify(
                    _(
                        "Phones can reach {url} from this network: anyone on it who sees the "
                        "join code can vote. Stop the class when you are done."
                    ).format(url=link.server.address.url),
                    title=_("Open to the room's network"),
                    severity="warning",
                    timeout=15,
                    markup=False,
                )
        self.push_screen(
            ClassScreen(
                self.room,
                timer=self.timer,
                phones=link.hub if link else None,
                address=link.server.address if link else None,
            )
        )

    async def action_quit(self) -> None:
        """ctrl+q during the class asks first (one slip of a tutor's hand ended the class for
        everyone, issue 30); from the class debrief, or a second ctrl+q at the question, quits."""
        if isinstance(self.screen, EndClassDialog):
            self.exit()
            return
        if not isinstance(self.screen, ClassScreen):
            self.exit()
            return

        def answered(answer: str | None) -> None:
            if answer == "quit":
                self.exit()

        self.push_screen(EndClassDialog(), answered)

    async def on_unmount(self) -> None:
        self.room.abandon()  # a no-op once the class debrief has been reached
        if self.phones is not None:
            await self.phones.server.stop()


class EndClassDialog(ModalScreen[str | None]):
    """End the class? Escape (or the focused button) keeps it going."""

    DEFAULT_CSS = """
    EndClassDialog { align: center middle; }
    EndClassDialog > Vertical {
        width: 64; max-width: 95%; height: auto; border: thick $error; background: $surface;
        padding: 1 2;
    }
    EndClassDialog #end-title { text-style: bold; margin-bottom: 1; }
    EndClassDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    EndClassDialog Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "answer('keep')", N_("Keep going")),
        Binding("q", "answer('quit')", N_("End the class")),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("End the class now?"), id="end-title", markup=False)
            yield Static(
                _(
                    "The conversation stops here for everyone, and phones can no longer vote. "
                    "Decisions so far are kept."
                ),
                markup=False,
            )
            with Horizontal():
                yield Button(_("End the class (q)"), id="quit", variant="error")
                yield Button(_("Keep going (Esc)"), id="keep", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
