"""Organisations (with compliance profile and violations) and foreign parties.

An exporter sees and changes only its own organisation and parties; anything else is a 404.
Who may do what is decided in :mod:`rarex.core.authz`, called from the service. A party is
changed through :mod:`rarex.party_edits`, which knows the cases and licences that name it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from rarex.core.db import MAX_ROW_ID
from rarex.parties import service, verification
from rarex.parties.schemas import (
    ComplianceProfileIn,
    ComplianceProfileOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PartyIn,
    PartyOut,
    PartyPage,
    PartyVersionOut,
    ProfileVerificationIn,
    ViolationIn,
    ViolationOut,
)
from rarex.web.csvout import csv_response
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.paging import Cursor, decode_cursor, next_cursor
from rarex.web.params import RowId

router = APIRouter(prefix="/api/v1", tags=["organisations and parties"])

# Bounded so that an absurd id is a 422 (or a 404), never an integer overflow in PostgreSQL.
OrgId = RowId
PartyId = RowId
DEFAULT_LIMIT = 100


@router.get("/organisations", response_model=list[OrganisationOut], summary="Organisations the caller may see")
def list_organisations(principal: PrincipalDep, session: SessionDep) -> list[OrganisationOut]:
    return [OrganisationOut.model_validate(o) for o in service.list_organisations(session, principal)]


@router.post("/organisations", response_model=OrganisationOut, status_code=201, summary="Register an exporter (admin)")
def create_organisation(body: OrganisationIn, principal: PrincipalDep, session: SessionDep) -> OrganisationOut:
    return OrganisationOut.model_validate(service.create_organisation(session, principal, **body.model_dump()))


@router.get("/organisations/{org_id}", response_model=OrganisationOut)
def get_organisation(org_id: OrgId, principal: PrincipalDep, session: SessionDep) -> OrganisationOut:
    return OrganisationOut.model_validate(service.get_organisation(session, principal, org_id))


@router.patch("/organisations/{org_id}", response_model=OrganisationOut, summary="Change address or contact details")
def update_organisation(org_id: OrgId, body: OrganisationPatch, principal: PrincipalDep, session: SessionDep) -> OrganisationOut:
    org = service.update_organisation(session, principal, org_id, **body.model_dump(exclude_unset=True))
    return OrganisationOut.model_validate(org)


@router.get("/organisations/{org_id}/compliance-profile", response_model=ComplianceProfileOut)
def get_compliance_profile(org_id: OrgId, principal: PrincipalDep, session: SessionDep) -> ComplianceProfileOut:
    return ComplianceProfileOut.model_validate(service.get_compliance_profile(session, principal, org_id))


@router.put(
    "/organisations/{org_id}/compliance-profile", response_model=ComplianceProfileOut, summary="Replace the compliance profile"
)
def put_compliance_profile(
    org_id: OrgId, body: ComplianceProfileIn, principal: PrincipalDep, session: SessionDep
) -> ComplianceProfileOut:
    profile = service.update_compliance_profile(session, principal, org_id, **body.model_dump())
    return ComplianceProfileOut.model_validate(profile)


@router.post(
    "/organisations/{org_id}/compliance-profile/verify", response_model=ComplianceProfileOut,
    summary="Verify the facts general-licence eligibility reads, as the profile states them now (officer)",
)
def verify_compliance_profile(
    org_id: OrgId, body: ProfileVerificationIn, principal: PrincipalDep, session: SessionDep
) -> ComplianceProfileOut:
    profile = verification.verify_profile(session, principal, org_id, note=body.note, expected=body.values)
    return ComplianceProfileOut.model_validate(profile)


@router.get("/organisations/{org_id}/violations", response_model=list[ViolationOut])
def list_violations(org_id: OrgId, principal: PrincipalDep, session: SessionDep) -> list[ViolationOut]:
    return [ViolationOut.model_validate(v) for v in service.list_violations(session, principal, org_id)]


@router.post(
    "/organisations/{org_id}/violations", response_model=ViolationOut, status_code=201, summary="Record a past penalty (admin)"
)
def record_violation(org_id: OrgId, body: ViolationIn, principal: PrincipalDep, session: SessionDep) -> ViolationOut:
    return ViolationOut.model_validate(service.record_violation(session, principal, org_id, **body.model_dump()))


@router.get(
    "/parties",
    response_model=PartyPage,
    summary="Foreign parties the caller may see",
    responses={200: {"content": {"text/csv": {}}, "description": "A page of parties, or CSV with format=csv"}},
)
def list_parties(
    principal: PrincipalDep,
    session: SessionDep,
    country: Annotated[str | None, Query(max_length=64, description="ISO 3166-1 code, e.g. DE")] = None,
    q: Annotated[str | None, Query(max_length=300, description="Part of the name, in either script")] = None,
    org_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID, description="Only this organisation's parties")] = None,
    limit: Annotated[int | None, Query(ge=1, le=500, description=f"Page size: {DEFAULT_LIMIT} for JSON, all for CSV")] = None,
    cursor: Cursor = None,
    format: Annotated[Literal["json", "csv"], Query(description="csv: a spreadsheet-safe CSV file")] = "json",
) -> PartyPage | Response:
    if format == "json" and limit is None:
        limit = DEFAULT_LIMIT
    rows = service.list_parties(
        session, principal, org_id=org_id, country=country, q=q, after_id=decode_cursor(cursor),
        limit=None if limit is None else limit + 1,
    )
    after = next_cursor(rows, limit) if limit is not None else None
    items = [PartyOut.model_validate(p) for p in rows[:limit]]
    if format == "csv":
        return csv_response(items, "parties.csv", PartyOut, {"X-Next-Cursor": after} if after else None)
    return PartyPage(items=items, next_cursor=after)


@router.post("/parties", response_model=PartyOut, status_code=201, summary="Put a consignee or end user on file (exporter)")
def create_party(body: PartyIn, principal: PrincipalDep, session: SessionDep) -> PartyOut:
    return PartyOut.model_validate(service.create_party(session, principal, **body.model_dump()))


@router.get("/parties/{party_id}", response_model=PartyOut)
def get_party(party_id: PartyId, principal: PrincipalDep, session: SessionDep) -> PartyOut:
    return PartyOut.model_validate(service.get_party(session, principal, party_id))


@router.get("/parties/{party_id}/versions", response_model=list[PartyVersionOut],
            summary="Every version of a party, oldest first")
def list_party_versions(party_id: PartyId, principal: PrincipalDep, session: SessionDep) -> list[PartyVersionOut]:
    return [PartyVersionOut.model_validate(v) for v in service.party_versions(session, principal, party_id)]
