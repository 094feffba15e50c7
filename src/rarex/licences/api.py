"""Licences API: list, show; a senior officer's suspend and its outcomes (reinstate, order an
amendment, withdraw, revoke), each on a coded ground; revocations proposed on an exclusion
(DUR Art. 20 para. 2), listed and signed."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from rarex.audit.schemas import TimelineEventOut
from rarex.core.inputs import InputDate
from rarex.licences import (
    exclusion,  # noqa: F401  (registers the reaction to an Art. 20 exclusion)
    service,
    usage,
    views,
)
from rarex.licences.flows import GROUNDED_ACTIONS
from rarex.licences.models import LicenceStatus
from rarex.licences.schemas import ActionIn, LicenceOut, LicencePage, LicenceSummary, ReasonIn
from rarex.licences.usage import UsageReportOut
from rarex.web.csvout import csv_response
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.paging import Cursor, Limit, decode_cursor, next_cursor
from rarex.web.params import OrgFilter

LicenceNo = Annotated[str, Path(min_length=1, max_length=40, description="Licence number, e.g. CNDU-I2025-000001")]

router = APIRouter(prefix="/api/v1/licences", tags=["licences"])


@router.get("", response_model=LicencePage, summary="List licences (exporters see their own)")
def list_licences(
    principal: PrincipalDep,
    session: SessionDep,
    status: LicenceStatus | None = None,
    type: Annotated[str | None, Query(max_length=32, description="individual or general")] = None,
    org_id: OrgFilter = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: Literal["json", "csv"] = "json",
):
    rows = service.list_(session, principal, status=status, licence_type=type, org_id=org_id,
                         after_id=decode_cursor(cursor), limit=limit + 1)
    items = views.summaries(session, rows[:limit])
    if format == "csv":
        return csv_response(items, "licences.csv", LicenceSummary)
    return LicencePage(items=items, next_cursor=next_cursor(rows, limit))


@router.get("/pending-revocations", response_model=LicencePage,
            summary="Licences whose revocation on an exclusion awaits a senior officer's signature (DUR Art. 20)")
def pending_revocations(principal: PrincipalDep, session: SessionDep, limit: Limit = 50, cursor: Cursor = None) -> LicencePage:
    rows = service.pending_revocations(session, principal, after_id=decode_cursor(cursor), limit=limit + 1)
    return LicencePage(items=views.summaries(session, rows[:limit]), next_cursor=next_cursor(rows, limit))


@router.get("/{number}", response_model=LicenceOut)
def get(number: LicenceNo, principal: PrincipalDep, session: SessionDep) -> LicenceOut:
    return views.detail(session, service.get(session, principal, number))


@router.get("/{number}/events", response_model=list[TimelineEventOut],
            summary="The licence's timeline (its audit events; the deliberation only for the ministry)")
def events(number: LicenceNo, principal: PrincipalDep, session: SessionDep) -> list[TimelineEventOut]:
    return [TimelineEventOut.model_validate(e) for e in service.timeline(session, principal, number)]


_GROUND = ("Names a ground of the pack (GET /api/v1/policy/grounds) that supports the action; a ground that does "
           "not fit is a 400 listing the codes that do.")


def _control(action: str):
    def endpoint(number: LicenceNo, body: ActionIn, principal: PrincipalDep, session: SessionDep) -> LicenceOut:
        return views.detail(session, service.control(session, principal, number, action, body.reason, body.ground))

    endpoint.__name__ = action
    return endpoint


for _action, _summary in GROUNDED_ACTIONS.items():
    router.post(f"/{{number}}/{_action.replace('_', '-')}", response_model=LicenceOut, summary=f"Senior officer: {_summary}",
                description=_GROUND)(_control(_action))


@router.post("/{number}/sign-revocation", response_model=LicenceOut,
             summary="Senior officer: sign the revocation proposed when an exclusion arose (DUR Art. 20 para. 2)")
def sign_revocation(number: LicenceNo, body: ReasonIn, principal: PrincipalDep, session: SessionDep) -> LicenceOut:
    return views.detail(session, service.sign_revocation(session, principal, number, body.reason))


@router.get(
    "/{number}/usage-report",
    response_model=UsageReportOut,
    summary="The holder's usage report: per line licensed, drawn in the period, drawn to date, remaining, shipments",
    responses={200: {"content": {"text/csv": {}},
                     "description": "The report, or CSV with format=csv (one row per line and shipment)"}},
)
def usage_report(
    number: LicenceNo,
    principal: PrincipalDep,
    session: SessionDep,
    date_from: Annotated[InputDate | None, Query(alias="from", description="First day; default: the current reporting period's")] = None,
    date_to: Annotated[InputDate | None, Query(alias="to", description="Last day; default: the end of the period `from` falls in")] = None,
    format: Literal["json", "csv"] = "json",
):
    report = usage.usage_report(session, principal, number, date_from=date_from, date_to=date_to)
    if format == "csv":
        return csv_response(usage.csv_rows(report), f"usage-{number}-{report.period_from}-{report.period_to}.csv",
                            usage.UsageCsvRow)
    return report
