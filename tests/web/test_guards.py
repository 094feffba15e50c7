"""Oversized request bodies are refused with 413 before the app reads them.

The finding: an anonymous 300 MB JSON body grew the server by 900 MB; a 1 GB multipart was
spooled to disk before the 401. The guard answers on the declared length, and counts a body
sent without one (chunked), cutting it off once it passes the limit.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rarex.applications.models import Application
from rarex.core.authz import Role
from rarex.core.settings import get_settings
from rarex.web.guards import MULTIPART_ALLOWANCE, body_limit


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setenv("RAREX_MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("RAREX_MAX_UPLOAD_BYTES", "8192")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _assert_too_large(resp):
    assert resp.status_code == 413, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    problem = resp.json()
    assert problem["type"].endswith("/payload-too-large")
    assert "4096 bytes" in problem["detail"]


def test_a_declared_body_over_the_limit_is_refused_before_authentication(client, small_limit):
    resp = client.post("/api/v1/screening/search", content=b"{" + b" " * 5000 + b"}",
                       headers={"content-type": "application/json"})
    _assert_too_large(resp)  # a 401 would mean the app had run


def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(client, small_limit):
    def chunks():
        for _ in range(10):
            yield b" " * 1000

    resp = client.post("/api/v1/screening/search", content=chunks(), headers={"content-type": "application/json"})
    _assert_too_large(resp)


def test_a_body_within_the_limit_reaches_the_app(client, small_limit, as_role):
    headers = as_role(Role.officer) | {"content-type": "application/json"}
    resp = client.post("/api/v1/screening/search", content=b'{"name": "Nobody Trading"}' + b" " * 3000, headers=headers)
    assert resp.status_code == 200, resp.text

    def chunks():
        yield b'{"name": "Nobody '
        yield b'Trading"}' + b" " * 2000

    assert client.post("/api/v1/screening/search", content=chunks(), headers=headers).status_code == 200


def test_nothing_is_written_by_a_refused_request(client, small_limit, as_role, session):
    """An oversized draft is not stored; the same draft within the limit is."""
    headers = as_role(Role.exporter) | {"content-type": "application/json"}
    big = b'{"end_use": "magnets for motors"' + b" " * 6000 + b"}"
    assert client.post("/api/v1/applications", content=big, headers=headers).status_code == 413
    assert session.execute(select(func.count()).select_from(Application)).scalar_one() == 0
    small = b'{"end_use": "magnets for motors"}'
    assert client.post("/api/v1/applications", content=small, headers=headers).status_code == 201
    assert session.execute(select(func.count()).select_from(Application)).scalar_one() == 1


def test_document_uploads_have_their_own_larger_limit(client, small_limit):
    """An upload between the JSON limit and the upload limit passes the guard; the route
    itself then answers (here 401: no token), not the guard's 413."""
    assert body_limit("/api/v1/applications/7/documents") == 8192 + MULTIPART_ALLOWANCE
    assert body_limit("/api/v1/applications/7") == 4096
    files = {"file": ("letter.pdf", b"%PDF-1.4 " + b"x" * 6000, "application/pdf")}
    resp = client.post("/api/v1/applications/7/documents", files=files)
    assert resp.status_code == 401, resp.text
    files = {"file": ("letter.pdf", b"%PDF-1.4 " + b"x" * (8192 + MULTIPART_ALLOWANCE), "application/pdf")}
    resp = client.post("/api/v1/applications/7/documents", files=files)
    assert resp.status_code == 413, resp.text
