from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rarex.licences.models import LicenceStatus


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=3, max_length=5000)


class ActionIn(ReasonIn):
    """A senior officer's action on a licence: a coded ground (pack grounds.yaml) and why."""

    ground: str | None = Field(default=None, min_length=1, max_length=64, examples=["factors_changed"],
                               description="a ground code that supports the action; required to suspend, withdraw "
                                           "or revoke (a 400 lists the codes that fit)")


class GroundOut(BaseModel):
    code: str
    label_en: str
    label_zh: str
    legal_ref: str


class PendingRevocationOut(BaseModel):
    ground: GroundOut
    reason: str
    proposed_at: dt.datetime


class LineOut(BaseModel):
    line_no: int
    item: str = Field(description="the control-list entry, e.g. 1C905.b")
    end_user: str = Field(description="the end user's party id")
    end_user_name: str
    description: str
    hs_code: str
    unit: str
    licensed: Decimal
    drawn: Decimal
    remaining: Decimal
    value: Decimal
    currency: str


class LicenceSummary(BaseModel):
    number: str
    type: str
    status: LicenceStatus
    holder: str = Field(description="the holder's name in English")
    holder_zh: str = Field("", description="the holder's registered Chinese name")
    org_id: int
    valid_from: dt.date
    valid_to: dt.date
    issued_at: dt.datetime
    version: int = Field(description="1 when issued; one more for each approved amendment")


class LicenceOut(LicenceSummary):
    application: str
    consignee: str | None
    end_use: str
    conditions: list[str]
    status_reason: str | None
    status_ground: GroundOut | None = Field(description="the ground of the last suspension, reinstatement, ordered "
                                                        "amendment, withdrawal or revocation, with its legal reference")
    pending_revocation: PendingRevocationOut | None = Field(
        description="a revocation proposed when an exclusion arose (DUR Art. 20 para. 2), awaiting a senior officer's signature")
    replaces: str | None = Field(description="the licence this one replaced (applied for again from it)")
    replaced_by: str | None = Field(description="the licence that replaced this one when it was handed back")
    handed_back_at: dt.datetime | None
    consignee_address_note: str
    pending_amendment: int | None = Field(description="the open amendment's id; while there is one the licence is under_amendment")
    end_use_category: str = Field(description="the end use's category as decided (policy pack end_use_categories)")
    report_required: bool = Field(description="the holder must report on the deal (special approval of a deal with a "
                                              "control-listed party: ECL Art. 18; DUR Arts. 28-30)")
    report_reason: str | None
    use_prohibited: list[dict[str, Any]] = Field(
        default=[], description="the lines a prohibition (ECL Art. 10; DUR Art. 13) forbids using today, each with the "
        "prohibitions, their legal references and reasons; customs are refused declarations on them")
    lines: list[LineOut]
    allowed_actions: list[str]


class LicencePage(BaseModel):
    items: list[LicenceSummary]
    next_cursor: str | None
