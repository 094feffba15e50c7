"""What a licence document says, as canonical JSON, and the seal its QR code carries.

Canonical form: UTF-8 JSON with no whitespace between tokens (``separators=(",", ":")``),
non-ASCII characters as themselves (``ensure_ascii=False``), quantities and dates as strings,
and objects with their keys in exactly this order (:data:`FIELD_ORDER`; a verifier refuses any
other order, so one document has one byte form):

.. code-block:: text

    schema      "rarex.licence-document/1"
    document    {no, event, issued_at}                  # nth document of the licence, why, when (UTC)
    authority   {name_zh, name_en, legal_ref}           # a role, never a person
    licence     {number, version, type, type_zh, type_en, status, status_ground,
                 valid_from, valid_to}                  # status_ground: {code, label_zh, label_en, legal_ref} or null
    holder      {name_zh, name_en, uscc}                # unified social credit code
    consignee   {name, name_local, country} or null
    items       [{control_code, description_zh, description_en, legal_ref}]   # each control code once
    lines       [{line_no, control_code, hs_code, description, end_user, country, quantity, unit}]
    end_users   [{name, name_local, country}]
    end_use     text
    conditions  [text]

The seal is one line for the QR code, fields separated by ``|``::

    RXL1|<number>|<version>|<document no>|<status>|<valid_to>|<base64url SHA-256 of the canonical JSON>

and the QR payload is ``<seal>|<kid>|<base64url Ed25519 signature of the seal>``. The seal's
signature covers the content through its hash, so the QR code alone proves which document
the authority issued; the PDF carries the full content with its own signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core.units import plain
from rarex.documents.keys import b64url
from rarex.licences.models import Licence, LicenceLine
from rarex.parties.models import Organisation
from rarex.parties.versions import PartyView, resolve
from rarex.policy.service import get_pack

SCHEMA = "rarex.licence-document/1"
SEAL_TAG = "RXL1"

#: The keys of every object in a document, in their canonical order ("" is the top level).
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "": ("schema", "document", "authority", "licence", "holder", "consignee", "items", "lines", "end_users",
         "end_use", "conditions"),
    "document": ("no", "event", "issued_at"),
    "authority": ("name_zh", "name_en", "legal_ref"),
    "licence": ("number", "version", "type", "type_zh", "type_en", "status", "status_ground", "valid_from", "valid_to"),
    "status_ground": ("code", "label_zh", "label_en", "legal_ref"),
    "holder": ("name_zh", "name_en", "uscc"),
    "consignee": ("name", "name_local", "country"),
    "items": ("control_code", "description_zh", "description_en", "legal_ref"),
    "lines": ("line_no", "control_code", "hs_code", "description", "end_user", "country", "quantity", "unit"),
    "end_users": ("name", "name_local", "country"),
}


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_b64(data: bytes) -> str:
    return b64url(hashlib.sha256(data).digest())


class NotCanonical(ValueError):
    """The bytes are not a canonical licence document (names where)."""


def _check_order(obj: Any, where: str) -> None:
    if isinstance(obj, list):
        for x in obj:
            _check_order(x, where)
        return
    if not isinstance(obj, dict):
        return
    want = FIELD_ORDER.get(where)
    if want is None or tuple(obj) != want:
        raise NotCanonical(f"{where or 'top level'}: fields {list(obj)} are not {list(want or ())}")
    for k, v in obj.items():
        if k in FIELD_ORDER and v is not None:
            _check_order(v, k)


def parse(data: bytes) -> dict[str, Any]:
    """The content of canonical bytes; :class:`NotCanonical` if they are anything else."""
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotCanonical(f"not UTF-8 JSON: {exc}") from None
    if not isinstance(content, dict) or content.get("schema") != SCHEMA:
        raise NotCanonical(f"not a {SCHEMA} document")
    _check_order(content, "")
    if canonical(content) != data:
        raise NotCanonical("not in canonical form (whitespace, escapes or number form differ)")
    return content


def _party(p: PartyView | None) -> dict[str, str] | None:
    return None if p is None else {"name": p.name, "name_local": p.name_local, "country": p.country}


def _qty(q: Decimal) -> str:
    return str(plain(q))


def _line(line: LicenceLine, end_user: PartyView | None) -> dict[str, Any]:
    return {"line_no": line.line_no, "control_code": line.control_code, "hs_code": line.hs_code,
            "description": line.description, "end_user": end_user.name if end_user else "",
            "country": end_user.country if end_user else "", "quantity": _qty(line.licensed), "unit": line.unit}


def build(session: Session, lic: Licence, doc_no: int, event: str, at: dt.datetime) -> dict[str, Any]:
    """The document of ``lic`` as it stands now (parties as the licence was decided on)."""
    pack = get_pack()
    org = session.execute(select(Organisation).where(Organisation.id == lic.org_id)).scalar_one()
    consignee_ref = (lic.consignee_id, lic.consignee_version_id) if lic.consignee_id else None
    refs = [(line.end_user_id, line.end_user_version_id) for line in lic.lines if line.end_user_id]
    parties = resolve(session, [*refs, *([consignee_ref] if consignee_ref else [])])
    lt = pack.licence_types.get(lic.licence_type)
    ground = pack.grounds.get(lic.status_ground) if lic.status_ground else None
    authority = pack.authority
    items: dict[str, dict[str, str]] = {}
    for line in lic.lines:
        entry = pack.entry(line.control_code)
        items.setdefault(line.control_code, {
            "control_code": line.control_code,
            "description_zh": entry.description_zh if entry else "",
            "description_en": entry.description_en if entry else line.description,
            "legal_ref": entry.legal_ref if entry else "",
        })
    end_users: dict[tuple[int, int | None], dict[str, str] | None] = {}
    for ref in refs:
        end_users.setdefault(ref, _party(parties.get(ref)))
    return {
        "schema": SCHEMA,
        "document": {"no": doc_no, "event": event, "issued_at": at.astimezone(dt.UTC).isoformat(timespec="seconds")},
        "authority": {
            "name_zh": authority.name_zh if authority else "许可机关",
            "name_en": authority.name_en if authority else "Licensing authority",
            "legal_ref": authority.legal_ref if authority else "",
        },
        "licence": {
            "number": lic.number, "version": lic.version, "type": lic.licence_type,
            "type_zh": lt.label_zh if lt else lic.licence_type, "type_en": lt.label_en if lt else lic.licence_type,
            "status": str(lic.status),
            "status_ground": None if ground is None else {
                "code": ground.code, "label_zh": ground.label_zh, "label_en": ground.label_en, "legal_ref": ground.legal_ref},
            "valid_from": lic.valid_from.isoformat(), "valid_to": lic.valid_to.isoformat(),
        },
        "holder": {"name_zh": org.name_zh, "name_en": org.name_en, "uscc": org.uscc},
        "consignee": _party(parties.get(consignee_ref)) if consignee_ref else None,
        "items": sorted(items.values(), key=lambda x: x["control_code"]),
        "lines": [_line(line, parties.get((line.end_user_id, line.end_user_version_id)) if line.end_user_id else None)
                  for line in lic.lines],
        "end_users": [p for p in end_users.values() if p is not None],
        "end_use": lic.end_use,
        "conditions": list(lic.conditions or []),
    }


def seal(content: dict[str, Any], content_bytes: bytes) -> str:
    lic, doc = content["licence"], content["document"]
    return "|".join([SEAL_TAG, lic["number"], str(lic["version"]), str(doc["no"]), lic["status"], lic["valid_to"],
                     sha256_b64(content_bytes)])


def split_payload(payload: str) -> tuple[str, dict[str, str], str, str]:
    """(seal, its fields, kid, signature) of a QR payload; ValueError if it is not one."""
    parts = payload.strip().split("|")
    if len(parts) != 9 or parts[0] != SEAL_TAG:
        raise ValueError(f"not a rarex licence QR payload (expected {SEAL_TAG}|number|version|document|status|"
                         "valid_to|hash|kid|signature)")
    fields = dict(zip(("number", "version", "document", "status", "valid_to", "sha256"), parts[1:7], strict=True))
    return "|".join(parts[:7]), fields, parts[7], parts[8]
