"""What the impact report answers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from rarex.policy.drafts import DraftChange


class Effect(StrEnum):
    """How a draft changes the answer for one line of a case, licence or shipment."""

    now_prohibited = "now_prohibited"
    no_longer_prohibited = "no_longer_prohibited"
    newly_needs_licence = "newly_needs_licence"
    no_longer_needs_licence = "no_longer_needs_licence"
    licence_type_closed = "licence_type_closed"
    licence_type_opened = "licence_type_opened"
    now_undetermined = "now_undetermined"


#: Most serious first: the order of groups in the report.
EFFECT_ORDER = list(Effect)

Subject = Literal["application", "licence", "shipment"]


class Answer(BaseModel):
    """The determination for a line, reduced to what the report compares."""

    licence_required: bool | None
    prohibited: bool | None
    licence_type_available: bool | None = Field(description="whether the line's own licence type is open")


class ImpactRow(BaseModel):
    subject: Subject
    id: int
    ref: str = Field(description="application reference, licence number or customs declaration")
    licence_id: int | None = Field(default=None, description="the licence (for a shipment: the one it drew on)")
    licence_no: str | None = Field(default=None, description="that licence's number")
    org_id: int
    org_name: str
    status: str
    line_no: int
    control_code: str
    destination: str
    licence_type: str
    on: dt.date = Field(description="the date the line is judged on (a shipment: as if shipped then)")
    effects: list[Effect]
    before: Answer
    after: Answer
    reasons: list[str] = Field(description="reasons of the answer under the draft that the current pack does not give")
    reasons_zh: list[str]


class Skipped(BaseModel):
    subject: Subject
    ref: str
    line_no: int
    reason: str


class ImpactReport(BaseModel):
    pack: str
    draft: str
    draft_code: str
    description_en: str
    description_zh: str
    legal_ref: str
    effective_from: dt.date
    changes: list[DraftChange]
    on: dt.date
    shipments_from: dt.date
    shipments_to: dt.date
    counts: dict[str, dict[str, int]] = Field(description="effect -> subject -> how many cases, licences or shipments")
    rows: list[ImpactRow]
    skipped: list[Skipped]
    caveat: str | None
