"""What the projector shows about phone voting: the address, the join code, a QR code and how
many phones have joined.

The QR code carries the address with the code in it, so scanning it is enough to join. It is
drawn with half-block characters (segno's compact terminal output), light modules in white on
black whatever the theme, so phone cameras read it the same on every projector.
"""

from __future__ import annotations

import io
from functools import lru_cache

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from simulator.classroom.phones import PhoneHub
from simulator.classroom.web.server import Address
from simulator.engine.i18n import gettext as _

from .text import lit


def phones_joined(n: int) -> str:
    """'1 phone joined', '3 phones joined', in the class's language."""
    return _("1 phone joined") if n == 1 else _("{n} phones joined").format(n=n)


@lru_cache(maxsize=8)
def qr_text(url: str) -> str:
    """The QR code of `url` as lines of ▀▄█ characters (2 modules a character row)."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue().rstrip("\n")


def summary(hub: PhoneHub, address: Address) -> Content:
    joined = hub.joined()
    return Content.assemble(
        (_("Vote on your phone:") + " ", "bold"),
        lit(address.url, "bold $accent"),
        ("  " + _("code") + " ", "bold"),
        (hub.code, "bold reverse $accent"),
        "  " + phones_joined(joined),
    )


class PhonesPanel(Vertical):
    """The join details beside the conversation; the QR code only where it fits."""

    DEFAULT_CSS = """
    PhonesPanel { height: auto; margin: 1 0 0 0; }
    PhonesPanel > #phones-info { height: auto; }
    PhonesPanel > #phones-qr { width: auto; height: auto; color: #ffffff; background: #000000;
                               margin: 1 0 0 0; }
    """

    def __init__(self, hub: PhoneHub, address: Address, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hub, self.address = hub, address
        self.show_qr = True
        self._qr_code = hub.code

    def compose(self) -> ComposeResult:
        yield Static(id="phones-info", markup=False)
        qr = Static(qr_text(self.address.join_url(self.hub.code)), id="phones-qr", markup=False)
        qr.display = not self.address.loopback  # no QR code a phone cannot use
        yield qr

    def show(self, *, qr: bool, hint: str = "") -> None:
        joined = self.hub.joined()
        parts: list[str | tuple[str, str] | Content] = [
            (_("Vote on your phone"), "bold underline"),
            "\n",
            (_("Open") + " ", ""),
            lit(self.address.url, "bold $accent"),
            "\n",
            (_("Join code") + " ", ""),
            (f" {self.hub.code} ", "bold reverse $accent"),
            "\n",
            (phones_joined(joined), "bold"),
        ]
        if not self.address.loopback:
            parts += [
                "\n",
                (_("Open to this network: anyone here with the code can vote."), "italic"),
            ]
        else:
            # A QR code of 127.0.0.1 sends a phone to itself (issue 30): say how to open it.
            parts += [
                "\n",
                (_("Only this computer can open that address; phones cannot.") + " ", "bold"),
                _(
                    "To let the room vote, quit (ctrl+q) and start the class again with "
                    "{option} (every network this computer is on) or --host and this "
                    "computer's address on the room's network."
                ).format(option="--host 0.0.0.0"),
            ]
        if self.hub.warning:  # the server saw ballot stuffing this round
            parts += ["\n", (self.hub.warning, "bold $error")]
        if hint:
            parts += ["\n", (hint, "italic")]
        self.query_one("#phones-info", Static).update(Content.assemble(*parts))
        qr_widget = self.query_one("#phones-qr", Static)
        if self._qr_code != self.hub.code:  # the tutor rotated the code (c)
            self._qr_code = self.hub.code
            qr_widget.update(qr_text(self.address.join_url(self.hub.code)))
        qr_widget.display = qr and not self.address.loopback  # no QR a phone cannot use
