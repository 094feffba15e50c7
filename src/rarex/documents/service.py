"""Issuing, finding and publicly checking signed licence documents.

A document is issued in the transaction of each licence event that changes what the licence
says or whether it may be used (:data:`ISSUING_EVENTS`): the licence hooks call
:func:`on_licence_event`, registered when this module is imported (the web app and the CLI
import every domain at start). The signed canonical JSON is stored; the PDF is rendered from
it on demand, so every download of a document is the same file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.core.errors import NotFound
from rarex.documents import content as doc_content
from rarex.documents.keys import Keyring, b64url
from rarex.documents.models import LicenceDocument
from rarex.licences import hooks
from rarex.licences import service as licences
from rarex.licences.models import Licence

#: Licence events that issue a document, and the name the document gives the event.
ISSUING_EVENTS = {
    "licence.issued": "issued",
    "licence.amended": "amended",
    "licence.suspended": "suspended",
    "licence.reinstated": "reinstated",
    "licence.withdrawn": "withdrawn",
    "licence.revoked": "revoked",
}


def issue(session: Session, lic: Licence, event: str, at: dt.datetime, keyring: Keyring | None = None) -> LicenceDocument:
    """Sign and store the document of ``lic`` as it stands, numbered after its last one."""
    session.flush()
    last = session.execute(select(func.max(LicenceDocument.doc_no)).where(LicenceDocument.licence_id == lic.id)).scalar()
    doc_no = (last or 0) + 1
    content = doc_content.build(session, lic, doc_no, event, at)
    data = doc_content.canonical(content)
    kid, key = (keyring or Keyring()).signing_key()  # one key signs the content and the seal
    signature = key.sign(data)
    seal = doc_content.seal(content, data)
    seal_signature = key.sign(seal.encode("utf-8"))
    row = LicenceDocument(
        licence_id=lic.id, doc_no=doc_no, licence_version=lic.version, event=event, status=str(lic.status),
        issued_at=at, content=data.decode("utf-8"), content_sha256=doc_content.sha256_b64(data), key_id=kid,
        signature=b64url(signature), seal=seal, seal_signature=b64url(seal_signature),
    )
    session.add(row)
    session.flush()
    return row


def on_licence_event(session: Session, lic: Licence, type: str, at: dt.datetime) -> None:
    event = ISSUING_EVENTS.get(type)
    if event is not None:
        issue(session, lic, event, at)


hooks.on_licence_event(on_licence_event)


def qr_payload(doc: LicenceDocument) -> str:
    return f"{doc.seal}|{doc.key_id}|{doc.seal_signature}"


def document(session: Session, actor: Principal, number: str, version: int | None = None) -> LicenceDocument:
    """The latest document of a licence the caller may read (of licence ``version`` when given).

    An exporter asking for another organisation's licence gets the same 404 as for a number
    that does not exist (licences.get scopes it)."""
    lic = licences.get(session, actor, number)
    stmt = select(LicenceDocument).where(LicenceDocument.licence_id == lic.id)
    if version is not None:
        stmt = stmt.where(LicenceDocument.licence_version == version)
    doc = session.execute(stmt.order_by(LicenceDocument.doc_no.desc()).limit(1)).scalar_one_or_none()
    if doc is None:
        what = f"version {version} of licence {number}" if version is not None else f"licence {number}"
        raise NotFound(f"no signed document of {what}" + (f" (it is at version {lic.version})" if version else ""))
    return doc


def latest_document(session: Session, licence_id: int) -> LicenceDocument | None:
    return session.execute(select(LicenceDocument).where(LicenceDocument.licence_id == licence_id)
                           .order_by(LicenceDocument.doc_no.desc()).limit(1)).scalar_one_or_none()


def documented_versions(session: Session, licence_id: int) -> set[int]:
    """The licence versions that have a signed document (those issued before documents existed may not)."""
    return set(session.execute(select(LicenceDocument.licence_version).where(LicenceDocument.licence_id == licence_id)
                               .distinct()).scalars())


@dataclass(frozen=True)
class PublicLine:
    line_no: int
    unit: str
    remaining: Decimal


@dataclass(frozen=True)
class PublicStatus:
    """All that the public may learn of a licence: nothing about the holder's business beyond
    whether the licence stands, which version is current, its validity and what remains."""

    number: str
    status: str
    version: int
    valid_from: dt.date
    valid_to: dt.date
    lines: list[PublicLine]
    latest_document: int | None
    latest_sha256: str | None


def public_status(session: Session, number: str) -> PublicStatus:
    """A licence's public status by its number (no sign-in); 404 for an unknown number."""
    lic = session.execute(select(Licence).where(Licence.number == number)).scalar_one_or_none()
    if lic is None:
        raise NotFound(f"no licence {number}")
    doc = latest_document(session, lic.id)
    return PublicStatus(
        number=lic.number, status=str(lic.status), version=lic.version, valid_from=lic.valid_from, valid_to=lic.valid_to,
        lines=[PublicLine(line.line_no, line.unit, line.remaining) for line in lic.lines],
        latest_document=doc.doc_no if doc else None, latest_sha256=doc.content_sha256 if doc else None,
    )
