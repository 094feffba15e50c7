"""Signing in and out of the pages: a server-side session in a cookie, CSRF on every form."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rarex.core.authz import Role
from rarex.users.models import ApiToken, LoginAttempt
from rarex.web.app import create_app
from tests.factories import make_org, make_user
from tests.ui.helpers import HTML, csrf_of, sign_in


@pytest.fixture
def exporter(session):
    org = make_org(session, name="Baotou Magnet Works")
    user = make_user(session, Role.exporter, org, username="ana")
    session.commit()
    return user


def _cookie_header(response, name: str) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith(name + "="))


def test_a_page_that_needs_a_user_sends_the_browser_to_sign_in_and_back(client, exporter):
    r = client.get("/home", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/sign-in?next=%2Fhome"
    r = sign_in(client, "ana", next_path="/home")
    assert r.status_code == 303 and r.headers["location"] == "/home"
    home = client.get("/home", headers=HTML)
    assert home.status_code == 200
    assert "Test exporter" in home.text and "Exporter" in home.text and "Baotou Magnet Works" in home.text


def test_the_session_cookie_is_httponly_lax_and_secure_only_over_https(session, exporter, db):
    with TestClient(create_app(run_startup_jobs=False)) as c:
        cookie = _cookie_header(sign_in(c, "ana"), "rarex_session").lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    with TestClient(create_app(run_startup_jobs=False), base_url="https://testserver") as c:
        cookie = _cookie_header(sign_in(c, "ana"), "rarex_session").lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_a_client_cannot_claim_https_by_header(session, exporter, db):
    with TestClient(create_app(run_startup_jobs=False)) as c:
        page = c.get("/sign-in", headers=HTML)
        r = c.post("/sign-in", data={"csrf_token": csrf_of(page.text), "username": "ana", "password": "correct-horse-battery"},
                   headers={**HTML, "X-Forwarded-Proto": "https"}, follow_redirects=False)
        assert "secure" not in _cookie_header(r, "rarex_session").lower()


def test_the_chinese_header_names_the_organisation_in_chinese(client, exporter, session):
    sign_in(client, "ana")
    text = client.get("/home", params={"lang": "zh"}, headers=HTML).text
    assert "出口经营者" in text and "测试稀土有限公司" in text and "退出登录" in text


def test_a_wrong_password_is_shown_beside_the_field_and_keeps_the_username(client, exporter):
    r = sign_in(client, "ana", password="not-the-password")
    assert r.status_code == 401
    assert 'id="password-error"' in r.text and "The username or password is wrong." in r.text
    assert 'value="ana"' in r.text
    assert "rarex_session" not in r.headers.get("set-cookie", "")


def test_empty_fields_are_each_named(client, exporter):
    page = client.get("/sign-in", headers=HTML)
    r = client.post("/sign-in", data={"csrf_token": csrf_of(page.text), "username": " ", "password": ""}, headers=HTML)
    assert r.status_code == 400
    assert 'id="username-error"' in r.text and 'id="password-error"' in r.text
    assert 'href="#username"' in r.text  # the error summary links to the field


def test_errors_come_in_the_users_language(client, exporter):
    page = client.get("/sign-in", params={"lang": "zh"}, headers=HTML)
    r = client.post("/sign-in?lang=zh", data={"csrf_token": csrf_of(page.text), "username": "ana", "password": "wrong-one"},
                    headers=HTML)
    assert "用户名或密码错误。" in r.text and "The username" not in r.text


@pytest.mark.parametrize("token", [None, "", "forged-token-value"])
def test_a_sign_in_without_the_pages_token_is_refused_before_any_password_check(client, exporter, session, token):
    client.get("/sign-in", headers=HTML)
    data = {"username": "ana", "password": "correct-horse-battery"}
    if token is not None:
        data["csrf_token"] = token
    r = client.post("/sign-in", data=data, headers=HTML, follow_redirects=False)
    assert r.status_code == 403 and 'data-testid="error-page"' in r.text
    assert "The form could not be accepted" in r.text
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_sign_out_ends_the_session_on_the_server(client, exporter, session):
    sign_in(client, "ana")
    stolen = client.cookies.get("rarex_session")
    home = client.get("/home", headers=HTML)
    r = client.post("/sign-out", data={"csrf_token": csrf_of(home.text)}, headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/sign-in?signed_out=1"
    assert client.get("/home", headers=HTML, follow_redirects=False).status_code == 303
    # The cookie's value is dead on the server too, not only forgotten by this browser.
    client.cookies.set("rarex_session", stolen)
    assert client.get("/home", headers=HTML, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {stolen}"}).status_code == 401


def test_sign_out_with_a_forged_token_changes_nothing(client, exporter):
    sign_in(client, "ana")
    r = client.post("/sign-out", data={"csrf_token": "0" * 64}, headers=HTML, follow_redirects=False)
    assert r.status_code == 403
    assert client.get("/home", headers=HTML, follow_redirects=False).status_code == 200


def test_the_anonymous_token_does_not_pass_for_a_signed_in_form(client, exporter):
    page = client.get("/sign-in", headers=HTML)
    anon = csrf_of(page.text)
    sign_in(client, "ana")
    r = client.post("/sign-out", data={"csrf_token": anon}, headers=HTML, follow_redirects=False)
    assert r.status_code == 403


def test_an_admin_ends_a_users_sessions(client, exporter, session, as_role):
    sign_in(client, "ana")
    assert client.get("/home", headers=HTML, follow_redirects=False).status_code == 200
    admin = as_role(Role.admin)
    assert client.post(f"/api/v1/users/{exporter.id}/revoke-tokens", headers=admin).status_code == 200
    assert client.get("/home", headers=HTML, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example", "home"])
def test_sign_in_never_sends_the_browser_to_another_host(client, exporter, target):
    r = sign_in(client, "ana", next_path=target)
    assert r.status_code == 303 and r.headers["location"] == "/home"


def test_a_user_whose_password_was_reset_must_change_it_first(client, exporter, session, as_role):
    admin = as_role(Role.admin)
    r = client.post(f"/api/v1/users/{exporter.id}/password", json={"new_password": "an-admin-chosen-secret-9"}, headers=admin)
    assert r.status_code == 200, r.text
    r = sign_in(client, "ana", password="an-admin-chosen-secret-9")
    assert r.headers["location"] == "/account/password"
    page = client.get("/account/password", headers=HTML)
    assert "An administrator has reset your password." in page.text
    token = csrf_of(page.text)
    short = client.post("/account/password", data={"csrf_token": token, "current_password": "an-admin-chosen-secret-9",
                                                   "new_password": "short", "confirm_password": "short"}, headers=HTML)
    assert short.status_code == 400 and 'id="new_password-error"' in short.text and "at least 12" in short.text
    differ = client.post("/account/password", data={"csrf_token": token, "current_password": "an-admin-chosen-secret-9",
                                                    "new_password": "a-fresh-long-secret-1", "confirm_password": "other"},
                         headers=HTML)
    assert 'id="confirm_password-error"' in differ.text
    done = client.post("/account/password", data={"csrf_token": token, "current_password": "an-admin-chosen-secret-9",
                                                  "new_password": "a-fresh-long-secret-1",
                                                  "confirm_password": "a-fresh-long-secret-1"}, headers=HTML)
    assert done.status_code == 200 and "Your password has been changed." in done.text
    client.cookies.clear()
    assert sign_in(client, "ana", password="a-fresh-long-secret-1").headers["location"] == "/home"


def test_a_browser_gets_a_page_for_a_missing_page_and_an_api_client_a_problem(client):
    r = client.get("/no/such/page", headers={**HTML, "Accept-Language": "zh-CN"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "页面不存在" in r.text and "Page not found" not in r.text
    api = client.get("/api/v1/no/such", headers=HTML)
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    assert client.get("/no/such/page").headers["content-type"] == "application/problem+json"


def test_a_wrong_current_password_is_shown_beside_its_field(client, exporter):
    sign_in(client, "ana")
    page = client.get("/account/password", headers=HTML)
    r = client.post("/account/password", data={"csrf_token": csrf_of(page.text), "current_password": "not-it-at-all",
                                               "new_password": "a-fresh-long-secret-1",
                                               "confirm_password": "a-fresh-long-secret-1"}, headers=HTML)
    assert r.status_code == 403 and 'id="current_password-error"' in r.text
    assert client.get("/home", headers=HTML, follow_redirects=False).status_code == 200


def test_changing_the_password_without_a_session_goes_to_sign_in(client):
    r = client.post("/account/password", data={"csrf_token": "x"}, headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/sign-in?next=")


def test_a_throttled_sign_in_says_when_to_try_again(client, exporter, monkeypatch):
    monkeypatch.setenv("RAREX_LOGIN_PER_ACCOUNT_ADDRESS", "1")
    monkeypatch.setenv("RAREX_LOGIN_BACKOFF_AFTER", "5")
    from rarex.core.settings import get_settings

    get_settings.cache_clear()
    try:
        assert sign_in(client, "ana", password="wrong-password-1").status_code == 401
        r = sign_in(client, "ana")
        assert r.status_code == 429 and "Too many failed attempts. Try again in" in r.text
        assert "rarex_session" not in r.headers.get("set-cookie", "")
    finally:
        get_settings.cache_clear()
