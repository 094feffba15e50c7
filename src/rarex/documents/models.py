"""Signed licence documents: one row per licence event that issues a document.

A row keeps exactly the bytes that were signed (``content``, the canonical JSON), their
signature and key id, and the seal the QR code carries with its own signature, so the PDF can
be rendered again identically at any time and verified years later against the published keys.
Rows are never changed: a new version or a change of status adds a row.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rarex.core.db import Base, UTCDateTime


class LicenceDocument(Base):
    __tablename__ = "licence_documents"
    __table_args__ = (UniqueConstraint("licence_id", "doc_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    #: 1, 2, ... per licence, in the order the documents were issued.
    doc_no: Mapped[int] = mapped_column(Integer)
    #: The licence version the document states (1 when issued; each approved amendment adds one).
    licence_version: Mapped[int] = mapped_column(Integer)
    #: What issued it: issued, amended, suspended, reinstated, withdrawn, revoked.
    event: Mapped[str] = mapped_column(String(32))
    #: The licence status the document states.
    status: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: The canonical JSON, exactly the UTF-8 text that was signed.
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    #: base64url Ed25519 signature over ``content``.
    signature: Mapped[str] = mapped_column(String(100))
    #: The short statement the QR code carries (it names ``content``'s SHA-256) and its signature.
    seal: Mapped[str] = mapped_column(Text)
    seal_signature: Mapped[str] = mapped_column(String(100))
