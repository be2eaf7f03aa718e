"""One web guard (simulator/webguard.py) for `serve` and the classroom's phone server: they
once disagreed about what is loopback (`127.1`, `localhost.`)."""

from __future__ import annotations

import pytest

from simulator.classroom.web import server as phones
from simulator.webguard import HostPolicy, is_loopback

LOOPBACK = ["127.0.0.1", "127.1", "0x7f.0.0.1", "2130706433", "localhost", "localhost.", "::1"]
NOT_LOOPBACK = ["10.0.0.5", "0.0.0.0", "example.com", "localhost.example.com", ""]


@pytest.mark.parametrize("host", LOOPBACK)
def test_both_servers_call_these_loopback(host):
    assert is_loopback(host)
    assert phones.Address(host, 8000, host).loopback


@pytest.mark.parametrize("host", NOT_LOOPBACK)
def test_and_neither_calls_these_loopback(host):
    assert not is_loopback(host)
    assert not phones.Address(host, 8000, host).loopback


def test_the_phone_server_takes_its_names_and_addresses_and_refuses_others():
    names = {"localhost", "tutor-laptop"}
    for ok in (
        "localhost.:8000",
        "tutor-laptop:8000",
        "127.1:8000",
        "192.168.1.20:8000",
        "[::1]:8000",
    ):
        assert phones._host_ok(ok, names), ok
    for bad in ("attacker.example:8000", "evil/x", "", "tutor-laptop.evil.com"):
        assert not phones._host_ok(bad, names), bad


def test_serve_allows_the_same_loopback_forms():
    policy = HostPolicy("127.0.0.1", 8000)
    assert policy.allows("127.1:8000") and policy.allows("localhost.:8000")
    assert not policy.allows("attacker.example:8000")
