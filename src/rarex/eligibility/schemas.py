"""What an eligibility evaluation returns: one result per condition of the licence type, and
the overall answer.

Each condition's ``status`` says whether the exporter satisfies what the licence type asks of
it, whatever the condition's kind: for an eligibility condition ``met`` means it holds; for an
exclusion ``met`` means the exclusion does *not* apply. That way "which conditions fail" is
always the list of ``not_met``, and a person never has to invert an exclusion in their head.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from rarex.policy.models import Confidence


class ConditionStatus(StrEnum):
    met = "met"
    not_met = "not_met"
    #: rarex's data cannot decide it (a matter for the authority, data not yet held, or
    #: evidence that needs a person's judgment): an officer reviews it.
    cannot_evaluate = "cannot_evaluate"
    #: It would hold, but rests on profile facts the exporter stated and no officer has verified.
    unverified = "unverified"


class Overall(StrEnum):
    eligible = "eligible"
    not_eligible = "not_eligible"
    #: Nothing fails, but some conditions need an officer's review before the answer is "eligible".
    pending_review = "pending_review"


class ConditionResult(BaseModel):
    code: str
    kind: str = Field(description="eligibility (must hold) or exclusion (must not apply)")
    subject: str = Field(description="exporter, or party (the importer and end users of a deal)")
    label_en: str
    label_zh: str
    legal_ref: str
    confidence: Confidence
    field_confidence: dict[str, Confidence] = {}
    status: ConditionStatus = Field(
        description="met: the exporter satisfies this (for an exclusion: it does not apply); not_met: it fails; "
        "cannot_evaluate: an officer must judge it; unverified: it rests on facts no officer has verified yet"
    )
    reason: str = Field(description="Why, in words a person can act on")
    reason_zh: str = Field(default="", description="The reason in Chinese")
    thresholds: dict[str, Any] = Field(default={}, description="The pack's numbers this condition was judged against")
    evidence: dict[str, Any] = Field(default={}, description="The profile fields and records the answer rests on")


class EligibilityOut(BaseModel):
    org_id: int
    organisation: str
    licence_type: str
    on: dt.date = Field(description="The evaluation date, in the policy pack's time zone")
    pack: str
    status: Overall
    summary: str
    summary_zh: str = Field(default="", description="The summary in Chinese")
    failing: list[str] = Field(description="Codes of the conditions not met")
    needs_review: list[str] = Field(description="Codes of the conditions that cannot be evaluated from rarex's data, "
                                                "or rest on unverified facts")
    unverified: list[str] = Field(default=[], description="Compliance-profile facts a condition rests on that no officer "
                                                          "has verified; a general licence is not approved on them")
    conditions: list[ConditionResult]
    caveat: str | None = Field(default=None, description="Set when the date lies after the pack's last review")
    caveat_zh: str | None = Field(default=None, description="The caveat in Chinese")
