"""Eligibility API: an exporter sees, before it applies, exactly which conditions of a licence
type it fails; reviewers see any organisation's answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from rarex.core.inputs import InputDate
from rarex.eligibility import service
from rarex.eligibility.schemas import EligibilityOut
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.params import RowId

router = APIRouter(prefix="/api/v1", tags=["eligibility"])


@router.get(
    "/organisations/{org_id}/eligibility",
    response_model=EligibilityOut,
    summary="Whether the exporter may hold a licence type (default: general), condition by condition",
)
def eligibility(
    org_id: RowId,
    principal: PrincipalDep,
    session: SessionDep,
    licence_type: Annotated[str, Query(max_length=32, description="A licence type of the policy pack")] = "general",
    on: Annotated[InputDate | None, Query(description="Evaluate as on this date; default today in the pack's time zone")] = None,
) -> EligibilityOut:
    return service.eligibility(session, principal, org_id, licence_type, on)
