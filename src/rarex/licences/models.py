"""Licences and their quantity lines (the caps customs draws down against)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rarex.core.db import Base, ExactDecimal, UTCDateTime, utcnow


class LicenceStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    revoked = "revoked"
    expired = "expired"


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
    end_use: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date, index=True)
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    suspended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reinstated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    lines: Mapped[list["LicenceLine"]] = relationship(
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
    unit: Mapped[str] = mapped_column(String(16))
    licensed: Mapped[Decimal] = mapped_column(ExactDecimal(6))
    drawn: Mapped[Decimal] = mapped_column(ExactDecimal(6), default=Decimal(0))
    value: Mapped[Decimal] = mapped_column(ExactDecimal(2))
    currency: Mapped[str] = mapped_column(String(3))

    licence: Mapped[Licence] = relationship(back_populates="lines")

    @property
    def remaining(self) -> Decimal:
        return self.licensed - self.drawn
