"""Issue 31, item 8: a PostgreSQL password is never printed, in any DSN form libpq accepts.

Every form is run through `countertalk db check` (and `report`) against a closed port, a
database that does not exist and the test server itself (trust authentication, so any password
connects): the password never appears, the host and database are named, and a key=value DSN is
never taken for an SQLite file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from simulator import dsn

PW = "Pw9/se@cr#t?x"  # an unencoded '/', '@', '#' and '?': the forms that leaked


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def forms(port: int, db: str) -> dict[str, str]:
    enc = "Pw9%2Fse%40cr%23t%3Fx"
    return {
        "url encoded": f"postgresql://postgres:{enc}@127.0.0.1:{port}/{db}",
        "url unencoded / and @": f"postgresql://postgres:Pw9/se@cr@127.0.0.1:{port}/{db}",
        "upper-case scheme": f"POSTGRES://postgres:{enc}@127.0.0.1:{port}/{db}",
        "postgres scheme": f"postgres://postgres:{enc}@127.0.0.1:{port}/{db}",
        "?password=": f"postgresql://postgres@127.0.0.1:{port}/{db}?password={enc}",
        "key=value": f"host=127.0.0.1 port={port} dbname={db} user=postgres password='{PW}'",
        "key=value unquoted": f"host=127.0.0.1 port={port} user=postgres password=Pw9/se@cr "
        f"dbname={db}",
    }


SECRETS = ("Pw9", "se@cr", "Pw9%2F", "cr#t", "cr%23t")


def ct(tmp_path, *argv, db: str):
    env = {**os.environ, "COUNTERTALK_HOME": str(tmp_path / "home"), "COUNTERTALK_DB": db}
    return subprocess.run(
        [sys.executable, "-m", "simulator", *argv],
        capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path,
    )  # fmt: skip


def assert_secret_free(p: subprocess.CompletedProcess, name: str) -> None:
    shown = p.stdout + p.stderr
    for s in SECRETS:
        assert s not in shown, f"{name}: {shown!r}"
    assert "Traceback" not in shown and "bug" not in shown, f"{name}: {shown!r}"


@pytest.mark.parametrize("name", list(forms(1, "x")))
def test_no_error_run_prints_the_password(name, tmp_path):
    port = closed_port()
    dsn_ = forms(port, "countertalk")[name]
    for argv in (["db", "check"], ["db", "migrate"], ["report"]):
        p = ct(tmp_path, *argv, db=dsn_)
        assert p.returncode != 0, (name, argv)
        assert_secret_free(p, f"{name} {argv}")
        assert "127.0.0.1" in p.stderr and "'countertalk'" in p.stderr, p.stderr
    assert list(tmp_path.iterdir()) == [] or all(f.name == "home" for f in tmp_path.iterdir()), (
        "a DSN was taken for a file name"
    )


@pytest.mark.parametrize("name", list(forms(1, "x")))
def test_every_form_libpq_accepts_reaches_the_server(name, postgres, tmp_path):
    dsn_ = forms(postgres.port, "postgres")[name]
    # a database that does not exist: the server's own error, still no password
    missing = ct(tmp_path, "db", "check", db=forms(postgres.port, "no_such_db")[name])
    assert missing.returncode == 1
    assert_secret_free(missing, name)
    assert "no_such_db" in missing.stderr
    # the real one (trust authentication accepts any password): reached, no file made
    fresh = postgres.new_database().rsplit("/", 1)[1]
    p = ct(tmp_path, "db", "migrate", db=forms(postgres.port, fresh)[name])
    assert p.returncode == 0, p.stderr
    assert_secret_free(p, name)
    assert "PostgreSQL" in p.stdout and f"'{fresh}' on 127.0.0.1" in p.stdout
    assert not any(f.name != "home" for f in tmp_path.iterdir())
    assert dsn.is_server(dsn_)


def test_a_keyword_dsn_is_never_a_file_and_a_path_is_never_a_dsn():
    assert dsn.is_server("host=db.example dbname=ct")
    assert dsn.is_server("  dbname = ct")
    assert dsn.is_server("POSTGRESQL://h/ct")
    assert not dsn.is_server("results.db")
    assert not dsn.is_server("data=2024.db")  # not a libpq keyword
    assert not dsn.is_server("/srv/ct/host=1.db")


@pytest.mark.parametrize(
    ("given", "password"),
    [
        ("postgresql://u:Pw9/se@cr@h/ct", "Pw9/se@cr"),
        ("postgresql://u:Pw9%2Fse@h/ct?sslmode=require", "Pw9/se"),
        ("postgresql://u@h/ct?password=Pw9se&sslpassword=cr%23tx", "Pw9se"),
        ("postgresql://u@h/ct?password=Pw9se&sslpassword=cr%23tx", "cr#tx"),
        ("host=h dbname=ct password='Pw9 se\\'cr'", "Pw9 se'cr"),
        ("host=h password=Pw9/se@cr dbname=ct", "Pw9/se@cr"),
        ("POSTGRES://u:Pw9se@h/ct", "Pw9se"),
    ],
)
def test_describe_and_scrub_never_show_a_password(given, password):
    assert dsn.describe(given) == "'ct' on h"
    # libpq quotes what it cannot parse, whole or in pieces
    pieces = " ".join([password, *password.replace("@", "/").split("/")])
    message = f'invalid dsn: missing "=" after "{given}" near {pieces}'
    scrubbed = dsn.scrub(message, given)
    for piece in [password, *(p for p in password.replace("@", "/").split("/") if len(p) >= 3)]:
        assert piece not in scrubbed, scrubbed
