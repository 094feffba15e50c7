"""Security headers on every response: pages, API answers, errors and 500s alike."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from rarex.core.authz import Role
from rarex.web.app import create_app

REQUIRED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _assert_secure(resp):
    for name, value in REQUIRED.items():
        assert resp.headers.get(name) == value, (resp.request.url, name, resp.headers.get(name))
    csp = resp.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    return csp


@pytest.mark.parametrize("path", ["/", "/healthz", "/openapi.json", "/static/rarex.css", "/no/such/page",
                                  "/api/v1/me", "/api/v1/licences/NOPE"])
def test_every_answer_carries_the_security_headers(client, path):
    resp = client.get(path)
    _assert_secure(resp)


def test_errors_and_500s_carry_them_too(db):
    app = create_app(run_startup_jobs=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("unexpected")

    with TestClient(app, raise_server_exceptions=False) as c:
        resp = c.get("/boom")
        assert resp.status_code == 500
        _assert_secure(resp)
        invalid = c.post("/api/v1/policy/classify", json={"on": "not a date"})
        assert invalid.status_code == 422
        _assert_secure(invalid)


def test_signed_in_answers_are_never_stored_and_public_ones_may_be(client, as_role):
    headers = as_role(Role.officer)
    for resp in (client.get("/api/v1/me", headers=headers),
                 client.get("/api/v1/licences/NOPE", headers=headers),  # a signed-in 404 too
                 client.post("/api/v1/auth/token", json={"username": "nobody", "password": "wrong-password"})):
        assert resp.headers["cache-control"] == "no-store", resp.request.url
    for path in ("/healthz", "/static/rarex.css"):
        assert "no-store" not in client.get(path).headers.get("cache-control", "")


def test_the_docs_page_allows_exactly_its_own_inline_script(client):
    resp = client.get("/docs")
    csp = _assert_secure(resp)
    scripts = re.findall(r"<script>(.*?)</script>", resp.text, re.DOTALL)
    assert scripts, "Swagger UI is started by an inline script"
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    assert allowed == {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    # Other pages allow no inline script at all.
    assert "sha256" not in client.get("/").headers["content-security-policy"]
