"""A flood of wrong passwords against a real server: the brake holds and nobody else waits.

A real uvicorn server on a free loopback port, on each backend, with a short throttle window.
The victim's password hash uses the production argon2 parameters, so each wrong password that
is actually tried costs what it would in production. 24 wrong passwords arrive at once while
another user asks for ``/me``; then, after the window, the owner signs in.

Printed (``-s``): the bystander's latency during the flood and how many wrong passwords were
hashed (those answered 401; a 429 is refused before any hash).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import update

from rarex.core.authz import Role
from rarex.users.models import User
from rarex.users.service import issue_token
from tests.factories import make_user

FLOOD = 24
WINDOW_SECONDS = 5
OWNER_PASSWORD = "owner-real-passphrase-42"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(env: dict[str, str]) -> Iterator[int]:
    """``rarex.web.app:create_app`` under uvicorn on a free loopback port; stopped on exit."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "rarex.web.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-proxy-headers"],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {proc.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def call(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    """(status, headers, json body, seconds) of one request on a connection of its own."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers={"Content-Type": "application/json", **(headers or {})})
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - start
        return resp.status, dict(resp.getheaders()), json.loads(data) if data else None, elapsed
    finally:
        conn.close()


def flood(port: int, username: str, n: int, bystander: dict[str, str]) -> tuple[list, tuple]:
    """``n`` wrong passwords at once; a bystander's ``GET /me`` starts as they land."""
    barrier = threading.Barrier(n + 1)
    results: list = [None] * n
    seen: list = []

    def wrong(i: int) -> None:
        barrier.wait()
        results[i] = call(port, "POST", "/api/v1/auth/token", {"username": username, "password": f"wrong-guess-{i:04d}"})

    def by() -> None:
        barrier.wait()
        time.sleep(0.05)  # the flood is in flight
        seen.append(call(port, "GET", "/api/v1/me", headers=bystander))

    threads = [threading.Thread(target=wrong, args=(i,)) for i in range(n)] + [threading.Thread(target=by)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, seen[0]


@pytest.fixture
def people(session):
    victim = make_user(session, Role.officer, username="victim")
    session.execute(update(User).where(User.id == victim.id)
                    .values(password_hash=PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY).hash(OWNER_PASSWORD)))
    other = make_user(session, Role.auditor, username="bystander")
    token, _ = issue_token(session, other)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_a_flood_of_wrong_passwords_is_refused_without_hashing_and_others_are_served(db, people):
    # The backoff as long as the window: the account stays refused until the window ends.
    env = {"RAREX_LOGIN_WINDOW_SECONDS": str(WINDOW_SECONDS), "RAREX_LOGIN_BACKOFF_SECONDS": str(WINDOW_SECONDS)}
    with running_server(env) as port:
        results, (by_status, _, _, by_seconds) = flood(port, "victim", FLOOD, people)
        statuses = Counter(r[0] for r in results)
        print(f"\n[{db}] flood of {FLOOD}: {dict(statuses)}; hashed (401): {statuses[401]}; "
              f"bystander GET /me {by_status} in {by_seconds * 1000:.0f} ms")
        assert not [s for s in statuses if s >= 500], statuses
        assert statuses[429] >= FLOOD * 3 // 4, statuses
        assert statuses[429] + statuses[401] == FLOOD
        for status, headers, body, _ in results:
            if status == 429:
                assert int(headers["retry-after"]) >= 1
                assert headers["content-type"].startswith("application/problem+json")
                assert body["status"] == 429 and body["retry_after"] == int(headers["retry-after"])
        # Served, and its wait printed above; not timed here (a shared box makes any bound a
        # flake). That no connection is held during a hash, which is what kept the bystander
        # waiting 1.3-3.5 s before the fix, is proven exactly in tests/users/test_signin.py.
        assert by_status == 200

        # Still locked: even the right password is refused, and costs no hash.
        assert call(port, "POST", "/api/v1/auth/token", {"username": "victim", "password": OWNER_PASSWORD})[0] == 429
        time.sleep(WINDOW_SECONDS + 0.5)
        status, _, body, seconds = call(port, "POST", "/api/v1/auth/token", {"username": "victim", "password": OWNER_PASSWORD})
        assert status == 200, body
        assert body["access_token"].startswith("rx_")
        print(f"[{db}] owner signs in after the window: {status} in {seconds * 1000:.0f} ms")
