"""Issue 31, item 4: planted and damaged cache entries are a miss (the file is checked again),
never "This is a bug", a hang or gigabytes; an untrusted cache folder is not used; entries are
named by a cryptographic digest."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import msgspec
import pytest

from simulator.attempt import load
from simulator.engine import checked, loader

ROOT = Path(__file__).resolve().parents[2]
KETTLE = ROOT / "tests" / "fixtures" / "kettle.yaml"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("COUNTERTALK_CACHE", str(folder))
    return folder / "checked"


@pytest.fixture
def kettle(tmp_path):
    p = tmp_path / "kettle.yaml"
    p.write_bytes(KETTLE.read_bytes())
    return p


def _entry_of(path: Path) -> Path:
    _raw, entry = checked.entry_for(str(path))
    assert entry is not None
    return entry


def _planted(path: Path, mutate) -> bytes:
    """The real entry for ``path`` with its scenario changed by ``mutate(dict)``."""
    result = loader.check_file(path)
    entry = msgspec.msgpack.decode(checked.encode(result))
    mutate(entry[0])
    return msgspec.msgpack.encode(entry)


def _states_only(states):
    return lambda sc: sc.__setitem__("states", states)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda sc: sc.__setitem__("start", "nowhere"),  # start to a missing state
        lambda sc: sc["states"]["opening"]["choices"][0].__setitem__("goto", "nowhere"),
        lambda sc: sc.__setitem__("states", {}),  # empty states
        lambda sc: sc["states"]["opening"].__setitem__("choices", []),  # a dead end
        lambda sc: sc["rules"][0].__setitem__("goto", "nowhere"),
        lambda sc: sc["states"]["opening"].__setitem__(  # 100,000 choices
            "choices", [{"text": "x", "goto": "refunded"}] * 100_000
        ),
        lambda sc: sc.__setitem__("title", "x" * 5_000_000),  # a huge string
    ],
    ids=["start", "goto", "empty", "dead-end", "rule", "100k-choices", "huge-string"],
)
def test_a_planted_entry_that_breaks_the_model_is_a_miss(cache, kettle, mutate):
    load(kettle)
    entry = _entry_of(kettle)
    entry.write_bytes(_planted(kettle, mutate))
    start = time.monotonic()
    scenario, result = load(kettle)  # checked again, as if there were no cache
    assert time.monotonic() - start < 10
    assert scenario == loader.check_file(kettle).scenario  # the file's own, not the entry's
    assert not result.errors


def test_a_planted_entry_plays_cleanly_through_the_cli(cache, kettle):
    load(kettle)
    _entry_of(kettle).write_bytes(_planted(kettle, lambda sc: sc.__setitem__("start", "x")))
    env = {**os.environ, "COUNTERTALK_CACHE": str(cache.parent), "COUNTERTALK_HOME": str(cache)}
    p = subprocess.run(
        [sys.executable, "-m", "simulator", "play", str(kettle), "--plain", "--no-save"],
        input="1\n1\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    assert "bug" not in p.stderr and "Thank you" in p.stdout


def _fifo_or_skip(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(path)


def test_a_fifo_entry_is_a_miss_not_a_hang(cache, kettle):
    load(kettle)
    entry = _entry_of(kettle)
    entry.unlink()
    _fifo_or_skip(entry)
    done = threading.Event()
    out = {}

    def run():
        out["s"] = load(kettle)[0]
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(10), "a FIFO cache entry hung the load"
    assert out["s"].id == "kettle-day12"


def test_links_in_the_cache_are_never_followed(cache, kettle, tmp_path):
    load(kettle)
    entry = _entry_of(kettle)
    real = tmp_path / "real.msgpack"
    real.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(real)  # even a link to a good entry is not read
    assert checked.lookup(str(kettle))[2] is None
    entry.unlink()
    entry.symlink_to("/dev/zero")
    start = time.monotonic()
    scenario, _ = load(kettle)
    assert time.monotonic() - start < 10 and scenario.id == "kettle-day12"


def test_an_oversized_entry_is_not_read(cache, kettle):
    load(kettle)
    entry = _entry_of(kettle)
    with open(entry, "ab") as fh:
        fh.truncate(checked.entry_limit(kettle.read_bytes()) + 1)
    assert checked.lookup(str(kettle))[2] is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners")
def test_a_cache_folder_others_can_write_is_not_used(cache, kettle, checks_counter):
    cache.mkdir(parents=True)
    os.chmod(cache, 0o777)
    load(kettle)
    load(kettle)
    assert checks_counter == [str(kettle)] * 2  # no cache: checked both times
    assert not list(cache.glob("*.msgpack"))
    os.chmod(cache, 0o700)
    os.chmod(cache.parent, 0o757)  # the parent, too
    assert checked.cache_folder() is None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make a folder another user owns")
def test_a_cache_folder_another_user_owns_is_not_used(cache):
    cache.mkdir(parents=True)
    os.chown(cache, 65534, 65534)  # nobody
    assert checked.cache_folder() is None


def test_entries_are_named_by_a_cryptographic_digest(kettle):
    raw = kettle.read_bytes()
    key = checked.key_for(str(kettle), raw)
    assert len(key) == 40 and int(key, 16) >= 0  # BLAKE2b-160
    # not a checksum: CRC-32 and Adler-32 are linear, so equal-length collisions are easy;
    # a changed byte anywhere changes about half of the digest's bits
    other = checked.key_for(str(kettle), raw[:-1] + bytes([raw[-1] ^ 1]))
    differing = bin(int(key, 16) ^ int(other, 16)).count("1")
    assert 40 <= differing <= 120


def test_the_digest_costs_no_openssl_import():
    code = "import sys; from simulator.engine import checked; checked._digest(b'x'); " + (
        "print('_hashlib' in sys.modules)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.strip() == "False", p.stderr


@pytest.fixture
def checks_counter(monkeypatch):
    calls: list[str] = []
    real = loader.check_bytes

    def counting(raw, path="<scenario>", **kw):
        calls.append(path)
        return real(raw, path, **kw)

    monkeypatch.setattr(loader, "check_bytes", counting)
    return calls
