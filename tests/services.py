"""Real services for tests: a PostgreSQL server and a Ralph LRS, started in a temporary folder.

No mocks: the store suite, the concurrency tests and the LRS export run against the real thing.
When a service cannot be started the test is skipped on a developer's machine that lacks the
binary, and FAILS in CI (``CI`` set), where .ci/install.d installs everything.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
IN_CI = bool(os.environ.get("CI"))


def missing(what: str) -> None:
    """Skip locally, fail in CI."""
    if IN_CI:
        pytest.fail(f"{what} (CI must install it: see .ci/install.d)")
    pytest.skip(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return True
        time.sleep(0.05)
    return False


# --------------------------------------------------------------------------------- PostgreSQL
def pg_bin() -> pathlib.Path | None:
    found = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return pathlib.Path(initdb).parent if initdb else None


class Postgres:
    """A throw-away PostgreSQL cluster (initdb + pg_ctl) owned by an unprivileged user."""

    def __init__(self, root: pathlib.Path):
        self.bin = pg_bin()
        if self.bin is None:
            missing("PostgreSQL's initdb is not installed (apt-get install postgresql)")
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.user = "postgres"
        self._n = 0

    def _cmd(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(argv)
        if self.as_root:  # initdb refuses to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> Postgres:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres")
        if not self.data.exists():
            try:
                self._cmd(
                    str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust",
                    "-U", self.user, "--no-sync", "-E", "UTF8",
                )  # fmt: skip
            except subprocess.CalledProcessError as exc:
                pytest.fail(f"initdb failed: {exc.stderr}")
        self.pg_ctl("start", "-w", "-t", "60")
        return self

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        opts = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=on"
            f" -c max_connections=200 -c shared_buffers=32MB"
        )
        try:
            return self._cmd(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts,
                "-l", str(self.root / "log"), *args, check=check,
            )  # fmt: skip
        except subprocess.CalledProcessError as exc:
            log = (self.root / "log").read_text(errors="replace")[-2000:]
            pytest.fail(f"pg_ctl {' '.join(args)} failed: {exc.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode, "-w", check=False)

    def kill(self) -> None:
        """kill -9 the postmaster (a crash, not a shutdown)."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 9)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        # its children notice the postmaster is gone and exit; wait for the port to free up
        time.sleep(0.5)
        with contextlib.suppress(FileNotFoundError):
            (self.data / "postmaster.pid").unlink()

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{db}"

    def new_database(self) -> str:
        """A fresh, empty database's URL."""
        import psycopg

        self._n += 1
        name = f"ct_{os.getpid()}_{self._n}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


# ----------------------------------------------------------------------------------- Ralph LRS
LRS_VENV = pathlib.Path(os.environ.get("COUNTERTALK_LRS_VENV", REPO / ".venv-lrs"))
LRS_LOCK = REPO / "requirements" / "lrs.txt"
LRS_USER, LRS_PASSWORD = "ct", "secret"


def lrs_venv() -> pathlib.Path:
    """Ralph's own virtualenv, built from the hashed lock when missing (it pins its own deps)."""
    ralph = LRS_VENV / "bin" / "ralph"
    if ralph.exists():
        return LRS_VENV
    import fcntl

    script = REPO / ".ci" / "install.d" / "40-ralph-lrs.sh"
    lock = open(REPO / ".venv-lrs.lock", "w")  # parallel test workers build it once
    fcntl.flock(lock, fcntl.LOCK_EX)
    if ralph.exists():
        lock.close()
        return LRS_VENV
    proc = subprocess.run(
        ["bash", str(script)],
        capture_output=True,
        text=True,
        env={**os.environ, "COUNTERTALK_LRS_VENV": str(LRS_VENV), "PYTHON": sys.executable},
        timeout=900,
    )
    lock.close()
    if not ralph.exists():
        missing(f"could not build Ralph's environment at {LRS_VENV}: {proc.stderr[-1500:]}")
    return LRS_VENV


class Ralph:
    """A Ralph LRS with its file-system backend, as a subprocess."""

    def __init__(self, root: pathlib.Path):
        self.venv = lrs_venv()
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        auth = self.root / "auth.json"
        if not auth.exists():
            hashed = subprocess.run(
                [str(self.venv / "bin" / "python"), "-c",
                 "import bcrypt,sys;print(bcrypt.hashpw(sys.argv[1].encode(),"
                 " bcrypt.gensalt(4)).decode())", LRS_PASSWORD],
                capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            auth.write_text(
                json.dumps(
                    [
                        {
                            "agent": {"mbox": "mailto:ct@example.org"},
                            "scopes": ["all"],
                            "hash": hashed,
                            "username": LRS_USER,
                        }
                    ]
                )
            )

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> Ralph:
        env = {
            **os.environ,
            "RALPH_AUTH_FILE": str(self.root / "auth.json"),
            "RALPH_APP_DIR": str(self.root / "app"),
        }
        (self.root / "lrs").mkdir(exist_ok=True)
        launcher = pathlib.Path(__file__).with_name("ralph_server.py")
        self.proc = subprocess.Popen(
            [str(self.venv / "bin" / "python"), str(launcher), "127.0.0.1", str(self.port),
             str(self.root / "lrs")],
            stdout=open(self.root / "ralph.log", "ab"), stderr=subprocess.STDOUT, env=env,
            cwd=self.root, start_new_session=True,
        )  # fmt: skip
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                break
            with contextlib.suppress(OSError):
                self._get("/xAPI/statements?limit=1")
                return self
            time.sleep(0.2)
        log = (self.root / "ralph.log").read_text(errors="replace")[-2000:]
        self.stop()
        pytest.fail(f"Ralph did not start:\n{log}")

    def stop(self) -> None:
        """Stop the LRS as an administrator would (SIGTERM).  Not kill -9: Ralph rewrites a
        history file on every read, and a kill mid-write leaves it empty and Ralph unusable."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(10)
        self.proc = None

    def _get(self, path: str) -> dict:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        token = base64.b64encode(f"{LRS_USER}:{LRS_PASSWORD}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
        req.add_header("X-Experience-API-Version", "1.0.3")
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def all_statements(self) -> list[dict]:
        """Every statement the LRS holds (following `more` pages)."""
        out: list[dict] = []
        path = "/xAPI/statements?limit=500"
        while path:
            page = self._get(path)
            out += page.get("statements", [])
            more = page.get("more")
            path = more if more and page.get("statements") else ""
        return out
