"""Licences and their quantity lines (the caps customs draws down against)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rarex.core.db import Base, ExactDecimal, UTCDateTime, utcnow
from rarex.core.units import plain


class LicenceStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    revoked = "revoked"
    expired = "expired"
    #: Every line fully drawn, or (a type with ``ends_when_used``) its one export made.
    exhausted = "exhausted"
    #: An amendment is pending: the licence may not be used until it is decided or withdrawn
    #: (DUR Art. 18). Shipments are refused because they draw only on active licences.
    under_amendment = "under_amendment"
    #: The holder applied again to change a key element (DUR Art. 18 para. 2): from the
    #: replacing application's submission until its decision, exports under this licence stop.
    replacement_pending = "replacement_pending"
    #: The replacing application was granted: this licence was handed back (final). Its drawn
    #: quantities stay on the record; ``replaced_by_id`` names the new licence.
    handed_back = "handed_back"
    #: After a suspension a senior officer ordered an amendment (DUR Art. 18 para. 4): unusable
    #: until the holder's amendment is decided.
    amendment_ordered = "amendment_ordered"
    #: Withdrawn (撤回) after a suspension: lawfully granted, but the circumstances it rested on
    #: changed (final). Distinct from ``revoked`` (撤销).
    withdrawn = "withdrawn"


#: Statuses a licence never leaves.
FINAL = frozenset({LicenceStatus.revoked, LicenceStatus.expired, LicenceStatus.handed_back, LicenceStatus.withdrawn})


class Licence(Base):
    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    licence_type: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[LicenceStatus] = mapped_column(
        Enum(LicenceStatus, native_enum=False, length=32, validate_strings=True), index=True
    )
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    consignee_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), nullable=True)
    end_user_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), nullable=True)
    #: The party version the licence was decided on (copied from the application).
    consignee_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)
    end_user_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)
    end_use: Mapped[str] = mapped_column(Text, default="")
    #: The end use's category as decided (copied from the application): prohibitions read it.
    end_use_category: Mapped[str] = mapped_column(String(40), default="unknown", server_default="unknown")
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The holder must report on the deal (a party under a control-list measure: ECL Art. 18;
    #: DUR Arts. 28-30); ``report_reason`` names the listings and their legal references.
    report_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    report_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date, index=True)
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The pack ground (grounds.yaml) of the last suspension, reinstatement, ordered amendment,
    #: withdrawal or revocation.
    status_ground: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: The licence this one replaced (its holder applied again from it), and the one that
    #: replaced it when it was handed back (DUR Art. 18 para. 2).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id"), nullable=True)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id"), nullable=True)
    #: A revocation proposed because an Art. 20 exclusion arose for the holder: its ground,
    #: the reason naming the condition, and when; it waits for a senior officer's signature.
    revocation_proposed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    revocation_ground: Mapped[str | None] = mapped_column(String(64), nullable=True)
    revocation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: A non-key detail an amendment may correct (DUR Art. 18 para. 3): where the consignee
    #: takes delivery, when that refines the party's address on file.
    consignee_address_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: 1 when issued; each approved amendment adds one, the number stays (licence_versions
    #: keeps every earlier version).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    suspended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reinstated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    exhausted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: When a cancelled shipment gave an exhausted licence quantity back and it became active again.
    replenished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Last time an amendment request put the licence under amendment (rarex.amendments).
    amendment_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Last time an approved amendment made a new version.
    amended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Last time a refused, withdrawn or lapsed amendment let the licence be used again unchanged.
    amendment_closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Last time a replacing application's submission stopped use, and last time its refusal
    #: or withdrawal let use resume.
    replacement_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    replacement_closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    handed_back_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    amendment_ordered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def revocation_pending(self) -> bool:
        """A proposed revocation waits for a senior officer's signature."""
        return self.revocation_proposed_at is not None and self.status not in FINAL

    lines: Mapped[list[LicenceLine]] = relationship(
        back_populates="licence", order_by="LicenceLine.line_no", cascade="all, delete-orphan", lazy="selectin"
    )


class LicenceLine(Base):
    """One licensed quantity of one item for one end user; ``drawn`` never exceeds ``licensed``."""

    __tablename__ = "licence_lines"
    __table_args__ = (UniqueConstraint("licence_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    control_code: Mapped[str] = mapped_column(String(32))
    hs_code: Mapped[str] = mapped_column(String(16), default="")
    description: Mapped[str] = mapped_column(Text)
    end_user_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), nullable=True)
    #: The end user's party version as the line was decided on (issue, or the amendment adding it).
    end_user_version_id: Mapped[int | None] = mapped_column(ForeignKey("party_versions.id"), nullable=True)
    unit: Mapped[str] = mapped_column(String(16))
    licensed: Mapped[Decimal] = mapped_column(ExactDecimal(6))
    drawn: Mapped[Decimal] = mapped_column(ExactDecimal(6), default=Decimal(0))
    value: Mapped[Decimal] = mapped_column(ExactDecimal(2))
    currency: Mapped[str] = mapped_column(String(3))

    licence: Mapped[Licence] = relationship(back_populates="lines")

    @property
    def remaining(self) -> Decimal:
        return plain(self.licensed - self.drawn)  # 1750.5 - 1250.5 is 500, not "500.0"
