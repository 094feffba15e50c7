"""Price series imported beside the statistics (NdPr oxide, Dy oxide, ...): one price per day,
product, currency, unit and source, so re-importing the same file changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rarex.core.db import Base, ExactDecimal, UTCDateTime, utcnow

#: Decimal places a price keeps (prices are quoted to cents or finer, never rounded).
PRICE_PLACES = 4


class PricePoint(Base):
    __tablename__ = "price_points"
    __table_args__ = (UniqueConstraint("priced_on", "product", "currency", "unit", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    priced_on: Mapped[dt.date] = mapped_column(Date, index=True)
    product: Mapped[str] = mapped_column(String(80))
    price: Mapped[Decimal] = mapped_column(ExactDecimal(PRICE_PLACES))
    currency: Mapped[str] = mapped_column(String(3))
    unit: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(120))
