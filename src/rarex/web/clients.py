"""The client's address, for limits keyed by who is asking (the sign-in throttle).

The socket's peer is the client, unless the peer is a reverse proxy named in
``RAREX_TRUSTED_PROXIES``: then ``X-Forwarded-For`` is read from the right (the hop nearest to
us) and the first address that is not itself a trusted proxy is the client. Anything left of
it was written by the client and proves nothing, so a client cannot pick its own address by
sending the header. ``rarex serve`` runs uvicorn without its own proxy-header handling, so this
is the one place that decides.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from starlette.requests import Request

from rarex.core.settings import get_settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache
def _networks(spec: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in spec.split(",") if p.strip())


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(ip, networks: tuple[Network, ...]) -> bool:
    return ip is not None and any(ip in net for net in networks)


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    networks = _networks(get_settings().trusted_proxies)
    if not _trusted(_ip(peer), networks):
        return peer
    hops = [h for header in request.headers.getlist("x-forwarded-for") for h in header.split(",")]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            break  # garbage nearer than any client address: believe only the proxy
        if not _trusted(ip, networks):
            return ip.compressed
    return peer


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS: directly, or via a trusted proxy that says so
    in ``X-Forwarded-Proto`` (a client's own header is not believed)."""
    if request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else ""
    if not _trusted(_ip(peer), _networks(get_settings().trusted_proxies)):
        return False
    proto = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    return proto == "https"
