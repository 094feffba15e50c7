"""Application request and response bodies. Inputs forbid unknown fields; Decimals travel as
strings in JSON so no quantity is ever rounded through a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rarex.applications.deadline import ClockState
from rarex.applications.models import ApplicationStatus
from rarex.core.db import MAX_ROW_ID
from rarex.core.inputs import InputModel


class Outcome(StrEnum):
    approve = "approve"
    approve_with_conditions = "approve_with_conditions"
    refuse = "refuse"


class _In(InputModel):
    model_config = ConfigDict(str_strip_whitespace=True)


class ItemIn(_In):
    control_code: str = Field(min_length=2, max_length=32, examples=["1C905.b"])
    hs_code: str = Field(default="", max_length=10, pattern=r"^(\d{4,10})?$", examples=["2846901993"])
    description: str = Field(min_length=1, max_length=2000)
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    unit: str = Field(min_length=1, max_length=16, examples=["kg"])
    value: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    currency: str = Field(min_length=3, max_length=3, examples=["USD"])
    end_user_id: int | None = Field(
        default=None, gt=0, le=MAX_ROW_ID,
        description="the end user this line's quantity is for (one of the exporter's parties); defaults to the "
        "application's end user. A general licence names several end users, one per line or more; each (item, end "
        "user) appears once",
    )


class ApplicationIn(_In):
    licence_type: str = Field(default="individual", max_length=32)
    consignee_id: int | None = Field(default=None, gt=0, le=MAX_ROW_ID)
    end_user_id: int | None = Field(default=None, gt=0, le=MAX_ROW_ID)
    end_use: str = Field(default="", max_length=5000)
    end_use_category: str | None = Field(default=None, max_length=40, description="what the items will be used for, as a code of the policy pack's end_use_categories (civil, research, military, military_capability, wmd, unknown): prohibitions are judged on it; left out: unknown")
    requested_validity_months: int | None = Field(
        default=None, ge=1, le=120,
        description="at most the licence type's maximum (individual 12, general 36); default the pack's default (12)",
    )
    items: list[ItemIn] = Field(default_factory=list, max_length=200)


class NewEndUserIn(_In):
    """An end user the new application adds, or puts in place of one of the licence's."""

    end_user_id: int = Field(gt=0, le=MAX_ROW_ID, description="one of your organisation's parties")
    replaces_end_user_id: int | None = Field(
        default=None, gt=0, le=MAX_ROW_ID,
        description="the licence's end user this one replaces: its lines' remaining quantities move to the new end user "
                    "unless items are given")
    items: list[ItemIn] = Field(default_factory=list, max_length=200,
                                description="this end user's lines (end_user_id on them is ignored); required for an "
                                            "added end user")


class ReapplyIn(_In):
    """Apply again from a licence because an end user is added or replaced (DUR Art. 18 para. 2)."""

    end_users: list[NewEndUserIn] = Field(min_length=1, max_length=50)


class ApplicationPatch(_In):
    consignee_id: int | None = Field(default=None, gt=0, le=MAX_ROW_ID)
    end_user_id: int | None = Field(default=None, gt=0, le=MAX_ROW_ID)
    end_use: str | None = Field(default=None, max_length=5000)
    end_use_category: str | None = Field(default=None, max_length=40)
    requested_validity_months: int | None = Field(default=None, ge=1, le=120)
    items: list[ItemIn] | None = Field(default=None, max_length=200)


class ReasonIn(_In):
    reason: str = Field(min_length=3, max_length=5000)


class ReturnIn(ReasonIn):
    corrections: list[str] = Field(
        default_factory=list, max_length=100,
        description="every correction the submission needs, all at once (Administrative Licensing Law Art. 32); "
        "the resubmission is a new receipt",
    )


class InformationRequestIn(_In):
    request: str = Field(min_length=3, max_length=5000,
                         description="what the applicant must supply; the decision clock keeps running meanwhile")


class ClockStopIn(_In):
    kind: str = Field(max_length=40, examples=["expert_opinion"],
                      description="a clock-stop kind of the policy pack: technical_identification, expert_opinion or on_site_check")
    reason: str = Field(min_length=3, max_length=5000, description="what is being identified, asked or checked, and why")


class ClockRestartIn(_In):
    outcome: str = Field(min_length=3, max_length=5000, description="what came of the identification, opinion or check")


class RespondIn(_In):
    response: str = Field(min_length=3, max_length=5000)


class RecommendIn(_In):
    recommendation: Outcome
    reasons: str = Field(min_length=3, max_length=5000)
    conditions: list[str] = Field(default_factory=list, max_length=50)


class DecideIn(_In):
    decision: Outcome
    reasons: str = Field(min_length=3, max_length=5000)
    conditions: list[str] = Field(default_factory=list, max_length=50)
    special_approval: bool = Field(
        default=False, description="the deciding senior officer gives the special approval a control-list listing "
        "requires (ECL Art. 18; DUR Arts. 28-30); needed exactly when the control_list check names such a listing")


class PartyBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    country: str
    end_user_category: str
    version: int = Field(description="The party version shown: frozen on submission, the newest while a draft")


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    line_no: int
    control_code: str
    hs_code: str
    description: str
    quantity: Decimal
    unit: str
    value: Decimal
    currency: str
    end_user_id: int | None


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    doc_type: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class CheckOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    check: str
    outcome: str
    message: str
    message_zh: str | None = Field(default=None, description="The message in Chinese; null for checks run before it was kept")
    details: Any = None


class ClockStopOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    request: str = Field(description="why the clock was stopped")
    response: str | None = Field(description="what came of it, once ended")
    started_on: dt.date
    ended_on: dt.date | None


class InformationRequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    request: str
    response: str | None
    requested_at: dt.datetime
    responded_at: dt.datetime | None


class DeadlineOut(BaseModel):
    clock_state: ClockState = Field(description="what the clock is doing: not_submitted, awaiting_acceptance, running, "
                                    "stopped, no_deadline, decided or closed")
    explanation_en: str = Field(description="what the clock is doing and why, in one line")
    explanation_zh: str
    legal_ref: str = Field(description="the rules the explanation rests on")
    received_on: dt.date | None = Field(description="the day the materials now under review were received")
    acceptance_due: dt.date | None = Field(description="last day to accept or ask for every correction; after it the "
                                           "case is deemed accepted on the day of receipt")
    deemed_accepted: bool
    working_days_allowed: int | None
    accepted_on: dt.date | None
    deadline: dt.date | None
    working_days_used: int | None
    working_days_left: int | None
    clock_running: bool
    stopped_working_days: int
    stopped_by: str | None = Field(description="the clock-stop kind of the open stop")
    stopped_since: dt.date | None
    overdue: bool
    caveat: str | None
    no_deadline_case: str | None = Field(description="the pack's no-deadline case that applies, if any")
    no_deadline: str | None = Field(default=None, description="why no decision deadline runs, when none does")


class ApplicationSummary(BaseModel):
    id: int
    reference: str
    org_id: int
    organisation: str
    licence_type: str
    status: ApplicationStatus
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_on: dt.date | None
    decision: str | None
    deadline: dt.date | None
    working_days_left: int | None
    clock_state: ClockState
    acceptance_due: dt.date | None = Field(default=None, description="while awaiting acceptance: the last day to accept "
                                           "or ask for corrections before the case is deemed accepted")
    overdue: bool = False


class ApplicationOut(ApplicationSummary):
    consignee: PartyBrief | None
    end_user: PartyBrief | None
    end_users: list[PartyBrief] = Field(
        default=[], description="Every end user the application covers (its own and its lines'), in the order named"
    )
    end_use: str
    end_use_category: str
    requested_validity_months: int | None
    items: list[ItemOut]
    documents: list[DocumentOut]
    checks: list[CheckOut]
    clock_stops: list[ClockStopOut]
    information_requests: list[InformationRequestOut]
    deadline_info: DeadlineOut
    referred_on: dt.date | None = Field(description="referred to the State Council (DUR Art. 17 para. 2)")
    referral_reason: str | None
    accepted_on: dt.date | None
    recommendation: str | None
    recommendation_reasons: str | None
    recommended_by: str | None
    decision_reasons: str | None
    decided_by: str | None
    conditions: list[str]
    special_approval: dict[str, Any] | None = Field(
        default=None, description="the senior officer's special approval of a deal with a control-listed party: by, at, listings")
    licence_number: str | None
    replaces_licence: str | None = Field(
        default=None, description="the licence this application replaces; it is handed back when this one is granted")
    allowed_actions: list[str]


class ApplicationPage(BaseModel):
    items: list[ApplicationSummary]
    next_cursor: str | None
