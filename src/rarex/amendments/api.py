"""Amendments API: the holder's request on a licence, the officers' review and decision, the
holder's withdrawal, and a licence's version history."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from rarex.amendments import service, views
from rarex.amendments.models import AmendmentStatus
from rarex.amendments.schemas import (
    AmendmentIn,
    AmendmentOut,
    AmendmentPage,
    AmendmentSummary,
    DecideIn,
    LicenceVersionOut,
    RecommendIn,
    WithdrawIn,
)
from rarex.audit.schemas import TimelineEventOut
from rarex.licences.api import LicenceNo
from rarex.web.csvout import csv_response
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.paging import Cursor, Limit, decode_cursor, next_cursor
from rarex.web.params import OrgFilter, RowId

router = APIRouter(prefix="/api/v1", tags=["amendments"])


@router.post("/licences/{number}/amendments", response_model=AmendmentOut, status_code=201,
             summary="Exporter: ask to amend a non-key element of an active licence (DUR Art. 18)")
def request(number: LicenceNo, body: AmendmentIn, principal: PrincipalDep, session: SessionDep) -> AmendmentOut:
    """Every change is checked against the licence now; one 422 lists each problem as
    ``changes[i].field``. While the amendment is pending the licence is ``under_amendment`` and
    cannot be used."""
    return views.detail(session, service.request(session, principal, number, body), reader=principal)


@router.get("/licences/{number}/versions", response_model=list[LicenceVersionOut],
            summary="A licence's versions, oldest first; the last is current")
def licence_versions(number: LicenceNo, principal: PrincipalDep, session: SessionDep) -> list[LicenceVersionOut]:
    lic, past = service.versions(session, principal, number)
    return views.versions(session, lic, past)


@router.get("/amendments", response_model=AmendmentPage, summary="List amendments (exporters see their own)")
def list_amendments(
    principal: PrincipalDep,
    session: SessionDep,
    status: AmendmentStatus | None = None,
    licence: Annotated[str | None, Query(min_length=1, max_length=40, description="a licence number")] = None,
    org_id: OrgFilter = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: Literal["json", "csv"] = "json",
):
    rows = service.list_(session, principal, status=status, licence=licence, org_id=org_id,
                         after_id=decode_cursor(cursor), limit=limit + 1)
    items = views.summaries(session, rows[:limit])
    if format == "csv":
        return csv_response(items, "amendments.csv", AmendmentSummary)
    return AmendmentPage(items=items, next_cursor=next_cursor(rows, limit))


@router.get("/amendments/{amendment_id}", response_model=AmendmentOut)
def get(amendment_id: RowId, principal: PrincipalDep, session: SessionDep) -> AmendmentOut:
    return views.detail(session, service.get(session, principal, amendment_id), reader=principal)


@router.get("/amendments/{amendment_id}/events", response_model=list[TimelineEventOut],
            summary="The amendment's timeline (its audit events)")
def events(amendment_id: RowId, principal: PrincipalDep, session: SessionDep) -> list[TimelineEventOut]:
    return [TimelineEventOut.model_validate(e) for e in service.timeline(session, principal, amendment_id)]


@router.post("/amendments/{amendment_id}/accept", response_model=AmendmentOut,
             summary="Officer: accept the request; its 20 working days count from today (from receipt when late)")
def accept(amendment_id: RowId, principal: PrincipalDep, session: SessionDep) -> AmendmentOut:
    return views.detail(session, service.accept(session, principal, amendment_id), reader=principal)


@router.post("/amendments/{amendment_id}/recommend", response_model=AmendmentOut,
             summary="Officer: recommend approval or refusal, with reasons")
def recommend(amendment_id: RowId, body: RecommendIn, principal: PrincipalDep, session: SessionDep) -> AmendmentOut:
    return views.detail(session, service.recommend(session, principal, amendment_id, body.recommendation, body.reasons), reader=principal)


@router.post("/amendments/{amendment_id}/decide", response_model=AmendmentOut,
             summary="Senior officer (not the recommender): approve, making a new licence version, or refuse")
def decide(amendment_id: RowId, body: DecideIn, principal: PrincipalDep, session: SessionDep) -> AmendmentOut:
    return views.detail(session, service.decide(session, principal, amendment_id, body.decision, body.reasons), reader=principal)


@router.post("/amendments/{amendment_id}/withdraw", response_model=AmendmentOut,
             summary="Exporter: withdraw a pending amendment; the licence is usable again, unchanged")
def withdraw(amendment_id: RowId, body: WithdrawIn, principal: PrincipalDep, session: SessionDep) -> AmendmentOut:
    return views.detail(session, service.withdraw(session, principal, amendment_id, body.reason), reader=principal)
