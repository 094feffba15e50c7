"""User administration over the API: admins manage users, auditors may read them (core/authz),
nobody else may; bad input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from rarex.core.audit import AuditEvent
from rarex.core.authz import Role
from rarex.core.db import get_sessionmaker
from rarex.users.models import User
from tests.factories import login, make_org, make_user

NEW_PASSWORD = "a-long-enough-password"


def _count(session, model) -> int:
    """Count committed rows in a short session of its own.

    Not in ``session``: on SQLite every transaction starts with BEGIN IMMEDIATE, so a test
    session left open after a read would hold the write lock the app's request needs.
    """
    with get_sessionmaker()() as fresh:
        return fresh.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def admin(as_role):
    return as_role(Role.admin)


def _new_user(**over):
    body = {"username": "newcomer", "role": "officer", "password": NEW_PASSWORD}
    body.update(over)
    return body


@pytest.mark.parametrize("role", list(Role))
def test_list_users_by_role(client, session, as_role, role):
    """Reading users is for admins and auditors (core/authz: user.read); nobody else."""
    make_user(session, Role.officer, username="someone")
    r = client.get("/api/v1/users", headers=as_role(role))
    if role in (Role.admin, Role.auditor):
        assert r.status_code == 200
        assert {u["username"] for u in r.json()} == {"someone", f"u-{role.value}"}
        assert all("password" not in k for u in r.json() for k in u if k != "must_change_password")
    else:
        assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")


def test_list_users_anonymous_is_401(client):
    assert client.get("/api/v1/users").status_code == 401


@pytest.mark.parametrize("role", list(Role))
def test_create_user_by_role(client, session, as_role, role):
    headers = as_role(role)
    before = _count(session, User)
    r = client.post("/api/v1/users", json=_new_user(), headers=headers)
    if role == Role.admin:
        assert r.status_code == 201, r.text
        assert r.json()["username"] == "newcomer" and r.json()["role"] == "officer"
        assert _count(session, User) == before + 1
    else:
        assert r.status_code == 403
        assert _count(session, User) == before


def test_create_user_anonymous_is_401_and_writes_nothing(client, session):
    before = _count(session, User)
    assert client.post("/api/v1/users", json=_new_user()).status_code == 401
    assert _count(session, User) == before


def test_created_user_can_sign_in_and_is_audited(client, session, admin):
    r = client.post("/api/v1/users", json=_new_user(display_name="Ana Li"), headers=admin)
    assert r.status_code == 201
    assert client.get("/api/v1/me", headers=login(client, "newcomer", NEW_PASSWORD)).json()["display_name"] == "Ana Li"
    ev = session.execute(select(AuditEvent).where(AuditEvent.type == "user.created")).scalar_one()
    assert ev.actor == "u-admin" and ev.actor_role == "admin" and ev.subject_id == str(r.json()["id"])
    assert ev.after == {"username": "newcomer", "role": "officer", "org_id": None}


def test_password_is_stored_as_argon2id_and_nowhere_in_clear(client, session, admin):
    client.post("/api/v1/users", json=_new_user(), headers=admin)
    stored = session.execute(text("SELECT password_hash FROM users WHERE username = 'newcomer'")).scalar_one()
    assert stored.startswith("$argon2id$v=19$")
    dump = repr(session.execute(text("SELECT * FROM users")).all()) + repr(session.execute(text("SELECT * FROM audit_events")).all())
    assert NEW_PASSWORD not in dump


def test_exporter_is_created_in_an_organisation(client, session, admin):
    org = make_org(session)
    session.commit()
    r = client.post("/api/v1/users", json=_new_user(role="exporter", org_id=org.id), headers=admin)
    assert r.status_code == 201 and r.json()["org_id"] == org.id


@pytest.mark.parametrize(
    "body, status, field",
    [
        (_new_user(password="short"), 422, "password"),
        (_new_user(role="exporter"), 422, "org"),
        (_new_user(role="officer", org_id=1), 422, "org"),
        (_new_user(role="exporter", org_id=999999), 404, "org"),
        (_new_user(username="has space"), 422, "username"),
        (_new_user(username="u-admin"), 409, "username"),
    ],
)
def test_rule_breaking_users_are_refused_and_nothing_is_written(client, session, admin, body, status, field):
    make_org(session)  # so that org_id=1 exists and only the role rule refuses it
    session.commit()
    users, events = _count(session, User), _count(session, AuditEvent)
    r = client.post("/api/v1/users", json=body, headers=admin)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == field
    assert (_count(session, User), _count(session, AuditEvent)) == (users, events)


@pytest.mark.parametrize(
    "body",
    [
        {},
        _new_user(role="emperor"),
        _new_user(extra="x"),
        _new_user(password=None),
        _new_user(org_id="one"),
        _new_user(username="x" * 65),
        _new_user(display_name="x" * 201),
        ["not", "an", "object"],
    ],
)
def test_malformed_bodies_are_422_problems_with_errors(client, session, admin, body):
    users = _count(session, User)
    r = client.post("/api/v1/users", json=body, headers=admin)
    assert r.status_code == 422
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert problem["errors"] and all(e["field"] and e["message"] for e in problem["errors"])
    assert _count(session, User) == users


def test_malformed_body_names_the_bad_field(client, admin):
    r = client.post("/api/v1/users", json=_new_user(role="emperor"), headers=admin)
    assert [e["field"] for e in r.json()["errors"]] == ["role"]
