"""What the policy API and CLI return and accept: plain views of pack data for one date."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rarex.core.inputs import InputDate
from rarex.policy.models import Confidence, ControlEntry, CustomsCode, EntryStatus, Pack


class EntryOut(BaseModel):
    code: str
    element: str | None
    form: str
    description_en: str
    description_zh: str
    customs_codes: list[CustomsCode]
    announcement: str
    legal_ref: str
    effective_from: dt.date
    effective_to: dt.date | None
    confidence: Confidence
    field_confidence: dict[str, Confidence] = {}
    notes: list[str] = Field(default=[], description="Scope notes attached to the entry (English).")

    @classmethod
    def of(cls, pack: Pack, e: ControlEntry, **extra) -> EntryOut:
        return cls(
            code=e.code, element=e.element, form=e.form, description_en=e.description_en,
            description_zh=e.description_zh, customs_codes=e.customs_codes, announcement=e.announcement,
            legal_ref=e.legal_ref, effective_from=e.effective_from, effective_to=e.effective_to,
            confidence=e.confidence, field_confidence=e.field_confidence,
            notes=[pack.notes[n].text_en for n in e.notes], **extra,
        )


class NotInForceOut(EntryOut):
    status: Literal["not_yet_effective", "suspended", "ended"]
    reason: str
    suspended_by: str | None = None
    suspended_through: dt.date | None = Field(default=None, description="Last day of the suspension.")

    @classmethod
    def of_status(cls, pack: Pack, e: ControlEntry, st: EntryStatus, **extra) -> NotInForceOut:
        return cls.of(
            pack, e, status=st.status, reason=st.reason, suspended_by=st.suspended_by,
            suspended_through=st.suspended_through, **extra,
        )


class ControlListOut(BaseModel):
    pack: str
    on: dt.date
    pack_reviewed_until: dt.date
    caveat: str | None
    entries: list[EntryOut] = Field(description="Entries in force on the date.")
    not_in_force: list[NotInForceOut] = Field(description="Entries of the pack not in force on the date, with why.")


class ClassifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: InputDate | None = Field(default=None, description="Date to classify for; default today in the pack's time zone.")
    hs_code: str | None = Field(default=None, max_length=20, description="Customs code, 4-10 digits (dots and spaces ignored).")
    element: str | None = Field(default=None, max_length=40, description="Element symbol or English/Chinese name, e.g. Dy, dysprosium, 镝.")
    form: str | None = Field(default=None, max_length=40, description="metal_alloy, oxide, compound, equipment, material or technology.")
    description: str | None = Field(default=None, max_length=2000, description="Free-text item description.")
    code: str | None = Field(default=None, max_length=16, description="A control code of the pack, e.g. 1C905.a: it decides.")


class ConditionOut(BaseModel):
    code: str
    kind: str
    subject: str
    label_en: str
    label_zh: str
    legal_ref: str
    confidence: Confidence
    lookback_years: int | None = None


class LicenceTypeOut(BaseModel):
    code: str
    label_en: str
    label_zh: str
    kind: str
    max_validity_months: int | None
    default_validity_months: int | None
    max_end_users: int | None
    repeated_exports: bool
    ends_when_used: bool
    per_shipment: bool
    description_en: str
    description_zh: str
    legal_ref: str
    confidence: Confidence
    field_confidence: dict[str, Confidence]
    eligibility: list[ConditionOut]
    exclusions: list[ConditionOut]
    registration_cases: list[dict[str, str]]
    required_documents: list[str]

    @classmethod
    def of(cls, pack: Pack, code: str) -> LicenceTypeOut:
        t = pack.licence_types[code]
        return cls(
            **t.model_dump(include={
                "code", "label_en", "label_zh", "kind", "max_validity_months", "default_validity_months",
                "max_end_users", "repeated_exports", "ends_when_used", "per_shipment", "description_en",
                "description_zh", "legal_ref", "confidence", "field_confidence",
            }),
            eligibility=[ConditionOut(**c.model_dump(exclude={"field_confidence"})) for c in pack.eligibility(code)],
            exclusions=[ConditionOut(**c.model_dump(exclude={"field_confidence"})) for c in pack.exclusions(code)],
            registration_cases=[c.model_dump() for c in t.cases.values()],
            required_documents=pack.required_documents(code),
        )


class DeadlineOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    deadline: dt.date
    from_: dt.date = Field(alias="from")
    working_days: int
    calendar: str
    caveat: str | None
