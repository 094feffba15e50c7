"""Restricted-party lists as versioned snapshots, and the hits screening finds on cases.

A list (``cn-unreliable-entity-list``, ``us-entity-list``, ...) has versions: every import of
a file that differs from the newest version (by SHA-256) becomes a new version, and old
versions are kept, so a decision can be replayed against what the list said on its date.
Entities belong to one version and keep the id they have in the imported file.

A hit ties a screened party (the consignee or an end user of an application, or an end user of
an active licence when a list changes) to a list entity, with its score and explanation. An
open hit at or above the alert threshold blocks the case until an officer resolves it as a
false positive or a confirmed match, with a reason; the resolution is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rarex.core.db import Base, UTCDateTime, utcnow


class ScreeningList(Base):
    __tablename__ = "screening_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True, comment="slug given at import: cn-unreliable-entity-list")
    title: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    #: The versions in force or once in force; a version still being imported (staged) is not one.
    versions: Mapped[list[ListVersion]] = relationship(
        back_populates="list", order_by="ListVersion.version", lazy="selectin", viewonly=True,
        primaryjoin="and_(ScreeningList.id == ListVersion.list_id, ListVersion.staged_at.is_(None))",
    )


class ListVersion(Base):
    """One imported snapshot of a list: where it came from, when, and what it held.

    A large file is written in many short transactions (so the rest of rarex keeps its turn at
    the database) into a *staged* version, which no screening, search or listing sees; one last
    short transaction makes it the list's newest version (see :mod:`rarex.screening.list_import`).
    """

    __tablename__ = "screening_list_versions"
    __table_args__ = (UniqueConstraint("list_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("screening_lists.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, comment="1, 2, ... per list, in import order")
    source: Mapped[str] = mapped_column(String(500), comment="file name or address it was imported from")
    publisher: Mapped[str] = mapped_column(String(300), default="")
    published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True, comment="the list's own date, if known")
    format: Mapped[str] = mapped_column(String(40), comment="ftm, opensanctions-csv, csv")
    checksum: Mapped[str] = mapped_column(String(64), comment="SHA-256 of the imported file")
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[list[Any]] = mapped_column(JSON, default=list, comment="[{row, reason}] of rows not imported")
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    imported_by: Mapped[str] = mapped_column(String(120), default="")
    staged_at: Mapped[dt.datetime | None] = mapped_column(
        UTCDateTime, nullable=True, default=None,
        comment="set while the import is still writing (the time of its last batch); null once in force",
    )
    index_key: Mapped[str | None] = mapped_column(
        String(32), nullable=True, default=lambda: uuid.uuid4().hex,
        comment="names this version's persisted match index (screening/index_store.py); unique per row ever made",
    )

    list: Mapped[ScreeningList] = relationship(lazy="joined")


class ListEntity(Base):
    """An entity as one version of a list gives it."""

    __tablename__ = "screening_entities"
    __table_args__ = (UniqueConstraint("version_id", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("screening_list_versions.id"), index=True)
    entity_id: Mapped[str] = mapped_column(String(200), comment="the id the entity has in the imported file")
    schema: Mapped[str] = mapped_column(String(40), default="LegalEntity", comment="FollowTheMoney schema or similar")
    name: Mapped[str] = mapped_column(String(1000))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list, comment="ISO 3166-1 alpha-2, lower case")
    programs: Mapped[list[str]] = mapped_column(JSON, default=list)
    identifiers: Mapped[list[str]] = mapped_column(JSON, default=list, comment="registration, tax and similar numbers")
    addresses: Mapped[list[str]] = mapped_column(JSON, default=list)
    listed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class HitStatus(StrEnum):
    open = "open"
    false_positive = "false_positive"  # cleared: not the listed entity
    confirmed = "confirmed"  # the party is the listed entity


class ScreeningHit(Base):
    """A screened party matched a list entity (on an application, or on an active licence
    when a list changed)."""

    __tablename__ = "screening_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), nullable=True, index=True)
    licence_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id"), nullable=True, index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True, comment="the exporter's, for scoping")
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    #: The version of the party that was screened (null on hits from before party versions).
    party_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)
    party_role: Mapped[str] = mapped_column(String(20), comment="consignee or end_user")
    query: Mapped[str] = mapped_column(String(1000), comment="the name screened, as the party gave it")

    entity_ref: Mapped[int] = mapped_column(ForeignKey("screening_entities.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("screening_list_versions.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(80))
    entity_id: Mapped[str] = mapped_column(String(200))
    entity_name: Mapped[str] = mapped_column(String(1000))
    score: Mapped[float] = mapped_column(Float)
    alert: Mapped[bool] = mapped_column(Boolean, comment="score reached the alert threshold when screened")
    explanation: Mapped[str] = mapped_column(Text)

    status: Mapped[HitStatus] = mapped_column(
        Enum(HitStatus, native_enum=False, length=16, validate_strings=True), default=HitStatus.open, index=True
    )
    screened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolved_by_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    resolution_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
