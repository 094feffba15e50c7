"""Account administration over the API: deactivate, activate, reset, revoke; one's own password.

Only admins act on others' accounts (core/authz: user.manage); every role may change its own
password; each action is audited; a refused action changes nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rarex.core.audit import AuditEvent
from rarex.core.authz import PERMISSIONS, Role
from rarex.core.db import get_sessionmaker
from rarex.users.models import ApiToken, User
from tests.factories import PASSWORD, bearer, login, make_user

API = "/api/v1"
NEW = "a-fresh-long-passphrase"


def _fresh(fn):
    with get_sessionmaker()() as s:
        return fn(s)


def _user(username: str) -> User:
    return _fresh(lambda s: s.execute(select(User).where(User.username == username)).scalar_one())


def _events(type_: str) -> list[AuditEvent]:
    return _fresh(lambda s: list(s.execute(select(AuditEvent).where(AuditEvent.type == type_)).scalars()))


def _live_tokens(user_id: int) -> int:
    return _fresh(lambda s: s.execute(select(func.count()).select_from(ApiToken)
                                      .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))).scalar_one())


@pytest.fixture
def ana(session):
    user = make_user(session, Role.officer, username="ana")
    session.commit()
    return user


ACTIONS = [
    ("deactivate", None),
    ("activate", None),
    ("password", {"new_password": NEW}),
    ("revoke-tokens", None),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action, body", ACTIONS)
def test_only_admins_manage_other_accounts(client, session, as_role, ana, role, action, body):
    headers = as_role(role)
    if action == "activate":
        client.post(f"{API}/users/{ana.id}/deactivate", headers=as_role(Role.admin) if role != Role.admin else headers)
    before = _user("ana")
    events = _fresh(lambda s: s.execute(select(func.count()).select_from(AuditEvent)).scalar_one())
    r = client.post(f"{API}/users/{ana.id}/{action}", json=body, headers=headers)
    if role in PERMISSIONS["user.manage"]:
        assert r.status_code == 200, r.text
    else:
        assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
        after = _user("ana")
        assert (after.active, after.password_hash, after.must_change_password) == \
            (before.active, before.password_hash, before.must_change_password)
        assert _fresh(lambda s: s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()) == events


@pytest.mark.parametrize("action, body", ACTIONS)
def test_anonymous_is_401_and_unknown_user_404(client, as_role, action, body):
    admin = as_role(Role.admin)
    assert client.post(f"{API}/users/1/{action}", json=body).status_code == 401
    r = client.post(f"{API}/users/999999/{action}", json=body, headers=admin)
    assert r.status_code == 404 and r.json()["detail"] == "user 999999 not found"
    assert client.post(f"{API}/users/0/{action}", json=body, headers=admin).status_code == 422


def test_deactivation_revokes_tokens_blocks_sign_in_and_is_audited(client, session, as_role, ana):
    headers, admin = login(client, "ana"), as_role(Role.admin)
    r = client.post(f"{API}/users/{ana.id}/deactivate", headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get(f"{API}/me", headers=headers).status_code == 401
    assert _live_tokens(ana.id) == 0
    assert client.post(f"{API}/auth/token", json={"username": "ana", "password": PASSWORD}).status_code == 401
    (ev,) = _events("user.deactivated")
    assert ev.actor == "u-admin" and ev.subject_id == str(ana.id) and ev.after == {"active": False, "tokens_revoked": 1}
    again = client.post(f"{API}/users/{ana.id}/deactivate", headers=admin)
    assert again.status_code == 409 and again.json()["current_state"] == "inactive"


def test_activation_lets_the_user_sign_in_again(client, session, as_role, ana):
    admin = as_role(Role.admin)
    client.post(f"{API}/users/{ana.id}/deactivate", headers=admin)
    r = client.post(f"{API}/users/{ana.id}/activate", headers=admin)
    assert r.status_code == 200 and r.json()["active"] is True
    assert client.get(f"{API}/me", headers=login(client, "ana")).status_code == 200
    assert len(_events("user.activated")) == 1
    assert client.post(f"{API}/users/{ana.id}/activate", headers=admin).status_code == 409


def test_an_admin_cannot_deactivate_themself(client, as_role):
    admin = as_role(Role.admin)
    me = _user("u-admin")
    r = client.post(f"{API}/users/{me.id}/deactivate", headers=admin)
    assert r.status_code == 409 and _user("u-admin").active


def test_revoke_tokens_signs_the_user_out_everywhere(client, session, as_role, ana):
    first, second = login(client, "ana"), login(client, "ana")
    r = client.post(f"{API}/users/{ana.id}/revoke-tokens", headers=as_role(Role.admin))
    assert r.status_code == 200 and r.json() == {"user_id": ana.id, "tokens_revoked": 2}
    assert client.get(f"{API}/me", headers=first).status_code == 401
    assert client.get(f"{API}/me", headers=second).status_code == 401
    assert client.get(f"{API}/me", headers=login(client, "ana")).status_code == 200, "the password still works"
    assert _events("user.tokens_revoked")[0].after == {"tokens_revoked": 2}


def test_reset_forces_a_password_change_before_anything_else(client, session, as_role, ana):
    old = login(client, "ana")
    r = client.post(f"{API}/users/{ana.id}/password", json={"new_password": NEW}, headers=as_role(Role.admin))
    assert r.status_code == 200 and r.json()["must_change_password"] is True
    assert client.get(f"{API}/me", headers=old).status_code == 401, "the reset revokes the user's tokens"
    assert client.post(f"{API}/auth/token", json={"username": "ana", "password": PASSWORD}).status_code == 401
    signed = client.post(f"{API}/auth/token", json={"username": "ana", "password": NEW})
    assert signed.status_code == 200 and signed.json()["must_change_password"] is True
    headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    for method, path in [("GET", "/me"), ("GET", "/applications"), ("GET", "/licences")]:
        blocked = client.request(method, API + path, headers=headers)
        assert blocked.status_code == 403, (path, blocked.text)
        assert blocked.json()["type"].endswith("/password-change-required")
        assert "POST /api/v1/me/password" in blocked.json()["detail"]
    mine = "my-own-long-passphrase"
    r = client.post(f"{API}/me/password", json={"current_password": NEW, "new_password": mine}, headers=headers)
    assert r.status_code == 204, r.text
    me = client.get(f"{API}/me", headers=headers)
    assert me.status_code == 200 and me.json()["must_change_password"] is False
    assert [e.after for e in _events("user.password_changed")] == [{"was_required": True, "other_tokens_revoked": 0}]
    assert "password" not in repr([e.after for e in _events("user.password_reset")]).replace("must_change_password", "")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_changes_its_own_password(client, session, role):
    user = make_user(session, role, None, username=f"self-{role.value}") if role != Role.exporter else None
    if user is None:
        from tests.factories import make_org
        user = make_user(session, role, make_org(session), username="self-exporter")
    session.commit()
    keep, other = login(client, user.username), bearer(session, user)
    r = client.post(f"{API}/me/password", json={"current_password": PASSWORD, "new_password": NEW}, headers=keep)
    assert r.status_code == 204, r.text
    assert client.get(f"{API}/me", headers=keep).status_code == 200, "the token that changed it stays valid"
    assert client.get(f"{API}/me", headers=other).status_code == 401, "other sessions end"
    assert client.post(f"{API}/auth/token", json={"username": user.username, "password": NEW}).status_code == 200


def test_change_needs_a_token(client, ana):
    r = client.post(f"{API}/me/password", json={"current_password": PASSWORD, "new_password": NEW})
    assert r.status_code == 401


@pytest.mark.parametrize(
    "current, new, status, field",
    [
        ("not-the-password", NEW, 403, "current_password"),
        (PASSWORD, "short-pass", 422, "new_password"),
        (PASSWORD, "ana-has-a-long-one", 422, "new_password"),
        (PASSWORD, "QwerAsdfZxcv", 422, "new_password"),
        (PASSWORD, PASSWORD, 422, "new_password"),
    ],
)
def test_refused_changes_change_nothing(client, session, ana, current, new, status, field):
    headers = login(client, "ana")
    before = _user("ana").password_hash
    r = client.post(f"{API}/me/password", json={"current_password": current, "new_password": new}, headers=headers)
    assert r.status_code == status, r.text
    assert r.json()["field"] == field
    assert _user("ana").password_hash == before and not _events("user.password_changed")


def test_guessing_the_current_password_with_a_token_is_throttled(client, ana):
    headers = login(client, "ana")
    codes = [client.post(f"{API}/me/password", json={"current_password": f"guess-{i}", "new_password": NEW},
                         headers=headers).status_code for i in range(3)]
    assert codes == [403, 403, 429]


def test_reset_applies_the_password_policy(client, as_role, ana):
    r = client.post(f"{API}/users/{ana.id}/password", json={"new_password": "password1234"}, headers=as_role(Role.admin))
    assert r.status_code == 422 and r.json()["field"] == "new_password"
    assert not _user("ana").must_change_password
