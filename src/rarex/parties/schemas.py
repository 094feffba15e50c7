"""Request and response bodies for organisations, compliance profiles, violations and parties.

Inputs forbid unknown fields, so a misspelt field is a 422 rather than silently ignored. The
limits here document the API; :mod:`rarex.parties.service` enforces the same limits again
because the CLI and other services call it without going through these models.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from rarex.core.inputs import InputDate

NAME_MAX = 200  # organisation names and contact name (column length)
PARTY_NAME_MAX = 300
TEXT_MAX = 2000  # addresses, business descriptions, violation descriptions, notes
EMAIL_MAX = 200
PHONE_MAX = 50
URL_MAX = 300
LEGAL_REF_MAX = 200


class ViolationKind(StrEnum):
    """How grave a past penalty was; DUR Art. 20 treats each kind differently."""

    criminal = "criminal"
    serious_administrative = "serious_administrative"
    administrative = "administrative"


def _stripped(max_length: int, min_length: int = 0):
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


OrgName = Annotated[str, _stripped(NAME_MAX, 1)]
ShortText = Annotated[str, _stripped(NAME_MAX)]
LongText = Annotated[str, _stripped(TEXT_MAX)]
RequiredText = Annotated[str, _stripped(TEXT_MAX, 1)]
Email = Annotated[str, _stripped(EMAIL_MAX)]
Phone = Annotated[str, _stripped(PHONE_MAX)]
PartyName = Annotated[str, _stripped(PARTY_NAME_MAX, 1)]
LocalName = Annotated[str, _stripped(PARTY_NAME_MAX)]
Url = Annotated[str, _stripped(URL_MAX)]
LegalRef = Annotated[str, _stripped(LEGAL_REF_MAX)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- organisations -------------------------------------------------------------------------


class OrganisationIn(_In):
    name_zh: OrgName = Field(description="Registered name in Chinese")
    name_en: OrgName = Field(description="Name in English")
    uscc: str = Field(max_length=40, description="Unified social credit code (18 characters, with check digit)")
    address: LongText = ""
    contact_name: ShortText = ""
    contact_email: Email = ""
    contact_phone: Phone = ""


class OrganisationPatch(_In):
    """Contact details and address only; names and the credit code identify the exporter.

    A field left out is unchanged; ``null`` is refused (send ``""`` to clear a field).
    """

    address: LongText = Field(default=None)
    contact_name: ShortText = Field(default=None)
    contact_email: Email = Field(default=None)
    contact_phone: Phone = Field(default=None)


class ComplianceProfileIn(_In):
    """The whole profile (PUT replaces it): dates left out are cleared, notes default to empty."""

    has_icp: bool = Field(description="An internal export-control compliance programme is in place")
    icp_established_on: InputDate | None = None
    icp_last_audit_on: InputDate | None = None
    export_experience_years: int = Field(ge=0, le=100)
    briefings_attended: int = Field(ge=0, le=10_000)
    last_briefing_on: InputDate | None = None
    stable_channels: bool = Field(description="Export channels and end users are relatively stable")
    foreign_control_list_affiliate: bool | None = Field(
        default=None,
        description=(
            "The exporter is a wholly-owned company, representative office or branch in China of a foreign party "
            "on the control list (DUR Art. 20 (3)); left out or null: not stated, which a general-licence "
            "eligibility check reports as not evaluable"
        ),
    )
    notes: LongText = ""


class ComplianceProfileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    org_id: int
    has_icp: bool
    icp_established_on: dt.date | None
    icp_last_audit_on: dt.date | None
    export_experience_years: int
    briefings_attended: int
    last_briefing_on: dt.date | None
    stable_channels: bool
    foreign_control_list_affiliate: bool | None
    notes: str
    updated_at: dt.datetime
    unverified: list[str] = Field(description="Facts eligibility reads whose value no officer has verified (changed "
                                              "since the last verification, or never verified)")
    verified_values: dict[str, Any] = Field(description="The facts as an officer last verified them")
    verified_at: dt.datetime | None
    verified_by_name: str | None


class ProfileVerificationIn(_In):
    """An officer's verification of the facts eligibility reads, as the profile states them now."""

    note: LongText = Field(default="", description="What the facts were checked against (audit report, past licences, ...)")
    values: dict[str, bool | int | str | None] | None = Field(
        default=None, description="The values the officer checked, by fact; if the profile now says otherwise, "
                                  "nothing is verified (409 profile-changed)")


class ViolationIn(_In):
    kind: ViolationKind
    decided_on: InputDate = Field(description="Date of the penalty decision or judgment")
    description: RequiredText
    legal_ref: LegalRef = Field(default="", description="e.g. ECL Art. 34")


class ViolationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    org_id: int
    kind: ViolationKind
    decided_on: dt.date
    description: str
    legal_ref: str


class OrganisationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name_zh: str
    name_en: str
    uscc: str
    address: str
    contact_name: str
    contact_email: str
    contact_phone: str
    created_at: dt.datetime
    profile: ComplianceProfileOut | None
    violations: list[ViolationOut]


# --- parties -------------------------------------------------------------------------------


class PartyIn(_In):
    name: PartyName = Field(description="Name as written on contracts and shipping documents")
    name_local: LocalName = Field(default="", description="Name in its own script, if not Latin")
    country: str = Field(max_length=64, description="ISO 3166-1 alpha-2 (alpha-3 accepted and normalised); not CN")
    address: LongText = ""
    business: LongText = Field(default="", description="What the party does")
    website: Url = ""
    end_user_category: str | None = Field(
        default=None, max_length=40,
        description="What kind of end user: a code of the policy pack's end_user_categories (civil, government, "
                    "research, military, military_capability, unknown); left out: unknown")


class PartyPatch(_In):
    """A field left out is unchanged; ``null`` is refused (send ``""`` to clear a field)."""

    name: PartyName = Field(default=None)
    name_local: LocalName = Field(default=None)
    country: str = Field(default=None, max_length=64)
    address: LongText = Field(default=None)
    business: LongText = Field(default=None)
    website: Url = Field(default=None)
    end_user_category: str = Field(default=None, max_length=40)


class PartyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    org_id: int
    name: str
    name_local: str
    country: str
    address: str
    business: str
    website: str
    end_user_category: str
    created_at: dt.datetime
    version: int = Field(description="The newest version; cases and licences keep the version they were decided on")


class PartyVersionOut(BaseModel):
    """A party as it stood from one edit to the next."""

    model_config = ConfigDict(from_attributes=True)
    party_id: int
    version: int
    name: str
    name_local: str
    country: str
    address: str
    business: str
    website: str
    end_user_category: str
    created_at: dt.datetime
    created_by: int | None


class PartyPage(BaseModel):
    items: list[PartyOut]
    next_cursor: str | None
