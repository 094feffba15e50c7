"""Amendments of a licence's non-key elements (DUR Art. 18 para. 3).

An amendment is the holder's request to change a licence it holds: add an end user (where the
licence type allows more than one), change a line's licensed quantity, extend validity within
the type's maximum, or correct a non-key detail. It is requested against one licence version,
reviewed by an officer, decided by a different senior officer, and on approval produces the
licence's next version (see :class:`LicenceVersion`).

Each stage has its own timestamp column, so the timeline reads without the audit log; the legal
dates (``requested_on``, ``decided_on``) are dates in the pack's time zone, on which the
20-working-day clock runs.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from rarex.core.db import Base, UTCDateTime, utcnow


class AmendmentStatus(StrEnum):
    #: Received, waiting to be accepted (or deemed accepted) before the 20 days run.
    pending = "pending"
    #: Accepted: the 20-working-day clock runs from ``accepted_on`` (DUR Art. 18 para. 3).
    under_review = "under_review"
    recommended = "recommended"
    approved = "approved"
    refused = "refused"
    withdrawn = "withdrawn"
    #: Closed without a decision because the licence stopped being amendable while the
    #: request was open: it was suspended, revoked, or its validity ended.
    lapsed = "lapsed"


#: Statuses in which the amendment keeps its licence ``under_amendment``.
OPEN_STATUSES = frozenset({AmendmentStatus.pending, AmendmentStatus.under_review, AmendmentStatus.recommended})


class Amendment(Base):
    __tablename__ = "licence_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    #: The holder's organisation, copied from the licence so scoping is one indexed filter.
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[AmendmentStatus] = mapped_column(
        Enum(AmendmentStatus, native_enum=False, length=32, validate_strings=True), index=True,
        default=AmendmentStatus.pending,
    )
    #: The licence version the request was made against; approval makes ``base_version + 1``.
    base_version: Mapped[int] = mapped_column(Integer)
    #: The validated changes, each with the values it replaces as they were at request time.
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)

    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    recommended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lapsed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # Legal dates in the pack's time zone: the 20-working-day clock runs on these.
    requested_on: Mapped[dt.date] = mapped_column(Date)
    #: The 20 working days count from here ("自受理变更申请之日起"): an officer's acceptance, or the
    #: request date itself when nobody acted within the acceptance window (``deemed_accepted``).
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    deemed_accepted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: The day the request closed without a decision (withdrawn or lapsed): the clock stops there.
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    recommended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recommendation: Mapped[str | None] = mapped_column(String(32), nullable=True)
    recommendation_reasons: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(32), nullable=True)
    decision_reasons: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: Why it was withdrawn or why it lapsed.
    closed_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The licence version approval produced.
    resulting_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Requested because a senior officer ordered an amendment after a suspension (DUR Art. 18
    #: para. 4): if it is refused or withdrawn the licence goes back to ``amendment_ordered``,
    #: not to ``active``.
    ordered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LicenceVersion(Base):
    """A licence as it stood before an approved amendment replaced it (DUR Art. 18 para. 3:
    "a new licence replaces the old one"; rarex keeps the number and counts versions).

    The current version is the ``licences`` row itself; this table holds every earlier one, so
    the full history reads from the two. ``lines`` is the quantity lines at the moment of
    replacement, with ``drawn`` as it was then (what customs had drawn under that version).
    Quantities and dates are JSON strings, exactly as the audit log records them.
    """

    __tablename__ = "licence_versions"
    __table_args__ = (UniqueConstraint("licence_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    consignee_address_note: Mapped[str] = mapped_column(Text, default="")
    #: The consignee's and end user's party versions under this licence version; each line in
    #: ``lines`` names its end user's version as ``end_user_version_id``.
    consignee_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)
    end_user_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)
    lines: Mapped[list[dict]] = mapped_column(JSON)
    #: The approved amendment that made this version (None for the version issued).
    made_by_amendment_id: Mapped[int | None] = mapped_column(ForeignKey("licence_amendments.id"), nullable=True)
    #: When this version took effect (issue, or the approval that made it).
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: The approved amendment that replaced this version, and when.
    superseded_by_amendment_id: Mapped[int] = mapped_column(ForeignKey("licence_amendments.id"))
    superseded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
