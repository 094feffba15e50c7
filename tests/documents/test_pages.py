"""The document's download from the licence page and from each version on the versions page,
for the holder and officers, and for nobody else."""

from __future__ import annotations

from tests.documents.helpers import attached
from tests.ui.helpers import HTML, sign_in


def test_licence_and_versions_pages_link_each_signed_document(aw, client):
    n = aw.licence()
    aw.approve(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1500", "unit": "kg"}])
    for user in ("exp", "off", "sen", "cus", "aud"):
        client.cookies.clear()
        sign_in(client, user)
        page = client.get(f"/licences/{n}", headers=HTML)
        assert f'href="/licences/{n}/document.pdf" download data-testid="document-link"' in page.text, user
        r = client.get(f"/licences/{n}/document.pdf", headers=HTML)
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", user
        assert attached(r.content)[1]["qr"].startswith(f"RXL1|{n}|2|")
    client.cookies.clear()
    sign_in(client, "exp")
    versions = client.get(f"/licences/{n}/versions", headers=HTML).text
    assert 'data-testid="version-document-1"' in versions and 'data-testid="version-document-2"' in versions
    old = client.get(f"/licences/{n}/document.pdf?version=1", headers=HTML)
    assert attached(old.content)[1]["qr"].startswith(f"RXL1|{n}|1|")


def test_another_exporter_and_strangers_get_no_document_page(aw, client):
    n = aw.licence()
    sign_in(client, "exp_b")
    r = client.get(f"/licences/{n}/document.pdf", headers=HTML)
    assert r.status_code == 404 and "%PDF" not in r.text
    client.cookies.clear()
    r = client.get(f"/licences/{n}/document.pdf", headers=HTML, follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"].startswith("/sign-in")
