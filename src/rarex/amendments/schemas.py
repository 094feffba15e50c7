"""Amendment request and response bodies.

The request carries a list of changes, each tagged by ``kind``. The schema checks shape only
(types, ranges, unknown fields); what a change may do to *this* licence (is the line there, is
the quantity below what is drawn, is the date within the type's maximum, is the field a key
element) needs the licence and is checked by the service, which names the change's index and
field in its 422. Decimals travel as strings so no quantity is rounded through a float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rarex.amendments.models import AmendmentStatus
from rarex.applications.deadline import ClockState
from rarex.applications.schemas import DeadlineOut
from rarex.core.inputs import InputDate, InputModel

Quantity = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=6)]


class _In(InputModel):
    model_config = ConfigDict(str_strip_whitespace=True)


class ChangeQuantity(_In):
    """Set a line's licensed quantity, in the line's unit; never below what is already drawn."""

    kind: Literal["change_quantity"]
    line_no: int = Field(ge=1, le=100000)
    quantity: Quantity
    unit: str | None = Field(default=None, min_length=1, max_length=16,
                             description="if given, must be the line's unit (no conversion is implied)")


class ExtendValidity(_In):
    """Move the last day of validity later, up to valid_from + the type's maximum validity."""

    kind: Literal["extend_validity"]
    valid_to: InputDate


class CorrectDetail(_In):
    """Correct a non-key detail: a line's ``description`` or ``hs_code``, or the licence's
    ``consignee_address_note``. Key elements (item type, destination country, end user, end
    use) are refused: they need a new application (DUR Art. 18)."""

    kind: Literal["correct_detail"]
    field: str = Field(min_length=1, max_length=64, examples=["description"],
                       description="description, hs_code (both need line_no) or consignee_address_note")
    line_no: int | None = Field(default=None, ge=1, le=100000)
    value: str = Field(max_length=2000)


Change = Annotated[ChangeQuantity | ExtendValidity | CorrectDetail, Field(discriminator="kind")]


class AmendmentIn(_In):
    changes: list[Change] = Field(min_length=1, max_length=50)
    reason: str = Field(min_length=3, max_length=5000, description="why the holder asks for the amendment")


class RecommendIn(_In):
    recommendation: Literal["approve", "refuse"]
    reasons: str = Field(min_length=3, max_length=5000)


class DecideIn(_In):
    decision: Literal["approve", "refuse"]
    reasons: str = Field(min_length=3, max_length=5000)


class WithdrawIn(_In):
    reason: str = Field(min_length=3, max_length=5000)


# --- out ------------------------------------------------------------------------------------


class AmendmentDeadlineOut(DeadlineOut):
    """The 20-working-day clock (DUR Art. 18 para. 3), from the request's acceptance."""

    requested_on: dt.date


class AmendmentSummary(BaseModel):
    id: int
    licence: str
    licence_type: str
    org_id: int
    organisation: str
    status: AmendmentStatus
    kinds: str = Field(description="the kinds of change asked for, comma-separated")
    base_version: int
    requested_at: dt.datetime
    requested_on: dt.date
    accepted_on: dt.date | None
    clock_state: ClockState
    deadline: dt.date | None
    working_days_left: int | None
    overdue: bool
    decided_on: dt.date | None
    decision: str | None
    resulting_version: int | None


class AmendmentOut(AmendmentSummary):
    changes: list[dict[str, Any]] = Field(description="each change as validated, with the value it replaces ('from')")
    reason: str
    requested_by: str | None
    recommendation: str | None
    recommendation_reasons: str | None
    recommended_by: str | None
    recommended_at: dt.datetime | None
    decision_reasons: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    lapsed_at: dt.datetime | None
    closed_reason: str | None
    deadline_info: AmendmentDeadlineOut
    allowed_actions: list[str]


class AmendmentPage(BaseModel):
    items: list[AmendmentSummary]
    next_cursor: str | None


class VersionLineOut(BaseModel):
    line_no: int
    item: str
    hs_code: str
    description: str
    end_user: str
    unit: str
    licensed: Decimal
    drawn: Decimal
    value: Decimal
    currency: str


class LicenceVersionOut(BaseModel):
    version: int
    current: bool
    valid_from: dt.date
    valid_to: dt.date
    conditions: list[str]
    consignee_address_note: str
    lines: list[VersionLineOut] = Field(description="for past versions, drawn as it was when the version was replaced")
    started_at: dt.datetime
    made_by_amendment: int | None
    superseded_at: dt.datetime | None
    superseded_by_amendment: int | None
