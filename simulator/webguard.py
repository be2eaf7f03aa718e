"""The one web guard: what `countertalk serve` checks on every request before an app process
starts, and what the classroom's phone server asks of a Host header and a bind address (one
answer to "is this loopback?": `127.1`, `0x7f.0.0.1` and `localhost.` are, for both).

* **Host**: the page names no address taken from the request; still, a request whose Host is not
  one of this server's names is refused, so a web page on another site that rebinds its DNS name
  to this computer (DNS rebinding) cannot read the page or open the app.
* **Origin**: a browser tells the server which page opened a websocket or posted a form. Only
  this server's own page may; any other site the learner happens to visit is refused (otherwise
  it could drive the app and change the learner's stored results).
* **Learner names**: typed by learners, so kept short and printable, and passed to the app
  process only as one quoted argument.

All pure functions of their arguments, so they are tested without a server.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
WILDCARDS = {"0.0.0.0", "::", ""}
NAME_MAX = 40


def parse_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address in any form the system resolver accepts for IPv4 (127.1, 0x7f.0.0.1,
    2130706433 — what the server would really bind), or IPv6, else None."""
    host = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and re.fullmatch(r"[0-9a-fA-FxX.]+", host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") in LOOPBACK_NAMES:
        return True
    ip = parse_ip(host)
    return ip is not None and ip.is_loopback


def split_host(value: str) -> tuple[str, int | None] | None:
    """'name:port' / '[v6]:port' / 'name' -> (lower-case name, port or None); None if malformed."""
    value = value.strip()
    if not value or any(c.isspace() or c in "/\\@?#" for c in value):
        return None
    m = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?", value)
    if m:
        host, port = m.group(1), m.group(2)
    else:
        host, _, port = value.partition(":")
        if ":" in port:
            return None
    if port is not None and port != "" and not port.isdigit():
        return None
    return host.lower().rstrip("."), (int(port) if port else None)


class HostPolicy:
    """The host names (and port) under which this server may be addressed."""

    def __init__(
        self, bind: str, port: int, public_url: str | None = None, extra: tuple[str, ...] = ()
    ):
        self.port = port
        self.wildcard = bind.strip("[]") in WILDCARDS
        names = set(LOOPBACK_NAMES) | {n.lower().rstrip(".") for n in extra}
        if not self.wildcard:
            names.add(bind.strip("[]").lower())
        else:  # every interface: this computer's own names too
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self.public = None
        if public_url:
            parts = urlsplit(public_url)
            if parts.hostname:
                names.add(parts.hostname.lower())
                default = 443 if parts.scheme == "https" else 80
                self.public = (parts.scheme, parts.hostname.lower(), parts.port or default)
        self.names = names

    def allows(self, host_header: str | None) -> bool:
        if not host_header:
            return False
        parsed = split_host(host_header)
        if parsed is None:
            return False
        name, port = parsed
        ports = {self.port}
        if self.public:
            ports.add(self.public[2])
        if port is None:
            port = 80
        if port not in ports:
            return False
        if name in self.names:
            return True
        ip = parse_ip(name)
        if ip is None:
            return False
        # An address literal cannot be a rebound DNS name; on a specific address only the
        # loopback forms and that address are this server.
        return self.wildcard or ip.is_loopback or str(ip) in self.names

    def origin_allowed(self, origin: str | None, scheme: str, host_header: str) -> bool:
        """A websocket or form from this server's own page: the browser's Origin is the
        address the page was loaded from (the Host it sent) or the public URL behind a proxy."""
        if not origin or origin == "null":
            return False
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        if (
            self.public
            and (
                parts.scheme,
                parts.hostname.lower(),
                parts.port or (443 if parts.scheme == "https" else 80),
            )
            == self.public
        ):
            return True
        same = f"{scheme}://{host_header}".lower()
        return origin.lower().rstrip("/") == same and self.allows(host_header)


def clean_name(text: str) -> str | None:
    """A learner name fit to record, or None: 1-40 letters, digits, spaces and . ' - _."""
    name = unicodedata.normalize("NFC", " ".join(text.split()))
    if not 1 <= len(name) <= NAME_MAX:
        return None
    if not re.fullmatch(r"[\w][\w .'’-]*", name):
        return None
    return name


# -- one-time codes: a learner's name on a new browser ---------------------------------------------
# `countertalk learners reclaim NAME` prints one; the learner types it with their name on the new
# browser. The symbols are the join code's (nothing to misread when read aloud or from a slip of
# paper): 25**8 = 1.5e11 codes, of which a guesser gets a handful of tries (store/signin.py).
RECLAIM_LENGTH = 8


def new_reclaim_code() -> str:
    """A fresh one-time code, shown as two groups of four (``KD7M-3QXA``)."""
    import secrets

    from simulator.classroom.phones import CODE_ALPHABET

    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(RECLAIM_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def reclaim_digest(typed: str) -> str | None:
    """The stored form (SHA-256) of a typed one-time code, or None if it cannot be one: case,
    spaces and dashes are forgiven, anything else outside the code's symbols is not."""
    import hashlib

    from simulator.classroom.phones import CODE_ALPHABET

    code = re.sub(r"[\s\-]", "", typed[:64]).upper()
    if len(code) != RECLAIM_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return hashlib.sha256(f"countertalk-reclaim:{code}".encode()).hexdigest()
