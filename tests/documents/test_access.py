"""Who may download a licence document, and what the public check shows (and does not)."""

from __future__ import annotations

import pytest

from rarex.core.settings import get_settings
from rarex.documents.verify import verify_qr
from tests.documents.helpers import attached, control, download, pdf, published_keys


@pytest.mark.parametrize("who", ["exporter", "officer", "senior", "customs", "auditor"])
def test_who_reads_the_licence_downloads_its_document(aw, who):
    n = aw.licence()
    r = download(aw, n, who=getattr(aw.w, who))
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    assert f'filename="{n}-v1-1.pdf"' in r.headers["content-disposition"]


def test_another_organisation_and_strangers_cannot_download(aw):
    n = aw.licence()
    r = download(aw, n, who=aw.w.other_exporter)
    assert r.status_code == 404 and r.json()["status"] == 404 and n in r.json()["detail"]
    assert download(aw, "CNDU-I2026-999999", who=aw.w.exporter).json()["detail"] == r.json()["detail"].replace(
        n, "CNDU-I2026-999999")  # the same answer as for a number that does not exist
    assert aw.client.get(f"/api/v1/licences/{n}/document.pdf").status_code == 401
    assert download(aw, n, who=aw.w.admin).status_code == 403


def test_public_check_shows_status_version_validity_remaining_and_nothing_else(aw):
    n = aw.licence()
    aw.set_drawn(n, 1, "250")
    for path in (f"/api/v1/verify/{n}", f"/verify/{n}"):
        r = aw.client.get(path, headers={"Accept": "application/json"})  # no sign-in
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"number", "status", "version", "valid_from", "valid_to", "lines", "latest_document",
                             "latest_sha256"}
        assert body["status"] == "active" and body["version"] == 1 and body["latest_document"] == 1
        assert body["lines"] == [{"line_no": 1, "unit": "kg", "remaining": "1000.5"}]
        text = r.text
        for secret in ("Antriebstechnik", "Magnetwerk", aw.w.org.name_en, aw.w.org.uscc, "USD", "1C905"):
            assert secret not in text
    r = aw.client.get("/api/v1/verify/CNDU-I2026-999999")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


def test_a_revoked_licence_document_is_authentic_but_the_public_check_says_revoked(aw):
    n = aw.licence()
    issued = pdf(aw, n)
    control(aw, n, "revoke")
    keys = published_keys(aw)
    _, meta = attached(issued)
    verdict = verify_qr(meta["qr"], keys)
    assert verdict.outcome == "valid" and verdict.status == "active"  # authentic: it was issued so
    public = aw.client.get(f"/api/v1/verify/{n}").json()
    assert public["status"] == "revoked" and public["latest_document"] == 2
    page = aw.client.get(f"/verify/{n}", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and 'data-testid="public-status">Revoked<' in page.text
    shown = aw.client.get("/verify", params={"q": meta["qr"]}, headers={"Accept-Language": "en"})
    assert "The QR code is genuine" in shown.text and "It belongs to an earlier document" in shown.text
    assert 'data-testid="public-status">Revoked<' in shown.text


def test_public_check_is_rate_limited_per_client(aw, monkeypatch):
    monkeypatch.setenv("RAREX_VERIFY_BURST", "3")
    monkeypatch.setenv("RAREX_VERIFY_PER_MINUTE", "1")
    get_settings.cache_clear()
    try:
        from fastapi.testclient import TestClient

        from rarex.web.app import create_app

        n = aw.licence()
        with TestClient(create_app(run_startup_jobs=False)) as c:
            codes = [c.get(f"/api/v1/verify/{n}").status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
            r = c.get(f"/verify/{n}")
            assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
            other = c.get(f"/api/v1/verify/{n}", headers={"X-Forwarded-For": "203.0.113.9"})
            assert other.status_code == 429  # a client's own X-Forwarded-For is not believed
    finally:
        get_settings.cache_clear()


def test_the_keys_are_public_and_hold_no_private_part(aw):
    aw.licence()
    r = aw.client.get("/.well-known/rarex-keys.json")
    assert r.status_code == 200
    body = r.json()
    assert body["alg"] == "Ed25519" and len(body["keys"]) == 1
    assert set(body["keys"][0]) == {"kid", "alg", "public_key", "created_at", "retired_at"}
    assert "PRIVATE" not in r.text


def test_verify_form_asks_for_a_number_and_sends_a_number_on(aw):
    r = aw.client.get("/verify", params={"q": ""}, headers={"Accept-Language": "zh"})
    assert r.status_code == 400 and "请输入许可证编号或其二维码文本" in r.text
    r = aw.client.get("/verify", params={"q": " CNDU-I2026-000001 "}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/verify/CNDU-I2026-000001"
    r = aw.client.get("/verify", params={"q": "RXL1|nonsense"}, headers={"Accept-Language": "en"})
    assert r.status_code == 400 and "This is not the QR code of a rarex licence" in r.text
    r = aw.client.get("/verify/NOPE-1", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and 'data-testid="not-found"' in r.text
