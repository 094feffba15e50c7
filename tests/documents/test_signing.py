"""A licence's signed document verifies; any change to what it says does not; old keys keep
verifying after rotation; a revoked licence's document is still authentic."""

from __future__ import annotations

import json
import stat

import segno
from sqlalchemy import select

from rarex.core.settings import get_settings
from rarex.documents import content as doc_content
from rarex.documents.models import LicenceDocument
from rarex.documents.verify import verify_pdf, verify_qr
from tests.documents.helpers import attached, control, forged, pdf, published_keys, repaged


def test_an_issued_licence_has_a_document_that_verifies(aw):
    n = aw.licence()
    data = pdf(aw, n)
    verdict = verify_pdf(data, published_keys(aw))
    assert verdict.outcome == "valid", verdict.reason
    assert (verdict.number, verdict.version, verdict.document, verdict.status) == (n, 1, 1, "active")

    content, meta = attached(data)
    c = json.loads(content)
    assert list(c) == list(doc_content.FIELD_ORDER[""])
    assert c["holder"]["uscc"] == aw.w.org.uscc and c["holder"]["name_zh"] == aw.w.org.name_zh
    assert c["lines"] == [{"line_no": 1, "control_code": "1C905.b", "hs_code": c["lines"][0]["hs_code"],
                           "description": c["lines"][0]["description"], "end_user": "Antriebstechnik Test AG",
                           "country": "DE", "quantity": "1250.5", "unit": "kg"}]
    assert c["items"][0]["control_code"] == "1C905.b" and c["items"][0]["legal_ref"]
    assert c["end_users"] == [{"name": "Antriebstechnik Test AG", "name_local": "", "country": "DE"}]
    # The deciding authority is a role of the pack, never a signing officer's name.
    assert "Ministry of Commerce" in c["authority"]["name_en"] and "sen" not in json.dumps(c["authority"])
    assert meta["kid"] == verdict.kid and meta["qr"].startswith("RXL1|" + n + "|1|1|active|")


def test_rendering_is_deterministic(aw):
    from rarex.documents.render import render

    n = aw.licence()
    data = pdf(aw, n)
    content, meta = attached(data)
    again = render.__wrapped__(content, key_id=meta["kid"], signature=meta["signature"], qr_payload=meta["qr"])
    assert again == data  # drawn anew, not from the cache


def test_one_changed_byte_or_digit_is_tampering(aw):
    n = aw.licence()
    data = pdf(aw, n)
    keys = published_keys(aw)
    content, _ = attached(data)

    digit = content.replace('"quantity":"1250.5"', '"quantity":"9250.5"')
    assert digit != content
    v = verify_pdf(forged(data, digit), keys)
    assert v.outcome == "tampered" and "signature" in v.reason

    i = content.index('"end_use":"') + len('"end_use":"')
    one_byte = content[:i] + ("X" if content[i] != "X" else "Y") + content[i + 1:]
    assert verify_pdf(forged(data, one_byte), keys).outcome == "tampered"

    # The signed content left attached, but the page showing another quantity: caught too.
    page_only = repaged(data, forged(data, digit))
    assert attached(page_only)[0] == content
    v = verify_pdf(page_only, keys)
    assert v.outcome == "tampered" and "1250.5" in v.reason
    assert verify_pdf(repaged(data, data), keys).outcome == "valid"


def test_a_qr_payload_verifies_and_a_changed_one_does_not(aw):
    n = aw.licence()
    _, meta = attached(pdf(aw, n))
    keys = published_keys(aw)
    assert verify_qr(meta["qr"], keys).outcome == "valid"
    changed = meta["qr"].replace("|active|", "|revoked|")
    assert verify_qr(changed, keys).outcome == "tampered"
    assert verify_qr("hello", keys).outcome == "unreadable"
    other_kid = meta["qr"].replace(f"|{meta['kid']}|", "|0123456789abcdef|")
    assert verify_qr(other_kid, keys).outcome == "unknown_key"


def test_qr_payload_fits_a_qr_code_a_phone_reads(aw):
    """Measured: the payload length and the QR version it needs at error correction M."""
    n = aw.licence()
    _, meta = attached(pdf(aw, n))
    payload = meta["qr"]
    qr = segno.make(payload, error="m", micro=False)
    print(f"\nQR payload {len(payload.encode())} bytes -> version {qr.version} ({qr.symbol_size(border=0)[0]} modules), "
          f"error correction {qr.error}")
    assert len(payload.encode()) <= 260
    assert qr.version <= 15 and qr.error == "M"


def test_keys_live_under_the_data_dir_readable_by_the_owner_only(aw):
    aw.licence()
    d = get_settings().data_dir / "keys"
    assert stat.S_IMODE(d.stat().st_mode) == 0o700
    files = list(d.iterdir())
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert len(list(d.glob("signing-*.pem"))) == 1


def test_a_document_signed_by_an_old_key_verifies_after_rotation(aw, cli):
    n = aw.licence()
    old_pdf = pdf(aw, n)
    old_kid = attached(old_pdf)[1]["kid"]

    r = cli("keys", "rotate", "--json")
    assert r.exit_code == 0, r.output
    rotated = json.loads(r.output)
    assert rotated["retired"] == old_kid and rotated["current"] != old_kid
    d = get_settings().data_dir / "keys"
    assert [p.name for p in d.glob("signing-*.pem")] == [f"signing-{rotated['current']}.pem"]  # old private key gone

    control(aw, n, "suspend")
    new_pdf = pdf(aw, n)
    keys = published_keys(aw)
    assert {k.kid: k.retired_at is not None for k in keys.values()} == {old_kid: True, rotated["current"]: False}
    assert verify_pdf(old_pdf, keys).outcome == "valid"
    new = verify_pdf(new_pdf, keys)
    assert new.outcome == "valid" and new.kid == rotated["current"] and new.status == "suspended" and new.document == 2
    # A verifier who only has the new key cannot vouch for the old document.
    only_new = {k: v for k, v in keys.items() if k != old_kid}
    assert verify_pdf(old_pdf, only_new).outcome == "unknown_key"


def test_each_licence_event_issues_a_document(aw, session):
    n = aw.licence()
    control(aw, n, "suspend")
    control(aw, n, "reinstate")
    aw.approve(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1500", "unit": "kg"}])
    control(aw, n, "revoke")
    session.expire_all()
    docs = session.execute(select(LicenceDocument.doc_no, LicenceDocument.event, LicenceDocument.licence_version,
                                  LicenceDocument.status)
                           .where(LicenceDocument.licence_id == aw.row(n).id).order_by(LicenceDocument.doc_no)).all()
    assert [tuple(d) for d in docs] == [(1, "issued", 1, "active"), (2, "suspended", 1, "suspended"),
                                        (3, "reinstated", 1, "active"), (4, "amended", 2, "active"),
                                        (5, "revoked", 2, "revoked")]
    keys = published_keys(aw)
    v1 = verify_pdf(pdf(aw, n, version=1), keys)
    assert (v1.outcome, v1.version, v1.document) == ("valid", 1, 3)
    v2, c2 = verify_pdf(pdf(aw, n), keys), json.loads(attached(pdf(aw, n))[0])
    assert (v2.outcome, v2.version, v2.status) == ("valid", 2, "revoked")
    assert c2["lines"][0]["quantity"] == "1500" and c2["licence"]["status_ground"]["legal_ref"]
    r = aw.client.get(f"/api/v1/licences/{n}/document.pdf?version=7", headers=aw.w.exporter)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


def _first_key(directory: str) -> str:
    from pathlib import Path

    from rarex.documents.keys import Keyring

    return Keyring(Path(directory)).ensure()


def test_workers_starting_together_agree_on_one_first_key(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(4) as pool:
        kids = set(pool.map(_first_key, [str(tmp_path / "keys")] * 8))
    assert len(kids) == 1
    assert [p.name for p in (tmp_path / "keys").glob("signing-*.pem")] == [f"signing-{kids.pop()}.pem"]
    assert len(json.loads((tmp_path / "keys" / "keyring.json").read_text())["keys"]) == 1
