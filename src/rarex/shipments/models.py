"""Shipments: one export declaration drawing on one licence's quantity lines.

The declaration number is unique: it is the idempotency key customs resends with, and
``content_hash`` (the SHA-256 of the declaration's canonical content) tells a faithful resend
from a different declaration reusing a number. A cancelled shipment keeps its row, so its
number can never be used again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rarex.core.db import Base, ExactDecimal, UTCDateTime


class ShipmentStatus(StrEnum):
    recorded = "recorded"
    cancelled = "cancelled"


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration: Mapped[str] = mapped_column(String(40), unique=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    status: Mapped[ShipmentStatus] = mapped_column(
        Enum(ShipmentStatus, native_enum=False, length=16, validate_strings=True), index=True
    )
    shipped_on: Mapped[dt.date] = mapped_column(Date, index=True)
    port: Mapped[str] = mapped_column(String(64), default="")
    content_hash: Mapped[str] = mapped_column(String(64))

    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recorded_by_name: Mapped[str] = mapped_column(String(120))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    cancelled_by_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    lines: Mapped[list[ShipmentLine]] = relationship(
        back_populates="shipment", order_by="ShipmentLine.line_no", cascade="all, delete-orphan", lazy="selectin"
    )


class ShipmentLine(Base):
    """One line of a declaration: what customs declared, and what it drew in the licence line's unit."""

    __tablename__ = "shipment_lines"
    __table_args__ = (UniqueConstraint("shipment_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    licence_line_id: Mapped[int] = mapped_column(ForeignKey("licence_lines.id"), index=True)
    item: Mapped[str] = mapped_column(String(32))
    end_user: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal(6))
    unit: Mapped[str] = mapped_column(String(16))
    #: ``quantity`` converted exactly into the licence line's unit: what was drawn (and what a
    #: cancellation gives back).
    drawn: Mapped[Decimal] = mapped_column(ExactDecimal(6))
    drawn_unit: Mapped[str] = mapped_column(String(16))

    shipment: Mapped[Shipment] = relationship(back_populates="lines")
