"""Sign-in under attack: the hash runs with no connection held, and the brake answers 429."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rarex.core.authz import Role
from rarex.core.db import get_engine, get_sessionmaker
from rarex.core.settings import get_settings
from rarex.users import passwords
from rarex.users.models import LoginAttempt
from rarex.web.app import create_app
from tests.factories import PASSWORD, make_user

TOKEN = "/api/v1/auth/token"
PROXY = "10.9.9.9"


@pytest.fixture
def ana(session):
    make_user(session, Role.officer, username="ana")
    session.commit()


@pytest.fixture
def hashes(monkeypatch):
    """Count argon2 checks, and the database connections held while each runs."""
    calls: list[int] = []
    real = passwords.verify

    def verify(stored: str, password: str) -> bool:
        calls.append(get_engine().pool.checkedout())
        return real(stored, password)

    monkeypatch.setattr(passwords, "verify", verify)
    return calls


@pytest.fixture
def behind_proxy(db, monkeypatch):
    """A client whose socket peer is a trusted reverse proxy: X-Forwarded-For names the client."""
    monkeypatch.setenv("RAREX_TRUSTED_PROXIES", PROXY)
    get_settings.cache_clear()
    with TestClient(create_app(run_startup_jobs=False), raise_server_exceptions=False, client=(PROXY, 4000)) as c:
        yield c
    monkeypatch.delenv("RAREX_TRUSTED_PROXIES")
    get_settings.cache_clear()


def _attempts() -> int:
    with get_sessionmaker()() as s:
        return s.execute(select(func.count()).select_from(LoginAttempt)).scalar_one()


def _sign_in(client, password: str, username: str = "ana", **kw):
    return client.post(TOKEN, json={"username": username, "password": password}, **kw)


def test_the_hash_is_checked_with_no_database_connection_held(client, ana, hashes):
    assert _sign_in(client, PASSWORD).status_code == 200
    assert _sign_in(client, "wrong-password-1").status_code == 401
    assert hashes == [0, 0], "a connection (and on SQLite the write lock) was held during the hash"


def test_repeated_wrong_passwords_get_429_with_retry_after_and_no_hash(client, ana, hashes):
    assert [_sign_in(client, f"wrong-{i}").status_code for i in range(2)] == [401, 401]
    r = _sign_in(client, "wrong-2")
    assert r.status_code == 429 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"].endswith("/too-many-requests") and body["retry_after"] == int(r.headers["retry-after"]) >= 1
    assert len(hashes) == 2, "a refused try must not cost a hash"
    assert _attempts() == 2, "a refused try writes nothing"
    assert _sign_in(client, PASSWORD).status_code == 429, "even the right password waits out the backoff"


def test_unknown_usernames_are_throttled_alike(client, ana, hashes):
    codes = [_sign_in(client, "wrong-password", username="nobody").status_code for _ in range(3)]
    assert codes == [401, 401, 429] and len(hashes) == 2


def test_the_owner_signs_in_from_home_while_the_attackers_address_is_locked(behind_proxy, ana, hashes):
    attacker = {"X-Forwarded-For": "203.0.113.7"}
    assert [_sign_in(behind_proxy, f"w-{i}", headers=attacker).status_code for i in range(3)] == [401, 401, 429]
    assert _sign_in(behind_proxy, PASSWORD, headers={"X-Forwarded-For": "198.51.100.20"}).status_code == 200
    with get_sessionmaker()() as s:
        assert set(s.execute(select(LoginAttempt.address)).scalars()) == {"203.0.113.7", "198.51.100.20"}


def test_a_forged_forwarded_for_from_an_untrusted_peer_changes_nothing(client, ana):
    """The peer is not a trusted proxy: a new X-Forwarded-For per try does not reset the brake."""
    codes = [_sign_in(client, f"w-{i}", headers={"X-Forwarded-For": f"192.0.2.{i}"}).status_code for i in range(3)]
    assert codes == [401, 401, 429]


def test_a_success_clears_the_backoff_for_that_address(client, ana):
    assert _sign_in(client, "wrong-password-1").status_code == 401
    assert _sign_in(client, PASSWORD).status_code == 200
    assert [_sign_in(client, f"wrong-{i}").status_code for i in range(2)] == [401, 401]


def test_deactivated_user_is_401_and_the_attempt_counts(client, session, ana, cli):
    assert cli("users", "deactivate", "ana").exit_code == 0
    assert _sign_in(client, PASSWORD).status_code == 401
    with get_sessionmaker()() as s:
        assert s.execute(select(LoginAttempt.outcome)).scalar_one() == "failed"
