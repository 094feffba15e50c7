"""Shipment request and response bodies. Quantities travel as strings in JSON (never floats);
``item`` and ``end_user`` are the values ``GET /api/v1/licences/{number}`` shows on its lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from rarex.core.inputs import InputDate, InputModel
from rarex.shipments.models import ShipmentStatus

#: Letters, digits, dot, dash, underscore; stored upper-case (``abc-1`` and ``ABC-1`` are the
#: same declaration). China's customs declaration numbers are 18 digits; other systems differ.
DECLARATION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"


def _as_text(value: Any) -> Any:
    """Party ids may come as JSON numbers; licences show them as strings."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class _In(InputModel):
    model_config = ConfigDict(str_strip_whitespace=True)


class ShipmentLineIn(_In):
    item: str = Field(min_length=1, max_length=32, description="control-list entry as on the licence line", examples=["1C905.b"])
    end_user: Annotated[str, BeforeValidator(_as_text)] = Field(
        max_length=20, description="the end user's party id, as on the licence line", examples=["12"])
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6, description="more than zero, at most 6 decimal places",
                              examples=["250.5"])
    unit: str | None = Field(default=None, max_length=16, description="g, kg, t or pieces; default: the licence line's unit")


class ShipmentIn(_In):
    declaration: str = Field(pattern=DECLARATION_PATTERN, description="export declaration number (the idempotency key)",
                             examples=["223420250000123456"])
    date: InputDate = Field(description="declaration date; must fall within the licence's validity")
    port: str = Field(default="", max_length=64, description="customs port of export", examples=["CNTSN"])
    lines: list[ShipmentLineIn] = Field(min_length=1, max_length=200)


class CancelIn(_In):
    reason: str = Field(min_length=3, max_length=5000)


class ShipmentLineOut(BaseModel):
    line_no: int
    item: str
    end_user: str
    quantity: Decimal = Field(description="as declared")
    unit: str
    drawn: Decimal = Field(description="drawn from the licence line, in its unit")
    drawn_unit: str


class ShipmentOut(BaseModel):
    declaration: str
    licence: str
    status: ShipmentStatus
    date: dt.date
    port: str
    lines: list[ShipmentLineOut]
    recorded_at: dt.datetime
    recorded_by: str
    cancelled_at: dt.datetime | None
    cancelled_by: str | None
    cancel_reason: str | None


class ShipmentRow(BaseModel):
    """One CSV row per shipment line; its first eight columns are the import layout."""

    declaration: str
    licence: str
    date: dt.date
    port: str
    item: str
    end_user: str
    quantity: Decimal
    unit: str
    drawn: Decimal
    drawn_unit: str
    status: ShipmentStatus
    recorded_at: dt.datetime
    cancelled_at: dt.datetime | None


class ShipmentPage(BaseModel):
    items: list[ShipmentOut]
    next_cursor: str | None
