"""Who the learner is talking to: name, persona, their mood, and where the conversation is.

One widget drawing all of it (it was six: a container, four Statics and a mood meter): every
widget costs styling, layout and a render before the first playable screen, and this card's
parts never change apart from each other."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from simulator.engine.i18n import gettext as tr

from ..text import Piece, join, literal
from .mood_meter import mood_pieces


class CustomerCard(Widget):
    DEFAULT_CSS = """
    CustomerCard {
        height: auto;
        border: round $primary;
        border-title-color: $text-primary;
        padding: 0 1;
    }
    CustomerCard.-compact { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        # Compact from the start when the screen knows its size: a class changed after the
        # card is styled restyles it again.
        super().__init__(id=id, classes="-compact" if compact else None)
        self.name_text = ""
        self.persona: str | None = None
        self.internal = False
        self.mood = 50
        self.change = ""  # the last choice's mood change, as a word ("" for none)
        self.progress = ""  # "Turn 2 · practice\nSaved"
        self.border_title = Content("Customer")  # our word; no need to load the text rules yet

    def show_customer(self, name: str, persona: str | None, internal: bool) -> None:
        self.name_text, self.persona, self.internal = name, persona, internal
        self.border_title = literal(tr("Colleague") if internal else tr("Customer"))
        self.refresh(layout=True)

    def set_compact(self, compact: bool) -> None:
        """One line for who, one for mood: for terminals under 100 columns."""
        if compact != self.has_class("-compact"):
            self.set_class(compact, "-compact")
            self.refresh(layout=True)

    def show_state(self, mood: int, change: str, turn: int, mode: str, saved: bool) -> None:
        mode_word = tr("assessment") if mode == "assess" else tr("practice")
        self.mood, self.change = mood, change
        saved_word = tr("Saved") if saved else tr("Not saved")
        self.progress = (
            tr("Turn {n} · {mode}").format(n=turn + 1, mode=mode_word) + f"\n{saved_word}"
        )
        self.refresh(layout=True)

    def _muted(self) -> str:
        """The theme's `$text-muted` as a colour a Content style can use: themes give it as
        "auto 60%" (the background's contrasting colour, at 60%), which a Content style can't
        say, or as a colour (the high-contrast theme's is white)."""
        from textual.color import Color, ColorParseError

        value = str(self.app.theme_variables.get("text-muted", "auto 60%")).strip()
        _, background = self.background_colors
        if value.startswith("auto"):
            share = value[4:].strip().rstrip("%")
            alpha = float(share) / 100 if share.replace(".", "", 1).isdigit() else 0.6
            return background.blend(background.get_contrast_text(1.0), alpha).hex
        try:
            return background.blend(Color.parse(value), 1.0).hex
        except ColorParseError:
            return background.get_contrast_text(1.0).hex

    def render(self) -> Content:
        compact = self.has_class("-compact")
        muted = self._muted()
        parts: list[Piece] = []
        if self.name_text:
            parts.append(literal(self.name_text, "bold"))
            if self.persona:
                parts += [(" — ", muted) if compact else "\n"]
                parts.append(literal(self.persona, muted))
            parts.append("\n")
        parts += mood_pieces(self.mood, self.change, inline=compact)
        if self.progress and not compact:
            parts += ["\n", (self.progress, muted)]
        return join(*parts)
