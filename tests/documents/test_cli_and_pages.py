"""``rarex licences document``, ``rarex verify`` (offline, with a key file, against the local
database), the PDF as a person sees it (PNG artefacts), and the missing-font error."""

from __future__ import annotations

import json

import pytest

from rarex.documents import render as render_mod
from rarex.documents.render import FontMissing
from tests.documents.helpers import attached, control, forged, keep_pngs, pdf


def test_cli_writes_the_document_and_verifies_it_offline(aw, cli, tmp_path):
    n = aw.licence()
    out = tmp_path / "lic.pdf"
    r = cli("licences", "document", n, "--out", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == pdf(aw, n)  # the CLI and the API give the same file

    keys = tmp_path / "rarex-keys.json"
    keys.write_text(aw.client.get("/.well-known/rarex-keys.json").text)
    r = cli("verify", str(out), "--keys", str(keys), "--json")
    assert r.exit_code == 0, r.output
    v = json.loads(r.output)
    assert (v["outcome"], v["number"], v["version"], v["latest"]) == ("valid", n, 1, None)

    control(aw, n, "suspend")
    r = cli("verify", str(out), "--keys", str(keys), "--db", "--json")
    v = json.loads(r.output)
    assert r.exit_code == 0 and v["latest"] is False and v["current"]["status"] == "suspended"
    r = cli("verify", str(out), "--db")
    assert r.exit_code == 0 and "VALID" in r.output and "NOT the latest" in r.output

    content, meta = attached(out.read_bytes())
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(forged(out.read_bytes(), content.replace("1250.5", "1259.5")))
    r = cli("verify", str(bad), "--keys", str(keys))
    assert r.exit_code == 1 and "TAMPERED" in r.output

    r = cli("verify", "--qr", meta["qr"], "--keys", str(keys), "--json")
    assert r.exit_code == 0 and json.loads(r.output)["outcome"] == "valid"
    r = cli("verify", "--qr", meta["qr"].replace(meta["kid"], "ffffffffffffffff"), "--keys", str(keys), "--json")
    assert r.exit_code == 1 and json.loads(r.output)["outcome"] == "unknown_key"


def test_cli_errors_are_one_line(aw, cli, tmp_path):
    n = aw.licence()
    r = cli("verify")
    assert r.exit_code == 2 and "give either a PDF file or --qr" in r.output
    r = cli("verify", str(tmp_path / "missing.pdf"))
    assert r.exit_code == 2 and "no such file" in r.output
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    r = cli("verify", str(junk), "--json")
    assert r.exit_code == 1 and json.loads(r.output)["outcome"] == "unreadable"
    r = cli("verify", str(junk), "--keys", str(junk))
    assert r.exit_code == 2 and "--keys" in r.output
    r = cli("licences", "document", "CNDU-I2026-999999", "--out", str(tmp_path / "x.pdf"))
    assert r.exit_code == 2 and "not found" in r.output.lower()
    r = cli("licences", "document", n, "--out", str(tmp_path / "x.pdf"), "--version", "5")
    assert r.exit_code == 2 and "version 5" in r.output


def test_the_pdf_as_a_reader_sees_it(aw, tmp_path):
    """Chinese and English on one page, Noto CJK embedded; PNGs kept to look at."""
    import io

    from pypdf import PdfReader

    n = aw.licence()
    control(aw, n, "suspend")
    data = pdf(aw, n)
    reader = PdfReader(io.BytesIO(data))
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].get_object().values()}
    assert any("NotoSansCJKSC" in f for f in fonts)
    text = reader.pages[0].extract_text().replace("\x00", "")
    for phrase in ("两用物项出口许可证", "Dual-use items export licence", "统一社会信用代码", aw.w.org.uscc, "已暂停使用",
                   "Suspended", "1250.5", "1C905.b", "最终用户", "End users"):
        assert phrase in text, phrase
    pngs = keep_pngs(data, f"licence-document-{n}", tmp_path)
    assert len(pngs) == 1 and pngs[0].stat().st_size > 10_000


def test_a_missing_font_names_the_package(aw, monkeypatch, tmp_path):
    n = aw.licence()
    content, meta = attached(pdf(aw, n))
    monkeypatch.setattr(render_mod, "FONT_DIR", tmp_path)
    render_mod.render.cache_clear()
    with pytest.raises(FontMissing, match="fonts-noto-cjk"):
        render_mod.render(content, key_id=meta["kid"], signature=meta["signature"], qr_payload=meta["qr"])


def test_a_long_licence_flows_onto_more_pages_and_still_verifies(aw, session, tmp_path):
    """Twelve lines for five end users with long names, long conditions: the tables break across
    pages with their headings repeated, and every quantity is on the page."""
    from sqlalchemy import select

    from rarex.core.db import utcnow
    from rarex.documents import service
    from rarex.documents.keys import Keyring
    from rarex.documents.models import LicenceDocument
    from tests.factories import make_party
    from tests.shipments.helpers import make_licence

    users = [make_party(session, aw.w.org, name=f"Very Long Industrial Motors and Drives Manufacturing Company No. {i} "
                        "Aktiengesellschaft & Co. KGaA", country=c) for i, c in enumerate(["DE", "JP", "KR", "FR"])]
    users.append(make_party(session, aw.w.org, name="Wisła Magnet Components Sp. z o.o.", country="PL"))
    lines = [(("1C905.b", "1C902.a")[i % 2], users[i % 5].id, f"{100 + i}.25", "kg") for i in range(11)]
    lines.append(("1C905.b", users[0].id, "98765432109.654321", "kg"))  # wider than its column: it wraps
    lic = make_licence(session, aw.w.org.id, lines, licence_type="individual")
    lic.conditions = ["不得转让给任何第三方；最终用户须在每次收货后三十日内提交使用报告。 Not to be transferred to any third "
                      "party; the end user reports on use within thirty days of each delivery."] * 3
    session.flush()
    doc = service.issue(session, lic, "issued", utcnow())
    session.commit()
    stored = session.execute(select(LicenceDocument).where(LicenceDocument.id == doc.id)).scalar_one()
    data = render_mod.render(stored.content, key_id=stored.key_id, signature=stored.signature,
                             qr_payload=service.qr_payload(stored))
    from rarex.documents.verify import verify_pdf

    assert verify_pdf(data, Keyring().public_keys()).outcome == "valid"
    if all((render_mod.FALLBACK_DIR / f).is_file() for f in render_mod.FALLBACK.values()):
        import io

        from pypdf import PdfReader

        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\x00", "")
        assert "Wisła Magnet" in text  # a letter Noto CJK lacks, from the fallback font
    pngs = keep_pngs(data, f"licence-document-long-{lic.number}", tmp_path)
    assert len(pngs) >= 2


def test_licences_from_before_documents_get_one_and_keys_are_listed(aw, cli, session, tmp_path):
    from tests.shipments.helpers import make_licence

    lic = make_licence(session, aw.w.org.id, [("1C905.b", aw.w.end_user, "10", "kg")])
    session.commit()
    assert download_status(aw, lic.number) == 404  # rows made without an event have no document yet
    r = cli("licences", "issue-documents", "--json")
    assert r.exit_code == 0, r.output
    assert lic.number in json.loads(r.output)["issued"]
    assert json.loads(cli("licences", "issue-documents", "--json").output)["issued"] == []  # only once
    out = tmp_path / "old.pdf"
    assert cli("licences", "document", lic.number, "--out", str(out)).exit_code == 0
    assert cli("verify", str(out)).exit_code == 0
    keys = json.loads(cli("keys", "list", "--json").output)
    assert [k["retired_at"] for k in keys["keys"]] == [None] and keys["alg"] == "Ed25519"


def download_status(aw, number: str) -> int:
    return aw.client.get(f"/api/v1/licences/{number}/document.pdf", headers=aw.w.exporter).status_code
