"""Administering users through the pages: list, add with errors beside fields, deactivate, reset."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from rarex.core.authz import Role
from rarex.users.models import User
from tests.factories import make_org, make_user
from tests.ui.helpers import HTML, csrf_of, post_form, sign_in


@pytest.fixture
def admin(client, session):
    org = make_org(session, name="Ganzhou Rare Metals")
    make_user(session, Role.admin, username="root1")
    make_user(session, Role.exporter, org, username="zed")
    make_user(session, Role.customs, username="amy")
    session.commit()
    sign_in(client, "root1")
    return org


def test_the_list_sorts_and_exports(client, admin):
    by_name = client.get("/admin/users", headers=HTML).text
    assert by_name.index("user-amy") < by_name.index("user-root1") < by_name.index("user-zed")
    by_role = client.get("/admin/users", params={"sort": "role"}, headers=HTML).text
    assert by_role.index("user-root1") < by_role.index("user-amy") < by_role.index("user-zed")  # admin, customs, exporter
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/users", params={"format": "csv"}, headers=HTML).text)))
    assert [r["username"] for r in rows] == ["amy", "root1", "zed"]
    assert rows[2]["organisation"] == "Ganzhou Rare Metals"


def test_adding_a_user_shows_each_error_beside_its_field_and_keeps_what_was_typed(client, admin, session):
    r = post_form(client, "/admin/users/new", "/admin/users/new", username="new.one", display_name="Wang Fang",
              role="exporter", org_id="", password="short")
    assert r.status_code == 400
    assert 'id="password-error"' in r.text and 'value="new.one"' in r.text and 'value="Wang Fang"' in r.text
    r = post_form(client, "/admin/users/new", "/admin/users/new", username="new.one", role="exporter", org_id="",
              password="a-long-enough-secret-7")
    assert 'id="org_id-error"' in r.text and "An exporter belongs to an organisation" in r.text
    r = post_form(client, "/admin/users/new", "/admin/users/new", username="zed", role="customs", org_id="",
              password="a-long-enough-secret-7")
    assert 'id="username-error"' in r.text and "This username is taken." in r.text
    assert session.scalar(select(User).where(User.username == "new.one")) is None
    ok = post_form(client, "/admin/users/new", "/admin/users/new", username="new.one", role="exporter", org_id=str(admin.id),
               password="a-long-enough-secret-7", display_name="Wang Fang")
    assert ok.status_code == 303 and "done=created" in ok.headers["location"]
    assert session.scalar(select(User).where(User.username == "new.one")).org_id == admin.id


def test_deactivating_ends_the_users_sessions(client, admin, session, db):
    from fastapi.testclient import TestClient

    from rarex.web.app import create_app

    zed = session.scalar(select(User).where(User.username == "zed"))
    with TestClient(create_app(run_startup_jobs=False)) as other:
        sign_in(other, "zed")
        assert other.get("/home", headers=HTML, follow_redirects=False).status_code == 200
        r = post_form(client, f"/admin/users/{zed.id}/deactivate", f"/admin/users/{zed.id}")
        assert r.status_code == 303
        assert other.get("/home", headers=HTML, follow_redirects=False).status_code == 303
    page = client.get(f"/admin/users/{zed.id}", headers=HTML)
    assert "Deactivated" in page.text and "/activate" in page.text
    again = post_form(client, f"/admin/users/{zed.id}/deactivate", f"/admin/users/{zed.id}")
    assert again.status_code == 409  # already deactivated: a refused transition, nothing changes


def test_an_admin_cannot_deactivate_themselves(client, admin, session):
    me = session.scalar(select(User).where(User.username == "root1"))
    page = client.get(f"/admin/users/{me.id}", headers=HTML)
    assert "/deactivate" not in page.text
    r = client.post(f"/admin/users/{me.id}/deactivate", data={"csrf_token": csrf_of(page.text)}, headers=HTML)
    assert r.status_code == 409
    session.expire_all()
    assert session.get(User, me.id).active


def test_a_reset_password_is_checked_and_forces_a_change(client, admin, session):
    amy = session.scalar(select(User).where(User.username == "amy"))
    weak = post_form(client, f"/admin/users/{amy.id}/reset-password", f"/admin/users/{amy.id}", new_password="password")
    assert weak.status_code == 400 and 'id="new_password-error"' in weak.text
    ok = post_form(client, f"/admin/users/{amy.id}/reset-password", f"/admin/users/{amy.id}", new_password="another-long-secret-3")
    assert ok.status_code == 303
    session.expire_all()
    assert session.get(User, amy.id).must_change_password


def test_an_auditor_sees_the_list_but_no_action(client, session):
    make_user(session, Role.auditor, username="aud2")
    session.commit()
    sign_in(client, "aud2")
    listing = client.get("/admin/users", headers=HTML)
    assert listing.status_code == 200 and "/admin/users/new" not in listing.text
    assert client.get("/admin/users/new", headers=HTML).status_code == 403
    me = session.scalar(select(User).where(User.username == "aud2"))
    page = client.get(f"/admin/users/{me.id}", headers=HTML)
    assert page.status_code == 200 and "/end-sessions" not in page.text
    assert client.post(f"/admin/users/{me.id}/end-sessions", data={"csrf_token": csrf_of(page.text)},
                       headers=HTML).status_code == 403


@pytest.mark.parametrize("role", [Role.exporter, Role.officer, Role.senior_officer, Role.customs])
def test_other_roles_reach_no_user_page(client, session, role):
    make_user(session, role, make_org(session) if role == Role.exporter else None, username=f"o-{role.value}")
    session.commit()
    sign_in(client, f"o-{role.value}")
    assert client.get("/admin/users", headers=HTML).status_code == 403
    assert client.get("/admin/users/1", headers=HTML).status_code == 403


def test_an_unknown_action_or_user_is_refused_cleanly(client, admin):
    assert client.get("/admin/users/999999", headers=HTML).status_code == 404
    assert client.get(f"/admin/users/{10**30}", headers=HTML).status_code == 422
    page = client.get("/admin/users", headers=HTML)
    r = client.post("/admin/users/1/promote", data={"csrf_token": csrf_of(page.text)}, headers=HTML)
    assert r.status_code == 422
