"""Signing in: tokens are random, stored only as hashes, expire, and die on logout."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select, text, update

from rarex.core.authz import Role
from rarex.core.db import utcnow
from rarex.users.models import ApiToken, User
from tests.factories import PASSWORD, login, make_org, make_user


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


@pytest.fixture
def officer(session):
    user = make_user(session, Role.officer, username="ana")
    session.commit()
    return user


def test_token_is_issued_and_identifies_the_user(client, officer):
    r = client.post("/api/v1/auth/token", json={"username": "ana", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["access_token"].startswith("rx_")
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(hours=7) < expires - utcnow() <= dt.timedelta(hours=8)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == "ana" and me.json()["role"] == "officer"


def test_each_sign_in_gets_a_new_token(client, officer):
    assert login(client, "ana") != login(client, "ana")


def test_wrong_password_and_unknown_user_get_the_same_401(client, officer):
    wrong = client.post("/api/v1/auth/token", json={"username": "ana", "password": "not-the-password"})
    unknown = client.post("/api/v1/auth/token", json={"username": "nobody", "password": "not-the-password"})
    a, b = _problem(wrong, 401), _problem(unknown, 401)
    assert a == b, "the answer must not tell whether the user exists"
    assert a["detail"] == "wrong username or password"


def test_inactive_user_cannot_sign_in(client, session, officer):
    session.execute(update(User).where(User.id == officer.id).values(active=False))
    session.commit()
    body = _problem(client.post("/api/v1/auth/token", json={"username": "ana", "password": PASSWORD}), 401)
    assert body["detail"] == "wrong username or password"


def test_deactivating_a_user_kills_their_tokens(client, session, officer):
    headers = login(client, "ana")
    session.execute(update(User).where(User.id == officer.id).values(active=False))
    session.commit()
    _problem(client.get("/api/v1/me", headers=headers), 401)


def test_expired_token_is_refused(client, session, officer):
    headers = login(client, "ana")
    session.execute(update(ApiToken).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    session.commit()
    body = _problem(client.get("/api/v1/me", headers=headers), 401)
    assert "expired" in body["detail"]


def test_logout_revokes_the_token_and_only_that_one(client, session, officer):
    first, second = login(client, "ana"), login(client, "ana")
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 204
    _problem(client.get("/api/v1/me", headers=first), 401)
    _problem(client.post("/api/v1/auth/logout", headers=first), 401)
    assert client.get("/api/v1/me", headers=second).status_code == 200
    revoked = session.execute(select(func.count()).where(ApiToken.revoked_at.is_not(None))).scalar_one()
    assert revoked == 1


def test_logout_without_a_token_is_401(client):
    _problem(client.post("/api/v1/auth/logout"), 401)


@pytest.mark.parametrize("header", ["Bearer rx_made-up", "Bearer ", "Basic YW5hOnB3", "rx_no-scheme"])
def test_made_up_or_malformed_tokens_are_401(client, officer, header):
    _problem(client.get("/api/v1/me", headers={"Authorization": header}), 401)


def test_only_the_token_hash_is_stored(client, session, officer):
    token = login(client, "ana")["Authorization"].split(" ", 1)[1]
    rows = session.execute(text("SELECT * FROM api_tokens")).all()
    assert len(rows) == 1
    assert token not in repr(rows), "the raw token must not be in the database"
    assert rows[0]._mapping["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "ana"},
        {"password": PASSWORD},
        {"username": "", "password": PASSWORD},
        {"username": "ana", "password": PASSWORD, "extra": 1},
        {"username": ["ana"], "password": PASSWORD},
        {"username": "a" * 65, "password": PASSWORD},
        [],
    ],
)
def test_malformed_sign_in_is_422_and_issues_nothing(client, session, officer, body):
    problem = _problem(client.post("/api/v1/auth/token", json=body), 422)
    assert problem["errors"] and all({"field", "message"} <= e.keys() for e in problem["errors"])
    assert session.execute(select(func.count()).select_from(ApiToken)).scalar_one() == 0


def test_a_rejected_password_is_not_echoed_back(client, officer):
    secret = "s3cret-" + "x" * 1100
    r = client.post("/api/v1/auth/token", json={"username": "ana", "password": secret})
    _problem(r, 422)
    assert "s3cret-" not in r.text


def test_exporter_token_carries_the_organisation(client, session):
    org = make_org(session)
    make_user(session, Role.exporter, org, username="exp")
    session.commit()
    assert client.get("/api/v1/me", headers=login(client, "exp")).json()["org_id"] == org.id
