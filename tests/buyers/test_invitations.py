"""Inviting a buyer: the exporter for its own end users or an admin; a one-time link sets the password."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from rarex.core.authz import Role
from rarex.users.models import AccountInvitation
from tests.factories import bearer, make_org, make_party, make_user

NEW_PASSWORD = "a-long-and-unusual-buyer-passphrase"


@pytest.fixture
def world(session):
    a, b = make_org(session), make_org(session)
    x = make_party(session, a, name="Magnetwerk X GmbH")
    z = make_party(session, b)
    exporter = make_user(session, Role.exporter, a, username="inv-ea")
    session.commit()
    return {"a": a, "b": b, "x": x, "z": z, "exporter": exporter}


def _invite(client, session, who, party_id: int, username: str = "buyer-x"):
    return client.post("/api/v1/buyer/invitations", json={"party_id": party_id, "username": username},
                       headers=bearer(session, who))


def test_the_invitation_flow(client, session, world):
    r = _invite(client, session, world["exporter"], world["x"].id)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["set_password_path"] == f"/invitation?token={body['token']}" and body["party_id"] == world["x"].id
    # before the link is used nobody can sign in
    assert client.post("/api/v1/auth/token", json={"username": "buyer-x", "password": NEW_PASSWORD}).status_code == 401
    weak = client.post("/api/v1/auth/invitation", json={"token": body["token"], "password": "short"})
    assert weak.status_code == 422  # and the token is not spent
    assert client.post("/api/v1/auth/invitation", json={"token": body["token"], "password": NEW_PASSWORD}).status_code == 204
    again = client.post("/api/v1/auth/invitation", json={"token": body["token"], "password": NEW_PASSWORD + "2"})
    assert again.status_code == 422 and "not valid" in again.json()["detail"]
    token = client.post("/api/v1/auth/token", json={"username": "buyer-x", "password": NEW_PASSWORD}).json()["access_token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["role"] == "buyer"
    cover = client.get("/api/v1/buyer/cover", headers={"Authorization": f"Bearer {token}"})
    assert cover.status_code == 200 and cover.json()["party_id"] == world["x"].id


def test_an_expired_link_is_refused(client, session, world):
    token = _invite(client, session, world["exporter"], world["x"].id).json()["token"]
    session.execute(update(AccountInvitation).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    session.commit()
    r = client.post("/api/v1/auth/invitation", json={"token": token, "password": NEW_PASSWORD})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"


def test_who_may_invite_for_whom(client, session, world):
    assert _invite(client, session, world["exporter"], world["z"].id, "buyer-z").status_code == 404  # not its party
    assert _invite(client, session, world["exporter"], 999999, "buyer-none").status_code == 404
    admin = make_user(session, Role.admin, username="inv-admin")
    assert _invite(client, session, admin, world["z"].id, "buyer-z").status_code == 201
    for role in (Role.officer, Role.customs, Role.auditor):
        assert _invite(client, session, make_user(session, role, username=f"inv-{role.value}"), world["x"].id,
                       f"b-{role.value}").status_code == 403


@pytest.mark.parametrize("username, status", [("has space", 422), ("inv-ea", 409), ("", 422)])
def test_bad_usernames(client, session, world, username, status):
    assert _invite(client, session, world["exporter"], world["x"].id, username).status_code == status


def test_a_buyer_cannot_be_created_as_an_ordinary_user(client, session, world):
    admin = make_user(session, Role.admin, username="inv-admin2")
    r = client.post("/api/v1/users", json={"username": "b2", "role": "buyer", "password": NEW_PASSWORD},
                    headers=bearer(session, admin))
    assert r.status_code == 422 and "invited" in r.json()["detail"]


def test_cli_invite(cli, world):
    result = cli("buyers", "invite", "--party", str(world["x"].id), "--username", "cli-buyer")
    assert result.exit_code == 0, result.output
    assert "/invitation?token=rxi_" in result.stdout
    result = cli("buyers", "invite", "--party", str(world["x"].id), "--username", "cli-buyer")
    assert result.exit_code == 2 and "taken" in result.stderr
