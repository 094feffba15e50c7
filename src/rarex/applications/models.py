"""Licence applications: items, documents, automated check results, clock stops.

Status moves only through :data:`rarex.applications.flows.TRANSITIONS`; each stage has its
own timestamp column so the timeline can be read without the audit log.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rarex.core.db import Base, ExactDecimal, UTCDateTime, utcnow


class ApplicationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    under_review = "under_review"
    information_requested = "information_requested"
    recommended = "recommended"
    approved = "approved"
    refused = "refused"
    withdrawn = "withdrawn"


def _enum(e):
    return Enum(e, native_enum=False, length=32, validate_strings=True)


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    licence_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[ApplicationStatus] = mapped_column(_enum(ApplicationStatus), index=True, default=ApplicationStatus.draft)
    consignee_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), nullable=True)
    end_user_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), nullable=True)
    #: The party version screened and decided on, frozen on submission (null while a draft,
    #: which follows the party's newest version).
    consignee_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)
    end_user_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)
    end_use: Mapped[str] = mapped_column(Text, default="")
    #: The end use as a code of the policy pack's end_use_categories: prohibitions are judged on it.
    end_use_category: Mapped[str] = mapped_column(String(40), default="unknown", server_default="unknown")
    requested_validity_months: Mapped[int | None] = mapped_column(Integer, nullable=True)

    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    recommended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # Legal dates in the pack's time zone: the deadline clock runs on these.
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: Accepted by operation of law: nobody accepted or returned it within the pack's acceptance
    #: window, so ``accepted_on`` is the day the materials were received (Admin. Licensing Law Art. 32).
    deemed_accepted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    #: Referred to the State Council (DUR Art. 17 para. 2): from then no decision deadline runs.
    referred_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    referred_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    referred_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    referral_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    assigned_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recommended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recommendation: Mapped[str | None] = mapped_column(String(32), nullable=True)
    recommendation_reasons: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(32), nullable=True)
    decision_reasons: Mapped[str | None] = mapped_column(Text, nullable=True)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: A senior officer's special approval of a deal with a party a list measure (the control
    #: list) subjects to it: who gave it, when, and the listings it covered.
    special_approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    special_approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    special_approval_listings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    #: The licence this application asks to replace ("apply again from this licence"): a change
    #: of a key element is a new application, and the old licence is handed back when this one
    #: is granted (DUR Art. 18 para. 2).
    replaces_licence_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id", use_alter=True), nullable=True,
                                                            index=True)

    items: Mapped[list[ApplicationItem]] = relationship(
        back_populates="application", order_by="ApplicationItem.line_no", cascade="all, delete-orphan", lazy="selectin"
    )
    documents: Mapped[list[ApplicationDocument]] = relationship(
        back_populates="application", order_by="ApplicationDocument.id", lazy="selectin"
    )
    checks: Mapped[list[CheckResult]] = relationship(
        back_populates="application", order_by="CheckResult.id", cascade="all, delete-orphan", lazy="selectin"
    )
    clock_stops: Mapped[list[ClockStop]] = relationship(
        back_populates="application", order_by="ClockStop.id", lazy="selectin"
    )
    information_requests: Mapped[list[InformationRequest]] = relationship(
        back_populates="application", order_by="InformationRequest.id", lazy="selectin"
    )


class ApplicationItem(Base):
    __tablename__ = "application_items"
    __table_args__ = (UniqueConstraint("application_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    control_code: Mapped[str] = mapped_column(String(32))
    hs_code: Mapped[str] = mapped_column(String(16), default="")
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal(6))
    unit: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(ExactDecimal(2))
    currency: Mapped[str] = mapped_column(String(3))
    end_user_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), nullable=True)
    #: The party version screened and decided on, frozen on submission (null while a draft,
    #: which follows the party's newest version).
    end_user_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)

    application: Mapped[Application] = relationship(back_populates="items")


class ApplicationDocument(Base):
    """An uploaded document; the content lives on disk under its SHA-256."""

    __tablename__ = "application_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="documents")


class CheckResult(Base):
    """One automated check's outcome for one submission, with its reason."""

    __tablename__ = "application_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    check: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(16), comment="pass, fail, warn or info")
    message: Mapped[str] = mapped_column(Text)
    #: The same reason in Chinese; NULL on rows written before it was kept (pages show the English).
    message_zh: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[Any] = mapped_column(JSON, nullable=True)
    run_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="checks")


class InformationRequest(Base):
    """The officer asks the applicant for more after acceptance; the case waits for the answer,
    but the decision deadline keeps running (FACTS.md 1.6: not a DUR Art. 17 para. 3 stop)."""

    __tablename__ = "application_information_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    request: Mapped[str] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    responded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    application: Mapped[Application] = relationship(back_populates="information_requests")


class ClockStop(Base):
    """A period during which the decision deadline does not run (DUR Art. 17 para. 3): a
    technical identification, an expert opinion or an on-site check, started and ended by an
    officer. ``request`` is why it was started, ``response`` what came of it."""

    __tablename__ = "application_clock_stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    request: Mapped[str] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    responded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    application: Mapped[Application] = relationship(back_populates="clock_stops")
