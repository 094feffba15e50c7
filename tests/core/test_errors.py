"""Every error a client can cause is an RFC 9457 problem document, never a bare 500."""

from __future__ import annotations

import pytest

from rarex.core.authz import PERMISSIONS, Principal, Role, allowed, require
from rarex.core.errors import Forbidden, Unauthenticated


def _is_problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("https://")
    return body


def test_unknown_path_is_a_404_problem(client):
    body = _is_problem(client.get("/api/v1/no-such-thing"), 404)
    assert body["instance"] == "/api/v1/no-such-thing"


def test_wrong_method_is_a_405_problem(client):
    _is_problem(client.delete("/api/v1/auth/token"), 405)


def test_not_json_is_a_422_problem_with_errors(client):
    r = client.post("/api/v1/auth/token", content=b"{not json", headers={"Content-Type": "application/json"})
    body = _is_problem(r, 422)
    assert body["errors"]


def test_401_problem_asks_for_a_bearer_token(client):
    r = client.get("/api/v1/me")
    _is_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"


def test_authz_anonymous_is_401_wrong_role_403_system_allowed():
    with pytest.raises(Unauthenticated):
        require(None, "audit.verify")
    exporter = Principal(user_id=1, username="e", role=Role.exporter, org_id=1)
    with pytest.raises(Forbidden):
        require(exporter, "audit.verify")
    assert allowed(Principal.system(), "audit.verify")
    assert all(allowed(Principal.system(), action) for action in PERMISSIONS)


def test_authz_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        allowed(Principal.system(), "no.such.action")
