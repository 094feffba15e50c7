"""The client address: the socket's peer, or X-Forwarded-For only through a trusted proxy."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from rarex.core.settings import get_settings
from rarex.web.clients import client_address


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", f.encode()) for f in forwarded]
    return Request({"type": "http", "client": (peer, 1234), "headers": headers})


@pytest.fixture
def trusted(monkeypatch):
    def set_(value: str) -> None:
        monkeypatch.setenv("RAREX_TRUSTED_PROXIES", value)
        get_settings.cache_clear()

    yield set_
    monkeypatch.delenv("RAREX_TRUSTED_PROXIES", raising=False)
    get_settings.cache_clear()


def test_untrusted_peer_is_the_client_whatever_it_forwards(trusted):
    trusted("10.0.0.0/8")
    assert client_address(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_no_proxies_trusted_by_default(trusted):
    trusted("")
    assert client_address(_request("127.0.0.1", "198.51.100.1")) == "127.0.0.1"


def test_trusted_proxy_names_the_client(trusted):
    trusted("10.0.0.1")
    assert client_address(_request("10.0.0.1", "198.51.100.1")) == "198.51.100.1"


def test_a_client_cannot_prepend_its_own_choice(trusted):
    """The proxy appends the address it saw; what the client wrote is further left."""
    trusted("10.0.0.0/8")
    assert client_address(_request("10.0.0.1", "1.2.3.4, 198.51.100.1, 10.0.0.2")) == "198.51.100.1"
    assert client_address(_request("10.0.0.1", "1.2.3.4", "198.51.100.1")) == "198.51.100.1"


def test_garbage_next_to_the_proxy_falls_back_to_the_proxy(trusted):
    trusted("10.0.0.1")
    assert client_address(_request("10.0.0.1", "not-an-ip")) == "10.0.0.1"
    assert client_address(_request("10.0.0.1")) == "10.0.0.1"


def test_ipv6_is_normalised(trusted):
    trusted("::1")
    assert client_address(_request("::1", "2001:DB8:0:0::1")) == "2001:db8::1"


def test_a_bad_trusted_proxies_setting_fails_at_start(monkeypatch):
    monkeypatch.setenv("RAREX_TRUSTED_PROXIES", "10.0.0.0/8, proxy.example")
    get_settings.cache_clear()
    with pytest.raises(ValueError):
        get_settings()
    monkeypatch.delenv("RAREX_TRUSTED_PROXIES")
    get_settings.cache_clear()
