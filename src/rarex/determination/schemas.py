"""What licence determination takes and answers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rarex.core.bilingual import Said
from rarex.policy.classify import Classification
from rarex.policy.schemas import ClassifyIn


class DetermineIn(ClassifyIn):
    """The item as classification takes it, and the deal."""

    destination: str = Field(max_length=3, description="Destination country, ISO 3166-1 alpha-2 or alpha-3.")
    end_user_category: str = Field(max_length=40, description="A category of the pack's end_user_categories, e.g. civil, military.")
    end_use: str | None = Field(default=None, max_length=2000, description="The end use in words (recorded in the answer).")
    end_use_category: str | None = Field(default=None, max_length=40, description=(
        "A category of the pack's end_use_categories; default: the pack's default (not known)."))
    org: str | None = Field(default=None, max_length=40, description=(
        "The exporter's unified social credit code: general-licence and registration availability then use its eligibility."))
    registration_case: str | None = Field(default=None, max_length=64, description=(
        "A DUR Art. 19 case of the registration type (e.g. repair_test_inbound), when the shipment is one."))


class Reason(BaseModel):
    rule: str
    rule_zh: str = Field(default="", description="The rule in Chinese")
    legal_ref: str
    legal_ref_zh: str | None = Field(default=None, description="Where the reference names a title: in Chinese")

    @classmethod
    def of(cls, said: Said, legal_ref: str, legal_ref_zh: str | None = None) -> Reason:
        return cls(rule=said.en, rule_zh=said.zh, legal_ref=legal_ref, legal_ref_zh=legal_ref_zh)


class LicenceTypeAnswer(BaseModel):
    type: str
    available: bool | None = Field(description="true: open to this export; false: not; null: depends (see reasons)")
    reasons: list[str]
    reasons_zh: list[str] = Field(default=[], description="The reasons in Chinese, in the same order")

    @classmethod
    def of(cls, type_: str, available: bool | None, reasons: list[Said]) -> LicenceTypeAnswer:
        return cls(type=type_, available=available, reasons=[r.en for r in reasons], reasons_zh=[r.zh for r in reasons])


class Determination(BaseModel):
    licence_required: bool | None = Field(description="true, false, or null when the item's classification is undetermined")
    prohibited: bool | None = Field(description="true: a prohibition or the technology catalogue bars the export; "
                                                "null: it may, depending on what the reasons name")
    licence_types: list[LicenceTypeAnswer]
    reasons: list[Reason]
    caveat: str | None
    caveat_zh: str | None = Field(default=None, description="The caveat in Chinese")
    on: dt.date
    pack: str
    query: dict[str, str | None]
    classification: Classification
