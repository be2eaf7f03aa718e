"""PostgreSQL connection strings: which strings are one, how to pass them on, how to name them.

Why a module of its own (issue 31, item 8): the password in ``COUNTERTALK_DB`` reached the
terminal in 11 of 28 error runs — passwords with an unencoded ``/`` or ``@``, ``?password=``, an
upper-case ``POSTGRES://`` scheme and key=value DSNs each slipped past a regular expression, and
libpq's own parse errors quote the string back. So a DSN is never printed at all:

- :func:`describe` names the host and database only (and only when they are plainly a host and a
  database name, not a piece of a mangled password);
- :func:`scrub` takes every password-like piece of the DSN out of any message (a driver's error
  text included) before it is shown;
- :func:`is_server` tells both forms libpq accepts (URLs, any case of scheme, and key=value
  strings) from a file path, so ``host=db dbname=ct`` is never made into an SQLite file;
- :func:`normalise` makes what a person would paste into what libpq reads (a lower-case scheme,
  a password's ``/`` and ``@`` percent-encoded).

No driver import: the store's front ends call these before (or without) psycopg.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

_URL = re.compile(r"(?i)^\s*(postgres(?:ql)?)://")
# libpq's connection keywords (PostgreSQL 16 "Parameter Key Words"): a string that starts with
# one of them and '=' is a key=value DSN, never a file name.
KEYWORDS = frozenset(
    """host hostaddr port dbname user password passfile require_auth channel_binding
    connect_timeout client_encoding options application_name fallback_application_name
    keepalives keepalives_idle keepalives_interval keepalives_count tcp_user_timeout
    replication gssencmode sslmode requiressl sslcompression sslcert sslkey sslpassword
    sslcertmode sslrootcert sslcrl sslcrldir sslsni requirepeer ssl_min_protocol_version
    ssl_max_protocol_version krbsrvname gsslib gssdelegation service target_session_attrs
    load_balance_hosts""".split()
)
_KV_PAIR = re.compile(r"\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")
_PLAIN_HOST = re.compile(r"[A-Za-z0-9._\-:\[\],/]{1,255}")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._\-]{1,63}")


def is_url(location: object) -> bool:
    return isinstance(location, str) and _URL.match(location) is not None


def is_keyword_dsn(location: object) -> bool:
    if not isinstance(location, str):
        return False
    m = _KV_PAIR.match(location)
    return m is not None and m.group(1).lower() in KEYWORDS


def is_server(location: object) -> bool:
    """A PostgreSQL DSN (either form), not a file path."""
    return is_url(location) or is_keyword_dsn(location)


def _url_parts(dsn: str) -> tuple[str, str, str, str]:
    """(scheme, userinfo, hostspec, rest) of a URL DSN, taking the userinfo up to the *last*
    '@' before any query, so a password's unencoded '/' or '@' stays in the password."""
    m = _URL.match(dsn)
    assert m is not None
    body = dsn[m.end() :]
    head, q, query = body.partition("?")
    userinfo, at, after = head.rpartition("@")
    if not at:
        userinfo, after = "", head
    host, slash, path = after.partition("/")
    return m.group(1).lower(), userinfo, host, slash + path + q + query


def normalise(dsn: str) -> str:
    """The DSN as libpq reads it: the scheme in lower case and the user name and password
    percent-encoded (idempotent: already-encoded text is not encoded twice)."""
    dsn = dsn.strip()
    if not is_url(dsn):
        return dsn
    scheme, userinfo, host, rest = _url_parts(dsn)
    if userinfo:
        user, colon, password = userinfo.partition(":")
        enc = [quote(unquote(user), safe="")]
        if colon:
            enc.append(quote(unquote(password), safe=""))
        userinfo = ":".join(enc) + "@"
    return f"{scheme}://{userinfo}{host}{rest}"


def _fields(dsn: str) -> dict[str, str]:
    """Host, port, dbname, user and password, read without a driver (best effort)."""
    dsn = dsn.strip()
    out: dict[str, str] = {}
    if is_url(dsn):
        _scheme, userinfo, host, rest = _url_parts(dsn)
        if userinfo:
            user, colon, password = userinfo.partition(":")
            out["user"] = unquote(user)
            if colon:
                out["password"] = unquote(password)
        hostname, port = host, ""
        if ":" in host and not host.endswith("]"):
            hostname, _, port = host.rpartition(":")
        out["host"] = unquote(hostname)
        if port:
            out["port"] = port
        path, _, query = rest.partition("?")
        if path.strip("/"):
            out["dbname"] = unquote(path.lstrip("/"))
        for pair in query.split("&"):
            k, eq, v = pair.partition("=")
            if eq:
                out[unquote(k).lower()] = unquote(v)
        return out
    pos = 0
    while pos < len(dsn):
        m = _KV_PAIR.match(dsn, pos)
        if m is None or m.end() == pos:
            break
        value = m.group(2)
        if value.startswith("'"):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out[m.group(1).lower()] = value
        pos = m.end()
    return out


def secrets(dsn: str) -> list[str]:
    """Every piece of ``dsn`` that might be (part of) its password, longest first: the
    password as parsed, raw and encoded, and its pieces split where libpq might split it."""
    found: set[str] = set()
    fields = _fields(dsn)
    for key in ("password", "sslpassword"):
        if fields.get(key):
            found.add(fields[key])
    if is_url(dsn.strip()):
        _scheme, userinfo, _host, _rest = _url_parts(dsn.strip())
        if ":" in userinfo:
            found.add(userinfo.split(":", 1)[1])
        for m in re.finditer(r"(?i)[?&](?:ssl)?password=([^&]*)", dsn):
            found.add(m.group(1))
    pieces = set(found)
    for s in found:
        pieces.add(quote(s, safe=""))
        pieces.add(unquote(s))
        pieces.update(re.split(r"[/@:?&#'\s]+", s))
    return sorted((p for p in pieces if len(p) >= 3), key=len, reverse=True)


def scrub(text: str, dsn: str) -> str:
    """``text`` with the DSN and every password-like piece of it replaced by ``***``."""
    for whole in {dsn, dsn.strip(), normalise(dsn)}:
        if whole:
            text = text.replace(whole, "(the connection string)")
    for piece in secrets(dsn):
        text = text.replace(piece, "***")
    return text


def describe(dsn: str) -> str:
    """What to call the database in a message: its name and host only, never the DSN."""
    fields = _fields(dsn)
    hidden = secrets(dsn)
    host = fields.get("host") or fields.get("hostaddr") or ""
    name = fields.get("dbname") or ""

    def plain(value: str, shape: re.Pattern[str]) -> bool:
        return bool(shape.fullmatch(value)) and not any(s in value for s in hidden)

    what = f"'{name}'" if name and plain(name, _PLAIN_NAME) else "named by --db or COUNTERTALK_DB"
    where = f" on {host}" if host and plain(host, _PLAIN_HOST) else ""
    return f"{what}{where}"
