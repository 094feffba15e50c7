"""What the buyer's view answers, and what an invitation takes and gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field


class CoverLine(BaseModel):
    """One licence line naming the end user."""

    licence_no: str
    licence_type: str
    licence_status: str
    holder: str = Field(description="the exporter holding the licence (English name)")
    holder_zh: str
    line_no: int
    control_code: str
    element: str | None = Field(description="the control entry's element symbol, if it has one")
    description: str
    unit: str
    licensed: Decimal
    drawn: Decimal
    remaining: Decimal
    drawn_in_window: Decimal = Field(description="drawn by shipments of the window (see CoverOut.window_from/to)")
    daily_rate: Decimal = Field(description="drawn_in_window / window days")
    days_of_cover: int | None = Field(description="remaining / daily_rate, whole days; null: no recent drawdown")
    valid_to: dt.date
    days_to_expiry: int
    expires_soon: bool
    expires_before_cover_ends: bool = Field(description="the licence ends before the remaining quantity would run out")


class ElementCover(BaseModel):
    """The lines of one element and unit together."""

    element: str | None
    unit: str
    licensed: Decimal
    drawn: Decimal
    remaining: Decimal
    drawn_in_window: Decimal
    daily_rate: Decimal
    days_of_cover: int | None


class ExpiringLicence(BaseModel):
    licence_no: str
    holder: str
    holder_zh: str
    valid_to: dt.date
    days_to_expiry: int


class CoverOut(BaseModel):
    party_id: int
    party_name: str
    country: str
    today: dt.date
    window_days: int
    window_from: dt.date
    window_to: dt.date
    expiring_within_days: int
    lines: list[CoverLine]
    elements: list[ElementCover]
    expiring: list[ExpiringLicence]


class InviteIn(BaseModel):
    party_id: int = Field(ge=1, le=2**31 - 1, description="The end-user party the buyer account follows.")
    username: str = Field(min_length=1, max_length=64)
    display_name: str = Field(default="", max_length=200)


class InvitationOut(BaseModel):
    user_id: int
    username: str
    party_id: int
    token: str = Field(description="shown once: send it (or the link) to the buyer; only its hash is kept")
    set_password_path: str
    expires_at: dt.datetime


class AcceptIn(BaseModel):
    token: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)
