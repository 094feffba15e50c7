"""Uploads: the caller is checked before a byte of the body is read, the body is read only up
to the limit, quotas per application and per organisation hold, and a draft's documents can be
removed (audited, the file leaving the store)."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest
from sqlalchemy import select
from starlette.requests import Request

from rarex.applications.documents import storage_path
from rarex.applications.uploads import read_form
from rarex.core.audit import AuditEvent
from rarex.core.errors import PayloadTooLarge
from rarex.core.settings import get_settings
from tests.applications.helpers import PDF, build_world

MiB = 1024 * 1024


@pytest.fixture
def w(client, session):
    return build_world(client, session)


def url(app_id: int) -> str:
    return f"/api/v1/applications/{app_id}/documents"


class Body:
    """A streamed multipart body of ``size`` bytes that counts how much of it was read."""

    def __init__(self, size: int):
        self.size, self.sent = size, 0

    def __iter__(self):
        yield b'--xx\r\nContent-Disposition: form-data; name="doc_type"\r\n\r\ncontract\r\n'
        yield b'--xx\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        yield PDF
        while self.sent < self.size:
            self.sent += MiB
            yield b"0" * MiB
        yield b"\r\n--xx--\r\n"


MULTIPART = {"content-type": "multipart/form-data; boundary=xx"}


def upload(w, app_id: int, content: bytes = PDF, who=None, name: str = "contract.pdf"):
    return w.client.post(url(app_id), headers=who or w.exporter, data={"doc_type": "contract"},
                         files={"file": (name, content, "application/pdf")})


def problem(r, status: int, slug: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    if slug:
        assert r.json()["type"].endswith("/" + slug)
    return r.json()


# --- who, before the body -----------------------------------------------------------------


def test_an_anonymous_gigabyte_is_refused_before_its_body_is_read(w):
    app = w.draft()
    body = Body(1024 * MiB)
    problem(w.client.post(url(app["id"]), content=iter(body), headers=MULTIPART), 401)
    assert body.sent <= MiB


@pytest.mark.parametrize("who,status", [("customs", 403), ("officer", 403), ("admin", 403), ("other_exporter", 404)])
def test_callers_who_may_not_upload_are_refused_before_the_body_is_read(w, who, status):
    app = w.draft()
    body = Body(64 * MiB)
    problem(w.client.post(url(app["id"]), content=iter(body), headers={**MULTIPART, **getattr(w, who)}), status)
    assert body.sent <= MiB


def test_a_case_that_takes_no_documents_is_refused_before_the_body_is_read(w):
    app = w.to_state("under_review")
    body = Body(64 * MiB)
    p = problem(w.client.post(url(app["id"]), content=iter(body), headers={**MULTIPART, **w.exporter}), 409)
    assert p["current_state"] == "under_review" and body.sent <= MiB


def test_the_stream_is_read_only_up_to_the_limit():
    """The test client sends a body whole, so the cut-off is shown on the ASGI stream itself."""
    body = iter(Body(256 * MiB))
    chunks = 0

    async def receive():
        nonlocal chunks
        chunks += 1
        chunk = next(body, None)
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"",
             "headers": [(b"content-type", MULTIPART["content-type"].encode())]}
    # A thread of its own: a browser test earlier in this worker may leave an event loop running here.
    with ThreadPoolExecutor(1) as pool, pytest.raises(PayloadTooLarge) as exc:
        pool.submit(anyio.run, read_form, Request(scope, receive), 2 * MiB).result()
    assert exc.value.status == 413 and chunks <= 6


def test_a_body_over_the_limit_is_a_413_and_nothing_is_stored(w, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 2 * MiB)
    app = w.draft()
    p = problem(w.client.post(url(app["id"]), content=iter(Body(3 * MiB)), headers={**MULTIPART, **w.exporter}), 413,
                "payload-too-large")
    assert "RAREX_MAX_UPLOAD_BYTES" in p["detail"]
    assert w.client.get(f"/api/v1/applications/{app['id']}", headers=w.exporter).json()["documents"] == []


def test_a_declared_length_over_the_limit_is_refused_unread(w, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 2 * MiB)
    app = w.draft()
    body = Body(8 * MiB)
    r = w.client.post(url(app["id"]), content=b"".join(body), headers={**MULTIPART, **w.exporter})
    problem(r, 413, "payload-too-large")


def test_a_document_just_within_the_limit_is_accepted(w, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 4096)
    app = w.draft()
    assert upload(w, app["id"], PDF + b"0" * (4096 - len(PDF))).status_code == 201
    problem(upload(w, app["id"], PDF + b"0" * (4097 - len(PDF))), 413)


def test_an_upload_that_is_not_multipart_is_a_415(w):
    app = w.draft()
    problem(w.client.post(url(app["id"]), json={"doc_type": "contract"}, headers=w.exporter), 415)


# --- quotas ---------------------------------------------------------------------------------


def test_documents_per_application_are_limited_and_removal_makes_room(w, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_documents_per_application", 2)
    app = w.draft()
    first = upload(w, app["id"], PDF + b"1").json()
    assert upload(w, app["id"], PDF + b"2").status_code == 201
    p = problem(upload(w, app["id"], PDF + b"3"), 409, "quota-exceeded")
    assert (p["limit"], p["used"]) == (2, 2) and "RAREX_MAX_DOCUMENTS_PER_APPLICATION" in p["detail"]
    assert not storage_path(hashlib.sha256(PDF + b"3").hexdigest()).exists()
    assert w.client.delete(f"{url(app['id'])}/{first['id']}", headers=w.exporter).status_code == 204
    assert upload(w, app["id"], PDF + b"3").status_code == 201


def test_bytes_per_organisation_are_limited_across_its_applications(w, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_document_bytes_per_organisation", 3000)
    a, b = w.draft(), w.draft()
    assert upload(w, a["id"], PDF + b"a" * (2000 - len(PDF))).status_code == 201
    assert upload(w, b["id"], PDF + b"b" * (1000 - len(PDF))).status_code == 201  # exactly the limit
    p = problem(upload(w, b["id"], PDF + b"c"), 409, "quota-exceeded")
    assert (p["limit"], p["used"]) == (3000, 3000) and "RAREX_MAX_DOCUMENT_BYTES_PER_ORGANISATION" in p["detail"]


# --- removal -----------------------------------------------------------------------------------


def test_the_exporter_removes_a_draft_document_audited_and_the_file_leaves_the_store(w, session):
    app = w.draft()
    doc = upload(w, app["id"], PDF + b"gone").json()
    path = storage_path(doc["sha256"])
    assert path.exists()
    assert w.client.delete(f"{url(app['id'])}/{doc['id']}", headers=w.exporter).status_code == 204
    assert w.client.get(f"/api/v1/applications/{app['id']}", headers=w.exporter).json()["documents"] == []
    assert not path.exists()
    ev = session.execute(select(AuditEvent).where(AuditEvent.type == "application.document_removed")).scalar_one()
    assert ev.before["document_id"] == doc["id"] and ev.before["sha256"] == doc["sha256"] and ev.actor == "exp"
    problem(w.client.delete(f"{url(app['id'])}/{doc['id']}", headers=w.exporter), 404)


def test_content_another_document_holds_stays_in_the_store(w):
    a, b = w.draft(), w.draft()
    doc_a = upload(w, a["id"], PDF + b"shared").json()
    doc_b = upload(w, b["id"], PDF + b"shared").json()
    assert w.client.delete(f"{url(a['id'])}/{doc_a['id']}", headers=w.exporter).status_code == 204
    assert w.client.get(f"{url(b['id'])}/{doc_b['id']}", headers=w.exporter).content == PDF + b"shared"
    assert w.client.delete(f"{url(b['id'])}/{doc_b['id']}", headers=w.exporter).status_code == 204
    assert not storage_path(doc_b["sha256"]).exists()


@pytest.mark.parametrize("who,status", [("officer", 403), ("senior", 403), ("customs", 403), ("auditor", 403),
                                        ("admin", 403), ("other_exporter", 404)])
def test_only_the_owner_may_remove(w, who, status):
    app = w.draft()
    doc = upload(w, app["id"]).json()
    problem(w.client.delete(f"{url(app['id'])}/{doc['id']}", headers=getattr(w, who)), status)
    problem(w.client.delete(f"{url(app['id'])}/{doc['id']}"), 401)
    assert len(w.client.get(f"/api/v1/applications/{app['id']}", headers=w.exporter).json()["documents"]) == 1


def test_a_submitted_case_keeps_its_documents(w):
    app = w.to_state("submitted")
    doc = app["documents"][0]
    p = problem(w.client.delete(f"{url(app['id'])}/{doc['id']}", headers=w.exporter), 409, "invalid-transition")
    assert p["current_state"] == "submitted"
    assert storage_path(doc["sha256"]).exists()


def test_while_information_is_requested_only_documents_added_since_can_be_removed(w):
    app = w.to_state("information_requested")
    submitted = app["documents"][0]
    p = problem(w.client.delete(f"{url(app['id'])}/{submitted['id']}", headers=w.exporter), 409)
    assert "part of the submission" in p["detail"]
    added = upload(w, app["id"], PDF + b"certificate").json()
    assert w.client.delete(f"{url(app['id'])}/{added['id']}", headers=w.exporter).status_code == 204


def test_the_cli_removes_a_document_and_refuses_in_one_line(w, cli):
    app = w.draft()
    doc = upload(w, app["id"]).json()
    r = cli("applications", "remove-document", str(app["id"]), str(doc["id"]))
    assert r.exit_code == 0 and f"removed document {doc['id']}" in r.stdout
    r = cli("applications", "remove-document", str(app["id"]), str(doc["id"]))
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1 and "not found" in r.stderr
