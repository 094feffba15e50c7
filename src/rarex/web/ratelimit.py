"""A per-client token bucket for the public, unauthenticated endpoints (licence verification).

Each client address (as :func:`rarex.web.clients.client_address` decides it, so a trusted
proxy's ``X-Forwarded-For`` counts) has a bucket of ``burst`` tokens refilled at ``per_minute``;
a request without a token is a 429 problem document with ``Retry-After``. The buckets live in
the process: the limit is per worker, a brake on scraping licence numbers rather than an exact
quota (an exact one would make each public read a database write, and reads never take the
write lock). Idle buckets are dropped so the table stays bounded.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

from fastapi import Request

from rarex.core.errors import TooManyRequests
from rarex.core.settings import get_settings
from rarex.web.clients import client_address

#: Most client buckets kept; the least recently seen go first.
MAX_CLIENTS = 10_000


class TokenBucket:
    def __init__(self, per_minute: float, burst: int, clock=time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take a token for ``key``: 0 if one was there, else the seconds until one will be."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if tokens >= 1 else tokens, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait


def verify_limit(request: Request) -> None:
    """Dependency of the public verification endpoints: one token per request."""
    state = request.app.state
    bucket = getattr(state, "verify_bucket", None)
    if bucket is None:
        settings = get_settings()
        bucket = state.verify_bucket = TokenBucket(settings.verify_per_minute, settings.verify_burst)
    wait = bucket.take(client_address(request))
    if wait > 0:
        raise TooManyRequests("too many licence checks from this address; try again shortly",
                              retry_after=max(1, math.ceil(wait)))
